"""The LLM path against a real llama.cpp ``llama-server`` running Gemma 3 270M on 127.0.0.1.

The model is far too small to extract well: these tests assert the protocol — a valid
``ArticleExtraction`` with usage counted, or a clean failure with the right reason — never the
content. Articles are tiny and answers short, so the whole file takes a minute or two on 2 cores.
Deselect with ``-m 'not live and not realserver'``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.backends.llm import capabilities
from extractor.backends.openai import OpenAIBackend
from extractor.config import Settings
from extractor.engines.local import run_batch
from extractor.errors import LLMError
from extractor.reading import article_from_text
from extractor.store import Store
from tests.llama_server import CONTEXT

pytestmark = [
    pytest.mark.realserver,
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"]),
    pytest.mark.timeout(240),
]

TINY = (
    "Товарооборот между Казахстаном и Туркменистаном составил 500 млн долларов, "
    "сообщил министр торговли."
)


@pytest.fixture(autouse=True)
def _keep_probes() -> Iterator[None]:
    yield  # the probe of the session's server is kept: one probe per run, as in production


def conf(server: Any, tmp_path: Path, **over: object) -> Settings:
    values: dict[str, object] = {
        "backend": "openai",
        "base_url": server.url,
        "model": "gemma-3-270m",
        "timeout": 120.0,
        "max_api_retries": 1,
        "max_reasks": 0,
        "concurrency": 1,
        "max_output_tokens": 96,
        "store_path": tmp_path / "extractor.db",
    }
    values.update(over)
    return Settings(**values)  # type: ignore[arg-type]


def test_the_probe_finds_json_schema_and_the_context_and_refuses_tool_choice(
    llama_server: Any, tmp_path: Path
) -> None:
    backend = OpenAIBackend(conf(llama_server, tmp_path))
    caps = backend.capabilities()
    assert caps.source == "probed"
    assert caps.context_tokens == CONTEXT
    assert caps.modes["json_schema"] is True
    assert caps.modes["json_object"] is True  # JSON-constrained, even when cut at the probe limit
    assert caps.modes["tools"] is False, "llama-server reads tool_choice only as a string"
    assert backend.resolve_mode() == "json_schema"
    assert len(caps.exchanges) == 3
    assert all(ex.prompt_tokens > 0 for ex in caps.exchanges if ex.error is None)


def test_an_article_in_auto_mode_comes_out_valid_or_fails_cleanly_with_usage_counted(
    llama_server: Any, tmp_path: Path
) -> None:
    article = tmp_path / "tiny.txt"
    article.write_text(TINY, encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([article], out, conf(llama_server, tmp_path), progress=False)
    with Store(tmp_path / "extractor.db") as store:
        names, rows = store.rows("call_log")
    log = [dict(zip(names, row, strict=True)) for row in rows]
    assert summary.requests == len(log) >= 1
    assert summary.completion_tokens == sum(int(str(r["completion_tokens"])) for r in log)
    sent = [r for r in log if '"response_format"' in str(r["request"])]
    assert sent and all('"max_tokens": 96' in str(r["request"]) for r in sent)
    if summary.written:
        from schemas.records import ArticleExtraction

        result = ArticleExtraction.model_validate_json((out / "tiny.json").read_text())
        assert result.usage.requests >= 1 and result.usage.completion_tokens > 0
    else:  # the small model's answer did not fit 96 tokens: a clean, named failure
        [failure] = summary.failures
        assert llama_server.url in failure["error"]
        assert "cut" in failure["error"] and "EXTRACTOR_MAX_OUTPUT_TOKENS" in failure["hint"]


def test_a_cut_answer_is_seen_as_truncated_and_its_tokens_counted(
    llama_server: Any, tmp_path: Path
) -> None:
    backend = OpenAIBackend(conf(llama_server, tmp_path, mode="json_schema", max_output_tokens=16))
    with pytest.raises(LLMError) as caught:
        backend.extract(article_from_text(TINY))
    assert "cut" in str(caught.value) and llama_server.url in str(caught.value)
    usage = caught.value.usage
    assert usage is not None and usage.requests == 1 and 0 < usage.completion_tokens <= 16


def test_tools_mode_is_refused_naming_json_schema(llama_server: Any, tmp_path: Path) -> None:
    backend = OpenAIBackend(conf(llama_server, tmp_path, mode="tools", max_output_tokens=24))
    with pytest.raises(LLMError) as caught:
        backend.extract(article_from_text(TINY))
    assert "does not honour tool_choice" in str(caught.value)
    assert "EXTRACTOR_MODE=json_schema" in caught.value.hint
    assert caught.value.usage is not None and caught.value.usage.requests >= 1


def test_a_malformed_request_is_a_permanent_error_with_the_servers_message(
    llama_server: Any, tmp_path: Path
) -> None:
    import openai

    from extractor.backends.llm.errors import describe, hint, is_transient

    client = openai.OpenAI(api_key="no-key", base_url=llama_server.url, max_retries=0)
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "x"}],
            response_format={"type": "xml"},  # type: ignore[typeddict-item]
            max_tokens=4,
        )
    assert not is_transient(caught.value)
    assert "response_format type must be one of" in describe(caught.value, llama_server.url)
    assert "EXTRACTOR_MODE" in hint(caught.value)
    capabilities.forget()  # leave no probe of this server behind for another session
