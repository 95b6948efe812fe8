"""yargy grammars for the dates and periods of Russian news, built once per process.

Two parsers: one for dates ("в пятницу, 9 августа", "с 25 по 27 июня 2024 года", "9.08.2024",
"в октябре 2025 года") and one for the periods figures refer to ("за 10 месяцев текущего года",
"в 2025 году", "на 2026-2027 годы", "за январь-октябрь"). Month, weekday and number words are
matched by their pymorphy3 lemmas (the analyser the rest of the backend shares), so every case form
works without a stem table. The grammars only read the text: turning a hit into an ISO value (and
refusing to when no year is stated) is the job of ``extractor.offline.dates``.

yargy's Earley parser costs about a millisecond per sentence, so a regex prefilter lets through
only texts with a month or weekday name, a four-digit year or a period word.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractor.core.morphology import morph, parses
from extractor.lexicon import months

# Month lemma -> number: the months lexicon (the one table of month names).
MONTHS = months.by_lemma()
WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "среда": 2,
    "четверг": 3,
    "пятница": 4,
    "суббота": 5,
    "воскресенье": 6,
}
NUMBERS = {
    "один": 1,
    "два": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
}
# A year named relative to the publication year: offset in years (the months lexicon).
RELATIVE_YEARS = months.relative_years()
ORDINALS = {"первый": 1, "второй": 2, "третий": 3, "четвертый": 4, "четвёртый": 4}
# Months in a part of a year.
PART_MONTHS = {"квартал": 3, "полугодие": 6}

_MONTH_STEMS = months.stem_pattern()
_DATE_CUE = re.compile(rf"\d{{4}}|(?<![а-яё])(?:{_MONTH_STEMS})", re.IGNORECASE)
_PERIOD_CUE = re.compile(
    rf"\d{{4}}|(?<![а-яё])(?:{_MONTH_STEMS}|месяц|год|квартал|полугоди)", re.IGNORECASE
)
_TOKEN = re.compile(r"[а-яёa-z]+|\d+|\S", re.IGNORECASE)
# Tokens a match can reach before and after its cue. Dates: "в пятницу, с 25 по 27 июня" is 7
# before the month, "2025-11-25" 4 after the year. Periods: "по итогам первых девяти месяцев" is
# 4 before, "2026 - 2027 годы" 3 after.
_REACH = {"date": (7, 4), "period": (5, 3)}


@dataclass(frozen=True, slots=True)
class DateHit:
    """A date as written: character span in the parsed text and the parts it states."""

    start: int
    end: int
    day: int | None
    month: int
    year: int | None
    weekday: int | None
    relative_year: int | None


@dataclass(frozen=True, slots=True)
class PeriodHit:
    """A period as written: character span and the parts it states (bounds are resolved later)."""

    start: int
    end: int
    kind: str  # months | month | year | relative | until | years | since | part
    months: int | None = None
    month: int | None = None
    month_end: int | None = None
    year: int | None = None
    year_end: int | None = None
    relative_year: int | None = None


def lemma_value(table: Mapping[str, int]) -> Callable[[str], int | None]:
    """A function from a word in any form to the value its lemma has in ``table``."""

    def value(word: str) -> int | None:
        for parse in parses(word):
            if parse.normal_form in table:
                return table[parse.normal_form]
        return None

    return value


month_of = lemma_value(MONTHS)


class _Morph:
    """yargy's morph interface over the core's one parse cache (yargy forms memoised on top)."""

    def __init__(self) -> None:
        from yargy.morph import MorphAnalyzer, prepare_form

        self._inner = MorphAnalyzer(raw=morph())
        self.raw = self._inner.raw
        self._prepare = prepare_form
        self._forms = lru_cache(maxsize=16384)(self._wrap)

    def _wrap(self, word: str) -> list[Any]:
        return [self._prepare(p) for p in parses(word)]

    def __call__(self, word: str) -> list[Any]:
        return self._forms(word)

    def check_gram(self, gram: str) -> None:
        self._inner.check_gram(gram)

    def normalized(self, word: str) -> set[str]:
        return {form.normalized for form in self(word)}


_LOCK = threading.Lock()
_PARSERS: dict[str, Any] = {}


def _parsers() -> dict[str, Any]:
    """The date and period parsers, built on first use (about 30 ms) and shared afterwards."""
    with _LOCK:
        if not _PARSERS:
            from yargy import Parser
            from yargy.tokenizer import MorphTokenizer

            tokenizer = MorphTokenizer(morph=_Morph())
            date_rule, period_rule = _grammars()
            _PARSERS["date"] = Parser(date_rule, tokenizer=tokenizer)
            _PARSERS["period"] = Parser(period_rule, tokenizer=tokenizer)
        return _PARSERS


def _grammars() -> tuple[Any, Any]:
    """The DATE and PERIOD rules (yargy objects are built here, not at import time)."""
    from yargy import and_, or_, rule
    from yargy.interpretation import fact
    from yargy.predicates import caseless, dictionary, eq, gte, in_, in_caseless, lte, normalized
    from yargy.predicates import type as token_type

    date = fact("Date", ["day", "month", "year", "weekday", "rel"])
    period = fact("Period", ["kind", "months", "month", "month_end", "year", "year_end", "rel"])

    dash = in_({"-", "–", "—"})
    day_number = and_(token_type("INT"), gte(1), lte(31))
    month_number = and_(token_type("INT"), gte(1), lte(12))
    year_number = and_(token_type("INT"), gte(1900), lte(2100))
    year_word = or_(
        rule(in_caseless({"г", "гг"}), eq(".").optional()),
        rule(normalized("год")),
    )

    def month_name(attr: Any) -> Any:
        return dictionary(set(MONTHS)).interpretation(attr.custom(month_of))

    def relative_year(attr: Any) -> Any:
        word = dictionary(set(RELATIVE_YEARS)).interpretation(
            attr.custom(lemma_value(RELATIVE_YEARS))
        )
        return rule(word, normalized("год"))

    def stated_year(attr: Any) -> Any:
        return rule(year_number.interpretation(attr.custom(int)), year_word)

    # --- dates -------------------------------------------------------------------------------
    d_year = or_(stated_year(date.year), relative_year(date.rel))
    weekday = rule(
        dictionary(set(WEEKDAYS)).interpretation(date.weekday.custom(lemma_value(WEEKDAYS))),
        eq(",").optional(),
    )
    d_day = day_number.interpretation(date.day.custom(int))
    day_month = or_(
        rule(d_day, rule(dash, day_number).optional(), month_name(date.month)),
        rule(caseless("с"), d_day, caseless("по"), day_number, month_name(date.month)),
        # across months, "с 30 июня по 2 июля 2025 года": the year written last is the start's too
        rule(
            caseless("с").optional(),
            d_day,
            month_name(date.month),
            or_(rule(dash), rule(caseless("по"))),
            day_number,
            dictionary(set(MONTHS)),
        ),
    )
    date_rule = or_(
        rule(weekday.optional(), day_month, d_year.optional()),
        rule(
            d_day,
            eq("."),
            month_number.interpretation(date.month.custom(int)),
            eq("."),
            year_number.interpretation(date.year.custom(int)),
        ),
        rule(
            year_number.interpretation(date.year.custom(int)),
            eq("-"),
            month_number.interpretation(date.month.custom(int)),
            eq("-"),
            d_day,
        ),
        rule(in_caseless({"в", "во"}).optional(), month_name(date.month), d_year),
        rule(in_caseless({"в", "во"}), month_name(date.month)),
    ).interpretation(date)

    # --- periods: a hit without a kind is a month ("в октябре") or a whole year ("в 2025 году")
    def kind(name: str) -> Any:
        return period.kind.const(name)

    p_year = or_(stated_year(period.year), relative_year(period.rel))
    over = or_(
        rule(caseless("за")),
        rule(caseless("в"), caseless("течение")),
        rule(caseless("по"), caseless("итогам")),
    )
    into = or_(over, rule(in_caseless({"в", "во"})))
    count = or_(
        month_number.interpretation(period.months.custom(int)),
        dictionary(set(NUMBERS)).interpretation(period.months.custom(lemma_value(NUMBERS))),
    )
    months = rule(
        over,
        normalized("первый").optional(),
        count,
        normalized("месяц").interpretation(kind("months")),
        p_year.optional(),
    )
    month_span = rule(
        into,
        month_name(period.month),
        rule(dash, month_name(period.month_end)).optional(),
        p_year.optional(),
    )
    at = or_(into, rule(caseless("на")))
    part = rule(
        at,
        dictionary(set(ORDINALS)).interpretation(period.months.custom(lemma_value(ORDINALS))),
        dictionary(set(PART_MONTHS)).interpretation(period.kind.custom(_part_kind)),
        p_year.optional(),
    )
    whole_year = rule(at, p_year)
    until = rule(
        in_caseless({"к", "до"}).interpretation(kind("until")),
        stated_year(period.year_end),
    )
    first_year = year_number.interpretation(period.year.custom(int))
    last_year = year_number.interpretation(period.year_end.custom(int))
    years = or_(
        rule(
            in_caseless({"на", "в"}).optional(),
            first_year,
            dash.interpretation(kind("years")),
            last_year,
            year_word,
        ),
        rule(
            caseless("с"),
            first_year,
            caseless("по").interpretation(kind("years")),
            last_year,
            year_word,
        ),
    )
    since = rule(
        caseless("с"),
        normalized("начало").interpretation(kind("since")),
        or_(rule(normalized("год")), p_year),
    )
    period_rule = or_(months, month_span, part, whole_year, until, years, since).interpretation(
        period
    )
    return date_rule, period_rule


def _part_kind(word: str) -> str:
    """'part3' for a quarter, 'part6' for a half-year: the months in one part."""
    return f"part{lemma_value(PART_MONTHS)(word)}"


def _windows(text: str, cue: re.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
    """Character spans around the cues of a text, merged where they touch.

    yargy's Earley parser predicts every rule at every token, so parsing a few tokens around each
    cue instead of the whole sentence costs a fraction and finds the same matches.
    """
    cues = [m.start() for m in cue.finditer(text)]
    if not cues:
        return []
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    starts = [a for a, _ in tokens]
    spans: list[tuple[int, int]] = []
    for at in cues:
        i = max(bisect.bisect_right(starts, at) - 1, 0)
        lo = tokens[max(i - before, 0)][0]
        hi = tokens[min(i + after, len(tokens) - 1)][1]
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
        else:
            spans.append((lo, hi))
    return spans


def _matches(kind: str, text: str, cue: re.Pattern[str]) -> list[tuple[int, int, Any]]:
    """(start, end, fact) of every match of one parser in the windows around a text's cues."""
    return [
        (lo + start, lo + end, fact)
        for lo, hi in _windows(text, cue, *_REACH[kind])
        for start, end, fact in _parse(kind, text[lo:hi])
    ]


