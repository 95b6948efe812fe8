"""Batch API bookkeeping: every input file and batch id, and the state of every request.

A row is written before the call it describes can have an effect elsewhere, and updated the
moment it returns, each in its own transaction: a run killed at any instant finds, when started
again, which requests were queued, which file was uploaded and which batch was created, so it
polls the batches it already paid for instead of submitting them twice.

Request states: ``queued`` (in a job not yet created as a batch), ``sent`` (in a created batch),
``done`` (its answer is in the response cache), ``error`` (its item failed; sent again by the
next round while submissions remain), ``failed`` (failed for good; ``error`` holds the API's
reason). The request key is the response-cache key and the batch line's ``custom_id``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from extractor.store.database import Database, insert
from extractor.store.scrubbing import scrub, to_json

TERMINAL = ("completed", "failed", "expired", "cancelled")


@dataclass(frozen=True)
class Job:
    """One input file and the batch made from it."""

    id: int
    model: str
    requests: int
    bytes: int
    file_id: str | None
    batch_id: str | None
    status: str
    total: int
    completed: int
    failed: int
    cost: float
    ingested: bool
    created: float


@dataclass(frozen=True)
class RequestState:
    """Where one request stands."""

    key: str
    job_id: int | None
    state: str
    submissions: int
    error: str | None


@dataclass(frozen=True)
class Answered:
    """A finished item: its completion, tokens and cost at the batch price."""

    key: str
    request: dict[str, Any]
    completion: dict[str, Any]
    prompt_tokens: int
    completion_tokens: int
    cost: float


_JOB_COLUMNS = (
    "id, model, requests, bytes, file_id, batch_id, status, total, completed, failed, cost, "
    "ingested, created"
)


class BatchJobs:
    """The ``batch_jobs`` and ``batch_requests`` tables."""

    def __init__(self, database: Database) -> None:
        """Keep the bookkeeping of ``database``."""
        self._database = database

    # -- requests ---------------------------------------------------------------------------
    def request(self, key: str) -> RequestState | None:
        """The state of one request, or None when it was never queued."""
        rows = self._database.query(
            "SELECT key, job_id, state, submissions, error FROM batch_requests WHERE key = ?",
            (key,),
        )
        return RequestState(*rows[0]) if rows else None

    def is_done(self, key: str) -> bool:
        """True when a batch answered this request."""
        state = self.request(key)
        return state is not None and state.state == "done"

    def job_keys(self, job_id: int) -> list[str]:
        """The request keys of one job."""
        return [
            r[0]
            for r in self._database.query(
                "SELECT key FROM batch_requests WHERE job_id=?", (job_id,)
            )
        ]

    # -- jobs -------------------------------------------------------------------------------
    def new_job(self, model: str, keys: list[str], size: int) -> int:
        """Record a job and queue its requests in it, before its file is uploaded."""
        now = time.time()
        with self._database.transaction() as db:
            job_id = insert(
                db,
                "batch_jobs",
                {
                    "model": model,
                    "requests": len(keys),
                    "bytes": size,
                    "status": "building",
                    "total": len(keys),
                    "created": now,
                    "updated": now,
                },
            )
            for key in keys:
                db.execute(
                    "INSERT INTO batch_requests (key, job_id, state, submissions, updated) "
                    "VALUES (?, ?, 'queued', 1, ?) ON CONFLICT(key) DO UPDATE SET "
                    "job_id=excluded.job_id, state='queued', error=NULL, "
                    "submissions=batch_requests.submissions + 1, updated=excluded.updated",
                    (key, job_id, now),
                )
        return job_id

    def set_file(self, job_id: int, file_id: str) -> None:
        """The job's input file is uploaded."""
        self._update(job_id, file_id=file_id, status="uploaded")

    def set_batch(self, job_id: int, batch_id: str, status: str) -> None:
        """The job's batch is created: its requests are sent."""
        now = time.time()
        with self._database.transaction() as db:
            db.execute(
                "UPDATE batch_jobs SET batch_id=?, status=?, updated=? WHERE id=?",
                (batch_id, status, now, job_id),
            )
            db.execute(
                "UPDATE batch_requests SET state='sent', updated=? WHERE job_id=? "
                "AND state='queued'",
                (now, job_id),
            )

    def abandon(self, job_id: int) -> None:
        """A job whose file never reached the API: its requests are sent again in a new job."""
        now = time.time()
        with self._database.transaction() as db:
            db.execute(
                "UPDATE batch_jobs SET status='abandoned', ingested=1, updated=? WHERE id=?",
                (now, job_id),
            )
            db.execute(
                "UPDATE batch_requests SET state='error', error='never uploaded', "
                "submissions=submissions - 1, updated=? WHERE job_id=? AND state='queued'",
                (now, job_id),
            )

    def retry_failed(self) -> int:
        """Give requests that failed for good another chance (a new run); return how many."""
        with self._database.transaction() as db:
            cur = db.execute(
                "UPDATE batch_requests SET state='error', submissions=0, updated=? "
                "WHERE state='failed'",
                (time.time(),),
            )
            return int(cur.rowcount)

    def set_status(self, job_id: int, status: str, counts: dict[str, int]) -> None:
        """The batch's latest status and request counts, as the API reported them."""
        self._update(job_id, status=status, **counts)

    def _update(self, job_id: int, **values: Any) -> None:
        values["updated"] = time.time()
        assignments = ", ".join(f"{name}=?" for name in values)
        with self._database.transaction() as db:
            db.execute(
                f"UPDATE batch_jobs SET {assignments} WHERE id=?",  # noqa: S608
                (*values.values(), job_id),
            )

    def open_jobs(self) -> list[Job]:
        """Jobs whose results are not read yet (not uploaded, not created, or in flight)."""
        return self._jobs("WHERE ingested = 0 ORDER BY id")

    def jobs(self) -> list[Job]:
        """Every job, oldest first."""
        return self._jobs("ORDER BY id")

    def _jobs(self, where: str) -> list[Job]:
        rows = self._database.query(f"SELECT {_JOB_COLUMNS} FROM batch_jobs {where}")  # noqa: S608
        return [
            Job(
                id=r[0],
                model=r[1],
                requests=r[2],
                bytes=r[3],
                file_id=r[4],
                batch_id=r[5],
                status=r[6],
                total=r[7],
                completed=r[8],
                failed=r[9],
                cost=r[10],
                ingested=bool(r[11]),
                created=r[12],
            )
            for r in rows
        ]

    # -- results ----------------------------------------------------------------------------
    def ingest(
        self,
        job: Job,
        answered: list[Answered],
        errors: dict[str, str],
        max_submissions: int,
    ) -> None:
        """Read a finished batch: answers into the cache and call log, errors kept, in one go.

        One transaction, so a run killed while reading a batch reads all of it again.
        An errored request is sent again by the next round while it has been submitted fewer
        than ``max_submissions`` times; after that it has failed, with the API's reason.
        """
        now = time.time()
        with self._database.transaction() as db:
            for a in answered:
                db.execute("DELETE FROM response_cache WHERE key = ?", (a.key,))
                insert(
                    db,
                    "response_cache",
                    {"key": a.key, "response": to_json(scrub(a.completion)), "created": now},
                )
                insert(
                    db,
                    "call_log",
                    {
                        "ts": now,
                        "model": job.model,
                        "attempt": 1,
                        "cached": 0,
                        "latency_s": now - job.created,
                        "prompt_tokens": a.prompt_tokens,
                        "completion_tokens": a.completion_tokens,
                        "error": None,
                        "request": to_json(scrub(a.request)),
                        "response": to_json(scrub(a.completion)),
                        "batch_id": job.batch_id,
                        "custom_id": a.key,
                        "cost": a.cost,
                    },
                )
                db.execute(
                    "UPDATE batch_requests SET state='done', error=NULL, updated=? WHERE key=?",
                    (now, a.key),
                )
            for key, reason in errors.items():
                db.execute(
                    "UPDATE batch_requests SET state = CASE WHEN submissions >= ? THEN 'failed' "
                    "ELSE 'error' END, error=?, updated=? WHERE key=? AND state != 'done'",
                    (max_submissions, scrub(reason), now, key),
                )
            db.execute(
                "UPDATE batch_jobs SET ingested=1, prompt_tokens=?, completion_tokens=?, cost=?, "
                "updated=? WHERE id=?",
                (
                    sum(a.prompt_tokens for a in answered),
                    sum(a.completion_tokens for a in answered),
                    sum(a.cost for a in answered),
                    now,
                    job.id,
                ),
            )
