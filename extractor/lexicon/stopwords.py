"""Russian function words (``data/stopwords.json``) that never name what a record is about.

Read by the offline backend (where a metric's noun phrase ends) and by consolidation (the lemma
keys of metric names, periods and project names).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractor.lexicon._files import read
from extractor.lexicon.folding import fold

__all__ = ["function_words", "version"]


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    words: frozenset[str]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = read("stopwords")
    return _Table(str(data["version"]), frozenset(fold(w) for w in data["function_words"]))


def version() -> str:
    """The version of the stop-word list."""
    return _table().version


def function_words() -> frozenset[str]:
    """The function words, folded (lower case, ё as е)."""
    return _table().words
