"""Article extractions of the seeds built from the hand gold, verified against the real texts.

Used by the consolidation and report tests: real offsets, real verification, no backend.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from extractor.reading import read_article
from extractor.verify import verify
from schemas.records import SCHEMA_VERSION, ArticleExtraction, Records, Source, Usage

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "fixtures" / "gold"


def seed_extraction(seed: Path) -> ArticleExtraction:
    """The gold records of one seed, verified against its text, wrapped as a batch would."""
    article = read_article(seed)
    records = Records.model_validate(json.loads((GOLD / f"{seed.stem}.json").read_text("utf-8")))
    checked = verify(records, article.text)
    return ArticleExtraction(
        schema_version=SCHEMA_VERSION,
        meetings=checked.meetings,
        agreements=checked.agreements,
        metrics=checked.metrics,
        projects=checked.projects,
        source=Source(
            path=str(seed),
            sha256=article.sha256,
            chars=len(article.text),
            outlet=article.outlet,
            title=article.title,
            published=article.published,
            encoding=article.encoding,
        ),
        backend="gold",
        model="hand",
        prompt_version=None,
        usage=Usage(requests=0, prompt_tokens=0, completion_tokens=0, total_tokens=0),
        warnings=[],
    )


def seed_extractions() -> list[ArticleExtraction]:
    """All five seeds."""
    return [seed_extraction(s) for s in SEEDS]


def extraction_from_text(
    text: str, records: Records, *, path: str | None = None, published: str | None = None
) -> ArticleExtraction:
    """Hand-written records verified against a text (real offsets and statuses)."""
    checked = verify(records, text)

    return ArticleExtraction(
        schema_version=SCHEMA_VERSION,
        meetings=checked.meetings,
        agreements=checked.agreements,
        metrics=checked.metrics,
        projects=checked.projects,
        source=Source(
            path=path,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            chars=len(text),
            outlet=None,
            title=None,
            published=published,
            encoding="utf-8",
        ),
        backend="hand",
        model="hand",
        prompt_version=None,
        usage=Usage(requests=0, prompt_tokens=0, completion_tokens=0, total_tokens=0),
        warnings=[],
    )


def records(**kwargs: object) -> Records:
    """A Records with empty lists for whatever is not given."""
    base: dict[str, object] = {"meetings": [], "agreements": [], "metrics": [], "projects": []}
    base.update(kwargs)
    return Records.model_validate(base)
