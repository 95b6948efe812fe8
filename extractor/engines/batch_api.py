"""The OpenAI Batch API engine: the live LLM path's requests, sent as batches at half price.

A run goes in rounds. Each round replays every unfinished article through the live path
(``extractor.backends.openai_batch``): an article whose answers are all known is finished
(verified, written, stored) exactly as a live run would; one that needs a request nobody
answered yet names it. The new requests are written into JSONL files (split at the API's
limits), uploaded and created as batches, and every file and batch id is stored the moment the
API returns it. The round then
polls until its batches end, reads their output and error files, and starts again: a
validation re-ask is simply the next request an article asks for, so it goes in the next
round's batch, up to the same ``EXTRACTOR_MAX_REASKS`` bound as live.

A run killed at any point and started again finds in the store which requests are in which
batch: it polls those instead of submitting them again. A batch created just before the kill,
whose id never reached the store, is found by its input file id in the API's list of batches.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from extractor.backends.base import Exchange
from extractor.backends.openai_batch import (
    Answer,
    BatchAPI,
    BatchState,
    Deferred,
    ItemFailed,
    ReplayCache,
    batch_line,
    parse_result_lines,
    replay_backend,
    split_lines,
)
from extractor.engines.files import fsync_dir
from extractor.engines.local import Batch
from extractor.engines.summary import BatchSummary
from extractor.errors import ConfigError
from extractor.pipeline import run as run_pipeline
from extractor.reading import Article
from extractor.store.batch_jobs import TERMINAL, Answered, Job

log = logging.getLogger(__name__)

# An item that errored (expired, 5xx, malformed) is sent at most this many times in all.
MAX_SUBMISSIONS = 2
_ITEM_HINT = (
    "the Batch API could not answer it; re-run to send it again (finished articles are "
    "skipped), or extract it live without --batch-api"
)


class BatchAPIRun(Batch):
    """One Batch API run over a list of inputs; ``await run.run()``."""

    def __init__(self, *args: Any, client: BatchAPI | None = None, **kwargs: Any) -> None:
        """Prepare the run (see ``Batch``); ``client`` talks to the files and batches API."""
        super().__init__(*args, **kwargs)
        if self.settings.resolved_backend() != "openai":
            raise ConfigError(
                "--batch-api needs the openai backend and none is configured",
                hint="set OPENAI_API_KEY (and OPENAI_BASE_URL for another endpoint)",
            )
        self.client = client or BatchAPI(self.settings)
        self.jobs = self.store.batches
        # Jobs of this run (created by it, or in flight when it started): their answers come
        # through the replay transport and count as spent; any other answer is a cache hit.
        self._run_jobs = {job.id for job in self.jobs.open_jobs()}
        self.cache = ReplayCache(self.store.cache if self.settings.cache else None, self._ours)
        self.replay = replay_backend(self.settings, self._lookup, self.cache)
        self._reserved: dict[str, float] = {}
        # This round's new request lines wait in a temporary file, not in memory (18 kB each:
        # 18 GB for a million); ``_lines`` keeps where each one is.
        self._spool: IO[bytes] | None = None
        self._lines: dict[str, tuple[int, int]] = {}
        self._sizes: dict[str, int] = {}
        self._cache_booked: set[str] = set()
        self.summary.engine = "batch-api"

    def _ours(self, key: str) -> bool:
        state = self.jobs.request(key)
        return state is not None and state.state == "done" and state.job_id in self._run_jobs

    def _lookup(self, key: str) -> Answer | None:
        state = self.jobs.request(key)
        if state is None:
            return None
        if state.state == "done":
            completion = self.store.cache.get(key)
            return None if completion is None else Answer(completion=completion)
        if state.state == "failed":
            return Answer(error=state.error)
        return None

    # -- the run ----------------------------------------------------------------------------
    async def run(self) -> BatchSummary:
        """Extract every input through batches; return what happened."""
        started = time.perf_counter()
        self.prepare()
        self.jobs.retry_failed()
        progress, task = self.progress_bar()
        try:
            with progress:
                todo: dict[Path, Article] = {}
                for path in self.inputs:
                    article = await self.open(path)
                    if article is None:
                        self.advance(progress, task)
                    else:
                        todo[path] = article
                while todo:
                    waiting = await self._replay(todo, lambda: self.advance(progress, task))
                    if not todo:
                        break
                    self.advance(progress, task, len(self._submit(waiting, todo)))
                    await self._wait()
        finally:
            self._close_spool()
            fsync_dir(self.out_dir)
            self.client.close()
            self.settle_summary(started)
        return self.summary

    async def _replay(self, todo: dict[Path, Article], advanced: Any) -> dict[str, list[Path]]:
        """Run every unfinished article through the live path; return what each still needs."""
        waiting: dict[str, list[Path]] = {}
        self._lines.clear()
        self._spool = tempfile.TemporaryFile(prefix="extractor-batch-")
        for path, article in list(todo.items()):
            try:
                result = run_pipeline(article, self.replay, self.settings.max_chunk_chars)
            except Deferred as deferred:
                key = deferred.key
                waiting.setdefault(key, []).append(path)
                self._sizes[key] = len(deferred.body)
                if key not in self._reserved and key not in self._lines:
                    line = batch_line(key, deferred.body)
                    self._lines[key] = (self._spool.tell(), len(line))
                    self._spool.write(line)
                continue
            except ItemFailed as failed:
                self._fail(
                    path, "extract", f"the Batch API item failed: {failed.reason}", _ITEM_HINT
                )
            except Exception as exc:
                self.extract_failed(path, exc)
            else:
                await self.finish(path, result, booked=True)
            del todo[path]
            advanced()
        self._book_cache_hits()
        return waiting

    def _book_cache_hits(self) -> None:
        for key, body in self.cache.hits.items():
            if key in self._cache_booked:
                continue
            self._cache_booked.add(key)
            usage = body.get("usage") or {}
            self.ledger.saved(
                int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
            )
            self.store.calls.log_exchange(  # as the live path logs a cache hit
                Exchange.cache_hit({"cache_key": key}, body, self.settings.model)
            )

    # -- submitting -------------------------------------------------------------------------
    def _submit(self, waiting: dict[str, list[Path]], todo: dict[Path, Article]) -> list[Path]:
        """Send what is not in flight, within the cost cap and the queue; return those capped.

        With ``EXTRACTOR_BATCH_QUEUE_TOKENS`` (the tier's enqueued-token limit), a request that
        would pass it waits for a later round: the run goes in waves. Bytes of the open jobs'
        files stand for their tokens (generous: a Cyrillic character is two bytes).
        """
        open_jobs = self.jobs.open_jobs()
        uploaded = {job.id for job in open_jobs if job.file_id}
        limit = self.settings.batch_queue_tokens
        queued = sum(self.ledger.prompt_tokens(job.bytes) for job in open_jobs)
        send: list[str] = []
        capped: list[Path] = []
        for key, paths in waiting.items():
            if key in self._reserved:
                continue
            state = self.jobs.request(key)
            in_flight = state is not None and (
                state.state == "sent" or (state.state == "queued" and state.job_id in uploaded)
            )
            size = self._sizes[key]
            estimate = self.ledger.estimate(size, batch=True)
            if in_flight:
                self.ledger.committed += estimate  # already paid for: never refused
            else:
                tokens = self.ledger.prompt_tokens(size)
                if limit and queued + tokens > limit and (queued or send):
                    continue  # over the batch queue: a later wave sends it
                if not self.ledger.reserve(estimate):
                    for path in paths:
                        self.cap_skip(path, estimate)
                        todo.pop(path, None)
                        capped.append(path)
                    continue
                queued += tokens
                send.append(key)
            self._reserved[key] = estimate
        keys = iter(send)
        try:
            for part in split_lines(self._line(key) for key in send):
                part_keys = [next(keys) for _ in part]
                self._create(part_keys, b"".join(part))
        finally:
            self._close_spool()
        return capped

    def _line(self, key: str) -> bytes:
        """A request line of this round, read back from the spool."""
        offset, length = self._lines[key]
        if self._spool is None:  # pragma: no cover - _replay opens it before every _submit
            raise RuntimeError("no spool: replay the round first")
        self._spool.seek(offset)
        return self._spool.read(length)

    def _close_spool(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        self._lines.clear()

    def _create(self, keys: list[str], content: bytes) -> None:
        """Record the job, upload its file, create its batch: each id stored at once."""
        job_id = self.jobs.new_job(self.settings.model, keys, len(content))
        self._run_jobs.add(job_id)
        file_id = self.client.upload(f"extract-{job_id}.jsonl", content)
        self.jobs.set_file(job_id, file_id)
        log.info("job %s: %s requests, %s bytes in %s", job_id, len(keys), len(content), file_id)
        self._create_batch(job_id, file_id)

    def _create_batch(self, job_id: int, file_id: str) -> None:
        batch = self.client.create(file_id, {"job": str(job_id), "tool": "ca-extractor"})
        self.jobs.set_batch(job_id, batch.id, batch.status)

    def _adopt_or_create(self, job: Job) -> None:
        """A job uploaded but with no batch id stored: find its batch, else create it."""
        if job.file_id is None:
            return
        found = self.client.find(job.file_id)
        if found is not None:
            log.info("job %s: found its batch %s created before a restart", job.id, found.id)
            self.jobs.set_batch(job.id, found.id, found.status)
            return
        self._create_batch(job.id, job.file_id)

    # -- waiting and reading ----------------------------------------------------------------
    async def _wait(self) -> None:
        """Poll every open job until its batch ends, then read its results."""
        while True:
            open_jobs = self.jobs.open_jobs()
            for job in open_jobs:
                if job.file_id is None:  # killed before the upload returned: sent again anew
                    self.jobs.abandon(job.id)
                elif job.batch_id is None:
                    self._adopt_or_create(job)
            pending = False
            for job in self.jobs.open_jobs():
                if job.batch_id is None:
                    continue
                batch = self.client.retrieve(job.batch_id)
                self.jobs.set_status(
                    job.id,
                    batch.status,
                    {"total": batch.total, "completed": batch.completed, "failed": batch.failed},
                )
                if batch.status in TERMINAL:
                    self._ingest(job, batch)
                else:
                    pending = True
            if not pending:
                return
            await asyncio.sleep(self.settings.batch_poll_seconds)

    def _ingest(self, job: Job, batch: BatchState) -> None:
        """Read a finished batch's output and error files into the store and the ledger."""
        results = []
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                results.extend(parse_result_lines(self.client.content(file_id)))
        keys = set(self.jobs.job_keys(job.id))
        answered: list[Answered] = []
        errors: dict[str, str] = {}
        for item in results:
            if item.custom_id not in keys:
                continue
            if item.completion is None:
                errors[item.custom_id] = item.error or "no answer"
                continue
            usage = item.completion.get("usage") or {}
            prompt, completion = (
                int(usage.get("prompt_tokens") or 0),
                int(usage.get("completion_tokens") or 0),
            )
            answered.append(
                Answered(
                    key=item.custom_id,
                    request=self._logged_request(item.custom_id, job),
                    completion=item.completion,
                    prompt_tokens=prompt,
                    completion_tokens=completion,
                    cost=self.ledger.spend(prompt, completion, batch=True),
                )
            )
        for key in keys - {a.key for a in answered} - set(errors):
            errors[key] = batch.reason
        self.jobs.ingest(job, answered, errors, MAX_SUBMISSIONS)
        for key in keys:
            self.ledger.release(self._reserved.pop(key, 0.0))
        log.info(
            "batch %s %s: %s answered, %s errored",
            batch.id,
            batch.status,
            len(answered),
            len(errors),
        )

    @staticmethod
    def _logged_request(key: str, job: Job) -> dict[str, Any]:
        """Where the call log finds a batch request: its input file (not 18 kB per request)."""
        return {"custom_id": key, "batch_id": job.batch_id, "input_file_id": job.file_id}
