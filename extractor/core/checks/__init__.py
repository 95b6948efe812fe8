"""Field checks: every field of every record against the article text (pure functions).

:func:`check_records` fills ``checks`` on each Meeting, Agreement, Metric and Project: one
:class:`~schemas.records.FieldCheck` per non-empty field, supported (a span states it),
inferred (a named rule derives it) or unsupported (nothing states it; the reason says what was
looked for). Evidence must be grounded and metrics verified first (``extractor.core.verify``).
"""

from __future__ import annotations

import re
from typing import Any

from extractor.core.checks.agreements import check_agreement
from extractor.core.checks.meetings import check_meeting
from extractor.core.checks.metrics import check_metric
from extractor.core.checks.places import Window
from extractor.core.checks.projects import check_project
from extractor.core.checks.text import Text, read
from schemas.enums import CheckStatus
from schemas.records import FieldCheck, Records

__all__ = ["check_records", "unsupported_fields", "value_at"]

# The sentences before a quoted mention that still belong to it (a list opened by "подписаны:").
LEAD_SENTENCES = 2


_BULLET = re.compile(r"\s*(?:[-–—•*·▪]|\d{1,2}[.)])\s")
# How far back a list item may stand from the line that opens its list.
LIST_REACH = 30


def _windows(record: Any, doc: Text, lead: int = 0) -> list[Window]:
    out = []
    for e in record.evidence:
        if e.start is None or e.end is None:
            continue
        lo = (
            doc.sentences_before(_list_lead(doc, e.start), lead)
            if lead
            else doc.sentence(e.start)[0]
        )
        out.append((lo, doc.sentence(max(e.end - 1, e.start))[1]))
    return out


def _list_lead(doc: Text, pos: int) -> int:
    """The start of the line that opens the list an item at ``pos`` belongs to (else ``pos``)."""
    start = doc.sentence(pos)[0]
    for _ in range(LIST_REACH):
        if not _BULLET.match(doc.text, start) or start == 0:
            break
        start = doc.sentence(start - 1)[0]
    return start


def _party_rule(records: Records) -> dict[str, str]:
    rule: dict[str, str] = {}
    for meeting in records.meetings:
        for person in meeting.participants:
            if person.country and person.country not in rule:
                rule[person.country] = (
                    f"{person.country} is the country of {person.name}, a participant of the "
                    "meeting the article reports"
                )
    return rule


def check_records(records: Records, text: str, published: str | None = None) -> Records:
    """Return a copy of ``records`` with ``checks`` computed on every record.

    ``published`` is the publication date from the page's metadata (ISO), for articles whose
    text carries no header line with it.
    """
    doc = read(text)
    parties = _party_rule(records)
    return records.model_copy(
        update={
            "meetings": [
                m.model_copy(update={"checks": check_meeting(m, doc, _windows(m, doc), published)})
                for m in records.meetings
            ],
            "agreements": [
                a.model_copy(
                    update={
                        "checks": check_agreement(
                            a, doc, _windows(a, doc), _windows(a, doc, LEAD_SENTENCES), parties
                        )
                    }
                )
                for a in records.agreements
            ],
            "metrics": [
                m.model_copy(update={"checks": check_metric(m, doc, _windows(m, doc))})
                for m in records.metrics
            ],
            "projects": [
                p.model_copy(update={"checks": check_project(p, doc, _windows(p, doc))})
                for p in records.projects
            ],
        }
    )


def unsupported_fields(record: Any) -> list[FieldCheck]:
    """The checks of a record that found nothing in the text."""
    return [c for c in record.checks if c.status is CheckStatus.unsupported]


_STEP = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


def value_at(record: Any, path: str) -> Any:
    """The value a check's JSON path points at in a record ("participants[0].name")."""
    node: Any = record.model_dump(mode="json")
    for step in path.split("."):
        m = _STEP.fullmatch(step)
        if m is None or not isinstance(node, dict):
            return None
        node = node.get(m.group(1))
        if m.group(2) is not None:
            k = int(m.group(2))
            node = node[k] if isinstance(node, list) and k < len(node) else None
    if isinstance(node, dict) and "value" in node:
        return node["value"]
    if isinstance(node, dict) and "text" in node:
        return node["text"]
    return node
