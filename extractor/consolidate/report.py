"""The review page: one self-contained HTML file to check every record against its article.

``build_report`` is the edge (reads ``out_dir/*.json`` and the article files, writes the page);
``highlight`` and ``render`` are pure. Per article the page shows the text with every evidence
span and every checked figure marked and coloured by status, the normalised value on hover,
and the records beside the text, each field the article does not support flagged in red; then the consolidated tables (meetings, projects, metric
timelines, conflicts, persons, agreements). No network: inline CSS and JS only, and a
Content-Security-Policy that forbids loading anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from extractor.consolidate.merge import consolidate, load_extractions
from extractor.core.checks import unsupported_fields, value_at
from extractor.errors import ExtractorError
from extractor.reading import read_article
from schemas.consolidated import Consolidated
from schemas.enums import GroundingStatus, VerificationStatus
from schemas.records import ArticleExtraction, Metric

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class Span:
    """One highlight: a character range of the article and what to show for it."""

    start: int
    end: int
    id: str
    status: str  # verified | mismatch | not_found | exact | normalized | fuzzy | ...
    kind: str  # "evidence" or "figure"
    title: str  # the hover text: the record and its normalised value
    quote: str  # the evidence quote as the record gives it, or the figure's surface
    grounding: str  # how the quote was found: exact | normalized | fuzzy (figures: exact)


@dataclass
class RecordView:
    """One record as shown beside its article."""

    id: str
    kind: str
    label: str
    detail: str
    status: str
    spans: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unsupported: list[tuple[str, str, str]] = field(default_factory=list)  # field, value, why


@dataclass
class ArticleView:
    """One article as shown on the page."""

    anchor: str
    title: str
    path: str | None
    sha256: str
    outlet: str | None
    published: str | None
    html: Markup | None
    problem: str | None
    records: list[RecordView]
    counts: dict[str, int]


def _attrs(span: Span, part: int) -> str:
    cls = "fig" if span.kind == "figure" else "ev"
    anchor = f'id="{escape(span.id)}" ' if part == 0 else ""
    return (
        f'<mark {anchor}class="{cls}" data-id="{escape(span.id)}" data-part="{part}" '
        f'data-status="{escape(span.status)}" data-kind="{escape(span.kind)}" '
        f'data-grounding="{escape(span.grounding)}" data-quote="{escape(span.quote)}" '
        f'title="{escape(span.title)}">'
    )


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """The article text as HTML with one ``<mark>`` per span, nested where spans nest.

    Spans that cross (neither inside the other) cannot nest: the inner one is closed and
    reopened around the boundary, so it becomes several marks with the same ``data-id`` and
    rising ``data-part``; the text of a span's parts, joined, is always ``text[start:end]``.
    Spans outside the text or empty are dropped.
    """
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    # Outer spans open first: by start, then longest, then evidence before figure.
    order = sorted(valid, key=lambda s: (s.start, -s.end, s.kind != "evidence", s.id))
    bounds = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    starts: dict[int, list[Span]] = {}
    for s in order:
        starts.setdefault(s.start, []).append(s)
    stack: list[Span] = []
    parts: dict[str, int] = {}
    out: list[str] = []
    for pos, nxt in zip(bounds, bounds[1:] + [None], strict=True):
        # Close every span ending here; spans above one that ends are closed and reopened.
        if any(s.end == pos for s in stack):
            keep = [s for s in stack if s.end != pos]
            depth = next(i for i, s in enumerate(stack) if s.end == pos)
            out.append("</mark>" * (len(stack) - depth))
            stack = stack[:depth]
            for s in keep[depth:]:
                parts[s.id] += 1
                out.append(_attrs(s, parts[s.id]))
                stack.append(s)
        for s in sorted(starts.get(pos, []), key=lambda s: -s.end):
            parts[s.id] = 0
            out.append(_attrs(s, 0))
            stack.append(s)
        if nxt is not None:
            out.append(str(escape(text[pos:nxt])))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))


def _value(m: Metric) -> str:
    number = _num(m.value)
    if m.value_max is not None:
        number += f"–{_num(m.value_max)}"
    unit = f" {m.unit}" if m.unit else ""
    period = f" · {m.period.text}" if m.period else ""
    return f"{m.qualifier} {number}{unit} ({m.kind}){period}"


def _records(
    ext: ArticleExtraction, anchor: str, has_text: bool
) -> tuple[list[RecordView], list[Span]]:
    views: list[RecordView] = []
    spans: list[Span] = []

    def add(
        kind: str, i: int, label: str, detail: str, status: str, record: Any, hover: str
    ) -> RecordView:
        rid = f"{anchor}-{kind}{i}"
        view = RecordView(rid, kind, label, detail, status)
        for check in unsupported_fields(record):
            value = value_at(record, check.field)
            view.unsupported.append((check.field, str(value), check.reason or ""))
        for j, ev in enumerate(record.evidence):
            if ev.start is None or ev.end is None or ev.status is GroundingStatus.unresolved:
                view.problems.append(f"quote not found in the text: «{ev.quote}»")
                continue
            ev_status = status if kind == "metric" else str(ev.status)
            sid = f"{rid}-e{j}"
            view.spans.append(sid)
            spans.append(
                Span(ev.start, ev.end, sid, ev_status, "evidence", hover, ev.quote, str(ev.status))
            )
        views.append(view)
        return view

    for i, mt in enumerate(ext.meetings):
        people = ", ".join(
            p.name + (f" ({p.country})" if p.country else "") for p in mt.participants
        )
        when = mt.date.value or "date unknown"
        where = mt.location.city or mt.location.country or "place unknown"
        if mt.location.geonameid is not None:
            where += (
                f" ({mt.location.lat:.4f}, {mt.location.lon:.4f}; GeoNames {mt.location.geonameid})"
            )
        detail = f"{mt.format} · {when} · {where}"
        add("meeting", i, people, detail, "meeting", mt, f"Meeting: {people} · {detail}")
    for i, g in enumerate(ext.agreements):
        detail = f"{g.kind} · {g.status} · {'+'.join(g.parties)}" + (
            f" · {g.period.text}" if g.period else ""
        )
        add("agreement", i, g.title, detail, "agreement", g, f"Agreement: {g.title} · {detail}")
    for i, m in enumerate(ext.metrics):
        status = str(m.verification.status)
        hover = f"{m.name}: {_value(m)} · {status}" + (
            f" · {m.verification.reason}" if m.verification.reason else ""
        )
        view = add("metric", i, m.name, _value(m), status, m, hover)
        v = m.verification
        if v.start is not None and v.end is not None:
            sid = f"{anchor}-metric{i}-fig"
            view.spans.append(sid)
            spans.append(
                Span(v.start, v.end, sid, status, "figure", hover, v.surface or "", "exact")
            )
        if v.status is not VerificationStatus.verified:
            view.problems.append(v.reason or f"figure {status}")
    for i, p in enumerate(ext.projects):
        detail = f"{p.status} · {'+'.join(p.countries)}" + (
            f" · {' – '.join(p.places)}" if p.places else ""
        )
        if p.place_refs:
            detail += " · on the map: " + ", ".join(
                f"{r.name} ({r.lat:.4f}, {r.lon:.4f})" for r in p.place_refs
            )
        add("project", i, p.name, detail, "project", p, f"Project: {p.name} · {detail}")
    if not has_text:
        spans = []
    return views, spans


def article_view(
    ext: ArticleExtraction, index: int, text: str | None, problem: str | None
) -> ArticleView:
    """Everything the page shows for one article; ``text`` is None when it could not be read."""
    anchor = f"art{index}"
    records, spans = _records(ext, anchor, text is not None)
    html = None
    if text is not None:
        html = highlight(text, spans)
    counts: dict[str, int] = {}
    for m in ext.metrics:
        counts[str(m.verification.status)] = counts.get(str(m.verification.status), 0) + 1
    flagged = sum(len(r.unsupported) for r in records)
    if flagged:
        counts["unsupported"] = flagged
    return ArticleView(
        anchor=anchor,
        title=ext.source.title or Path(ext.source.path or ext.source.sha256).name,
        path=ext.source.path,
        sha256=ext.source.sha256,
        outlet=ext.source.outlet,
        published=ext.source.published,
        html=html,
        problem=problem,
        records=records,
        counts=counts,
    )


def _num(value: float) -> str:
    """A number for people: thin groups, no trailing zeros (1500000.0 -> '1 500 000')."""
    return f"{value:,.10g}".replace(",", "\u202f")


def _record_anchor(record: str) -> str:
    """The id suffix of a record card: 'metrics[2]' -> 'metric2'."""
    kind, _, rest = record.partition("[")
    return kind.rstrip("s") + rest.rstrip("]")


def render(
    articles: Sequence[ArticleView],
    consolidated: Consolidated,
    warnings: Sequence[str],
    generated: str,
) -> str:
    """The page as one HTML string (Jinja2, autoescaped)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["recanchor"] = _record_anchor
    by_sha = {a.sha256: a for a in articles}
    return env.get_template("report.html.j2").render(
        articles=articles,
        c=consolidated,
        by_sha=by_sha,
        warnings=list(warnings),
        generated=generated,
    )


