"""Batch runs that lose nothing: concurrency, rate limit, resume, atomic writes, failures record.

Every input ends as ``OUT/<stem>.json`` or as one line of ``OUT/failures.jsonl``
(``{path, stage, error, hint}``). Output files are written to a temporary file, fsynced and
renamed over the target, so a run killed at any instant (even SIGKILL) leaves either the whole
previous file or the whole new one. A re-run skips every article whose output was made from the
same text (sha256) by a backend of the same identity (``BackendIdentity``: backend, model, rules
or prompt version, structured-output mode, schema version), and retries the rest;
failures of earlier runs for the inputs of this run are dropped before it starts, so the file
always describes the latest attempt.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from extractor.backends import backend_identity, get_backend
from extractor.backends.base import Backend, BackendIdentity, Exchange
from extractor.config import Settings
from extractor.engines.cost import SKIP_HINT, CostLedger
from extractor.engines.files import (
    FAILURES,
    FailureLog,
    collect_inputs,
    fsync_dir,
    output_names,
    write_atomic,
)
from extractor.engines.summary import BatchSummary
from extractor.errors import ConfigError, ExtractorError, InputError
from extractor.lexicon.prices import load_prices
from extractor.pipeline import arun
from extractor.reading import Article, read_article
from extractor.store import Store
from schemas.records import ArticleExtraction, Usage

_HINTS = {
    "read": "fix or convert the file, then re-run: finished articles are skipped",
    "extract": "re-run later: finished articles are skipped and this one is retried",
    "write": "check free disk space and permissions of the output folder, then re-run",
    "cost-cap": SKIP_HINT,
}


def cost_usd(
    model: str, prompt_tokens: int, completion_tokens: int, *, batch: bool = False
) -> float | None:
    """Price of the tokens for a known model, in USD; None when the model's price is unknown."""
    return load_prices().cost(model, prompt_tokens, completion_tokens, batch=batch)


