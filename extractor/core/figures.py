"""The figure engine: every numeric expression of a Russian news text, found and normalised.

Public API (stable; acceptance tests call it exactly so):

* :func:`find_figures` - every figure of a text, left to right, as :class:`Figure` records whose
  ``text[start:end]`` covers the number, its scale and unit words and any qualifier.
* :func:`locate` - the figures that state a given value in a given unit (never a vague one).
* :func:`nearest` - when :func:`locate` finds nothing, the figure the caller most likely meant
  and a short reason, so that a re-ask can be told what the article does say.

Vague amounts ("несколько миллионов евро", "сотни тысяч рублей", "миллиарды долларов") are
figures with ``vague=True``, qualifier ``at_least`` (unless another is written) and the lower
bound the words guarantee as value: "несколько" and a plural mean two or more, so
"несколько миллионов" is 2e6, "десятки" 20, "сотни тысяч" 2e5. :func:`locate` never returns
them: a precise number must not be verified by "несколько миллионов".

Values are in base units: "1,5 млн тонн" -> ``1500000.0`` ``t``; "$1 млрд" -> ``1e9`` ``USD``.
Dates ("9 августа", "25-27 июня") carry the day of month as value; years ("2025 году",
"2026-2027 годы") the year. Pure functions: no I/O, no global state beyond compiled patterns and
a small result cache.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from extractor.core.figure_parse import parse_all
from extractor.core.matching import REL_TOL, Slip, decade_gap, slip_of, states, unit_matches
from extractor.core.units import canonical_unit
from schemas.enums import FigureKind, Qualifier

__all__ = ["Figure", "find_figures", "locate", "nearest", "REL_TOL"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One numeric expression of a text.

    Attributes:
        start: Offset of the first character (a qualifier, sign or currency symbol if any).
        end: Offset after the last character (the unit word, or "в год" of a rate).
        value: The value in base units (the lower bound of a range; the day of a date).
        value_max: The upper bound of a range, else ``None``.
        unit: Canonical unit (see :mod:`extractor.core.units`), ``None`` for counts, dates and years.
        qualifier: How the text hedges the value ("около" -> about, "до" -> up_to, ...).
        kind: money, percent, quantity, duration, count, ratio, date or year.
        text: The surface, ``text[start:end]``.
        per: The period of a rate ("20 млн тонн в год" -> ``"year"``), else ``None``.
        vague: ``True`` for a vague amount ("несколько миллионов евро"): ``value`` is only the
            lower bound the words guarantee, and :func:`locate` never returns the figure.
    """

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str | None
    qualifier: Qualifier
    kind: FigureKind
    text: str
    per: str | None = None
    vague: bool = False


def find_figures(text: str) -> list[Figure]:
    """Return every figure of ``text``, in order of appearance.

    Args:
        text: The article text; offsets of the result point into this exact string.

    Returns:
        A new list of :class:`Figure` records, non-overlapping, sorted by ``start``.
    """
    return list(_find_cached(text))


@lru_cache(maxsize=64)
def _find_cached(text: str) -> tuple[Figure, ...]:
    """Cache per text: the verifier calls :func:`locate` once per metric of the same article."""
    return tuple(
        Figure(
            start=p.start,
            end=p.end,
            value=_tidy(p.value),
            value_max=None if p.value_max is None else _tidy(p.value_max),
            unit=p.unit,
            qualifier=p.qualifier,
            kind=p.kind,
            text=text[p.start : p.end],
            per=p.per,
            vague=p.vague,
        )
        for p in parse_all(text)
    )


def _tidy(x: float) -> float:
    """Round away binary noise of scaling ("1,1 млн" is 1100000.0, not 1100000.0000000002)."""
    return float(f"{x:.12g}")


