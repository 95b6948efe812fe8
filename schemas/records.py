"""The records this project extracts from one article, and the article-level envelope.

Field descriptions are part of the LLM prompt (they go into the JSON Schema the model sees).
Fields marked ``COMPUTED`` are computed by this project (offsets, verification): they are in the
exported JSON Schema but are stripped from the schema a model sees (``strip_computed``), and
whatever a model sends for them is recomputed by verification.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import JsonDict

from schemas.enums import (
    AgreementKind,
    AgreementStatus,
    CheckStatus,
    DatePrecision,
    GroundingStatus,
    MeetingFormat,
    MetricKind,
    ProjectStatus,
    Qualifier,
    VerificationStatus,
)

SCHEMA_VERSION = "1.2"

_ISO_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

COMPUTED: JsonDict = {"x-computed": True}

CountryCode = Annotated[
    str,
    Field(
        description="ISO 3166-1 alpha-2 code of the country, e.g. KZ, TM, UZ, IR, AF, CN, RU.",
        pattern=r"^[A-Z]{2}$",
    ),
]


class Record(BaseModel):
    """Base for every schema model: strict, no unknown keys."""

    model_config = ConfigDict(extra="forbid")


class Evidence(Record):
    """A verbatim quote from the article that supports a record, located in the text."""

    quote: str = Field(
        description="A short verbatim quote (one sentence or clause) copied from the article, "
        "without changes, that supports this record.",
        min_length=1,
    )
    start: int | None = Field(
        json_schema_extra=COMPUTED,
        default=None,
        description="Offset of the first character in the article text.",
    )
    end: int | None = Field(
        json_schema_extra=COMPUTED,
        default=None,
        description="Offset one past the last character in the article text.",
    )
    status: GroundingStatus = Field(
        json_schema_extra=COMPUTED,
        default=GroundingStatus.unchecked,
        description="How the quote was found in the text.",
    )
    score: float | None = Field(
        json_schema_extra=COMPUTED, default=None, description="Similarity of a fuzzy match, 0..100."
    )


class DateValue(Record):
    """A calendar date with the precision the text supports."""

    value: str | None = Field(
        description="ISO date cut to its precision: '2025-11-25' (day), '2025-11' (month), "
        "'2025' (year); null when the text gives no date.",
    )
    precision: DatePrecision = Field(description="How much of the date the text states.")

    @model_validator(mode="after")
    def _value_matches_precision(self) -> DateValue:
        if self.value is None:
            if self.precision is not DatePrecision.unknown:
                raise ValueError("a date with no value must have precision 'unknown'")
            return self
        if not _ISO_PARTIAL.match(self.value):
            raise ValueError(f"date {self.value!r} is not ISO YYYY, YYYY-MM or YYYY-MM-DD")
        parts = self.value.count("-")
        expected = {0: DatePrecision.year, 1: DatePrecision.month, 2: DatePrecision.day}[parts]
        if self.precision is not expected:
            raise ValueError(
                f"date {self.value!r} has precision {expected.value}, not {self.precision.value}"
            )
        return self


class Location(Record):
    """Where something took place."""

    city: str | None = Field(
        description="City in nominative case as the article names it, e.g. 'Астана', "
        "'Туркестан', 'Ташкент'; null when the text does not say."
    )
    country: CountryCode | None = Field(description="Country of the city; null when unknown.")
    geonameid: int | None = Field(
        json_schema_extra=COMPUTED,
        default=None,
        description="Set by this project: the GeoNames id of the city, null when unresolved.",
    )
    lat: float | None = Field(
        json_schema_extra=COMPUTED, default=None, description="Latitude of the city (GeoNames)."
    )
    lon: float | None = Field(
        json_schema_extra=COMPUTED, default=None, description="Longitude of the city (GeoNames)."
    )


class PlaceRef(Record):
    """A place of a project resolved against GeoNames."""

    name: str = Field(description="The place as the project's ``places`` names it.")
    geonameid: int = Field(description="GeoNames id of the town.")
    country: CountryCode = Field(description="Country of the town.")
    lat: float = Field(description="Latitude (GeoNames).")
    lon: float = Field(description="Longitude (GeoNames).")


class Participant(Record):
    """A person taking part in a meeting."""

    name: str = Field(
        description="Full personal name in canonical nominative form, e.g. 'Касым-Жомарт Токаев', "
        "'Сердар Бердымухамедов'. Never a title or a body alone."
    )
    role: str | None = Field(
        description="Title or office as stated, nominative, e.g. 'Президент', "
        "'Председатель Халк Маслахаты'; null when not stated."
    )
    country: CountryCode | None = Field(description="Country the person represents.")


class Period(Record):
    """A time span a record refers to."""

    text: str = Field(description="The period as written, e.g. 'за 10 месяцев текущего года'.")
    start: str | None = Field(description="ISO start (YYYY, YYYY-MM or YYYY-MM-DD) or null.")
    end: str | None = Field(description="ISO end (YYYY, YYYY-MM or YYYY-MM-DD) or null.")

    @field_validator("start", "end")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None and not _ISO_PARTIAL.match(value):
            raise ValueError(f"period bound {value!r} is not ISO YYYY, YYYY-MM or YYYY-MM-DD")
        return value


class FieldCheck(Record):
    """One field of a record checked against the article text."""

    field: str = Field(
        description="JSON path of the checked value inside the record, e.g. "
        "'participants[0].name', 'scope.countries[1]', 'status'."
    )
    status: CheckStatus = Field(description="supported, inferred or unsupported.")
    start: int | None = Field(
        default=None, description="Offset of the span that states or implies the value."
    )
    end: int | None = Field(default=None, description="End offset of that span.")
    reason: str | None = Field(
        default=None,
        description="What the span says (supported), the rule that derived the value (inferred) "
        "or what was looked for (unsupported).",
    )


def _checks_field() -> Any:
    return Field(
        json_schema_extra=COMPUTED,
        default_factory=list,
        description="Set by this project: every field of the record checked against the text.",
    )


class Meeting(Record):
    """Talks, a visit, a briefing or another meeting between officials."""

    date: DateValue = Field(description="When the meeting took place.")
    location: Location = Field(description="Where the meeting took place.")
    format: MeetingFormat = Field(description="What kind of meeting it was.")
    participants: list[Participant] = Field(description="The people who met.")
    topics: list[str] = Field(description="Short topics discussed, in Russian, e.g. 'транспорт'.")
    evidence: list[Evidence] = Field(description="Quotes that state the meeting took place.")
    checks: list[FieldCheck] = _checks_field()


class Agreement(Record):
    """A document signed or an intention agreed, proposed or under consideration."""

    title: str = Field(description="Title or subject of the document or decision, as written.")
    kind: AgreementKind = Field(description="What kind of document or decision it is.")
    status: AgreementStatus = Field(description="How far it has got.")
    parties: list[CountryCode] = Field(description="Countries that are party to it.")
    sector: str | None = Field(description="Sector, e.g. 'торговля', 'транспорт'; or null.")
    period: Period | None = Field(description="Period it covers, e.g. '2026-2027 годы'; or null.")
    evidence: list[Evidence] = Field(description="Quotes that state it.")
    checks: list[FieldCheck] = _checks_field()


class Scope(Record):
    """What a metric is about: countries and, for transport, a route."""

    countries: list[CountryCode] = Field(description="Countries the figure is about.")
    route: list[str] = Field(description="Route waypoints in order, if any; else empty.")


class Verification(Record):
    """The outcome of checking a metric's figure against the article text."""

    status: VerificationStatus = Field(description="Outcome of the check.")
    reason: str | None = Field(default=None, description="Why, when not verified.")
    start: int | None = Field(default=None, description="Offset of the matching figure.")
    end: int | None = Field(default=None, description="End offset of the matching figure.")
    surface: str | None = Field(default=None, description="The figure as written in the text.")


