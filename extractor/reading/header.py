"""What the top of an article's text says of it: a date line, a byline date, a headline, an outlet."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from extractor.lexicon import months, outlets

HEADER_DATE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")
# A byline: a line that is only a full date, maybe with a time ("18 апреля 2025, 16:05",
# "18.04.2025 16:05"), among the first lines of a page: the publication date.
_BYLINE_DATE = re.compile(
    r"^[ \t]*(?:(?P<d>\d{1,2})[ \t]+(?P<m>"
    + "|".join(months.by_genitive())
    + r")[ \t]+(?P<y>\d{4})(?:[ \t]*г\.?)?|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4}))"
    r"(?:[ \t]*,?[ \t]*\d{1,2}:\d{2})?[ \t]*$",
    re.M | re.IGNORECASE,
)
BYLINE_SEARCH_CHARS = 600


@lru_cache(maxsize=1)
def _outlet_pattern() -> re.Pattern[str]:
    """An attribution ("передаёт агентство Kazinform") and the outlet it names; words from the lexicon."""
    words = outlets.attribution()
    verbs = "|".join(map(re.escape, words.verbs))
    nouns = "|".join(map(re.escape, words.nouns))
    return re.compile(
        rf"(?:{verbs})[ \t]+"
        rf"(?:(?:{nouns})[ \t]+)?"
        rf"(?P<outlet>(?:{re.escape(words.press_service)}[ \t]+)?[A-ZА-ЯЁ][\w.\-]*(?:[ \t]+[A-ZА-ЯЁ][\w.\-]*)?)"
    )


def header_date(text: str) -> str | None:
    """The ISO date of a first line ``date YYYY-MM-DD``, or None."""
    m = HEADER_DATE.match(text)
    return m.group(1) if m else None


def byline_date(text: str) -> str | None:
    """The ISO date of a byline line near the top of a page, or None."""
    m = _BYLINE_DATE.search(text[:BYLINE_SEARCH_CHARS])
    if m is None:
        return None
    if m.group("d"):
        day, month, year = (
            int(m.group("d")),
            months.by_genitive()[m.group("m").lower()],
            int(m.group("y")),
        )
    else:
        day, month, year = int(m.group("d2")), int(m.group("m2")), int(m.group("y2"))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def headline(text: str) -> str | None:
    """The headline: the first line of 4+ words, before any sentence, that is not one itself."""
    for line in text.splitlines():
        clean = HEADER_DATE.sub("", line).strip().lstrip("#").strip()
        if len(clean.split()) < 4:
            continue  # navigation crumbs ("ГлавнаяМир"), a place line ("г. Туркестан")
        if len(clean) <= 200 and not clean.endswith((".", "!", "?", ":", ";", ",")):
            return clean
        return None
    return None


def outlet_named(text: str) -> str | None:
    """The outlet an attribution names ("передает Kazinform"), or None."""
    m = _outlet_pattern().search(text)
    return m.group("outlet").rstrip(".") if m else None