@lru_cache(maxsize=8192)
def _parse(kind: str, window: str) -> tuple[tuple[int, int, Any], ...]:
    """The yargy matches in one window; cached, as a sentence is asked again prefix by prefix."""
    return tuple((m.span.start, m.span.stop, m.fact) for m in _parsers()[kind].findall(window))


@lru_cache(maxsize=4096)
def date_hits(text: str) -> tuple[DateHit, ...]:
    """Every date written in a text, in text order (empty without a month name or a year)."""
    out = []
    for start, end, f in _matches("date", text, _DATE_CUE):
        if f.month is not None:
            out.append(DateHit(start, end, f.day, f.month, f.year, f.weekday, f.rel))
    return tuple(sorted(out, key=lambda h: h.start))


@lru_cache(maxsize=4096)
def period_hits(text: str) -> tuple[PeriodHit, ...]:
    """Every period written in a text, in text order (empty without a period word)."""
    out = []
    for start, end, f in _matches("period", text, _PERIOD_CUE):
        out.append(
            PeriodHit(
                start,
                end,
                f.kind or ("month" if f.month else "year"),
                months=f.months,
                month=f.month,
                month_end=f.month_end,
                year=f.year,
                year_end=f.year_end,
                relative_year=f.rel,
            )
        )
    return tuple(sorted(out, key=lambda h: h.start))
