"""Write the LLM cassettes and expected results for the seed articles.

Two modes, one code path through the real openai + instructor stack:

- default (curated): no endpoint is reachable here, so the answers in
  ``fixtures/llm_answers/<seed>.yaml`` are served by an ``httpx2.MockTransport`` in the exact
  chat-completions wire format, and vcrpy records the real requests the stack sends and those
  answers into ``fixtures/cassettes/<seed>.yaml``.
- ``--live`` (``make record``): the same requests go to the endpoint of ``OPENAI_API_KEY`` /
  ``OPENAI_BASE_URL`` / ``EXTRACTOR_MODEL`` and vcrpy records its real answers.

Either way ``fixtures/expected/<seed>.json`` is the verified ``ArticleExtraction`` of the run.

    python scripts/curate_cassettes.py [--live] [STEM ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import httpx2
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.cassettes import (  # noqa: E402
    ANSWERS,
    EXPECTED,
    REPLAY_BASE_URL,
    REPLAY_MODEL,
    ROOT,
    SEEDS,
    cassette_path,
    make_vcr,
)
from extractor.backends.openai import OpenAIBackend  # noqa: E402
from extractor.config import Settings  # noqa: E402
from extractor.pipeline import run  # noqa: E402
from extractor.reading import read_article  # noqa: E402


def completion_body(
    stem: str, n: int, arguments: dict[str, Any], request: dict[str, Any]
) -> dict[str, Any]:
    """A chat completion with one tool call, as the OpenAI API sends it."""
    args = json.dumps(arguments, ensure_ascii=False)
    tool = request["tools"][0]["function"]["name"]
    prompt_chars = sum(len(m.get("content") or "") for m in request["messages"])
    prompt_chars += len(json.dumps(request["tools"], ensure_ascii=False))
    return {
        "id": f"chatcmpl-curated-{stem[:3]}-{n}",
        "object": "chat.completion",
        "created": 1764028800 + n,
        "model": REPLAY_MODEL,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": f"call_{stem[:3]}_{n}",
                            "type": "function",
                            "function": {"name": tool, "arguments": args},
                        }
                    ],
                    "refusal": None,
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        # Curated token counts: about 3 characters per token for Russian text and JSON.
        "usage": {
            "prompt_tokens": prompt_chars // 3,
            "completion_tokens": len(args) // 3,
            "total_tokens": prompt_chars // 3 + len(args) // 3,
        },
        "system_fingerprint": "fp_curated",
    }


def curated_transport(stem: str) -> httpx2.MockTransport:
    """Serve the curated answers of one seed in order, one per request."""
    answers = yaml.safe_load((ANSWERS / f"{stem}.yaml").read_text(encoding="utf-8"))["answers"]
    queue = list(enumerate(answers, start=1))

    def handler(request: httpx2.Request) -> httpx2.Response:
        if not queue:
            return httpx2.Response(500, json={"error": {"message": "no curated answer left"}})
        n, answer = queue.pop(0)
        body = completion_body(stem, n, answer, json.loads(request.content))
        return httpx2.Response(
            200, json=body, headers={"x-request-id": f"req_curated_{stem[:3]}_{n}"}
        )

    return httpx2.MockTransport(handler)


def record(stem: str, live: bool) -> Path:
    """Record one seed's cassette and write its expected result."""
    seed = next(SEEDS.glob(f"{stem}*.txt"))
    if live:
        settings = Settings.from_env(backend="openai")
        client = None
    else:
        settings = Settings(
            backend="openai", api_key="curated", base_url=REPLAY_BASE_URL, model=REPLAY_MODEL
        )
        client = httpx2.Client(transport=curated_transport(stem))
    path = cassette_path(seed.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    backend = OpenAIBackend(settings, http_client=client)
    with make_vcr(record_mode="all").use_cassette(str(path)):
        result = run(read_article(seed.relative_to(ROOT)), backend)
    EXPECTED.mkdir(parents=True, exist_ok=True)
    out = EXPECTED / f"{seed.stem}.json"
    out.write_text(
        json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return out


def main() -> None:
    """Record the cassettes of the named seeds (default: every seed with a curated answer)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("stems", nargs="*")
    parser.add_argument(
        "--live", action="store_true", help="record a live endpoint (needs OPENAI_API_KEY)"
    )
    args = parser.parse_args()
    stems = args.stems or sorted(p.stem for p in ANSWERS.glob("*.yaml"))
    for stem in stems:
        print(record(stem, args.live))


if __name__ == "__main__":
    main()
