"""Settings: every environment variable read in one place, and the README table made from it."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from extractor import extract_text
from extractor.config import Settings, settings_table
from extractor.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- settings:start -->", "<!-- settings:end -->"
# A value each kind of field reads, and what it becomes.
SAMPLES: dict[str, tuple[str, object]] = {
    "backend": ("openai", "openai"),
    "api_key": ("sk-sample", "sk-sample"),
    "base_url": ("http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1"),
    "model": ("m-sample", "m-sample"),
    "mode": ("md_json", "md_json"),
    "max_reasks": ("3", 3),
    "max_api_retries": ("7", 7),
    "timeout": ("12.5", 12.5),
    "concurrency": ("3", 3),
    "requests_per_minute": ("90", 90.0),
    "max_chunk_chars": ("5000", 5000),
    "max_output_tokens": ("700", 700),
    "context_tokens": ("8192", 8192),
    "store_path": ("/tmp/s.db", Path("/tmp/s.db")),
    "cache": ("0", False),
    "debug_http": ("1", True),
    "today": ("2024-03-01", dt.date(2024, 3, 1)),
    "prompts_dir": ("/tmp/prompts", Path("/tmp/prompts")),
    "max_cost": ("2.5", 2.5),
    "prices_file": ("/tmp/prices.yaml", Path("/tmp/prices.yaml")),
    "batch_poll_seconds": ("0.5", 0.5),
    "batch_queue_tokens": ("20000000", 20_000_000),
    "ray_address": ("ray://127.0.0.1:10001", "ray://127.0.0.1:10001"),
}


def env_fields() -> dict[str, str]:
    return {f.name: f.metadata["env"] for f in fields(Settings) if "env" in f.metadata}


def test_readme_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in readme and END in readme, "README.md needs the settings markers"
    between = readme.split(START, 1)[1].split(END, 1)[0]
    assert between.strip() == settings_table().strip(), (
        "the README's configuration table differs from Settings: "
        "paste the output of `python -m extractor.config --markdown` between the markers"
    )


def test_the_table_is_printed_by_the_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "extractor.config", "--markdown"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout == settings_table()


def test_every_documented_variable_is_read() -> None:
    names = env_fields()
    assert set(names) == set(SAMPLES), "give each new setting a sample value here"
    env = {names[field]: raw for field, (raw, _) in SAMPLES.items()}
    settings = Settings.from_env(env)
    for field, (_, expected) in SAMPLES.items():
        assert getattr(settings, field) == expected, names[field]
    defaults = Settings.from_env({})
    for field in SAMPLES:
        assert getattr(defaults, field) == getattr(Settings(), field)


def test_every_row_names_its_variable_and_default() -> None:
    rows = [line for line in settings_table().splitlines()[2:]]
    assert len(rows) == len(env_fields())
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 3 and all(cells), row


def test_no_module_but_config_reads_the_environment() -> None:
    reads = re.compile(r"os\.environ|getenv\(")
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "extractor").rglob("*.py")
        if p.name != "config.py" and reads.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_bad_reading_day_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="EXTRACTOR_TODAY"):
        Settings.from_env({"EXTRACTOR_TODAY": "next friday"})


def test_the_reading_day_is_passed_down_to_the_offline_rules() -> None:
    """A weekday date without a year takes the latest matching year up to Settings.today."""
    text = (
        "Президент Казахстана Касым-Жомарт Токаев в пятницу, 9 августа, провел переговоры "
        "с Президентом Узбекистана Шавкатом Мирзиёевым в Ташкенте."
    )

    def meeting_date(today: str) -> str | None:
        settings = Settings(backend="offline", today=dt.date.fromisoformat(today))
        result = extract_text(text, settings=settings)
        assert result.meetings, "the planted meeting is found"
        return result.meetings[0].date.value

    assert meeting_date("2024-12-01") == "2024-08-09"  # 9 August 2024 was a Friday
    assert meeting_date("2024-08-01") == "2019-08-09"  # the Friday before that


def test_extract_and_consolidate_share_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.cli import main

    db = tmp_path / "elsewhere" / "store.db"
    db.parent.mkdir()
    monkeypatch.setenv("EXTRACTOR_DB", str(db))
    out = tmp_path / "out"
    seed = ROOT / "seeds" / "001_d541d46272f33c54.txt"
    assert main(["extract", str(seed), "--out", str(out), "--backend", "offline", "-q"]) == 0
    assert main(["consolidate", str(out)]) == 0
    assert db.exists() and not (out / "extractor.db").exists()
    assert Settings.from_env().database(out) == db
    assert Settings(store_path=None).database(out) == out / "extractor.db"
