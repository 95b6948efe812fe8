"""Sectors (``data/sectors.json``): the sector of a document from the words of its title.

Read by the offline backend ("соглашение о строительстве ГЭС" -> "энергетика").
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.lexicon._files import LexiconError, read

__all__ = ["rules", "sector_of", "version"]


@lru_cache(maxsize=1)
def _table() -> tuple[str, tuple[tuple[re.Pattern[str], str], ...]]:
    data = read("sectors")
    out = []
    for number, rule in enumerate(data["rules"], 1):
        if not (isinstance(rule, list) and len(rule) == 2 and all(rule)):
            raise LexiconError(
                f"lexicon sectors.json rule {number} is not [pattern, sector]", hint="fix it"
            )
        try:
            compiled = re.compile(rf"(?<![\w-]){rule[0]}", re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(
                f"lexicon sectors.json rule {number}: {exc}", hint="fix the pattern"
            ) from None
        out.append((compiled, str(rule[1])))
    return str(data["version"]), tuple(out)


def version() -> str:
    """The version of the sectors lexicon."""
    return _table()[0]


def rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The (pattern, sector) rules, in file order."""
    return _table()[1]


def sector_of(title: str) -> str | None:
    """The sector a title names first ("соглашение о строительстве ГЭС" -> "энергетика"), or None."""
    best: tuple[int, int, str] | None = None
    for rank, (pattern, sector) in enumerate(rules()):
        m = pattern.search(title)
        if m is not None and (best is None or (m.start(), rank) < best[:2]):
            best = (m.start(), rank, sector)
    return best[2] if best else None
