"""``EXTRACTOR_DEBUG_HTTP=1``: dump every HTTP request and response to stderr, keys redacted.

The dump goes through httpx2 event hooks on the client the openai SDK is given, so it shows
exactly what went over the wire (retries included). Authorization, API-key and cookie headers
are replaced by ``[redacted]``; bearer tokens and ``sk-`` keys are masked in bodies too.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any, TextIO

import httpx2
import openai

from extractor.secrets import MASK, is_secret_name, redact

MAX_BODY = 20_000


def _headers(headers: httpx2.Headers) -> str:
    lines = []
    for name, value in headers.items():
        shown = MASK if is_secret_name(name) else redact(value)
        lines.append(f"  {name}: {shown}")
    return "\n".join(lines)


def _body(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    if len(text) > MAX_BODY:
        text = text[:MAX_BODY] + f"... [{len(text) - MAX_BODY} more characters]"
    return redact(text)


def format_request(request: httpx2.Request) -> str:
    """The request line, headers (keys redacted) and body."""
    try:
        body = _body(request.content)
    except httpx2.RequestNotRead:
        body = "[streamed body]"
    return f">>> {request.method} {request.url}\n{_headers(request.headers)}\n{body}\n"


def format_response(response: httpx2.Response) -> str:
    """The status line, headers (keys redacted) and body of a response that has been read."""
    return (
        f"<<< {response.status_code} {response.request.method} {response.request.url}\n"
        f"{_headers(response.headers)}\n{_body(response.content)}\n"
    )


def sync_hooks(stream: TextIO | None = None) -> dict[str, list[Callable[[Any], None]]]:
    """Event hooks for an ``httpx2.Client`` that dump traffic to ``stream`` (default stderr)."""

    def on_request(request: httpx2.Request) -> None:
        (stream or sys.stderr).write(format_request(request))

    def on_response(response: httpx2.Response) -> None:
        response.read()
        (stream or sys.stderr).write(format_response(response))

    return {"request": [on_request], "response": [on_response]}


def async_hooks(
    stream: TextIO | None = None,
) -> dict[str, list[Callable[[Any], Awaitable[None]]]]:
    """Event hooks for an ``httpx2.AsyncClient`` that dump traffic to ``stream`` (default stderr)."""

    async def on_request(request: httpx2.Request) -> None:
        (stream or sys.stderr).write(format_request(request))

    async def on_response(response: httpx2.Response) -> None:
        await response.aread()
        (stream or sys.stderr).write(format_response(response))

    return {"request": [on_request], "response": [on_response]}


def debug_client(stream: TextIO | None = None) -> httpx2.Client:
    """A sync client with the SDK's defaults that dumps its traffic."""
    return openai.DefaultHttpx2Client(event_hooks=sync_hooks(stream))


def debug_async_client(
    stream: TextIO | None = None,
    extra_request_hooks: list[Callable[[Any], Awaitable[None]]] | None = None,
) -> httpx2.AsyncClient:
    """An async client with the SDK's defaults that dumps its traffic."""
    hooks = async_hooks(stream)
    hooks["request"] = [*(extra_request_hooks or []), *hooks["request"]]
    return openai.DefaultAsyncHttpx2Client(event_hooks=hooks)