class Metric(Record):
    """A figure the article states: a level, a change or a target."""

    name: str = Field(
        description="What is measured, in Russian, e.g. 'товарооборот', 'объем перевозок'."
    )
    value: float = Field(
        description="The number in base units: '1,5 млн тонн' -> 1500000, 'полмиллиарда "
        "долларов' -> 500000000, '14%' -> 14; a fall is negative: 'снизился на 3,2%' -> -3.2."
    )
    value_max: float | None = Field(description="Upper bound for a range, else null.")
    unit: str | None = Field(
        description="Canonical unit: ISO 4217 code for money (USD, EUR, RUB, KZT, UZS, TMT), "
        "'%', 't', 'kg', 'km', 'm', 'm3', 'MW', 'kWh', 'day', 'month', 'year', 'x' for "
        "multiples; null for a bare count."
    )
    qualifier: Qualifier = Field(description="How the figure is hedged.")
    kind: MetricKind = Field(description="level, change or target.")
    period: Period | None = Field(description="Period the figure covers, or null.")
    scope: Scope = Field(description="Countries and route the figure is about.")
    evidence: list[Evidence] = Field(description="Quotes that state the figure.")
    verification: Verification = Field(
        json_schema_extra=COMPUTED,
        default_factory=lambda: Verification(status=VerificationStatus.unchecked),
        description="Set by this project: the figure checked against the text.",
    )
    checks: list[FieldCheck] = _checks_field()


