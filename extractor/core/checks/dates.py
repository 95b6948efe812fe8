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
from extractor.lexicon import months
from schemas.enums import FigureKind
from schemas.records import DateValue, FieldCheck, Period

# The header line the reader writes ("date 2025-11-25"); a dateline stands near the top.
DATELINE_CHARS = 400
_HEADER = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = re.compile(r"(\d{1,4})[.\-/](\d{1,2})(?:[.\-/](\d{2,4}))?")
_YEAR = re.compile(r"\b(\d{4})\b")
_MONTH_WORD = re.compile(r"[А-Яа-яЁё]+")
_WEEKDAY_REACH = 25
_YEAR_REACH = 12
# "АШХАБАД, 11 ноя —": a day and a month word or its first three letters.
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s+([А-Яа-яЁё]{3,})\.?")
# A weekday written in the same passage as a day ("АШХАБАД, 11 ноя — ... во вторник провели").
WEEKDAY_NEAR = 300
# Words that date an event relative to the day of the article (its dateline or publication).
RELATIVE_DAYS = months.relative_days()
_SAME_DAY = re.compile(r"того\s+же\s+дня|в\s+тот\s+же\s+день", re.IGNORECASE)
RELATIVE_YEARS = months.relative_years()


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
    spans = [(f.start, f.end) for f in find_figures(text) if f.kind is FigureKind.date]
    taken = {a for a, _ in spans}
    for m in _DAY_MONTH.finditer(text):
        if m.start() not in taken and month_of(m.group(2)) is not None:
            spans.append(m.span())
    for start, end in sorted(spans):
        surface = text[start:end]
        day, month, year = _parts(surface)
        if month is None:
            continue
        if year is None:
            after = text[end : end + _YEAR_REACH]
            if (y := _YEAR.match(after.lstrip(" ,"))) is not None:
                year = int(y.group(1))
        before = fold(text[max(0, start - _WEEKDAY_REACH) : start])
        weekday = _weekday_in(before)
        out.append(DateHit(start, end, day, month, year, weekday))
    return out


def month_of(word: str) -> int | None:
    """The month a word names, in any case form or cut to three letters ("ноя" -> 11)."""
    for lemma in lemmas(word):
        if lemma in MONTHS:
            return MONTHS[lemma]
    low = fold(word)
    if len(low) == 3:
        return next((n for name, n in MONTHS.items() if name[:3] == low), None)
    return None


def _weekday_in(passage: str) -> int | None:
    return next(
        (
            n
            for w in _MONTH_WORD.findall(passage)
            for lemma in lemmas(w)
            if (n := WEEKDAYS.get(lemma)) is not None
        ),
        None,
    )


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
        if (month := month_of(word)) is not None:
            return day, month, None
    return day, None, None


def publication(
    doc: Text, published: str | None = None
) -> tuple[dt.date, tuple[int, int] | None] | None:
    """The publication date: the header line (with its span), else the page's metadata."""
    m = _HEADER.match(doc.text)
    if m is None:
        try:
            return (dt.date.fromisoformat(published), None) if published else None
        except ValueError:
            return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return day, (m.start(1), m.end(3))


