"""The command line: help with examples, exit statuses, clean errors, export, consolidate, report."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.cli import build_parser, main
from tests.fake_openai_server import FakeOpenAI

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture
def llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("EXTRACTOR_BACKEND", "openai")
        monkeypatch.setenv("EXTRACTOR_MODE", "tools")
        monkeypatch.setenv("EXTRACTOR_MAX_RETRIES", "0")
        yield server


@pytest.mark.parametrize("command", ["extract", "export", "consolidate", "report"])
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    assert "Example:" in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "extract" in capsys.readouterr().err


def test_bad_option_value_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["extract", "seeds", "--concurrency", "0"])
    assert caught.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_missing_key_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEEDS[0]), "--out", str(tmp_path), "--backend", "openai"]) == 2
    err = capsys.readouterr().err
    assert "OPENAI_API_KEY" in err
    assert "Traceback" not in err


def test_no_inputs_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(tmp_path / "*.txt"), "--out", str(tmp_path / "out")]) == 2
    assert "no input files" in capsys.readouterr().err


@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"])
def test_extract_export_and_consolidate(
    llm: FakeOpenAI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, db = tmp_path / "out", tmp_path / "x.db"
    assert main(["extract", str(ROOT / "seeds"), "--out", str(out), "--db", str(db), "-q"]) == 0
    assert len(list(out.glob("*.json"))) == len(SEEDS)
    assert llm.requests == len(SEEDS)

    assert main(["export", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(SEEDS)
    assert {json.loads(line)["source"]["sha256"] for line in lines}

    target = tmp_path / "metrics.csv"
    assert (
        main(
            ["export", "--db", str(db), "--format", "csv", "--table", "metrics", "-o", str(target)]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows and {"name", "value", "unit", "verification"} <= set(rows[0])
    assert {r["verification"] for r in rows} <= {"verified", "mismatch", "not_found"}
    # every exported record row names the article it came from
    assert {Path(r["article_path"]).name for r in rows} <= {p.name for p in SEEDS}
    assert all(r["article_path"] for r in rows)

    checks = tmp_path / "checks.csv"
    argv = ["export", "--db", str(db), "--format", "csv", "--table", "checks", "-o", str(checks)]
    assert main(argv) == 0
    rows = list(csv.DictReader(io.StringIO(checks.read_text(encoding="utf-8"))))
    assert rows and {"record_kind", "field", "status", "reason"} <= set(rows[0])
    assert {r["status"] for r in rows} <= {"supported", "inferred", "unsupported"}

    assert main(["export", "--db", str(db), "--checked"]) == 0
    facts = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(facts) == len(SEEDS)
    for fact in facts:
        for kind in ("meetings", "agreements", "metrics", "projects"):
            for record in fact[kind]:
                assert all(c["status"] != "unsupported" for c in record["checks"])

    assert main(["export", "--db", str(db), "--format", "jsonl", "--table", "participants"]) == 0
    people = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any(p["name"] == "Касым-Жомарт Токаев" for p in people)

    assert main(["consolidate", str(out)]) == 0
    consolidated = json.loads((out / "consolidated.json").read_text(encoding="utf-8"))
    assert consolidated["articles"]


@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"])
def test_extract_exits_1_when_an_article_failed(llm: FakeOpenAI, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "ok.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(inputs), "--out", str(out), "-q"]) == 1
    (failure,) = [json.loads(x) for x in (out / "failures.jsonl").read_text().splitlines()]
    assert Path(failure["path"]).name == "empty.txt"


@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"])
def test_debug_http_dumps_traffic_with_the_key_redacted(
    llm: FakeOpenAI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EXTRACTOR_DEBUG_HTTP", "1")
    assert main(["extract", str(SEEDS[0]), "--out", str(tmp_path), "-q"]) == 0
    err = capsys.readouterr().err
    assert ">>> POST http://127.0.0.1" in err
    assert "<<< 200 POST" in err
    assert "authorization: [redacted]" in err.lower()
    assert "test-key" not in err


def test_export_without_a_database_says_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--db", str(tmp_path / "none.db")]) == 2
    err = capsys.readouterr().err
    assert "extractor extract" in err
    assert not (tmp_path / "none.db").exists()


def test_report_and_consolidate_need_an_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "nope")]) == 2
    assert main(["consolidate", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.count("no output folder") == 2


def test_report_builds_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = tmp_path / "r" / "report.html"
    assert main(["report", str(tmp_path), "--html", str(html)]) == 0
    assert html.exists()


def test_parser_lists_every_command() -> None:
    parser = build_parser()
    help_text = parser.format_help()
    for command in ("extract", "export", "consolidate", "report"):
        assert command in help_text


def test_python_dash_m_extractor_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "extractor", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "extract" in done.stdout
