"""The Batch API engine through the real openai client, against the fake files + batches server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.backends.openai_batch import (
    batch_line,
    capture_request,
    parse_result_lines,
    split_lines,
)
from extractor.config import Settings
from extractor.engines.local import run_batch
from extractor.reading import read_article
from extractor.store import Store
from extractor.store.batch_jobs import BatchJobs
from tests.fake_batch_server import FakeBatchAPI, requests_needed
from tests.fake_openai_server import FakeOpenAI

pytestmark = [
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"]),
]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
RECORDS = ("meetings", "agreements", "metrics", "projects")


@pytest.fixture
def api() -> Iterator[FakeBatchAPI]:
    with FakeBatchAPI(step_s=0.02) as server:
        yield server


def conf(url: str, tmp_path: Path, **over: object) -> Settings:
    return Settings(
        backend="openai",
        api_key="test-key",
        base_url=url,
        mode="tools",  # as OpenAI's documented capabilities give under auto: no probe of the fake
        store_path=tmp_path / "extractor.db",
        batch_poll_seconds=0.02,
        max_api_retries=1,
        backoff_initial=0.01,
        backoff_max=0.02,
    ).with_(**over)


def outputs(folder: Path) -> dict[str, dict[str, object]]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def failures(folder: Path) -> list[dict[str, str]]:
    text = (folder / "failures.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_batch_lines_carry_the_live_request_and_give_the_live_records(
    api: FakeBatchAPI, tmp_path: Path
) -> None:
    with FakeOpenAI() as live:
        run_batch(SEEDS, tmp_path / "live", conf(live.url, tmp_path / "l"), progress=False)
        live_first = [b for b in live.received]

    summary = run_batch(
        SEEDS, tmp_path / "out", conf(api.url, tmp_path), progress=False, engine="batch-api"
    )

    assert (summary.written, summary.failed) == (len(SEEDS), 0)
    # the first request of every article, as the live path sent it over HTTP, is a batch body
    bodies = [line["body"] for line in api.lines_seen]
    for body in live_first:
        assert body in bodies
    assert all(line["url"] == "/v1/chat/completions" for line in api.lines_seen)
    live_out, batch_out = outputs(tmp_path / "live"), outputs(tmp_path / "out")
    for stem, result in batch_out.items():
        for kind in RECORDS:
            assert result[kind] == live_out[stem][kind], (stem, kind)
    # seed 001's first answer invents "$2 млрд" (and 003's names a participant the article does
    # not): re-asked in one follow-up batch, fixed there
    assert api.creates == 2
    fixed = batch_out["001_d541d46272f33c54"]
    assert fixed["usage"]["requests"] == 2
    assert all(m["verification"]["status"] == "verified" for m in fixed["metrics"])
    assert summary.saved_by_batch == pytest.approx(summary.cost)  # half price: saved = spent


def test_the_body_is_spliced_byte_for_byte(tmp_path: Path) -> None:
    settings = conf("http://127.0.0.1:9/v1", tmp_path)
    body = capture_request(settings, read_article(SEEDS[0]))
    line = batch_line("abc", body)
    assert body in line and line.endswith(b"}\n") and line.count(b"\n") == 1
    item = json.loads(line)
    assert item["custom_id"] == "abc" and item["body"] == json.loads(body)
    assert item["body"]["tools"][0]["function"]["name"]  # the schema travels with it


def test_files_split_at_the_request_and_size_limits() -> None:
    lines = [b"x" * 10 + b"\n"] * 25
    assert [len(p) for p in split_lines(lines, max_requests=10)] == [10, 10, 5]
    assert [len(p) for p in split_lines(lines, max_bytes=55)] == [5, 5, 5, 5, 5]
    with pytest.raises(ValueError, match="over the 5 limit"):
        list(split_lines(lines, max_bytes=5))


def test_result_lines_keep_the_apis_reason() -> None:
    content = (
        b'{"custom_id": "a", "response": {"status_code": 200, "body": {"choices": [{}]}}}\n'
        b'{"custom_id": "b", "response": null, "error": {"code": "batch_expired", '
        b'"message": "not executed in time"}}\n'
        b'{"custom_id": "c", "response": {"status_code": 500, "body": {"error": '
        b'{"message": "server error"}}}}\nnot json\n'
    )
    a, b, c = parse_result_lines(content)
    assert a.completion is not None and a.error is None
    assert b.error == "batch_expired: not executed in time"
    assert c.error == "HTTP 500: server error"


def test_a_figure_never_fixed_is_flagged_after_the_reask_bound(
    api: FakeBatchAPI, tmp_path: Path
) -> None:
    article = tmp_path / "in" / "invented.txt"
    article.parent.mkdir()
    article.write_text(SEEDS[2].read_text(encoding="utf-8") + "\nМАРКЕР-7\n", encoding="utf-8")
    api.invent.append("МАРКЕР-7")

    summary = run_batch(
        [article],
        tmp_path / "out",
        conf(api.url, tmp_path, max_reasks=2),
        progress=False,
        engine="batch-api",
    )

    assert summary.written == 1
    assert api.creates == 3  # the request, then two re-asks, each in its own batch
    result = outputs(tmp_path / "out")["invented"]
    assert result["usage"]["requests"] == 3
    [metric] = result["metrics"]
    assert metric["value"] == 987654321 and metric["verification"]["status"] != "verified"
    assert any("still failed validation after 2 re-asks" in w for w in result["warnings"])


def test_expired_items_are_resubmitted_and_failing_items_recorded(
    api: FakeBatchAPI, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i, seed in enumerate(SEEDS[2:]):
        (inputs / f"a{i}.txt").write_text(
            seed.read_text(encoding="utf-8") + f"\nвыпуск {i}\n", encoding="utf-8"
        )
    api.expire_next(1)  # the first batch answers one item, then expires
    api.fail_item("выпуск 2", "500", "500")  # this one's item fails each time it is sent

    summary = run_batch(
        [inputs], tmp_path / "out", conf(api.url, tmp_path), progress=False, engine="batch-api"
    )

    assert (summary.written, summary.failed) == (2, 1)
    [failure] = failures(tmp_path / "out")
    assert failure["path"].endswith("a2.txt") and failure["stage"] == "extract"
    assert "HTTP 500: The server had an error processing your request" in failure["error"]
    assert "re-run" in failure["hint"]
    sent = [line["custom_id"] for line in api.lines_seen]
    # 3 sent; 1 answered before the batch expired (a0); the 2 expired ones sent again, where a1
    # is answered and a2 fails with a 500: that was its second and last submission. An answer
    # the validator rejects is re-asked once per later batch (a1 is seed 003, whose curated
    # first answer names a participant the article does not): those are the re-asks below.
    a0, a1 = inputs / "a0.txt", inputs / "a1.txt"
    reasks = requests_needed(a0) - 1 + requests_needed(a1) - 1
    assert len(sent) == 3 + 2 + reasks and len(set(sent)) == 3 + reasks
    with Store(tmp_path / "extractor.db") as store:
        jobs = store.batches.jobs()
        states = {r[0]: r[2] for r in store.rows("batch_requests")[1]}
        names, rows = store.rows("call_log")
    # a1 is first answered in the second batch: each of its re-asks needs one batch more
    assert [j.status for j in jobs] == ["expired"] + ["completed"] * requests_needed(a1)
    assert sorted(states.values()) == ["done"] * (2 + reasks) + ["failed"]
    logged = [dict(zip(names, row, strict=True)) for row in rows]
    assert len(logged) == 2 + reasks and all(r["batch_id"] and r["custom_id"] for r in logged)
    assert all(r["cost"] > 0 for r in logged)


def test_cached_answers_are_not_sent_and_batch_answers_serve_live_runs(
    api: FakeBatchAPI, tmp_path: Path
) -> None:
    settings = conf(api.url, tmp_path)
    run_batch(SEEDS, tmp_path / "out1", settings, progress=False, engine="batch-api")
    creates, lines = api.creates, len(api.lines_seen)

    again = run_batch(
        SEEDS, tmp_path / "out2", settings, progress=False, engine="batch-api", force=True
    )
    live = run_batch(SEEDS, tmp_path / "out3", settings, progress=False, force=True)

    assert again.written == live.written == len(SEEDS)
    assert (api.creates, len(api.lines_seen)) == (creates, lines)  # nothing sent again
    assert api.chat_requests == 0  # the live path found every batch answer in the cache
    assert again.cost == 0 and again.saved_by_cache > 0
    assert (
        outputs(tmp_path / "out3")["001_d541d46272f33c54"]["metrics"]
        == (outputs(tmp_path / "out1")["001_d541d46272f33c54"]["metrics"])
    )


def test_live_answers_in_the_cache_are_not_sent_again(api: FakeBatchAPI, tmp_path: Path) -> None:
    settings = conf(api.url, tmp_path)
    run_batch(SEEDS[:2], tmp_path / "live", settings, progress=False)
    asked = api.chat_requests

    summary = run_batch(
        SEEDS[:2], tmp_path / "out", settings, progress=False, engine="batch-api", force=True
    )

    assert asked == 3  # seed 001 was re-asked live
    assert summary.written == 2 and api.creates == 0 and api.lines_seen == []
    assert summary.saved_by_cache > 0 and summary.cost == 0
    with Store(tmp_path / "extractor.db") as store:
        names, rows = store.rows("call_log")
    cached = [row[names.index("cached")] for row in rows]
    assert cached.count(0) == 3 and cached.count(1) == 3  # each cache hit logged, as live


def test_a_batch_created_but_not_recorded_is_found_not_created_again(
    api: FakeBatchAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between the API creating the batch and the store recording its id."""
    original = BatchJobs.set_batch

    class Killed(BaseException):
        pass

    def killed(self: BatchJobs, job_id: int, batch_id: str, status: str) -> None:
        raise Killed

    monkeypatch.setattr(BatchJobs, "set_batch", killed)
    with pytest.raises(Killed):
        run_batch(
            SEEDS[2:], tmp_path / "out", conf(api.url, tmp_path), progress=False, engine="batch-api"
        )
    assert api.creates == 1
    monkeypatch.setattr(BatchJobs, "set_batch", original)

    summary = run_batch(
        SEEDS[2:], tmp_path / "out", conf(api.url, tmp_path), progress=False, engine="batch-api"
    )

    assert summary.written == 3
    # adopted by its input file id, not created again; then one follow-up batch per round of
    # re-asks (a seed whose curated first answer the validator rejects needs one)
    rounds = max(requests_needed(seed) for seed in SEEDS[2:])
    assert api.creates == rounds
    with Store(tmp_path / "extractor.db") as store:
        [job, *follow_ups] = store.batches.jobs()
    assert job.batch_id == "batch_2" and job.status == "completed"
    assert [j.status for j in follow_ups] == ["completed"] * (rounds - 1)


