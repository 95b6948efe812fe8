"""Web pages as outlets publish them: date, title and site from the markup, only the story as text.

Every page is written here by hand; each states its date one way (meta tag, JSON-LD, URL,
<time>, a visible byline) and carries navigation and sidebar junk with figures of its own that
must never reach the text the backend sees. The network is blocked (pytest-socket): reading a
page must not need it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import extract_text
from extractor.config import Settings
from extractor.reading import article_from_text, html_to_text, read_article

STORY = (
    "<h1>Премьер-министры Казахстана и Узбекистана обсудили поставки зерна</h1>"
    "<p>Премьер-министры Казахстана и Узбекистана обсудили поставки зерна и транзит грузов "
    "через порт Актау.</p>"
    "<p>Товарооборот двух стран за девять месяцев вырос на 14% и достиг 3,2 млрд долларов.</p>"
    "<p>Стороны договорились довести поставки казахстанской пшеницы до 1,5 млн тонн в год.</p>"
)
JUNK = (
    "<header><nav><a href='/'>Главная</a> <a href='/economy'>Экономика</a>"
    "<a href='/world'>Мир</a></nav></header>"
    "<aside class='sidebar'><h3>Популярное</h3><ul>"
    "<li><a href='/a'>Курс доллара вырос на 12% за неделю</a></li>"
    "<li><a href='/b'>Экспорт нефти достиг 90 млн тонн</a></li></ul></aside>"
    "<footer><p>© Информационный портал, 2025. Все права защищены.</p>"
    "<p>Подписчиков: 250 тысяч</p></footer>"
    "<script>window.tracker = {views: 777};</script>"
)
JUNK_FIGURES = ("12%", "90 млн", "250 тысяч", "777", "Популярное", "Главная", "©")


def page(head: str = "", before_story: str = "", title: str = "Новость | Портал") -> str:
    """A whole page: head tags, navigation and sidebar junk, the story in an <article>."""
    return (
        "<!DOCTYPE html><html lang='ru'><head><meta charset='utf-8'>"
        f"<title>{title}</title>{head}</head><body>{JUNK[: JUNK.index('<aside')]}"
        f"<main><article>{before_story}{STORY}</article></main>"
        f"{JUNK[JUNK.index('<aside') :]}</body></html>"
    )


CASES = [
    pytest.param(
        page(
            "<meta property='og:site_name' content='Kazinform'>"
            "<meta property='article:published_time' content='2025-03-14T10:20:00+05:00'>"
        ),
        "2025-03-14",
        "Kazinform",
        id="article:published_time meta and og:site_name",
    ),
    pytest.param(
        page(
            '<script type=\'application/ld+json\'>{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "headline": "Премьер-министры обсудили поставки зерна", '
            '"datePublished": "2025-06-05T09:00:00+05:00", '
            '"publisher": {"@type": "Organization", "name": "Kun.uz"}}</script>'
        ),
        "2025-06-05",
        "Kun.uz",
        id="JSON-LD NewsArticle",
    ),
    pytest.param(
        page("<link rel='canonical' href='https://trend.az/business/2025/08/21/grain-talks'>"),
        "2025-08-21",
        "trend.az",
        id="canonical URL with the date, host as outlet",
    ),
    pytest.param(
        page(before_story="<time datetime='2024-11-11T12:00'>11 ноября, 12:00</time>"),
        "2024-11-11",
        None,
        id="<time datetime>",
    ),
    pytest.param(
        page(before_story="<div class='byline'>14 марта 2025, 10:20</div>"),
        "2025-03-14",
        None,
        id="visible byline date only",
    ),
]


@pytest.mark.parametrize(("html", "published", "outlet"), CASES)
def test_page_date_and_outlet_come_from_the_markup(
    tmp_path: Path, html: str, published: str, outlet: str | None
) -> None:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    article = read_article(path)
    assert article.published == published
    if outlet is not None:
        assert article.outlet == outlet
    assert article.title is not None
    assert "обсудили поставки зерна" in article.title


@pytest.mark.parametrize(("html", "published", "outlet"), CASES)
def test_navigation_and_sidebar_figures_never_reach_the_text(
    html: str, published: str, outlet: str | None
) -> None:
    text = html_to_text(html)
    assert "Товарооборот двух стран за девять месяцев вырос на 14% и достиг 3,2 млрд" in text
    assert "1,5 млн тонн" in text
    for junk in JUNK_FIGURES:
        assert junk not in text


def test_a_date_in_the_story_is_not_taken_for_the_publication_date() -> None:
    html = page(before_story="<p>Соглашение от 12 января 2024 года вступило в силу.</p>")
    assert article_from_text(html).published is None


def test_the_page_title_wins_over_the_site_suffix_and_offsets_point_into_the_main_text() -> None:
    html = page(
        "<meta property='og:title' content='Премьер-министры обсудили поставки зерна'>"
        "<meta property='article:published_time' content='2025-03-14'>",
        title="Премьер-министры обсудили поставки зерна | Портал",
    )
    result = extract_text(html, path="page.html", settings=Settings(backend="offline"))
    assert result.source.title == "Премьер-министры обсудили поставки зерна"
    assert result.source.published == "2025-03-14"
    assert result.source.chars == len(html_to_text(html))
    text = html_to_text(html)
    verified = result.verified_metrics()
    assert verified
    for metric in verified:
        span = metric.verification
        assert span.start is not None and span.end is not None
        assert text[span.start : span.end] == span.surface
    assert all(m.value != 90_000_000 for m in result.metrics)
