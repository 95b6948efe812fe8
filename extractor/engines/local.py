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
import glob
import hashlib
import json
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extractor.backends import backend_identity, get_backend
from extractor.backends.base import Backend, BackendIdentity
from extractor.config import Settings
from extractor.errors import ConfigError, ExtractorError, InputError
from extractor.pipeline import arun
from extractor.reading import Article, read_article
from extractor.store import Store
from schemas.records import ArticleExtraction

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
FAILURES = "failures.jsonl"
# USD per million tokens (input, output); unknown models show no cost.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
}
_HINTS = {
    "read": "fix or convert the file, then re-run: finished articles are skipped",
    "extract": "re-run later: finished articles are skipped and this one is retried",
    "write": "check free disk space and permissions of the output folder, then re-run",
}


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """Price of the tokens for a known model, in USD; None when the model's price is unknown."""
    price = PRICES.get(model)
    if price is None:
        return None
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000


# -- inputs ---------------------------------------------------------------------------------
def collect_inputs(specs: Sequence[str | Path]) -> list[Path]:
    """Expand files, folders (recursively: .txt, .md, .html) and globs into a list of files.

    A path that does not exist is kept, so it is recorded as a failure rather than forgotten.

    Raises:
        ConfigError: Nothing at all was given or found.
    """
    found: list[Path] = []
    for spec in specs:
        text = str(spec)
        p = Path(text)
        if p.is_dir():
            found.extend(
                f
                for f in sorted(p.rglob("*"))
                if f.is_file()
                and f.suffix.lower() in TEXT_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif glob.has_magic(text):
            found.extend(
                Path(m) for m in sorted(glob.glob(text, recursive=True)) if Path(m).is_file()
            )
        else:
            found.append(p)
    unique: dict[str, Path] = {}
    for f in found:
        unique.setdefault(os.path.abspath(f), f)
    if not unique:
        raise ConfigError(
            f"no input files in {', '.join(map(str, specs)) or 'the arguments'}",
            hint="give article files, folders of .txt/.html files, or quoted globs like 'in/*.txt'",
        )
    return list(unique.values())


def output_names(paths: Sequence[Path]) -> dict[Path, str]:
    """Output file name per input: ``<stem>.json``, with a path hash when two stems collide."""
    stems: dict[str, int] = {}
    for p in paths:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    names = {}
    for p in paths:
        if stems[p.stem] > 1:
            tag = hashlib.sha1(os.path.abspath(p).encode("utf-8")).hexdigest()[:8]
            names[p] = f"{p.stem}-{tag}.json"
        else:
            names[p] = f"{p.stem}.json"
    return names


# -- atomic files ---------------------------------------------------------------------------
def write_atomic(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
    """Write a file so that it is either wholly old or wholly new, even after a crash.

    With ``sync_dir=False`` the rename is made durable later by the caller's ``fsync_dir``: after
    a power cut the file may then be missing (and is redone on the re-run), never half-written.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    if sync_dir:
        fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make the renames done in a directory durable (best effort where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class FailureLog:
    """``failures.jsonl``: one JSON line per input that did not produce an output."""

    def __init__(self, path: Path, retrying: Iterable[Path]) -> None:
        """Keep earlier failures of inputs not in this run; this run's inputs start clean."""
        self.path = path
        again = {os.path.abspath(p) for p in retrying}
        kept: list[str] = []
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a crash mid-append
                if os.path.abspath(str(entry.get("path"))) not in again:
                    kept.append(json.dumps(entry, ensure_ascii=False))
        write_atomic(path, "".join(f"{line}\n" for line in kept).encode("utf-8"))

    def add(self, path: Path, stage: str, error: str, hint: str) -> None:
        """Append one failure and fsync it."""
        line = json.dumps(
            {"path": str(path), "stage": stage, "error": error, "hint": hint}, ensure_ascii=False
        )
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())


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
@dataclass
class BatchSummary:
    """What a batch run did."""

    total: int = 0
    written: int = 0
    skipped: int = 0
    failed: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None
    elapsed_s: float = 0.0
    model: str = ""
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    @property
    def ok(self) -> bool:
        """True when every input has an output."""
        return self.failed == 0


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
                call_log=self.store.calls.log_exchange,
                cache=self.store.cache if self.settings.cache else None,
            )
        else:
            self._built = get_backend(self.settings)
        return self._built

    async def run(self) -> BatchSummary:
        """Extract every input; return what happened. Never raises for one article's failure."""
        started = time.perf_counter()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.out_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)  # left by a killed run; its target is intact
        self.failures = FailureLog(self.out_dir / FAILURES, self.inputs)
        self.names = output_names(self.inputs)
        self.identity = backend_identity(self.settings, self._backend)
        self.summary.model = self.identity.model
        sem = asyncio.Semaphore(self.settings.concurrency)
        pending = iter(self.inputs)
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

        async def worker() -> None:
            while (path := next(pending, None)) is not None:
                await self._one(path, sem)
                s = self.summary
                progress.update(
                    task,
                    advance=1,
                    failed=s.failed,
                    tokens=s.tokens,
                    cost="" if s.cost is None else f"${s.cost:.4f}",
                )

        try:
            with progress:
                await asyncio.gather(*(worker() for _ in range(self.settings.concurrency)))
        finally:
            fsync_dir(self.out_dir)
            if self._built is not None:
                await self._built.aclose()
            self.summary.elapsed_s = time.perf_counter() - started
        return self.summary

    async def _one(self, path: Path, sem: asyncio.Semaphore) -> None:
        target = self.out_dir / self.names[path]
        try:
            article = read_article(path, today=self.settings.today)
        except InputError as exc:
            self._fail(path, "read", exc.problem, exc.hint)
            return
        except Exception as exc:  # an unreadable file must not stop the batch
            self._fail(path, "read", f"{type(exc).__name__}: {exc}", "")
            return
        try:
            reused = not self.force and await self._reuse(path, target, article)
        except Exception:  # a broken earlier output or store row: extract the article again
            reused = False
        if reused:
            return
        try:
            result = await self._extract(article, self._get_backend(), sem)
        except ExtractorError as exc:
            self._fail(path, "extract", str(exc.args[0]) if exc.args else str(exc), exc.hint)
            return
        except Exception as exc:  # one article's surprise must not stop the others
            self._fail(path, "extract", f"{type(exc).__name__}: {exc}", "")
            return
        try:
            # fsync takes milliseconds: off the event loop, so requests keep flowing meanwhile.
            await asyncio.to_thread(self._save, target, result)
        except Exception as exc:  # a full disk or a locked database: record it, go on
            self._fail(path, "write", f"{type(exc).__name__}: {exc}", "")
            return
        self.summary.written += 1
        self._count(result)

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

    def _count(self, result: ArticleExtraction) -> None:
        s = self.summary
        s.requests += result.usage.requests
        s.prompt_tokens += result.usage.prompt_tokens
        s.completion_tokens += result.usage.completion_tokens
        s.cost = 0.0 if s.tokens == 0 else cost_usd(s.model, s.prompt_tokens, s.completion_tokens)

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

    Returns:
        Counts, tokens and cost; ``summary.ok`` is False when any input failed.

    Raises:
        ConfigError: No inputs, or invalid settings.
    """
    files = collect_inputs(inputs)
    out = Path(out_dir)
    own = store is None
    db = store or Store(settings.database(out))
    try:
        batch = Batch(
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


def summary_table(summary: BatchSummary) -> Table:
    """The end-of-run table: inputs, outputs, skips, failures, requests, tokens, cost, speed."""
    table = Table(title="extraction summary", show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    rate = summary.total / summary.elapsed_s if summary.elapsed_s > 0 else 0.0
    rows = [
        ("inputs", f"{summary.total}"),
        ("written", f"{summary.written}"),
        ("skipped (already done)", f"{summary.skipped}"),
        ("failed", f"[red]{summary.failed}[/]" if summary.failed else "0"),
        ("requests", f"{summary.requests}"),
        ("tokens (prompt + completion)", f"{summary.prompt_tokens} + {summary.completion_tokens}"),
        ("cost", "unknown for this model" if summary.cost is None else f"${summary.cost:.4f}"),
        ("elapsed", f"{summary.elapsed_s:.1f} s ({rate:.1f} articles/s)"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table
