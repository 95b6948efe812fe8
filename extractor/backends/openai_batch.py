"""The OpenAI Batch API for the LLM path: the live path's exact requests, and its files + batches.

Two pieces, both behind plain functions so that engines build no client themselves:

- ``BatchAPI``: upload a JSONL file, create, find, retrieve batches, read result files, over the
  same openai client options as the live path; API errors become ``LLMError`` with the fix;
- the live LLM path, replayed (below).

Nothing here builds a request or parses an answer by hand. The openai backend (instructor over
the openai client) runs as it does live, over an httpx2 transport that never reaches the network:

- a request whose answer is known (from a finished batch) is answered with it, so instructor
  parses it with the article as validation context and, when a figure or quote is not in the
  article, builds the re-ask exactly as it does live;
- a request whose answer is not known stops the run of that article with ``Deferred``, carrying
  the HTTP body byte for byte: that body becomes the ``body`` of a Batch API input line.

A replay is cheap (no I/O, a few milliseconds of instructor and verification), so an article is
simply replayed after every batch until it finishes, fails, or asks for something new.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import httpx2
import openai

from extractor.backends.base import ResponseCache
from extractor.backends.openai import OpenAIBackend, client_options, request_key
from extractor.config import Settings
from extractor.errors import LLMError
from extractor.reading import Article

ENDPOINT: Final = "/v1/chat/completions"
# The Batch API's limits per input file (https://platform.openai.com/docs/guides/batch).
MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200 * 1024 * 1024


@dataclass(frozen=True)
class BatchState:
    """A batch as the API reports it."""

    id: str
    status: str
    input_file_id: str
    total: int
    completed: int
    failed: int
    output_file_id: str | None
    error_file_id: str | None
    reason: str  # why an item with no result line has none (the batch's own errors)


def _state(batch: Any) -> BatchState:
    counts = batch.request_counts
    errors = getattr(getattr(batch, "errors", None), "data", None) or []
    if errors:
        first = errors[0]
        reason = (
            f"batch {batch.status}: {getattr(first, 'code', '')}: {getattr(first, 'message', '')}"
        )
    else:
        reason = f"batch {batch.status} with no result for this item"
    return BatchState(
        id=batch.id,
        status=batch.status,
        input_file_id=batch.input_file_id,
        total=counts.total if counts else 0,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
        reason=reason,
    )


@contextlib.contextmanager
def _api(what: str) -> Iterator[None]:
    """An API fault stops the run with the fix: a re-run polls what exists, sends nothing twice."""
    try:
        yield
    except openai.APIError as exc:
        raise LLMError(
            f"the Batch API failed to {what}: {type(exc).__name__}: {str(exc)[:300]}",
            hint="re-run the same command: batches already created are polled, not sent again",
        ) from exc


class BatchAPI:
    """The files and batches endpoints of the configured OpenAI-compatible API."""

    def __init__(self, settings: Settings, http_client: httpx2.Client | None = None) -> None:
        """A client with the live path's options (key, base URL, timeout) and two SDK retries."""
        options = {**client_options(settings), "max_retries": 2}
        self.client = openai.OpenAI(**options, http_client=http_client)

    def upload(self, name: str, content: bytes) -> str:
        """Upload a JSONL input file (purpose batch); return its file id."""
        with _api("upload an input file"):
            return self.client.files.create(
                file=(name, content, "application/jsonl"), purpose="batch"
            ).id

    def create(self, file_id: str, metadata: dict[str, str]) -> BatchState:
        """Create a chat-completions batch over an uploaded file, 24 h window."""
        with _api("create a batch"):
            return _state(
                self.client.batches.create(
                    input_file_id=file_id,
                    endpoint=ENDPOINT,
                    completion_window="24h",
                    metadata=metadata,
                )
            )

    def find(self, file_id: str) -> BatchState | None:
        """The batch made from an input file, if one exists (among the 100 latest)."""
        with _api("list batches"):
            for batch in self.client.batches.list(limit=100):
                if batch.input_file_id == file_id:
                    return _state(batch)
        return None

    def retrieve(self, batch_id: str) -> BatchState:
        """A batch's current state."""
        with _api("poll a batch"):
            return _state(self.client.batches.retrieve(batch_id))

    def content(self, file_id: str) -> bytes:
        """The bytes of a result file."""
        with _api("download a result file"):
            return self.client.files.content(file_id).content

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()


# -- the live path, replayed ------------------------------------------------------------------
class Deferred(BaseException):  # noqa: N818 - a control-flow signal, not an error
    """The replay reached a request with no answer yet.

    A BaseException on purpose: the openai SDK, tenacity and instructor handle ``Exception``
    (retrying or re-asking), and this must pass through all of them untouched.
    """

    def __init__(self, key: str, body: bytes) -> None:
        super().__init__(key)
        self.key = key
        self.body = body


