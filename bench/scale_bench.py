"""Past one machine: the offline backend locally and on Ray, and the Batch API's client-side cost.

Printed, never asserted (``python -m bench scale``):

- offline, the same 1,000 articles (the seeds, each with its own closing line): the local engine
  on one core; Ray with 1 and 2 workers on this machine (a local Ray started for each run, its
  start-up included end to end); the ratio of 2 workers to ideal linear scaling; Ray's start-up
  overhead measured alone (``ray.init`` + one actor loading the models + shutdown);
- Batch API, client side: bytes per request and requests per JSONL file at the API's limits,
  the time to build 10,000 requests (the live path's exact bodies) and to parse and verify
  10,000 answers (the live path's instructor parse + validation, replayed), and the time a run
  killed after submitting takes to resume, against the fake files + batches server.

Set SCALE_BENCH_ARTICLES / SCALE_BENCH_REQUESTS to run smaller.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = int(os.environ.get("SCALE_BENCH_ARTICLES", "1000"))
REQUESTS = int(os.environ.get("SCALE_BENCH_REQUESTS", "10000"))

_OFFLINE_CHILD = r"""
import json, os, sys, time
from pathlib import Path
engine, workers, inputs, out, pin = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
if pin == "1":
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
t0 = time.perf_counter()
from extractor.config import Settings
from extractor.engines.local import run_batch
t1 = time.perf_counter()
if engine == "ray":  # started here so its start-up is timed apart; the engine reuses it
    import ray
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
t2 = time.perf_counter()
settings = Settings(backend="offline", concurrency=workers, store_path=Path(out) / "extractor.db")
summary = run_batch([inputs], out, settings, progress=False, engine=engine)
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "init_s": t2 - t1, "run_s": t3 - t2,
                  "total_s": t3 - t0, "written": summary.written, "failed": summary.failed}))
"""

_RAY_START_CHILD = r"""
import json, time
t0 = time.perf_counter()
import ray
from extractor.engines.ray_engine import OfflineWorker
t1 = time.perf_counter()
ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False, configure_logging=False)
t2 = time.perf_counter()
from extractor.config import Settings
actor = ray.remote(num_cpus=1)(OfflineWorker).remote(Settings(backend="offline"))
ray.get(actor.__ray_ready__.remote())
t3 = time.perf_counter()
ray.shutdown()
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "init_s": t2 - t1, "actor_ready_s": t3 - t2,
                  "shutdown_s": t4 - t3}))
