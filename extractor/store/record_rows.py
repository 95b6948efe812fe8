"""Rows of the per-article tables, written by column name from the schema models.

Each builder names every column it fills; ``STORED_AS`` says, for every field of every record
model, which column (or child table) holds it, and a test checks it against both the Pydantic
fields and the tables, so a new schema field fails until it is stored somewhere.
"""

from __future__ import annotations

import time
from typing import Any

from extractor.store.scrubbing import to_json
from schemas.records import Agreement, ArticleExtraction, Meeting, Metric, Participant, Project

# model field -> column(s) of its table, or "<table>" for a child table
STORED_AS: dict[type, dict[str, tuple[str, ...]]] = {
    Meeting: {
        "date": ("date", "date_precision"),
        "location": ("city", "country", "geonameid", "lat", "lon"),
        "format": ("format",),
        "participants": ("<participants>",),
        "topics": ("topics",),
        "evidence": ("<evidence>",),
        "checks": ("<checks>",),
    },
    Participant: {"name": ("name",), "role": ("role",), "country": ("country",)},
    Agreement: {
        "title": ("title",),
        "kind": ("kind",),
        "status": ("status",),
        "parties": ("parties",),
        "sector": ("sector",),
        "period": ("period",),
        "evidence": ("<evidence>",),
        "checks": ("<checks>",),
    },
    Metric: {
        "name": ("name",),
        "value": ("value",),
        "value_max": ("value_max",),
        "unit": ("unit",),
        "qualifier": ("qualifier",),
        "kind": ("kind",),
        "period": ("period",),
        "scope": ("countries", "route"),
        "evidence": ("<evidence>",),
        "verification": (
            "verification",
            "verification_reason",
            "surface",
            "span_start",
            "span_end",
        ),
        "checks": ("<checks>",),
    },
    Project: {
        "name": ("name",),
        "sector": ("sector",),
        "status": ("status",),
        "countries": ("countries",),
        "places": ("places",),
        "evidence": ("<evidence>",),
        "place_refs": ("place_refs",),
        "checks": ("<checks>",),
    },
}
TABLE_OF: dict[type, str] = {
    Meeting: "meetings",
    Participant: "participants",
    Agreement: "agreements",
    Metric: "metrics",
    Project: "projects",
}


def article_row(ex: ArticleExtraction) -> dict[str, Any]:
    """The ``articles`` row of one extraction (the whole extraction kept as JSON)."""
    return {
        "path": ex.source.path,
        "sha256": ex.source.sha256,
        "backend": ex.backend,
        "model": ex.model,
        "prompt_version": ex.prompt_version or "",
        "schema_version": ex.schema_version,
        "title": ex.source.title,
        "outlet": ex.source.outlet,
        "published": ex.source.published,
        "chars": ex.source.chars,
        "requests": ex.usage.requests,
        "prompt_tokens": ex.usage.prompt_tokens,
        "completion_tokens": ex.usage.completion_tokens,
        "warnings": to_json(ex.warnings),
        "extraction": ex.model_dump_json(),
        "created": time.time(),
    }


def meeting_row(m: Meeting) -> dict[str, Any]:
    """The ``meetings`` columns of one meeting."""
    return {
        "date": m.date.value,
        "date_precision": m.date.precision.value,
        "city": m.location.city,
        "country": m.location.country,
        "geonameid": m.location.geonameid,
        "lat": m.location.lat,
        "lon": m.location.lon,
        "format": m.format.value,
        "topics": to_json(m.topics),
    }


def participant_row(p: Participant) -> dict[str, Any]:
    """The ``participants`` columns of one participant."""
    return {"name": p.name, "role": p.role, "country": p.country}


def agreement_row(a: Agreement) -> dict[str, Any]:
    """The ``agreements`` columns of one agreement."""
    return {
        "title": a.title,
        "kind": a.kind.value,
        "status": a.status.value,
        "parties": to_json(a.parties),
        "sector": a.sector,
        "period": a.period.text if a.period else None,
    }


def metric_row(x: Metric) -> dict[str, Any]:
    """The ``metrics`` columns of one metric, its verification included."""
    v = x.verification
    return {
        "name": x.name,
        "value": x.value,
        "value_max": x.value_max,
        "unit": x.unit,
        "qualifier": x.qualifier.value,
        "kind": x.kind.value,
        "period": x.period.text if x.period else None,
        "countries": to_json(x.scope.countries),
        "route": to_json(x.scope.route),
        "verification": v.status.value,
        "verification_reason": v.reason,
        "surface": v.surface,
        "span_start": v.start,
        "span_end": v.end,
    }


def project_row(p: Project) -> dict[str, Any]:
    """The ``projects`` columns of one project."""
    return {
        "name": p.name,
        "sector": p.sector,
        "status": p.status.value,
        "countries": to_json(p.countries),
        "places": to_json(p.places),
        "place_refs": to_json([r.model_dump(mode="json") for r in p.place_refs]),
    }
