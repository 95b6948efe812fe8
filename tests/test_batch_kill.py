"""A batch killed with SIGKILL mid-run, then started again, finishes with no loss or duplicate."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.store import Store
from tests.fake_openai_server import FakeOpenAI, request_text

pytestmark = [
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"]),
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARTICLES = 16
ISSUE = re.compile(r"выпуск (\d+)")


def make_inputs(folder: Path) -> None:
    folder.mkdir()
    for i in range(ARTICLES):
        text = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8")
        (folder / f"a{i:02d}.txt").write_text(f"{text}\n\nвыпуск {i}\n", encoding="utf-8")


def extract(inputs: Path, out: Path, db: Path, url: str) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        OPENAI_API_KEY="test-key",
        OPENAI_BASE_URL=url,
        EXTRACTOR_BACKEND="openai",
        EXTRACTOR_DB=str(db),
        EXTRACTOR_MAX_RETRIES="1",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "extractor", "extract", str(inputs), "--out", str(out)]
        + ["--concurrency", "2", "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_sigkill_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    inputs, out, db = tmp_path / "in", tmp_path / "out", tmp_path / "extractor.db"
    make_inputs(inputs)
    with FakeOpenAI(latency=0.15) as server:
        first = extract(inputs, out, db, server.url)
        for _ in range(1200):  # bounded wait for a few outputs, then kill mid-run
            if len(list(out.glob("*.json"))) >= 4 or first.poll() is not None:
                break
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert first.stderr is not None
        first.stderr.close()
        assert first.returncode == -signal.SIGKILL, "the run finished before it could be killed"
        done_before = {p.name for p in out.glob("*.json")}
        for path in out.glob("*.json"):
            json.loads(path.read_text(encoding="utf-8"))  # never a half-written file
        assert 4 <= len(done_before) < ARTICLES

        second = extract(inputs, out, db, server.url)
        _, err = second.communicate(timeout=120)
        assert second.returncode == 0, err.decode()
        requested = [
            int(m.group(1)) for b in server.received if (m := ISSUE.search(request_text(b)))
        ]

    outputs = sorted(p.name for p in out.glob("*.json"))
    assert outputs == [f"a{i:02d}.json" for i in range(ARTICLES)]
    for path in out.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["source"]["path"].endswith(
            path.stem + ".txt"
        )
    assert (out / "failures.jsonl").read_text(encoding="utf-8") == ""
    assert not list(out.glob(".*.tmp"))
    for name in done_before:  # what was written before the kill was not asked for again
        assert requested.count(int(name[1:3])) == 1
    assert len(requested) <= ARTICLES + 2  # at most the two in flight at the kill are repeated
    with Store(db) as store:
        assert store.count("articles") == ARTICLES
        shas = [row[2] for row in store.rows("articles")[1]]
        assert len(set(shas)) == ARTICLES
