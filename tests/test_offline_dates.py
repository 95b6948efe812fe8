"""Dates and periods of the offline backend (yargy grammars) on planted sentences."""

import datetime as dt

import pytest

from extractor.offline.date_grammar import date_hits, period_hits
from extractor.offline.dates import find_period, month_number, resolve_year, text_date

PUB = dt.date(2025, 11, 20)


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # weekday + day + month, no year: the weekday picks the year up to the publication date
        ("В пятницу, 9 августа в Астане прошли переговоры", None, ("2024-08-09", "day")),
        ("В среду, 5 марта президенты встретились", dt.date(2025, 3, 10), ("2025-03-05", "day")),
        ("в четверг, 28 декабря состоялась встреча", dt.date(2024, 1, 5), ("2023-12-28", "day")),
        ("ВО ВТОРНИК, 4 МАРТА", None, ("2025-03-04", "day")),
        # a day and month alone take the publication year (the year before if later than it)
        ("9 августа в Астане", dt.date(2025, 8, 20), ("2025-08-09", "day")),
        ("28 декабря в Ашхабаде", dt.date(2025, 1, 10), ("2024-12-28", "day")),
        ("9 августа в Астане", None, None),
        # stated years, ranges: the first day
        ("9 августа 2024 года в Астане", None, ("2024-08-09", "day")),
        ("Форум пройдет 25-27 июня 2024 года", None, ("2024-06-25", "day")),
        ("Форум прошел 25–27 июня 2024 г. в Хиве", None, ("2024-06-25", "day")),
        ("Дни культуры прошли с 25 по 27 июня 2024 года", None, ("2024-06-25", "day")),
        (
            "25-27 июня текущего года состоялись Дни культуры",
            dt.date(2024, 8, 9),
            ("2024-06-25", "day"),
        ),
        ("25-27 июня текущего года состоялись Дни культуры", None, None),
        ("Визит пройдет с 30 июня по 2 июля 2025 года", None, ("2025-06-30", "day")),
        ("Визит прошел 30 июня – 2 июля 2025 г.", None, ("2025-06-30", "day")),
        # numeric dates
        ("Соглашение подписано 9.08.2024 в Астане", None, ("2024-08-09", "day")),
        ("Встреча 09.08.2024 г. в Бишкеке", None, ("2024-08-09", "day")),
        # a month: its year stated, or the publication year once that month has begun
        ("в октябре 2025 года состоится саммит", None, ("2025-10", "month")),
        ("В октябре стороны провели консультации", PUB, ("2025-10", "month")),
        ("В декабре стороны проведут консультации", PUB, None),
        ("В октябре стороны провели консультации", None, None),
        # a day date wins over a month, and the first day date decides
        ("в октябре 2024 года, а затем 15 мая 2025 года", None, ("2025-05-15", "day")),
        ("9 августа, а не 15 мая 2025 года", None, None),
    ],
)
def test_text_date(sentence: str, published: dt.date | None, expected: object) -> None:
    assert text_date(sentence, published) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Транспортный коридор Север – Юг соединит Россию и Иран",
        "Объем перевозок составил 1,5 млн тонн, рост на 12,3%",
        "Казахстан закупит истребители Су-35 и вертолеты Ми-8",
        "В 2025 году товарооборот вырос",  # a year is a period, not the date of an event
        "31 июня 2024 года",  # no such day
        "9 августа 2000 человек вышли на площадь",  # 2000 without "года" is not a year
    ],
)
def test_no_date_is_invented(sentence: str) -> None:
    assert text_date(sentence, None) is None


