"""The LLM path through the real openai + instructor stack, answers served by httpx2.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from extractor import extract_text
from extractor.backends.base import Exchange
from extractor.backends.openai import OpenAIBackend, retry_after_seconds
from extractor.config import Settings
from extractor.errors import ConfigError, LLMError
from schemas.enums import VerificationStatus
from tests.llm_answers import completion, metric, records

ARTICLE = (
    "Товарооборот между странами превысил 1,5 млрд долларов, увеличившись на 14%. "
    "Стороны договорились довести его до 3 млрд долларов."
)
GOOD = records(
    [
        metric(
            "товарооборот",
            1.5e9,
            "USD",
            "Товарооборот между странами превысил 1,5 млрд долларов",
            qualifier="more_than",
        )
    ]
)
INVENTED = records(
    [metric("товарооборот", 2.5e9, "USD", "Товарооборот между странами превысил 1,5 млрд долларов")]
)

Handler = Callable[[httpx2.Request], httpx2.Response]


def settings(**over: Any) -> Settings:
    base: dict[str, Any] = dict(
        backend="openai",
        api_key="sk-test-secret-0123456789abcdef",
        base_url="https://llm.invalid/v1",
        model="test-model",
        mode="tools",
        backoff_initial=0.001,
        backoff_max=0.01,
    )
    base.update(over)
    return Settings(**base)


def serve(
    *responses: httpx2.Response | dict[str, Any],
) -> tuple[httpx2.Client, list[httpx2.Request]]:
    seen: list[httpx2.Request] = []
    queue = list(responses)

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        item = queue.pop(0)
        return item if isinstance(item, httpx2.Response) else httpx2.Response(200, json=item)

    return httpx2.Client(transport=httpx2.MockTransport(handler)), seen


def test_verified_figure_passes_first_time() -> None:
    client, seen = serve(completion(GOOD))
    result = extract_text(ARTICLE, backend=OpenAIBackend(settings(), http_client=client))
    assert len(seen) == 1
    [m] = result.metrics
    assert m.verification.status is VerificationStatus.verified
    assert ARTICLE[m.verification.start : m.verification.end] == "превысил 1,5 млрд долларов"
    assert result.usage.requests == 1 and result.usage.total_tokens == 150
    assert result.backend == "openai" and result.prompt_version


def test_invented_figure_is_reasked_with_the_nearest_candidate() -> None:
    client, seen = serve(completion(INVENTED, tokens=(100, 40)), completion(GOOD, tokens=(180, 50)))
    result = extract_text(ARTICLE, backend=OpenAIBackend(settings(), http_client=client))
    assert len(seen) == 2
    reask = json.loads(seen[1].content)["messages"]
    feedback = json.dumps(reask, ensure_ascii=False)
    assert "2.5e+09 USD is not stated" in feedback
    assert "1,5 млрд долларов" in feedback  # the nearest candidate, named
    assert result.metrics[0].verification.status is VerificationStatus.verified
    # usage summed over both attempts, the failed one included
    assert result.usage.requests == 2
    assert result.usage.prompt_tokens == 280 and result.usage.completion_tokens == 90


def test_reasks_are_bounded_and_the_last_answer_is_kept_unverified() -> None:
    client, seen = serve(*[completion(INVENTED)] * 3)
    result = extract_text(
        ARTICLE, backend=OpenAIBackend(settings(max_reasks=2), http_client=client)
    )
    assert len(seen) == 3  # first answer + 2 re-asks
    [m] = result.metrics
    assert m.verification.status in (VerificationStatus.mismatch, VerificationStatus.not_found)
    assert m.verification.reason and "2.5e+09" in m.verification.reason
    assert result.verified_metrics() == []
    assert any("re-asks" in w for w in result.warnings)
    assert result.usage.requests == 3


def test_article_text_is_never_rendered_as_a_template() -> None:
    article = (
        "Курс {{ 7*7 }} и {% if x %}шаблон{% endif %} {# комментарий #} остаются как есть: 14%."
    )
    client, seen = serve(completion(records()))
    extract_text(article, backend=OpenAIBackend(settings(), http_client=client))
    user = json.loads(seen[0].content)["messages"][1]["content"]
    assert article in user


def test_rate_limit_is_retried_after_retry_after() -> None:
    limited = httpx2.Response(
        429, headers={"retry-after": "0"}, json={"error": {"message": "slow down"}}
    )
    client, seen = serve(limited, completion(GOOD))
    result = extract_text(ARTICLE, backend=OpenAIBackend(settings(), http_client=client))
    assert len(seen) == 2
    assert result.usage.requests == 2
    assert result.metrics[0].verification.status is VerificationStatus.verified


def test_server_errors_are_retried_a_bounded_number_of_times() -> None:
    down = httpx2.Response(503, json={"error": {"message": "unavailable"}})
    client, seen = serve(*[down] * 10)
    with pytest.raises(LLMError, match="HTTP 503"):
        extract_text(
            ARTICLE, backend=OpenAIBackend(settings(max_api_retries=2), http_client=client)
        )
    assert len(seen) == 3


def test_authentication_error_is_not_retried_and_says_what_to_fix() -> None:
    denied = httpx2.Response(401, json={"error": {"message": "bad key"}})
    client, seen = serve(denied, completion(GOOD))
    with pytest.raises(LLMError) as info:
        extract_text(ARTICLE, backend=OpenAIBackend(settings(), http_client=client))
    assert len(seen) == 1
    assert "OPENAI_API_KEY" in str(info.value)


def test_missing_key_is_a_config_error_with_the_fix() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        OpenAIBackend(Settings(backend="openai"))


def test_call_log_never_holds_the_key() -> None:
    log: list[Exchange] = []
    client, seen = serve(completion(INVENTED), completion(GOOD))
    extract_text(
        ARTICLE, backend=OpenAIBackend(settings(), http_client=client, call_log=log.append)
    )
    assert [e.attempt for e in log] == [1, 1]
    assert seen[0].headers["authorization"].endswith("0123456789abcdef")  # it was sent...
    dumped = json.dumps([e.__dict__ for e in log], ensure_ascii=False, default=str)
    assert "sk-test-secret" not in dumped  # ...but never logged


@pytest.mark.parametrize(("header", "expected"), [("2", 2.0), ("0.5", 0.5), ("soon", None)])
def test_retry_after_header_is_read(header: str, expected: float | None) -> None:
    request = httpx2.Request("POST", "https://llm.invalid/v1/chat/completions")
    exc = type(
        "E",
        (),
        {"response": httpx2.Response(429, headers={"retry-after": header}, request=request)},
    )()
    assert retry_after_seconds(exc) == expected


async def test_async_path_matches_the_sync_path() -> None:
    from extractor import aextract_text

    seen: list[httpx2.Request] = []
    queue = [completion(INVENTED), completion(GOOD)]

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json=queue.pop(0))

    client = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    result = await aextract_text(
        ARTICLE, backend=OpenAIBackend(settings(), async_http_client=client)
    )
    assert len(seen) == 2
    assert result.metrics[0].verification.status is VerificationStatus.verified
    assert result.usage.requests == 2


def test_malformed_body_is_a_bounded_transport_retry_not_a_reask() -> None:
    broken = httpx2.Response(
        200, content=b'{"id": "x", "choices": [', headers={"content-type": "application/json"}
    )
    client, seen = serve(broken, broken, broken, broken)
    with pytest.raises(LLMError, match="HTTP body is not valid JSON"):
        extract_text(
            ARTICLE, backend=OpenAIBackend(settings(max_api_retries=2), http_client=client)
        )
    assert len(seen) == 3  # tenacity's bound; instructor never re-asked a transport fault


def test_malformed_body_then_a_good_answer_recovers() -> None:
    broken = httpx2.Response(200, content=b"not json", headers={"content-type": "application/json"})
    client, seen = serve(broken, completion(GOOD))
    result = extract_text(ARTICLE, backend=OpenAIBackend(settings(), http_client=client))
    assert len(seen) == 2
    assert result.metrics[0].verification.status is VerificationStatus.verified


def test_a_key_echoed_by_the_endpoint_never_reaches_errors_logs_or_the_call_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    echoed = "Incorrect API key provided: sk-proj-AbCdEf***************************wxyz."
    denied = httpx2.Response(401, json={"error": {"message": echoed, "code": "invalid_api_key"}})
    log: list[Exchange] = []
    client, _ = serve(denied)
    with caplog.at_level("DEBUG"), pytest.raises(LLMError) as info:
        extract_text(
            ARTICLE, backend=OpenAIBackend(settings(), http_client=client, call_log=log.append)
        )
    assert "sk-proj" not in str(info.value)
    assert "[redacted]" in str(info.value)
    assert all("sk-proj" not in (e.error or "") for e in log)
    assert "sk-proj" not in caplog.text


MEETING_ARTICLE = "Касым-Жомарт Токаев провел переговоры с Сердаром Бердымухамедовым в Ашхабаде."


def _meeting_answer(*names: str) -> dict[str, Any]:
    answer = records([])
    answer["meetings"] = [
        {
            "date": {"value": None, "precision": "unknown"},
            "location": {"city": "Ашхабад", "country": "TM"},
            "format": "talks",
            "participants": [{"name": n, "role": None, "country": None} for n in names],
            "topics": [],
            "evidence": [{"quote": MEETING_ARTICLE}],
        }
    ]
    return answer


def test_an_unsupported_field_is_reasked_and_kept_flagged_when_the_reasks_run_out() -> None:
    invented = _meeting_answer("Касым-Жомарт Токаев", "Ильхам Алиев")
    client, seen = serve(*[completion(invented)] * 3)
    result = extract_text(
        MEETING_ARTICLE, backend=OpenAIBackend(settings(max_reasks=2), http_client=client)
    )
    assert len(seen) == 3  # the same bound as for figures
    feedback = json.dumps(json.loads(seen[1].content)["messages"], ensure_ascii=False)
    assert "participants[1].name = 'Ильхам Алиев' is not supported" in feedback
    [meeting] = result.meetings  # kept, not dropped
    flagged = [c for c in meeting.checks if c.status == "unsupported"]
    assert [c.field for c in flagged] == ["participants[1].name"]
    assert result.checked_records().meetings == []  # never shown as a fact
    assert any("re-asks" in w for w in result.warnings)


def test_an_unsupported_field_fixed_by_the_reask_passes() -> None:
    client, seen = serve(
        completion(_meeting_answer("Касым-Жомарт Токаев", "Ильхам Алиев")),
        completion(_meeting_answer("Касым-Жомарт Токаев", "Сердар Бердымухамедов")),
    )
    result = extract_text(MEETING_ARTICLE, backend=OpenAIBackend(settings(), http_client=client))
    assert len(seen) == 2
    assert result.checked_records().meetings == result.meetings
    assert all(c.status != "unsupported" for c in result.meetings[0].checks)
