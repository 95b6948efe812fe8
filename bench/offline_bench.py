"""Offline backend speed: model loading once per process, then articles per second on one core.

Both are measured in a fresh child process pinned to one CPU, so nothing another bench loaded
earlier is counted as already there: the load time includes importing the pipeline, the NER
model, the morphology dictionaries and the figure patterns (targets: load under 1.5 s, then at
least 20 articles per second per core).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, os, sys, time
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
t0 = time.perf_counter()
from extractor.backends.offline import OfflineBackend
from extractor.core.figures import find_figures
from extractor.reading import read_article
backend = OfflineBackend()
backend.warm_up()
find_figures("1,5 млн тонн")
load = time.perf_counter() - t0
paths = sorted(p for p in os.listdir("seeds") if p.endswith(".txt"))
articles = [read_article(os.path.join("seeds", p)) for p in paths]
first = time.perf_counter()
backend.extract(articles[0])
first_article = time.perf_counter() - first
n = int(sys.argv[1])
t1 = time.perf_counter()
for i in range(n):
    backend.extract(articles[i % len(articles)])
rate = n / (time.perf_counter() - t1)
from extractor.pipeline import run
t2 = time.perf_counter()
for i in range(n):
    run(articles[i % len(articles)], backend)
pipeline_rate = n / (time.perf_counter() - t2)
print(json.dumps({"load_s": load, "first_article_s": first_article, "articles_per_s": rate,
                  "pipeline_articles_per_s": pipeline_rate}))
"""
_BUILD = r"""
import json, time
t0 = time.perf_counter()
from extractor.offline.gazetteer import index
print(json.dumps({"build_s": time.perf_counter() - t0, "names": len(index())}))
"""


def run(n: int = 500) -> dict[str, float]:
    """Print and return load time and articles/s over the seeds repeated to ``n`` articles."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(n)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    numbers: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"offline: load {numbers['load_s']:.2f} s (fresh process: imports + models + gazetteer "
        f"from its cache), first article {numbers['first_article_s'] * 1000:.0f} ms, then "
        f"{numbers['articles_per_s']:.1f} articles/s on one core ({n} articles); the whole "
        f"pipeline (backend, verification, places on the map): "
        f"{numbers['pipeline_articles_per_s']:.1f} articles/s"
    )
    with tempfile.TemporaryDirectory() as empty:
        built = subprocess.run(
            [sys.executable, "-c", _BUILD],
            cwd=ROOT,
            env={**env, "XDG_CACHE_HOME": empty},
            capture_output=True,
            text=True,
            check=True,
        )
    build: dict[str, float] = json.loads(built.stdout.strip().splitlines()[-1])
    numbers["gazetteer_load_s"] = build["build_s"]
    print(
        f"gazetteer: the index shipped in the package read in {build['build_s']:.2f} s "
        f"({int(build['names'])} names)"
    )
    return numbers


if __name__ == "__main__":
    run()
