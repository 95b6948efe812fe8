"""A figure as the parser reads it, before its surface text, and the pairing of range ends.

Kept apart from :mod:`extractor.core.figure_parse` (the scanner) so that the record it builds
and the one rule that runs over its whole output stay small and readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.enums import FigureKind, Qualifier


@dataclass(frozen=True, slots=True)
class Parsed:
    """A figure before it gets its surface text."""

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str | None
    qualifier: Qualifier
    kind: FigureKind
    per: str | None
    vague: bool = False


_FROM_RE = re.compile(r"(?<![\w-])(?:с|со|от)[ \u00a0]+$", re.IGNORECASE)
_TO_RE = re.compile(r"[ \u00a0]+до[ \u00a0]", re.IGNORECASE)


def share_units(text: str, figs: list[Parsed]) -> list[Parsed]:
    """Give "с 10,6 млрд до 11,3 млрд долларов" its unit on both ends (a change, not a range)."""
    for i in range(len(figs) - 1):
        a, b = figs[i], figs[i + 1]
        if a.unit is not None or a.kind is not FigureKind.count or b.unit is None:
            continue
        to = _TO_RE.match(text, a.end)
        if to is None or b.start > to.end():
            continue
        if not _FROM_RE.search(text, max(0, a.start - 8), a.start):
            continue
        if a.value == 0 or not (0.01 <= b.value / a.value <= 100):
            continue
        figs[i] = Parsed(
            a.start, a.end, a.value, a.value_max, b.unit, a.qualifier, b.kind, None, a.vague
        )
    return figs
