"""Article -> backend draft -> verification -> ArticleExtraction: the one-way flow, in one place."""

from __future__ import annotations

from extractor.backends.base import Backend, Draft
from extractor.reading import Article
from extractor.verify import verify
from schemas.records import SCHEMA_VERSION, ArticleExtraction, Source


def assemble(article: Article, draft: Draft, backend_name: str) -> ArticleExtraction:
    """Verify a backend's draft against the article text and wrap it with its provenance."""
    checked = verify(draft.records, article.text)
    return ArticleExtraction(
        schema_version=SCHEMA_VERSION,
        meetings=checked.meetings,
        agreements=checked.agreements,
        metrics=checked.metrics,
        projects=checked.projects,
        source=Source(
            path=article.path,
            sha256=article.sha256,
            chars=len(article.text),
            outlet=article.outlet,
            title=article.title,
            published=article.published,
            encoding=article.encoding,
        ),
        backend=backend_name,
        model=draft.model,
        prompt_version=draft.prompt_version,
        usage=draft.usage,
        warnings=[*article.warnings, *draft.warnings],
    )


def run(article: Article, backend: Backend) -> ArticleExtraction:
    """Extract and verify one article with a backend."""
    return assemble(article, backend.extract(article), backend.name)


async def arun(article: Article, backend: Backend) -> ArticleExtraction:
    """Extract and verify one article with a backend, asynchronously."""
    return assemble(article, await backend.aextract(article), backend.name)
