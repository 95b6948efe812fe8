"""Run every ``bench/*_bench.py`` module's ``run()`` in turn and print a summary.

Each ``run()`` prints its own details and returns a dict of headline numbers (or None). A bench
that fails is reported and the others still run; the exit status is 1 if any failed.

    python -m bench            # all benches
    python -m bench batch      # only modules whose name contains "batch"
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    root = str(here.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    names = sorted(p.stem for p in here.glob("*_bench.py"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    results: list[tuple[str, str, dict[str, Any] | None, float]] = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            numbers = module.run()
            status = "ok"
        except Exception:
            traceback.print_exc()
            numbers, status = None, "FAILED"
        results.append((name, status, numbers, time.perf_counter() - started))
    print("\n=== summary ===")
    for name, status, numbers, took in results:
        print(f"{name:<22} {status:<7} {took:7.1f} s")
        for key, value in (numbers or {}).items():
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            print(f"    {key:<36} {shown}")
    return 1 if any(status != "ok" for _, status, _, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
