"""Cross-article merge, canonical entities, conflicts and the review page."""

from __future__ import annotations

from extractor.consolidate.merge import consolidate, load_extractions

__all__ = ["consolidate", "load_extractions"]