def _article_text(ext: ArticleExtraction) -> tuple[str | None, str | None]:
    """The article text behind an extraction, or None and why not."""
    if not ext.source.path:
        return None, "the extraction names no article file"
    try:
        text = read_article(ext.source.path).text
    except ExtractorError as err:
        return None, f"article file not readable: {err}"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != ext.source.sha256:
        return None, (
            f"article file {ext.source.path} changed since extraction "
            f"(sha256 {digest[:12]}… ≠ {ext.source.sha256[:12]}…); spans not shown"
        )
    return text, None


def build_report(out_dir: Path, html_path: Path) -> Path:
    """Write the self-contained review page for a batch output directory.

    Args:
        out_dir: Directory of ``*.json`` article extractions (``source.path`` names each
            article file; its text must still hash to ``source.sha256``).
        html_path: Where to write the page (parent directories are created).

    Returns:
        ``html_path``. Articles whose file is missing or changed are shown without text and
        with a warning; files that are not extractions are skipped with a warning.
    """
    extractions, warnings = load_extractions(out_dir)
    views = []
    for i, ext in enumerate(extractions):
        text, problem = _article_text(ext)
        if problem:
            warnings.append(problem)
        views.append(article_view(ext, i, text, problem))
    consolidated = consolidate(extractions)
    page = render(
        views,
        consolidated,
        warnings + consolidated.warnings,
        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_name(html_path.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(html_path)
    return html_path
