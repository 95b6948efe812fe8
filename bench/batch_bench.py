"""Batch throughput: the LLM path against a local fake server, the cache, and the offline path.

- 200 articles at concurrency 16 against the fake server answering in 200 ms (in its own process,
  like a remote endpoint): compared with the ideal 200 / 16 x 0.2 s (target: within 1.2x).
- The same 200 articles again into a fresh output folder with the same database: every request
  is answered from the response cache (target: at least 50x faster than the first run).
- The same again into the first output folder: every article is skipped by resume.
- Offline backend (when installed): articles per second over the seeds repeated to 500, one core.

Numbers are printed, never asserted.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from extractor.config import Settings
from extractor.engines.local import run_batch
from extractor.store import Store
from tests.fake_openai_server import in_subprocess

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARTICLES = 200
CONCURRENCY = 16
LATENCY = 0.2
OFFLINE_ARTICLES = 500


def make_articles(folder: Path, n: int) -> list[Path]:
    """``n`` distinct articles: the seeds in turn, each with its own closing line."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    paths = []
    for i in range(n):
        path = folder / f"article_{i:04d}.txt"
        path.write_text(
            f"{texts[i % len(texts)]}\n\nМатериал подготовлен редакцией, выпуск {i}.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _warm_up(settings: Settings, work: Path) -> float:
    """One article through the whole stack before timing, as a long-running batch would be.

    Imports, the SDK's lazily built resources, compiled figure patterns and the morphology
    dictionaries are loaded once per process; the timed runs then measure the steady state.
    Returns the seconds the cold article took.
    """
    folder = work / "warm"
    make_articles(folder, 1)
    started = time.perf_counter()
    run_batch(
        [folder], work / "warm_out", settings.with_(store_path=work / "warm.db"), progress=False
    )
    return time.perf_counter() - started


def _sent(store: Store) -> int:
    """HTTP requests that reached the endpoint (call log rows not answered from the cache)."""
    names, rows = store.rows("call_log")
    return sum(1 for row in rows if not row[names.index("cached")])


def llm_runs(work: Path) -> dict[str, Any]:
    """The fake-server runs: first, cached, resumed."""
    inputs = work / "in"
    make_articles(inputs, ARTICLES)
    db = work / "extractor.db"
    with in_subprocess(latency=LATENCY) as url:
        settings = Settings(
            backend="openai",
            api_key="bench-key",
            base_url=url,
            concurrency=CONCURRENCY,
            store_path=db,
            backoff_initial=0.05,
            backoff_max=0.2,
        )
        cold = _warm_up(settings, work)
        first = run_batch([inputs], work / "out1", settings, progress=False)
        with Store(db) as store:
            requests_first = _sent(store)
        cached = run_batch([inputs], work / "out2", settings, progress=False)
        resumed = run_batch([inputs], work / "out1", settings, progress=False)
    with Store(db) as store:
        log_rows = store.count("call_log")
        requests_cached = _sent(store) - requests_first
    ideal = ARTICLES / CONCURRENCY * LATENCY
    print(f"cold start:  {cold:6.2f} s for the first article of a process (imports, models)")
    print(
        f"first run:   {first.elapsed_s:6.2f} s for {first.written} articles "
        f"({first.written / first.elapsed_s:.1f}/s), {requests_first} requests, "
        f"{first.failed} failed; ideal {ideal:.2f} s -> {first.elapsed_s / ideal:.2f}x ideal"
    )
    print(
        f"cached run:  {cached.elapsed_s:6.3f} s, {requests_cached} requests reached the server "
        f"-> {first.elapsed_s / cached.elapsed_s:.0f}x faster"
    )
    print(
        f"resumed run: {resumed.elapsed_s:6.3f} s, {resumed.skipped} skipped "
        f"-> {first.elapsed_s / resumed.elapsed_s:.0f}x faster; call log rows {log_rows}"
    )
    return {
        "llm cold start s": cold,
        "llm first run s": first.elapsed_s,
        "llm ideal s": ideal,
        "llm first / ideal": first.elapsed_s / ideal,
        "llm cached run s": cached.elapsed_s,
        "llm first / cached": first.elapsed_s / cached.elapsed_s,
        "llm requests on cached run": requests_cached,
        "llm resumed run s": resumed.elapsed_s,
        "llm failed": first.failed + cached.failed + resumed.failed,
    }


def offline_run(work: Path) -> dict[str, Any]:
    """Offline backend articles/s over the seeds repeated to 500, pinned to one core."""
    try:
        from extractor.backends.offline import OfflineBackend  # noqa: F401
    except ImportError:
        print("offline backend: not installed, skipped")
        return {}
    inputs = work / "offline_in"
    make_articles(inputs, OFFLINE_ARTICLES)
    settings = Settings(backend="offline", concurrency=1, store_path=work / "offline.db")
    pinned = hasattr(os, "sched_setaffinity")
    before = os.sched_getaffinity(0) if pinned else set()
    if pinned:
        os.sched_setaffinity(0, {min(before)})
    try:
        warm = run_batch([SEEDS[0]], work / "offline_warm", settings, progress=False)  # load models
        started = time.perf_counter()
        summary = run_batch([inputs], work / "offline_out", settings, progress=False)
        took = time.perf_counter() - started
    finally:
        if pinned:
            os.sched_setaffinity(0, before)
    rate = summary.written / took if took else 0.0
    print(
        f"offline:     {summary.written} articles in {took:.2f} s on one core -> {rate:.1f} articles/s "
        f"({summary.failed} failed; model load run {warm.elapsed_s:.2f} s)"
    )
    return {"offline articles/s (1 core)": rate, "offline failed": summary.failed}


def run() -> dict[str, Any]:
    """Run the batch benchmarks; print and return the headline numbers."""
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        work = Path(tmp)
        numbers = llm_runs(work)
        numbers.update(offline_run(work))
    return numbers


if __name__ == "__main__":
    run()
