"""The HTTP side of the LLM backend: openai clients, Retry-After, backoff, request keys."""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import openai
from tenacity import RetryCallState

from extractor.backends.llm.errors import MalformedAnswerError
from extractor.config import Settings


def resolve_api_key(settings: Settings) -> str:
    """The key: explicit setting (from OPENAI_API_KEY), or a placeholder for a keyless local server."""
    return settings.endpoint_key()


def client_options(settings: Settings) -> dict[str, Any]:
    """Options of both openai clients; the SDK's own retries are off, tenacity does them."""
    return {
        "api_key": resolve_api_key(settings),
        "base_url": settings.base_url,
        "timeout": settings.timeout,
        "max_retries": 0,
    }


def make_openai_client(
    settings: Settings, http_client: httpx2.Client | None = None
) -> openai.OpenAI:
    """Build the sync openai client."""
    return openai.OpenAI(**client_options(settings), http_client=http_client)


def make_async_openai_client(
    settings: Settings, http_client: httpx2.AsyncClient | None = None
) -> openai.AsyncOpenAI:
    """Build the async openai client."""
    return openai.AsyncOpenAI(**client_options(settings), http_client=http_client)


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date), if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    raw = headers.get("retry-after-ms")
    if raw:
        try:
            return max(float(raw) / 1000.0, 0.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None  # unreadable: fall back to our own backoff
    return max(parsed.timestamp() - time.time(), 0.0)


def backoff(settings: Settings) -> Callable[[RetryCallState], float]:
    """Honour Retry-After when given (capped), else full-jitter exponential backoff."""

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_seconds(exc)
        if asked is not None:
            return min(asked, settings.backoff_max)
        ceiling = settings.backoff_initial * (2 ** (state.attempt_number - 1))
        return random.uniform(0, min(ceiling, settings.backoff_max))

    return wait


@contextlib.contextmanager
def json_body() -> Iterator[None]:
    """A body that is not JSON is a transport fault, not the model's answer.

    Left as is, instructor would take the JSONDecodeError for a parse error of the answer and
    re-ask; as MalformedAnswerError it is retried by tenacity like any transient fault.
    """
    try:
        yield
    except json.JSONDecodeError as exc:
        raise MalformedAnswerError("the endpoint's HTTP body is not valid JSON") from exc


def request_key(kwargs: dict[str, Any], base_url: str | None) -> str:
    """A stable key for an LLM request: identical requests share it."""
    blob = json.dumps(
        {"base_url": base_url, "request": kwargs}, sort_keys=True, ensure_ascii=False, default=str
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def quiet_unconfigured(logger: logging.Logger) -> None:
    """No last-resort stderr lines from a library logger (a run prints one line per failure).

    A NullHandler only stops Python's last-resort printing: an application that configures
    logging still receives the records through propagation.
    """
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
