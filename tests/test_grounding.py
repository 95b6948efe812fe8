"""Planted spans: each case plants a quote variant in a text and checks where it is found."""

import pytest

from extractor.core.grounding import FUZZY_THRESHOLD, ground, normalize
from schemas.enums import GroundingStatus

TEXT = (
    "Президент Казахстана Касым-Жомарт Токаев и президент Туркменистана Сердар Бердымухамедов "
    "провели совместный брифинг, передаёт BAQ.KZ.\n\n"
    "«Благодаря совместным усилиям товарооборот между нашими странами стабильно превышает "
    "полмиллиарда долларов», – отметил Глава   государства.\n"
    "Казахстанско-туркменско-иранская железная дорога рассматривается как ключевой элемент "
    "коридора Север – Юг."
)


@pytest.mark.parametrize(
    ("quote", "status", "planted"),
    [
        # exact
        ("провели совместный брифинг", GroundingStatus.exact, "провели совместный брифинг"),
        # ё folded to е
        ("брифинг, передает BAQ.KZ", GroundingStatus.normalized, "брифинг, передаёт BAQ.KZ"),
        # quotes and dashes folded, case folded
        (
            'ПОЛМИЛЛИАРДА ДОЛЛАРОВ", - отметил',
            GroundingStatus.normalized,
            "полмиллиарда долларов», – отметил",
        ),
        ("коридора Север - Юг", GroundingStatus.normalized, "коридора Север – Юг"),
        # runs of white space folded
        ("отметил Глава государства", GroundingStatus.normalized, "отметил Глава   государства"),
        # a light paraphrase: one word changed in a long quote
        (
            "Казахстанско-туркменско-иранская железная дорога рассматривается как важный элемент",
            GroundingStatus.fuzzy,
            "Казахстанско-туркменско-иранская железная дорога рассматривается как ключевой элемент",
        ),
    ],
)
def test_quote_is_found_with_status_and_span(
    quote: str, status: GroundingStatus, planted: str
) -> None:
    span = ground(quote, TEXT)
    assert span.status is status
    assert span.start is not None and span.end is not None
    found = TEXT[span.start : span.end]
    if status is GroundingStatus.fuzzy:
        assert span.score is not None and span.score >= FUZZY_THRESHOLD
        assert (
            found.lower() in planted.lower()
            or planted.lower() in found.lower()
            or len(set(found.split()) & set(planted.split())) >= len(planted.split()) - 2
        )
    else:
        assert found == planted


@pytest.mark.parametrize(
    "quote",
    [
        "товарооборот достиг двух миллиардов долларов",  # invented
        "Президент Узбекистана Шавкат Мирзиёев провел переговоры в Ташкенте",  # other article
        "брифинг в Ашхабаде",  # short and absent: never fuzzy
    ],
)
def test_quote_not_in_text_is_unresolved(quote: str) -> None:
    span = ground(quote, TEXT)
    assert span.status is GroundingStatus.unresolved
    assert span.start is None and span.end is None


def test_repeated_quote_prefers_occurrence_near_hint() -> None:
    text = "рост на 14%. Потом снова рост на 14%."
    first = ground("рост на 14%", text)
    second = ground("рост на 14%", text, near=20)
    assert first.start == 0
    assert second.start == text.rindex("рост на 14%")


def test_normalize_keeps_offsets_back_to_original() -> None:
    text = "Ёлка  «Север – Юг»"
    norm, offsets = normalize(text)
    assert norm == 'елка "север - юг"'
    for i, ch in enumerate(norm):
        original = text[offsets[i]]
        assert ch == " " or original.lower().replace("ё", "е") == ch or ch in '"-'
    assert offsets[-1] == len(text)


def test_surrounding_quote_marks_are_trimmed_and_not_called_exact() -> None:
    span = ground("«провели совместный брифинг»", TEXT)
    assert span.status is GroundingStatus.normalized
    assert TEXT[span.start : span.end] == "провели совместный брифинг"


@pytest.mark.parametrize("quote", ["провели совместный брифинг", "Север – Юг."])
def test_exact_means_the_span_text_equals_the_quote(quote: str) -> None:
    span = ground(quote, TEXT)
    assert span.status is GroundingStatus.exact
    assert TEXT[span.start : span.end] == quote


def test_a_quote_that_starts_with_a_quote_mark_in_the_text_is_exact() -> None:
    text = "Он сказал: «Товарооборот растет». Потом ушел."
    span = ground("«Товарооборот растет»", text)
    assert span.status is GroundingStatus.exact
    assert text[span.start : span.end] == "«Товарооборот растет»"
