"""What an OpenAI-compatible server supports, found out rather than guessed.

For a server that is not OpenAI, three tiny chat requests (``max_tokens`` 16 each) try the
structured-output modes — a JSON schema in ``response_format``, a tool call forced by a *named*
``tool_choice``, and ``json_object`` — and ``/props``, ``/slots`` (llama.cpp) and ``/v1/models``
(llama.cpp ``meta``, vLLM ``max_model_len``) tell the context size where the server says it. For
api.openai.com the documented capabilities are trusted instead: probing there would cost money.
A probe runs once per base URL and model for the life of the process.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx2

from extractor.backends.llm.errors import describe, hint
from extractor.config import Settings

OPENAI_URL = "https://api.openai.com/v1"
# Preference when several modes work: a grammar-constrained JSON schema first (servers that
# honour it cannot answer off-schema), then a forced tool call, then plain JSON, then prose JSON.
PREFERENCE = ("json_schema", "tools", "json_object", "md_json")
PROBE_MAX_TOKENS = 16
_PROBE_SCHEMA = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}
_PROBE_MESSAGES = [{"role": "user", "content": 'Reply with the JSON {"ok": true}.'}]


@dataclass(frozen=True)
class ProbeExchange:
    """One probe request and its answer (or error), with its tokens."""

    request: dict[str, Any]
    response: dict[str, Any] | None
    error: str | None
    latency_s: float
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class Capabilities:
    """Modes a server supports (mode -> True/False), its context size, and how we know."""

    base_url: str
    modes: dict[str, bool]
    context_tokens: int | None
    source: str  # "probed" or "documented"
    notes: dict[str, str] = field(default_factory=dict)
    token_param: str = "max_tokens"  # OpenAI's newer models want max_completion_tokens
    exchanges: tuple[ProbeExchange, ...] = ()  # the probe's own requests, for the call log

    def supports(self, mode: str) -> bool:
        """True when the mode is known to work here."""
        if mode == "tools_strict":
            return self.modes.get("tools_strict", self.modes.get("tools", False))
        return self.modes.get(mode, False)

    def best(self) -> str | None:
        """The mode ``auto`` stands for here, or None when none works."""
        for mode in PREFERENCE:
            if self.modes.get(mode):
                return mode
        return None


def is_openai(base_url: str | None) -> bool:
    """True for OpenAI's own API (no base URL configured, or api.openai.com)."""
    return base_url is None or urlsplit(base_url).hostname == "api.openai.com"


def documented_openai() -> Capabilities:
    """OpenAI's documented structured outputs: no request is sent to find them."""
    return Capabilities(
        base_url=OPENAI_URL,
        modes={
            "tools": True,
            "tools_strict": True,
            "json_schema": True,
            "json_object": True,
            "md_json": True,
        },
        context_tokens=None,  # per model; the server answers context_length_exceeded
        source="documented",
        notes={"tools": "preferred for OpenAI: named tool_choice and strict schemas documented"},
        token_param="max_completion_tokens",
    )


