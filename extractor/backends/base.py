"""The one protocol every backend implements, and what a backend hands downstream."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from extractor.reading import Article
from schemas.records import Records, Usage


@dataclass(frozen=True)
class Draft:
    """Unverified records for one article, with what producing them cost."""

    records: Records
    model: str
    prompt_version: str | None
    usage: Usage
    warnings: list[str] = field(default_factory=list)


@runtime_checkable
class Backend(Protocol):
    """Turns an article into draft records. Nothing downstream asks which backend it was."""

    name: str
    model: str  # what fills the records: an LLM's name, or the offline pipeline's version
    prompt_version: str | None  # the prompt file's version, for backends that use one

    def extract(self, article: Article) -> Draft:
        """Extract draft records from one article."""
        ...

    async def aextract(self, article: Article) -> Draft:
        """Extract draft records from one article without blocking the event loop."""
        ...


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange with an LLM endpoint, as the call log keeps it (never a key)."""

    request: dict[str, Any]
    response: dict[str, Any] | None
    error: str | None
    attempt: int
    latency_s: float
    prompt_tokens: int
    completion_tokens: int
    cached: bool
    model: str


CallLog = Callable[[Exchange], None]


class ResponseCache(Protocol):
    """Answers identical LLM requests from earlier responses."""

    def get(self, key: str) -> dict[str, Any] | None:
        """Return the stored response body for a request key, or None."""
        ...

    def put(self, key: str, response: dict[str, Any]) -> None:
        """Store a response body under a request key."""
        ...


def zero_usage() -> Usage:
    """Usage of a backend that made no request."""
    return Usage(requests=0, prompt_tokens=0, completion_tokens=0, total_tokens=0)
