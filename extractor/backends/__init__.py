"""Backends behind one protocol; ``get_backend`` picks one from the settings."""

from __future__ import annotations

from typing import Any

from extractor.backends.base import Backend, Draft
from extractor.config import Settings

__all__ = ["Backend", "Draft", "get_backend"]


def get_backend(settings: Settings, **kwargs: Any) -> Backend:
    """Build the backend the settings name (``auto``: openai with a key, else offline)."""
    if settings.resolved_backend() == "openai":
        from extractor.backends.openai import OpenAIBackend

        return OpenAIBackend(settings, **kwargs)
    from extractor.backends.offline import OfflineBackend

    return OfflineBackend(settings)
