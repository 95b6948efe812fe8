"""Agency datelines as outlets write them: place, day (with or without a year), agency."""

from __future__ import annotations

import datetime as dt

import pytest

from extractor import extract_text
from extractor.config import Settings
from extractor.reading import article_from_text
from extractor.reading.datelines import find_dateline

REFERENCE = dt.date(2026, 11, 21)
STORY = " Президент Туркменистана Сердар Бердымухамедов провел переговоры с гостем."


@pytest.mark.parametrize(
    ("line", "place", "published", "agency", "span"),
    [
        (
            "Астана, 14 марта 2025 года.",
            "Астана",
            "2025-03-14",
            None,
            "Астана, 14 марта 2025 года.",
        ),
        ("Астана, 14 марта 2025 г.", "Астана", "2025-03-14", None, "Астана, 14 марта 2025 г."),
        ("Астана. 13 марта.", "Астана", "2026-03-13", None, "Астана. 13 марта."),
        ("Баку, 21 августа.", "Баку", "2026-08-21", None, "Баку, 21 августа."),
        (
            "Астана, 14 марта (Kazinform).",
            "Астана",
            "2026-03-14",
            "Kazinform",
            "Астана, 14 марта (Kazinform).",
        ),
        ("БАКУ, 21 августа /Trend/", "Баку", "2026-08-21", "Trend", "БАКУ, 21 августа /Trend/"),
        (
            "Ташкент, 5 июня – Kun.uz.",
            "Ташкент",
            "2026-06-05",
            "Kun.uz",
            "Ташкент, 5 июня – Kun.uz.",
        ),
        (
            "АШХАБАД, 11 ноя — МИР 24.",
            "Ашхабад",
            "2026-11-11",
            "МИР 24",
            "АШХАБАД, 11 ноя — МИР 24.",
        ),
        ("Баку, 21 августа, АЗЕРТАДЖ.", "Баку", "2026-08-21", "АЗЕРТАДЖ", None),
        ("ТАШКЕНТ, 5 мая. /Дунё/.", "Ташкент", "2026-05-05", "Дунё", None),
        ("Алматы. 5 мая. Kazinform -", "Алматы", "2026-05-05", "Kazinform", None),
        (
            "НУР-СУЛТАН, 3 декабря 2020 г. — Интерфакс.",
            "Нур-Султан",
            "2020-12-03",
            "Интерфакс",
            None,
        ),
        # No year: the most recent such day not after the reference day (2026-11-21).
        ("Душанбе, 21 декабря.", "Душанбе", "2025-12-21", None, None),
        ("Бишкек, 21 ноября.", "Бишкек", "2026-11-21", None, None),
        ("Ашхабад, 5 сент. 2024 г.", "Ашхабад", "2024-09-05", None, None),
        # A place and an agency without a day.
        ("АСТАНА. KAZINFORM –", "Астана", None, "KAZINFORM", "АСТАНА. KAZINFORM –"),
    ],
)
def test_dateline_forms(
    line: str, place: str, published: str | None, agency: str | None, span: str | None
) -> None:
    text = f"Заголовок новости о переговорах\n\n{line}{STORY}"
    found = find_dateline(text, REFERENCE)
    assert found is not None
    assert found.place == place
    assert found.published == published
    assert found.agency == agency
    assert text[found.start : found.end] == (span or line)


def test_a_dateline_on_a_line_of_its_own() -> None:
    text = "Заголовок новости\n\nБаку, 21 августа, АЗЕРТАДЖ\n\nПрезиденты провели переговоры."
    found = find_dateline(text, REFERENCE)
    assert found is not None
    assert (found.place, found.published, found.agency) == ("Баку", "2026-08-21", "АЗЕРТАДЖ")


@pytest.mark.parametrize(
    "text",
    [
        "Президент Казахстана провел переговоры 14 марта.",
        "Сегодня, 5 марта, в Астане прошли переговоры.",
        "Во вторник, 4 марта, Глава государства принял гостя.",
        # A sentence after the dash is the story, not an agency.
        "В Баку 21 августа прошли переговоры.",
        # Far down the article a line that looks like one is not the dateline.
        "Заголовок\n\n" + "Текст новости. " * 80 + "\nБаку, 21 августа.",
    ],
)
def test_not_a_dateline(text: str) -> None:
    assert find_dateline(text, REFERENCE) is None


def test_a_sentence_after_the_dash_is_not_an_agency() -> None:
    text = "Баку, 21 августа — Президент Азербайджана Ильхам Алиев принял гостя."
    found = find_dateline(text, REFERENCE)
    assert found is not None
    assert found.agency is None
    assert text[found.start : found.end] == "Баку, 21 августа"


def test_dateline_sets_publication_date_and_outlet_of_the_article() -> None:
    text = "Переговоры в Астане\n\nАстана, 14 марта (Kazinform)." + STORY
    article = article_from_text(text, today=dt.date(2026, 4, 1))
    assert article.published == "2026-03-14"
    assert article.outlet == "Kazinform"
    assert any("states no year" in w for w in article.warnings)
    assert article_from_text(text, today=dt.date(2026, 3, 1)).published == "2025-03-14"


def test_a_stated_year_needs_no_reference_and_gives_no_warning() -> None:
    article = article_from_text("Астана, 14 марта 2025 года." + STORY)
    assert article.published == "2025-03-14"
    assert not any("states no year" in w for w in article.warnings)


def test_the_date_line_of_the_header_wins_over_the_dateline() -> None:
    article = article_from_text(" date 2025-03-15 Заголовок\n\nАстана, 14 марта." + STORY)
    assert article.published == "2025-03-15"


def test_a_dateline_is_never_a_metric_and_places_the_meeting() -> None:
    text = (
        "Президенты Туркменистана и Азербайджана провели переговоры\n\n"
        "АШХАБАД, 11 ноя — МИР 24. Президент Туркменистана Сердар Бердымухамедов и президент "
        "Азербайджана Ильхам Алиев провели переговоры. Товарооборот вырос на 20%."
    )
    result = extract_text(text, settings=Settings(backend="offline", today=REFERENCE))
    assert [(m.value, m.unit) for m in result.metrics] == [(20.0, "%")]
    assert result.source.published == "2026-11-11"
    assert result.source.outlet == "МИР 24"
    (meeting,) = result.meetings
    assert meeting.date.value == "2026-11-11"
    assert meeting.location.city == "Ашхабад"
