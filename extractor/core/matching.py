"""The one rule for "does this figure of the text state that value": tolerance, range, sign, unit, slips.

:func:`extractor.core.figures.locate`, :func:`extractor.core.figures.nearest` and
:func:`extractor.core.verify.verify_metric` all decide through these functions; nothing else
compares a figure with a value.

The rule, in full:

* **value**: two numbers are equal within the relative tolerance :data:`REL_TOL` (1e-6: base
  units are large, "1,5 млн тонн" is 1500000, and parsing adds binary noise only).
* **sign**: magnitudes are compared. Russian news states a fall with a word and a positive
  number ("снизился на 3%"), so a metric of -3 % is stated by "3%", and a figure written with its
  own sign ("-3%") states 3 as well. The sign is reported, not matched: :func:`sign_conflict`
  tells the verifier when the text writes a negative number and the metric says it is positive
  (the only case where the text itself contradicts the sign).
* **range**: a single value is stated by either bound of a range ("38–56%" states 38 and 56);
  a range (``value`` .. ``value_max``) is stated only by a range with the same two magnitudes,
  in either order: "3–5%" states 3..5, 5..3, -3..-5 and -5..-3.
* **unit**: canonical units are equal, or the figure is a rate and the unit is written with its
  period ("20 млн тонн в год" states ``t`` and ``t/year``).
* **slips** (for a figure that does not state the value): a range with one bound right, the
  same number in another unit, the same digits off by a power of ten (a scale slip), or a value
  within :data:`NEAR_FACTOR` of it.
  A slip is reported as a mismatch with the figure named; anything further off is not found.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import Protocol

__all__ = [
    "NEAR_FACTOR",
    "REL_TOL",
    "Slip",
    "Stated",
    "close",
    "decade_gap",
    "is_slip",
    "range_matches",
    "sign_conflict",
    "slip_of",
    "states",
    "unit_matches",
    "value_matches",
]

# Relative tolerance of every value comparison.
REL_TOL = 1e-6
# A value within this factor of a figure in the text is a slip ("1,4 млн" for "1,5 млн"), reported
# as a mismatch with that figure; further off, it is an invention (not_found).
NEAR_FACTOR = 1.25
_ABS_TOL = 1e-12


class Stated(Protocol):
    """What the rule reads of a figure: its value or range, unit and the period of a rate."""

    @property
    def value(self) -> float: ...  # noqa: D102

    @property
    def value_max(self) -> float | None: ...  # noqa: D102

    @property
    def unit(self) -> str | None: ...  # noqa: D102

    @property
    def per(self) -> str | None: ...  # noqa: D102


class Slip(IntEnum):
    """How a figure relates to a value it does not state; lower is the likelier meant figure."""

    other_range = 0  # one bound of the range right, the other not
    other_unit = 1  # the same number in another unit (or none)
    scale = 2  # the same digits, off by a power of ten
    near = 3  # the closest value in the same unit


def close(a: float, b: float) -> bool:
    """Whether two values are equal within :data:`REL_TOL`."""
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=_ABS_TOL)


def value_matches(fig: Stated, value: float) -> bool:
    """Whether a figure states ``value``: either bound of a range, magnitudes compared."""
    target = abs(value)
    if close(abs(fig.value), target):
        return True
    return fig.value_max is not None and close(abs(fig.value_max), target)


def range_matches(fig: Stated, value: float, value_max: float | None) -> bool:
    """Whether the range of a figure fits ``value``..``value_max`` (always, for a single value).

    A range is stated by a range with the same two magnitudes, in either order.
    """
    if value_max is None:
        return True
    if fig.value_max is None:
        return False
    want = sorted((abs(value), abs(value_max)))
    have = sorted((abs(fig.value), abs(fig.value_max)))
    return close(want[0], have[0]) and close(want[1], have[1])


def unit_matches(fig: Stated, unit: str | None) -> bool:
    """Whether a figure is in canonical ``unit``; a rate matches its unit and ``unit/per``."""
    if fig.unit == unit:
        return True
    return fig.per is not None and fig.unit is not None and unit == f"{fig.unit}/{fig.per}"


def states(fig: Stated, value: float, unit: str | None, value_max: float | None = None) -> bool:
    """Whether a figure states ``value`` (or the range up to ``value_max``) in canonical ``unit``."""
    return (
        unit_matches(fig, unit)
        and value_matches(fig, value)
        and range_matches(fig, value, value_max)
    )


def sign_conflict(fig: Stated, value: float) -> bool:
    """Whether the text writes the figure negative ("-3%") while the value is positive."""
    written_negative = fig.value < 0 or (fig.value_max is not None and fig.value_max < 0)
    return written_negative and value > 0


def decade_gap(a: float, b: float) -> int | None:
    """Return k when ``|a| == |b| * 10**k`` for an integer k != 0 (a scale slip), else None."""
    if a == 0 or b == 0:
        return None
    k = math.log10(abs(a) / abs(b))
    r = round(k)
    if r != 0 and abs(k - r) < 1e-9:
        return r
    return None


def log_distance(a: float, b: float) -> float:
    """How far apart two magnitudes are, as ``|ln(a/b)|`` (infinite when one is zero)."""
    if a == 0 or b == 0:
        return math.inf
    return abs(math.log(abs(a) / abs(b)))


def slip_of(
    fig: Stated, value: float, unit: str | None, value_max: float | None = None
) -> tuple[Slip, float] | None:
    """The slip class of a figure that does not state ``value`` in ``unit``, and its distance.

    ``None`` when the figure is in another unit and another number: no slip, just another figure.
    """
    if value_matches(fig, value):
        if unit_matches(fig, unit) and not range_matches(fig, value, value_max):
            return Slip.other_range, 0.0
        return Slip.other_unit, 0.0
    if not unit_matches(fig, unit):
        return None
    gap = decade_gap(value, fig.value)
    if gap is not None:
        return Slip.scale, float(abs(gap))
    return Slip.near, log_distance(value, fig.value)


def is_slip(fig: Stated, value: float) -> bool:
    """A slip, not an invention: same number, a power-of-ten scale slip, or within NEAR_FACTOR."""
    if fig.value == 0 or value == 0:
        return fig.value == value
    if value_matches(fig, value) or decade_gap(value, fig.value) is not None:
        return True
    return log_distance(value, fig.value) <= math.log(NEAR_FACTOR)
