"""Files and pages to an Article: the one string every backend sees and every offset points into.

``text`` decodes bytes (BOMs, legacy Cyrillic code pages, binary files refused); ``html`` reads a
web page through trafilatura and htmldate; ``header`` reads what the top of the text says of the
article (a ``date YYYY-MM-DD`` line, a byline date, the headline, the outlet); ``datelines`` reads
an agency dateline ("БАКУ, 21 августа /Trend/").

A publication date reaches the article, first found wins: the page's markup (htmldate), a first
line `` date YYYY-MM-DD``, a byline line that is a full date ("18 апреля 2025, 16:05"), a
dateline (without a year: the most recent such day not after ``today``: ``Settings.today``, from
``EXTRACTOR_TODAY``, else the real today).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import InputError
from extractor.reading.datelines import Dateline, find_dateline
from extractor.reading.header import byline_date, header_date, headline, outlet_named
from extractor.reading.html import html_to_text, looks_like_html, read_page
from extractor.reading.text import decode, language_warnings

__all__ = [
    "Article",
    "Dateline",
    "article_from_text",
    "decode",
    "html_to_text",
    "language_warnings",
    "looks_like_html",
    "read_article",
]


@dataclass(frozen=True, slots=True)
class Article:
    """One article: its text (the only string offsets refer to) and what is known of it."""

    text: str
    path: str | None = None
    encoding: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    warnings: tuple[str, ...] = ()
    dateline: Dateline | None = None
    """The agency dateline ("АШХАБАД, 11 ноя — МИР 24."): its span holds no figure or event."""

    @property
    def sha256(self) -> str:
        """SHA-256 of the text as UTF-8: the identity of the article's content."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def article_from_text(
    text: str,
    path: str | None = None,
    encoding: str | None = None,
    today: dt.date | None = None,
) -> Article:
    """Build an Article from text or an HTML page, with its date, title and outlet.

    A web page is reduced to trafilatura's main text; its title, site name and publication date
    (htmldate) come from the markup and win over what the text's top lines say. Text that is not
    Russian gets a warning. ``today`` (``Settings.today``; None: the real today) is the day a
    dateline without a year is read against.

    Raises:
        InputError: There is no article text (empty, whitespace only, or an empty HTML page).
    """
    warnings: list[str] = []
    title = outlet = published = None
    if looks_like_html(text):
        page = read_page(text)
        text, title, outlet, published = page.text, page.title, page.outlet, page.published
        warnings.append("read as an HTML page: the main text was extracted with trafilatura")
    if not text.strip():
        raise InputError(path, "the article is empty", hint="give a file with article text")
    warnings.extend(language_warnings(text))
    reference = today or dt.date.today()
    dateline = find_dateline(text, reference)
    published = published or header_date(text) or byline_date(text)
    if published is None and dateline is not None and dateline.published:
        published = dateline.published
        if not dateline.year_stated:
            warnings.append(
                f"the dateline states no year: publication date taken as {published}, the most "
                f"recent such day not after {reference.isoformat()} (set EXTRACTOR_TODAY to the "
                "day the article was collected to pin it)"
            )
    return Article(
        text=text,
        path=path,
        encoding=encoding,
        title=title or headline(text),
        outlet=outlet or (dateline.agency if dateline else None) or outlet_named(text),
        published=published,
        warnings=tuple(warnings),
        dateline=dateline,
    )


def read_article(path: str | Path, today: dt.date | None = None) -> Article:
    """Read a file into an Article (text, encoding, publication date, title, outlet).

    ``today`` (``Settings.today``) is the day a dateline without a year is read against.

    Raises:
        InputError: The file is missing, a directory, empty, binary, or unreadable.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(p), "no such file", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(str(p), "is a directory", hint="use `extractor extract DIR`") from None
    except PermissionError:
        raise InputError(str(p), "permission denied", hint="make the file readable") from None
    text, encoding = decode(data, str(p))
    return article_from_text(text, path=str(p), encoding=encoding, today=today)
