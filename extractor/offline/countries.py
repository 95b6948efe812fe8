"""Countries from names and adjectives ("казахстанско-туркменско-иранская" -> KZ, TM, IR).

The countries, their names and stems, and the rule that matches a word part to one, are the
lexicon's (:mod:`extractor.lexicon.countries`); this module applies them to a text. Cities carry
their country through the lexicon's gazetteer of the region's capitals, ports and large towns.
"""

from __future__ import annotations

import re

from extractor.lexicon import places
from extractor.lexicon.countries import codes_of_word, country_name

__all__ = ["CITIES", "city_lemma", "countries_in", "country_name", "country_of_word"]

# City (nominative) -> country: the gazetteer of the lexicon.
CITIES = places.cities()

_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁёA-Za-z]+)*")


def country_of_word(word: str) -> list[str]:
    """Countries a single word names, in order ("казахстанско-туркменско-иранская" -> KZ TM IR)."""
    return codes_of_word(word)


def countries_in(text: str) -> list[str]:
    """Every country a text names or implies by an adjective, in order of first mention."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        for code in country_of_word(m.group(0)):
            if code not in out:
                out.append(code)
    return out


def city_lemma(word: str) -> str | None:
    """The nominative of a city in the gazetteer from any case form ("Астане" -> "Астана")."""
    if word in CITIES:
        return word
    for city in CITIES:
        if _is_case_form(word, city):
            return city
    return None


def _is_case_form(word: str, city: str) -> bool:
    """Whether ``word`` is a regular case form of ``city`` (-а/-я nouns and consonant stems)."""
    if city[-1] in "аяь" and not city.endswith("ата"):
        return word[:-1] == city[:-1] and word[-1] in "аеиуыяюй" or word == city[:-1] + "ой"
    if city[-1] in "иыеоу":
        return False  # indeclinable: Алматы, Душанбе, Туркменбаши
    return word.startswith(city) and word[len(city) :] in ("а", "е", "у", "ом", "ем", "я", "ю")
