"""Russian month names (``data/months.json``): lemmas, genitives and stems, with their numbers.

Read by the figure engine (a day before a month is a date, not a count), the offline date
grammars (month lemmas) and the reader (byline dates such as "18 апреля 2025").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from extractor.lexicon._files import LexiconError, read

__all__ = [
    "Month",
    "by_abbreviation",
    "by_genitive",
    "by_lemma",
    "relative_days",
    "relative_years",
    "months",
    "stem_pattern",
    "version",
]


@dataclass(frozen=True, slots=True)
class Month:
    """One month: its number, nominative (lemma), genitive and the stems of its case forms."""

    number: int
    nominative: str
    genitive: str
    stems: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    months: tuple[Month, ...]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = read("months")
    found = tuple(
        Month(
            m["number"],
            m["nominative"],
            m["genitive"],
            tuple(m["stems"]),
            tuple(m.get("abbreviations", ())),
        )
        for m in data["months"]
    )
    if [m.number for m in found] != list(range(1, 13)):
        raise LexiconError("lexicon months.json must list months 1..12 in order", hint="fix it")
    return _Table(str(data["version"]), found)


def version() -> str:
    """The version of the months lexicon."""
    return _table().version


def months() -> tuple[Month, ...]:
    """The twelve months, January first."""
    return _table().months


@lru_cache(maxsize=1)
def by_lemma() -> Mapping[str, int]:
    """Nominative (the pymorphy3 lemma) -> month number: "август" -> 8."""
    return MappingProxyType({m.nominative: m.number for m in months()})


@lru_cache(maxsize=1)
def by_genitive() -> Mapping[str, int]:
    """Genitive -> month number: "августа" -> 8 (the form after a day: "9 августа")."""
    return MappingProxyType({m.genitive: m.number for m in months()})


@lru_cache(maxsize=1)
def by_abbreviation() -> Mapping[str, int]:
    """Dateline abbreviation -> month number: "ноя" -> 11 (as in "АШХАБАД, 11 ноя")."""
    return MappingProxyType({a: m.number for m in months() for a in m.abbreviations})


@lru_cache(maxsize=1)
def stem_pattern() -> str:
    """A regular expression alternation of every month stem ("январ|феврал|...|ма[йяе]...")."""
    stems = sorted({s for m in months() for s in m.stems}, key=lambda s: (-len(s), s))
    return "|".join(re.escape(s) for s in stems)


@lru_cache(maxsize=1)
def relative_days() -> Mapping[str, int]:
    """A day named relative to the article's own day -> offset in days: "накануне" -> -1."""
    return MappingProxyType(dict(read("months")["relative_days"]))


@lru_cache(maxsize=1)
def relative_years() -> Mapping[str, int]:
    """A year named relative to the publication year (adjective lemma) -> offset: "прошлый" -> -1."""
    return MappingProxyType(dict(read("months")["relative_years"]))
