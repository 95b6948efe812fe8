"""What can go wrong talking to an LLM endpoint, sorted by what the user must do about it.

Transient faults (429, 503 and other 5xx, timeouts, dropped connections, an empty or non-JSON
body) are worth another request. Everything else is permanent: asking again costs tokens and
time and gets the same answer, so the article fails at once with the endpoint's URL (never the
key), the server's own message and the fix.
"""

from __future__ import annotations

import json
import re
import socket

import httpx2
import openai

from extractor.secrets import redact

# Bodies of a 5xx that say the *request* is wrong (llama-cpp-python answers a response_format it
# does not know with HTTP 500 and a pydantic validation body): retrying cannot help.
_INVALID_REQUEST_500 = re.compile(
    r"input should be|validation error|invalid request|invalid_request|not supported|"
    r"unsupported|unrecognized|unknown (?:field|parameter|argument)|extra inputs are not permitted",
    re.IGNORECASE,
)
_CONTEXT = re.compile(
    r"context_length_exceeded|context length|maximum context|exceeds? the (?:available )?context|"
    r"too many tokens|n_ctx|prompt is too long",
    re.IGNORECASE,
)
_UNSUPPORTED_PARAM = re.compile(
    r"unsupported_parameter|unsupported parameter|not supported with this model|"
    r"use 'max_completion_tokens'|response_format|tool_choice|json_schema",
    re.IGNORECASE,
)
MODE_HINT = "run `extractor check-endpoint` to see which EXTRACTOR_MODE this server supports"


class EmptyAnswerError(Exception):
    """The endpoint answered 200 with no choices: worth another request."""


class MalformedAnswerError(Exception):
    """The endpoint's HTTP body is not valid JSON: a transport fault, worth another request."""


class TruncatedAnswerError(Exception):
    """The answer is cut (at the token limit, or unparseable at its end): asking again won't help."""


class ContextOverflowError(Exception):
    """A request (a first ask or a re-ask) would not fit the server's context: it is not sent."""


class ModeUnsupportedError(Exception):
    """The server does not honour the structured-output mode the request used."""

    def __init__(self, message: str, *, mode: str, suggest: str | None = None) -> None:
        super().__init__(message)
        self.mode = mode
        self.suggest = suggest


def server_message(exc: BaseException) -> str:
    """The endpoint's own error message (from its JSON error body), else the exception text."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        if isinstance(err, str):
            return err
        if body.get("detail"):
            return json.dumps(body["detail"], ensure_ascii=False)[:300]
    response = getattr(exc, "response", None)
    text = getattr(response, "text", None)
    if isinstance(text, str) and text.strip():
        return text.strip()[:300]
    return str(exc)[:300]


def is_connection_failure(exc: BaseException) -> bool:
    """No connection could be made: refused, no such host (a dropped connection is not this)."""
    if not isinstance(exc, openai.APIConnectionError) or isinstance(exc, openai.APITimeoutError):
        return False
    seen: BaseException | None = exc
    for _ in range(6):
        seen = seen.__cause__ or seen.__context__ if seen is not None else None
        if seen is None:
            break
        if isinstance(seen, httpx2.ConnectError | ConnectionRefusedError | socket.gaierror):
            return True
    return False


def is_transient(exc: BaseException) -> bool:
    """Faults worth another request: rate limits, server errors, timeouts, drops, empty answers."""
    if isinstance(exc, EmptyAnswerError | MalformedAnswerError):
        return True
    if isinstance(exc, openai.APIConnectionError | openai.APIResponseValidationError):
        return True
    if isinstance(exc, openai.RateLimitError):
        return True
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return not _INVALID_REQUEST_500.search(server_message(exc))
    return False


def describe(exc: BaseException, url: str) -> str:
    """One line: where, what the server said (or what we saw)."""
    where = url
    if isinstance(exc, openai.RateLimitError):
        return f"{where}: kept answering 429 (rate limited) after bounded retries"
    if isinstance(exc, openai.APITimeoutError):
        return f"{where}: no answer within the timeout, after bounded retries"
    if is_connection_failure(exc):
        return f"{where}: cannot connect ({server_message(exc.__cause__ or exc)})"
    if isinstance(exc, openai.APIConnectionError):
        return f"{where}: the connection failed, after bounded retries ({exc})"
    if isinstance(exc, openai.APIStatusError):
        return f"{where}: HTTP {exc.status_code}: {server_message(exc)}"
    if isinstance(exc, EmptyAnswerError):
        return f"{where}: answered with no choices, after bounded retries"
    if isinstance(exc, MalformedAnswerError):
        return f"{where}: {exc}, after bounded retries"
    if isinstance(exc, TruncatedAnswerError | ContextOverflowError | ModeUnsupportedError):
        return f"{where}: {exc}"
    if isinstance(exc, json.JSONDecodeError) or type(exc).__name__ == "ValidationError":
        return f"{where}: the model's answer is not valid JSON for the schema: {str(exc)[:300]}"
    return f"{where}: {type(exc).__name__}: {str(exc)[:300]}"


def hint(exc: BaseException) -> str:
    """The fix: what to set or do next."""
    if isinstance(exc, ModeUnsupportedError):
        if exc.suggest:
            return f"set EXTRACTOR_MODE={exc.suggest} (or auto); {MODE_HINT}"
        return f"{MODE_HINT}, or use --backend offline"
    if isinstance(exc, ContextOverflowError):
        return (
            "set a smaller EXTRACTOR_MAX_CHUNK_CHARS (or EXTRACTOR_MAX_OUTPUT_TOKENS), "
            "or start the server with a larger context"
        )
    if isinstance(exc, TruncatedAnswerError):
        return (
            "set EXTRACTOR_MAX_OUTPUT_TOKENS higher or EXTRACTOR_MAX_CHUNK_CHARS smaller, "
            "or use a model with a larger output limit"
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return "check OPENAI_API_KEY for this endpoint"
    if isinstance(exc, openai.NotFoundError):
        return "check EXTRACTOR_MODEL (a model this server has) and OPENAI_BASE_URL (ending in /v1)"
    if isinstance(exc, openai.RateLimitError):
        return (
            "lower EXTRACTOR_CONCURRENCY or set EXTRACTOR_RPM, then re-run: done articles are kept"
        )
    if isinstance(exc, openai.APITimeoutError):
        return "raise EXTRACTOR_TIMEOUT or set EXTRACTOR_MAX_OUTPUT_TOKENS lower, then re-run"
    if isinstance(exc, openai.APIConnectionError):
        return "check OPENAI_BASE_URL and that the server is running, or use --backend offline"
    if isinstance(exc, openai.APIStatusError):
        message = server_message(exc)
        if _CONTEXT.search(message):
            return (
                "set a smaller EXTRACTOR_MAX_CHUNK_CHARS, or start the server with a larger context"
            )
        if _UNSUPPORTED_PARAM.search(message) or (
            exc.status_code >= 500 and _INVALID_REQUEST_500.search(message)
        ):
            return f"the server rejects this request's structured-output mode: {MODE_HINT}"
        if exc.status_code in (400, 422):
            return f"the server rejects the request: check EXTRACTOR_MODEL, or {MODE_HINT}"
        if exc.status_code >= 500:
            return "the server failed: re-run later, finished articles are skipped"
    if isinstance(exc, EmptyAnswerError | MalformedAnswerError):
        return "the server's answers are broken: re-run later, or use --backend offline"
    return "re-run later: finished articles are skipped"


def failure_line(exc: BaseException, url: str) -> tuple[str, str]:
    """(message, hint) for an article that failed, secrets removed."""
    return redact(describe(exc, url)), hint(exc)
