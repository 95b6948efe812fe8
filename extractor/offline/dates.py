"""Dates and periods: header dates, day-month dates resolved by weekday, periods of figures.

Nothing here invents a date: a day and month without a year get a year only from the
publication date or from the weekday the text states; otherwise the date stays unknown.
"""

from __future__ import annotations

import datetime as dt
import re

TODAY = dt.date(2026, 11, 21)
MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_MONTH_RE = r"(?P<month>январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь])"
_DAY_MONTH = re.compile(
    r"(?:(?P<weekday>понедельник|вторник|сред[ау]|четверг|пятниц[ау]|суббот[ау]|воскресенье),?\s+)?"
    r"(?<!\d)(?P<day>\d{1,2})(?:\s*[-–]\s*\d{1,2})?\s+"
    + _MONTH_RE
    + r"(?:\s+(?P<year>\d{4})\s*(?:года|г\.))?",
    re.IGNORECASE,
)
_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "сред": 2,
    "четверг": 3,
    "пятниц": 4,
    "суббот": 5,
    "воскресенье": 6,
}
_NUM_WORDS = {
    "один": 1,
    "два": 2,
    "двух": 2,
    "три": 3,
    "трех": 3,
    "трёх": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
}
_PERIOD = re.compile(
    r"(?P<text>(?:за|в течение)\s+(?:первые\s+)?(?P<n>\d{1,2}|[а-яё]+)\s+месяц[а-яё]*\s+"
    r"(?:(?P<rel>текущего|этого|прошлого)\s+года|(?P<year>\d{4})\s+года)"
    r"|(?:по итогам|в|за)\s+(?P<rel2>прошлого|прошлом|текущего|текущем|этого|этом)\s+год[ау]?"
    r"|(?:по итогам|в|за)\s+(?P<year2>\d{4})\s+год[ау]?"
    r"|(?P<to>к\s+(?P<year3>\d{4})\s+году)"
    r"|на\s+(?P<y1>\d{4})\s*[-–]\s*(?P<y2>\d{4})\s+годы"
    r"|(?:с начала года))",
    re.IGNORECASE,
)


def month_number(word: str) -> int | None:
    """The month number of a Russian month name in any case ("августа" -> 8)."""
    w = word.lower()
    for stem, n in MONTHS.items():
        if w.startswith(stem) and (stem != "ма" or w in ("мая", "май")):
            return n
    return None


def resolve_year(
    month: int, day: int, weekday: int | None, published: dt.date | None
) -> int | None:
    """The year of a day-month date the text gives without one.

    With a weekday, the most recent year not after the publication year (or, without one, before
    today) whose date falls on that weekday. Without a weekday, the publication year (the year
    before when the date would be after publication). None when nothing supports a year.
    """
    limit = published or TODAY
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
        if d <= limit and d.weekday() == weekday:
            return year
    return None


def text_date(sentence: str, published: dt.date | None) -> tuple[str, str] | None:
    """The first full date a sentence states, as (ISO value, precision), or None."""
    m = _DAY_MONTH.search(sentence)
    if not m:
        return None
    month = month_number(m.group("month"))
    day = int(m.group("day"))
    if month is None or not 1 <= day <= 31:
        return None
    if m.group("year"):
        year: int | None = int(m.group("year"))
    else:
        wd = m.group("weekday")
        weekday = None
        if wd:
            weekday = next(v for k, v in _WEEKDAYS.items() if wd.lower().startswith(k))
        year = resolve_year(month, day, weekday, published)
    if year is None:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


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
    m = _PERIOD.search(sentence)
    if not m:
        return None
    text = m.group(0)
    pub_year = published.year if published else None
    if m.group("n"):
        n_raw = m.group("n").lower()
        n = int(n_raw) if n_raw.isdigit() else _NUM_WORDS.get(n_raw)
        year = int(m.group("year")) if m.group("year") else None
        if year is None and pub_year is not None:
            year = pub_year - 1 if m.group("rel") == "прошлого" else pub_year
        if year is None or n is None:
            return text, None, None
        return text, f"{year:04d}-01", f"{year:04d}-{n:02d}"
    if m.group("rel2"):
        if pub_year is None:
            return text, None, None
        year = pub_year - 1 if m.group("rel2").startswith("прошл") else pub_year
        return text, str(year), str(year)
    if m.group("year2"):
        return text, m.group("year2"), m.group("year2")
    if m.group("year3"):
        return text, None, m.group("year3")
    if m.group("y1"):
        return text, m.group("y1"), m.group("y2")
    return text, None, None