def locate(
    text: str,
    value: float,
    unit: str | None,
    *,
    kinds: Collection[FigureKind] | None = None,
    value_max: float | None = None,
) -> list[Figure]:
    """Return the figures of ``text`` that state ``value`` in ``unit``; empty when none does.

    What "state" means (tolerance, sign, range, rate units) is the one rule of
    :mod:`extractor.core.matching`.

    Args:
        text: The article text.
        value: The value in base units (1.5e6 for "1,5 млн тонн").
        unit: A canonical unit ("USD", "%", "t"), an alias ("usd", "тонн", "$") or ``None`` for
            a bare count; a rate may be given as "t/year".
        kinds: Only figures of these kinds (for instance to keep dates out of bare counts).
        value_max: The upper bound of a range; then only a range with the same two magnitudes
            (in either order) states it.

    Returns:
        The matching figures in text order (relative tolerance 1e-6); never a vague amount
        ("несколько миллионов" states no number a metric could be checked against).
    """
    wanted = canonical_unit(unit)
    return [
        f
        for f in _find_cached(text)
        if not f.vague
        and states(f, value, wanted, value_max)
        and (kinds is None or f.kind in kinds)
    ]


def _fmt(v: float) -> str:
    """Format a value compactly for a reason message."""
    return f"{v:g}"


def _range(fig: Figure) -> str:
    """Format a figure's value or range for a reason message."""
    return _fmt(fig.value) if fig.value_max is None else f"{_fmt(fig.value)}–{_fmt(fig.value_max)}"


def _vague_distance(fig: Figure, value: float) -> float:
    """How far ``value`` is from what a vague amount allows: 0 from its lower bound up to 5x it.

    "несколько миллионов" (2e6) allows 2e6..1e7: "несколько" is two to nine, and x5 of the
    lower bound is where the next order of magnitude starts.
    """
    v = abs(value)
    if v == 0 or fig.value == 0:
        return math.inf
    lo, hi = abs(fig.value), abs(fig.value) * 5
    if lo <= v < hi:
        return 0.0
    return abs(math.log(v / (lo if v < lo else hi)))


def nearest(
    text: str, value: float, unit: str | None, *, value_max: float | None = None
) -> tuple[Figure, str] | None:
    """Name the figure a caller most likely meant when :func:`locate` finds nothing.

    Preference, best first (the slip classes of :mod:`extractor.core.matching`): a range with
    one bound right (when ``value_max`` is given); the same value in another unit (or with no unit); the same unit
    with the value off by a power of ten (a scale slip: "млн" for "млрд"); the same unit with
    the closest value (relative difference), where a vague amount in the same unit competes
    with the distance of the value from its lower bound (none when the value is in the range
    the words allow: 2e6..1e7 for "несколько миллионов") and the reason ``"the text only says
    'несколько миллионов евро'"``. A vague amount is never ``"exact"``. Dates and years are
    only offered for a bare count.

    Args:
        text: The article text.
        value: The value sought, in base units.
        unit: The unit sought (canonical or alias, as for :func:`locate`).
        value_max: The upper bound of the range sought, if any.

    Returns:
        ``(figure, reason)`` with a short human reason such as ``"same number in RUB, not
        USD"``, ``"exact"`` when the value is in fact stated, or ``None`` when the text has no
        figure in that unit nor that value in any unit.
    """
    wanted = canonical_unit(unit)
    figures = _find_cached(text)
    best: tuple[tuple[int, float], Figure, str] | None = None

    def offer(rank: int, dist: float, fig: Figure, why: str) -> None:
        nonlocal best
        if best is None or (rank, dist) < best[0]:
            best = ((rank, dist), fig, why)

    for fig in figures:
        if wanted is not None and fig.kind in (FigureKind.date, FigureKind.year):
            continue
        if fig.vague:
            if unit_matches(fig, wanted):
                offer(
                    Slip.near, _vague_distance(fig, value), fig, f"the text only says '{fig.text}'"
                )
            continue
        if states(fig, value, wanted, value_max):
            return fig, "exact"
        slip = slip_of(fig, value, wanted, value_max)
        if slip is None:
            continue
        kind, dist = slip
        if kind is Slip.other_range:
            why = f"one bound right, the range in the text is {_range(fig)}"
        elif kind is Slip.other_unit:
            why = f"same number in {fig.unit or 'no unit'}, not {wanted or 'no unit'}"
        elif kind is Slip.scale:
            why = f"same digits, scale off by 10^{decade_gap(value, fig.value)}"
        else:
            why = f"closest value in {wanted or 'no unit'}: {_fmt(fig.value)}"
        offer(kind, dist, fig, why)
    if best is None:
        return None
    return best[1], best[2]
