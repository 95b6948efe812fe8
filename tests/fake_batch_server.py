"""A local fake of the OpenAI files + batches API, for Batch API runs through the real openai client.

It listens on 127.0.0.1 on a random port in a background thread (or its own process), and keeps:

- ``POST /v1/files`` (multipart, purpose=batch), ``GET /v1/files/{id}/content``;
- ``POST /v1/batches`` (counted: ``creates``), ``GET /v1/batches/{id}``, ``GET /v1/batches``;
- ``POST /v1/chat/completions``, the live path on the same endpoint (counted: ``chat_requests``);
- status transitions, one per poll and at least ``step_s`` apart: validating -> in_progress ->
  finalizing -> completed (``hold`` keeps every batch in_progress until released); an input
  file that breaks the API's rules fails validation;
- answers as a model would give them: a seed article gets its curated first answer, and a re-ask
  (a request carrying a ``tool`` message) the next curated answer, so seed 001's invented figure
  is fixed by its re-ask; an article containing a marker of ``invent`` always gets a figure that
  is not in it (re-asks never fix it); other articles get empty records;
- faults per batch: ``expire_next(n)`` expires the next created batch after ``n`` items (the rest
  go to the error file as ``batch_expired``); ``fail_item(marker, "500")`` answers the next item
  whose article contains ``marker`` with a server error in the error file.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections import deque
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import yaml
from pydantic import ValidationError

from extractor.core.verify import CONTEXT_KEY, PUBLISHED_KEY, CheckedRecords
from extractor.reading import read_article
from tests.fake_openai_server import EMPTY_RECORDS, FakeOpenAI, quotes, request_text

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "fixtures" / "llm_answers"
MAX_REQUESTS = 50_000
MAX_BYTES = 200 * 1024 * 1024
STEPS = ("validating", "in_progress", "finalizing")


def seed_answers() -> list[list[dict[str, Any]]]:
    """Every curated answer of every seed, in order (first answer, then re-asked ones)."""
    out = []
    for path in sorted(ANSWERS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data and data.get("answers"):
            out.append(list(data["answers"]))
    return out


def requests_needed(path: Path, max_reasks: int = 2, invent: tuple[str, ...] = ()) -> int:
    """How many requests the LLM path sends for this article when this fake answers it.

    The fake's answers in turn (see ``FakeBatchAPI.answer``), each judged by the project's own
    validator against the article, until one passes or the ``max_reasks`` re-asks run out.
    """
    article = read_article(path)
    context = {CONTEXT_KEY: article.text, PUBLISHED_KEY: article.published}
    if any(marker in article.text for marker in invent):
        return 1 + max_reasks  # the invented figure is never fixed
    for answers in seed_answers():
        qs = quotes(answers[-1])
        if qs and all(q in article.text for q in qs):
            for n in range(1 + max_reasks):
                try:
                    CheckedRecords.model_validate(
                        answers[min(n, len(answers) - 1)], context=context
                    )
                except ValidationError:
                    continue
                return n + 1
            return 1 + max_reasks
    return 1  # empty records: nothing to reject


class FakeBatchAPI:
    """The fake files + batches server; use as a context manager."""

    def __init__(self, step_s: float = 0.05) -> None:
        self.step_s = step_s
        self.answers = seed_answers()
        self.completions = FakeOpenAI()  # builds chat completions in the wire format
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.creates = 0
        self.chat_requests = 0  # live chat completions served on the same endpoint
        self.lines_seen: list[dict[str, Any]] = []  # every input line of every created batch
        self.invent: list[str] = []
        self.hold = threading.Event()
        self._expire: deque[int] = deque()
        self._item_faults: list[tuple[str, deque[str]]] = []
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def expire_next(self, done: int) -> None:
        """The next created batch expires after answering ``done`` items."""
        with self._lock:
            self._expire.append(done)

    def fail_item(self, marker: str, *codes: str) -> None:
        """The next items whose article contains ``marker`` fail with these HTTP codes."""
        with self._lock:
            self._item_faults.append((marker, deque(codes)))

    def start(self) -> FakeBatchAPI:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBatchAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- files --------------------------------------------------------------------------
    def add_file(self, name: str, content: bytes, purpose: str) -> dict[str, Any]:
        with self._lock:
            file_id = f"file-{next(self._ids)}"
            obj = {
                "id": file_id,
                "object": "file",
                "bytes": len(content),
                "created_at": int(time.time()),
                "filename": name,
                "purpose": purpose,
                "status": "processed",
            }
            self.files[file_id] = {**obj, "content": content}
        return obj

    # -- batches ------------------------------------------------------------------------
    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.creates += 1
            batch_id = f"batch_{next(self._ids)}"
            expire_after = self._expire.popleft() if self._expire else None
        now = time.time()
        batch = {
            "id": batch_id,
            "object": "batch",
            "endpoint": body.get("endpoint"),
            "errors": None,
            "input_file_id": body.get("input_file_id"),
            "completion_window": body.get("completion_window"),
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": int(now),
            "expires_at": int(now) + 86_400,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
            "_started": now,
            "_expire_after": expire_after,
        }
        problem = self._validate(batch)
        if problem is not None:
            batch["status"] = "failed"
            batch["errors"] = {"object": "list", "data": [problem]}
        with self._lock:
            self.batches[batch_id] = batch
        return _public(batch)

    def _validate(self, batch: dict[str, Any]) -> dict[str, Any] | None:
        file = self.files.get(str(batch["input_file_id"]))
        if file is None:
            return {"code": "invalid_file", "message": "no such input file", "line": None}
        content: bytes = file["content"]
        lines = [line for line in content.splitlines() if line.strip()]
        if len(lines) > MAX_REQUESTS or len(content) > MAX_BYTES:
            return {"code": "too_large", "message": "over 50,000 requests or 200 MB", "line": None}
        seen: set[str] = set()
        parsed = []
        for n, raw in enumerate(lines, 1):
            try:
                item = json.loads(raw)
            except json.JSONDecodeError:
                return {"code": "invalid_json_line", "message": "not JSON", "line": n}
            if item.get("url") != batch["endpoint"] or item.get("method") != "POST":
                return {"code": "invalid_url", "message": "url must match endpoint", "line": n}
            if item.get("custom_id") in seen:
                return {"code": "duplicate_custom_id", "message": "duplicate", "line": n}
            seen.add(item["custom_id"])
            parsed.append(item)
        with self._lock:
            self.lines_seen.extend(parsed)
        batch["_lines"] = parsed
        batch["request_counts"]["total"] = len(parsed)
        return None

    def retrieve(self, batch_id: str) -> dict[str, Any] | None:
        with self._lock:
            batch = self.batches.get(batch_id)
        if batch is None:
            return None
        with self._lock:
            due = time.time() - batch["_started"] >= self.step_s
            if batch["status"] in STEPS and due:
                # one step per poll at most, so a client sees every state however slow it is
                step = STEPS.index(batch["status"]) + 1
                if self.hold.is_set():
                    step = min(step, 1)
                batch["_started"] = time.time()
                if step < len(STEPS):
                    batch["status"] = STEPS[step]
                else:
                    self._finish(batch)
        return _public(batch)

    def _finish(self, batch: dict[str, Any]) -> None:
        out, err = [], []
        expire_after = batch["_expire_after"]
        for n, item in enumerate(batch["_lines"]):
            rid = f"batch_req_{next(self._ids)}"
            if expire_after is not None and n >= expire_after:
                err.append(
                    {
                        "id": rid,
                        "custom_id": item["custom_id"],
                        "response": None,
                        "error": {
                            "code": "batch_expired",
                            "message": "This request could not be executed before the "
                            "completion window expired.",
                        },
                    }
                )
                continue
            fault = self._item_fault(request_text(item["body"]))
            if fault is not None:
                err.append(
                    {
                        "id": rid,
                        "custom_id": item["custom_id"],
                        "response": {
                            "status_code": int(fault),
                            "request_id": rid,
                            "body": {
                                "error": {
                                    "message": "The server had an error processing your request",
                                    "type": "server_error",
                                }
                            },
                        },
                        "error": None,
                    }
                )
                continue
            completion = self.completions.completion(item["body"], self.answer(item["body"]))
            out.append(
                {
                    "id": rid,
                    "custom_id": item["custom_id"],
                    "response": {"status_code": 200, "request_id": rid, "body": completion},
                    "error": None,
                }
            )
        if out:
            batch["output_file_id"] = self._result_file(batch, "output", out)
        if err:
            batch["error_file_id"] = self._result_file(batch, "error", err)
        batch["request_counts"] = {"total": len(out) + len(err), "completed": len(out)}
        batch["request_counts"]["failed"] = len(err)
        batch["status"] = "expired" if expire_after is not None else "completed"

    def _result_file(self, batch: dict[str, Any], kind: str, items: list[dict[str, Any]]) -> str:
        content = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
        return str(
            self.add_file(f"{batch['id']}_{kind}.jsonl", content.encode("utf-8"), "batch_output")[
                "id"
            ]
        )

    def _item_fault(self, text: str) -> str | None:
        with self._lock:
            for marker, codes in self._item_faults:
                if marker in text and codes:
                    return codes.popleft()
        return None

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        """The Records a model gives to this request (see the module docstring)."""
        text = request_text(body)
        reasks = sum(1 for m in body.get("messages", []) if m.get("role") == "tool")
        for marker in self.invent:
            if marker in text:
                return {
                    **EMPTY_RECORDS,
                    "metrics": [
                        {
                            "name": "выдуманный показатель",
                            "value": 987654321,
                            "value_max": None,
                            "unit": "USD",
                            "qualifier": "exact",
                            "kind": "level",
                            "period": None,
                            "scope": {"countries": [], "route": []},
                            "evidence": [{"quote": marker}],
                        }
                    ],
                }
        for answers in self.answers:
            qs = quotes(answers[-1])
            if qs and all(q in text for q in qs):
                return answers[min(reasks, len(answers) - 1)]
        return EMPTY_RECORDS


def _public(batch: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in batch.items() if not k.startswith("_")}


_BATCH = re.compile(r"^/v1/batches/([^/]+)$")
_CONTENT = re.compile(r"^/v1/files/([^/]+)/content$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    fake: FakeBatchAPI

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def _missing(self, what: str) -> None:
        self._json(404, {"error": {"message": f"no {what}", "type": "invalid_request_error"}})

    def do_POST(self) -> None:  # noqa: N802
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urlparse(self.path).path
        if path == "/v1/files":
            ctype = self.headers.get("Content-Type", "")
            message = BytesParser(policy=email_policy).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw
            )
            fields: dict[str, Any] = {}
            name = "input.jsonl"
            for part in message.iter_parts():
                field = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if field == "file":
                    name = part.get_filename() or name
                fields[str(field)] = payload
            content = fields.get("file") or b""
            purpose = (fields.get("purpose") or b"").decode()
            self._json(200, self.fake.add_file(name, content, purpose))
        elif path == "/v1/batches":
            self._json(200, self.fake.create(json.loads(raw)))
        elif path == "/v1/chat/completions":  # the live path, on the same endpoint
            body = json.loads(raw)
            with self.fake._lock:
                self.fake.chat_requests += 1
            self._json(200, self.fake.completions.completion(body, self.fake.answer(body)))
        else:
            self._missing(f"route {path}")

    def do_GET(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        if url.path == "/v1/batches":
            limit = int(parse_qs(url.query).get("limit", ["20"])[0])
            with self.fake._lock:
                ids = list(self.fake.batches)[::-1][:limit]
            data = [self.fake.retrieve(i) for i in ids]
            self._json(
                200,
                {
                    "object": "list",
                    "data": data,
                    "first_id": ids[0] if ids else None,
                    "last_id": ids[-1] if ids else None,
                    "has_more": False,
                },
            )
        elif m := _BATCH.match(url.path):
            batch = self.fake.retrieve(m.group(1))
            if batch is None:
                self._missing("batch")
            else:
                self._json(200, batch)
        elif m := _CONTENT.match(url.path):
            file = self.fake.files.get(m.group(1))
            if file is None:
                self._missing("file")
            else:
                self._send(200, file["content"], "application/octet-stream")
        else:
            self._missing(f"route {url.path}")


def main() -> None:
    """``python -m tests.fake_batch_server [--step S]``: serve until killed; print the URL."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--step", type=float, default=0.05)
    args = parser.parse_args()
    server = FakeBatchAPI(step_s=args.step).start()
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
