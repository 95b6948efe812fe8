"""Agency datelines: "БАКУ, 21 августа /Trend/", "Астана, 14 марта 2025 года.", "АСТАНА. KAZINFORM –".

A dateline opens a news story with the place it was filed in, often the day, and the agency:

    Астана, 14 марта 2025 года.          Баку, 21 августа.          Астана. 13 марта.
    Астана, 14 марта (Kazinform).        БАКУ, 21 августа /Trend/   ТАШКЕНТ, 5 мая. /Дунё/.
    Ташкент, 5 июня – Kun.uz.            АШХАБАД, 11 ноя — МИР 24.  Баку, 21 августа, АЗЕРТАДЖ
    АСТАНА. KAZINFORM – Во вторник ...

The day is the publication day. Without a year it is the most recent such day not after the
reference day (``EXTRACTOR_TODAY``, else today). Its span is kept on the Article, so a backend
never reads "11 ноя" as a figure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractor.lexicon import months

# Month words a dateline writes: the genitive and the agencies' abbreviations ("11 ноя").
_MONTH_WORDS = {**months.by_genitive(), **months.by_abbreviation()}
_MONTH = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_PLACE = r"(?P<place>[А-ЯЁ][А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*(?:[ \t][А-ЯЁ][А-ЯЁа-яё]+)?)"
_DATE = (
    rf"(?P<day>\d{{1,2}})[ \t]+(?P<month>{_MONTH})\.?"
    r"(?:[ \t]+(?P<year>(?:19|20)\d\d)(?:[ \t]*(?:года|г\.))?)?"
)
# An agency name: a word that opens with a capital or a digit, up to four of them ("МИР 24",
# "Kun.uz", "Интерфакс-Казахстан"); enclosed ("(Kazinform)", "/Trend/") it may hold anything.
_WORD = r"[A-ZА-ЯЁ0-9][\w\-]*(?:\.[\w\-]+)*"
_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}"
_CAPS = r"[A-ZА-ЯЁ0-9][A-ZА-ЯЁ0-9.\-]+(?:[ \t]+[A-ZА-ЯЁ0-9][A-ZА-ЯЁ0-9.\-]*){0,2}"
_ENCLOSED = r"\((?P<a1>[^()\n]{2,40})\)|/(?P<a2>[^/\n]{2,40})/"
_DASH = r"[ \t]*[-–—][ \t]*"
_END = r"(?=[ \t]*(?:[.,:;]|[-–—]|$))"
_AGENCY = (
    # "(Kazinform)", "/Trend/", after a space, a comma or a full stop
    rf"(?:[ \t]*[.,]?[ \t]*(?:{_ENCLOSED})"
    # "– Kun.uz.", "— МИР 24."
    rf"|{_DASH}(?P<a3>{_NAME}){_END}"
    # ", АЗЕРТАДЖ" (capitals or Latin only: ", президент ..." is the story)
    rf"|,[ \t]*(?P<a4>{_CAPS}){_END}"
    # ". Kazinform –" (one word or capitals after the full stop, and only when a dash closes it)
    rf"|(?:(?<=\.)|[ \t]*\.)[ \t]*(?P<a5>{_CAPS}|{_WORD}){_DASH})"
)
_DATELINE = re.compile(
    rf"^[ \t]*{_PLACE}[ \t]*[,.][ \t]*(?:{_DATE}(?:{_AGENCY})?"
    # a place and an agency with no date: "АСТАНА. KAZINFORM – Во вторник ..."
    rf"|(?P<a6>{_CAPS}){_DASH})"
    r"(?:[ \t]*[.,:])?",
    re.M,
)
DATELINE_SEARCH_CHARS = 1000
# Words that open a line like a place but are days: "Сегодня, 5 марта, ..." is no dateline place.
_NOT_PLACE = frozenset(
    "сегодня вчера завтра понедельник вторник среда среду четверг пятница пятницу суббота "
    "субботу воскресенье".split()
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline: its span in the text, the place as written (title case), day and agency."""

    start: int
    end: int
    place: str
    published: str | None = None
    agency: str | None = None
    year_stated: bool = False


def find_dateline(text: str, reference: dt.date) -> Dateline | None:
    """The dateline near the top of a text, or None.

    Args:
        text: The article text.
        reference: The day a dateline without a year is read against (its most recent such
            day not after this one).

    Returns:
        The first line-opening dateline within the first ``DATELINE_SEARCH_CHARS`` characters.
    """
    for m in _DATELINE.finditer(text[:DATELINE_SEARCH_CHARS]):
        place = _title_case(m.group("place"))
        if place.split()[-1].lower() in _MONTH_WORDS or place.lower() in _NOT_PLACE:
            continue
        agency = next((a for k in range(1, 7) if (a := m.group(f"a{k}"))), None)
        if m.group("day") is None and agency is None:
            continue
        published = None
        if m.group("day") is not None:
            month = _MONTH_WORDS[m.group("month").lower()]
            year = int(m.group("year")) if m.group("year") else None
            published = _day(int(m.group("day")), month, year, reference)
            if published is None:
                continue
        return Dateline(
            start=m.start("place"),
            end=m.start() + len(m.group(0).rstrip()),
            place=place,
            published=published,
            agency=agency.strip(" .,") if agency else None,
            year_stated=m.group("year") is not None,
        )
    return None


def _day(day: int, month: int, year: int | None, reference: dt.date) -> str | None:
    """The ISO day, its year stated or the most recent one not after the reference day."""
    if year is not None:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    for y in range(reference.year, reference.year - 8, -1):
        try:
            found = dt.date(y, month, day)
        except ValueError:
            continue  # 29 February in a common year, or no such day
        if found <= reference:
            return found.isoformat()
    return None


def _title_case(place: str) -> str:
    """A place written in capitals ("НУР-СУЛТАН") as a name ("Нур-Султан"); others unchanged."""
    if place.upper() != place:
        return place
    return "-".join(" ".join(w.capitalize() for w in part.split()) for part in place.split("-"))
