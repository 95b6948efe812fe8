"""The LLM path against servers that behave like the real ones met: each defect found there, pinned.

Everything runs through the real openai + instructor + httpx2 stack against the local fake server
(tests/fake_openai_server.py), scripted to answer the way llama-server, llama-cpp-python and
OpenAI answered. The real llama-server itself is exercised by tests/test_realserver.py.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.backends.llm import budget, capabilities
from extractor.backends.openai import OpenAIBackend
from extractor.config import Settings
from extractor.engines.local import run_batch
from extractor.errors import LLMError
from extractor.reading import read_article
from extractor.store import Store
from tests.fake_openai_server import FakeOpenAI

pytestmark = [
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"]),
]

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "001_d541d46272f33c54.txt"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def _fresh_probes() -> Iterator[None]:
    capabilities.forget()  # ports are reused between tests: never trust an earlier probe
    yield
    capabilities.forget()


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(hang_s=3.0) as fake:
        yield fake


def conf(url: str, tmp_path: Path, **over: object) -> Settings:
    values: dict[str, object] = {
        "backend": "openai",
        "api_key": "test-key",
        "base_url": url,
        "timeout": 2.0,
        "max_api_retries": 3,
        "backoff_initial": 0.01,
        "backoff_max": 0.05,
        "concurrency": 2,
        "store_path": tmp_path / "extractor.db",
    }
    values.update(over)
    return Settings(**values)  # type: ignore[arg-type]


def call_log(tmp_path: Path) -> list[dict[str, object]]:
    with Store(tmp_path / "extractor.db") as store:
        names, rows = store.rows("call_log")
    return [dict(zip(names, row, strict=True)) for row in rows]


# -- every request bounded -------------------------------------------------------------------
def test_every_request_carries_a_token_ceiling_within_the_servers_context(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.n_ctx = 16_000
    backend = OpenAIBackend(conf(server.url, tmp_path, mode="tools"))
    backend.extract(read_article(SEED))
    [body] = server.received
    assert 256 <= body["max_tokens"] <= 16_000
    assert "max_completion_tokens" not in body  # that name is OpenAI's


def test_max_output_tokens_setting_overrides_the_ceiling(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    backend = OpenAIBackend(conf(server.url, tmp_path, mode="tools", max_output_tokens=700))
    backend.extract(read_article(SEED))
    assert server.received[0]["max_tokens"] == 700


def test_openai_gets_max_completion_tokens_and_no_probe(tmp_path: Path) -> None:
    backend = OpenAIBackend(conf("https://api.openai.com/v1", tmp_path))
    kwargs = backend.request_kwargs(read_article(SEED))  # built, not sent: the network is blocked
    assert kwargs["max_completion_tokens"] >= 1024
    assert "max_tokens" not in kwargs
    assert kwargs["tool_choice"] == {"type": "function", "function": {"name": "CheckedRecords"}}
    assert backend.mode == "tools" and backend.capabilities().source == "documented"


def test_a_request_that_would_not_fit_the_context_is_not_sent(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.n_ctx = 1_000  # the prompt alone is larger
    backend = OpenAIBackend(conf(server.url, tmp_path, mode="tools"))
    with pytest.raises(LLMError) as caught:
        backend.extract(read_article(SEED))
    assert server.requests == 0
    assert "would not fit the server's context of 1000 tokens" in str(caught.value)
    assert "EXTRACTOR_MAX_CHUNK_CHARS" in caught.value.hint


def test_a_reask_that_would_not_fit_the_context_is_not_sent(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    article = read_article(SEED)
    first = OpenAIBackend(conf(server.url, tmp_path, mode="tools")).request_kwargs(article)
    capabilities.forget()  # the context learnt above was "not told"; the server tells it now
    # Room for the first ask and its answer, not for a re-ask that repeats the answer.
    server.n_ctx = budget.prompt_tokens(first) + budget.MIN_ANSWER_TOKENS + 50
    server.responder = lambda body, text: {  # an invented figure: the validator re-asks
        "meetings": [],
        "agreements": [],
        "metrics": [
            {
                "name": "товарооборот",
                "value": 7.7e9,
                "value_max": None,
                "unit": "USD",
                "qualifier": "exact",
                "kind": "level",
                "period": None,
                "scope": {"countries": ["KZ"], "route": []},
                "evidence": [{"quote": "Казахстан " * 60}],
            }
        ],
        "projects": [],
    }
    backend = OpenAIBackend(conf(server.url, tmp_path, mode="tools", max_reasks=2))
    with pytest.raises(LLMError) as caught:
        backend.extract(article)
    assert server.requests == 1
    assert "a re-ask would not fit" in str(caught.value)
    assert caught.value.usage is not None and caught.value.usage.requests == 1


# -- truncation seen in the answer -------------------------------------------------------------
def test_a_cut_tool_call_reported_as_tool_calls_is_truncation_not_reasked(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.script("cut_tool_call", "cut_tool_call", "cut_tool_call")
    backend = OpenAIBackend(conf(server.url, tmp_path, mode="tools"))
    with pytest.raises(LLMError) as caught:
        backend.extract(read_article(SEED))
    assert server.requests == 1  # the broken answer is not sent back in a re-ask
    assert "cut JSON" in str(caught.value) and "'tool_calls'" in str(caught.value)
    assert "EXTRACTOR_MAX_OUTPUT_TOKENS" in caught.value.hint


def test_a_rejected_truncated_answer_has_its_tokens_logged(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.script("length")
    summary = run_batch([SEED], tmp_path / "out", conf(server.url, tmp_path, mode="tools"))
    [row] = call_log(tmp_path)
    assert "TruncatedAnswerError" in str(row["error"])
    assert int(str(row["completion_tokens"])) > 0 and int(str(row["prompt_tokens"])) > 0
    assert summary.requests == 1 and summary.completion_tokens == row["completion_tokens"]


# -- errors sorted by what the user must do ----------------------------------------------------
@pytest.mark.parametrize(
    ("fault", "said", "fix"),
    [
        ("500_invalid", "Input should be 'text' or 'json_object'", "EXTRACTOR_MODE"),
        ("400_context", "maximum context length", "EXTRACTOR_MAX_CHUNK_CHARS"),
        ("404_model", "does not exist", "EXTRACTOR_MODEL"),
    ],
)
def test_a_permanent_error_is_not_retried_and_says_the_fix(
    server: FakeOpenAI, tmp_path: Path, fault: str, said: str, fix: str
) -> None:
    server.script(fault, fault, fault, fault)
    backend = OpenAIBackend(conf(server.url, tmp_path, mode="tools"))
    with pytest.raises(LLMError) as caught:
        backend.extract(read_article(SEED))
    assert server.requests == 1
    message = str(caught.value)
    assert server.url in message and said in message
    assert fix in caught.value.hint and "re-run later" not in caught.value.hint
    assert "test-key" not in message


def test_a_dead_endpoint_ends_the_run_with_one_line_per_article_naming_the_url(
    tmp_path: Path,
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    url = f"http://127.0.0.1:{port}/v1"
    for mode in ("tools", "auto"):
        out = tmp_path / mode
        settings = conf(url, tmp_path, mode=mode, store_path=out / "x.db")
        summary = run_batch(SEEDS, out, settings, progress=False)
        assert summary.failed == len(SEEDS) and summary.written == 0
        lines = (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(SEEDS)
        for line in lines:
            failure = json.loads(line)
            assert url in failure["error"] and "cannot connect" in failure["error"]
            assert "OPENAI_BASE_URL" in failure["hint"] and "re-run later" not in failure["hint"]
        with Store(out / "x.db") as store:
            logged = store.count("call_log")
        # Two attempts per article already under way when the first refusal came, none after.
        assert 1 <= logged <= 2 * settings.concurrency, "not max_api_retries per article"
        assert summary.requests == logged


# -- capabilities: auto picks, an explicit mode the server lacks is refused ---------------------
def test_auto_picks_json_schema_on_a_server_that_ignores_tool_choice(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.ignores_tool_choice = True
    server.n_ctx = 32_000
    summary = run_batch([SEED], tmp_path / "out", conf(server.url, tmp_path))
    assert summary.written == 1
    [body] = server.received
    assert body["response_format"]["type"] == "json_schema" and "tools" not in body
    assert len(server.probes) == 3
    assert summary.requests == len(call_log(tmp_path)) == 1 + len(server.probes)


def test_auto_falls_back_to_tools_where_json_schema_is_rejected(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.rejects_json_schema = True  # llama-cpp-python: HTTP 500 for response_format json_schema
    backend = OpenAIBackend(conf(server.url, tmp_path))
    backend.extract(read_article(SEED))
    assert backend.mode == "tools"
    assert server.received[0]["tool_choice"]["function"]["name"] == "CheckedRecords"


def test_a_configured_mode_the_server_ignores_is_refused_naming_the_mode_to_set(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.ignores_tool_choice = True
    backend = OpenAIBackend(conf(server.url, tmp_path, mode="tools"))
    with pytest.raises(LLMError) as caught:
        backend.extract(read_article(SEED))
    assert server.requests == 1  # no re-ask of a model that answers prose
    assert "does not honour tool_choice" in str(caught.value)
    assert "EXTRACTOR_MODE=json_schema" in caught.value.hint


def test_failed_articles_count_in_the_summary_as_in_the_call_log(
    server: FakeOpenAI, tmp_path: Path
) -> None:
    server.fail_when("Токаев", "always:503")
    settings = conf(server.url, tmp_path, mode="tools", max_api_retries=1)
    summary = run_batch(SEEDS, tmp_path / "out", settings, progress=False)
    assert summary.failed >= 1
    log = call_log(tmp_path)
    assert summary.requests == len(log)
    assert summary.prompt_tokens == sum(int(str(r["prompt_tokens"])) for r in log)


# -- extractor check-endpoint ------------------------------------------------------------------
def test_check_endpoint_names_the_mode_to_set(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from extractor.cli import main

    server.ignores_tool_choice = True
    server.n_ctx = 4096
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    assert main(["check-endpoint", "--mode", "tools"]) == 2
    out = capsys.readouterr().out
    assert "EXTRACTOR_MODE=tools does not work here: set EXTRACTOR_MODE=json_schema" in out
    assert "4096 tokens" in out and server.url in out
    assert main(["check-endpoint", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "json_schema" and data["modes"]["tools"] is False
    assert len(server.probes) == 3  # probed once, the second command used the run's cache


def test_check_endpoint_on_a_wrong_url_says_which_and_how_to_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from extractor.cli import main

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    assert main(["check-endpoint"]) == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err and "OPENAI_BASE_URL" in err


def test_check_endpoint_trusts_openais_documentation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from extractor.cli import main

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert main(["check-endpoint"]) == 0  # the network is blocked: nothing was sent
    out = capsys.readouterr().out
    assert "documentation" in out and "EXTRACTOR_MODE=auto uses tools" in out
