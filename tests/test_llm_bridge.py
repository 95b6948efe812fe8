"""The sync face of the async LLM core: from plain code, from inside an event loop, and closed."""

from __future__ import annotations

import asyncio
import gzip
import json
import threading

import httpx2

from extractor.backends.openai import OpenAIBackend
from extractor.reading import article_from_text
from tests.llm_answers import completion
from tests.test_openai_backend import ARTICLE, GOOD, serve, settings


def test_sync_extract_inside_a_running_event_loop_uses_the_injected_sync_client() -> None:
    before = set(_loop_threads())
    client, seen = serve(completion(GOOD), completion(GOOD))
    backend = OpenAIBackend(settings(cache=False), http_client=client)
    article = article_from_text(ARTICLE)

    async def inside_a_loop() -> int:
        return len(backend.extract(article).records.metrics)  # a sync call made from a coroutine

    assert asyncio.run(inside_a_loop()) == 1
    assert len(backend.extract(article).records.metrics) == 1  # same loop thread, reused
    assert len(seen) == 2 and all(r.url.path == "/v1/chat/completions" for r in seen)
    backend.close()
    backend.close()  # idempotent
    assert not set(_loop_threads()) - before  # this backend's loop thread has ended


def _loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "extractor-llm" and t.is_alive()]


def test_a_gzip_body_from_the_sync_client_is_decoded_once() -> None:

    body = gzip.compress(json.dumps(completion(GOOD)).encode())

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=body, headers={"content-encoding": "gzip"})

    client = httpx2.Client(transport=httpx2.MockTransport(handler))
    backend = OpenAIBackend(settings(cache=False), http_client=client)
    draft = backend.extract(article_from_text(ARTICLE))
    assert len(draft.records.metrics) == 1 and draft.usage.requests == 1
    backend.close()
