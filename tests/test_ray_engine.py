"""The same folder through the local engine and ``--engine ray``: the same outputs, rows, failures."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from extractor.config import Settings
from extractor.engines.local import run_batch
from extractor.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# Row ids and timestamps differ between two runs by design; everything else must not.
VOLATILE = {"id", "created", "article_id", "meeting_id"}


def make_inputs(folder: Path) -> Path:
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")  # fails at reading
    return folder


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as con:
        tables = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if not r[0].startswith(("_", "sqlite"))
        ]
        out = {}
        for table in tables:
            cur = con.execute(f"SELECT * FROM {table}")  # noqa: S608
            keep = [i for i, d in enumerate(cur.description) if d[0] not in VOLATILE]
            out[table] = sorted((tuple(row[i] for i in keep) for row in cur.fetchall()), key=repr)
    return out


def test_without_ray_the_flag_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    settings = Settings(backend="offline", store_path=tmp_path / "x.db")
    with pytest.raises(ConfigError, match=r"needs Ray.*pip install 'ca-extractor\[ray\]'"):
        run_batch(SEEDS[:1], tmp_path / "out", settings, progress=False, engine="ray")


def test_the_ray_engine_runs_the_offline_backend_only(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    settings = Settings(backend="openai", api_key="k", store_path=tmp_path / "x.db")
    with pytest.raises(ConfigError, match="--engine ray runs the offline backend"):
        run_batch(SEEDS[:1], tmp_path / "out", settings, progress=False, engine="ray")


@pytest.mark.slow
@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"])
def test_local_and_ray_engines_give_the_same_outputs_rows_and_failures(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    inputs = make_inputs(tmp_path / "in")
    base = Settings(backend="offline", concurrency=1)
    local = run_batch(
        [inputs], tmp_path / "local", base.with_(store_path=tmp_path / "local.db"), progress=False
    )
    ray_settings = base.with_(store_path=tmp_path / "ray.db")
    on_ray = run_batch([inputs], tmp_path / "ray", ray_settings, progress=False, engine="ray")

    assert (local.written, local.failed) == (on_ray.written, on_ray.failed) == (len(SEEDS), 1)
    names = sorted(p.name for p in (tmp_path / "local").iterdir() if p.suffix == ".json")
    assert names == sorted(p.name for p in (tmp_path / "ray").iterdir() if p.suffix == ".json")
    for name in names:
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "ray" / name).read_bytes()
    assert (tmp_path / "local" / "failures.jsonl").read_text(encoding="utf-8") == (
        tmp_path / "ray" / "failures.jsonl"
    ).read_text(encoding="utf-8")
    assert table_rows(tmp_path / "local.db") == table_rows(tmp_path / "ray.db")

    again = run_batch([inputs], tmp_path / "ray", ray_settings, progress=False, engine="ray")
    assert (again.skipped, again.written, again.failed) == (len(SEEDS), 0, 1)  # resumed
