"""A Batch API run killed with SIGKILL after submitting, then started again: nothing sent twice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fake_batch_server import FakeBatchAPI, requests_needed

pytestmark = [
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"]),
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
MARKER = "Материал не проверен редакцией."


def cli(args: list[str], url: str, db: Path) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        OPENAI_API_KEY="test-key",
        OPENAI_BASE_URL=url,
        EXTRACTOR_BACKEND="openai",
        EXTRACTOR_DB=str(db),
        EXTRACTOR_BATCH_POLL_SECONDS="0.05",
        EXTRACTOR_MAX_REASKS="1",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "extractor", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def batch_ids(db: Path) -> list[str]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as con:
        try:
            return [r[0] for r in con.execute("SELECT batch_id FROM batch_jobs") if r[0]]
        except sqlite3.OperationalError:
            return []


def test_killed_after_submission_then_restarted_sends_nothing_twice(tmp_path: Path) -> None:
    inputs, out, db = tmp_path / "in", tmp_path / "out", tmp_path / "extractor.db"
    inputs.mkdir()
    for seed in SEEDS:
        (inputs / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "invented.txt").write_text(
        SEEDS[3].read_text(encoding="utf-8") + f"\n{MARKER}\n", encoding="utf-8"
    )
    extract = ["extract", str(inputs), "--out", str(out), "--batch-api", "--quiet"]
    with FakeBatchAPI(step_s=0.05) as api:
        api.invent.append(MARKER)  # always answered with a figure not in the article
        api.hold.set()  # batches stay in_progress until released
        first = cli(extract, api.url, db)
        for _ in range(600):  # bounded wait for the batch id to be stored, then kill
            if batch_ids(db) or first.poll() is not None:
                break
            time.sleep(0.05)
        time.sleep(0.2)  # a few polls of the in-flight batch
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        assert first.returncode == -signal.SIGKILL, "the run ended before it could be killed"
        assert api.creates == 1 and len(batch_ids(db)) == 1
        assert not list(out.glob("*.json"))  # nothing was answered before the kill

        api.hold.clear()
        second = cli(extract, api.url, db)
        _, err = second.communicate(timeout=120)
        listing = cli(["batches", "--db", str(db)], api.url, db)
        shown, _ = listing.communicate(timeout=60)

    assert second.returncode == 0, err.decode()
    # the first batch was polled, not created again; the one follow-up batch holds the re-asks
    assert api.creates == 2
    sent = [line["custom_id"] for line in api.lines_seen]
    # every article's first request, and a re-ask for each whose first answer the validator
    # rejects (seeds 001 and 003, and the invented figure): each sent exactly once
    needed = sum(requests_needed(p, 1, (MARKER,)) for p in inputs.glob("*.txt"))
    assert len(sent) == len(set(sent)) == needed
    written = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")}
    assert sorted(written) == sorted([s.stem for s in SEEDS] + ["invented"])
    assert (out / "failures.jsonl").read_text(encoding="utf-8") == ""
    fixed = written["001_d541d46272f33c54"]  # re-asked and fixed
    assert fixed["usage"]["requests"] == 2
    assert all(m["verification"]["status"] == "verified" for m in fixed["metrics"])
    flagged = written["invented"]  # re-asked, still wrong: kept, marked, warned
    assert [m["verification"]["status"] == "verified" for m in flagged["metrics"]] == [False]
    assert any("still failed validation after 1 re-asks" in w for w in flagged["warnings"])
    table = shown.decode()
    assert table.count("completed") == 2 and "batch_" in table
