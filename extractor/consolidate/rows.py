"""Consolidated records as plain table rows: what the store writes beside per-article tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from schemas.consolidated import Consolidated, MetricStatement, SourceRef


def _spans(sources: Sequence[SourceRef]) -> str:
    return json.dumps(
        [
            {
                "sha256": s.sha256,
                "record": s.record,
                "spans": [[e.start, e.end] for e in s.evidence],
            }
            for s in sources
        ],
        ensure_ascii=False,
    )


def to_rows(result: Consolidated) -> dict[str, list[dict[str, Any]]]:
    """Flatten a consolidation into plain table rows (str, int, float or None values only).

    One key per table; list-valued fields are JSON strings. Tables: ``persons``,
    ``person_aliases``, ``meetings``, ``meeting_sources``, ``projects``, ``project_timeline``,
    ``agreements``, ``agreement_timeline``, ``metric_timeline``, ``conflicts``, ``countries``.
    Every ``*_sources`` / timeline row names its article (``sha256``) and record, so a store can
    join back to the per-article tables.
    """

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def statement(s: MetricStatement) -> dict[str, Any]:
        return {
            "date": s.date,
            "period_key": s.period_key,
            "name": s.name,
            "value": s.value,
            "value_max": s.value_max,
            "unit": s.unit,
            "qualifier": str(s.qualifier),
            "kind": str(s.kind),
            "verification": str(s.verification.status),
            "unsupported": dump(s.unsupported),
            "sha256": s.source.sha256,
            "record": s.source.record,
            "spans": _spans([s.source]),
        }

    return {
        "persons": [
            {"id": p.id, "name": p.name, "titles": dump(p.titles), "countries": dump(p.countries)}
            for p in result.persons
        ],
        "person_aliases": [
            {"person_id": p.id, "alias": a.text, "rule": a.rule}
            for p in result.persons
            for a in p.aliases
        ],
        "meetings": [
            {
                "id": m.id,
                "date": m.date.value,
                "precision": str(m.date.precision),
                "city": m.location.city,
                "country": m.location.country,
                "geonameid": m.location.geonameid,
                "lat": m.location.lat,
                "lon": m.location.lon,
                "formats": dump([str(f) for f in m.formats]),
                "participants": dump(m.participants),
                "topics": dump(m.topics),
                "merge_reasons": dump(m.merge_reasons),
            }
            for m in result.meetings
        ],
        "meeting_sources": [
            {"meeting_id": m.id, "sha256": s.sha256, "record": s.record, "spans": _spans([s])}
            for m in result.meetings
            for s in m.sources
        ],
        "projects": [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "waypoints": dump(p.waypoints),
                "countries": dump(p.countries),
                "status": str(p.status),
                "aliases": dump([a.text for a in p.aliases]),
            }
            for p in result.projects
        ],
        "project_timeline": [
            {
                "project_id": p.id,
                "date": e.date,
                "status": str(e.status),
                "name": e.name,
                "sha256": e.source.sha256,
                "record": e.source.record,
                "spans": _spans([e.source]),
            }
            for p in result.projects
            for e in p.timeline
        ],
        "agreements": [
            {
                "id": g.id,
                "title": g.title,
                "kind": str(g.kind),
                "parties": dump(g.parties),
                "status": str(g.status),
            }
            for g in result.agreements
        ],
        "agreement_timeline": [
            {
                "agreement_id": g.id,
                "date": e.date,
                "status": str(e.status),
                "title": e.title,
                "sha256": e.source.sha256,
                "record": e.source.record,
                "spans": _spans([e.source]),
            }
            for g in result.agreements
            for e in g.timeline
        ],
        "metric_timeline": [
            {"metric_id": t.id, "metric": t.name, **statement(e)}
            for t in result.metrics
            for e in t.entries
        ],
        "conflicts": [
            {
                "id": c.id,
                "metric_id": c.metric_id,
                "period_key": c.period_key,
                "reason": c.reason,
                "a_sha256": c.a.source.sha256,
                "a_record": c.a.source.record,
                "a_value": c.a.value,
                "b_sha256": c.b.source.sha256,
                "b_record": c.b.source.record,
                "b_value": c.b.value,
            }
            for c in result.conflicts
        ],
        "countries": [
            {"code": c.code, "name": c.name, "articles": dump(c.articles)} for c in result.countries
        ],
    }
