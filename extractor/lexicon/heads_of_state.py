"""Heads of state of the region and its partners on a stated date (``data/heads_of_state.json``).

Who "Глава государства" and a bare surname are when the text names no country (offline backend).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from extractor.lexicon._files import read
from extractor.lexicon.folding import fold

__all__ = ["Head", "as_of", "head_of", "heads", "version"]


@dataclass(frozen=True, slots=True)
class Head:
    """One head of state or government: lookup key (name or surname), role and country."""

    key: str
    role: str
    country: str


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    as_of: dt.date
    heads: Mapping[str, Head]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = read("heads_of_state")
    found = {fold(h["key"]): Head(fold(h["key"]), h["role"], h["country"]) for h in data["heads"]}
    return _Table(
        str(data["version"]), dt.date.fromisoformat(data["as_of"]), MappingProxyType(found)
    )


def version() -> str:
    """The version of the heads-of-state lexicon."""
    return _table().version


def as_of() -> dt.date:
    """The day the table describes: who held each office then."""
    return _table().as_of


def heads() -> Mapping[str, Head]:
    """Every entry by its key (lower case, ё as е), read-only."""
    return _table().heads


def head_of(name: str) -> Head | None:
    """The known head of state a person name is: by full name first, then by surname."""
    if not name.strip():
        return None
    table = _table().heads
    return table.get(fold(name)) or table.get(fold(name.split()[-1]))
