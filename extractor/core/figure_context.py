"""The context rules of the figure scanner (private): what stands around a number core.

:mod:`extractor.core.figure_parse` finds number cores and reads their scale, range and unit; this
module reads the words around them: the qualifier, "от"/"с", "на"/"в" and a currency symbol on
the left (:func:`left_ctx`), a rate period ("в год") and a compound adjective
("20-процентный") on the right, and the sentence context that decides whether "в N раз" is a
ratio (:func:`ratio_context`) or a fraction noun a part of time (:func:`after_adjective`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.core.morphology import parses
from extractor.core.units import SYMBOLS
from schemas.enums import Qualifier

# Qualifier phrases -> qualifier, matched right before the number (before "чем"/"на"/"в").
# A trailing "*" stands for any ending ("превыша*": превышает, превышающий...).
QUALIFIERS: dict[Qualifier, list[str]] = {
    Qualifier.at_least: ["как минимум", "не менее", "не меньше", "по меньшей мере", "по крайней мере", "минимум"],
    Qualifier.at_most: ["не более", "не больше", "как максимум", "максимум", "не превыша*", "не превысит", "не свыше"],
    Qualifier.about: ["около", "примерно", "порядка", "приблизительно", "ориентировочно", "в районе", "где-то", "почти что"],
    Qualifier.more_than: ["чуть более", "чуть больше", "немногим более", "немногим больше", "немного более",
                          "немного больше", "свыше", "более", "больше", "превыша*", "превысил*", "превысит*", "превзош*"],
    Qualifier.less_than: ["чуть менее", "чуть меньше", "немногим менее", "немногим меньше", "почти", "менее",
                          "меньше", "не дотяги*"],
    Qualifier.up_to: ["вплоть до", "до"],
}  # fmt: skip
_QUAL_ORDER = list(QUALIFIERS)

# ISO codes read before a number ("USD 5 млн", "EUR 10 млн"); after it they are units.
ISO_BEFORE = ("USD", "EUR", "RUB", "GBP", "CNY", "JPY", "CHF", "KZT", "UZS", "UAH", "BYN")


def _phrase_regex(phrase: str, *, reverse: bool) -> str:
    """Regex for a qualifier phrase, or for the phrase spelled backwards (see :func:`left_ctx`)."""
    words = phrase.split()
    if reverse:
        words = [w[::-1] for w in reversed(words)]
    parts = []
    for w in words:
        if reverse and w.startswith("*"):
            parts.append("[а-яё]*" + re.escape(w[1:]))
        elif w.endswith("*"):
            parts.append(re.escape(w[:-1]) + "[а-яё]*")
        else:
            parts.append(re.escape(w))
    return r"\s+".join(parts)


@dataclass(frozen=True, slots=True)
class Left:
    """What stands right before a number: qualifier, "на"/"в", "от"/"с", currency symbol."""

    qualifier: Qualifier | None = None
    q_start: int = -1
    chg: str | None = None
    chg_start: int = -1
    ot: str | None = None
    ot_start: int = -1
    cur: str | None = None
    cur_start: int = -1


NO_LEFT = Left()


@lru_cache(maxsize=1)
def left_pattern() -> re.Pattern[str]:
    """The left-context pattern, matched on the reversed text.

    One anchored match on the reversed window instead of a search that would retry at every
    position of it.
    """
    quals = "|".join(
        f"(?P<q{i}_{j}>{_phrase_regex(p, reverse=True)})"
        for i, q in enumerate(QUALIFIERS)
        for j, p in enumerate(sorted(QUALIFIERS[q], key=len, reverse=True))
    )
    symbols = "".join(re.escape(k) for k in SYMBOLS if len(k) == 1)
    isos = "|".join(code[::-1] for code in ISO_BEFORE)
    return re.compile(
        rf"(?:(?:[ \u00a0]|;psbn&|;061#&)?(?P<cur>\$SU|[{symbols}]|(?:{isos})(?![A-Za-z])))?"
        r"(?:\s+(?P<ot>то|с)(?![\w-]))?"
        r"(?:\s+(?P<chg>ан|в|ов)(?![\w-]))?"
        rf"(?:\s+(?:меч\s+)?(?:{quals})(?![\w-]))?",
        re.IGNORECASE,
    )


def left_ctx(text: str, s: int, floor: int) -> Left:
    """Read the qualifier, "на"/"в", "от"/"с" and currency symbol just before offset ``s``."""
    lo = max(floor, s - 48)
    rev = text[lo:s][::-1]
    m = left_pattern().match(rev)
    if m is None or m.end() == 0:
        return NO_LEFT

    def start(group: str) -> int:
        return s - m.end(group)  # a reversed group's end is the forward start

    qualifier, q_start = None, -1
    name = next((k for k, v in m.groupdict().items() if v and k.startswith("q")), None)
    if name is not None:
        qualifier = _QUAL_ORDER[int(name[1:].split("_")[0])]
        q_start = start(name)
    cur = m.group("cur")
    return Left(
        qualifier=qualifier,
        q_start=q_start,
        chg=m.group("chg")[::-1].lower() if m.group("chg") else None,
        chg_start=start("chg") if m.group("chg") else -1,
        ot=m.group("ot")[::-1].lower() if m.group("ot") else None,
        ot_start=start("ot") if m.group("ot") else -1,
        cur=cur[::-1] if cur else None,
        cur_start=start("cur") if cur else -1,
    )


def date_qualifier(left: Left, s: int) -> tuple[Qualifier, int]:
    """Return the qualifier of a date or year and where its span starts."""
    if left.qualifier is None or left.cur:
        return Qualifier.exact, s
    return left.qualifier, left.q_start


# Compound adjectives of a unit: "20-процентный", "100-долларовой".
ADJECTIVE = re.compile(
    r"-(?P<a>процентн|долларов|рублев|рублёв|евров|тенгов|юанев)[а-яё]*",
    re.IGNORECASE,
)
ADJ_UNITS = {
    "процентн": "%",
    "долларов": "USD",
    "рублев": "RUB",
    "рублёв": "RUB",
    "евров": "EUR",
    "тенгов": "KZT",
    "юанев": "CNY",
}

# The period of a rate: "20 млн тонн в год", "5 т/сутки"; or the unit of a price after a slash:
# "9 долл./т", "350 долл./тыс. куб. м", "5 центов/кВт·ч".
PER = re.compile(
    r"(?:\s+в\s+|[ \u00a0]?/[ \u00a0]?)(?P<p>год|месяц|мес\.|сутки|день|неделю|час)(?![а-яё])"
    r"|[ \u00a0]?/[ \u00a0]?(?P<k>тыс\.?[ \u00a0]?)?"
    r"(?P<q>тонн[уа]?|т|куб\.?[ \u00a0]?м|кубометр|м3|баррель|барр\.|кВт[·*⋅.]?ч)(?![а-яё])\.?",
    re.IGNORECASE,
)
PER_QUANTITY = {"т": "t", "тонн": "t", "куб": "m3", "м3": "m3", "баррель": "bbl", "барр": "bbl"}


def per_of(m: re.Match[str]) -> str:
    """The period or the priced unit a :data:`PER` match names ("year", "t", "1000 m3")."""
    if m.group("p"):
        return PER_UNITS[m.group("p").lower()]
    q = m.group("q").lower()
    unit = (
        "kWh"
        if q.startswith("квт")
        else next(v for k, v in PER_QUANTITY.items() if q.startswith(k))
    )
    return f"1000 {unit}" if m.group("k") else unit


PER_UNITS = {
    "год": "year",
    "месяц": "month",
    "мес.": "month",
    "сутки": "day",
    "день": "day",
    "неделю": "week",
    "час": "hour",
}

# What makes "в N раз" a ratio rather than "for the Nth time": a change or comparison in the same
# sentence ("вырос в 13 раз", "в 2,7 раза выше", "выше нормы в девять раз", "разница в 5 раз").
_RATIO_CUE = re.compile(
    r"(?<![а-яё])(?:выр[оа]с|возр[оа]с|рост|увелич|сократ|сокращ|сниз|сниж|уменьш|упа[лд]|паден"
    r"|повы[сш]|пониз|пониж|подорож|подешев|превы|превос|опереж|отста|разниц|отлича|умнож|кратн"
    r"|дорож|дешев|больш|меньш|выше|ниже|хуже|лучше|чаще|реже|дольше|короче|шире|старше|моложе"
    r"|[а-яё]{3,}ее(?![а-яё]))",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)|\n")


def ratio_context(text: str, start: int, end: int) -> bool:
    """Whether "в N раз" at ``start:end`` reads as a ratio: a change or comparison word nearby.

    "При этом в 13 раз клуб выиграл кубок" (the 13th time) has none and is a count. With no
    sentence around it at all ("в два раза" alone, a table cell, a headline fragment), the
    multiple is the reading: the "Nth time" sense needs a clause to be about.
    """
    lo = max(0, start - 120)
    before = _SENTENCE_END.split(text[lo:start])[-1]
    after = text[end : end + 60]
    stop = _SENTENCE_END.search(after)
    if stop is not None:
        after = after[: stop.start()]
    if _RATIO_CUE.search(before) or _RATIO_CUE.search(after):
        return True
    return len(_WORD.findall(before)) + len(_WORD.findall(after)) < 2


_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]{2,}")


_PREV_WORD = re.compile(r"([а-яё]+)[ \u00a0]+$", re.IGNORECASE)


def after_adjective(text: str, s: int) -> bool:
    """Whether the word before ``s`` is an adjective: "во второй половине", "в первой четверти"."""
    m = _PREV_WORD.search(text, max(0, s - 40), s)
    if m is None:
        return False
    return any(p.tag.POS == "ADJF" for p in parses(m.group(1))[:1])


def strip_unit(text: str, s: int, e: int) -> int:
    """Cut a trailing "раз"/"раза" off a span that is a count, not a ratio."""
    m = re.search(r"[ \u00a0]раза?$", text[s:e], re.IGNORECASE)
    return s + m.start() if m else e
