"""Batch runs with a stub backend (no network): outputs, failures, resume, atomic writes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from extractor.backends.base import Draft, zero_usage
from extractor.config import Settings
from extractor.engines.local import (
    FAILURES,
    RateLimiter,
    collect_inputs,
    cost_usd,
    output_names,
    run_batch,
    write_atomic,
)
from extractor.errors import ConfigError
from extractor.reading import Article
from extractor.store import Store
from tests.stub_backend import StubBackend

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def settings(tmp_path: Path, **over: object) -> Settings:
    return Settings(backend="offline", store_path=tmp_path / "extractor.db", concurrency=3).with_(
        **over
    )


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def mixed_inputs(folder: Path) -> list[Path]:
    return [
        write(folder, "good1.txt", "Товарооборот составил 500 млн долларов."),
        write(folder, "good2.txt", "Инвестиции достигли 120 млн долларов."),
        write(folder, "empty.txt", "   \n"),
        write(folder, "fails.txt", "СБОЙ: товарооборот 100 млн долларов."),
        write(folder, "crash.txt", "ЛОМАЕТСЯ здесь."),
    ]


def failures(out: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (out / FAILURES).read_text(encoding="utf-8").splitlines()]


def test_every_input_ends_as_an_output_or_a_failure(tmp_path: Path) -> None:
    mixed_inputs(tmp_path / "in")
    out = tmp_path / "out"
    summary = run_batch(
        [tmp_path / "in"], out, settings(tmp_path), backend=StubBackend(), progress=False
    )

    assert (summary.total, summary.written, summary.failed) == (5, 2, 3)
    assert not summary.ok
    assert sorted(p.name for p in out.glob("*.json")) == ["good1.json", "good2.json"]
    by_name = {Path(f["path"]).name: f for f in failures(out)}
    assert set(by_name) == {"empty.txt", "fails.txt", "crash.txt"}
    assert by_name["empty.txt"]["stage"] == "read"
    assert by_name["fails.txt"] == {
        "path": str(tmp_path / "in" / "fails.txt"),
        "stage": "extract",
        "error": "the endpoint answered HTTP 500",
        "hint": "re-run later",
    }
    assert by_name["crash.txt"]["error"] == "RuntimeError: surprise"
    assert all(f["hint"] for f in by_name.values())
    good = json.loads((out / "good1.json").read_text(encoding="utf-8"))
    assert good["metrics"][0]["verification"]["status"] == "verified"
    assert good["backend"] == "stub"
    with Store(tmp_path / "extractor.db") as store:
        assert store.count("articles") == 2


def test_rerun_skips_done_articles_and_retries_failures_without_duplicates(tmp_path: Path) -> None:
    inputs = mixed_inputs(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, settings(tmp_path), backend=StubBackend(), progress=False)
    inputs[3].write_text("Теперь всё хорошо: 100 млн долларов.", encoding="utf-8")  # fixed

    backend = StubBackend()
    summary = run_batch([tmp_path / "in"], out, settings(tmp_path), backend=backend, progress=False)

    assert (summary.skipped, summary.written, summary.failed) == (2, 1, 2)
    assert len(backend.seen) == 2  # only the retried ones reached the backend
    assert {Path(f["path"]).name for f in failures(out)} == {"empty.txt", "crash.txt"}
    with Store(tmp_path / "extractor.db") as store:
        assert store.count("articles") == 3


def test_changed_text_or_model_is_extracted_again(tmp_path: Path) -> None:
    path = write(tmp_path / "in", "a.txt", "Товарооборот составил 500 млн долларов.")
    out = tmp_path / "out"
    run_batch([path], out, settings(tmp_path), backend=StubBackend(), progress=False)
    path.write_text("Товарооборот составил 600 млн долларов.", encoding="utf-8")
    assert (
        run_batch([path], out, settings(tmp_path), backend=StubBackend(), progress=False).written
        == 1
    )

    other = StubBackend()
    other.model = "stub-2"
    assert run_batch([path], out, settings(tmp_path), backend=other, progress=False).written == 1
    assert run_batch([path], out, settings(tmp_path), backend=other, progress=False).skipped == 1
    assert (
        run_batch(
            [path], out, settings(tmp_path), backend=other, force=True, progress=False
        ).written
        == 1
    )


def test_failures_of_inputs_not_in_this_run_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    bad = write(tmp_path / "in", "bad.txt", "")
    run_batch([bad], out, settings(tmp_path), backend=StubBackend(), progress=False)
    good = write(tmp_path / "in2", "good.txt", "Товарооборот составил 500 млн долларов.")
    run_batch([good], out, settings(tmp_path), backend=StubBackend(), progress=False)
    assert [Path(f["path"]).name for f in failures(out)] == ["bad.txt"]


def test_a_missing_input_is_recorded_not_forgotten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_batch(
        [tmp_path / "nope.txt"], out, settings(tmp_path), backend=StubBackend(), progress=False
    )
    assert summary.failed == 1
    assert failures(out)[0]["stage"] == "read"
    assert "no such file" in failures(out)[0]["error"]


def test_a_database_lost_after_the_file_was_written_is_refilled_on_rerun(tmp_path: Path) -> None:
    path = write(tmp_path / "in", "a.txt", "Товарооборот составил 500 млн долларов.")
    out = tmp_path / "out"
    run_batch([path], out, settings(tmp_path), backend=StubBackend(), progress=False)
    for f in tmp_path.glob("extractor.db*"):
        f.unlink()
    summary = run_batch([path], out, settings(tmp_path), backend=StubBackend(), progress=False)
    assert summary.skipped == 1
    with Store(tmp_path / "extractor.db") as store:
        assert store.count("articles") == 1


def test_stale_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".a.json.999.tmp").write_text('{"half": ', encoding="utf-8")
    path = write(tmp_path / "in", "a.txt", "Товарооборот составил 500 млн долларов.")
    run_batch([path], out, settings(tmp_path), backend=StubBackend(), progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["a.json", FAILURES]


def test_write_atomic_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, b"old")
    write_atomic(target, "новое".encode())
    assert target.read_text(encoding="utf-8") == "новое"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_inputs_from_files_folders_and_globs(tmp_path: Path) -> None:
    write(tmp_path / "a", "one.txt", "x")
    write(tmp_path / "a" / "sub", "two.html", "x")
    write(tmp_path / "a", "skip.json", "x")
    write(tmp_path / "a" / ".hidden", "three.txt", "x")
    write(tmp_path / "b", "four.txt", "x")
    found = collect_inputs(
        [tmp_path / "a", str(tmp_path / "b" / "*.txt"), tmp_path / "a" / "one.txt"]
    )
    assert [p.name for p in found] == ["one.txt", "two.html", "four.txt"]
    with pytest.raises(ConfigError, match="no input files"):
        collect_inputs([str(tmp_path / "b" / "*.md")])


def test_colliding_stems_get_distinct_output_names(tmp_path: Path) -> None:
    a = write(tmp_path / "x", "news.txt", "x")
    b = write(tmp_path / "y", "news.txt", "x")
    c = write(tmp_path / "y", "other.txt", "x")
    names = output_names([a, b, c])
    assert names[c] == "other.json"
    assert len({names[a], names[b]}) == 2
    assert all(n.startswith("news-") for n in (names[a], names[b]))


def test_cost_is_known_for_priced_models_only() -> None:
    assert cost_usd("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert cost_usd("some-local-model", 10, 10) is None


def test_rate_limiter_spaces_requests_evenly() -> None:
    async def schedule() -> list[float]:
        limiter = RateLimiter(rpm=6000)  # one per 10 ms
        loop = asyncio.get_running_loop()
        starts = []
        for _ in range(4):
            await limiter.acquire()
            starts.append(loop.time())
        return starts

    starts = asyncio.run(schedule())
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    # asyncio.sleep never wakes early, so every gap is at least the interval (no wall-clock cap).
    assert all(g >= 0.01 - 1e-3 for g in gaps)
    with pytest.raises(ConfigError):
        RateLimiter(0)


def test_zero_usage_backend_costs_nothing(tmp_path: Path) -> None:
    class Free(StubBackend):
        def _draft(self, article: Article) -> Draft:
            d = super()._draft(article)
            return Draft(
                records=d.records,
                model=d.model,
                prompt_version=d.prompt_version,
                usage=zero_usage(),
            )

    path = write(tmp_path / "in", "a.txt", "Товарооборот составил 500 млн долларов.")
    summary = run_batch(
        [path], tmp_path / "out", settings(tmp_path), backend=Free(), progress=False
    )
    assert (summary.tokens, summary.requests) == (0, 0)


def test_a_run_into_a_new_folder_reuses_stored_extractions(tmp_path: Path) -> None:
    path = write(tmp_path / "in", "a.txt", "Товарооборот составил 500 млн долларов.")
    run_batch([path], tmp_path / "out1", settings(tmp_path), backend=StubBackend(), progress=False)

    backend = StubBackend()
    summary = run_batch(
        [path], tmp_path / "out2", settings(tmp_path), backend=backend, progress=False
    )
    assert (summary.skipped, summary.written, backend.seen) == (1, 0, [])
    first = json.loads((tmp_path / "out1" / "a.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "out2" / "a.json").read_text(encoding="utf-8"))
    assert first == second

    uncached = settings(tmp_path).with_(cache=False)
    summary = run_batch([path], tmp_path / "out3", uncached, backend=backend, progress=False)
    assert (summary.written, len(backend.seen)) == (1, 1)


def test_a_store_failure_is_recorded_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from extractor.store import ExtractionRepository

    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.txt").write_text(
            f"Президент Казахстана провел переговоры. Товарооборот вырос на {i + 10}%.",
            encoding="utf-8",
        )
    real = ExtractionRepository.save

    def flaky(self: ExtractionRepository, ex: object) -> int:
        if str(getattr(getattr(ex, "source", None), "path", "")).endswith("a1.txt"):
            raise sqlite3.OperationalError("database is locked")
        return real(self, ex)  # type: ignore[arg-type]

    monkeypatch.setattr(ExtractionRepository, "save", flaky)
    settings = Settings(backend="offline", store_path=tmp_path / "x.db")
    summary = run_batch([src], tmp_path / "out", settings, progress=False)
    assert summary.written == 2 and summary.failed == 1
    failures = (tmp_path / "out" / "failures.jsonl").read_text(encoding="utf-8")
    assert "a1.txt" in failures and "database is locked" in failures and '"write"' in failures
