"""Verified, structured records from Russian news on Central Asian diplomacy and trade.

>>> from extractor import extract
>>> result = extract("seeds/001_d541d46272f33c54.txt")   # doctest: +SKIP
>>> [(m.name, m.value, m.unit) for m in result.verified_metrics()]   # doctest: +SKIP
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from extractor.backends import Backend, get_backend
from extractor.config import Settings
from extractor.errors import ConfigError, ExtractorError, InputError, LLMError
from extractor.pipeline import arun, run
from extractor.reading import Article, article_from_text, read_article
from schemas.records import ArticleExtraction

__all__ = [
    "Article",
    "ArticleExtraction",
    "ConfigError",
    "ExtractorError",
    "InputError",
    "LLMError",
    "Settings",
    "aextract",
    "aextract_text",
    "extract",
    "extract_text",
]


@lru_cache(maxsize=8)
def _default_backend(settings: Settings) -> Backend:
    # One backend per settings per process: the offline models load once.
    return get_backend(settings)


def _resolve(settings: Settings | None, backend: Backend | None) -> tuple[Backend, int]:
    """The backend to use and the chunk size for long articles."""
    chosen = settings or Settings.from_env()
    return (backend or _default_backend(chosen)), chosen.max_chunk_chars


def extract(
    path: str | Path, *, settings: Settings | None = None, backend: Backend | None = None
) -> ArticleExtraction:
    """Extract verified records from an article file.

    Args:
        path: A text or HTML file (UTF-8, cp1251, koi8-r; BOM allowed). An article longer
            than ``Settings.max_chunk_chars`` is extracted in chunks, offsets still into the
            whole text.
        settings: Run settings; default ``Settings.from_env()`` (``EXTRACTOR_BACKEND`` etc.).
        backend: A backend instance to use instead of the one the settings name.

    Returns:
        The article's meetings, agreements, metrics and projects, each figure and quote checked
        against the text, with source, backend, model, prompt version and token usage.

    Raises:
        InputError: The file cannot be read as an article (the message names the file).
        ConfigError: The settings are invalid (the message says how to fix them).
        LLMError: The LLM endpoint failed after bounded retries.
    """
    chosen = settings or Settings.from_env()
    return run(read_article(path, today=chosen.today), *_resolve(chosen, backend))


def extract_text(
    text: str,
    *,
    path: str | None = None,
    settings: Settings | None = None,
    backend: Backend | None = None,
) -> ArticleExtraction:
    """Extract verified records from article text (see ``extract``)."""
    chosen = settings or Settings.from_env()
    return run(article_from_text(text, path=path, today=chosen.today), *_resolve(chosen, backend))


async def aextract(
    path: str | Path, *, settings: Settings | None = None, backend: Backend | None = None
) -> ArticleExtraction:
    """Async ``extract``: the LLM request does not block the event loop."""
    chosen = settings or Settings.from_env()
    return await arun(read_article(path, today=chosen.today), *_resolve(chosen, backend))


async def aextract_text(
    text: str,
    *,
    path: str | None = None,
    settings: Settings | None = None,
    backend: Backend | None = None,
) -> ArticleExtraction:
    """Async ``extract_text``."""
    chosen = settings or Settings.from_env()
    article = article_from_text(text, path=path, today=chosen.today)
    return await arun(article, *_resolve(chosen, backend))
