"""News outlets (``data/outlets.json``): the words that attribute a text, and national outlets.

Read by the reader (the outlet named in "передаёт агентство Kazinform") and by the offline
backend (the home country of a national outlet: whose "Глава государства" its texts mean).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.lexicon._files import read

__all__ = ["Attribution", "attribution", "home_country", "national", "version"]


@dataclass(frozen=True, slots=True)
class Attribution:
    """Words that introduce an outlet: verbs, outlet nouns, and the press-service phrase."""

    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    press_service: str


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    attribution: Attribution
    national: tuple[tuple[re.Pattern[str], str], ...]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = read("outlets")
    a = data["attribution"]
    return _Table(
        version=str(data["version"]),
        attribution=Attribution(
            verbs=tuple(sorted(a["verbs"], key=len, reverse=True)),
            nouns=tuple(a["nouns"]),
            press_service=str(a["press_service"]),
        ),
        national=tuple(
            (re.compile("|".join(o["patterns"]), re.IGNORECASE), str(o["country"]))
            for o in data["national"]
        ),
    )


def version() -> str:
    """The version of the outlet lexicon."""
    return _table().version


def attribution() -> Attribution:
    """The words that introduce an outlet in a text."""
    return _table().attribution


def national() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, country) of each national outlet, in file order."""
    return _table().national


def home_country(where: str) -> str | None:
    """The country of the first national outlet ``where`` names (an outlet name, a page head)."""
    for pattern, code in _table().national:
        if pattern.search(where):
            return code
    return None
