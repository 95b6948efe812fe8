"""A meeting's date, place, format and participants."""

from __future__ import annotations

from extractor.core.checks.dates import check_date
from extractor.core.checks.gazetteer import lexicon
from extractor.core.checks.people import check_participant
from extractor.core.checks.places import Window, check_country, check_place
from extractor.core.checks.text import Text, inferred, supported, unsupported
from schemas.enums import MeetingFormat
from schemas.records import FieldCheck, Meeting


def check_meeting(
    meeting: Meeting, doc: Text, windows: list[Window], published: str | None = None
) -> list[FieldCheck]:
    """Check a meeting's date, location, format and each participant."""
    out: list[FieldCheck] = []
    if (date := check_date("date", meeting.date, doc, published)) is not None:
        out.append(date)
    if meeting.location.city:
        out.append(check_place("location.city", meeting.location.city, doc))
    if meeting.location.country:
        out.append(check_country("location.country", meeting.location.country, doc, windows))
    out.append(_check_format(meeting.format, doc, windows))
    for i, person in enumerate(meeting.participants):
        out.extend(check_participant(f"participants[{i}]", person, doc, windows))
    return out


def _check_format(fmt: MeetingFormat, doc: Text, windows: list[Window]) -> FieldCheck:
    cue = lexicon().meeting_formats.get(fmt.value)
    if cue is None:
        return inferred("format", f"{fmt.value}: a meeting with no more specific format word")
    for lo, hi in [*windows, (0, len(doc.text))]:
        m = cue.search(doc.text, lo, hi)
        if m is not None:
            return supported("format", m.span(), doc.text, f"a word of {fmt.value}")
    return unsupported("format", f"no word of a {fmt.value} in the article")