# -- rate limit -----------------------------------------------------------------------------
class RateLimiter:
    """At most ``rpm`` acquisitions per minute: each one at least ``60 / rpm`` s after the last."""

    def __init__(self, rpm: float) -> None:
        """Allow ``rpm`` requests per minute.

        Raises:
            ConfigError: ``rpm`` is not positive.
        """
        if rpm <= 0:
            raise ConfigError(
                f"requests per minute must be positive, not {rpm}", hint="use --rpm 60"
            )
        self.interval = 60.0 / rpm
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until the next request may start."""
        # The next slot is booked from the moment this one really starts, not from when it was
        # due: a late wake-up (a busy loop) must not make the following gap shorter.
        loop = asyncio.get_running_loop()
        async with self._lock:
            wait = self._next - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next = loop.time() + self.interval

    async def hook(self, request: object) -> None:
        """An HTTP request hook: every request (retries, re-asks) waits its turn."""
        await self.acquire()


# -- the run --------------------------------------------------------------------------------
def is_current(existing: dict[str, Any], sha256: str, identity: BackendIdentity) -> bool:
    """Tell whether an output (as parsed JSON) was made from this text by a backend of this identity.

    The one rule of resume: the text's sha256 and every part of the identity must match.
    """
    source = existing.get("source")
    return isinstance(source, dict) and source.get("sha256") == sha256 and identity.made(existing)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class Batch:
    """One batch run over a list of inputs; build it, then ``await batch.run()``."""

    def __init__(
        self,
        inputs: Sequence[Path],
        out_dir: Path,
        settings: Settings,
        *,
        store: Store,
        backend: Backend | None = None,
        force: bool = False,
        console: Console | None = None,
        progress: bool = True,
    ) -> None:
        """Prepare the run; nothing is read or sent until ``run``."""
        self.inputs = list(inputs)
        self.out_dir = out_dir
        self.settings = settings
        self.store = store
        self.force = force
        self.console = console or Console(stderr=True)
        self.show_progress = progress
        self.summary = BatchSummary(total=len(self.inputs), model=settings.model)
        self.ledger = CostLedger.for_run(settings)
        self.summary.prices_as_of = self.ledger.prices.as_of
        self.summary.max_cost = settings.max_cost
        self._backend = backend
        self._built: Backend | None = None  # a backend this run built, and so closes
        self._limiter = (
            RateLimiter(settings.requests_per_minute) if settings.requests_per_minute else None
        )

    def _get_backend(self) -> Backend:
        """The backend, built on first use: a fully resumed run never loads models or clients."""
        if self._backend is None:
            self._backend = self._make_backend()
        return self._backend

    def _make_backend(self) -> Backend:
        """The backend the settings name, logging to the store; HTTP requests pass the limiter."""
        hooks = [self._limiter.hook] if self._limiter else []
        if self.settings.resolved_backend() == "openai":
            self._built = get_backend(
                self.settings,
                request_hooks=hooks,
                call_log=self._log_call,
                cache=self.store.cache if self.settings.cache else None,
            )
        else:
            self._built = get_backend(self.settings)
        return self._built

    def _log_call(self, exchange: Exchange) -> None:
        """The call log, and the cache's savings booked in the ledger."""
        self.store.calls.log_exchange(exchange)
        if exchange.cached:
            usage = (exchange.response or {}).get("usage") or {}
            self.ledger.saved(
                int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
            )

    def prepare(self) -> None:
        """Output folder, failures record, output names and the identity outputs must match."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.out_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)  # left by a killed run; its target is intact
        self.failures = FailureLog(self.out_dir / FAILURES, self.inputs)
        self.names = output_names(self.inputs)
        self.identity = backend_identity(self.settings, self._backend)
        self.summary.model = self.identity.model

    def progress_bar(self) -> tuple[Progress, TaskID]:
        """The progress bar of the run (disabled with ``progress=False``) and its task."""
        progress = Progress(
            TextColumn("[bold]extract"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("failed [red]{task.fields[failed]}"),
            TextColumn("tokens {task.fields[tokens]}"),
            TextColumn("{task.fields[cost]}"),
            TimeElapsedColumn(),
            console=self.console,
            disable=not self.show_progress,
            transient=False,
        )
        task = progress.add_task("extract", total=len(self.inputs), failed=0, tokens=0, cost="")
        return progress, task

    def advance(self, progress: Progress, task: TaskID, done: int = 1) -> None:
        """Move the bar by ``done`` finished inputs and show the running totals."""
        s = self.summary
        progress.update(
            task,
            advance=done,
            failed=s.failed + s.capped,
            tokens=s.tokens,
            cost="" if s.cost is None else f"${s.cost:.4f}",
        )

    async def run(self) -> BatchSummary:
        """Extract every input; return what happened. Never raises for one article's failure."""
        started = time.perf_counter()
        self.prepare()
        sem = asyncio.Semaphore(self.settings.concurrency)
        pending = iter(self.inputs)
        progress, task = self.progress_bar()

        async def worker() -> None:
            while (path := next(pending, None)) is not None:
                await self._one(path, sem)
                self.advance(progress, task)

        try:
            with progress:
                await asyncio.gather(*(worker() for _ in range(self.workers())))
        finally:
            fsync_dir(self.out_dir)
            if self._built is not None:
                await self._built.aclose()
            await self.close()
            self.settle_summary(started)
        return self.summary

    def workers(self) -> int:
        """How many articles are in flight at once."""
        return self.settings.concurrency

    async def close(self) -> None:
        """Release what the engine started (nothing for the local engine)."""

    async def open(self, path: Path) -> Article | None:
        """Read an input; None when it failed (recorded) or is already done (skipped)."""
        target = self.out_dir / self.names[path]
        try:
            article = read_article(path, today=self.settings.today)
        except InputError as exc:
            self._fail(path, "read", exc.problem, exc.hint)
            return None
        except Exception as exc:  # an unreadable file must not stop the batch
            self._fail(path, "read", f"{type(exc).__name__}: {exc}", "")
            return None
        try:
            reused = not self.force and await self._reuse(path, target, article)
        except Exception:  # a broken earlier output or store row: extract the article again
            reused = False
        return None if reused else article

    async def finish(self, path: Path, result: ArticleExtraction, *, booked: bool = False) -> None:
        """Write an article's output and store rows, and count it (or record the write failure).

        ``booked``: its cost is already in the ledger (the Batch API books each answer as it
        arrives), so only its tokens are counted here.
        """
        target = self.out_dir / self.names[path]
        try:
            # fsync takes milliseconds: off the event loop, so requests keep flowing meanwhile.
            await asyncio.to_thread(self._save, target, result)
        except Exception as exc:  # a full disk or a locked database: record it, go on
            self._fail(path, "write", f"{type(exc).__name__}: {exc}", "")
            return
        self.summary.written += 1
        self._count(result, booked=booked)

    def extract_failed(self, path: Path, exc: Exception) -> None:
        """Record an article whose extraction raised."""
        if isinstance(exc, ExtractorError):
            self._fail(path, "extract", str(exc.args[0]) if exc.args else str(exc), exc.hint)
            self._count_usage(getattr(exc, "usage", None))  # a failed article's attempts cost too
        else:  # one article's surprise must not stop the others
            self._fail(path, "extract", f"{type(exc).__name__}: {exc}", "")

    async def _one(self, path: Path, sem: asyncio.Semaphore) -> None:
        article = await self.open(path)
        if article is None:
            return
        estimate = self._reserve(path, article)
        if estimate is None:
            return
        try:
            result = await self._extract(article, self._get_backend(), sem)
        except Exception as exc:
            self.extract_failed(path, exc)
            return
        finally:
            self.ledger.release(estimate)
        await self.finish(path, result)

    def _reserve(self, path: Path, article: Article) -> float | None:
        """Commit the article's estimated cost under the cap; None (and recorded) when it won't fit.

        Only an LLM run with a cap estimates: the estimate is the exact request the live path
        would send (``openai_batch.capture_request``), made without sending anything.
        """
        if self.ledger.cap is None or self.identity.name != "openai":
            return 0.0
        from extractor.backends.openai_batch import capture_request

        chunks = 1 + len(article.text) // self.settings.max_chunk_chars
        chars = len(capture_request(self.settings, article)) * chunks
        estimate = self.ledger.estimate(chars)
        if not self.ledger.reserve(estimate):
            self.cap_skip(path, estimate)
            return None
        return estimate

    def cap_skip(self, path: Path, estimate: float) -> None:
        """Record an article not sent because of the cost cap, with the reason."""
        reason = self.ledger.skip_reason(estimate)
        self.failures.add(path, "cost-cap", reason, SKIP_HINT)
        self.summary.capped += 1
        self.summary.failures.append(
            {"path": str(path), "stage": "cost-cap", "error": reason, "hint": SKIP_HINT}
        )

    async def _extract(
        self, article: Article, backend: Backend, sem: asyncio.Semaphore
    ) -> ArticleExtraction:
        if self._limiter is not None and not self._hooked(backend):
            await self._limiter.acquire()  # a backend without HTTP hooks: one request per article
        return await arun(article, backend, self.settings.max_chunk_chars, gate=sem)

    def _hooked(self, backend: Backend) -> bool:
        """True when the limiter runs as a hook of every HTTP request the backend sends."""
        return backend is self._built and self.settings.resolved_backend() == "openai"

    def _save(self, target: Path, result: ArticleExtraction) -> None:
        write_atomic(target, result.model_dump_json(indent=2).encode("utf-8"), sync_dir=False)
        self.store.extractions.save(result)

    async def _reuse(self, path: Path, target: Path, article: Article) -> bool:
        """Skip an article already done; return True when skipped.

        Done means its output file is current or, with the cache on, the database holds its
        extraction from an earlier run into another folder (then the file is written from it).
        """
        existing = _read_json(target) if target.exists() else None
        name, model, prompt_version, _ = self.identity.provenance()
        if existing is not None and is_current(existing, article.sha256, self.identity):
            if not self.store.extractions.has(article.sha256, name, model, prompt_version):
                try:  # killed between the file and the database: store it now
                    self.store.extractions.save(ArticleExtraction.model_validate(existing))
                except ValueError:
                    return False  # not a valid extraction after all: extract again
            self.summary.skipped += 1
            return True
        if not self.settings.cache:
            return False
        stored = self.store.extractions.find(article.sha256, name, model, prompt_version)
        if stored is None:
            return False
        moved = stored.model_copy(
            update={"source": stored.source.model_copy(update={"path": article.path})}
        )
        data = moved.model_dump_json(indent=2).encode("utf-8")
        await asyncio.to_thread(write_atomic, target, data, sync_dir=False)
        self.summary.skipped += 1
        return True

    def settle_summary(self, started: float) -> None:
        """Final spend, savings and elapsed time into the summary."""
        if self.ledger.spent > 0:  # also when every paid answer ended in a failure
            self.summary.cost = self.ledger.spent
        self.summary.saved_by_cache = self.ledger.saved_by_cache
        self.summary.saved_by_batch = self.ledger.saved_by_batch
        self.summary.elapsed_s = time.perf_counter() - started

    def _count(self, result: ArticleExtraction, *, booked: bool = False) -> None:
        self._count_usage(result.usage, booked=booked)

    def _count_usage(self, usage: Usage | None, *, booked: bool = False) -> None:
        if usage is None:
            return
        s = self.summary
        s.requests += usage.requests
        s.prompt_tokens += usage.prompt_tokens
        s.completion_tokens += usage.completion_tokens
        if not booked:
            self.ledger.spend(usage.prompt_tokens, usage.completion_tokens)
        s.cost = self.ledger.spent if s.tokens == 0 or self.ledger.known else None
        s.saved_by_cache = self.ledger.saved_by_cache
        s.saved_by_batch = self.ledger.saved_by_batch

    def _fail(self, path: Path, stage: str, error: str, hint: str) -> None:
        hint = hint or _HINTS[stage]
        self.failures.add(path, stage, error, hint)
        self.summary.failed += 1
        self.summary.failures.append(
            {"path": str(path), "stage": stage, "error": error, "hint": hint}
        )


