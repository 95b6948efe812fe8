"""Dates and periods: header dates, day-month dates resolved by weekday, periods of figures.

The yargy grammars of ``extractor.offline.date_grammar`` find what the text writes; this module
turns it into ISO values. Nothing here invents a date: a day and month without a year get a year
only from the publication date or from the weekday the text states, a month alone only from a
publication date in or after that month of the same year; otherwise the date stays unknown.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import re
from collections.abc import Iterator

from extractor.lexicon import months
from extractor.offline.date_grammar import (
    MONTHS,
    WEEKDAYS,
    DateHit,
    date_hits,
    month_of,
    period_hits,
)

__all__ = [
    "MONTHS",
    "reference_day",
    "reading_day",
    "find_period",
    "month_number",
    "parse_iso",
    "relative_date",
    "resolve_year",
    "text_date",
]


_READING_DAY: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar(
    "extractor_reading_day", default=None
)


@contextlib.contextmanager
def reading_day(day: dt.date | None) -> Iterator[None]:
    """Read articles against ``day`` inside the block (``Settings.today``); None means today."""
    token = _READING_DAY.set(day)
    try:
        yield
    finally:
        _READING_DAY.reset(token)


def reference_day() -> dt.date:
    """The day an article with no publication date is read against: ``reading_day``, else today.

    Pinning it (``Settings.today``, from EXTRACTOR_TODAY) makes a run reproducible: the
    evaluation and the tests pin the day the gold was annotated, so "в пятницу, 9 августа"
    resolves the same way next year.
    """
    return _READING_DAY.get() or dt.date.today()


def month_number(word: str) -> int | None:
    """The month number of a Russian month name in any case ("августа" -> 8)."""
    return month_of(word)


def resolve_year(
    month: int, day: int, weekday: int | None, published: dt.date | None
) -> int | None:
    """The year of a day-month date the text gives without one.

    With a weekday, the most recent year whose date falls on that weekday and is not after the
    publication date, within the year before it (news reports recent events: "во вторник,
    4 марта" in an article of January 2024 is not 2014); without a publication date, the most
    recent such year before today. Without a weekday, the publication year (the year before when
    the date would be after publication). None when nothing supports a year.
    """
    limit = published or reference_day()
    max_days_back = 366 if published is not None else 12 * 366
    if weekday is None:
        if published is None:
            return None
        year = published.year
        try:
            return year if dt.date(year, month, day) <= published else year - 1
        except ValueError:
            return None
    for year in range(limit.year, limit.year - 12, -1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if d <= limit and d.weekday() == weekday and (limit - d).days <= max_days_back:
            return year
    return None


def _stated_year(year: int | None, relative: int | None, published: dt.date | None) -> int | None:
    """The year a hit writes out, or names relative to a known publication year."""
    if year is not None:
        return year
    if relative is not None and published is not None:
        return published.year + relative
    return None


def _day_date(hit: DateHit, day: int, published: dt.date | None) -> str | None:
    """The ISO value of a day date, its year stated, relative or resolved; None without one."""
    year = _stated_year(hit.year, hit.relative_year, published)
    if year is None:
        year = resolve_year(hit.month, day, hit.weekday, published)
    if year is None:
        return None
    try:
        return dt.date(year, hit.month, day).isoformat()
    except ValueError:
        return None


def _month_year(month: int, published: dt.date | None) -> int | None:
    """The year of a month named alone: the publication year once that month has begun."""
    if published is not None and month <= published.month:
        return published.year
    return None


def text_date(sentence: str, published: dt.date | None) -> tuple[str, str] | None:
    """The first date a sentence states, as (ISO value, precision), or None.

    A day date wins over a month ("в октябре 2025 года"); the first day date decides, so a
    later date of another event never stands in for one whose year is unknown.
    """
    hits = date_hits(sentence)
    day = next((h for h in hits if h.day is not None), None)
    if day is not None and day.day is not None:
        value = _day_date(day, day.day, published)
        return (value, "day") if value else None
    for hit in hits:
        year = _stated_year(hit.year, hit.relative_year, published)
        if year is None:
            year = _month_year(hit.month, published)
        if year is not None:
            return f"{year:04d}-{hit.month:02d}", "month"
    return None


def parse_iso(value: str | None) -> dt.date | None:
    """A date from an ISO 'YYYY-MM-DD' string, or None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def find_period(
    sentence: str, published: dt.date | None
) -> tuple[str, str | None, str | None] | None:
    """The period a sentence's figures refer to: (text as written, ISO start, ISO end) or None."""
    hits = period_hits(sentence)
    if not hits:
        return None
    hit = hits[0]
    text = sentence[hit.start : hit.end]
    year = _stated_year(hit.year, hit.relative_year, published)
    if hit.kind == "months":
        if year is None or hit.months is None:
            return text, None, None
        return text, f"{year:04d}-01", f"{year:04d}-{hit.months:02d}"
    if hit.kind == "month" and hit.month is not None:
        last = hit.month_end or hit.month
        if year is None:
            year = _month_year(last, published)
        if year is None or last < hit.month:
            return text, None, None
        return text, f"{year:04d}-{hit.month:02d}", f"{year:04d}-{last:02d}"
    if hit.kind.startswith("part") and hit.months is not None:
        size = int(hit.kind.removeprefix("part"))
        first, last = (hit.months - 1) * size + 1, hit.months * size
        if year is None or last > 12:
            return text, None, None
        return text, f"{year:04d}-{first:02d}", f"{year:04d}-{last:02d}"
    if hit.kind == "year":
        return (text, str(year), str(year)) if year is not None else (text, None, None)
    if hit.kind == "until" and hit.year_end is not None:
        return text, None, str(hit.year_end)
    if hit.kind == "years" and hit.year is not None and hit.year_end is not None:
        if hit.year < hit.year_end:
            return text, str(hit.year), str(hit.year_end)
        return text, None, None
    if hit.kind == "since" and year is not None:
        return text, f"{year:04d}-01", None
    return text, None, None


_RELATIVE_DAYS = months.relative_days()
# "вчера", "накануне", "во вторник" (a weekday with no day and month after it: "во вторник, 4 марта" is a
# date the grammar reads).
_RELATIVE = re.compile(
    r"(?<![а-яё])(?P<rel>позавчера|вчера|сегодня|"
    # "накануне" alone is the day before; "накануне визита" is the eve of another event
    r"накануне(?!\s+[а-яё]+(?:а|я|ов|ей|ий|и)(?![а-яё])))(?![а-яё])"
    r"|(?<![а-яё])во?\s+(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)"
    r"(?![а-яё])(?!,?\s+\d)",
    re.IGNORECASE,
)
_WEEKDAY_FORMS = {"среду": "среда", "пятницу": "пятница", "субботу": "суббота"}


def relative_date(sentence: str, published: dt.date | None) -> dt.date | None:
    """The day a sentence names relative to its publication: "вчера", "во вторник" (that week).

    A weekday is the most recent such day not after the publication date. None without a
    publication date or such a word.
    """
    if published is None:
        return None
    m = _RELATIVE.search(sentence)
    if m is None:
        return None
    if m.group("rel"):
        return published + dt.timedelta(days=_RELATIVE_DAYS[m.group("rel").lower()])
    word = m.group("wd").lower()
    weekday = WEEKDAYS[_WEEKDAY_FORMS.get(word, word)]
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)
