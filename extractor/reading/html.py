"""Web pages: main text, title and site name through trafilatura, the publication date through htmldate.

Nothing here touches the network: trafilatura and htmldate get the markup (never a URL to fetch),
and a page's own URL (``<link rel="canonical">``, ``og:url``) is only read for the date it holds.
Both libraries import lazily (about 0.3 s), so plain-text articles never pay for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractor.reading.header import byline_date

_HTML_START = re.compile(
    r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta)\b", re.I | re.S
)
# htmldate without its extensive search: meta tags (article:published_time, og, Dublin Core,
# itemprop), JSON-LD (NewsArticle datePublished), the URL, <time> and elements marked as dates.
# The extensive search reads any date in the body ("соглашение от 12 января 2024 года") and
# guesses from a bare year, so it is off: a visible byline date ("14 марта 2025, 10:20" in an
# element marked as a date or byline) is read by ``_visible_date`` instead.
_DATE_PARAMS = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": "%Y-%m-%d",
}


@dataclass(frozen=True, slots=True)
class Page:
    """What a web page says of itself: its main text and, when stated, title, site and date."""

    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


def looks_like_html(text: str) -> bool:
    """Tell whether the text is an HTML page rather than plain text."""
    return bool(_HTML_START.match(text[:4096]))


def read_page(html: str) -> Page:
    """Read an HTML page: trafilatura's main text, title, site name, and htmldate's date.

    Navigation, headers, footers, sidebars, comments, scripts and styles never reach the text.
    The site name is the page's own (``og:site_name``, JSON-LD publisher), else its host name.

    Args:
        html: The page's markup, already decoded.

    Returns:
        The page's main text (empty when it has none) and what its markup states.
    """
    import trafilatura

    doc: Any = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
        date_extraction_params=dict(_DATE_PARAMS),
    )
    if doc is None:
        return Page(text="")
    text = (doc.text or "").strip()
    outlet = doc.sitename or doc.hostname or None
    return Page(
        text=text,
        title=_clean(doc.title),
        outlet=_clean(outlet),
        published=doc.date or _visible_date(html),
    )


_DATE_MARK = "date time publish byline posted meta".split()
_DATE_ELEMENTS = " | ".join(
    f"//*[contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
    f"'abcdefghijklmnopqrstuvwxyz'), '{w}') or contains(@id, '{w}') or contains(@itemprop, '{w}')]"
    for w in _DATE_MARK
)


def _visible_date(html: str) -> str | None:
    """The first full date written alone in an element marked as a date, byline or time."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (ValueError, TypeError):
        return None
    for node in tree.xpath(_DATE_ELEMENTS)[:50]:
        words = " ".join(node.text_content().split())
        if 0 < len(words) <= 60 and (found := byline_date(words)):
            return found
    return None


def html_to_text(html: str) -> str:
    """The main text of an HTML page, as the backends see it."""
    return read_page(html).text


def _clean(value: str | None) -> str | None:
    """A metadata string with its whitespace collapsed, or None when blank."""
    if not value:
        return None
    value = " ".join(value.split())
    return value or None
