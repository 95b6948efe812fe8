"""One frozen settings object for a run, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from extractor.errors import ConfigError

BackendName = Literal["auto", "openai", "offline"]
_BACKENDS = ("auto", "openai", "offline")
_MODES = ("tools", "tools_strict", "json_schema", "md_json")


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with. Build it with ``Settings.from_env()``."""

    backend: BackendName = "auto"
    model: str = "gpt-4o-mini"
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = "tools"
    timeout: float = 60.0
    max_reasks: int = 2
    max_api_retries: int = 4
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    concurrency: int = 8
    requests_per_minute: float | None = None
    max_chunk_chars: int = 24_000
    store_path: Path | None = None
    cache: bool = True
    debug_http: bool = False
    prompt: str = "extract"

    def __post_init__(self) -> None:
        if self.backend not in _BACKENDS:
            raise ConfigError(
                f"EXTRACTOR_BACKEND={self.backend!r} is not a backend",
                hint=f"use one of {', '.join(_BACKENDS)}",
            )
        if self.mode not in _MODES:
            raise ConfigError(
                f"EXTRACTOR_MODE={self.mode!r} is not a structured-output mode",
                hint=f"use one of {', '.join(_MODES)}",
            )
        if not 0 <= self.max_reasks <= 5:
            raise ConfigError("max_reasks must be between 0 and 5")
        if self.concurrency < 1:
            raise ConfigError("EXTRACTOR_CONCURRENCY must be at least 1")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Read settings from environment variables; keyword overrides win."""
        e = os.environ if env is None else env

        def number(name: str, default: float) -> float:
            raw = e.get(name)
            if raw in (None, ""):
                return default
            try:
                return float(raw)
            except ValueError:
                raise ConfigError(f"{name}={raw!r} is not a number", hint="set a number") from None

        rpm = e.get("EXTRACTOR_RPM")
        store = e.get("EXTRACTOR_DB")
        values: dict[str, object] = {
            "backend": e.get("EXTRACTOR_BACKEND", "auto") or "auto",
            "model": e.get("EXTRACTOR_MODEL", cls.model) or cls.model,
            "base_url": e.get("OPENAI_BASE_URL") or None,
            "api_key": e.get("OPENAI_API_KEY") or None,
            "mode": e.get("EXTRACTOR_MODE", cls.mode) or cls.mode,
            "timeout": number("EXTRACTOR_TIMEOUT", cls.timeout),
            "max_reasks": int(number("EXTRACTOR_MAX_REASKS", cls.max_reasks)),
            "max_api_retries": int(number("EXTRACTOR_MAX_RETRIES", cls.max_api_retries)),
            "concurrency": int(number("EXTRACTOR_CONCURRENCY", cls.concurrency)),
            "max_chunk_chars": int(number("EXTRACTOR_MAX_CHUNK_CHARS", cls.max_chunk_chars)),
            "requests_per_minute": float(rpm) if rpm else None,
            "store_path": Path(store) if store else None,
            "cache": e.get("EXTRACTOR_CACHE", "1") not in ("0", "false", "no"),
            "debug_http": e.get("EXTRACTOR_DEBUG_HTTP", "") not in ("", "0", "false"),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def resolved_backend(self) -> Literal["openai", "offline"]:
        """The backend ``auto`` stands for: openai when an API key is configured, else offline."""
        if self.backend == "auto":
            return "openai" if self.api_key else "offline"
        return self.backend

    def with_(self, **changes: object) -> Settings:
        """Return a copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
