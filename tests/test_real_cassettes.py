"""The real model's recorded answers replayed through the real stack, network blocked.

``fixtures/cassettes/real/<mode>/<seed>.yaml`` were recorded from llama-server running Gemma 3
270M (``make record-real``, scripts/record_real_model.py), unlike the curated cassettes beside
them whose answers are written by hand. The model is far too small to extract well, so the
replay asserts the protocol only: the recorded run ends the same way — a valid
``ArticleExtraction`` with every request's usage counted, or the same clean failure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evaluation.cassettes import ROOT, make_vcr
from extractor import extract
from extractor.backends.llm import capabilities
from extractor.backends.openai import OpenAIBackend
from extractor.config import Settings
from extractor.errors import LLMError

REAL = ROOT / "fixtures" / "cassettes" / "real"
INDEX: list[dict[str, Any]] = (
    json.loads((REAL / "index.json").read_text(encoding="utf-8"))
    if (REAL / "index.json").exists()
    else []
)


@pytest.fixture(autouse=True)
def _fresh_probes() -> Iterator[None]:
    capabilities.forget()  # the recorded context GET must be played again
    yield
    capabilities.forget()


def settings_of(entry: dict[str, Any]) -> Settings:
    """The settings the cassette was recorded with (scripts/record_real_model.py)."""
    return Settings(
        backend="openai",
        base_url=entry["base_url"],
        model=entry["model"],
        mode=entry["mode"],
        max_output_tokens=entry["max_output_tokens"],
        max_reasks=0,
        max_api_retries=0,
        timeout=600.0,
        cache=False,
    )


def backend_of(entry: dict[str, Any]) -> OpenAIBackend:
    """A fresh backend: it learns the server's context from the recorded GET, as a run does."""
    return OpenAIBackend(settings_of(entry))


def test_the_real_cassettes_cover_every_seed_in_a_mode_the_server_supports() -> None:
    seeds = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    assert sorted(e["stem"] for e in INDEX if e["mode"] == "json_schema") == seeds
    for entry in INDEX:
        assert (REAL / entry["mode"] / f"{entry['stem']}.yaml").exists()


@pytest.mark.parametrize("entry", INDEX, ids=lambda e: f"{e['mode']}-{e['stem'][:3]}")
def test_a_real_answer_replays_to_the_recorded_outcome(
    entry: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    cassette = REAL / entry["mode"] / f"{entry['stem']}.yaml"
    raw = cassette.read_text(encoding="utf-8")
    assert "Bearer" not in raw and "authorization" not in raw.lower()
    with make_vcr().use_cassette(str(cassette)) as cass:
        if entry["outcome"] == "extracted":
            result = extract(Path("seeds") / f"{entry['stem']}.txt", backend=backend_of(entry))
            posts = [r for r in cass.requests if r.method == "POST"]
            assert result.usage.requests == len(posts) >= 1
            assert result.usage.model_dump() == entry["usage"]
            assert result.backend == "openai" and result.model == entry["model"]
        else:
            with pytest.raises(LLMError) as caught:
                extract(Path("seeds") / f"{entry['stem']}.txt", backend=backend_of(entry))
            assert str(caught.value.args[0]) == entry["error"]
            assert caught.value.hint == entry["hint"]
            assert "re-run later" not in caught.value.hint
        assert cass.all_played, f"{cassette.name} holds an exchange that was never played"
