"""A local fake OpenAI-compatible chat-completions server for fault, batch and bench runs.

It listens on 127.0.0.1 on a random port in a background thread, so tests drive the real
openai + instructor + httpx2 stack over real sockets. Normal requests get a tool call whose
arguments are a ``Records`` JSON: the curated answer of a seed article when the request's
article contains every quote of that answer, else a scripted answer, else empty records.
Faults are scripted per request, in order:

- ``"429"``: rate limited, with ``Retry-After: 0``
- ``"500"``, ``"503"``: server errors
- ``"hang"``: no answer until ``hang_s`` passes (past the client's timeout)
- ``"malformed"``: status 200 with a body that is not JSON
- ``"length"``: finish_reason ``length`` with cut-off tool arguments
- ``"empty"``: status 200 with no choices
- ``"drop"``: the connection closes without a response
- ``"cut_tool_call"``: finish_reason ``tool_calls`` with cut-off tool arguments (a server that
  does not say it stopped at its limit)
- ``"500_invalid"``: HTTP 500 with llama-cpp-python's validation body for a response_format it
  does not know
- ``"400_context"``: HTTP 400 ``context_length_exceeded``
- ``"404_model"``: HTTP 404 model not found

Capability probes (one message asking for ``{"ok": true}``) are answered as a server that honours
every mode would, unless ``ignores_tool_choice`` (llama-server: plain text until the limit) or
``rejects_json_schema`` (llama-cpp-python: HTTP 500) says otherwise; they consume no scripted
fault and are kept in ``probes``, not ``received``. ``GET /props`` tells ``n_ctx`` when set.

Usage::

    with FakeOpenAI(latency=0.2) as server:
        settings = Settings(api_key="test-key", base_url=server.url, backend="openai")
        server.script("429", "500")          # the next two requests fail, then normal answers
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "fixtures" / "llm_answers"
FAULTS = (
    "429",
    "500",
    "503",
    "hang",
    "malformed",
    "length",
    "empty",
    "drop",
    "cut_tool_call",
    "500_invalid",
    "400_context",
    "404_model",
)
LLAMA_CPP_PYTHON_500 = (
    "1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input should be "
    "'text' or 'json_object' [type=literal_error, input_value='json_schema', input_type=str]"
)
EMPTY_RECORDS: dict[str, Any] = {"meetings": [], "agreements": [], "metrics": [], "projects": []}

Responder = Callable[[dict[str, Any], str], dict[str, Any] | None]


def curated_answers() -> list[dict[str, Any]]:
    """The last (valid) curated answer of every seed, from ``fixtures/llm_answers``."""
    out = []
    for path in sorted(ANSWERS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data and data.get("answers"):
            out.append(data["answers"][-1])
    return out


def quotes(records: dict[str, Any]) -> list[str]:
    """Every evidence quote of a Records dict."""
    return [
        e["quote"]
        for kind in ("meetings", "agreements", "metrics", "projects")
        for r in records.get(kind, [])
        for e in r.get("evidence", [])
    ]


def request_text(body: dict[str, Any]) -> str:
    """The text of every user message of a chat request (where the article is)."""
    parts = []
    for m in body.get("messages", []):
        if m.get("role") == "user":
            content = m.get("content")
            if isinstance(content, list):
                content = " ".join(c.get("text", "") for c in content if isinstance(c, dict))
            parts.append(str(content or ""))
    return "\n".join(parts)


class FakeOpenAI:
    """The fake server; use as a context manager (starts and stops the thread)."""

    def __init__(
        self, latency: float = 0.0, hang_s: float = 5.0, responder: Responder | None = None
    ) -> None:
        self.latency = latency
        self.hang_s = hang_s
        self.responder = responder
        self.answers = curated_answers()
        self.received: list[dict[str, Any]] = []
        self.probes: list[dict[str, Any]] = []
        self.n_ctx: int | None = None  # told by GET /props when set
        self.ignores_tool_choice = False  # like llama-server: plain text for a named tool_choice
        self.rejects_json_schema = False  # like llama-cpp-python: HTTP 500 for json_schema
        self.faults_served: list[str] = []
        self._script: deque[str] = deque()
        self._rules: list[tuple[str, deque[str]]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL for ``Settings.base_url`` / ``OPENAI_BASE_URL``."""
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *faults: str) -> None:
        """Queue faults for the next requests, whatever article they carry."""
        for f in faults:
            if f not in FAULTS:
                raise ValueError(f"unknown fault {f!r}; use one of {FAULTS}")
        with self._lock:
            self._script.extend(faults)

    def fail_when(self, marker: str, *faults: str) -> None:
        """Queue faults for requests whose article contains ``marker`` (``"always:F"`` repeats F)."""
        with self._lock:
            self._rules.append((marker, deque(faults)))

    @property
    def requests(self) -> int:
        """How many requests reached the server."""
        with self._lock:
            return len(self.received)

    def start(self) -> FakeOpenAI:
        """Listen on 127.0.0.1:<random port> in a daemon thread."""
        handler = type("Handler", (_Handler,), {"fake": self})
        server_class = type("Server", (ThreadingHTTPServer,), {"request_queue_size": 128})
        self._server = server_class(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; hanging requests are released."""
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- behaviour --------------------------------------------------------------------
    def _next_fault(self, text: str) -> str | None:
        with self._lock:
            for marker, faults in self._rules:
                if marker in text and faults:
                    fault = faults[0]
                    if fault.startswith("always:"):
                        return fault.split(":", 1)[1]
                    return faults.popleft()
            return self._script.popleft() if self._script else None

    def answer_for(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        """The Records a normal request gets."""
        if self.responder is not None:
            answer = self.responder(body, text)
            if answer is not None:
                return answer
        for answer in self.answers:
            qs = quotes(answer)
            if qs and all(q in text for q in qs):
                return answer
        return EMPTY_RECORDS

    def completion(
        self, body: dict[str, Any], records: dict[str, Any], finish: str = "tool_calls"
    ) -> dict[str, Any]:
        """A chat completion carrying ``records`` the way the request asked (tool call or JSON)."""
        n = next(self._ids)
        arguments = json.dumps(records, ensure_ascii=False)
        if finish == "length":
            arguments = arguments[: len(arguments) // 2]
        tools = body.get("tools") or []
        if finish == "cut_tool_call":
            arguments = arguments[: len(arguments) // 2]
            finish = "tool_calls"
        if tools:
            name = tools[0].get("function", {}).get("name", "Records")
            message: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": f"call_{n}",
                        "type": "function",
                        "function": {"name": name, "arguments": arguments},
                    }
                ],
            }
        else:
            message = {"role": "assistant", "content": arguments}
            finish = "stop" if finish == "tool_calls" else finish
        prompt_tokens = len(json.dumps(body, ensure_ascii=False)) // 4
        completion_tokens = max(len(arguments) // 4, 1)
        return {
            "id": f"chatcmpl-fake-{n}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall
    fake: FakeOpenAI

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return  # keep test output clean

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _error(
        self, status: int, message: str, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        body = json.dumps({"error": {"message": message, "type": kind, "code": None}}).encode()
        self._send(status, body, headers)

    def do_GET(self) -> None:  # noqa: N802
        fake = self.fake
        if self.path.rstrip("/") == "/props" and fake.n_ctx:
            props = {"default_generation_settings": {"n_ctx": fake.n_ctx}}
            self._send(200, json.dumps(props).encode())
            return
        self._error(404, f"no route {self.path}", "not_found")

    def _probe(self, body: dict[str, Any]) -> bool:
        """Answer a capability probe; False when the request is not one."""
        fake = self.fake
        tools = body.get("tools") or []
        fmt = body.get("response_format") or {}
        if len(body.get("messages", [])) != 1 or '{"ok": true}' not in request_text(body):
            return False
        with fake._lock:
            fake.probes.append(body)
        if fmt.get("type") == "json_schema" and fake.rejects_json_schema:
            self._error(500, LLAMA_CPP_PYTHON_500, "internal_server_error")
            return True
        if tools and fake.ignores_tool_choice:
            answer = fake.completion({**body, "tools": []}, {}, finish="length")
            answer["choices"][0]["message"]["content"] = "User: ok<|im_end|>\nUser: ok"
        else:
            answer = fake.completion(body, {"ok": True})
        self._send(200, json.dumps(answer).encode())
        return True

    def do_POST(self) -> None:  # noqa: N802
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._error(404, f"no route {self.path}", "not_found")
            return
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            self._error(400, "request body is not JSON", "invalid_request_error")
            return
        if self._probe(body):
            return
        text = request_text(body)
        with fake._lock:
            fake.received.append(body)
        fault = fake._next_fault(text)
        if fault is not None:
            with fake._lock:
                fake.faults_served.append(fault)
        if fake.latency and fake._stop.wait(fake.latency):
            return
        if fault == "429":
            self._error(
                429, "Rate limit reached for requests", "rate_limit_exceeded", {"Retry-After": "0"}
            )
        elif fault in ("500", "503"):
            self._error(
                int(fault), "The server had an error processing your request", "server_error"
            )
        elif fault == "hang":
            fake._stop.wait(fake.hang_s)
            self.close_connection = True
        elif fault == "malformed":
            self._send(200, b'{"id": "chatcmpl-broken", "choices": [{"index": 0, "mess')
        elif fault == "empty":
            done = fake.completion(body, EMPTY_RECORDS)
            done["choices"] = []
            self._send(200, json.dumps(done).encode())
        elif fault == "drop":
            self.close_connection = True  # close without a byte of response
        elif fault in ("length", "cut_tool_call"):
            answer = fake.completion(body, fake.answer_for(body, text), finish=fault)
            self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"))
        elif fault == "500_invalid" or (
            fake.rejects_json_schema
            and (body.get("response_format") or {}).get("type") == "json_schema"
        ):
            self._error(500, LLAMA_CPP_PYTHON_500, "internal_server_error")
        elif fault == "400_context":
            self._error(
                400,
                "This model's maximum context length is 4096 tokens. However, your messages "
                "resulted in 5120 tokens. Please reduce the length of the messages.",
                "context_length_exceeded",
            )
        elif fault == "404_model":
            self._error(404, "The model `no-such-model` does not exist", "model_not_found")
        elif body.get("tools") and fake.ignores_tool_choice:
            answer = fake.completion({**body, "tools": []}, {}, finish="length")
            answer["choices"][0]["message"]["content"] = "Казахстан и Туркменистан. " * 40
            self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"))
        else:
            answer = fake.completion(body, fake.answer_for(body, text))
            self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"))


@contextmanager
def running(latency: float = 0.0, **kwargs: Any) -> Iterator[FakeOpenAI]:
    """A started fake server, stopped on exit."""
    server = FakeOpenAI(latency=latency, **kwargs)
    with server:
        yield server


@contextmanager
def in_subprocess(latency: float = 0.0) -> Iterator[str]:
    """Run the fake server in its own process (its own GIL, like a real remote endpoint).

    Yields the base URL; the process is stopped on exit. Used by benchmarks, where a server
    thread would compete with the client for the interpreter lock.
    """
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_openai_server", "--latency", str(latency)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the fake server did not start: {url!r}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def main() -> None:
    """``python -m tests.fake_openai_server [--latency S]``: serve until killed; print the URL."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    server = FakeOpenAI(latency=args.latency).start()
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
