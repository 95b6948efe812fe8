"""The sync face of the async LLM core: one event loop on a thread of its own, and sync transports.

The extraction logic exists once, as coroutines. A sync caller hands its coroutine to a
``LoopThread``, which runs it on a private loop and blocks until it is done; this works the
same from plain code and from code already inside an event loop (the Batch API replay runs the
sync pipeline from a coroutine). The loop lives as long as the backend, so the async HTTP
connection pool built on it is reused across articles.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import httpx2

T = TypeVar("T")
_KEPT_EXTENSIONS = ("http_version", "reason_phrase")


class LoopThread:
    """An event loop on a daemon thread, started on first use, for running coroutines from sync code."""

    def __init__(self, name: str = "extractor-llm") -> None:
        """Nothing starts until the first ``run``."""
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closers: list[Callable[[], Awaitable[None]]] = []

    def _start(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=_serve, args=(loop,), name=self.name, daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the loop thread and return its result (or raise its exception)."""
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError("a sync LLM call was made from the backend's own loop thread")
        future = asyncio.run_coroutine_threadsafe(coro, self._start())
        try:
            return future.result()
        except BaseException:
            future.cancel()  # an interrupt of the caller stops the coroutine too
            raise

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Await ``closer`` on the loop when it is closed (e.g. an async HTTP client's ``close``)."""
        self._closers.append(closer)

    def close(self) -> None:
        """Run the closers, stop the loop and join its thread (idempotent)."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
            closers, self._closers = self._closers, []
        if loop is None or thread is None:
            return
        if threading.current_thread() is thread:  # collected on the loop thread: stop, no waiting
            loop.call_soon_threadsafe(loop.stop)
            return
        asyncio.run_coroutine_threadsafe(_finish(closers), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()


def _serve(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        loop.close()


async def _finish(closers: list[Callable[[], Awaitable[None]]]) -> None:
    for closer in closers:
        await closer()
    await asyncio.get_running_loop().shutdown_default_executor()


class SyncClientTransport(httpx2.AsyncBaseTransport):
    """An async transport that sends each request through a sync ``httpx2.Client``.

    The injected client keeps its own transport, hooks and auth (a ``MockTransport``, the Batch
    API's replay transport, a recording cassette); it runs in a worker thread, and the body is
    passed on as the raw bytes it read, with its headers.
    """

    def __init__(self, client: httpx2.Client) -> None:
        """Send through ``client`` (owned by the caller: not closed here)."""
        self.client = client

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Read the request body, then send it through the sync client off the event loop."""
        await request.aread()
        return await asyncio.to_thread(self._send, request)

    def _send(self, request: httpx2.Request) -> httpx2.Response:
        response = self.client.send(request, stream=True)
        headers = httpx2.Headers(response.headers)
        try:
            if response.is_stream_consumed:  # built from bytes (a mock): read, hence decoded
                body = response.content
                headers.pop("content-encoding", None)
            else:
                body = b"".join(response.iter_raw())
        finally:
            response.close()
        return httpx2.Response(
            response.status_code,
            headers=headers,
            content=body,
            request=request,
            extensions={k: v for k, v in response.extensions.items() if k in _KEPT_EXTENSIONS},
        )
