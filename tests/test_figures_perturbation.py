"""Perturbation tests on the seeds: every true figure is located, every planted wrong one is not."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.core.figures import find_figures, locate, nearest
from schemas.enums import FigureKind as K

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# The figures a careful reader finds in each seed: (value, value_max, unit, kind).
TRUE_FIGURES: dict[str, list[tuple[float, float | None, str | None, K]]] = {
    "000": [
        (5e8, None, "USD", K.money),  # превышает полмиллиарда долларов
        (1e9, None, "USD", K.money),  # до одного миллиарда долларов
        (10, None, "month", K.duration),  # За 10 месяцев
        (1.5e6, None, "t", K.quantity),  # полтора миллиона тонн
        (14, None, "%", K.percent),  # увеличившись на 14%
    ],
    "001": [
        (25, None, None, K.date),  # date 2025-11-25
        (5e8, None, "USD", K.money),  # превышает полмиллиарда долларов
        (1e9, None, "USD", K.money),  # до $1 млрд
        (10, None, "month", K.duration),  # за 10 месяцев
        (1.5e6, None, "t", K.quantity),  # 1,5 млн тонн
        (14, None, "%", K.percent),  # увеличившись на 14%
        (2026, 2027, None, K.year),  # на 2026-2027 годы
    ],
    "002": [
        (9, None, None, K.date),  # 9 августа
        (1e9, None, "USD", K.money),  # до 1 млрд долларов
        (25, 27, None, K.date),  # 25-27 июня
    ],
    "003": [(1e9, None, "USD", K.money)],  # до 1 миллиарда долларов
    "004": [(15, None, None, K.date)],  # date 2025-11-15
}

MEASURED = (K.money, K.percent, K.quantity, K.duration, K.ratio)
SWAP = {"USD": "EUR", "EUR": "USD", "t": "kg", "%": "pp", "month": "year", "KZT": "RUB"}

CASES = [(seed, *fig) for seed, figs in TRUE_FIGURES.items() for fig in figs]


@pytest.mark.parametrize("seed", sorted(TRUE_FIGURES))
def test_seed_figures_are_all_found_and_nothing_else_is_measured(seed):
    figs = find_figures(_seed(seed))
    got = {(f.value, f.value_max, f.unit, f.kind) for f in figs}
    for expected in TRUE_FIGURES[seed]:
        assert expected in got, (expected, sorted(got, key=str))
    # Counts ("двух стран") may come and go; no money, percent or quantity may appear from nowhere.
    measured = sorted((f.value, f.unit) for f in figs if f.kind in MEASURED)
    wanted = sorted((v, u) for v, _, u, k in TRUE_FIGURES[seed] if k in MEASURED)
    assert measured == wanted


@pytest.mark.parametrize(("seed", "value", "value_max", "unit", "kind"), CASES)
def test_true_figure_is_located(seed, value, value_max, unit, kind):
    found = locate(_seed(seed), value, unit)
    assert any(f.kind == kind and f.value_max == value_max for f in found)


def _bump_last_digit(value: float) -> float:
    """Change the last significant digit: 1.5e6 -> 1.6e6, 14 -> 15, 1e9 -> 2e9."""
    d = Decimal(repr(value)).normalize()
    sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    last = (digits[-1] + 1) % 10 or 1
    bumped = Decimal((sign, (*digits[:-1], last), exp))
    return float(bumped)


def _perturbations(value: float, unit: str | None) -> list[tuple[str, float, str | None]]:
    out = [
        ("x10", value * 10, unit),
        ("x1000", value * 1000, unit),
        ("digit", _bump_last_digit(value), unit),
    ]
    if unit in SWAP:
        out.append(("unit", value, SWAP[unit]))
    return out


MEASURED_CASES = [c for c in CASES if c[4] in MEASURED]


@pytest.mark.parametrize(("seed", "value", "value_max", "unit", "kind"), MEASURED_CASES)
def test_perturbed_figure_is_rejected_and_nearest_names_the_true_one(
    seed, value, value_max, unit, kind
):
    text = _seed(seed)
    true_values = {(v, u) for v, _, u, _ in TRUE_FIGURES[seed]}
    for how, v, u in _perturbations(value, unit):
        assert (v, u) not in true_values, "a perturbation must not be another true figure"
        assert locate(text, v, u) == [], (how, v, u)
        near = nearest(text, v, u)
        assert near is not None, (how, v, u)
        fig, why = near
        assert why != "exact"
        if how in ("x10", "x1000", "unit"):
            # a scale slip or a unit swap points back at the very figure that was perturbed
            assert math.isclose(fig.value, value) and fig.unit == unit, (how, fig, why)


@pytest.mark.parametrize(
    ("value", "expected"), [(1.5e6, 1.6e6), (14.0, 15.0), (1e9, 2e9), (5e8, 6e8), (19.0, 11.0)]
)
def test_bump_last_digit(value, expected):
    assert _bump_last_digit(value) == expected


# Real-news forms (paraphrased from NEREL train): every true figure is located, every planted
# wrong one is rejected, both ends of a range included.
NEWS = (
    "Выручка компании выросла с 10,63 до 11,29 миллиарда долларов. Налог в 75&nbsp;% коснется "
    "богатых. Картину продали за $512,000. Штраф составит от двух до трех тысяч рублей. "
    "Итоги подведены по 95 % процентов бюллетеней. При этом в 13 раз клуб взял кубок."
)
NEWS_FIGURES = [
    (10.63e9, "USD"),
    (11.29e9, "USD"),
    (75.0, "%"),
    (512_000.0, "USD"),
    (2000.0, "RUB"),
    (3000.0, "RUB"),
    (95.0, "%"),
]


@pytest.mark.parametrize(("value", "unit"), NEWS_FIGURES)
def test_news_figure_located_and_perturbations_rejected(value, unit):
    assert locate(NEWS, value, unit), (value, unit)
    true_values = set(NEWS_FIGURES)
    for how, v, u in _perturbations(value, unit):
        if (v, u) in true_values:
            continue  # "от двух до трех тысяч": 2000 bumped is 3000, the other true end
        assert locate(NEWS, v, u) == [], (how, v, u)


def test_nth_time_is_not_a_ratio():
    assert locate(NEWS, 13, "x") == []


# Vague amounts beside definite ones (paraphrased from NEREL train): the definite figures are
# located and their perturbations rejected; no value at all is "verified" by a vague amount,
# whose lower bound and the values its words allow only come back from nearest() as a hint.
VAGUE_NEWS = (
    "Виллу планируется продать за несколько миллионов евро, а квартиру - за 1,2 млн евро. "
    "Сборы могут составить от нескольких десятков до нескольких сотен миллионов долларов. "
    "Он выделяет миллиарды долларов на программы, из них 300 млн долларов - на дороги. "
    "Ущерб оценили в сотни тысяч рублей."
)
VAGUE_DEFINITE = [(1.2e6, "EUR"), (300e6, "USD")]
VAGUE_AMOUNTS = [
    ("несколько миллионов евро", 2e6, "EUR"),
    ("от нескольких десятков до нескольких сотен миллионов долларов", 2e7, "USD"),
    ("миллиарды долларов", 2e9, "USD"),
    ("сотни тысяч рублей", 2e5, "RUB"),
]


def test_vague_news_reads_every_amount():
    figs = find_figures(VAGUE_NEWS)
    assert [(f.text, f.value, f.unit) for f in figs if f.vague] == VAGUE_AMOUNTS
    assert [(f.value, f.unit) for f in figs if not f.vague] == VAGUE_DEFINITE


@pytest.mark.parametrize(("value", "unit"), VAGUE_DEFINITE)
def test_vague_news_definite_figure_located_and_perturbations_rejected(value, unit):
    (fig,) = locate(VAGUE_NEWS, value, unit)
    assert not fig.vague
    for how, v, u in _perturbations(value, unit):
        assert locate(VAGUE_NEWS, v, u) == [], (how, v, u)


@pytest.mark.parametrize(("surface", "value", "unit"), VAGUE_AMOUNTS)
def test_vague_amount_verifies_nothing_and_is_offered_as_a_hint(surface, value, unit):
    for v in (value, value * 2, value * 4.5):  # the lower bound and values the words allow
        assert locate(VAGUE_NEWS, v, unit) == [], v
        near = nearest(VAGUE_NEWS, v, unit)
        assert near is not None
        assert near[0].text == surface and near[1] == f"the text only says '{surface}'"
    for how, v, u in _perturbations(value, unit):
        assert locate(VAGUE_NEWS, v, u) == [], (how, v, u)
