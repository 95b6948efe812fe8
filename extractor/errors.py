"""One error base for the project; the CLI turns these into clean messages, never tracebacks."""

from __future__ import annotations


class ExtractorError(Exception):
    """Base of every error this project raises on purpose."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint or self.hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class ConfigError(ExtractorError):
    """A setting is missing or invalid."""


class InputError(ExtractorError):
    """An input file cannot be read as an article."""

    def __init__(self, path: str | None, problem: str, *, hint: str = "") -> None:
        self.path = path
        self.problem = problem
        where = path if path is not None else "<text>"
        super().__init__(f"{where}: {problem}", hint=hint)


class BackendError(ExtractorError):
    """A backend failed to produce records for an article."""


class LLMError(BackendError):
    """The LLM endpoint failed after bounded retries, or its answer could not be used."""

    def __init__(
        self, message: str, *, hint: str = "", attempts: int = 0, usage: object = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.attempts = attempts
        self.usage = usage  # schemas.records.Usage of every attempt, for the run's summary
