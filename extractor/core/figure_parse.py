"""The scanner behind :func:`extractor.core.figures.find_figures` (private; split out for size).

One pass over the text: a core pattern finds number cores (digits, number words, "пол-",
"вдвое", dates written in digits); each core is then extended to the right (scale, range, month,
unit, "в год") and to the left (qualifier, "от", "в", currency symbol) with small anchored
patterns. The context rules (qualifiers, rate periods, unit adjectives, ratio and part-of-time
context) are in :mod:`extractor.core.figure_context`. Everything is compiled once, lazily, because
the number-word pattern needs the lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extractor.core import figure_context as ctx
from extractor.core import numerals
from extractor.core.figure_spans import Parsed, share_units
from extractor.core.units import (
    SCALE_ABBREVIATIONS,
    SPACE,
    SYMBOLS,
    UNIT_RE,
    kind_of,
    unit_from_match,
)
from extractor.lexicon import months
from schemas.enums import FigureKind, Qualifier

_SP = SPACE  # space, no-break, narrow no-break, thin, or an HTML entity of one
_DASHES = "-‐–—−"
# Digits. Thousands are grouped by the Russian typographic convention: a leading group of 1-3
# digits (not starting with 0), then groups of exactly 3 digits, all with the same separator
# ("1 500", "10 100", "1 500 000"). The grouping is refused when it is not consistent: mixed
# separators, a list of numbers ("5 10 100", "10 100 1000"), or a group glued to a compound
# adjective ("10 100-рублевых купюр" is ten notes of 100 roubles). English thousands commas
# ("1,234,567") are read when there are two or more groups; one group ("635,000") is a decimal
# comma unless a "$" or "£" stands before it (see :func:`_parse_core`).
_DIGITS = (
    rf"(?<!\d[ \u00a0\u202f\u2009])[1-9]\d{{0,2}}(?P<gs>{_SP})\d{{3}}(?:(?P=gs)\d{{3}})*"
    rf"(?:[.,]\d+)?(?!\d)(?!{_SP}\d)(?![{_DASHES}][а-яёa-z])"
    r"|[1-9]\d{0,2}(?:,\d{3}){2,}(?![\d,])"
    r"|\d+(?:[.,]\d+)?"
)


@dataclass(frozen=True, slots=True)
class _Patterns:
    core: re.Pattern[str]
    word: re.Pattern[str]
    scale: re.Pattern[str]
    range_sep: re.Pattern[str]
    number: re.Pattern[str]
    month: re.Pattern[str]
    vague: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """Compile every pattern once (the number-word trie needs the lexicon, built lazily)."""
    w = numerals.words_pattern()
    word = rf"(?:{w})(?![а-яёa-z0-9])"
    word1 = rf"{word}(?:[ \u00a0]+с\s+половиной(?![а-яё]))?"
    words_seq = rf"{word1}(?:(?:[ \u00a0]+|[ \u00a0]?[{_DASHES}][ \u00a0]?){word1})*"
    adverbs = "|".join(numerals.RATIO_ADVERBS)
    abbreviations = "|".join(sorted(months.by_abbreviation(), key=len, reverse=True))
    core = re.compile(
        rf"""(?<![\w.,])(?:
            (?P<iso>\d{{4}})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}})(?!\d)
          | (?P<dmy>\d{{1,2}})\.(?P<dmy_m>\d{{1,2}})\.(?:\d{{4}}|\d{{2}})(?![\d.]\d)
          | (?P<clock>\d{{1,3}}:\d{{1,3}})(?![\d:])
          | (?P<sign>[+−]|(?<![\w])-(?=\d))?(?P<dig>{_DIGITS})
          | (?P<pol>пол(?:-|[ \u00a0])?)(?=миллиард|миллион|тысяч|трлн|млрд|млн|тыс|год|года|месяц|век|дня|суток)
          | (?P<adv>{adverbs})(?![а-яё])
          | (?P<vague>{numerals.VAGUE_PATTERN})
          | (?P<words>{words_seq})
        )""",
        re.IGNORECASE | re.VERBOSE,
    )
    scale_forms = [k for k, v in numerals.lexicon().items() if v in numerals.SCALES]
    plural_scales = [k for k in scale_forms if k not in _LONE_SCALES]
    abbrs = "|".join(SCALE_ABBREVIATIONS)
    scale = re.compile(
        rf"{_SP}?(?:(?P<abbr>{abbrs})(?:(?<=тыс)\.|\.(?=[ \u00a0]?[а-яёa-z$€£¥₽₸]))?|(?P<sw>{numerals.trie_regex(scale_forms)}))(?![а-яёa-z])",
        re.IGNORECASE,
    )
    ctx.left_pattern()  # compiled with the rest, so that the cold start pays for it
    return _Patterns(
        core=core,
        word=re.compile(r"с\s+половиной|[а-яё]+", re.IGNORECASE),
        scale=scale,
        range_sep=re.compile(rf"{_SP}?[{_DASHES}]{_SP}?|\s+до\s+", re.IGNORECASE),
        number=re.compile(rf"(?:{_DIGITS})(?![\d])|{words_seq}", re.IGNORECASE),
        # datelines shorten months: "АСТАНА, 11 ноя", "5 сент." (the lexicon's abbreviations)
        month=re.compile(
            rf"[ \u00a0]+(?:(?:{months.stem_pattern()})[а-яё]*|(?:{abbreviations})\.?)(?![а-яё])",
            re.IGNORECASE,
        ),
        vague=re.compile(
            rf"{numerals.VAGUE_PATTERN}|(?:{numerals.trie_regex(plural_scales)})(?![а-яё])",
            re.IGNORECASE,
        ),
    )


_YEAR_WORDS = frozenset(
    {"год", "года", "году", "годом", "годе", "годы", "годов", "годам", "годах", "г.", "гг."}
)
# Scale words that may stand alone ("миллион долларов", "до миллиона рублей"); plural forms such
# as "миллионы", "тысячи людей" are vague amounts, not figures.
_LONE_SCALES = frozenset(
    {"тысяча", "тысячу", "тысяче", "тысячей", "тысячею", "тысячью"}
    | {f"{s}{e}" for s in ("миллион", "миллиард", "триллион") for e in ("", "а", "у", "ом", "е")}
)
# Lone words that are numerals only in a compound: "один из", "одни из", "в семью".
_ONE_FORMS = frozenset(
    [
        "одни",
        "одних",
        "одними",
        "семью",
        "один",
        "одна",
        "одно",
        "одного",
        "одной",
        "одному",
        "одним",
        "одном",
        "одну",
        "одною",
    ]
)


def _num(s: str) -> float:
    """Parse a digit number with space-grouped thousands and a decimal comma or point."""
    s = _SP_RE.sub("", s)
    if s.count(",") > 1:  # "1,234,567": English thousands commas
        return float(s.replace(",", ""))
    return float(s.replace(",", "."))


_SP_RE = re.compile(_SP)


def _words_value(
    text: str, start: int, end: int, pats: _Patterns
) -> tuple[numerals.WordNumber, int] | None:
    """Compose the number words in ``text[start:end]``; return the value and where it ends."""
    toks = list(pats.word.finditer(text, start, end))
    words = [t.group(0) for t in toks]
    seps = [text[toks[i].end() : toks[i + 1].start()] for i in range(len(toks) - 1)]
    wn = numerals.compose([re.sub(r"\s+", " ", w.lower()) for w in words], seps)
    if wn is None:
        return None
    return wn, toks[wn.used - 1].end()


def _scale(text: str, pos: int, pats: _Patterns) -> tuple[float, int] | None:
    """Match a scale word or abbreviation at ``pos``: its multiplier and end."""
    m = pats.scale.match(text, pos)
    if m is None:
        return None
    if m.group("abbr"):
        return SCALE_ABBREVIATIONS[m.group("abbr").lower()], m.end()
    return numerals.lexicon()[numerals.fold(m.group("sw"))], m.end()


def _second_number(
    text: str, pos: int, pats: _Patterns
) -> tuple[float, bool, int, float | None] | None:
    """Parse the upper bound of a range at ``pos``.

    Returns:
        The value, whether it is an integer, its end, and the multiplier of a closing scale word
        when the bound is in words ("пяти тысяч" -> 1000.0, which the lower bound may share).
    """
    m = pats.number.match(text, pos)
    if m is None:
        return None
    s = m.group(0)
    if s[0].isdigit():
        return _num(s), ("," not in s and "." not in s), m.end(), None
    wv = _words_value(text, m.start(), m.end(), pats)
    if wv is None:
        return None
    wn, end = wv
    word_scale = None
    if wn.ends_with_scale:
        last = pats.word.findall(text, m.start(), end)[-1]
        sv = numerals.lexicon().get(numerals.fold(last))
        if sv is not None and wn.value / sv < 1000:
            word_scale = sv
    return wn.value, True, end, word_scale


def parse_all(text: str) -> list[Parsed]:
    """Scan ``text`` once and return every figure, left to right, without overlaps."""
    pats = _patterns()
    out: list[Parsed] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = pats.core.search(text, pos)
        if m is None:
            break
        parsed, nxt = _parse_core(text, m, pats, out[-1].end if out else 0)
        if parsed is not None:
            out.append(parsed)
        pos = max(nxt, m.start() + 1)
    return share_units(text, out)


_CUR_BEFORE = re.compile(
    "(?:" + "|".join(re.escape(k) for k in (*SYMBOLS, *ctx.ISO_BEFORE)) + r")[ \u00a0]?[+−-]?$",
    re.IGNORECASE,
)


def _parse_core(
    text: str, m: re.Match[str], pats: _Patterns, floor: int
) -> tuple[Parsed | None, int]:
    """Extend one core match into a figure; return it (or None) and where to scan next."""
    s, e = m.start(), m.end()
    if m.group("iso"):
        return Parsed(
            s, e, float(m.group("iso_d")), None, None, Qualifier.exact, FigureKind.date, None
        ), e
    if m.group("dmy"):
        if not (1 <= int(m.group("dmy_m")) <= 12):
            return None, e
        return Parsed(
            s, e, float(m.group("dmy")), None, None, Qualifier.exact, FigureKind.date, None
        ), e
    if m.group("clock"):
        return None, e
    left = ctx.left_ctx(text, s, floor)
    if m.group("vague"):
        return _vague(text, s, left, pats)
    if m.group("adv"):
        v = float(numerals.RATIO_ADVERBS[m.group("adv").lower()])
        return _finish(text, s, e, v, None, "x", pats, left, ratio_ok=True), e

    integer = False
    separated = False
    ends_with_scale = False
    single_word: str | None = None
    value_max: float | None = None
    if m.group("dig") is not None:
        raw = m.group("dig")
        # "Су-35", "COVID-19": a number glued to a name by a hyphen is part of the name.
        if s >= 2 and text[s - 1] in _DASHES and text[s - 2].isalpha() and not m.group("sign"):
            return None, e
        if s >= 2 and text[s - 1] in ".," and text[s - 2].isdigit():
            return None, e
        if _DOMAIN.match(text, e):
            return None, e  # "24.kg", "12.uz": a site's name, not a figure
        value = _num(raw)
        integer = "," not in raw and "." not in raw
        if raw.count(",") > 1 or (  # "$635,000", "$15.000" (one group) or "1,234,567"
            left.cur in _THOUSANDS_COMMA_SYMBOLS
            and _ONE_COMMA_GROUP.fullmatch(raw)
            and _scale(text, e, pats) is None
        ):
            # "$635,000", "1,234,567": English thousands commas, not a decimal comma
            value, integer = float(raw.replace(",", "").replace(".", "")), True
        separated = bool(re.search(r"\D", raw)) and integer
        if m.group("sign") in ("-", "−"):
            value = -value
        # "до 10-ти процентов", "3-х", "в 2024-м": a case ending written after the digits
        ending = _CASE_ENDING.match(text, e)
        if ending is not None and integer and not m.group("sign"):
            year_like = 1000 <= value <= 2200 and not separated
            cardinal = ending.group("card") is not None
            # "1990-х годов" is a decade, no figure; "в 2024-м" is a year
            if (cardinal and not year_like) or (not cardinal and year_like):
                e = ending.end()
        # "10-й", "5-летний": ordinals and compound adjectives are not figures, except units.
        if e < len(text) - 1 and text[e] in _DASHES and text[e + 1].isalpha():
            am = ctx.ADJECTIVE.match(text, e)
            if am is None:
                return None, e
            adj_unit = ctx.ADJ_UNITS[am.group("a").lower()]
            return _finish(text, s, am.end(), value, None, adj_unit, pats, left), am.end()
    elif m.group("pol") is not None:
        value = 0.5
    else:
        wv = _words_value(text, s, e, pats)
        if wv is None:
            return None, e
        wn, e = wv
        value, value_max, ends_with_scale = wn.value, wn.value_max, wn.ends_with_scale
        integer = value == int(value)
        if wn.used == 1:
            single_word = numerals.fold(text[s:e])
            if (
                value in numerals.SCALES
                and single_word not in _LONE_SCALES
                and (single_word != "тысячи" or not (left.qualifier or left.ot))
            ):
                # "миллионы долларов", "тысячи людей": vague; but "до тысячи рублей" is 1000
                return _vague(text, s, left, pats)
            if value in (0.5, 1 / 3, 0.25) and ctx.after_adjective(text, s):
                # "во второй половине года", "в последней трети": a part of time, not a share
                return None, e

    scale = 1.0
    extra = 0.0
    sc = None if ends_with_scale else _scale(text, e, pats)
    if sc is not None:
        scale, e = sc
        extra, e = _compound_tail(text, e, scale, pats)
    elif m.group("pol") is not None and not _starts_unit(text, e):
        return None, e

    # Range: "25-27", "38–56%", "50-70 млн", "от 800 тыс. до 1 млн".
    has_ot = left.ot == "от"
    if value_max is None:
        rs = pats.range_sep.match(text, e)
        if extra:
            rs = None  # "2 млрд 300 млн" is one amount, not the start of a range
        is_to = rs is not None and "до" in rs.group(0).lower()
        # "от A до B" is a range; "с A до B" (a change) is read as one only when B is measured
        # ("с 10,63 до 11,29 млрд долларов"), so "с 8 до 12" stays two counts.
        if rs is not None and (not is_to or has_ot or left.ot == "с"):
            sec = _second_number(text, rs.end(), pats)
            if sec is not None:
                v2, int2, e2, word_scale = sec
                scale2 = 1.0
                sc2 = _scale(text, e2, pats)
                if sc2 is not None:
                    scale2, e2 = sc2
                v1 = value
                if is_to and not has_ot and sc2 is None and word_scale is None:
                    if not _starts_unit(text, e2):
                        sec = None
                change = is_to and left.ot == "с"
                if sc is None and sc2 is not None and (v1 < v2 or (change and v1 < 100 * v2)):
                    scale = scale2  # "50-70 млн": the scale belongs to both bounds
                elif sc is None and not ends_with_scale and word_scale and v1 < v2 / word_scale:
                    scale = word_scale  # "от четырех до пяти тысяч": the same, in words
                # "2015-16": a year range written short
                if (
                    integer
                    and int2
                    and 1000 <= v1 <= 2200
                    and v2 < 100
                    and sc is None
                    and sc2 is None
                ):
                    v2 = (v1 // 100) * 100 + v2
                if sec is not None and v2 * scale2 > v1 * scale:
                    value_max = v2 * scale2
                    e = e2
                elif sec is not None and change and 0 < v2 * scale2 < v1 * scale:
                    # "снизился с 11,3 до 10,6 млрд": one figure, the smaller end first
                    value_max = v1 * scale
                    value = v2 * scale2 / scale
                    e = e2
    value = value * scale + extra
    if value_max is not None and sc is not None and value_max < value:
        value_max *= scale  # word range "пять-шесть тысяч"

    # Dates: "9 августа", "25-27 июня".
    if integer and scale == 1.0 and 1 <= abs(value) <= 31 and not m.group("sign"):
        mm = pats.month.match(text, e)
        if mm is not None:
            q, start = ctx.date_qualifier(left, s)
            return Parsed(
                start, mm.end(), value, value_max, None, q, FigureKind.date, None
            ), mm.end()

    unit: str | None = None
    um = UNIT_RE.match(text, e)
    if um is not None and _CUR_BEFORE.search(text, max(0, s - 4), s):
        # "$30 млн" already names its unit: a following word is money or nothing ("£30 млн дня")
        if kind_of(unit_from_match(um).unit) is not FigureKind.money:
            um = None
    if um is not None:
        info = unit_from_match(um)
        surface = um.group(0).strip().lower()
        if (
            info.unit == "year"
            and surface in _YEAR_WORDS
            and integer
            and not separated
            and scale == 1.0
            and 1000 <= value <= 2200
        ):
            q, start = ctx.date_qualifier(left, s)
            return Parsed(
                start, um.end(), value, value_max, None, q, FigureKind.year, None
            ), um.end()
        unit = info.unit
        value *= info.multiplier
        if value_max is not None:
            value_max *= info.multiplier
        e = um.end()
        if surface == "%":
            again = _PERCENT_AGAIN.match(text, e)  # "95 % процентов": a doubled unit
            if again is not None:
                e = again.end()
    elif single_word is not None:
        # "один из", "миллионы долларов" aside, a lone word needs a unit to be a figure.
        if single_word in _ONE_FORMS:
            return None, e
    if unit is None and integer and not separated and scale == 1.0 and 1900 <= value <= 2100:
        kind_year = value_max is None or value_max <= 2100
        if kind_year and not m.group("sign"):
            q, start = ctx.date_qualifier(left, s)
            return Parsed(start, e, value, value_max, None, q, FigureKind.year, None), e
    return _finish(text, s, e, value, value_max, unit, pats, left), e


_DOMAIN = re.compile(r"\.(?:[a-z]{2,6})(?![a-z])")
# A case ending after digits: of a cardinal ("10-ти", "3-х", "7-ми", "2-мя") or of an ordinal
# year ("2024-м", "2024-го", "2024-й").
_CASE_ENDING = re.compile(
    rf"[{_DASHES}](?:(?P<card>ти|х|ех|ух|ми|мя|ью)|м|го|й|ом|ым)(?![а-яёa-z])", re.IGNORECASE
)
_PERCENT_AGAIN = re.compile(r"[ \u00a0]+процент[а-яё]*", re.IGNORECASE)
_THOUSANDS_COMMA_SYMBOLS = frozenset({"$", "US$", "£"})
_ONE_COMMA_GROUP = re.compile(r"[1-9]\d{0,2}[,.]\d{3}")


_TAIL_NUMBER = re.compile(rf"{_SP}+([1-9]\d{{0,2}}(?:[.,]\d+)?)(?![\d.,]\d)")


def _compound_tail(text: str, pos: int, scale: float, pats: _Patterns) -> tuple[float, int]:
    """Read "300 млн" of "2 млрд 300 млн": smaller scaled parts of one amount, and their end."""
    extra = 0.0
    while True:
        m = _TAIL_NUMBER.match(text, pos)
        if m is None:
            return extra, pos
        sc = _scale(text, m.end(), pats)
        if sc is None or sc[0] >= scale or _num(m.group(1)) * sc[0] >= scale:
            return extra, pos
        extra += _num(m.group(1)) * sc[0]
        scale, pos = sc


def _starts_unit(text: str, pos: int) -> bool:
    """Whether a unit word starts at ``pos`` ("полгода")."""
    return UNIT_RE.match(text, pos) is not None


def _finish(
    text: str,
    s: int,
    e: int,
    value: float,
    value_max: float | None,
    unit: str | None,
    pats: _Patterns,
    left: ctx.Left,
    *,
    ratio_ok: bool = False,
) -> Parsed:
    """Attach left context (qualifier, "от", "в", currency symbol) and the rate period."""
    start = s
    qualifier = Qualifier.exact
    if left.cur:
        if unit is None:
            unit = SYMBOLS.get(left.cur) or left.cur.upper()  # "$", or "USD 5 млн"
        start = left.cur_start
    if left.ot == "от":
        start = left.ot_start
        if value_max is None:
            qualifier = Qualifier.at_least
    elif left.ot == "с" and value_max is not None:
        start = left.ot_start  # "с 10,63 до 11,29 млрд долларов"
    if (
        left.chg
        and unit == "x"
        and (left.chg == "на" or ctx.ratio_context(text, left.chg_start, e))
    ):
        ratio_ok = True
        start = left.chg_start
    if left.qualifier is not None:
        qualifier = left.qualifier
        start = left.q_start
    if unit == "x" and not ratio_ok:
        unit = None  # "два раза в неделю" counts occurrences; only "в два раза" is a ratio
        e = ctx.strip_unit(text, s, e)
    per: str | None = None
    if unit is not None and kind_of(unit) in (FigureKind.money, FigureKind.quantity):
        pm = ctx.PER.match(text, e)
        if pm is not None and (pm.group("p") or kind_of(unit) is FigureKind.money):
            per = ctx.per_of(pm)
            e = pm.end()
    kind = kind_of(unit)
    if (
        unit is None
        and value_max is None
        and value in (0.5, 1 / 3, 0.25, 2 / 3, 0.75)
        and not text[s].isdigit()
    ):
        kind = FigureKind.ratio  # "половина", "треть", "две трети" of something
    return Parsed(start, e, value, value_max, unit, qualifier, kind, per)


_VAGUE_RANGE = re.compile(rf"{_SP}?[{_DASHES}]{_SP}?|\s+до\s+", re.IGNORECASE)


def _vague_words(text: str, pos: int, pats: _Patterns) -> tuple[float, float, int, str] | None:
    """Read a vague phrase at ``pos`` and its scale ("нескольких сотен миллионов").

    Returns:
        The lower bound of the words, the scale (1.0 when none; a plural scale word such as
        "миллионы" is its own scale), the end, and the words as written (folded).
    """
    m = pats.vague.match(text, pos)
    if m is None:
        return None
    words = numerals.fold(m.group(0))
    sw = numerals.lexicon().get(words)
    if sw is not None:  # a plural scale word: "миллионы", "тысячах"
        return numerals.VAGUE_FACTOR, sw, m.end(), words
    sc = _scale(text, m.end(), pats)
    if sc is None:
        return numerals.vague_value(words), 1.0, m.end(), words
    return numerals.vague_value(words), sc[0], sc[1], words


def _vague(text: str, s: int, left: ctx.Left, pats: _Patterns) -> tuple[Parsed | None, int]:
    """A vague amount: "несколько миллионов евро", "сотни тысяч рублей", "миллиарды долларов".

    The value is the lower bound the words guarantee (see :data:`numerals.VAGUE_PATTERN`); the
    qualifier is the one written, else ``at_least``. "от нескольких десятков до нескольких сотен
    миллионов долларов" is one figure: the closing scale belongs to both ends, the value is the
    lower end's bound (2e7) and ``value_max`` stays ``None`` (the upper end is vague too). Without
    a scale or a unit ("несколько человек", "десятки компаний") it is not a figure; durations and
    multiples ("несколько лет", "в несколько раз") are not read. A lone "сотни" after a qualifier
    or "от" is the genitive singular of "сотня" ("более сотни миллионов" is 1e8, definite).
    """
    first = _vague_words(text, s, pats)
    if first is None:
        return None, s + 1
    value, scale, e, words = first
    vague = True
    if words == "сотни" and (left.qualifier or left.ot):
        value, vague = 100.0, False
    else:
        rs = _VAGUE_RANGE.match(text, e)
        if rs is not None and (left.ot == "от" or "до" not in rs.group(0).lower()):
            second = _vague_words(text, rs.end(), pats)
            if second is not None and second[3] != "тысячи":  # "до тысячи" is 1000
                e = second[2]
                if scale == 1.0:
                    scale = second[1]  # "от нескольких десятков до нескольких сотен миллионов"
    value *= scale
    unit: str | None = None
    um = UNIT_RE.match(text, e)
    if um is not None:
        info = unit_from_match(um)
        if kind_of(info.unit) is FigureKind.duration or info.unit == "x":
            return None, e
        unit = info.unit
        value *= info.multiplier
        e = um.end()
    if unit is None and scale == 1.0:
        return None, e
    p = _finish(text, s, e, value, None, unit, pats, left)
    if not vague:
        return p, e
    q = Qualifier.at_least if p.qualifier is Qualifier.exact else p.qualifier
    return replace(p, qualifier=q, vague=True), e
