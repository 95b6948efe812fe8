"""Figure forms real news writes: case endings on digits, slash units, short months, voltages.

Every row is a sentence written for the test; each form has its own case.
"""

from __future__ import annotations

import pytest

from extractor.figures import find_figures
from schemas.enums import FigureKind as K


def only(text: str):
    figs = find_figures(text)
    assert len(figs) == 1, [(text[f.start : f.end], f.value) for f in figs]
    f = figs[0]
    return text[f.start : f.end], f.value, f.unit, f.kind, f.per


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("Потери снизили до 10-ти процентов.", "до 10-ти процентов", 10, "%"),
        ("Урожай составил около 5-ти тысяч тонн.", "около 5-ти тысяч тонн", 5000, "t"),
        ("Поставки шли из 3-х стран.", "3-х", 3, None),
        ("Работы шли 7-ми бригадами.", "7-ми", 7, None),
    ],
)
def test_digits_with_a_case_ending_of_a_cardinal(
    text: str, surface: str, value: float, unit: str | None
) -> None:
    s, v, u, _, _ = only(text)
    assert (s, v, u) == (surface, value, unit)


@pytest.mark.parametrize(
    ("text", "surface"),
    [("В 2023-м экспорт рос.", "2023-м"), ("В 2023-м году экспорт рос.", "2023-м году")],
)
def test_a_year_with_an_ordinal_ending_is_a_year(text: str, surface: str) -> None:
    s, v, _, kind, _ = only(text)
    assert (s, v, kind) == (surface, 2023, K.year)


@pytest.mark.parametrize("text", ["Итоги за 1-м квартале.", "Прошел 10-й раунд.", "5-летний план."])
def test_other_ordinals_are_no_figures(text: str) -> None:
    assert find_figures(text) == []


@pytest.mark.parametrize(
    ("text", "value", "unit", "per"),
    [
        ("Мощность терминала 400 тыс. т/год.", 400_000, "t", "year"),
        ("Пропуск до 3 тыс. т/сутки.", 3000, "t", "day"),
        ("Тариф снижен до 8 долл./т.", 8, "USD", "t"),
        ("Цена газа 320 долл./тыс. куб. м.", 320, "USD", "1000 m3"),
        ("Тариф 6 центов/кВт·ч.", 0.06, "USD", "kWh"),
    ],
)
def test_units_with_a_slash(text: str, value: float, unit: str, per: str) -> None:
    _, v, u, _, p = only(text)
    assert (round(v, 6), u, p) == (value, unit, per)


@pytest.mark.parametrize(
    "text", ["ТАШКЕНТ, 4 сен — Агентство.", "Бишкек, 12 дек. (Агентство)", "Баку, 30 янв."]
)
def test_a_dateline_with_a_short_month_is_a_date(text: str) -> None:
    _, _, _, kind, _ = only(text)
    assert kind is K.date


@pytest.mark.parametrize(
    ("text", "value"),
    [("Построят ЛЭП 220 кВ до границы.", 220), ("Линия напряжением 110 киловольт.", 110)],
)
def test_a_voltage_reads_as_kilovolts(text: str, value: float) -> None:
    _, v, u, _, _ = only(text)
    assert (v, u) == (value, "kV")


def test_a_quarter_abbreviation_is_not_a_voltage() -> None:
    assert all(f.unit != "kV" for f in find_figures("Итоги за 2 кв. 2024 года."))


@pytest.mark.parametrize("text", ["Ссылка на 24.kg обязательна.", "По данным 12.uz, рост."])
def test_a_site_name_is_no_figure(text: str) -> None:
    assert find_figures(text) == []
