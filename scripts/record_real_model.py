"""Record the real model's answers for the seeds: llama-server + Gemma 3 270M, through the real stack.

Starts ``llama-server`` on 127.0.0.1 (tests/llama_server.py; the ``realserver`` extra), asks it
which structured-output modes it supports, and for each seed and each mode it supports records
the exchanges of one extraction (``fixtures/cassettes/real/<mode>/<seed>.yaml``), plus one seed
in a mode it does not support (the recorded refusal). ``fixtures/cassettes/real/index.json`` says
what each cassette holds: settings, outcome (a result or the failure line) and seconds taken.
tests/test_real_cassettes.py replays them beside the curated ones.

    python scripts/record_real_model.py [--modes json_schema,md_json] [STEM ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.cassettes import ROOT, SEEDS, make_vcr  # noqa: E402
from extractor.backends.llm import capabilities  # noqa: E402
from extractor.backends.openai import OpenAIBackend  # noqa: E402
from extractor.config import Settings  # noqa: E402
from extractor.errors import LLMError  # noqa: E402
from extractor.pipeline import run  # noqa: E402
from extractor.reading import read_article  # noqa: E402
from tests.llama_server import LlamaServer  # noqa: E402

REAL = ROOT / "fixtures" / "cassettes" / "real"
INDEX = REAL / "index.json"
MODEL = "gemma-3-270m"
CONTEXT = 12_288  # room for the schema in the prompt (json_object, md_json) and the answer
MAX_OUTPUT = 192  # enough for a few records; a longer answer is recorded as cut, which is a result
REFUSED = ("tools", 24)  # a mode llama-server lacks, recorded once, with a short answer


def settings_for(url: str, mode: str, max_output: int) -> Settings:
    """The settings a recording (and its replay) runs with."""
    return Settings(
        backend="openai",
        base_url=url,
        model=MODEL,
        mode=mode,
        max_output_tokens=max_output,
        max_reasks=0,
        max_api_retries=0,
        timeout=600.0,
        cache=False,
    )


def record(url: str, stem: str, mode: str, max_output: int) -> dict[str, Any]:
    """Record one seed in one mode; return its index entry."""
    seed = SEEDS / f"{stem}.txt"
    path = REAL / mode / f"{stem}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    capabilities.forget()  # the context GET is recorded in every cassette
    backend = OpenAIBackend(settings_for(url, mode, max_output))
    started = time.perf_counter()
    entry: dict[str, Any] = {"stem": stem, "mode": mode, "base_url": url, "model": MODEL}
    entry["max_output_tokens"] = max_output
    with make_vcr(record_mode="all").use_cassette(str(path)):
        try:
            result = run(read_article(seed.relative_to(ROOT)), backend)
        except LLMError as exc:
            entry["outcome"] = "failed"
            entry["error"] = str(exc.args[0])
            entry["hint"] = exc.hint
        else:
            entry["outcome"] = "extracted"
            entry["usage"] = result.usage.model_dump()
            entry["records"] = {
                k: len(getattr(result, k))
                for k in ("meetings", "agreements", "metrics", "projects")
            }
    entry["seconds"] = round(time.perf_counter() - started, 1)
    return entry


def main() -> None:
    """Record every seed in every mode the server supports (or those named)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("stems", nargs="*")
    parser.add_argument("--modes", help="comma-separated modes (default: all the server supports)")
    parser.add_argument(
        "--max-output", type=int, default=MAX_OUTPUT, help=f"answer ceiling (default {MAX_OUTPUT})"
    )
    args = parser.parse_args()
    stems = args.stems or sorted(p.stem for p in SEEDS.glob("*.txt"))
    index: list[dict[str, Any]] = json.loads(INDEX.read_text()) if INDEX.exists() else []
    with LlamaServer.start(context=CONTEXT) as server:
        print(f"llama-server ready in {server.ready_s:.1f} s at {server.url}", flush=True)
        caps, _ = capabilities.capabilities(settings_for(server.url, "auto", MAX_OUTPUT), "no-key")
        supported = [m for m in ("json_schema", "json_object", "md_json") if caps.modes.get(m)]
        modes = args.modes.split(",") if args.modes else supported
        plan = [
            (stem, mode, REFUSED[1] if mode == REFUSED[0] else args.max_output)
            for mode in modes
            for stem in stems
        ]
        if not args.modes and not caps.modes.get(REFUSED[0]):
            plan.append((stems[0], REFUSED[0], REFUSED[1]))
        for stem, mode, max_output in plan:
            entry = record(server.url, stem, mode, max_output)
            index = [e for e in index if (e["stem"], e["mode"]) != (stem, mode)] + [entry]
            index.sort(key=lambda e: (e["mode"], e["stem"]))
            INDEX.write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n")
            print(json.dumps(entry, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
