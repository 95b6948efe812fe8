"""Backends behind one protocol; ``get_backend`` picks one from the settings."""

from __future__ import annotations

from typing import Any

from extractor.backends.base import Backend, BackendIdentity, Draft, llm_identity
from extractor.config import Settings

__all__ = ["Backend", "BackendIdentity", "Draft", "backend_identity", "get_backend"]


def get_backend(settings: Settings, **kwargs: Any) -> Backend:
    """Build the backend the settings name (``auto``: openai with a key, else offline).

    Keyword arguments go to the LLM backend (call log, response cache, request hooks); the
    offline backend needs none.
    """
    if settings.resolved_backend() == "openai":
        from extractor.backends.openai import OpenAIBackend

        return OpenAIBackend(settings, **kwargs)
    from extractor.backends.offline import OfflineBackend

    return OfflineBackend(settings)


def backend_identity(settings: Settings, backend: Backend | None = None) -> BackendIdentity:
    """The identity results will have: the given backend's, else the one the settings name.

    Without a backend nothing is built (no model loaded, no client opened), so a fully resumed
    run costs neither.

    Raises:
        ConfigError: The settings name the LLM backend and no key or endpoint is configured.
    """
    if backend is not None:
        return backend.identity()
    if settings.resolved_backend() == "openai":
        settings.endpoint_key()  # fail before any article, with the fix
        return llm_identity(settings)
    from extractor.backends.offline import offline_identity

    return offline_identity()
