"""Countries: ISO codes, Russian names, and the stems of their names and adjectives (``data/countries.json``).

The one table of countries, read by the offline backend and by consolidation alike, and the one
rule for "which country does this word name": a lower-case word part names a country when it
starts with one of the country's noun or adjective stems ("казахстана", "туркменско",
"российских") or equals one of its compound parts ("русско-"); a part starting with a
``not_country`` stem ("Иранов", a surname) names none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from extractor.lexicon._files import LexiconError, read
from extractor.lexicon.folding import fold

__all__ = [
    "Country",
    "code_of_part",
    "codes_of_word",
    "countries",
    "country_name",
    "country_names",
    "version",
]


@dataclass(frozen=True, slots=True)
class Country:
    """One country: code, nominative name, and the stems a word naming it starts with."""

    code: str
    name: str
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    parts: tuple[str, ...] = ()

    @property
    def stems(self) -> tuple[str, ...]:
        """Every prefix stem (nouns, then adjectives)."""
        return self.nouns + self.adjectives


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    countries: tuple[Country, ...]
    not_country: tuple[str, ...]
    stems: tuple[tuple[str, str], ...]  # (stem, code), longest first
    parts: Mapping[str, str]
    names: Mapping[str, str]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = read("countries")
    found = tuple(
        Country(
            code=c["code"],
            name=c["name"],
            nouns=tuple(c.get("nouns", ())),
            adjectives=tuple(c.get("adjectives", ())),
            parts=tuple(c.get("parts", ())),
        )
        for c in data["countries"]
    )
    codes = [c.code for c in found]
    if len(set(codes)) != len(codes):
        raise LexiconError("lexicon countries.json lists a code twice", hint="merge the entries")
    stems = sorted(((s, c.code) for c in found for s in c.stems), key=lambda x: -len(x[0]))
    return _Table(
        version=str(data["version"]),
        countries=found,
        not_country=tuple(data.get("not_country", ())),
        stems=tuple(stems),
        parts=MappingProxyType({p: c.code for c in found for p in c.parts}),
        names=MappingProxyType({c.code: c.name for c in found}),
    )


def version() -> str:
    """The version of the countries lexicon."""
    return _table().version


def countries() -> tuple[Country, ...]:
    """Every country of the lexicon, in file order."""
    return _table().countries


def country_names() -> Mapping[str, str]:
    """Code -> nominative Russian name ("KZ" -> "Казахстан"), read-only."""
    return _table().names


def country_name(code: str) -> str:
    """The nominative Russian name of a country code, or the code itself when unknown."""
    return _table().names.get(code, code)


@lru_cache(maxsize=8192)
def code_of_part(part: str) -> str | None:
    """The country one word part names ("Казахстанско", "туркменской", "КНР"), else None."""
    low = fold(part)
    table = _table()
    if low.startswith(table.not_country):
        return None
    if low in table.parts:
        return table.parts[low]
    for stem, code in table.stems:
        if low.startswith(stem):
            return code
    return None


def codes_of_word(word: str) -> list[str]:
    """Countries a word names, one per hyphenated part, in order ("казахстанско-туркменско-иранская" -> KZ TM IR)."""
    out: list[str] = []
    for part in word.split("-"):
        code = code_of_part(part)
        if code is not None and code not in out:
            out.append(code)
    return out
