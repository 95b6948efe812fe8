"""The one door through which the field checks reach the country, city and calendar lexicons.

Countries, cities, months and heads of state come from ``extractor.lexicon``; the weekday names
still live with the rule backend's date grammar and are read only here, so moving them into the
lexicon changes one import.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from extractor.core.units import CURRENCIES
from extractor.lexicon import heads_of_state, places
from extractor.lexicon.checks import CheckLexicon, check_lexicon
from extractor.lexicon.countries import codes_of_word, countries
from extractor.lexicon.folding import fold
from extractor.lexicon.months import by_lemma
from extractor.offline.date_grammar import WEEKDAYS

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "city_country",
    "countries_of_word",
    "country_keys",
    "head_of",
    "lexicon",
]

MONTHS = by_lemma()
head_of = heads_of_state.head_of
as_of = heads_of_state.as_of


@lru_cache(maxsize=1)
def _cities_by_key() -> dict[str, list[tuple[str, str]]]:
    """The gazetteer's cities (folded name, nominative, country) by their first two letters."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for city, code in places.cities().items():
        out[fold(city)[:2]].append((city, code))
    return dict(out)


@lru_cache(maxsize=16384)
def countries_of_word(word: str) -> tuple[str, ...]:
    """Countries one word names or implies by an adjective ("казахстанско-туркменские" -> KZ, TM)."""
    return tuple(codes_of_word(word))


@lru_cache(maxsize=16384)
def city_country(word: str) -> tuple[str, str] | None:
    """A city (any case form) or a named site of the gazetteer and its country, or ``None``."""
    if not word[:1].isupper():
        return None
    from extractor.core.checks.text import same_word  # word matching lives with the text

    low = fold(word)
    for city, code in _cities_by_key().get(low[:2], ()):
        if " " not in city and same_word(fold(city), low):
            return city, code
    site = places.site_country(word)  # a named port, field or plant ("Поти", "Галкыныш")
    return (word, site) if site is not None else None


@lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    """The first two letters of every stem and part naming a country: a cheap filter of words."""
    return frozenset(
        fold(stem)[:2] for c in countries() for stem in (*c.stems, *c.parts) if len(stem) >= 2
    )


def lexicon() -> CheckLexicon:
    """The check lexicon with currencies expanded from the units table."""
    return check_lexicon(CURRENCIES)
