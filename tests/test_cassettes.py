"""Recorded LLM exchanges replayed through the real openai + instructor stack, network blocked.

A change of prompt, schema or parsing that alters a request or a result fails here: requests
are matched on their JSON body, and results are compared with ``fixtures/expected``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from vcr.errors import CannotOverwriteExistingCassetteException

from evaluation.cassettes import CASSETTES, EXPECTED, ROOT, make_vcr, replay_settings
from extractor import extract
from extractor.errors import LLMError
from schemas.records import ArticleExtraction

STEMS = sorted(p.stem for p in CASSETTES.glob("*.yaml"))
REPLAY = replay_settings()


def replay(stem: str, cassette: Path) -> ArticleExtraction:
    with make_vcr().use_cassette(str(cassette)) as cass:
        # The public API, as a user calls it: extract(path) with the LLM backend's settings.
        result = extract(Path("seeds") / f"{stem}.txt", settings=REPLAY)
        assert cass.all_played, f"{cassette.name} holds an exchange that was never played"
    return result


def test_every_seed_has_a_cassette_and_an_expected_result() -> None:
    seeds = sorted(p.stem for p in (ROOT / "seeds").glob("*.txt"))
    assert STEMS == seeds
    assert sorted(p.stem for p in EXPECTED.glob("*.json")) == seeds


@pytest.mark.parametrize("stem", STEMS)
def test_replay_matches_expected(stem: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = replay(stem, CASSETTES / f"{stem}.yaml")
    expected = json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))
    assert result.model_dump(mode="json") == expected


def test_reask_cassette_rejects_the_invented_figure_then_verifies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    stem = "001_d541d46272f33c54"
    data = yaml.safe_load((CASSETTES / f"{stem}.yaml").read_text(encoding="utf-8"))
    first, second = data["interactions"]
    first_answer = first["response"]["body"]["string"]["json"]["choices"][0]["message"][
        "tool_calls"
    ][0]
    assert "$2 млрд" in first_answer["function"]["arguments"]  # the invented figure
    feedback = json.dumps(second["request"]["body"]["json"]["messages"][-1], ensure_ascii=False)
    assert "2e+09 USD is not stated anywhere in the article" in feedback
    assert "«до $1 млрд»" in feedback  # the nearest candidate the validator named
    result = replay(stem, CASSETTES / f"{stem}.yaml")
    assert result.usage.requests == 2
    assert all(m.verification.status == "verified" for m in result.metrics)
    assert 2e9 not in [m.value for m in result.metrics]


@pytest.mark.parametrize(
    ("stem", "true", "false"),
    [
        ("002_c9d757a9d0d308ac", '"value": 1000000000', '"value": 10000000000'),
        ("000_dba7838aafb13389", '"value": 14,', '"value": 41,'),
        ("003_45fe030246717d5b", '"unit": "USD"', '"unit": "EUR"'),
    ],
)
def test_a_figure_changed_in_a_cassette_fails_the_replay(
    stem: str, true: str, false: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tampering with a recorded answer makes the validator re-ask, which the cassette lacks."""
    monkeypatch.chdir(ROOT)
    data = yaml.safe_load((CASSETTES / f"{stem}.yaml").read_text(encoding="utf-8"))
    call = data["interactions"][-1]["response"]["body"]["string"]["json"]["choices"][0]["message"][
        "tool_calls"
    ][0]
    args = json.dumps(json.loads(call["function"]["arguments"]), ensure_ascii=False)
    assert true in args
    call["function"]["arguments"] = args.replace(true, false, 1)
    tampered = tmp_path / "tampered.yaml"
    tampered.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(LLMError) as info:
        replay(stem, tampered)
    causes = []
    exc: BaseException | None = info.value
    while exc is not None:
        causes.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert any(isinstance(c, CannotOverwriteExistingCassetteException) for c in causes)


def test_fixtures_hold_no_secret() -> None:
    pattern = re.compile(r"authorization|bearer\s|sk-[A-Za-z0-9_-]{8,}|api[-_]key:", re.I)
    for path in (ROOT / "fixtures").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not pattern.search(text), f"{path} holds something like a key"


def test_debug_http_dumps_traffic_with_the_key_redacted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    stem = "003_45fe030246717d5b"
    settings = REPLAY.with_(debug_http=True, api_key="sk-debug-secret-0123456789")
    with make_vcr().use_cassette(str(CASSETTES / f"{stem}.yaml")):
        extract(Path("seeds") / f"{stem}.txt", settings=settings)
    err = capsys.readouterr().err
    assert ">>> POST https://api.openai.com/v1/chat/completions" in err
    assert "<<< 200" in err
    assert "authorization: [redacted]" in err
    assert "sk-debug-secret" not in err


def test_reask_cassette_rejects_a_participant_the_article_never_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    stem = "003_45fe030246717d5b"
    data = yaml.safe_load((CASSETTES / f"{stem}.yaml").read_text(encoding="utf-8"))
    first, second = data["interactions"]
    first_answer = first["response"]["body"]["string"]["json"]["choices"][0]["message"][
        "tool_calls"
    ][0]["function"]["arguments"]
    assert "Шавкат Мирзиёев" in first_answer  # a participant the article never names
    feedback = json.dumps(second["request"]["body"]["json"]["messages"][-1], ensure_ascii=False)
    assert "participants[2].name = 'Шавкат Мирзиёев' is not supported" in feedback
    assert "is not named in the article" in feedback
    result = replay(stem, CASSETTES / f"{stem}.yaml")
    assert result.usage.requests == 2
    names = [p.name for m in result.meetings for p in m.participants]
    assert "Шавкат Мирзиёев" not in names
    assert all(c.status != "unsupported" for m in result.meetings for c in m.checks)
    assert result.checked_records().meetings == result.meetings
