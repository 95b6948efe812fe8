"""Long articles: split into chunks that fit the model, extract each, merge by span.

A chunk ends on a paragraph break when one is near, else on a sentence end, else on a space;
the chunks concatenate back to the exact article text, so a chunk's offsets are re-based by
adding where it starts. Each chunk is extracted and verified against its own text (the only
text the model saw for it); the records are then shifted to full-text offsets and duplicates
(the same record found in several chunks) are merged, keeping every piece of evidence.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar

from extractor.backends.base import Backend, Draft
from extractor.core.checks import check_records
from extractor.core.verify import verify
from extractor.reading import Article
from schemas.enums import VerificationStatus
from schemas.records import Evidence, Metric, Records

_SENTENCE_END = re.compile(r"[.!?…][»\"')\]]*\s+")
_SPACE = re.compile(r"\s+")
_RANK = {
    VerificationStatus.verified: 0,
    VerificationStatus.mismatch: 1,
    VerificationStatus.not_found: 2,
    VerificationStatus.unchecked: 3,
}
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of the article text and where it starts in the full text."""

    start: int
    text: str

    @property
    def end(self) -> int:
        """Offset one past the chunk's last character in the full text."""
        return self.start + len(self.text)


def split_text(text: str, max_chars: int) -> list[Chunk]:
    """Split text into chunks of at most ``max_chars`` on paragraph, sentence or word boundaries.

    The chunks concatenate to ``text`` exactly. A chunk is cut on a paragraph break in the last
    three quarters of its window when there is one, else after the last sentence end, else at the
    last whitespace, else (one unbroken run of characters) hard at ``max_chars``.

    Args:
        text: The full article text.
        max_chars: Largest chunk, in characters (``Settings.max_chunk_chars``).

    Returns:
        The chunks, in order; one chunk when the text fits.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    chunks: list[Chunk] = []
    pos = 0
    while len(text) - pos > max_chars:
        window = text[pos : pos + max_chars]
        floor = max_chars // 4
        cut = window.rfind("\n\n", floor)
        if cut != -1:
            cut += 2
            while cut < len(window) and window[cut] == "\n":
                cut += 1
        else:
            ends = [m.end() for m in _SENTENCE_END.finditer(window, floor)]
            if ends:
                cut = ends[-1]
            else:
                spaces = [m.end() for m in _SPACE.finditer(window, floor)]
                cut = spaces[-1] if spaces else max_chars
        cut = min(cut, max_chars)
        chunks.append(Chunk(pos, text[pos : pos + cut]))
        pos += cut
    if pos < len(text) or not chunks:
        chunks.append(Chunk(pos, text[pos:]))
    return chunks


def _shift_evidence(evidence: list[Evidence], offset: int) -> list[Evidence]:
    return [
        e.model_copy(
            update={
                "start": None if e.start is None else e.start + offset,
                "end": None if e.end is None else e.end + offset,
            }
        )
        for e in evidence
    ]


def _shift(record: Any, offset: int) -> Any:
    update: dict[str, Any] = {"evidence": _shift_evidence(record.evidence, offset)}
    if isinstance(record, Metric):
        v = record.verification
        update["verification"] = v.model_copy(
            update={
                "start": None if v.start is None else v.start + offset,
                "end": None if v.end is None else v.end + offset,
            }
        )
    return record.model_copy(update=update)


def shift_records(records: Records, offset: int) -> Records:
    """Move every computed offset of verified records by ``offset`` characters."""
    if offset == 0:
        return records
    return records.model_copy(
        update={
            kind: [_shift(r, offset) for r in getattr(records, kind)]
            for kind in ("meetings", "agreements", "metrics", "projects")
        }
    )


def _identity(record: Any) -> str:
    """What makes two records the same fact, whatever quotes support them."""
    data = record.model_dump(mode="json", exclude={"evidence", "verification", "checks"})
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def merge_records(parts: list[Records]) -> Records:
    """Merge verified, full-text-offset records from several chunks; duplicates become one.

    A duplicate's evidence is added to the first record's (each span once, in text order); a
    metric keeps its best verification (verified over mismatch over not_found), earliest first.
    """
    merged: dict[str, dict[str, Any]] = {
        k: {} for k in ("meetings", "agreements", "metrics", "projects")
    }
    for part in parts:
        for kind, seen in merged.items():
            for record in getattr(part, kind):
                key = _identity(record)
                first = seen.get(key)
                if first is None:
                    seen[key] = record
                    continue
                evidence = {(e.quote, e.start, e.end): e for e in first.evidence}
                for e in record.evidence:
                    evidence.setdefault((e.quote, e.start, e.end), e)
                ordered = sorted(evidence.values(), key=lambda e: (e.start is None, e.start or 0))
                update: dict[str, Any] = {"evidence": ordered}
                if isinstance(record, Metric) and (
                    _RANK[record.verification.status] < _RANK[first.verification.status]
                ):
                    update["verification"] = record.verification
                seen[key] = first.model_copy(update=update)
    return Records(**{kind: list(seen.values()) for kind, seen in merged.items()})


async def _gated(
    gate: AbstractAsyncContextManager[Any] | None, make: Callable[[], Awaitable[R]]
) -> R:
    async with gate if gate is not None else nullcontext():
        return await make()


def _pieces(article: Article, max_chars: int) -> list[tuple[Chunk, Article]]:
    chunks = [c for c in split_text(article.text, max_chars) if c.text.strip()]
    return [
        (
            c,
            Article(
                text=c.text,
                path=article.path,
                encoding=article.encoding,
                title=article.title,
                outlet=article.outlet,
                published=article.published,
            ),
        )
        for c in chunks
    ]


def _merged(
    article: Article, max_chars: int, done: list[tuple[Chunk, Draft]]
) -> tuple[Records, list[Draft], list[str]]:
    parts = [shift_records(verify(draft.records, chunk.text), chunk.start) for chunk, draft in done]
    warnings: list[str] = []
    if len(done) > 1:
        warnings.append(
            f"the article ({len(article.text)} characters) was split into {len(done)} chunks "
            f"of at most {max_chars} characters; records were merged across chunks"
        )
    # Field checks read the whole article: a party or a place may be named in another chunk.
    merged = check_records(merge_records(parts), article.text, article.published)
    return merged, [d for _, d in done], warnings


def extract_chunks(
    article: Article, backend: Backend, max_chars: int
) -> tuple[Records, list[Draft], list[str]]:
    """Extract a long article chunk by chunk; return merged verified records, drafts, warnings.

    The records' offsets point into the full text; the warning says how the text was split.
    """
    done = [(chunk, backend.extract(piece)) for chunk, piece in _pieces(article, max_chars)]
    return _merged(article, max_chars, done)


async def aextract_chunks(
    article: Article,
    backend: Backend,
    max_chars: int,
    *,
    gate: AbstractAsyncContextManager[Any] | None = None,
) -> tuple[Records, list[Draft], list[str]]:
    """Async ``extract_chunks``: chunks run concurrently, each under ``gate`` when given.

    Args:
        article: The full article; its text is what the merged offsets point into.
        backend: Any backend; each chunk is a separate ``aextract`` call.
        max_chars: Largest chunk in characters.
        gate: An async context manager (e.g. the batch's semaphore) held around each chunk's
            call, so a huge file does not open hundreds of requests at once.

    Returns:
        The merged verified records, the drafts, and the split warning.
    """

    async def one(chunk: Chunk, piece: Article) -> tuple[Chunk, Draft]:
        return chunk, await _gated(gate, lambda: backend.aextract(piece))

    pieces = _pieces(article, max_chars)
    outcomes = await asyncio.gather(*(one(c, p) for c, p in pieces), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome  # every chunk has finished: nothing is left running unobserved
    done = [o for o in outcomes if not isinstance(o, BaseException)]
    return _merged(article, max_chars, done)
