"""Meeting place rules of the offline backend, on planted texts."""

from __future__ import annotations

import pytest

from extractor.backends.offline import OfflineBackend
from extractor.pipeline import run
from extractor.reading import article_from_text
from schemas.enums import MeetingFormat


@pytest.fixture(scope="module")
def backend() -> OfflineBackend:
    return OfflineBackend()


def test_phone_call_has_no_place_even_when_a_city_is_named(backend: OfflineBackend) -> None:
    text = (
        " date 2025-06-06 Президент Узбекистана Шавкат Мирзиёев провел телефонный разговор с "
        "Президентом Кыргызстана Садыром Жапаровым. Лидеры обсудили договоренности, достигнутые "
        "в ходе государственного визита Шавката Мирзиёева в Бишкек. Стороны договорились "
        "провести заседание совета в Бишкеке."
    )
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.format is MeetingFormat.phone_call
    assert meeting.location.city is None and meeting.location.country is None


@pytest.mark.parametrize(
    "dateline", ["Баку, 21 августа, АЗЕРТАДЖ", "БАКУ, 21 августа. /АЗЕРТАДЖ/."]
)
def test_agency_dateline_gives_the_place(backend: OfflineBackend, dateline: str) -> None:
    text = (
        f"{dateline}\n\nПрезидент Азербайджана Ильхам Алиев и Президент Узбекистана Шавкат "
        "Мирзиёев провели переговоры. Стороны обсудили развитие транспортного коридора."
    )
    [meeting] = run(article_from_text(text), backend).meetings
    assert (meeting.location.city, meeting.location.country) == ("Баку", "AZ")


def test_a_date_line_without_a_known_city_gives_no_place(backend: OfflineBackend) -> None:
    text = (
        "Вторник, 4 марта\n\nПрезидент Казахстана Касым-Жомарт Токаев провел переговоры с "
        "Президентом Узбекистана Шавкатом Мирзиёевым."
    )
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.location.city is None


def test_signing_sentence_without_a_document_list_does_not_crash(backend: OfflineBackend) -> None:
    text = (
        "Президент Казахстана Касым-Жомарт Токаев провел переговоры с Президентом Узбекистана "
        "Шавкатом Мирзиёевым. По итогам встречи были подписаны итоговые материалы. Стороны "
        "условились рассмотреть вопрос об открытии новых авиарейсов."
    )
    result = run(article_from_text(text), backend)
    assert any(a.status.value == "under_consideration" for a in result.agreements)
