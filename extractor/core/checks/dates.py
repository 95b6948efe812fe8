"""Dates: a date expression of the text, the dateline, or the publication date in the header.

A date the text writes with its year is supported. A day and month the text writes without a
year are inferred from the publication year in the header, or from a weekday written with them
("в пятницу, 9 августа": the year whose 9 August is a Friday). The publication date itself,
when it is the record's date, is inferred ("the date of publication"). A weekday that does not
fall on the date, or a year the text states otherwise, leaves it unsupported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractor.core.checks.gazetteer import MONTHS, WEEKDAYS
from extractor.core.checks.text import Text, fold, inferred, lemmas, supported, unsupported
from extractor.core.figures import find_figures
from schemas.enums import FigureKind
from schemas.records import DateValue, FieldCheck, Period

# The header line the reader writes ("date 2025-11-25") and a byline date near the top.
HEADER_CHARS = 200
_HEADER = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = re.compile(r"(\d{1,4})[.\-/](\d{1,2})(?:[.\-/](\d{2,4}))?")
_YEAR = re.compile(r"\b(\d{4})\b")
_MONTH_WORD = re.compile(r"[А-Яа-яЁё]+")
_WEEKDAY_REACH = 25
_YEAR_REACH = 12


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date the text writes: its span and the parts it states."""

    start: int
    end: int
    day: int | None
    month: int
    year: int | None
    weekday: int | None


def date_hits(doc: Text) -> list[DateHit]:
    """Every date expression of the text with day, month and (when written) year."""
    out: list[DateHit] = []
    text = doc.text
    for fig in find_figures(text):
        if fig.kind is not FigureKind.date:
            continue
        surface = text[fig.start : fig.end]
        day, month, year = _parts(surface)
        if month is None:
            continue
        if year is None:
            after = text[fig.end : fig.end + _YEAR_REACH]
            if (m := _YEAR.match(after.lstrip(" ,"))) is not None:
                year = int(m.group(1))
        before = fold(text[max(0, fig.start - _WEEKDAY_REACH) : fig.start])
        weekday = next(
            (
                n
                for w in _MONTH_WORD.findall(before)
                for lemma in lemmas(w)
                if (n := WEEKDAYS.get(lemma)) is not None
            ),
            None,
        )
        out.append(DateHit(fig.start, fig.end, day, month, year, weekday))
    return out


def _parts(surface: str) -> tuple[int | None, int | None, int | None]:
    m = _NUMERIC.search(surface)
    if m is not None and m.group(3) is None and len(m.group(1)) == 4:
        return None, int(m.group(2)), int(m.group(1))
    if m is not None:
        a, b, c = m.group(1), m.group(2), m.group(3)
        if len(a) == 4 and c is not None:  # 2025-11-25
            return int(c), int(b), int(a)
        year = None if c is None else int(c) + (2000 if len(c) == 2 else 0)
        return int(a), int(b), year
    day = next((int(x) for x in re.findall(r"\d{1,2}", surface)), None)
    for word in _MONTH_WORD.findall(surface):
        for lemma in lemmas(word):
            if lemma in MONTHS:
                return day, MONTHS[lemma], None
    return day, None, None


def publication(doc: Text) -> tuple[dt.date, tuple[int, int]] | None:
    """The publication date from the header line, with its span."""
    m = _HEADER.match(doc.text)
    if m is None:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return day, (m.start(1), m.end(3))


def check_date(path: str, date: DateValue, doc: Text) -> FieldCheck | None:
    """Check a meeting's date at the precision it claims."""
    if date.value is None:
        return None
    parts = [int(x) for x in date.value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    pub = publication(doc)
    hits = [h for h in date_hits(doc) if h.month == month and (day is None or h.day == day)]
    if month is None:
        spans = [m.span(1) for m in _YEAR.finditer(doc.text) if int(m.group(1)) == year]
        if spans:
            return supported(path, spans[0], doc.text, "the year written")
        return unsupported(path, f"the year {year} is not written in the article")
    in_header = [h for h in hits if pub is not None and h.start <= pub[1][0] + 1]
    body = [h for h in hits if h not in in_header]
    with_year = [h for h in body if h.year == year]
    if with_year:
        return supported(path, (with_year[0].start, with_year[0].end), doc.text, "the date")
    stated_other = [h for h in body if h.year is not None and h.year != year]
    yearless = [h for h in body if h.year is None]
    if yearless and day is not None:
        hit = yearless[0]
        span = (hit.start, hit.end)
        weekday = dt.date(year, month, day).weekday()
        if hit.weekday is not None:
            if hit.weekday == weekday:
                return inferred(
                    path, f"the weekday written with the day falls on it in {year}", span
                )
            return unsupported(
                path,
                f"the text writes a weekday with «{doc.text[hit.start : hit.end]}» that does "
                f"not fall on {date.value}",
            )
        if pub is not None and pub[0].year == year:
            return inferred(path, f"the day as written, in the publication year {year}", span)
        if pub is None and not stated_other:
            return inferred(path, "the day as written; the article states no year for it", span)
    if pub is not None and pub[0].year == year and pub[0].month == month:
        if day is None or pub[0].day == day:
            return inferred(path, "the publication date in the header", pub[1])
    seen = stated_other or body or in_header
    what = f"; the text says «{doc.text[seen[0].start : seen[0].end]}»" if seen else ""
    return unsupported(path, f"{date.value} is not a date the article writes or implies{what}")


def check_period(path: str, period: Period, doc: Text) -> FieldCheck:
    """A period: its words stand in the text in a row, each in any case form."""
    spans = doc.find_phrase(period.text)
    if spans:
        return supported(path, spans[0], doc.text, "the period as written")
    return unsupported(path, f"the period «{period.text}» is not written in the article")
