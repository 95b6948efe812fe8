"""The LLM backend: instructor over an openai client, for any OpenAI-compatible endpoint.

Two retry loops, kept apart on purpose:
- API faults (429 honouring Retry-After, 5xx, timeouts, dropped connections, empty answers) are
  retried by tenacity inside the ``create`` function instructor wraps, with jittered backoff and
  a bound; each retry is a new HTTP request of the same messages.
- Validation failures (a figure or quote not in the article) are re-asked by instructor, at most
  ``Settings.max_reasks`` times, with the validator's message naming the bad figure.
Token usage is summed over every HTTP response, re-asks included; every request is counted.
"""

from __future__ import annotations

import contextlib
import contextvars
import email.utils
import hashlib
import json
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx2
import instructor
import openai
from openai.types.chat import ChatCompletion
from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from extractor.backends import instructor_speedups
from extractor.backends.base import (
    BackendIdentity,
    CallLog,
    Draft,
    Exchange,
    ResponseCache,
    llm_identity,
)
from extractor.config import Settings
from extractor.core.verify import CONTEXT_KEY, PUBLISHED_KEY, CheckedRecords
from extractor.errors import LLMError
from extractor.prompts import Prompt, load_prompt
from extractor.reading import Article
from extractor.secrets import guard_library_logs, redact
from schemas.records import Records, Usage

_MODES = {
    "tools": instructor.Mode.TOOLS,
    "tools_strict": instructor.Mode.TOOLS_STRICT,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "md_json": instructor.Mode.MD_JSON,
}


class EmptyAnswerError(Exception):
    """The endpoint answered 200 with no choices: worth another request."""


class MalformedAnswerError(Exception):
    """The endpoint's HTTP body is not valid JSON: a transport fault, worth another request."""


class TruncatedAnswerError(Exception):
    """The endpoint stopped at its token limit (finish_reason 'length'): asking again won't help."""


