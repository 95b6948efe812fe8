"""Shared fixtures: every test runs offline, with no key and its store in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# The endpoint settings of the shell that started pytest, for `-m live` tests only: every other
# test runs with them removed.
GOLD_REFERENCE_DAY = "2026-11-21"  # the day fixtures/gold was annotated
LIVE_ENV = {k: v for k, v in os.environ.items() if k.startswith(("OPENAI_", "EXTRACTOR_MODEL"))}


@pytest.fixture(scope="session")
def _derived_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of derived data (the gazetteer index) for the session, never the user's."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _derived_cache: Path) -> None:
    """No developer key or setting leaks into a test; stores and caches live in tmp_path."""
    for name in list(os.environ):
        if name.startswith(("EXTRACTOR_", "OPENAI_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EXTRACTOR_DB", str(tmp_path / "extractor.db"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_derived_cache))
    # Articles without a publication date are read against this day (see offline/dates.py).
    monkeypatch.setenv("EXTRACTOR_TODAY", GOLD_REFERENCE_DAY)


@pytest.fixture
def seed_texts() -> dict[str, str]:
    """The seed articles by file stem."""
    return {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real llama-server with Gemma 3 270M on 127.0.0.1 for the session (``realserver`` tests).

    Skipped when the ``realserver`` extra is not installed; a server that is installed but does
    not start fails the tests that need it, with its log.
    """
    from tests.llama_server import LlamaServer, ServerUnavailable, binaries, model_file

    try:
        binaries()
        model_file()
    except ServerUnavailable as exc:
        pytest.skip(f"no real llama-server here: {exc}")
    try:
        with LlamaServer.start(log_dir=tmp_path_factory.mktemp("llama")) as server:
            yield server
    except ServerUnavailable as exc:
        pytest.fail(f"llama-server did not start: {exc}")
