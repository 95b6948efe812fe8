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


FIGURES = (
    "Президент Казахстана Касым-Жомарт Токаев и президент Туркменистана Сердар Бердымухамедов "
    "провели совместный брифинг, передаёт BAQ.KZ.\n\n"
    "«Благодаря совместным усилиям товарооборот между нашими странами стабильно превышает "
    "полмиллиарда долларов», – отметил Токаев.\n"
    "За 10 месяцев этого года объем перевозок составил 1,5 млн тонн, увеличившись на 14%.\n"
    "Казахстанско-туркменско-иранская железная дорога рассматривается как ключевой элемент "
    "коридора Север – Юг."
)


@pytest.mark.parametrize(
    "quote",
    [
        # the speaker changed
        "Президент Узбекистана Шавкат Мирзиёев и президент Туркменистана Сердар Бердымухамедов "
        "провели совместный брифинг",
        "стабильно превышает полмиллиарда долларов», – отметил Мирзиёев",
        # a figure changed
        "За 10 месяцев этого года объем перевозок составил 1,4 млн тонн, увеличившись на 14%",
        "За 10 месяцев этого года объем перевозок составил 1,5 млн тонн, увеличившись на 41%",
        "За 11 месяцев этого года объем перевозок составил 1,5 млн тонн",
    ],
)
def test_a_quote_with_other_names_or_numbers_never_lands(quote: str) -> None:
    span = ground(quote, FIGURES)
    assert span.status is GroundingStatus.unresolved, FIGURES[span.start : span.end]


@pytest.mark.parametrize(
    ("quote", "sentence"),
    [
        # a word dropped
        (
            "Касым-Жомарт Токаев и Сердар Бердымухамедов провели совместный брифинг",
            "провели совместный брифинг",
        ),
        ("За 10 месяцев года объем перевозок составил 1,5 млн тонн", "объем перевозок составил"),
        (
            "железная дорога рассматривается как элемент коридора Север – Юг",
            "рассматривается как ключевой элемент",
        ),
        # two words swapped
        (
            "товарооборот между нашими странами превышает стабильно полмиллиарда долларов",
            "стабильно превышает полмиллиарда",
        ),
        (
            "объем перевозок за 10 месяцев этого года составил 1,5 млн тонн",
            "объем перевозок составил",
        ),
        (
            "Казахстанско-туркменско-иранская дорога железная рассматривается как ключевой элемент",
            "железная дорога рассматривается",
        ),
    ],
)
def test_a_quote_with_a_word_dropped_or_swapped_lands_on_its_sentence(
    quote: str, sentence: str
) -> None:
    span = ground(quote, FIGURES)
    assert span.status is GroundingStatus.fuzzy
    assert span.start is not None and span.end is not None
    home = FIGURES.index(sentence)
    line_start = FIGURES.rfind("\n", 0, home) + 1
    line_end = FIGURES.find("\n", home)
    line_end = len(FIGURES) if line_end < 0 else line_end
    assert line_start <= span.start < span.end <= line_end  # inside its own sentence
    # on word boundaries
    assert span.start == 0 or not FIGURES[span.start - 1].isalnum()
    assert span.end == len(FIGURES) or not FIGURES[span.end].isalnum()
    assert FIGURES[span.start].isalnum() and FIGURES[span.end - 1].isalnum()
