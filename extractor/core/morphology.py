"""The one pymorphy3 analyser of the process and the one cache of its parses and lemmas.

Numerals, the figure engine's context rules, the offline backend (names, titles, agreements,
metrics, projects, date grammars) and consolidation (lemmas of names and periods) all read words
through here, so a word is analysed once per process whoever asks first.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

__all__ = ["lemma", "morph", "parses"]

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def morph() -> Any:
    """Return the shared ``pymorphy3.MorphAnalyzer``, loading its dictionaries on first use."""
    with _LOCK:  # two threads must not both load ~15 MB of dictionaries
        return _load()


@lru_cache(maxsize=65536)
def parses(word: str) -> tuple[Any, ...]:
    """The pymorphy3 parses of a word, most likely first (cached: news vocabulary repeats a lot)."""
    return tuple(morph().parse(word))


def lemma(word: str) -> str:
    """The most likely normal form of a word, lower case (the word itself when it has none)."""
    found = parses(word)
    return str(found[0].normal_form) if found else word.lower()
