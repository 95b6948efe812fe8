"""Consolidate per-article extractions: one record per real event, person, project, agreement.

``consolidate`` is pure (extractions in, a ``Consolidated`` out); ``consolidate_dir`` reads a
batch output directory at the edge; ``to_rows`` flattens the result into plain table rows for
the store. The rules, in the order they run:

1. **Persons.** Full names (first name + surname) are one person when both tokens match up to a
   Russian case ending (``extractor.consolidate.canonical.same_name``) or the first name is an initial. A
   surname alone joins the only full name with that surname in the same article, else the only
   one anywhere; a bare title ("Глава государства") joins the only head of state, or the only
   person, of its country. Ambiguous links are left apart and listed in ``warnings``.
2. **Meetings.** Two meetings from different articles are one event when *hard* checks pass —
   the same set of persons, compatible dates (``2025-11`` fits ``2025-11-25``; no date fits
   any), compatible place, not a phone call against an in-person meeting — and the content
   agrees: the same day, or a shared verbatim passage (three 6-word shingles) or a shared
   current figure (level or change with equal value), or, when both are dated, topics /
   projects / agreements overlapping by a Jaccard index of at least 0.3. A recurring target or
   project alone never merges two undated reports. Pairs merge greedily by strength, and a
   cluster only grows while every pair in it still passes the hard checks.
3. **Article dates.** An article's date is its publication date, else the date of the merged
   meeting it reports (a copy of a dated report inherits the date).
4. **Projects** by kind + waypoint set (``extractor.consolidate.canonical.project_key``), **agreements** by
   kind + parties + distinctive title lemmas, **metrics** by normalised name + kind + unit +
   scope; each with a timeline ordered by article date.
5. **Conflicts.** Two *verified* statements of one metric from different articles (with no field
   the article does not support), for the same
   period (a figure with no period covers the year of its article), whose value ranges cannot
   both hold (``more than 500`` fits ``600``; ``1.5 million`` does not fit ``1.7 million``).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from extractor.consolidate import canonical as cn
from extractor.consolidate.persons import resolve_persons
from extractor.consolidate.rows import to_rows
from extractor.lexicon.countries import country_name
from schemas.consolidated import (
    AgreementEvent,
    Alias,
    ArticleRef,
    CanonicalAgreement,
    CanonicalMeeting,
    CanonicalProject,
    Conflict,
    Consolidated,
    Country,
    MetricStatement,
    MetricTimeline,
    Person,
    ProjectEvent,
)
from schemas.enums import (
    CheckStatus,
    DatePrecision,
    MeetingFormat,
    MetricKind,
    Qualifier,
    VerificationStatus,
)
from schemas.records import ArticleExtraction, DateValue, Location, Meeting

SHINGLE = 6  # words per shingle: long enough that a shared one is a shared passage, not a phrase
MIN_SHARED_SHINGLES = 3
MIN_TOPIC_JACCARD = 0.3
EXACT_TOLERANCE = 0.005  # relative: rounding in "1,5 млн" vs "1 500 000"
ABOUT_TOLERANCE = 0.10  # relative: "около", "порядка"


# --------------------------------------------------------------------------------------- meetings


@dataclass
class _MeetingInfo:
    art: int
    index: int
    meeting: Meeting
    people: frozenset[str]
    shingles: frozenset[tuple[str, ...]]
    figures: frozenset[tuple[Any, ...]]
    themes: frozenset[str]


def _shingles(quotes: Iterable[str]) -> frozenset[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for quote in quotes:
        ws = [cn.fold(w) for w in cn.words(quote)]
        out.update(tuple(ws[i : i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1))
    return frozenset(out)


def _meeting_info(ext: ArticleExtraction, a: int, i: int, people: frozenset[str]) -> _MeetingInfo:
    meeting = ext.meetings[i]
    quotes = [e.quote for e in meeting.evidence]
    figures: set[tuple[Any, ...]] = set()
    themes = {cn.lemma(w) for t in meeting.topics for w in cn.words(t)}
    if len(ext.meetings) == 1:  # the whole article is about this meeting
        records: list[Any] = [*ext.agreements, *ext.metrics, *ext.projects]
        quotes += [e.quote for r in records for e in r.evidence]
        figures = {
            (cn.metric_name(x.name), x.kind, x.unit, x.value, x.value_max)
            for x in ext.metrics
            if x.kind is not MetricKind.target
        }
        themes |= {f"project:{cn.project_key(p.name)[:2]}" for p in ext.projects}
        themes |= {
            f"agreement:{_agreement_key(g.title, g.kind, g.parties)}" for g in ext.agreements
        }
    return _MeetingInfo(
        a, i, meeting, people, _shingles(quotes), frozenset(figures), frozenset(themes)
    )


def dates_compatible(a: DateValue, b: DateValue) -> bool:
    """Tell whether two dates can be the same day: equal up to the coarser precision."""
    if a.value is None or b.value is None:
        return True
    n = min(len(a.value), len(b.value))
    return a.value[:n] == b.value[:n]


def _places_compatible(a: Location, b: Location) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    return not (a.city and b.city and not cn.same_name(a.city, b.city))


def _hard_ok(x: _MeetingInfo, y: _MeetingInfo) -> bool:
    phone = (
        x.meeting.format is MeetingFormat.phone_call,
        y.meeting.format is MeetingFormat.phone_call,
    )
    return (
        x.art != y.art
        and bool(x.people)
        and x.people == y.people
        and dates_compatible(x.meeting.date, y.meeting.date)
        and _places_compatible(x.meeting.location, y.meeting.location)
        and phone[0] == phone[1]
    )


def _affinity(x: _MeetingInfo, y: _MeetingInfo) -> tuple[float, str] | None:
    """How strongly the content says two compatible meetings are one event, and why; or None."""
    dx, dy = x.meeting.date, y.meeting.date
    same_day = dx.precision is DatePrecision.day and dx.value == dy.value
    shared = len(x.shingles & y.shingles)
    figures = len(x.figures & y.figures)
    union = x.themes | y.themes
    jaccard = len(x.themes & y.themes) / len(union) if union else 0.0
    both_dated = dx.value is not None and dy.value is not None
    reasons = []
    if same_day:
        reasons.append(f"same day {dx.value}")
    if shared >= MIN_SHARED_SHINGLES:
        reasons.append(f"{shared} shared {SHINGLE}-word passages")
    if figures:
        reasons.append(f"{figures} shared current figures")
    if both_dated and jaccard >= MIN_TOPIC_JACCARD:
        reasons.append(f"topic overlap {jaccard:.2f}")
    if not reasons:
        return None
    return 10.0 * same_day + 2.0 * figures + 0.1 * shared + jaccard, "; ".join(reasons)


def _cluster_meetings(infos: list[_MeetingInfo]) -> list[tuple[list[int], list[str]]]:
    scored = []
    for i, j in combinations(range(len(infos)), 2):
        if _hard_ok(infos[i], infos[j]) and (hit := _affinity(infos[i], infos[j])):
            scored.append((hit[0], i, j, hit[1]))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    owner = list(range(len(infos)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(infos))}
    reasons: dict[int, list[str]] = {i: [] for i in range(len(infos))}
    for _, i, j, why in scored:
        ri, rj = owner[i], owner[j]
        if ri == rj or not all(
            _hard_ok(infos[p], infos[q]) for p in members[ri] for q in members[rj]
        ):
            continue
        for k in members[rj]:
            owner[k] = ri
        members[ri] += members.pop(rj)
        reasons[ri] += reasons.pop(rj) + [f"{_label(infos[i])} = {_label(infos[j])}: {why}"]
    return [(sorted(m), reasons[r]) for r, m in sorted(members.items())]


def _label(info: _MeetingInfo) -> str:
    return f"article {info.art} meetings[{info.index}]"


def _merge_meetings(
    extractions: Sequence[ArticleExtraction],
    ids: dict[tuple[int, int, int], str],
    persons: dict[str, Person],
) -> list[tuple[CanonicalMeeting, list[int]]]:
    infos = [
        _meeting_info(ext, a, i, frozenset(ids[(a, i, k)] for k in range(len(mt.participants))))
        for a, ext in enumerate(extractions)
        for i, mt in enumerate(ext.meetings)
    ]
    out: list[tuple[CanonicalMeeting, list[int]]] = []
    taken: set[str] = set()
    for group, reasons in _cluster_meetings(infos):
        parts = [infos[g] for g in group]
        date = max((p.meeting.date for p in parts), key=lambda d: len(d.value or ""))
        location = max(
            (p.meeting.location for p in parts),
            key=lambda loc: (loc.city is not None, loc.country is not None),
        )
        people = sorted(parts[0].people)
        surnames = "+".join(cn.slug(persons[p].name.split()[-1]) for p in people) or "unknown"
        sources = [
            cn.source_ref(extractions[p.art], f"meetings[{p.index}]", p.meeting.evidence)
            for p in parts
        ]
        meeting = CanonicalMeeting(
            id=cn.unique_id(f"meeting:{date.value or 'undated'}:{surnames}", taken),
            date=date,
            location=location,
            formats=list(dict.fromkeys(p.meeting.format for p in parts)),
            participants=people,
            participant_names=[persons[p].name for p in people],
            topics=list(dict.fromkeys(t for p in parts for t in p.meeting.topics)),
            sources=sources,
            merge_reasons=reasons,
        )
        out.append((meeting, sorted({p.art for p in parts})))
    return out


# ----------------------------------------------------------------------- projects and agreements


def _agreement_key(title: str, kind: Any, parties: Sequence[str]) -> str:
    distinctive = sorted({w for w in cn.lemmas(title) if len(w) > 2})
    return f"{kind}:{'+'.join(sorted(parties))}:{'+'.join(distinctive)}"


def _projects(
    extractions: Sequence[ArticleExtraction], dates: list[str | None]
) -> list[CanonicalProject]:
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[int, int, list[str], str]]] = defaultdict(
        list
    )
    for a, ext in enumerate(extractions):
        for i, p in enumerate(ext.projects):
            kind, ident, points, rule = cn.project_key(p.name)
            if not ident:
                ident = (cn.slug(p.name),)
            groups[(kind, ident)].append((a, i, points, rule))
    out = []
    for (kind, ident), items in groups.items():
        projects = [extractions[a].projects[i] for a, i, _, _ in items]
        names = Counter(p.name for p in projects)
        name = names.most_common(1)[0][0]
        rules = {extractions[a].projects[i].name: rule for a, i, _, rule in items}
        timeline = sorted(
            (
                ProjectEvent(
                    date=dates[a],
                    status=extractions[a].projects[i].status,
                    name=extractions[a].projects[i].name,
                    source=cn.source_ref(
                        extractions[a], f"projects[{i}]", extractions[a].projects[i].evidence
                    ),
                )
                for a, i, _, _ in items
            ),
            key=lambda e: (e.date or "", e.source.sha256),
        )
        out.append(
            CanonicalProject(
                id=f"project:{kind}:{'+'.join(ident)}",
                name=name,
                kind=kind,
                waypoints=next((pts for _, _, pts, _ in items if pts), []),
                countries=sorted({c for p in projects for c in p.countries}),
                sector=next((p.sector for p in projects if p.sector), None),
                aliases=[Alias(text=n, rule=rules[n]) for n in names if n != name],
                status=timeline[-1].status,
                timeline=timeline,
            )
        )
    return sorted(out, key=lambda p: (-len(p.timeline), p.id))


def _agreements(
    extractions: Sequence[ArticleExtraction], dates: list[str | None]
) -> list[CanonicalAgreement]:
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for a, ext in enumerate(extractions):
        for i, g in enumerate(ext.agreements):
            groups[_agreement_key(g.title, g.kind, g.parties)].append((a, i))
    out = []
    for key, items in groups.items():
        records = [extractions[a].agreements[i] for a, i in items]
        titles = Counter(g.title for g in records)
        title = titles.most_common(1)[0][0]
        timeline = sorted(
            (
                AgreementEvent(
                    date=dates[a],
                    status=extractions[a].agreements[i].status,
                    title=extractions[a].agreements[i].title,
                    source=cn.source_ref(
                        extractions[a], f"agreements[{i}]", extractions[a].agreements[i].evidence
                    ),
                )
                for a, i in items
            ),
            key=lambda e: (e.date or "", e.source.sha256),
        )
        first = records[0]
        out.append(
            CanonicalAgreement(
                id=f"agreement:{first.kind}:{'+'.join(sorted(first.parties))}:{cn.digest(key)}",
                title=title,
                kind=first.kind,
                parties=sorted(first.parties),
                sector=next((g.sector for g in records if g.sector), None),
                period=next((g.period for g in records if g.period), None),
                aliases=[Alias(text=t, rule="name") for t in titles if t != title],
                status=timeline[-1].status,
                timeline=timeline,
            )
        )
    return sorted(out, key=lambda g: (-len(g.timeline), g.id))


# -------------------------------------------------------------------------- metrics and conflicts


def _metrics(
    extractions: Sequence[ArticleExtraction], dates: list[str | None]
) -> list[MetricTimeline]:
    groups: dict[tuple[Any, ...], list[MetricStatement]] = defaultdict(list)
    for a, ext in enumerate(extractions):
        for i, m in enumerate(ext.metrics):
            route = tuple(cn.fold(r) for r in m.scope.route)
            key = (cn.metric_name(m.name), m.kind, m.unit, tuple(sorted(m.scope.countries)), route)
            period = m.period
            pkey = cn.period_key(
                period.text if period else None,
                period.start if period else None,
                period.end if period else None,
                dates[a],
            )
            groups[key].append(
                MetricStatement(
                    date=dates[a],
                    period_key=pkey,
                    name=m.name,
                    value=m.value,
                    value_max=m.value_max,
                    unit=m.unit,
                    qualifier=m.qualifier,
                    kind=m.kind,
                    period=period,
                    verification=m.verification,
                    unsupported=[c.field for c in m.checks if c.status is CheckStatus.unsupported],
                    source=cn.source_ref(ext, f"metrics[{i}]", m.evidence),
                )
            )
    out = []
    for (name, kind, unit, countries, route), entries in groups.items():
        scope = "+".join(countries) or "-"
        out.append(
            MetricTimeline(
                id=f"metric:{cn.slug(name)}:{kind}:{unit or '-'}:{scope}"
                + (f":{cn.slug(' '.join(route))}" if route else ""),
                name=display_name(entries),
                kind=kind,
                unit=unit,
                countries=list(countries),
                route=list(route),
                entries=sorted(entries, key=lambda e: (e.date or "", e.source.sha256)),
            )
        )
    return sorted(out, key=lambda t: (-len(t.entries), t.id))


def display_name(entries: Sequence[MetricStatement]) -> str:
    """The name a metric is shown by: the form its sources write most ("объем перевозок").

    Statements are grouped by the lemmas of their names ("объем перевозка"), which read wrong;
    the shown name is one a source wrote, the most frequent, ties to the earliest.
    """
    counts = Counter(e.name for e in entries)
    first = {e.name: (e.date or "", e.source.sha256) for e in reversed(entries)}
    return min(counts, key=lambda n: (-counts[n], first[n]))


def value_range(s: MetricStatement) -> tuple[float, float]:
    """The values a statement allows, from its qualifier: ``more_than 5`` -> (5, inf)."""
    v, hi = s.value, s.value_max
    if hi is not None:
        return min(v, hi), max(v, hi)
    q = s.qualifier
    if q in (Qualifier.more_than, Qualifier.at_least):
        return v, math.inf
    if q in (Qualifier.less_than, Qualifier.at_most) or (
        q is Qualifier.up_to and s.kind is not MetricKind.target
    ):
        return -math.inf, v
    tol = ABOUT_TOLERANCE if q is Qualifier.about else EXACT_TOLERANCE
    return v - abs(v) * tol, v + abs(v) * tol


def effective_period(s: MetricStatement) -> str:
    """The period a statement covers: its own, else the year of its article ('' if undated)."""
    return s.period_key or (f"year {s.date[:4]}" if s.date else "")


def _conflicts(timelines: list[MetricTimeline]) -> list[Conflict]:
    out: list[Conflict] = []
    for t in timelines:
        # only statements the article supports: a verified figure under a wrong name is no fact
        verified = [
            e
            for e in t.entries
            if e.verification.status is VerificationStatus.verified and not e.unsupported
        ]
        for a, b in combinations(verified, 2):
            if a.source.sha256 == b.source.sha256 or effective_period(a) != effective_period(b):
                continue
            (alo, ahi), (blo, bhi) = value_range(a), value_range(b)
            if alo <= bhi and blo <= ahi:
                continue
            reason = (
                f"{_state(a)} vs {_state(b)} for period «{effective_period(a) or 'undated'}»: "
                "the ranges do not overlap"
            )
            out.append(
                Conflict(
                    id=f"conflict:{t.id}:{len(out)}",
                    metric_id=t.id,
                    period_key=effective_period(a),
                    reason=reason,
                    a=a,
                    b=b,
                )
            )
    return out


def _state(s: MetricStatement) -> str:
    surface = s.verification.surface or s.name
    return f"«{surface}» ({s.qualifier} {s.value:g}{' ' + s.unit if s.unit else ''})"


# ------------------------------------------------------------------------------------- assembling
def _countries(extractions: Sequence[ArticleExtraction]) -> list[Country]:
    seen: dict[str, list[str]] = defaultdict(list)
    for ext in extractions:
        codes: set[str] = set()
        for mt in ext.meetings:
            codes |= {p.country for p in mt.participants if p.country}
            codes |= {mt.location.country} if mt.location.country else set()
        codes |= {c for g in ext.agreements for c in g.parties}
        codes |= {c for m in ext.metrics for c in m.scope.countries}
        codes |= {c for p in ext.projects for c in p.countries}
        for code in codes:
            seen[code].append(ext.source.sha256)
    return [
        Country(code=code, name=country_name(code), articles=shas)
        for code, shas in sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]


def consolidate(extractions: list[ArticleExtraction]) -> Consolidated:
    """Merge per-article extractions into one record per real event, person, project and agreement.

    Args:
        extractions: Verified extractions, one per article; a repeated article (same SHA-256)
            is used once.

    Returns:
        Canonical persons, countries, meetings (with every source and why they were merged),
        projects and agreements with timelines, metric timelines, conflicts between sources,
        and warnings for links left ambiguous. The rules are in this module's docstring.
    """
    warnings: list[str] = []
    unique: dict[str, ArticleExtraction] = {}
    for ext in extractions:
        if ext.source.sha256 in unique:
            warnings.append(
                f"article {ext.source.path or ext.source.sha256[:12]} given twice; used once"
            )
            continue
        unique[ext.source.sha256] = ext
    exts = list(unique.values())
    persons, ids = resolve_persons(exts, warnings)
    by_id = {p.id: p for p in persons}
    merged = _merge_meetings(exts, ids, by_id)
    dates: list[str | None] = [e.source.published for e in exts]
    for meeting, arts in merged:
        if meeting.date.value and meeting.date.precision in (
            DatePrecision.day,
            DatePrecision.month,
        ):
            for a in arts:
                dates[a] = dates[a] or meeting.date.value
    metrics = _metrics(exts, dates)
    return Consolidated(
        articles=[
            ArticleRef(
                sha256=e.source.sha256,
                path=e.source.path,
                title=e.source.title,
                outlet=e.source.outlet,
                published=e.source.published,
            )
            for e in exts
        ],
        persons=persons,
        countries=_countries(exts),
        meetings=[m for m, _ in merged],
        projects=_projects(exts, dates),
        agreements=_agreements(exts, dates),
        metrics=metrics,
        conflicts=_conflicts(metrics),
        warnings=warnings,
    )


def load_extractions(out_dir: str | Path) -> tuple[list[ArticleExtraction], list[str]]:
    """Read every article extraction ``out_dir/*.json`` holds, sorted by file name.

    JSON files that are not article extractions (no ``source`` and ``schema_version`` keys, e.g.
    a consolidated dump or a failures list) are skipped silently; ones that look like
    extractions but fail validation are skipped with a warning naming the file.
    """
    exts: list[ArticleExtraction] = []
    warnings: list[str] = []
    for path in sorted(Path(out_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            warnings.append(f"{path}: not readable JSON ({err}); skipped")
            continue
        if not isinstance(data, dict) or not {"source", "schema_version"} <= data.keys():
            continue
        try:
            exts.append(ArticleExtraction.model_validate(data))
        except ValidationError as err:
            warnings.append(
                f"{path}: not a valid article extraction ({err.error_count()} errors); skipped"
            )
    return exts, warnings


def consolidate_dir(out_dir: str | Path) -> Consolidated:
    """Consolidate every article extraction in a batch output directory (see ``consolidate``)."""
    exts, warnings = load_extractions(out_dir)
    result = consolidate(exts)
    return result.model_copy(update={"warnings": warnings + result.warnings})


__all__ = [
    "consolidate",
    "consolidate_dir",
    "dates_compatible",
    "effective_period",
    "load_extractions",
    "to_rows",
    "value_range",
]