def run_batch(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    settings: Settings,
    *,
    store: Store | None = None,
    backend: Backend | None = None,
    force: bool = False,
    console: Console | None = None,
    progress: bool = True,
    engine: str = "local",
) -> BatchSummary:
    """Extract files, folders or globs into ``out_dir``; see the module docstring.

    Args:
        inputs: Files, folders and globs.
        out_dir: Where ``<stem>.json`` and ``failures.jsonl`` go.
        settings: Run settings (backend, model, concurrency, rpm, chunk size, cache, db path).
        store: The database; default ``settings.store_path`` or ``out_dir/extractor.db``.
        backend: A backend to use instead of the one the settings name.
        force: Re-extract articles that already have a current output.
        console: Where the progress bar goes (default stderr).
        progress: Show the progress bar.
        engine: ``local`` (asyncio in this process), ``ray`` (the offline backend in Ray
            actors) or ``batch-api`` (the OpenAI Batch API); same outputs, store rows and
            failures record.

    Returns:
        Counts, tokens and cost; ``summary.ok`` is False when any input failed.

    Raises:
        ConfigError: No inputs, invalid settings, or an engine that is not installed.
    """
    engine_class = engine_for(engine)
    files = collect_inputs(inputs)
    out = Path(out_dir)
    own = store is None
    db = store or Store(settings.database(out))
    try:
        batch = engine_class(
            files,
            out,
            settings,
            store=db,
            backend=backend,
            force=force,
            console=console,
            progress=progress,
        )
        return asyncio.run(batch.run())
    finally:
        if own:
            db.close()


def engine_for(name: str) -> type[Batch]:
    """The engine class of a name (imported only when chosen: Ray is an optional extra).

    Raises:
        ConfigError: No such engine, or Ray is not installed.
    """
    if name == "local":
        return Batch
    if name == "batch-api":
        from extractor.engines.batch_api import BatchAPIRun

        return BatchAPIRun
    if name == "ray":
        from extractor.engines.ray_engine import RayRun

        return RayRun
    raise ConfigError(f"no engine {name!r}", hint="use local, ray or batch-api")