@dataclass
class _Meter:
    """What one article's extraction spent, over every attempt."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: list[str] = field(default_factory=list)

    def usage(self) -> Usage:
        return Usage(
            requests=self.requests,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            total_tokens=self.prompt_tokens + self.completion_tokens,
        )


_METER: contextvars.ContextVar[_Meter] = contextvars.ContextVar("extractor_meter")


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


def is_transient(exc: BaseException) -> bool:
    """Faults worth another request: rate limits, server errors, timeouts, drops, empty answers."""
    return isinstance(
        exc,
        openai.RateLimitError
        | openai.InternalServerError
        | openai.APITimeoutError
        | openai.APIConnectionError
        | openai.APIResponseValidationError
        | EmptyAnswerError
        | MalformedAnswerError,
    ) or (isinstance(exc, openai.APIStatusError) and exc.status_code >= 500)


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


def _wait(settings: Settings) -> Callable[[RetryCallState], float]:
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
def _json_body() -> Iterator[None]:
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

        ``request_hooks`` run before every HTTP request of the async client this backend builds
        when none is given (a batch run's rate limit: retries and re-asks wait their turn too).
        """
        self.settings = settings
        self.prompt = prompt or load_prompt(settings.prompt, settings.prompts_dir)
        self._identity = llm_identity(settings, self.prompt)
        self.model = settings.model
        self._request_hooks = list(request_hooks)
        self.call_log = call_log
        self.cache = cache
        self._mode = _MODES[settings.mode]
        self._sync_http = http_client
        self._async_http = async_http_client
        self._client: Any = None
        self._aclient: Any = None
        resolve_api_key(settings)  # fail early, with the fix, when no key is configured
        instructor_speedups.install()
        guard_library_logs()

    # -- the create functions instructor wraps -------------------------------------------
    def _retry_policy(self) -> dict[str, Any]:
        """Bounded, jittered retries of transient API faults (Retry-After honoured)."""
        return {
            "stop": stop_after_attempt(self.settings.max_api_retries + 1),
            "wait": _wait(self.settings),
            "retry": retry_if_exception(is_transient),
            "reraise": True,
        }

    def _create_sync(self, raw: Callable[..., ChatCompletion]) -> Callable[..., ChatCompletion]:
        def create(**kwargs: Any) -> ChatCompletion:
            key = request_key(kwargs, self.settings.base_url)
            if (hit := self._from_cache(key, kwargs)) is not None:
                return hit
            for attempt in Retrying(**self._retry_policy()):
                with attempt:
                    started = time.perf_counter()
                    try:
                        with _json_body():
                            completion = raw(**kwargs)
                        self._accept(completion)
                    except Exception as exc:
                        self._record(kwargs, None, exc, attempt.retry_state, started)
                        raise
                    self._record(kwargs, completion, None, attempt.retry_state, started)
            self._to_cache(key, completion)
            return completion

        return create

    def _create_async(
        self, raw: Callable[..., Awaitable[ChatCompletion]]
    ) -> Callable[..., Awaitable[ChatCompletion]]:
        async def create(**kwargs: Any) -> ChatCompletion:
            key = request_key(kwargs, self.settings.base_url)
            if (hit := self._from_cache(key, kwargs)) is not None:
                return hit
            async for attempt in AsyncRetrying(**self._retry_policy()):
                with attempt:
                    started = time.perf_counter()
                    try:
                        with _json_body():
                            completion = await raw(**kwargs)
                        self._accept(completion)
                    except Exception as exc:
                        self._record(kwargs, None, exc, attempt.retry_state, started)
                        raise
                    self._record(kwargs, completion, None, attempt.retry_state, started)
            self._to_cache(key, completion)
            return completion

        return create

    @staticmethod
    def _accept(completion: ChatCompletion) -> None:
        if not isinstance(completion, ChatCompletion):
            raise openai.APIResponseValidationError(
                response=httpx2.Response(200, request=httpx2.Request("POST", "http://endpoint")),
                body=completion,
                message="the endpoint's answer is not a chat completion",
            )
        if not completion.choices:
            raise EmptyAnswerError("the endpoint answered with no choices")
        if completion.choices[0].finish_reason == "length":
            raise TruncatedAnswerError(
                "the answer was cut at the model's token limit (finish_reason 'length')"
            )

    def _from_cache(self, key: str, kwargs: dict[str, Any]) -> ChatCompletion | None:
        if self.cache is None or not self.settings.cache:
            return None
        body = self.cache.get(key)
        if body is None:
            return None
        completion = ChatCompletion.model_validate(body)
        meter = _METER.get(None)
        if meter is not None:
            meter.attempts.append("cache")
        if self.call_log is not None:
            self.call_log(
                Exchange(
                    request=kwargs,
                    response=body,
                    error=None,
                    attempt=0,
                    latency_s=0.0,
                    prompt_tokens=0,
                    completion_tokens=0,
                    cached=True,
                    model=str(kwargs.get("model", self.settings.model)),
                )
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
        usage = completion.usage if completion is not None else None
        prompt_tokens = usage.prompt_tokens if usage else 0
        completion_tokens = usage.completion_tokens if usage else 0
        meter = _METER.get(None)
        if meter is not None:
            meter.requests += 1
            meter.prompt_tokens += prompt_tokens
            meter.completion_tokens += completion_tokens
            meter.attempts.append(type(error).__name__ if error else "ok")
        if self.call_log is not None:
            self.call_log(
                Exchange(
                    request=kwargs,
                    response=completion.model_dump(mode="json") if completion else None,
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
    def _build(self, is_async: bool) -> Any:
        """The instructor client around our retrying, metering ``create`` (built once)."""
        http: Any = self._async_http if is_async else self._sync_http
        if http is None and self.settings.debug_http:
            from extractor.backends.debug_http import debug_async_client, debug_client

            hooks = self._request_hooks
            http = debug_async_client(extra_request_hooks=hooks) if is_async else debug_client()
        elif http is None and is_async and self._request_hooks:
            http = openai.DefaultAsyncHttpx2Client(event_hooks={"request": self._request_hooks})
        if is_async:
            self._async_http = http
        if is_async:
            aclient = make_async_openai_client(self.settings, http)
            acreate = self._create_async(aclient.chat.completions.create)
            patched = instructor.patch(create=acreate, mode=self._mode)
            return instructor.AsyncInstructor(client=aclient, create=patched, mode=self._mode)
        client = make_openai_client(self.settings, http)
        create = self._create_sync(client.chat.completions.create)
        patched = instructor.patch(create=create, mode=self._mode)
        return instructor.Instructor(client=client, create=patched, mode=self._mode)

    def _instructor(self) -> Any:
        if self._client is None:
            self._client = self._build(is_async=False)
        return self._client

    def _ainstructor(self) -> Any:
        if self._aclient is None:
            self._aclient = self._build(is_async=True)
        return self._aclient

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

    @contextlib.contextmanager
    def _metering(self) -> Iterator[_Meter]:
        """A fresh meter for one article, seen by every request made inside the block."""
        meter = _Meter()
        token = _METER.set(meter)
        try:
            yield meter
        finally:
            _METER.reset(token)

    def extract(self, article: Article) -> Draft:
        """Extract draft records from one article through the endpoint."""
        with self._metering() as meter:
            try:
                result, _ = self._instructor().create_with_completion(**self._request(article))
            except instructor.core.InstructorRetryException as exc:
                return self._salvage(exc, meter)
            return self._draft(_plain(result), meter, [])

    async def aextract(self, article: Article) -> Draft:
        """Extract draft records from one article through the endpoint, asynchronously."""
        with self._metering() as meter:
            try:
                result, _ = await self._ainstructor().create_with_completion(
                    **self._request(article)
                )
            except instructor.core.InstructorRetryException as exc:
                return self._salvage(exc, meter)
            return self._draft(_plain(result), meter, [])

    def identity(self) -> BackendIdentity:
        """Model, prompt version and structured-output mode (what resume compares)."""
        return self._identity

    async def aclose(self) -> None:
        """Close the async HTTP connections (the client's own, or the one this backend was given)."""
        if self._aclient is not None:
            await self._aclient.client.close()
        elif self._async_http is not None:
            await self._async_http.aclose()

    def _draft(self, records: Records, meter: _Meter, warnings: list[str]) -> Draft:
        return Draft(
            records=records,
            model=self._identity.recorded_model(),
            prompt_version=self._identity.recorded_prompt_version(),
            usage=meter.usage(),
            warnings=warnings,
        )

    def _salvage(self, exc: Exception, meter: _Meter) -> Draft:
        """After the re-asks run out, keep the last answer: verification marks what is wrong."""
        cause = exc.__cause__
        completion = getattr(exc, "last_completion", None)
        parse_failure = isinstance(cause, ValidationError | json.JSONDecodeError)
        if completion is not None and parse_failure:
            records = _records_from(completion)
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
        raise LLMError(
            redact(_describe_failure(cause or exc)),
            hint=_hint(cause or exc),
            attempts=meter.requests,
        ) from (cause or exc)


def _plain(result: Records) -> Records:
    """The validated answer as plain Records (instructor hands back its own subclass)."""
    return Records(
        meetings=result.meetings,
        agreements=result.agreements,
        metrics=result.metrics,
        projects=result.projects,
    )


def _records_from(completion: Any) -> Records | None:
    """Parse the last answer without validation context, so nothing is checked yet."""
    try:
        message = completion.choices[0].message
        if message.tool_calls:
            raw = message.tool_calls[0].function.arguments
        else:
            raw = message.content or ""
        data = json.loads(raw)
        return Records.model_validate(data)
    except (ValueError, AttributeError, IndexError, ValidationError):
        return None


def _describe_failure(exc: BaseException) -> str:
    if isinstance(exc, openai.RateLimitError):
        return "the endpoint kept answering 429 (rate limited) after bounded retries"
    if isinstance(exc, openai.APITimeoutError):
        return "the endpoint did not answer within the timeout, after bounded retries"
    if isinstance(exc, openai.APIConnectionError):
        return "the connection to the endpoint failed, after bounded retries"
    if isinstance(exc, openai.APIStatusError):
        return f"the endpoint answered HTTP {exc.status_code}: {str(exc)[:200]}"
    if isinstance(exc, EmptyAnswerError):
        return "the endpoint answered with no choices, after bounded retries"
    if isinstance(exc, MalformedAnswerError):
        return f"{exc}, after bounded retries"
    if isinstance(exc, TruncatedAnswerError):
        return str(exc)
    if isinstance(exc, ValidationError | json.JSONDecodeError):
        return f"the model's answer is not valid JSON for the schema: {str(exc)[:300]}"
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _hint(exc: BaseException) -> str:
    if isinstance(exc, openai.AuthenticationError):
        return "check OPENAI_API_KEY"
    if isinstance(exc, openai.NotFoundError):
        return "check EXTRACTOR_MODEL and OPENAI_BASE_URL"
    if isinstance(exc, TruncatedAnswerError):
        return "use a model with a larger output limit, or lower EXTRACTOR_MAX_CHUNK_CHARS"
    if isinstance(exc, openai.RateLimitError):
        return (
            "lower EXTRACTOR_CONCURRENCY or set EXTRACTOR_RPM, then re-run: done articles are kept"
        )
    return "re-run later: finished articles are skipped"
