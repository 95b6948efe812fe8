"""The one pymorphy3 analyser of the process, shared by numerals, names and the offline backend."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def morph() -> Any:
    """Return the shared ``pymorphy3.MorphAnalyzer``, loading its dictionaries on first use."""
    with _LOCK:  # two threads must not both load ~15 MB of dictionaries
        return _load()