"""


def _child(code: str, *args: str) -> dict[str, Any]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def offline(work: Path) -> dict[str, Any]:
    """Local on one core vs Ray with 1 and 2 workers, the same articles, end to end."""
    from bench.batch_bench import make_articles

    inputs = work / "offline_in"
    make_articles(inputs, ARTICLES)
    numbers: dict[str, Any] = {}
    runs = [("local", 1, "1"), ("ray", 1, "0"), ("ray", 2, "0")]
    rates = {}
    for engine, workers, pin in runs:
        out = work / f"out_{engine}_{workers}"
        r = _child(_OFFLINE_CHILD, engine, str(workers), str(inputs), str(out), pin)
        rate = r["written"] / r["run_s"]
        rates[(engine, workers)] = rate
        label = "local, 1 core" if engine == "local" else f"ray, {workers} worker(s)"
        print(
            f"offline {label:<18} {r['written']} articles: run {r['run_s']:6.1f} s (models "
            f"loaded inside) -> {rate:5.1f} articles/s; end to end {r['total_s']:.1f} s with "
            f"imports {r['import_s']:.1f} s and Ray init {r['init_s']:.1f} s; {r['failed']} failed"
        )
        numbers[f"offline {label} articles/s"] = rate
        numbers[f"offline {label} end-to-end s"] = r["total_s"]
        shutil.rmtree(out, ignore_errors=True)
    ideal = 2 * rates[("ray", 1)]
    numbers["ray 2 workers / ideal (2x ray 1)"] = rates[("ray", 2)] / ideal
    numbers["ray 2 workers / local 1 core"] = rates[("ray", 2)] / rates[("local", 1)]
    start = _child(_RAY_START_CHILD)
    overhead = start["init_s"] + start["actor_ready_s"] + start["shutdown_s"]
    print(
        f"ray 2 workers = {numbers['ray 2 workers / ideal (2x ray 1)']:.2f} of ideal linear "
        f"scaling over ray 1 worker, {numbers['ray 2 workers / local 1 core']:.2f}x local on "
        f"one core (this machine has {os.cpu_count()} cores; the driver writes outputs too)"
    )
    print(
        f"ray start-up per run: import {start['import_s']:.2f} s, init {start['init_s']:.2f} s, "
        f"one actor with models ready {start['actor_ready_s']:.2f} s, shutdown "
        f"{start['shutdown_s']:.2f} s -> {overhead:.2f} s"
    )
    numbers["ray start-up overhead s"] = overhead
    return numbers


def batch_client(work: Path) -> dict[str, Any]:
    """Build and parse REQUESTS requests through the live path, with no network."""
    from bench.batch_bench import make_articles
    from extractor.backends.openai_batch import (
        MAX_BYTES_PER_FILE,
        MAX_REQUESTS_PER_FILE,
        Answer,
        Deferred,
        batch_line,
        replay_backend,
        split_lines,
    )
    from extractor.config import Settings
    from extractor.pipeline import run as run_pipeline
    from extractor.reading import read_article
    from tests.fake_batch_server import FakeBatchAPI

    folder = work / "batch_in"
    paths = make_articles(folder, REQUESTS)
    articles = [read_article(p) for p in paths]
    # The mode OpenAI's Batch API is documented to take: set, so nothing probes the fake URL.
    settings = Settings(
        backend="openai", api_key="bench-key", base_url="http://127.0.0.1:9/v1", mode="tools"
    )
    capture = replay_backend(settings, lambda key: None)
    started = time.perf_counter()
    bodies: dict[str, bytes] = {}
    for article in articles:
        try:
            capture.extract(article)
        except Deferred as d:
            bodies[d.key] = d.body
    lines = [batch_line(key, body) for key, body in bodies.items()]
    files = list(split_lines(lines))
    build_s = time.perf_counter() - started
    size = sum(len(line) for line in lines)
    per_request = size / len(lines)
    per_file = min(MAX_REQUESTS_PER_FILE, int(MAX_BYTES_PER_FILE // per_request))

    fake = FakeBatchAPI()  # only its answers: no server is started
    answers: dict[str, Answer] = {}
    for key, body in bodies.items():
        parsed = json.loads(body)
        answers[key] = Answer(completion=fake.completions.completion(parsed, fake.answer(parsed)))
    replay = replay_backend(settings, answers.get)
    started = time.perf_counter()
    deferred = 0
    for article in articles:
        try:
            run_pipeline(article, replay, settings.max_chunk_chars)
        except Deferred:
            deferred += 1  # seed 001 asks for a re-ask: the next round's request
    parse_s = time.perf_counter() - started
    print(
        f"batch build: {len(lines)} requests in {build_s:.1f} s ({build_s / len(lines) * 1000:.2f} "
        f"ms each), {size / 1e6:.1f} MB, {per_request / 1e3:.1f} kB per request -> "
        f"{per_file} requests per JSONL file at the API's limits; {len(files)} file(s) here"
    )
    print(
        f"batch parse: {len(articles)} answers parsed and verified through instructor in "
        f"{parse_s:.1f} s ({parse_s / len(articles) * 1000:.2f} ms each); {deferred} asked "
        "for a re-ask"
    )
    return {
        "batch requests": len(lines),
        "batch build s": build_s,
        "batch parse+verify s": parse_s,
        "batch kB per request": per_request / 1e3,
        "batch requests per file": per_file,
    }


def batch_resume(work: Path, n: int = 200) -> dict[str, Any]:
    """Kill a Batch API run after it submitted; time the restarted run to the end."""
    from bench.batch_bench import make_articles
    from tests.fake_batch_server import FakeBatchAPI

    inputs = work / "resume_in"
    make_articles(inputs, n)
    db, out = work / "resume.db", work / "resume_out"
    with FakeBatchAPI(step_s=0.05) as api:
        env = dict(
            os.environ,
            OPENAI_API_KEY="bench-key",
            OPENAI_BASE_URL=api.url,
            EXTRACTOR_BACKEND="openai",
            EXTRACTOR_DB=str(db),
            EXTRACTOR_BATCH_POLL_SECONDS="0.05",
        )
        cmd = [sys.executable, "-m", "extractor", "extract", str(inputs), "--out", str(out)]
        cmd += ["--batch-api", "--quiet"]
        api.hold.set()
        first = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        while api.creates == 0 and first.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)
        first.send_signal(signal.SIGKILL)
        first.wait()
        api.hold.clear()
        started = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, stderr=subprocess.DEVNULL, check=False)
        resumed_s = time.perf_counter() - started
        creates = api.creates
    written = len(list(out.glob("*.json")))
    print(
        f"batch resume: killed after submitting {n} requests; the restarted run finished in "
        f"{resumed_s:.1f} s (process start, replaying {n} articles, polling, reading, a "
        f"follow-up batch for the re-asks), {written} written, batches created {creates} "
        "(1 + 1 follow-up: none twice)"
    )
    return {"batch resume after kill s": resumed_s, "batch creates": creates}


def store_rate(work: Path, n: int = 2000) -> dict[str, Any]:
    """The single SQLite writer: articles saved per second and bytes per article."""
    from extractor import extract
    from extractor.config import Settings
    from extractor.store import Store

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    results = [extract(p, settings=Settings(backend="offline")) for p in seeds]
    db = work / "store_rate.db"
    store = Store(db)
    started = time.perf_counter()
    for i in range(n):
        one = results[i % len(results)]
        source = one.source.model_copy(update={"sha256": f"{i:064x}"})
        store.extractions.save(one.model_copy(update={"source": source}))
    took = time.perf_counter() - started
    store.close()
    size = sum(f.stat().st_size for f in work.glob("store_rate.db*"))
    print(
        f"store: {n / took:.0f} articles/s saved by one writer ({took / n * 1000:.2f} ms each, "
        f"WAL, synchronous=NORMAL), {size / n / 1024:.1f} kB per article (offline records)"
    )
    return {"store saves/s": n / took, "store kB per article": size / n / 1024}


def run() -> dict[str, Any]:
    """Run the scale benchmarks; print and return the headline numbers."""
    numbers: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        work = Path(tmp)
        numbers.update(store_rate(work))
        numbers.update(batch_client(work))
        numbers.update(batch_resume(work))
        try:
            import ray  # noqa: F401
        except ImportError:
            print("ray is not installed (make install EXTRAS=ray): offline Ray runs skipped")
            return numbers
        numbers.update(offline(work))
    return numbers


if __name__ == "__main__":
    run()
