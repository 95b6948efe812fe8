"""The LLM backend: instructor over an openai client, for any OpenAI-compatible endpoint.

The structured-output mode is the configured one, or under ``EXTRACTOR_MODE=auto`` the best the
server supports (``capabilities.py``). Every request carries a token ceiling (``budget.py``); a
request that would not fit the server's context is not sent. Two retry loops, kept apart on purpose:
- API faults (429 honouring Retry-After, 5xx, timeouts, dropped connections, empty answers) are
  retried by tenacity inside the ``create`` function instructor wraps, with jittered backoff and
  a bound (a refused connection once only); permanent errors are not retried (``errors.py``).
- Validation failures (a figure or quote not in the article) are re-asked by instructor, at most
  ``Settings.max_reasks`` times, with the validator's message naming the bad figure.
Token usage is summed over every HTTP response, re-asks, rejected answers, failed articles and
the capability probe included; every request is counted.

The extraction is one async core (``_aextract``, one ``create``); the sync ``extract`` and
``request_kwargs`` run it on the backend's own loop thread (``bridge.py``), and an injected sync
``httpx2.Client`` is sent through by an async transport, so both faces share every line of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

import httpx2
import instructor
import openai
from instructor.core import InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from extractor.backends import instructor_speedups
from extractor.backends.base import (
    BackendIdentity,
    CallLog,
    Draft,
    Exchange,
    ResponseCache,
    llm_identity,
)
from extractor.backends.llm import budget
from extractor.backends.llm.answers import check_answer, plain, records_from
from extractor.backends.llm.bridge import LoopThread, SyncClientTransport
from extractor.backends.llm.capabilities import (
    Capabilities,
    EndpointUnusable,
    capabilities,
    is_openai,
    server_context,
)
from extractor.backends.llm.errors import (
    ContextOverflowError,
    ModeUnsupportedError,
    failure_line,
    is_connection_failure,
    is_transient,
)
from extractor.backends.llm.metering import METER, Meter
from extractor.backends.llm.transport import (
    backoff,
    json_body,
    make_async_openai_client,
    quiet_unconfigured,
    request_key,
    resolve_api_key,
)
from extractor.config import Settings
from extractor.core.verify import CONTEXT_KEY, PUBLISHED_KEY, CheckedRecords
from extractor.errors import LLMError
from extractor.prompts import Prompt, load_prompt
from extractor.reading import Article
from extractor.secrets import guard_library_logs, redact
from schemas.records import Records

_MODES = {
    "tools": instructor.Mode.TOOLS,
    "tools_strict": instructor.Mode.TOOLS_STRICT,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json_object": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
CONNECTION_ATTEMPTS = 2  # a refused connection is tried once more, not max_api_retries times


class _NotSent(Exception):
    """Raised by ``create`` when the request is only being built (``request_kwargs``)."""

    def __init__(self, kwargs: dict[str, Any]) -> None:
        super().__init__("request built, not sent")
        self.kwargs = kwargs


class OpenAIBackend:
    """Extraction through instructor and an OpenAI-compatible chat completions endpoint."""

    name = "openai"

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: httpx2.Client | None = None,
        async_http_client: httpx2.AsyncClient | None = None,
        call_log: CallLog | None = None,
        cache: ResponseCache | None = None,
        prompt: Prompt | None = None,
        request_hooks: Sequence[Callable[[httpx2.Request], Awaitable[None]]] = (),
    ) -> None:
        """Build the clients now (no network is touched until an article is extracted).

        ``request_hooks``: run before every request of the async client built here (rate limit).
        """
        self.settings = settings
        self.prompt = prompt or load_prompt(settings.prompt, settings.prompts_dir)
        self._identity = llm_identity(settings, self.prompt)
        self.model = settings.model
        self._request_hooks = list(request_hooks)
        self.call_log = call_log
        self.cache = cache
        self.url = (settings.base_url or "https://api.openai.com/v1").rstrip("/")
        self._sync_http = http_client
        self._async_http = async_http_client
        self._clients: dict[tuple[bool, str], Any] = {}  # (on the loop thread, mode) -> client
        self._loop_thread = LoopThread()  # the sync face's event loop, started on first use
        self._loop_http_client: httpx2.AsyncClient | None = None
        self._finalizer = weakref.finalize(self, self._loop_thread.close)
        self._caps: Capabilities | None = None
        self._mode: str | None = None if settings.mode == "auto" else settings.mode
        self._context: int | None = None  # the server's context, learnt before the first request
        self._dead: tuple[str, str] | None = None  # (message, hint) once the endpoint refused
        self._api_key = resolve_api_key(settings)  # fail early, with the fix, when no key is set
        instructor_speedups.install()
        guard_library_logs()
        quiet_unconfigured(logging.getLogger("instructor"))

    # -- mode and capabilities -------------------------------------------------------------
    @property
    def mode(self) -> str | None:
        """The structured-output mode in use (None until ``auto`` has been resolved)."""
        return self._mode

    def capabilities(self) -> Capabilities:
        """What the server supports: documented for OpenAI, probed once per run otherwise."""
        if self._caps is None:
            try:
                found = capabilities(self.settings, self._api_key)
            except EndpointUnusable as exc:
                self._adopt_failure(exc)
                raise
            self._adopt(*found)
        assert self._caps is not None
        return self._caps

    async def acapabilities(self) -> Capabilities:
        """``capabilities`` without blocking the event loop (the probe runs in a thread)."""
        if self._caps is not None:
            return self._caps
        return await asyncio.to_thread(self.capabilities)

    def _adopt(self, caps: Capabilities, fresh: bool) -> None:
        if fresh:  # this backend ran the probe: its requests are logged and counted here
            self._log_probe(caps.exchanges)
        self._caps = caps

    def _adopt_failure(self, exc: EndpointUnusable) -> None:
        self._log_probe(exc.exchanges)
        exc.exchanges = ()  # logged once, by the article that ran the probe

    def resolve_mode(self) -> str:
        """The mode to use: the configured one, or under ``auto`` the best the server supports."""
        if self._mode is None:
            caps = self.capabilities()
            best = caps.best()
            if best is None:
                raise ModeUnsupportedError(
                    "the server supports none of the structured-output modes "
                    f"({', '.join(f'{m}: {n}' for m, n in caps.notes.items())})",
                    mode="auto",
                )
            self._mode = "tools" if is_openai(self.settings.base_url) else best
        return self._mode

    def _context_tokens(self) -> int | None:
        if self.settings.context_tokens:
            return self.settings.context_tokens
        if self._caps is not None:
            return self._caps.context_tokens
        return self._context or None

    def _learn(self) -> None:
        """Mode and context before the first request (under ``auto`` this probes the server)."""
        if self._mode is None:
            self.capabilities()
        elif self._context is None and not self.settings.context_tokens and self._caps is None:
            self._context = server_context(self.settings, self._api_key) or 0

    async def _alearn(self) -> None:
        """``_learn`` off the event loop (the probe and the context look-up are sync HTTP)."""
        if self._mode is None or (
            self._context is None and not self.settings.context_tokens and self._caps is None
        ):
            await asyncio.to_thread(self._learn)

    def _token_param(self) -> str:
        return "max_completion_tokens" if is_openai(self.settings.base_url) else "max_tokens"

    def _log_probe(self, exchanges: Any) -> None:
        meter = METER.get(None)
        for ex in exchanges:
            if meter is not None:
                meter.requests += 1
                meter.prompt_tokens += ex.prompt_tokens
                meter.completion_tokens += ex.completion_tokens
                meter.attempts.append("probe" if ex.error is None else "probe-failed")
            if self.call_log is not None:
                self.call_log(
                    Exchange(
                        request=ex.request,
                        response=ex.response,
                        error=redact(ex.error) if ex.error else None,
                        attempt=1,
                        latency_s=ex.latency_s,
                        prompt_tokens=ex.prompt_tokens,
                        completion_tokens=ex.completion_tokens,
                        cached=False,
                        model=str(ex.request.get("model", self.settings.model)),
                    )
                )

    # -- the create function instructor wraps ------------------------------------------
    def _retry_policy(self) -> dict[str, Any]:
        """Bounded, jittered retries of transient API faults (Retry-After honoured)."""

        def stop(state: RetryCallState) -> bool:
            exc = state.outcome.exception() if state.outcome else None
            if exc is not None and is_connection_failure(exc):
                return state.attempt_number >= CONNECTION_ATTEMPTS
            return state.attempt_number >= self.settings.max_api_retries + 1

        return {
            "stop": stop,
            "wait": backoff(self.settings),
            "retry": retry_if_exception(is_transient),
            "reraise": True,
        }

    def _bound(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The request with its token ceiling; a request that would not fit is not sent."""
        meter = METER.get(None)
        ceiling = meter.ceiling if meter is not None else budget.DEFAULT_CEILING
        param = self._token_param()
        if kwargs.get(param):
            return kwargs
        limit, left = budget.output_tokens(kwargs, self._context_tokens(), ceiling)
        if left is not None and left < budget.MIN_ANSWER_TOKENS:
            what = "a re-ask" if len(kwargs.get("messages", [])) > 2 else "the request"
            raise ContextOverflowError(
                f"{what} would not fit the server's context of {self._context_tokens()} tokens "
                f"(about {budget.prompt_tokens(kwargs)} tokens of prompt, "
                f"{budget.MIN_ANSWER_TOKENS} needed for the answer): not sent"
            )
        return {**kwargs, param: limit}

    def _prepare(self, kwargs: dict[str, Any]) -> tuple[dict[str, Any], str, ChatCompletion | None]:
        """Bound the request, key it, and answer it from the cache when it can be."""
        kwargs = self._bound(kwargs)
        if _BUILD_ONLY.get(False):
            raise _NotSent(kwargs)
        key = request_key(kwargs, self.settings.base_url)
        return kwargs, key, self._from_cache(key, kwargs)

    def _settle(
        self,
        kwargs: dict[str, Any],
        completion: Any,
        error: BaseException | None,
        state: RetryCallState,
        started: float,
    ) -> None:
        """Check an answer, then log and count the attempt whatever came of it."""
        if error is None:
            try:
                self._accept(completion, kwargs)
            except Exception as exc:
                self._record(kwargs, completion, exc, state, started)
                raise
        self._record(kwargs, completion if error is None else None, error, state, started)

    def _create(
        self, raw: Callable[..., Awaitable[ChatCompletion]]
    ) -> Callable[..., Awaitable[ChatCompletion]]:
        """The create instructor wraps: cache, token ceiling, API retries, metering, call log.

        Kept as a wrapper, not instructor hooks: the hooks fire once per instructor attempt
        and swallow their own exceptions, while this sees each HTTP attempt (number, latency)
        of the retry loop inside it and must raise to reject an answer.
        """

        async def create(**kwargs: Any) -> ChatCompletion:
            kwargs, key, hit = self._prepare(kwargs)
            if hit is not None:
                return hit
            async for attempt in AsyncRetrying(**self._retry_policy()):
                with attempt:
                    started = time.perf_counter()
                    try:
                        with json_body():
                            completion = await raw(**kwargs)
                    except Exception as exc:
                        self._settle(kwargs, None, exc, attempt.retry_state, started)
                        raise
                    self._settle(kwargs, completion, None, attempt.retry_state, started)
            self._to_cache(key, completion)
            return completion

        return create

    def _accept(self, completion: ChatCompletion, kwargs: dict[str, Any]) -> None:
        """An answer worth parsing, or the reason it is not (truncation seen in the answer)."""
        check_answer(
            completion,
            limit=kwargs.get(self._token_param()),
            tool_choice=bool(kwargs.get("tool_choice")),
            mode=self._mode,
            suggest=lambda: self._suggest("tools"),
        )

    def _suggest(self, lacking: str) -> str | None:
        """The mode to set instead of one the server lacks (probes the server if need be)."""
        try:
            caps = self._caps or capabilities(self.settings, self._api_key)[0]
        except EndpointUnusable:
            return None
        best = caps.best()
        return best if best != lacking else None

    def _from_cache(self, key: str, kwargs: dict[str, Any]) -> ChatCompletion | None:
        if self.cache is None or not self.settings.cache:
            return None
        body = self.cache.get(key)
        if body is None:
            return None
        completion = ChatCompletion.model_validate(body)
        meter = METER.get(None)
        if meter is not None:
            meter.attempts.append("cache")
        if self.call_log is not None:
            self.call_log(
                Exchange.cache_hit(kwargs, body, str(kwargs.get("model", self.settings.model)))
            )
        return completion

    def _to_cache(self, key: str, completion: ChatCompletion) -> None:
        if self.cache is not None and self.settings.cache:
            self.cache.put(key, completion.model_dump(mode="json", exclude_unset=True))

    def _record(
        self,
        kwargs: dict[str, Any],
        completion: ChatCompletion | None,
        error: BaseException | None,
        state: RetryCallState,
        started: float,
    ) -> None:
        """Log and count one HTTP attempt: a rejected answer's tokens count like any other."""
        usage = getattr(completion, "usage", None)
        prompt_tokens = usage.prompt_tokens if usage else 0
        completion_tokens = usage.completion_tokens if usage else 0
        meter = METER.get(None)
        if meter is not None:
            meter.requests += 1
            meter.prompt_tokens += prompt_tokens
            meter.completion_tokens += completion_tokens
            meter.attempts.append(type(error).__name__ if error else "ok")
        if self.call_log is not None:
            answer = completion.model_dump(mode="json") if completion is not None else None
            self.call_log(
                Exchange(
                    request=kwargs,
                    response=answer if isinstance(answer, dict) else None,
                    error=redact(f"{type(error).__name__}: {error}") if error else None,
                    attempt=state.attempt_number,
                    latency_s=time.perf_counter() - started,
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                    cached=False,
                    model=str(kwargs.get("model", self.settings.model)),
                )
            )

    # -- instructor clients --------------------------------------------------------------
    def _build(self, on_loop_thread: bool, mode: str) -> Any:
        """The async instructor client around our retrying, metering ``create``."""
        http = self._loop_http() if on_loop_thread else self._caller_http()
        aclient = make_async_openai_client(self.settings, http)
        if on_loop_thread and http is None:
            self._loop_thread.on_close(aclient.close)
        imode = _MODES[mode]
        patched = instructor.patch(create=self._create(aclient.chat.completions.create), mode=imode)
        return instructor.AsyncInstructor(client=aclient, create=patched, mode=imode)

    def _loop_http(self) -> httpx2.AsyncClient | None:
        """The sync face's HTTP client: through the injected sync client, a traffic dump, or none."""
        if self._loop_http_client is None and (self._sync_http or self.settings.debug_http):
            if self._sync_http is not None:
                http = openai.DefaultAsyncHttpx2Client(
                    transport=SyncClientTransport(self._sync_http)
                )
            else:
                from extractor.backends.debug_http import debug_async_client

                http = debug_async_client()
            self._loop_thread.on_close(http.aclose)
            self._loop_http_client = http
        return self._loop_http_client

    def _caller_http(self) -> httpx2.AsyncClient | None:
        """The async face's HTTP client: one pool for every mode's client, closed by ``aclose``."""
        if self._async_http is None and self.settings.debug_http:
            from extractor.backends.debug_http import debug_async_client

            self._async_http = debug_async_client(extra_request_hooks=self._request_hooks)
        elif self._async_http is None and self._request_hooks:
            hooks = {"request": self._request_hooks}
            self._async_http = openai.DefaultAsyncHttpx2Client(event_hooks=hooks)
        return self._async_http

    def _instructor(self, on_loop_thread: bool) -> Any:
        mode = self.resolve_mode()
        key = (on_loop_thread, mode)
        if key not in self._clients:
            self._clients[key] = self._build(on_loop_thread, mode)
        return self._clients[key]

    def _request(self, article: Article) -> dict[str, Any]:
        context = {CONTEXT_KEY: article.text, PUBLISHED_KEY: article.published}
        self.prompt.check_context(context)
        # The article reaches the model only as the value of {{ article }}: instructor renders
        # the prompt's template with Jinja, and a value is never parsed as a template itself.
        return {
            "model": self.settings.model,
            "messages": self.prompt.messages(),
            "response_model": CheckedRecords,
            "context": context,
            "max_retries": self.settings.max_reasks,
            "temperature": 0,
        }

    def request_kwargs(self, article: Article) -> dict[str, Any]:
        """The exact chat-completions kwargs the first request for an article carries, unsent.

        Built by the same instructor path and token budget as a real request (under ``auto``
        the mode is resolved first, which may probe the server once).
        """
        return self._loop_thread.run(self._arequest_kwargs(article))

    async def _arequest_kwargs(self, article: Article) -> dict[str, Any]:
        await self._alearn()
        with self._metering(article), _build_only():
            try:
                await self._instructor(True).create_with_completion(**self._request(article))
            except _NotSent as built:
                return built.kwargs
            except InstructorRetryException as exc:
                if isinstance(exc.__cause__, _NotSent):
                    return exc.__cause__.kwargs
                raise
        raise RuntimeError("the request was sent while only being built")  # pragma: no cover

    @contextlib.contextmanager
    def _metering(self, article: Article | None = None) -> Iterator[Meter]:
        """A fresh meter for one article, seen by every request made inside the block."""
        meter = Meter()
        if article is not None:
            meter.ceiling = budget.answer_ceiling(
                len(article.text), self.settings.max_output_tokens
            )
        token = METER.set(meter)
        try:
            yield meter
        finally:
            METER.reset(token)

    def extract(self, article: Article) -> Draft:
        """Extract draft records from one article through the endpoint (the async core, waited for)."""
        return self._loop_thread.run(self._aextract(article, on_loop_thread=True))

    async def aextract(self, article: Article) -> Draft:
        """Extract draft records from one article through the endpoint, asynchronously."""
        return await self._aextract(article, on_loop_thread=False)

    async def _aextract(self, article: Article, on_loop_thread: bool) -> Draft:
        """The extraction, once for both faces; ``on_loop_thread`` picks the face's HTTP client."""
        with self._metering(article) as meter:
            try:
                self._check_alive()
                await self._alearn()
                result, _ = await self._instructor(on_loop_thread).create_with_completion(
                    **self._request(article)
                )
            except InstructorRetryException as exc:
                return self._salvage(exc, meter)
            except (EndpointUnusable, ModeUnsupportedError, ContextOverflowError) as exc:
                raise self._failure(exc, meter) from exc
            return self._draft(plain(result), meter, [])

    def identity(self) -> BackendIdentity:
        """Model, prompt version and structured-output mode (what resume compares)."""
        return self._identity

    def close(self) -> None:
        """Stop the sync face's loop thread and close its HTTP connections (idempotent)."""
        self._finalizer()

    async def aclose(self) -> None:
        """Close the async HTTP connections (the client's own, or the one this backend was given)."""
        closed = False
        for (on_loop_thread, _), client in self._clients.items():
            if not on_loop_thread and not closed:
                await client.client.close()
                closed = True
        if not closed and self._async_http is not None:
            await self._async_http.aclose()

    def _check_alive(self) -> None:
        if self._dead is not None:
            message, hint_ = self._dead
            raise LLMError(message, hint=hint_, attempts=0)

    def _draft(self, records: Records, meter: Meter, warnings: list[str]) -> Draft:
        return Draft(
            records=records,
            model=self._identity.recorded_model(),
            prompt_version=self._identity.recorded_prompt_version(),
            usage=meter.usage(),
            warnings=warnings,
        )

    def _failure(self, exc: BaseException, meter: Meter) -> LLMError:
        """The article's failure: endpoint URL, the server's message, the fix, what it cost."""
        if isinstance(exc, EndpointUnusable):
            message, hint_ = str(exc), exc.hint
        else:
            message, hint_ = failure_line(exc, self.url)
        if is_connection_failure(exc) or (
            isinstance(exc, EndpointUnusable) and is_connection_failure(exc.cause or exc)
        ):
            self._dead = (message, hint_)  # the next articles fail at once, with the same line
        return LLMError(redact(message), hint=hint_, attempts=meter.requests, usage=meter.usage())

    def _salvage(self, exc: Exception, meter: Meter) -> Draft:
        """After the re-asks run out, keep the last answer: verification marks what is wrong."""
        cause = exc.__cause__
        completion = getattr(exc, "last_completion", None)
        parse_failure = isinstance(cause, ValidationError | json.JSONDecodeError)
        if completion is not None and parse_failure:
            records = records_from(completion)
            if records is not None:
                return self._draft(
                    records,
                    meter,
                    [
                        f"the model's answer still failed validation after "
                        f"{self.settings.max_reasks} re-asks; unverified figures are kept and "
                        f"marked: {str(cause).splitlines()[0] if cause else exc}"
                    ],
                )
        raise self._failure(cause or exc, meter) from (cause or exc)


_BUILD_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar("extractor_build_only")


@contextlib.contextmanager
def _build_only() -> Iterator[None]:
    token = _BUILD_ONLY.set(True)
    try:
        yield
    finally:
        _BUILD_ONLY.reset(token)