class ItemFailed(BaseException):  # noqa: N818 - a control-flow signal, not an error
    """The request's batch item failed for good; ``reason`` is the API's own message."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


@dataclass(frozen=True)
class Answer:
    """What the replay knows of a request: its completion, or its final error."""

    completion: dict[str, Any] | None = None
    error: str | None = None


Lookup = Callable[[str], Answer | None]


class ReplayTransport(httpx2.BaseTransport):
    """Answers chat-completion requests from ``lookup`` by request key; defers the rest."""

    def __init__(self, lookup: Lookup, base_url: str | None) -> None:
        """Answer from ``lookup`` (keyed like the response cache, by ``request_key``)."""
        self.lookup = lookup
        self.base_url = base_url

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Serve the known answer, or raise ``Deferred``/``ItemFailed``."""
        body = request.read()
        key = request_key(json.loads(body), self.base_url)
        answer = self.lookup(key)
        if answer is None:
            raise Deferred(key, body)
        if answer.completion is None:
            raise ItemFailed(key, answer.error or "the batch item failed")
        return httpx2.Response(200, json=answer.completion, request=request)


class _NoCache:
    def get(self, key: str) -> dict[str, Any] | None:
        return None

    def put(self, key: str, response: dict[str, Any]) -> None:
        return None


class ReplayCache:
    """The response cache as the live path sees it, minus this run's batch answers.

    A batch answer also enters the response cache; during replays it must keep coming through
    the transport (so the article's usage counts its tokens), not as a cache hit.
    """

    def __init__(self, cache: ResponseCache | None, batch_keys: Callable[[str], bool]) -> None:
        """Wrap ``cache``; keys for which ``batch_keys`` is true are never answered here."""
        self.cache = cache or _NoCache()
        self.batch_keys = batch_keys
        self.hits: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached body unless the key belongs to a batch answer."""
        if self.batch_keys(key):
            return None
        body = self.cache.get(key)
        if body is not None:
            self.hits[key] = body
        return body

    def put(self, key: str, response: dict[str, Any]) -> None:
        """Nothing: batch answers enter the cache when their batch is read."""
        return None


def replay_backend(
    settings: Settings, lookup: Lookup, cache: ResponseCache | None = None
) -> OpenAIBackend:
    """The openai backend over a ``ReplayTransport``: the live path, with no network.

    API retries are off (an unanswered request is deferred, not retried).
    """
    http = httpx2.Client(transport=ReplayTransport(lookup, settings.base_url))
    return OpenAIBackend(
        settings.with_(max_api_retries=0, debug_http=False), http_client=http, cache=cache
    )


def capture_request(settings: Settings, article: Article) -> bytes:
    """The HTTP body the live path sends first for ``article`` (nothing is sent anywhere)."""
    backend = replay_backend(settings.with_(cache=False), lambda key: None)
    try:
        backend.extract(article)
    except Deferred as deferred:
        return deferred.body
    raise RuntimeError("the live path sent no request")  # pragma: no cover - never happens


# -- JSONL files ------------------------------------------------------------------------------
def batch_line(custom_id: str, body: bytes) -> bytes:
    """One input line; the request body is spliced in byte for byte as the live path sent it."""
    head = json.dumps({"custom_id": custom_id, "method": "POST", "url": ENDPOINT})
    return head[:-1].encode("utf-8") + b', "body": ' + body + b"}\n"


def split_lines(
    lines: Iterable[bytes],
    max_requests: int = MAX_REQUESTS_PER_FILE,
    max_bytes: int = MAX_BYTES_PER_FILE,
) -> Iterator[list[bytes]]:
    """Group input lines into files within the API's request and size limits."""
    part: list[bytes] = []
    size = 0
    for line in lines:
        if len(line) > max_bytes:
            raise ValueError(f"one request is {len(line)} bytes, over the {max_bytes} limit")
        if part and (len(part) >= max_requests or size + len(line) > max_bytes):
            yield part
            part, size = [], 0
        part.append(line)
        size += len(line)
    if part:
        yield part


@dataclass(frozen=True)
class ItemResult:
    """One line of a batch's output or error file."""

    custom_id: str
    completion: dict[str, Any] | None
    error: str | None


def parse_result_lines(content: bytes) -> list[ItemResult]:
    """Read an output or error file: a completion per item, or the API's reason it failed."""
    results = []
    for raw in content.splitlines():
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            custom_id = str(item["custom_id"])
        except (ValueError, KeyError, TypeError):
            continue  # a line we cannot attribute: its request stays unanswered and is resent
        response = item.get("response") or {}
        status = response.get("status_code")
        body = response.get("body")
        if status == 200 and isinstance(body, dict) and body.get("choices"):
            results.append(ItemResult(custom_id, body, None))
            continue
        results.append(ItemResult(custom_id, None, _reason(item.get("error"), status, body)))
    return results


def _reason(error: Any, status: Any, body: Any) -> str:
    if isinstance(error, dict) and (error.get("message") or error.get("code")):
        code = f"{error.get('code')}: " if error.get("code") else ""
        return f"{code}{error.get('message') or ''}".strip()
    detail = body.get("error") if isinstance(body, dict) else None
    if isinstance(detail, dict) and detail.get("message"):
        return f"HTTP {status}: {detail['message']}"
    return f"HTTP {status}: the item has no usable answer" if status else "no answer in the batch"
