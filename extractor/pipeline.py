"""Article -> backend draft -> verification -> ArticleExtraction: the one-way flow, in one place.

An article longer than ``max_chars`` is extracted chunk by chunk (``extractor.chunking``) and its
records merged back onto full-text offsets; either way the result is built here.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from extractor.backends.base import Backend, Draft
from extractor.chunking import aextract_chunks, extract_chunks
from extractor.core.verify import verify
from extractor.offline.geocode import geocode
from extractor.reading import Article
from schemas.records import SCHEMA_VERSION, ArticleExtraction, Records, Source, Usage


def source_of(article: Article) -> Source:
    """The provenance block of an article."""
    return Source(
        path=article.path,
        sha256=article.sha256,
        chars=len(article.text),
        outlet=article.outlet,
        title=article.title,
        published=article.published,
        encoding=article.encoding,
    )


def wrap(
    article: Article,
    checked: Records,
    backend_name: str,
    drafts: list[Draft],
    warnings: list[str] | None = None,
) -> ArticleExtraction:
    """Wrap verified records with their provenance; usage is summed over the drafts.

    Every meeting city and project place that names a town of the region gets its GeoNames id
    and coordinates here, whichever backend named it.
    """
    checked = geocode(checked)
    notes = [*article.warnings, *(warnings or [])]
    for d in drafts:
        notes.extend(w for w in d.warnings if w not in notes)
    first = drafts[0] if drafts else None
    return ArticleExtraction(
        schema_version=SCHEMA_VERSION,
        meetings=checked.meetings,
        agreements=checked.agreements,
        metrics=checked.metrics,
        projects=checked.projects,
        source=source_of(article),
        backend=backend_name,
        model=first.model if first else "none",
        prompt_version=first.prompt_version if first else None,
        usage=Usage(
            requests=sum(d.usage.requests for d in drafts),
            prompt_tokens=sum(d.usage.prompt_tokens for d in drafts),
            completion_tokens=sum(d.usage.completion_tokens for d in drafts),
            total_tokens=sum(d.usage.total_tokens for d in drafts),
        ),
        warnings=notes,
    )


def assemble(article: Article, draft: Draft, backend_name: str) -> ArticleExtraction:
    """Verify a backend's draft against the article text and wrap it with its provenance."""
    return wrap(
        article,
        verify(draft.records, article.text, published=article.published),
        backend_name,
        [draft],
    )


def run(article: Article, backend: Backend, max_chars: int | None = None) -> ArticleExtraction:
    """Extract and verify one article with a backend (chunked when longer than ``max_chars``)."""
    if max_chars is not None and len(article.text) > max_chars:
        records, drafts, notes = extract_chunks(article, backend, max_chars)
        return wrap(article, records, backend.name, drafts, notes)
    return assemble(article, backend.extract(article), backend.name)


async def arun(
    article: Article,
    backend: Backend,
    max_chars: int | None = None,
    *,
    gate: AbstractAsyncContextManager[Any] | None = None,
) -> ArticleExtraction:
    """Async ``run``; ``gate`` (e.g. a semaphore) is held around each backend call."""
    if max_chars is not None and len(article.text) > max_chars:
        records, drafts, notes = await aextract_chunks(article, backend, max_chars, gate=gate)
        return wrap(article, records, backend.name, drafts, notes)
    if gate is None:
        return assemble(article, await backend.aextract(article), backend.name)
    async with gate:
        draft = await backend.aextract(article)
    return assemble(article, draft, backend.name)