class EndpointUnusable(Exception):
    """The probe could not talk to the server at all (wrong URL, down, bad key)."""

    def __init__(self, message: str, hint: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        self.cause = cause
        self.exchanges: tuple[ProbeExchange, ...] = ()


def _root(base_url: str) -> str:
    """The server root for llama.cpp's own routes (/props, /slots): base URL minus /v1."""
    url = base_url.rstrip("/")
    return url[: -len("/v1")] if url.endswith("/v1") else url


def _get_json(http: httpx2.Client, url: str) -> Any:
    try:
        response = http.get(url)
    except httpx2.HTTPError:
        return None
    if response.status_code != 200:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def context_size(http: httpx2.Client, base_url: str) -> tuple[int | None, str]:
    """The context per request where the server tells it, and which route told it."""
    root = _root(base_url)
    slots = _get_json(http, f"{root}/slots")
    if isinstance(slots, list) and slots and isinstance(slots[0], dict) and slots[0].get("n_ctx"):
        return int(slots[0]["n_ctx"]), "/slots n_ctx"
    props = _get_json(http, f"{root}/props")
    if isinstance(props, dict):
        n = (props.get("default_generation_settings") or {}).get("n_ctx") or props.get("n_ctx")
        if n:
            return int(n), "/props n_ctx"
    models = _get_json(http, f"{base_url.rstrip('/')}/models")
    for entry in (models or {}).get("data", []) if isinstance(models, dict) else []:
        if entry.get("max_model_len"):
            return int(entry["max_model_len"]), "/v1/models max_model_len"
        meta = entry.get("meta") or {}
        if meta.get("n_ctx_train"):
            return int(meta["n_ctx_train"]), "/v1/models meta.n_ctx_train"
    return None, "not told by the server"


def _probe_bodies(model: str) -> dict[str, dict[str, Any]]:
    base = {"model": model, "messages": _PROBE_MESSAGES, "temperature": 0}
    base["max_tokens"] = PROBE_MAX_TOKENS
    schema = {"name": "probe", "schema": _PROBE_SCHEMA}
    return {
        "json_schema": {**base, "response_format": {"type": "json_schema", "json_schema": schema}},
        "tools": {
            **base,
            "tools": [
                {"type": "function", "function": {"name": "probe", "parameters": _PROBE_SCHEMA}}
            ],
            "tool_choice": {"type": "function", "function": {"name": "probe"}},
        },
        "json_object": {**base, "response_format": {"type": "json_object"}},
    }


def _judge(mode: str, body: dict[str, Any]) -> tuple[bool, str]:
    """Did the answer honour the mode? (the answer, not the status code, decides)."""
    try:
        message = body["choices"][0]["message"]
    except (KeyError, IndexError, TypeError):
        return False, "no message in the answer"
    if mode == "tools":
        calls = message.get("tool_calls") or []
        if not calls:
            return False, "answered in plain text: the named tool_choice was not honoured"
        name = calls[0].get("function", {}).get("name")
        if name != "probe":
            return False, f"called {name!r}, not the named tool"
        return True, "named tool_choice honoured"
    text = message.get("content") or ""
    try:
        data = json.loads(text)
    except ValueError:
        cut = body["choices"][0].get("finish_reason") == "length"
        if mode == "json_object" and cut and text.lstrip().startswith("{"):
            return True, f"JSON, cut at the probe's {PROBE_MAX_TOKENS} tokens"
        return False, f"answer is not JSON: {text[:60]!r}"
    if mode == "json_schema" and not (isinstance(data, dict) and isinstance(data.get("ok"), bool)):
        return False, f"answer does not follow the schema: {text[:60]!r}"
    return True, "answer follows the schema" if mode == "json_schema" else "answer is JSON"


def probe(settings: Settings, api_key: str, http: httpx2.Client | None = None) -> Capabilities:
    """Ask the server what it supports (a few tiny requests); raises EndpointUnusable."""
    base_url = (settings.base_url or OPENAI_URL).rstrip("/")
    own = http is None
    client = http or httpx2.Client(
        timeout=max(settings.timeout, 30.0), headers={"Authorization": f"Bearer {api_key}"}
    )
    try:
        context, told_by = context_size(client, base_url)
        modes: dict[str, bool] = {}
        notes: dict[str, str] = {"context": told_by}
        exchanges: list[ProbeExchange] = []
        for mode, body in _probe_bodies(settings.model).items():
            started = time.perf_counter()
            try:
                response = client.post(f"{base_url}/chat/completions", json=body)
            except httpx2.HTTPError as exc:
                failed = _unusable(exc, base_url)
                error = f"{type(exc).__name__}: {exc}"
                lost = ProbeExchange(body, None, error, time.perf_counter() - started, 0, 0)
                failed.exchanges = (*exchanges, lost)
                raise failed from exc
            latency = time.perf_counter() - started
            if response.status_code in (401, 403, 404):
                failed = _unusable(_status_error(response), base_url)
                error = f"HTTP {response.status_code}: {response.text[:300]}"
                failed.exchanges = (*exchanges, ProbeExchange(body, None, error, latency, 0, 0))
                raise failed
            if response.status_code != 200:
                modes[mode] = False
                notes[mode] = f"HTTP {response.status_code}: {response.text[:160]}"
                error = f"HTTP {response.status_code}: {response.text[:300]}"
                exchanges.append(ProbeExchange(body, None, error, latency, 0, 0))
                continue
            try:
                answer = response.json()
            except ValueError:
                answer = {}
            usage = answer.get("usage") or {}
            exchanges.append(
                ProbeExchange(
                    body,
                    answer,
                    None,
                    latency,
                    int(usage.get("prompt_tokens") or 0),
                    int(usage.get("completion_tokens") or 0),
                )
            )
            modes[mode], why = _judge(mode, answer)
            notes[mode] = f"{why} ({time.perf_counter() - started:.1f} s)"
        modes["md_json"] = True  # plain chat worked: JSON in a markdown block needs nothing more
        notes["md_json"] = "plain chat: the answer's JSON block is parsed, no server support needed"
        modes["tools_strict"] = False
        notes["tools_strict"] = "not probed (OpenAI's strict function schemas)"
        return Capabilities(
            base_url=base_url,
            modes=modes,
            context_tokens=context,
            source="probed",
            notes=notes,
            exchanges=tuple(exchanges),
        )
    finally:
        if own:
            client.close()


def _status_error(response: httpx2.Response) -> Exception:
    """The SDK's own exception for this status (AuthenticationError, NotFoundError...)."""
    import openai

    try:
        body = response.json()
    except ValueError:
        body = None
    kinds: dict[int, type[openai.APIStatusError]] = {
        401: openai.AuthenticationError,
        403: openai.PermissionDeniedError,
        404: openai.NotFoundError,
    }
    kind = kinds.get(response.status_code, openai.APIStatusError)
    return kind(f"HTTP {response.status_code}", response=response, body=body)


def _unusable(exc: BaseException, base_url: str) -> EndpointUnusable:
    """The probe's failure as the SDK's exception would be, described with the URL and the fix."""
    import openai

    request = httpx2.Request("POST", f"{base_url}/chat/completions")
    if isinstance(exc, httpx2.TimeoutException):
        wrapped: BaseException = openai.APITimeoutError(request=request)
        wrapped.__cause__ = exc
        exc = wrapped
    elif isinstance(exc, httpx2.HTTPError):
        wrapped = openai.APIConnectionError(message=str(exc) or type(exc).__name__, request=request)
        wrapped.__cause__ = exc
        exc = wrapped
    return EndpointUnusable(describe(exc, base_url), hint(exc), exc)


_CACHE: dict[tuple[str, str], Capabilities | EndpointUnusable] = {}
_LOCK = threading.Lock()


def capabilities(settings: Settings, api_key: str) -> tuple[Capabilities, bool]:
    """The server's capabilities, probed once per (base URL, model) in this process.

    Returns the capabilities and whether this call ran the probe (its requests are then the
    caller's to log and count). A server that cannot be talked to raises EndpointUnusable, every
    time, without another request.
    """
    if is_openai(settings.base_url):
        return documented_openai(), False
    key = ((settings.base_url or "").rstrip("/"), settings.model)
    fresh = False
    with _LOCK:  # one probe at a time: concurrent first articles wait for the first one's answer
        found = _CACHE.get(key)
        if found is None:
            fresh = True
            try:
                found = probe(settings, api_key)
            except EndpointUnusable as exc:
                found = exc
            _CACHE[key] = found
    if isinstance(found, EndpointUnusable):
        raise found
    return found, fresh


_CONTEXTS: dict[str, int | None] = {}


def server_context(settings: Settings, api_key: str) -> int | None:
    """The server's context size alone (GET requests, no tokens), once per base URL."""
    if is_openai(settings.base_url):
        return None
    key = (settings.base_url or "").rstrip("/")
    with _LOCK:
        found = _CACHE.get((key, settings.model))
        if isinstance(found, Capabilities):
            return found.context_tokens
        if key not in _CONTEXTS:
            headers = {"Authorization": f"Bearer {api_key}"}
            with httpx2.Client(timeout=min(settings.timeout, 10.0), headers=headers) as http:
                _CONTEXTS[key] = context_size(http, key)[0]
        return _CONTEXTS[key]


def forget() -> None:
    """Drop every cached probe (a test starts and stops servers on reused ports)."""
    with _LOCK:
        _CACHE.clear()
        _CONTEXTS.clear()


def verdict(caps: Capabilities, configured: str) -> tuple[str | None, str]:
    """(the mode a run would use or None, one line saying so and what to set otherwise)."""
    best = "tools" if caps.source == "documented" else caps.best()
    if configured == "auto":
        if best is None:
            return None, "no structured-output mode works here: use --backend offline"
        return best, f"EXTRACTOR_MODE=auto uses {best} here"
    if caps.supports(configured):
        return configured, f"EXTRACTOR_MODE={configured} works here"
    fix = f"set EXTRACTOR_MODE={best} (or auto)" if best else "use --backend offline"
    return None, f"EXTRACTOR_MODE={configured} does not work here: {fix}"


def summary_lines(caps: Capabilities, configured: str) -> list[str]:
    """What ``extractor check-endpoint`` prints: modes, context, the verdict."""
    how = (
        "from OpenAI's documentation, no request sent"
        if caps.source == "documented"
        else (f"probed with {len(caps.exchanges)} requests of at most {PROBE_MAX_TOKENS} tokens")
    )
    lines = [f"endpoint {caps.base_url} ({how})"]
    for mode in ("json_schema", "tools", "tools_strict", "json_object", "md_json"):
        if mode not in caps.modes:
            continue
        mark = "yes" if caps.modes[mode] else "no "
        note = caps.notes.get(mode, "")
        lines.append(f"  {mode:<12} {mark}  {note}".rstrip())
    context = caps.context_tokens
    told = caps.notes.get("context", "")
    lines.append(f"  context      {context if context else 'unknown'} tokens  {told}".rstrip())
    lines.append(verdict(caps, configured)[1])
    return lines
