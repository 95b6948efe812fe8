"""What one article's extraction spent: every HTTP attempt, seen by every request made for it."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field

from extractor.backends.llm import budget
from schemas.records import Usage


@dataclass
class Meter:
    """What one article's extraction spent, over every attempt."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: list[str] = field(default_factory=list)
    ceiling: int = budget.DEFAULT_CEILING  # the most tokens one answer of this article may take

    def usage(self) -> Usage:
        """Requests and tokens so far."""
        return Usage(
            requests=self.requests,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            total_tokens=self.prompt_tokens + self.completion_tokens,
        )


METER: contextvars.ContextVar[Meter] = contextvars.ContextVar("extractor_meter")