def test_killed_before_the_upload_was_recorded_sends_the_requests_in_a_new_job(
    api: FakeBatchAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = BatchJobs.set_file

    class Killed(BaseException):
        pass

    def killed(self: BatchJobs, job_id: int, file_id: str) -> None:
        raise Killed

    monkeypatch.setattr(BatchJobs, "set_file", killed)
    with pytest.raises(Killed):
        run_batch(
            SEEDS[2:], tmp_path / "out", conf(api.url, tmp_path), progress=False, engine="batch-api"
        )
    monkeypatch.setattr(BatchJobs, "set_file", original)

    summary = run_batch(
        SEEDS[2:], tmp_path / "out", conf(api.url, tmp_path), progress=False, engine="batch-api"
    )

    # no batch was ever made of the first file: one for the requests, then one per round of
    # re-asks (a seed whose curated first answer the validator rejects needs one)
    rounds = max(requests_needed(seed) for seed in SEEDS[2:])
    assert summary.written == 3 and api.creates == rounds
    with Store(tmp_path / "extractor.db") as store:
        assert [j.status for j in store.batches.jobs()] == ["abandoned"] + ["completed"] * rounds


def test_the_fake_server_walks_a_batch_through_its_states(api: FakeBatchAPI) -> None:
    import openai

    client = openai.OpenAI(api_key="test-key", base_url=api.url, max_retries=0)
    line = batch_line("x", json.dumps({"model": "m", "messages": []}).encode())
    uploaded = client.files.create(file=("in.jsonl", line), purpose="batch")
    batch = client.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    seen = [batch.status]
    while seen[-1] != "completed":
        status = client.batches.retrieve(batch.id).status
        if status != seen[-1]:
            seen.append(status)
    assert seen == ["validating", "in_progress", "finalizing", "completed"]
    done = client.batches.retrieve(batch.id)
    assert done.request_counts is not None and done.request_counts.completed == 1
    assert done.output_file_id is not None
    [result] = parse_result_lines(client.files.content(done.output_file_id).content)
    assert result.custom_id == "x" and result.completion is not None
    bad = client.files.create(file=("bad.jsonl", b'{"custom_id": "y"}\n'), purpose="batch")
    failed = client.batches.create(
        input_file_id=bad.id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    assert failed.status == "failed" and failed.errors is not None
    client.close()


def test_a_batch_queue_limit_sends_the_run_in_waves(api: FakeBatchAPI, tmp_path: Path) -> None:
    settings = conf(api.url, tmp_path)
    body = capture_request(settings, read_article(SEEDS[2]))
    one_request = int(len(body) / 2.5) + 1  # the engine's generous token estimate
    summary = run_batch(
        SEEDS[2:],
        tmp_path / "out",
        settings.with_(batch_queue_tokens=int(one_request * 1.5)),
        progress=False,
        engine="batch-api",
    )
    assert summary.written == 3
    # one request per wave, two never fit under the queue together: a batch per request, the
    # re-asks of a first answer the validator rejects included
    requests = sum(requests_needed(seed) for seed in SEEDS[2:])
    assert api.creates == requests
    with Store(tmp_path / "extractor.db") as store:
        assert [j.requests for j in store.batches.jobs()] == [1] * requests
