"""Article extractions of the seeds built from the hand gold, verified against the real texts.

Used by the consolidation and report tests: real offsets, real verification, no backend.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from extractor.backends.base import Draft, zero_usage
from extractor.pipeline import assemble
from extractor.reading import article_from_text, read_article
from schemas.records import ArticleExtraction, Records

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "fixtures" / "gold"


def _hand(records: Records) -> Draft:
    return Draft(records=records, model="hand", prompt_version=None, usage=zero_usage())


def seed_extraction(seed: Path) -> ArticleExtraction:
    """The gold records of one seed, verified against its text, wrapped as a batch would."""
    records = Records.model_validate(json.loads((GOLD / f"{seed.stem}.json").read_text("utf-8")))
    return assemble(read_article(seed), _hand(records), "gold")


def seed_extractions() -> list[ArticleExtraction]:
    """All five seeds."""
    return [seed_extraction(s) for s in SEEDS]


def extraction_from_text(
    text: str, records: Records, *, path: str | None = None, published: str | None = None
) -> ArticleExtraction:
    """Hand-written records verified against a text (real offsets and statuses)."""
    article = article_from_text(text, path=path, encoding="utf-8")
    if published is not None:
        article = dataclasses.replace(article, published=published)
    return assemble(article, _hand(records), "hand")


def records(**kwargs: object) -> Records:
    """A Records with empty lists for whatever is not given."""
    base: dict[str, object] = {"meetings": [], "agreements": [], "metrics": [], "projects": []}
    base.update(kwargs)
    return Records.model_validate(base)
