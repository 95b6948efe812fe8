"""Closed vocabularies shared by the schemas, the figure engine and the verifier."""

from __future__ import annotations

from enum import StrEnum


class DatePrecision(StrEnum):
    """How much of a date the text states."""

    day = "day"
    month = "month"
    year = "year"
    unknown = "unknown"


class MeetingFormat(StrEnum):
    """What kind of meeting took place."""

    talks = "talks"
    informal_meeting = "informal_meeting"
    briefing = "briefing"
    summit = "summit"
    council_session = "council_session"
    visit = "visit"
    phone_call = "phone_call"
    other = "other"


class AgreementKind(StrEnum):
    """What kind of document or decision an agreement is."""

    agreement = "agreement"
    memorandum = "memorandum"
    plan = "plan"
    roadmap = "roadmap"
    decision = "decision"
    declaration = "declaration"
    intent = "intent"


class AgreementStatus(StrEnum):
    """How far an agreement has got."""

    signed = "signed"
    agreed = "agreed"
    proposed = "proposed"
    under_consideration = "under_consideration"


class ProjectStatus(StrEnum):
    """Stage of a project."""

    proposed = "proposed"
    planned = "planned"
    under_construction = "under_construction"
    operating = "operating"
    discussed = "discussed"


class Qualifier(StrEnum):
    """How a figure is hedged in the text."""

    exact = "exact"
    about = "about"
    more_than = "more_than"
    less_than = "less_than"
    up_to = "up_to"
    at_least = "at_least"
    at_most = "at_most"
    target = "target"


class MetricKind(StrEnum):
    """Whether a metric is a level, a change or a target."""

    level = "level"
    change = "change"
    target = "target"


class FigureKind(StrEnum):
    """What kind of numeric expression a figure is."""

    money = "money"
    percent = "percent"
    quantity = "quantity"
    duration = "duration"
    # The value is the contract ("count"); the member shadows str.count, which no code here calls.
    count = "count"  # type: ignore[assignment]
    ratio = "ratio"
    date = "date"
    year = "year"


class VerificationStatus(StrEnum):
    """Outcome of checking a metric's figure against the article text."""

    verified = "verified"
    mismatch = "mismatch"
    not_found = "not_found"
    unchecked = "unchecked"


class GroundingStatus(StrEnum):
    """How a quote was located in the article text."""

    exact = "exact"
    normalized = "normalized"
    fuzzy = "fuzzy"
    unresolved = "unresolved"
    unchecked = "unchecked"


class CheckStatus(StrEnum):
    """Whether the article supports one field of a record."""

    supported = "supported"
    inferred = "inferred"
    unsupported = "unsupported"
