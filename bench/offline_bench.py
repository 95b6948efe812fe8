"""Offline backend speed: model load time, then articles per second on one core."""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent


def run(n: int = 500) -> dict[str, float]:
    """Print and return model load time and articles/s over the seeds repeated to n articles."""
    from extractor.backends.offline import OfflineBackend
    from extractor.reading import read_article

    articles = [read_article(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    batch = [articles[i % len(articles)] for i in range(n)]
    t0 = time.perf_counter()
    backend = OfflineBackend()
    backend.warm_up()
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    for a in batch:
        backend.extract(a)
    rate = n / (time.perf_counter() - t1)
    print(f"offline: model load {load:.2f} s; {rate:.1f} articles/s on one core ({n} articles)")
    return {"load_s": load, "articles_per_s": rate}


if __name__ == "__main__":
    run()
