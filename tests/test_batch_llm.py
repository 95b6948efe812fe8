"""Batch runs over the real openai + instructor stack against the local fake server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.chunking import split_text
from extractor.config import Settings
from extractor.core.grounding import ground
from extractor.engines import local as batch_module
from extractor.engines.local import run_batch
from extractor.store import Store
from tests.fake_openai_server import FakeOpenAI

pytestmark = [
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"]),
]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def conf(server: FakeOpenAI, tmp_path: Path, **over: object) -> Settings:
    return Settings(
        backend="openai",
        api_key="test-key",
        base_url=server.url,
        mode="tools",
        max_api_retries=2,
        backoff_initial=0.01,
        backoff_max=0.05,
        store_path=tmp_path / "extractor.db",
    ).with_(**over)


def test_seeds_come_out_verified_with_usage_and_cost(server: FakeOpenAI, tmp_path: Path) -> None:
    summary = run_batch([ROOT / "seeds"], tmp_path / "out", conf(server, tmp_path), progress=False)
    assert (summary.written, summary.failed) == (len(SEEDS), 0)
    assert summary.requests == len(SEEDS)
    assert summary.tokens > 0 and summary.cost is not None and summary.cost > 0
    result = json.loads((tmp_path / "out" / f"{SEEDS[1].stem}.json").read_text(encoding="utf-8"))
    assert result["backend"] == "openai" and result["prompt_version"]
    assert any(m["verification"]["status"] == "verified" for m in result["metrics"])
    with Store(tmp_path / "extractor.db") as store:
        assert store.count("articles") == len(SEEDS)
        assert store.count("call_log") == len(SEEDS)
        assert store.count("response_cache") == len(SEEDS)


def test_forced_rerun_is_answered_by_the_response_cache(server: FakeOpenAI, tmp_path: Path) -> None:
    settings = conf(server, tmp_path)
    run_batch([ROOT / "seeds"], tmp_path / "out", settings, progress=False)
    sent = server.requests

    again = run_batch([ROOT / "seeds"], tmp_path / "out", settings, force=True, progress=False)

    assert again.written == len(SEEDS)
    assert server.requests == sent  # nothing reached the endpoint
    assert again.tokens == 0
    with Store(tmp_path / "extractor.db") as store:
        names, rows = store.rows("call_log")
        cached = [row[names.index("cached")] for row in rows]
    assert cached.count(1) == len(SEEDS)


def test_no_cache_sends_every_request_again(server: FakeOpenAI, tmp_path: Path) -> None:
    settings = conf(server, tmp_path, cache=False)
    run_batch([SEEDS[0]], tmp_path / "out1", settings, progress=False)
    run_batch([SEEDS[0]], tmp_path / "out2", settings, progress=False)
    assert server.requests == 2


def test_rpm_limit_applies_to_every_http_request_retries_included(
    server: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited: list[int] = []
    original = batch_module.RateLimiter.acquire

    async def counting(self: batch_module.RateLimiter) -> None:
        waited.append(1)
        await original(self)

    monkeypatch.setattr(batch_module.RateLimiter, "acquire", counting)
    server.script("429", "503")
    settings = conf(server, tmp_path, requests_per_minute=60_000)

    summary = run_batch(SEEDS[:2], tmp_path / "out", settings, progress=False)

    assert summary.written == 2
    assert len(waited) == server.requests == 4


def test_a_long_article_is_chunked_through_the_llm_and_merged(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    text = SEEDS[1].read_text(encoding="utf-8")
    article = tmp_path / "long.txt"
    article.write_text(text + "\n\n" + text, encoding="utf-8")
    settings = conf(server, tmp_path, max_chunk_chars=len(text) + 10)

    summary = run_batch([article], tmp_path / "out", settings, progress=False)

    assert summary.written == 1
    assert server.requests == 2  # one per chunk
    result = json.loads((tmp_path / "out" / "long.json").read_text(encoding="utf-8"))
    full = article.read_text(encoding="utf-8")
    chunks = split_text(full, settings.max_chunk_chars)
    assert len(chunks) == 2
    for kind in ("meetings", "agreements", "metrics", "projects"):
        for record in result[kind]:
            for e in record["evidence"]:
                if e["start"] is None:
                    continue
                # re-based offsets: exactly where grounding puts the quote in its own chunk
                chunk = next(c for c in chunks if c.start <= e["start"] < c.end)
                span = ground(e["quote"], chunk.text)
                assert (e["start"], e["end"]) == (span.start + chunk.start, span.end + chunk.start)
                assert full[e["start"] : e["end"]] == chunk.text[span.start : span.end]
    # the same facts found in both halves are merged, each keeping both spans
    starts = [e["start"] for m in result["metrics"] for e in m["evidence"]]
    assert any(s >= len(text) for s in starts) and any(s < len(text) for s in starts)
    assert len(result["metrics"]) < len(starts)
