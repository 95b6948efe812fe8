"""The one door through which the field checks reach the country, city and calendar lexicons.

Countries (names, adjectives, compound adjectives), the city gazetteer and the month and weekday
names live with the rule backend today; the checks read them only through this module, so moving
those tables into ``extractor.lexicon`` changes these imports and nothing else.
"""

from __future__ import annotations

from functools import lru_cache

from extractor.core.units import CURRENCIES
from extractor.lexicon.checks import CheckLexicon, check_lexicon
from extractor.offline.countries import CITIES, city_lemma, country_of_word
from extractor.offline.date_grammar import MONTHS, WEEKDAYS

__all__ = ["MONTHS", "WEEKDAYS", "city_country", "countries_of_word", "lexicon"]


@lru_cache(maxsize=16384)
def countries_of_word(word: str) -> tuple[str, ...]:
    """Countries one word names or implies by an adjective ("казахстанско-туркменские" -> KZ, TM)."""
    return tuple(country_of_word(word))


@lru_cache(maxsize=16384)
def city_country(word: str) -> tuple[str, str] | None:
    """A city of the gazetteer in any case form and its country, or ``None``."""
    if not word[:1].isupper():
        return None
    city = city_lemma(word)
    return (city, CITIES[city]) if city is not None else None


def lexicon() -> CheckLexicon:
    """The check lexicon with currencies expanded from the units table."""
    return check_lexicon(CURRENCIES)
