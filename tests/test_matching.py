"""The one figure-matching rule: a case table of every sign and range form, then end to end."""

from __future__ import annotations

import pytest

from extractor import figures
from extractor.core import matching
from extractor.core.figures import Figure, locate, nearest
from extractor.core.verify import verify
from schemas.enums import FigureKind, Qualifier, VerificationStatus
from schemas.records import Records
from tests.llm_answers import metric, records


def fig(
    value: float, value_max: float | None = None, unit: str | None = "%", per: str | None = None
) -> Figure:
    return Figure(0, 1, value, value_max, unit, Qualifier.exact, FigureKind.percent, "x", per)


# (figure as written: value, value_max) x (metric: value, value_max) -> stated?
SIGN_AND_RANGE = [
    # single values: magnitudes compared
    ((3, None), (3, None), True),
    ((3, None), (-3, None), True),  # "снизился на 3%" states a fall of -3 %
    ((-3, None), (3, None), True),  # "-3%" states 3 as well; verify notes the sign
    ((-3, None), (-3, None), True),
    ((3, None), (4, None), False),
    # a single value is stated by either bound of a range
    ((3, 5), (3, None), True),
    ((3, 5), (5, None), True),
    ((3, 5), (-5, None), True),
    ((3, 5), (4, None), False),
    # ranges: the same two magnitudes, in either order
    ((3, 5), (3, 5), True),  # ascending
    ((3, 5), (5, 3), True),  # descending
    ((3, 5), (-3, -5), True),  # "снизился на 3–5%" as a fall
    ((3, 5), (-5, -3), True),
    ((-3, -5), (3, 5), True),  # "-3…-5" in the text
    ((-3, -5), (-3, -5), True),
    ((-5, -3), (-3, -5), True),
    ((3, 5), (3, 6), False),
    ((3, 5), (-3, -6), False),
    ((3, None), (3, 5), False),  # a range is never stated by a single value
    ((3, 5), (5, 5), False),
]


@pytest.mark.parametrize(("written", "wanted", "ok"), SIGN_AND_RANGE)
def test_sign_and_range_rule(
    written: tuple[float, float | None], wanted: tuple[float, float | None], ok: bool
) -> None:
    f = fig(*written)
    assert matching.states(f, wanted[0], "%", wanted[1]) is ok


def test_tolerance_is_relative_and_exported_once() -> None:
    assert figures.REL_TOL is matching.REL_TOL
    assert matching.close(1_500_000, 1_500_000 * (1 + matching.REL_TOL / 2))
    assert not matching.close(1_500_000, 1_500_000 * (1 + matching.REL_TOL * 2))
    assert matching.states(fig(1.1e6, unit="t"), 1_100_000.0000000002, "t")


@pytest.mark.parametrize(
    ("unit", "per", "wanted", "ok"),
    [
        ("t", None, "t", True),
        ("t", "year", "t", True),
        ("t", "year", "t/year", True),
        ("t", None, "t/year", False),
        ("t", "year", "t/month", False),
        ("USD", None, "EUR", False),
        (None, None, None, True),
        (None, None, "%", False),
    ],
)
def test_unit_rule(unit: str | None, per: str | None, wanted: str | None, ok: bool) -> None:
    assert matching.states(fig(20e6, unit=unit, per=per), 20e6, wanted) is ok


@pytest.mark.parametrize(
    ("written", "value", "unit", "slip"),
    [
        (fig(3, unit="USD"), 3, "EUR", matching.Slip.other_unit),
        (fig(3, 5, unit="USD"), 5, "EUR", matching.Slip.other_unit),
        (fig(3, 5), -3, "%", matching.Slip.other_range),
        (fig(1.5e6, unit="t"), 1.5e9, "t", matching.Slip.scale),
        (fig(1.5e6, unit="t"), 1.4e6, "t", matching.Slip.near),
        (fig(1.5e6, unit="t"), 7e6, "USD", None),
    ],
)
def test_slip_classes(written: Figure, value: float, unit: str, slip: matching.Slip | None) -> None:
    found = matching.slip_of(
        written, value, unit, -6 if slip is matching.Slip.other_range else None
    )
    assert (found[0] if found else None) is slip


@pytest.mark.parametrize(
    ("written", "value", "near"),
    [
        (fig(1.5e6), 1.4e6, True),  # within NEAR_FACTOR
        (fig(1.5e6), 1.5e6 / matching.NEAR_FACTOR * 0.99, False),
        (fig(1.5e6), 1.5e3, True),  # scale slip
        (fig(3, 5), 5, True),  # the other bound of a range
        (fig(0), 0, True),
        (fig(0), 1, False),
    ],
)
def test_slip_or_invention(written: Figure, value: float, near: bool) -> None:
    assert matching.is_slip(written, value) is near


FALL = "Экспорт зерна снизился на 3–5% по сравнению с прошлым годом."


@pytest.mark.parametrize(
    ("value", "value_max", "status"),
    [
        (-3, -5, VerificationStatus.verified),
        (3, 5, VerificationStatus.verified),
        (-5, -3, VerificationStatus.verified),
        (5, 3, VerificationStatus.verified),
        (-3, None, VerificationStatus.verified),
        (-3, -6, VerificationStatus.mismatch),  # one bound right: a slip, named
        (-7, -9, VerificationStatus.not_found),
    ],
)
def test_verify_a_fall_stated_as_a_range(
    value: float, value_max: float | None, status: VerificationStatus
) -> None:
    data = records([metric("экспорт зерна", value, "%", "снизился на 3–5%", value_max=value_max)])
    [m] = verify(Records.model_validate(data), FALL).metrics
    assert m.verification.status is status, m.verification.reason
    if status is VerificationStatus.verified:
        assert m.verification.surface == "3–5%"
        assert m.verification.reason is None
    if status is VerificationStatus.mismatch:
        assert "one bound right" in (m.verification.reason or "")


def test_locate_and_nearest_share_the_rule() -> None:
    assert [f.text for f in locate(FALL, -3, "%", value_max=-5)] == ["3–5%"]
    assert locate(FALL, -3, "%", value_max=-6) == []
    found = nearest(FALL, -5, "%")
    assert found is not None and found[1] == "exact"


def test_verify_notes_a_sign_the_text_contradicts() -> None:
    text = "Индекс составил -3% за год."
    data = records([metric("индекс", 3, "%", "Индекс составил -3%")])
    [m] = verify(Records.model_validate(data), text).metrics
    assert m.verification.status is VerificationStatus.verified
    assert m.verification.reason is not None and "negative" in m.verification.reason
    data = records([metric("индекс", -3, "%", "Индекс составил -3%")])
    [m] = verify(Records.model_validate(data), text).metrics
    assert m.verification.reason is None
