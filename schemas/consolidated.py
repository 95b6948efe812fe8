"""Records consolidated across articles: one per real-world person, event, project, agreement.

Every consolidated record keeps each source behind it (article SHA-256, path and the evidence
spans in that article), so a reader can go from a merged fact back to every sentence stating it.
Built by ``extractor.consolidate``; these models hold data only.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.enums import (
    AgreementKind,
    AgreementStatus,
    MeetingFormat,
    MetricKind,
    ProjectStatus,
    Qualifier,
)
from schemas.records import CountryCode, DateValue, Evidence, Location, Period, Verification

CONSOLIDATED_VERSION = "1.0"


class _Strict(BaseModel):
    """Base for consolidated models: strict, no unknown keys."""

    model_config = ConfigDict(extra="forbid")


class ArticleRef(_Strict):
    """One article that contributed records."""

    sha256: str = Field(description="SHA-256 of the article text (UTF-8).")
    path: str | None = Field(description="File the article was read from, if known.")
    title: str | None = Field(description="Headline, if any.")
    outlet: str | None = Field(description="Outlet named as the source, if any.")
    published: str | None = Field(description="Publication date (ISO) from the header, if any.")


class SourceRef(_Strict):
    """Where in which article a consolidated record is stated."""

    sha256: str = Field(description="SHA-256 of the article text.")
    path: str | None = Field(description="File the article was read from, if known.")
    record: str = Field(description="Which record of that article, e.g. 'meetings[0]'.")
    evidence: list[Evidence] = Field(description="The record's evidence quotes with their spans.")


class Alias(_Strict):
    """One way a canonical entity is written, and the rule that linked it."""

    text: str = Field(description="The form as written in a record.")
    rule: str = Field(
        description="Why it is this entity: 'canonical', 'inflection', 'surname', "
        "'title', 'adjective', 'dash-list', 'name'."
    )


class Person(_Strict):
    """One real person across articles."""

    id: str = Field(description="Stable id, e.g. 'person:токаев-касым-жомарт'.")
    name: str = Field(description="Canonical full name, nominative.")
    aliases: list[Alias] = Field(description="Every other form seen, with its rule.")
    titles: list[str] = Field(description="Roles stated for the person, e.g. 'Президент'.")
    countries: list[CountryCode] = Field(description="Countries the person represented.")
    sources: list[SourceRef] = Field(description="Meetings naming the person.")


class Country(_Strict):
    """A country named by any record."""

    code: CountryCode
    name: str = Field(description="Russian name, e.g. 'Казахстан'.")
    articles: list[str] = Field(description="SHA-256 of the articles whose records name it.")


class CanonicalMeeting(_Strict):
    """One real meeting, merged from every article that reports it."""

    id: str = Field(description="Stable id, e.g. 'meeting:2025-11-25:токаев+бердымухамедов'.")
    date: DateValue = Field(description="The most precise date any source gives.")
    location: Location = Field(description="The most specific place any source gives.")
    formats: list[MeetingFormat] = Field(description="Formats the sources report.")
    participants: list[str] = Field(description="Person ids, sorted.")
    participant_names: list[str] = Field(description="Canonical names, in the same order.")
    topics: list[str] = Field(description="Union of topics, first-seen order.")
    sources: list[SourceRef] = Field(description="Every article record merged here.")
    merge_reasons: list[str] = Field(description="Why each extra source was merged in.")


class ProjectEvent(_Strict):
    """A project as one article states it: a point of its timeline."""

    date: str | None = Field(description="Publication date of the article (ISO), if known.")
    status: ProjectStatus
    name: str = Field(description="The name as written in that article.")
    source: SourceRef


class CanonicalProject(_Strict):
    """One real project across articles, with its timeline."""

    id: str = Field(
        description="Stable id from kind and waypoints, e.g. 'project:railway:IR+KZ+TM'."
    )
    name: str = Field(description="Display name (most frequent form).")
    kind: str = Field(description="Kind of infrastructure, e.g. 'railway', 'road', 'port'.")
    waypoints: list[str] = Field(description="Countries (ISO) or places that identify it, ordered.")
    countries: list[CountryCode]
    sector: str | None
    aliases: list[Alias]
    status: ProjectStatus = Field(description="Status in the latest dated source.")
    timeline: list[ProjectEvent] = Field(description="One entry per source, by date.")


class AgreementEvent(_Strict):
    """An agreement as one article states it."""

    date: str | None = Field(description="Publication date of the article (ISO), if known.")
    status: AgreementStatus
    title: str
    source: SourceRef


class CanonicalAgreement(_Strict):
    """One real agreement or decision across articles."""

    id: str
    title: str
    kind: AgreementKind
    parties: list[CountryCode]
    sector: str | None
    period: Period | None
    aliases: list[Alias]
    status: AgreementStatus = Field(description="Status in the latest dated source.")
    timeline: list[AgreementEvent]


class MetricStatement(_Strict):
    """One figure as one article states it: a point of a metric timeline."""

    date: str | None = Field(description="Publication date of the article (ISO), if known.")
    period_key: str = Field(description="Normalised period the figure covers; '' when none.")
    name: str = Field(description="The metric name as written.")
    value: float
    value_max: float | None
    unit: str | None
    qualifier: Qualifier
    kind: MetricKind
    period: Period | None
    verification: Verification
    unsupported: list[str] = Field(
        default_factory=list,
        description="Fields of the record the article does not support (its field checks); "
        "such a statement never makes a conflict.",
    )
    source: SourceRef


class MetricTimeline(_Strict):
    """Every statement of one metric (same normalised name, kind, unit and scope), by date."""

    id: str = Field(description="e.g. 'metric:товарооборот:target:USD:KZ+TM'.")
    name: str = Field(
        description="The name its sources write most (statements are grouped by its lemmas)."
    )
    kind: MetricKind
    unit: str | None
    countries: list[CountryCode]
    route: list[str]
    entries: list[MetricStatement]


class Conflict(_Strict):
    """Two sources state the same metric for the same period with incompatible values."""

    id: str
    metric_id: str = Field(description="The MetricTimeline both statements belong to.")
    period_key: str
    reason: str = Field(description="Why the two values cannot both hold.")
    a: MetricStatement
    b: MetricStatement


class Consolidated(_Strict):
    """Everything consolidated from a set of article extractions."""

    version: str = Field(default=CONSOLIDATED_VERSION)
    articles: list[ArticleRef]
    persons: list[Person]
    countries: list[Country]
    meetings: list[CanonicalMeeting]
    projects: list[CanonicalProject]
    agreements: list[CanonicalAgreement]
    metrics: list[MetricTimeline]
    conflicts: list[Conflict]
    warnings: list[str] = Field(description="Links left ambiguous, inputs skipped, and why.")


__all__ = [
    "CONSOLIDATED_VERSION",
    "AgreementEvent",
    "Alias",
    "ArticleRef",
    "CanonicalAgreement",
    "CanonicalMeeting",
    "CanonicalProject",
    "Conflict",
    "Consolidated",
    "Country",
    "MetricStatement",
    "MetricTimeline",
    "Person",
    "ProjectEvent",
    "SourceRef",
]
