"""Kinds of infrastructure project (``data/project_kinds.json``): kind patterns and head nouns.

One table for both sides: consolidation reads a project's kind from its name (``kinds``, first
match wins); the offline backend finds projects from their head nouns (``heads``), each of which
declares the kind its canonical head is read as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.lexicon._files import LexiconError, read
from extractor.lexicon.folding import fold

__all__ = ["Head", "Kind", "heads", "kind_of", "kinds", "version"]


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of project and the pattern (on the lower-case name) that names it."""

    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Head:
    """A head noun projects are found from (offline backend).

    Attributes:
        head: The canonical head a project name is built on ("железная дорога").
        kind: The kind that head is read as ("railway").
        sector: The sector of such projects ("транспорт").
        pattern: A regular expression for the head in any case form.
        anaphor: A regular expression for how later sentences refer back to it.
    """

    head: str
    kind: str
    sector: str
    pattern: str
    anaphor: str


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    kinds: tuple[Kind, ...]
    heads: tuple[Head, ...]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = read("project_kinds")
    found = tuple(Kind(k["kind"], re.compile(k["pattern"])) for k in data["kinds"])
    known = {k.kind for k in found} | {"other"}
    head_list = tuple(
        Head(h["head"], h["kind"], h["sector"], h["pattern"], h["anaphor"]) for h in data["heads"]
    )
    for h in head_list:
        if h.kind not in known:
            raise LexiconError(
                f"lexicon project_kinds.json: head {h.head!r} has unknown kind {h.kind!r}",
                hint=f"use one of {sorted(known)}",
            )
    return _Table(str(data["version"]), found, head_list)


def version() -> str:
    """The version of the project-kind lexicon."""
    return _table().version


def kinds() -> tuple[Kind, ...]:
    """The kinds, in the order they are tried."""
    return _table().kinds


def heads() -> tuple[Head, ...]:
    """The head nouns, in the order they are tried."""
    return _table().heads


def kind_of(name: str) -> str:
    """Kind of infrastructure a project name states ('railway', 'road', ...), or 'other'."""
    low = fold(name)
    for k in _table().kinds:
        if k.pattern.search(low):
            return k.kind
    return "other"