def test_year_not_taken_from_a_figure() -> None:
    assert text_date("9 августа 2000 человек вышли на площадь", PUB) == ("2025-08-09", "day")


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("за 10 месяцев текущего года", PUB, ("за 10 месяцев текущего года", "2025-01", "2025-10")),
        ("за 10 месяцев текущего года", None, ("за 10 месяцев текущего года", None, None)),
        (
            "Товарооборот за первые девять месяцев 2024 года вырос на 5%",
            None,
            ("за первые девять месяцев 2024 года", "2024-01", "2024-09"),
        ),
        ("в течение 10 месяцев", PUB, ("в течение 10 месяцев", None, None)),
        ("В 2025 году объем вырос", None, ("В 2025 году", "2025", "2025")),
        ("по итогам 2024 года", None, ("по итогам 2024 года", "2024", "2024")),
        ("в прошлом году", PUB, ("в прошлом году", "2024", "2024")),
        ("в прошлом году", None, ("в прошлом году", None, None)),
        ("план на 2026-2027 годы", None, ("на 2026-2027 годы", "2026", "2027")),
        ("Программа 2026–2027 гг. утверждена", None, ("2026–2027 гг.", "2026", "2027")),
        ("с 2026 по 2027 год", None, ("с 2026 по 2027 год", "2026", "2027")),
        ("довести до 10 млрд долларов к 2030 году", None, ("к 2030 году", None, "2030")),
        ("в октябре", PUB, ("в октябре", "2025-10", "2025-10")),
        ("в декабре", PUB, ("в декабре", None, None)),
        ("в октябре 2024 года", None, ("в октябре 2024 года", "2024-10", "2024-10")),
        (
            "за январь-октябрь 2025 года",
            None,
            ("за январь-октябрь 2025 года", "2025-01", "2025-10"),
        ),
        (
            "в первом полугодии 2024 года",
            None,
            ("в первом полугодии 2024 года", "2024-01", "2024-06"),
        ),
        (
            "за третий квартал 2024 года",
            None,
            ("за третий квартал 2024 года", "2024-07", "2024-09"),
        ),
        ("с начала года", PUB, ("с начала года", None, None)),
        ("с начала текущего года", PUB, ("с начала текущего года", "2025-01", None)),
    ],
)
def test_find_period(sentence: str, published: dt.date | None, expected: object) -> None:
    assert find_period(sentence, published) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Транспортный коридор Север – Юг",
        "Объем составил 1,5 млн тонн",
        "истребители Су-35",
        "9 августа в Астане",
        "2000 человек",
    ],
)
def test_no_period_is_invented(sentence: str) -> None:
    assert find_period(sentence, PUB) is None


def test_spans_are_offsets_into_the_text() -> None:
    text = "Как сообщалось, в пятницу, 9 августа в Астане, а за 10 месяцев 2024 года рост 5%."
    (date,) = date_hits(text)
    assert text[date.start : date.end] == "пятницу, 9 августа"
    (period,) = period_hits(text)
    assert text[period.start : period.end] == "за 10 месяцев 2024 года"


def test_matches_far_apart_in_a_long_sentence() -> None:
    filler = " ".join(["слово"] * 40)
    text = f"В 2024 году {filler} 15 мая 2025 года {filler} за 10 месяцев 2025 года"
    assert [text[h.start : h.end] for h in date_hits(text)] == ["15 мая 2025 года"]
    assert [text[h.start : h.end] for h in period_hits(text)] == [
        "В 2024 году",
        "за 10 месяцев 2025 года",
    ]


def test_month_number_by_lemma() -> None:
    assert [month_number(w) for w in ("августа", "мая", "Марта", "май", "декабре")] == [
        8,
        5,
        3,
        5,
        12,
    ]
    assert month_number("ма") is None


def test_resolve_year_unchanged() -> None:
    assert resolve_year(8, 9, 4, None) == 2024
    assert resolve_year(8, 9, None, dt.date(2025, 8, 20)) == 2025
    assert resolve_year(8, 21, None, dt.date(2025, 8, 20)) == 2024
    assert resolve_year(2, 30, None, PUB) is None


def test_weekday_year_stays_within_the_year_before_publication() -> None:
    from extractor.offline.dates import resolve_year

    # Tuesday 4 March: 2025 and 2014. Published in January 2024, neither is a recent event.
    assert resolve_year(3, 4, 1, dt.date(2024, 1, 5)) is None
    assert resolve_year(3, 4, 1, dt.date(2025, 11, 1)) == 2025
    # Without a publication date, the most recent such year before today.
    assert resolve_year(8, 9, 4, None) == 2024


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("Накануне в Нукусе состоялось заседание рабочей группы.", "2025-06-04"),
        ("Накануне, 4 июня, министры провели переговоры.", "2025-06-04"),
        ("Вчера министры провели переговоры.", "2025-06-04"),
        # the eve of another event is no day relative to the publication
        ("Накануне визита министры провели консультации.", None),
    ],
)
def test_nakanune_alone_is_the_day_before_the_publication(sentence: str, day: str | None) -> None:
    from extractor.offline.dates import relative_date

    found = relative_date(sentence, dt.date(2025, 6, 5))
    assert (found.isoformat() if found else None) == day
