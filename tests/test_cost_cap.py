"""The cost cap: new work stops before spent + committed would pass it; the rest is recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.config import Settings
from extractor.engines.cost import CostLedger
from extractor.engines.local import run_batch
from extractor.errors import ConfigError
from extractor.lexicon.prices import load_prices
from tests.fake_batch_server import FakeBatchAPI, requests_needed
from tests.fake_openai_server import FakeOpenAI

pytestmark = [
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"]),
]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def make_inputs(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        text = SEEDS[2 + i % 3].read_text(encoding="utf-8")
        (folder / f"a{i:02d}.txt").write_text(f"{text}\nвыпуск {i}\n", encoding="utf-8")
    return folder


def lines(path: Path) -> list[dict[str, str]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_prices_come_from_one_dated_table_and_can_be_overridden(tmp_path: Path) -> None:
    table = load_prices()
    assert table.as_of and "openai.com" in table.source
    mini = table.get("gpt-4o-mini")
    assert mini is not None and mini.batch_input == mini.input / 2
    override = tmp_path / "prices.yaml"
    override.write_text(
        'as_of: "2027-01"\nmodels:\n  local-llm: {input: 1, output: 2, batch_input: 0.5, '
        "batch_output: 1}\n",
        encoding="utf-8",
    )
    mine = load_prices(override)
    assert mine.as_of == "2027-01" and mine.cost("local-llm", 10**6, 10**6) == 3.0
    assert mine.get("gpt-4o-mini") == mini  # the shipped entries stay
    override.write_text("models:\n  x: {input: cheap}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="needs numbers"):
        load_prices(override)


def test_the_ledger_refuses_what_would_pass_the_cap() -> None:
    ledger = CostLedger(prices=load_prices(), model="gpt-4o-mini", cap=0.01)
    estimate = ledger.estimate(15_000)
    assert 0 < estimate < 0.01
    assert ledger.reserve(estimate)
    ledger.spend(1_000_000 // 20, 0)  # $0.0075 spent
    assert not ledger.reserve(estimate)
    assert "cost cap $0.0100 reached: spent $0.0075" in ledger.skip_reason(estimate)
    ledger.release(estimate)
    assert ledger.committed == 0
    assert CostLedger(prices=load_prices(), model="gpt-4o-mini").reserve(1e9)  # no cap


def test_a_live_run_stops_at_the_cap_and_records_what_it_skipped(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", 8)
    with FakeOpenAI() as server:
        settings = Settings(
            backend="openai",
            api_key="test-key",
            base_url=server.url,
            concurrency=1,
            store_path=tmp_path / "extractor.db",
            max_cost=0.006,
        )
        summary = run_batch([inputs], tmp_path / "out", settings, progress=False)
        sent = server.requests

    assert summary.written >= 1 and summary.capped >= 1
    assert summary.written + summary.capped == 8 and summary.failed == 0
    assert sent == summary.written  # nothing was sent for a skipped article
    assert summary.cost is not None and summary.cost <= 0.006
    skipped = lines(tmp_path / "out" / "failures.jsonl")
    assert len(skipped) == summary.capped
    for entry in skipped:
        assert entry["stage"] == "cost-cap"
        assert entry["error"].startswith("cost cap $0.0060 reached: spent $")
        assert "raise --max-cost" in entry["hint"]
    done = {p.stem for p in (tmp_path / "out").glob("*.json")}
    assert not done & {Path(e["path"]).stem for e in skipped}


def test_a_batch_run_stops_at_the_cap_and_the_cli_shows_it(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in", 6)
    out = tmp_path / "out"
    with FakeBatchAPI(step_s=0.02) as api:
        env = dict(
            os.environ,
            OPENAI_API_KEY="test-key",
            OPENAI_BASE_URL=api.url,
            EXTRACTOR_BACKEND="openai",
            EXTRACTOR_BATCH_POLL_SECONDS="0.02",
            EXTRACTOR_MAX_COST="0.003",
        )
        done = subprocess.run(
            [sys.executable, "-m", "extractor", "extract", str(inputs), "--out", str(out)]
            + ["--batch-api"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        sent = len(api.lines_seen)

    err = done.stderr.decode()
    assert done.returncode == 1, err
    skipped = lines(out / "failures.jsonl")
    written = list(out.glob("*.json"))
    assert skipped and written and len(skipped) + len(written) == 6
    # none for the skipped; for each written one its request, and its re-ask when the
    # validator rejects its first answer (an input made of seed 003 has one)
    assert sent == sum(requests_needed(inputs / f"{p.stem}.txt") for p in written)
    assert all(e["stage"] == "cost-cap" and "cost cap $0.0030" in e["error"] for e in skipped)
    assert "skipped at the cost cap $0.003" in err
    assert "saved by the batch price" in err and "spent" in err
    assert f"({len(skipped)} at the cost cap)" in err


def test_a_rerun_answered_by_the_cache_costs_nothing_and_shows_the_saving(tmp_path: Path) -> None:
    with FakeOpenAI() as server:
        settings = Settings(
            backend="openai",
            api_key="test-key",
            base_url=server.url,
            mode="tools",  # no capability probe: its requests are not the cache's to answer
            store_path=tmp_path / "x.db",
        )
        first = run_batch(SEEDS[:2], tmp_path / "out", settings, progress=False)
        again = run_batch(SEEDS[:2], tmp_path / "out", settings, progress=False, force=True)
    assert first.cost is not None and first.cost > 0 and first.saved_by_cache == 0
    assert again.cost == 0 and again.saved_by_cache == pytest.approx(first.cost)
