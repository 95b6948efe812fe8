"""Check every record against the article: figures located, quotes grounded, offsets computed.

``verify`` is pure: it returns a copy of the records with every evidence span computed here and
every metric marked verified / mismatch / not_found. ``CheckedRecords`` is the response model the
LLM path hands to instructor: its validator runs the same code on the article text passed as
validation context, and its error names each bad figure and the nearest candidate, so the
re-ask can fix it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationInfo, model_validator

from extractor.core.checks import check_records, unsupported_fields, value_at
from extractor.core.figures import Figure, locate, nearest
from extractor.core.grounding import ground
from extractor.core.matching import is_slip, sign_conflict
from schemas.enums import GroundingStatus, VerificationStatus
from schemas.records import Evidence, Metric, Records, Verification, strip_computed

CONTEXT_KEY = "article"
PUBLISHED_KEY = "published"  # the page's publication date, when the text has no header line


def verify(records: Records, text: str, *, published: str | None = None) -> Records:
    """Return a copy of ``records`` with evidence located, figures and every field checked.

    Each metric's figure is marked verified / mismatch / not_found, and every record gets its
    ``checks``: one per non-empty field, supported / inferred / unsupported
    (:mod:`extractor.core.checks`). ``published`` is the page's publication date (ISO) when
    the text has no header line with it: a meeting "today" or "yesterday" is dated from it.
    """
    located = records.model_copy(
        update={
            "meetings": [_with_evidence(r, text) for r in records.meetings],
            "agreements": [_with_evidence(r, text) for r in records.agreements],
            "projects": [_with_evidence(r, text) for r in records.projects],
            "metrics": [verify_metric(_with_evidence(m, text), text) for m in records.metrics],
        }
    )
    return check_records(located, text, published)


def ground_evidence(evidence: Evidence, text: str) -> Evidence:
    """Locate one quote in the text; offsets and status are always recomputed here."""
    span = ground(evidence.quote, text)
    return evidence.model_copy(
        update={"start": span.start, "end": span.end, "status": span.status, "score": span.score}
    )


def _with_evidence(record: Any, text: str) -> Any:
    return record.model_copy(
        update={"evidence": [ground_evidence(e, text) for e in record.evidence]}
    )


def verify_metric(metric: Metric, text: str) -> Metric:
    """Mark a metric verified (with the figure's span), mismatch (naming the nearest), or not_found.

    Whether a figure states the metric, and whether a near figure is a slip, is the one rule of
    :mod:`extractor.core.matching` (magnitudes compared; a sign the text contradicts is noted).
    """
    candidates = locate(text, metric.value, metric.unit, value_max=metric.value_max)
    if candidates:
        # Prefer the mention inside the quoted evidence, then the one nearest to it.
        best = min(
            candidates,
            key=lambda f: (not _inside_evidence(f, metric), _distance_to_evidence(f, metric)),
        )
        notes = []
        if metric.evidence and not _inside_evidence(best, metric):
            notes.append("figure found outside the quoted evidence")
        if sign_conflict(best, metric.value):
            notes.append(f"the text writes «{best.text}», a negative figure, for a positive value")
        reason = "; ".join(notes) or None
        verification = Verification(
            status=VerificationStatus.verified,
            reason=reason,
            start=best.start,
            end=best.end,
            surface=text[best.start : best.end],
        )
    else:
        near = nearest(text, metric.value, metric.unit, value_max=metric.value_max)
        what = _describe(metric.value, metric.value_max, metric.unit)
        if near is not None and is_slip(near[0], metric.value):
            fig, why = near
            verification = Verification(
                status=VerificationStatus.mismatch,
                reason=(
                    f"{what} is not stated in the article; nearest candidate "
                    f"«{text[fig.start : fig.end]}» = {_describe(fig.value, fig.value_max, fig.unit)} "
                    f"at offset {fig.start} ({why})"
                ),
                start=fig.start,
                end=fig.end,
                surface=text[fig.start : fig.end],
            )
        else:
            hint = ""
            if near is not None:
                fig = near[0]
                hint = (
                    f"; the closest figure is «{text[fig.start : fig.end]}» at offset "
                    f"{fig.start}, too far off to be a slip"
                )
            verification = Verification(
                status=VerificationStatus.not_found,
                reason=f"{what} is not stated anywhere in the article{hint}",
            )
    return metric.model_copy(update={"verification": verification})


def problems(records: Records) -> list[str]:
    """Messages for every metric not verified, quote not found and field unsupported.

    Each names the record, the field, the value and what the text says instead, so a re-ask
    can fix it.
    """
    out: list[str] = []
    for i, m in enumerate(records.metrics):
        if m.verification.status is not VerificationStatus.verified:
            out.append(f"metrics[{i}] {m.name!r}: {m.verification.reason}")
    for kind in ("meetings", "agreements", "metrics", "projects"):
        for i, record in enumerate(getattr(records, kind)):
            for c in unsupported_fields(record):
                if c.field in _FIGURE_FIELDS and _unverified(record):
                    continue  # the figure's own message above says it
                value = value_at(record, c.field)
                out.append(
                    f"{kind}[{i}].{c.field} = {value!r} is not supported by the article: "
                    f"{c.reason}; correct it to what the article states, or remove it"
                )
    for kind in ("meetings", "agreements", "metrics", "projects"):
        for i, record in enumerate(getattr(records, kind)):
            for j, e in enumerate(record.evidence):
                if e.status is GroundingStatus.unresolved:
                    out.append(
                        f"{kind}[{i}].evidence[{j}]: quote {e.quote[:80]!r} is not in the "
                        "article; copy a sentence from the article word for word"
                    )
    return out


# Fields of a metric that follow from its figure: no separate message when the figure is not found.
_FIGURE_FIELDS = frozenset({"name", "unit", "kind"})


def _unverified(record: Any) -> bool:
    return (
        isinstance(record, Metric) and record.verification.status is not VerificationStatus.verified
    )


_SCHEMAS: dict[Any, str] = {}


class CheckedRecords(Records):
    """Records whose figures and quotes must be in the article passed as validation context."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The schema a model sees: without the fields this project computes."""
        # Built once per argument set (about 25 ms each): instructor asks on every request.
        # Callers get a fresh copy, since some of them edit the schema they are given.
        # instructor wraps the class in a new subclass per request (same fields): key the cache
        # on the project's own class, so it stays one entry and is not a leak.
        own: type[Records] = next(
            c
            for c in cls.__mro__
            if not any(k.__module__.startswith("instructor") for k in c.__mro__)
        )
        if set(cls.model_fields) != set(own.model_fields):
            return strip_computed(super().model_json_schema(*args, **kwargs))
        key = (own, cls.__name__, cls.__doc__, args, tuple(sorted(kwargs.items())))
        try:
            cached = _SCHEMAS.get(key)
        except TypeError:  # an unhashable argument: build it every time
            return strip_computed(super().model_json_schema(*args, **kwargs))
        if cached is None:
            cached = json.dumps(strip_computed(super().model_json_schema(*args, **kwargs)))
            _SCHEMAS[key] = cached
        schema: dict[str, Any] = json.loads(cached)
        return schema

    @model_validator(mode="after")
    def _grounded_in_article(self, info: ValidationInfo) -> CheckedRecords:
        text = (info.context or {}).get(CONTEXT_KEY)
        if text is None:
            return self
        found = problems(verify(self, text, published=(info.context or {}).get(PUBLISHED_KEY)))
        if found:
            raise ValueError(
                "Some figures, quotes or fields are not in the article. Fix or remove them, using "
                "only what the article states:\n- " + "\n- ".join(found)
            )
        return self


def _inside_evidence(fig: Figure, metric: Metric) -> bool:
    return any(
        e.start is not None and e.end is not None and e.start <= fig.start and fig.end <= e.end
        for e in metric.evidence
    )


def _distance_to_evidence(fig: Figure, metric: Metric) -> int:
    starts = [e.start for e in metric.evidence if e.start is not None]
    if not starts:
        return fig.start
    return min(abs(fig.start - s) for s in starts)


def _describe(value: float, value_max: float | None, unit: str | None) -> str:
    amount = f"{value:g}" if value_max is None else f"{value:g}–{value_max:g}"
    return f"{amount} {unit}" if unit else amount