def check_date(
    path: str, date: DateValue, doc: Text, published: str | None = None
) -> FieldCheck | None:
    """Check a meeting's date at the precision it claims.

    Args:
        path: The field's path ("date").
        date: The value to check.
        doc: The article.
        published: The publication date from the page's metadata, when the text has no header.
    """
    if date.value is None:
        return None
    parts = [int(x) for x in date.value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return unsupported(path, f"{date.value} is not a calendar date")
    pub = publication(doc, published)
    if month is None:
        spans = [m.span(1) for m in _YEAR.finditer(doc.text) if int(m.group(1)) == year]
        if spans:
            return supported(path, spans[0], doc.text, "the year written")
        return unsupported(path, f"the year {year} is not written in the article")
    hits = date_hits(doc)
    header = pub[1] if pub is not None else None
    body = [h for h in hits if header is None or h.start > header[0] + 1]
    same = [h for h in body if h.month == month and (day is None or h.day == day)]
    with_year = [h for h in same if h.year == year]
    if with_year:
        return supported(path, (with_year[0].start, with_year[0].end), doc.text, "the date")
    if pub is not None and (pub[0].year, pub[0].month) == (year, month):
        # Only when the article dates nothing itself ("3 марта" dates the event, not the header).
        if (day is None or pub[0].day == day) and not [h for h in body if h.day is not None]:
            return inferred(path, "the publication date", pub[1])
    yearless = [h for h in same if h.year is None]
    if yearless:
        return _yearless(path, date.value, year, month, day, yearless[0], doc, pub)
    relative = _relative(path, year, month, day, doc, body, pub)
    if relative is not None:
        return relative
    if day is None:
        return _month(path, year, month, doc, pub)
    said = [h for h in same if h.year is not None] or body
    what = f"; the text says «{doc.text[said[0].start : said[0].end]}»" if said else ""
    return unsupported(path, f"{date.value} is not a date the article writes or implies{what}")


def _yearless(
    path: str,
    value: str,
    year: int,
    month: int,
    day: int | None,
    hit: DateHit,
    doc: Text,
    pub: tuple[dt.date, tuple[int, int] | None] | None,
) -> FieldCheck:
    """A day and month written without a year: the weekday, the publication year, or none."""
    span = (hit.start, hit.end)
    weekday = hit.weekday
    if weekday is None and day is not None:
        weekday = _weekday_in(fold(doc.text[hit.end : hit.end + WEEKDAY_NEAR]))
    if weekday is not None and day is not None:
        if dt.date(year, month, day).weekday() == weekday:
            return inferred(path, f"the weekday written with the day falls on it in {year}", span)
        return unsupported(
            path,
            f"the weekday written with «{doc.text[hit.start : hit.end]}» does not fall on {value}",
        )
    if pub is not None:
        if pub[0].year == year:
            return inferred(path, f"the day as written, in the publication year {year}", span)
        return unsupported(
            path, f"«{doc.text[hit.start : hit.end]}» in an article published in {pub[0].year}"
        )
    return inferred(path, "the day as written; the article states no year for it", span)


def _relative(
    path: str,
    year: int,
    month: int,
    day: int | None,
    doc: Text,
    body: list[DateHit],
    pub: tuple[dt.date, tuple[int, int] | None] | None,
) -> FieldCheck | None:
    """Date a day counted ("вчера", "накануне", "того же дня") from the article's own day."""
    if day is None:
        return None
    # (year or None when the article states none, month, day, what)
    anchors: list[tuple[int | None, int, int, str]] = []
    if pub is not None:
        anchors.append((pub[0].year, pub[0].month, pub[0].day, "the publication date"))
    if body and body[0].start < DATELINE_CHARS:
        known = body[0].year or (pub[0].year if pub is not None else None)
        dateline = "the dateline" + ("" if known else " (the article states no year)")
        anchors.append((known, body[0].month, body[0].day or 0, dateline))
    words = {fold(w.text) for w in doc.words}
    offsets = [(n, w) for w, n in RELATIVE_DAYS.items() if w in words]
    if _SAME_DAY.search(doc.text):
        offsets.append((0, "того же дня"))
    target = dt.date(year, month, day)
    for anchor_year, anchor_month, anchor_day, what in anchors:
        for n, word in offsets:
            try:
                anchor = dt.date(anchor_year or year, anchor_month, anchor_day)
            except ValueError:
                continue
            if anchor + dt.timedelta(days=n) == target:
                spans = doc.find(word.split()[0])
                span = (spans[0].start, spans[0].end) if spans else None
                return inferred(path, f"«{word}» counted from {what}", span)
    return None


def _month(
    path: str,
    year: int,
    month: int,
    doc: Text,
    pub: tuple[dt.date, tuple[int, int] | None] | None,
) -> FieldCheck:
    """A month written with its year, or with "прошлого года" counted from the publication."""
    for w in doc.words:
        if not w.text[:1].isalpha() or month_of(w.text) != month or len(w.low) < 3:
            continue
        after = doc.text[w.end : w.end + 40]
        if (m := _YEAR.match(after.lstrip(" ,"))) is not None and int(m.group(1)) == year:
            return supported(path, (w.start, w.end + 40), doc.text, "the month and year")
        rel = next(
            (
                n
                for word in _MONTH_WORD.findall(after)[:2]
                for lemma in lemmas(word)
                if (n := RELATIVE_YEARS.get(lemma)) is not None
            ),
            None,
        )
        if rel is not None and (pub is None or pub[0].year + rel == year):
            base = "the publication year" if pub is not None else "an undated article's year"
            return inferred(
                path, f"the month as written, its year counted from {base}", (w.start, w.end)
            )
        if rel is None and (pub is None or pub[0].year == year):
            return inferred(
                path, "the month as written, in the year of the article", (w.start, w.end)
            )
    return unsupported(path, f"{year}-{month:02d} is not a month the article writes or implies")


def check_period(path: str, period: Period, doc: Text) -> FieldCheck:
    """A period: its words stand in the text in a row, each in any case form."""
    spans = doc.find_phrase(period.text)
    if spans:
        return supported(path, spans[0], doc.text, "the period as written")
    return unsupported(path, f"the period «{period.text}» is not written in the article")