class Project(Record):
    """An infrastructure or economic project: railway, road, port, corridor, field, terminal."""

    name: str = Field(description="Name of the project as written in the article, nominative.")
    sector: str | None = Field(description="Sector, e.g. 'транспорт', 'газ'; or null.")
    status: ProjectStatus = Field(description="Stage of the project.")
    countries: list[CountryCode] = Field(description="Countries involved.")
    places: list[str] = Field(description="Places named, e.g. route waypoints in order.")
    evidence: list[Evidence] = Field(description="Quotes that mention the project.")
    place_refs: list[PlaceRef] = Field(
        json_schema_extra=COMPUTED,
        default_factory=list,
        description="Set by this project: the towns among ``places`` resolved against GeoNames.",
    )
    checks: list[FieldCheck] = _checks_field()


class Records(Record):
    """Everything extracted from one article: what a backend fills."""

    meetings: list[Meeting] = Field(description="Meetings reported in the article.")
    agreements: list[Agreement] = Field(description="Agreements, plans and decisions.")
    metrics: list[Metric] = Field(description="Every figure stated, with what it measures.")
    projects: list[Project] = Field(description="Projects mentioned.")


class Source(Record):
    """Where the article came from."""

    path: str | None = Field(description="File path the article was read from, if any.")
    sha256: str = Field(description="SHA-256 of the article text as extracted (UTF-8).")
    chars: int = Field(description="Length of the article text in characters.")
    outlet: str | None = Field(description="Outlet or agency named as the source, if any.")
    title: str | None = Field(description="Headline, if the article has one.")
    published: str | None = Field(description="Publication date (ISO) from the header, if any.")
    encoding: str | None = Field(description="Encoding the bytes were decoded from.")


class Usage(Record):
    """Tokens spent on one article, summed over every attempt, failed ones included."""

    requests: int = Field(description="HTTP requests made, retries and re-asks included.")
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ArticleExtraction(Records):
    """One article's verified records, with their provenance: what batch runs write."""

    schema_version: str = Field(description="Version of this schema.")
    source: Source
    backend: str = Field(description="Backend that produced the records: 'openai' or 'offline'.")
    model: str = Field(description="Model name (LLM) or pipeline version (offline).")
    prompt_version: str | None = Field(description="Prompt file version, for the LLM path.")
    usage: Usage
    warnings: list[str] = Field(description="Problems met that did not stop the extraction.")

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: str) -> str:
        if value != SCHEMA_VERSION:
            raise ValueError(f"schema_version {value!r} is not {SCHEMA_VERSION!r}")
        return value

    def verified_metrics(self) -> list[Metric]:
        """Metrics whose figure was found in the text: the only ones to present as facts."""
        return [m for m in self.metrics if m.verification.status is VerificationStatus.verified]

    def checked_records(self) -> Records:
        """Records whose every field check is supported or inferred (metrics: figure verified too).

        These are the records to present as facts; the others stay in the extraction, flagged.
        """
        return Records(
            meetings=[r for r in self.meetings if all_checks_pass(r)],
            agreements=[r for r in self.agreements if all_checks_pass(r)],
            metrics=[r for r in self.verified_metrics() if all_checks_pass(r)],
            projects=[r for r in self.projects if all_checks_pass(r)],
        )


def all_checks_pass(record: Meeting | Agreement | Metric | Project) -> bool:
    """Tell whether no field check of a record is ``unsupported``."""
    return all(c.status is not CheckStatus.unsupported for c in record.checks)


def is_country_code(value: str) -> bool:
    """Tell whether a string has the shape of an ISO 3166-1 alpha-2 code."""
    return bool(_COUNTRY.match(value))


def strip_computed(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop the fields this project computes from a JSON Schema, so a model is never asked them."""

    def prune(node: Any) -> Any:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                dropped = [
                    k for k, v in props.items() if isinstance(v, dict) and v.get("x-computed")
                ]
                node = {**node, "properties": {k: v for k, v in props.items() if k not in dropped}}
                if "required" in node:
                    node["required"] = [r for r in node["required"] if r not in dropped]
            return {k: prune(v) for k, v in node.items()}
        if isinstance(node, list):
            return [prune(v) for v in node]
        return node

    pruned: dict[str, Any] = prune(schema)
    defs = pruned.get("$defs")
    if isinstance(defs, dict):
        # Drop definitions only the stripped fields used (e.g. Verification).
        reachable: set[str] = set()
        pending = [{k: v for k, v in pruned.items() if k != "$defs"}]
        while pending:
            node = pending.pop()
            for ref in _refs(node):
                name = ref.rsplit("/", 1)[-1]
                if name not in reachable and name in defs:
                    reachable.add(name)
                    pending.append(defs[name])
        pruned["$defs"] = {k: v for k, v in defs.items() if k in reachable}
    return pruned


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []
