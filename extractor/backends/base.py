"""The one protocol every backend implements, and what a backend hands downstream."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from extractor.config import Settings
from extractor.prompts import Prompt, load_prompt
from extractor.reading import Article
from schemas.records import SCHEMA_VERSION, Records, Usage


@dataclass(frozen=True)
class BackendIdentity:
    """What a backend's results depend on besides the text: an output made with another is stale.

    The offline backend's ``rules_version`` is a sha256 over its code and lexicon data, so any
    change of rules changes it; the LLM backend's identity is its model, prompt version and
    structured-output mode. Outputs record it in their provenance fields (``provenance``).
    """

    name: str
    model: str
    rules_version: str | None = None
    prompt_version: str | None = None
    mode: str | None = None
    schema_version: str = SCHEMA_VERSION

    def recorded_model(self) -> str:
        """The ``model`` an output records: the LLM's name, or the offline pipeline and its rules."""
        if self.rules_version is None:
            return self.model
        return f"{self.model}-{self.rules_version[:16]}"

    def recorded_prompt_version(self) -> str | None:
        """The ``prompt_version`` an output records: the prompt file's version and the mode."""
        if self.prompt_version is None:
            return None
        return f"{self.prompt_version}+{self.mode}" if self.mode else self.prompt_version

    def provenance(self) -> tuple[str, str, str | None, str]:
        """(backend, model, prompt_version, schema_version) as an output and the store record them."""
        return self.name, self.recorded_model(), self.recorded_prompt_version(), self.schema_version

    def made(self, output: Mapping[str, Any]) -> bool:
        """Tell whether an output (parsed JSON) carries exactly this identity."""
        backend, model, prompt_version, schema_version = self.provenance()
        return (
            output.get("backend") == backend
            and output.get("model") == model
            and output.get("prompt_version") == prompt_version
            and output.get("schema_version") == schema_version
        )


def llm_identity(settings: Settings, prompt: Prompt | None = None) -> BackendIdentity:
    """The LLM backend's identity under these settings; reads the prompt file, builds nothing."""
    version = (prompt or load_prompt(settings.prompt, settings.prompts_dir)).version
    return BackendIdentity(
        name="openai", model=settings.model, prompt_version=version, mode=settings.mode
    )


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

    def identity(self) -> BackendIdentity:
        """What this backend's results depend on besides the text (resume compares it)."""
        ...

    def extract(self, article: Article) -> Draft:
        """Extract draft records from one article."""
        ...

    async def aextract(self, article: Article) -> Draft:
        """Extract draft records from one article without blocking the event loop."""
        ...

    async def aclose(self) -> None:
        """Release what the backend opened (HTTP connections); it is not used afterwards."""
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

    @classmethod
    def cache_hit(cls, request: dict[str, Any], response: dict[str, Any], model: str) -> Exchange:
        """The call log's row for an answer served from the response cache: no tokens spent."""
        return cls(
            request=request,
            response=response,
            error=None,
            attempt=0,
            latency_s=0.0,
            prompt_tokens=0,
            completion_tokens=0,
            cached=True,
            model=model,
        )


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
