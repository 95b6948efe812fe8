"""The comparison form of a Russian word: lower case, ``ё`` read as ``е``.

Every lexicon lookup, the name rules and consolidation compare words in this form (news text
writes "Мирзиёев" and "Мирзиеев" alike).
"""

from __future__ import annotations

__all__ = ["fold"]


def fold(text: str) -> str:
    """Lower-case and fold ``ё`` to ``е``: the comparison form of any Russian word."""
    return text.lower().replace("ё", "е")
