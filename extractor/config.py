"""One frozen settings object for a run: every environment variable the project reads, read here.

Each field that an environment variable sets says so in its metadata (variable, meaning, default
as shown to a user); ``Settings.from_env`` reads them and ``settings_table`` prints the README's
configuration table from the same structure (``python -m extractor.config --markdown``).
Nothing else in the package reads the environment: the settings are passed down.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from extractor.errors import ConfigError

BackendName = Literal["auto", "openai", "offline"]
_BACKENDS = ("auto", "openai", "offline")
_MODES = ("auto", "tools", "tools_strict", "json_schema", "json_object", "md_json")
_FALSE = ("0", "false", "no", "off")


def _number(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number", hint="set a number") from None


def _integer(name: str, raw: str) -> int:
    return int(_number(name, raw))


def _day(name: str, raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an ISO date", hint="use YYYY-MM-DD") from None


def _text(name: str, raw: str) -> str:
    return raw


def _path(name: str, raw: str) -> Path:
    return Path(raw)


def _flag(name: str, raw: str) -> bool:
    return raw.strip().lower() not in _FALSE


Parser = Callable[[str, str], Any]


def setting(default: Any, env: str, meaning: str, shown: str, parse: Parser = _text) -> Any:
    """A settings field read from environment variable ``env``, documented for the README table."""
    return field(
        default=default,
        metadata={"env": env, "meaning": meaning, "shown": shown, "parse": parse},
    )


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with. Build it with ``Settings.from_env()``."""

    backend: BackendName = setting(
        "auto",
        "EXTRACTOR_BACKEND",
        "`auto` (openai when a key is set, else offline), `openai`, `offline`",
        "`auto`",
    )
    api_key: str | None = field(
        default=None,
        repr=False,
        metadata={"env": "OPENAI_API_KEY", "meaning": "key of the endpoint", "shown": "—"},
    )
    base_url: str | None = setting(
        None,
        "OPENAI_BASE_URL",
        "any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server)",
        "OpenAI",
    )
    model: str = setting("gpt-4o-mini", "EXTRACTOR_MODEL", "model name", "`gpt-4o-mini`")
    mode: str = setting(
        "auto",
        "EXTRACTOR_MODE",
        "structured output: `auto` (the best the server supports: `extractor check-endpoint` "
        "shows it), `tools`, `tools_strict`, `json_schema`, `json_object`, `md_json`",
        "`auto`",
    )
    max_reasks: int = setting(
        2,
        "EXTRACTOR_MAX_REASKS",
        "validation re-asks (a figure not in the article), 0 to 5",
        "2",
        _integer,
    )
    max_api_retries: int = setting(
        4,
        "EXTRACTOR_MAX_RETRIES",
        "API retries (429 with Retry-After, 5xx, timeouts)",
        "4",
        _integer,
    )
    timeout: float = setting(60.0, "EXTRACTOR_TIMEOUT", "seconds per request", "60", _number)
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    concurrency: int = setting(
        8, "EXTRACTOR_CONCURRENCY", "articles extracted at once in a batch run", "8", _integer
    )
    requests_per_minute: float | None = setting(
        None, "EXTRACTOR_RPM", "requests-per-minute cap of a batch run", "none", _number
    )
    max_chunk_chars: int = setting(
        24_000,
        "EXTRACTOR_MAX_CHUNK_CHARS",
        "longer articles are extracted in chunks of this size",
        "24000",
        _integer,
    )
    max_output_tokens: int | None = setting(
        None,
        "EXTRACTOR_MAX_OUTPUT_TOKENS",
        "the most tokens one answer may take (sent as `max_tokens`, or `max_completion_tokens` "
        "to OpenAI)",
        "from the article's size (1024 to 4096), within the server's context",
        _integer,
    )
    context_tokens: int | None = setting(
        None,
        "EXTRACTOR_CONTEXT_TOKENS",
        "the server's context size, for a server that does not tell it",
        "what the server tells (`/props`, `/slots`, `/v1/models`)",
        _integer,
    )
    store_path: Path | None = setting(
        None,
        "EXTRACTOR_DB",
        "SQLite store (`--db` wins)",
        "`OUT/extractor.db`",
        _path,
    )
    cache: bool = setting(
        True,
        "EXTRACTOR_CACHE",
        "answer repeated LLM requests and already extracted articles from the store; `0` turns it off",
        "on",
        _flag,
    )
    debug_http: bool = setting(
        False,
        "EXTRACTOR_DEBUG_HTTP",
        "dump HTTP traffic to stderr, Authorization redacted",
        "off",
        _flag,
    )
    today: dt.date | None = setting(
        None,
        "EXTRACTOR_TODAY",
        "the day an article with no publication date is read against (a weekday date such as "
        '"в пятницу, 9 августа" takes the most recent matching year); pin it (YYYY-MM-DD) for '
        "reproducible runs",
        "today",
        _day,
    )
    prompts_dir: Path | None = setting(
        None,
        "EXTRACTOR_PROMPTS_DIR",
        "a folder of prompt files to use instead of the ones shipped in the package",
        "the package's",
        _path,
    )
    max_cost: float | None = setting(
        None,
        "EXTRACTOR_MAX_COST",
        "cost cap in USD: no new LLM request once spent + in flight + its estimate would pass it "
        "(`--max-cost` wins)",
        "none",
        _number,
    )
    prices_file: Path | None = setting(
        None,
        "EXTRACTOR_PRICES",
        "a YAML price table that overrides or extends `extractor/lexicon/data/prices.yaml`",
        "the shipped table",
        _path,
    )
    batch_poll_seconds: float = setting(
        30.0,
        "EXTRACTOR_BATCH_POLL_SECONDS",
        "how often `--batch-api` polls its batches",
        "30",
        _number,
    )
    batch_queue_tokens: int | None = setting(
        None,
        "EXTRACTOR_BATCH_QUEUE_TOKENS",
        "the Batch API queue of your tier (enqueued input tokens): `--batch-api` submits in "
        "waves under it",
        "none",
        _integer,
    )
    ray_address: str | None = setting(
        None,
        "RAY_ADDRESS",
        "the Ray cluster of `--engine ray`",
        "a local Ray started for the run",
    )
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
            raise ConfigError("max_reasks must be between 0 and 5", hint="use 0 to 5")
        if self.max_output_tokens is not None and self.max_output_tokens < 16:
            raise ConfigError(
                f"EXTRACTOR_MAX_OUTPUT_TOKENS={self.max_output_tokens} is too small for an answer",
                hint="set at least 256, or leave it unset",
            )
        if self.concurrency < 1:
            raise ConfigError("EXTRACTOR_CONCURRENCY must be at least 1", hint="use 1 or more")
        if self.max_cost is not None and self.max_cost < 0:
            raise ConfigError(
                f"EXTRACTOR_MAX_COST={self.max_cost} is negative", hint="give a cap in USD, e.g. 5"
            )
        if self.batch_poll_seconds <= 0:
            raise ConfigError(
                "EXTRACTOR_BATCH_POLL_SECONDS must be above 0", hint="the default is 30"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read settings from environment variables (empty means unset); keyword overrides win."""
        e = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f.metadata.get("env")
            raw = e.get(name) if name else None
            if raw:
                values[f.name] = f.metadata.get("parse", _text)(name, raw)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def resolved_backend(self) -> Literal["openai", "offline"]:
        """The backend ``auto`` stands for: openai when an API key is configured, else offline."""
        if self.backend == "auto":
            return "openai" if self.api_key else "offline"
        return self.backend

    def database(self, out_dir: Path) -> Path:
        """The SQLite store of a run into ``out_dir``: EXTRACTOR_DB, else ``out_dir/extractor.db``."""
        return self.store_path or out_dir / "extractor.db"

    def endpoint_key(self) -> str:
        """The key to send: the configured one, or a placeholder for a keyless local server.

        Raises:
            ConfigError: Neither a key nor an endpoint is configured.
        """
        if self.api_key:
            return self.api_key
        if self.base_url:
            return "no-key"  # vLLM, Ollama and llama.cpp servers accept any key
        raise ConfigError(
            "the openai backend needs an API key and none is configured",
            hint="set OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI endpoint), "
            "or use EXTRACTOR_BACKEND=offline",
        )

    def with_(self, **changes: object) -> Settings:
        """Return a copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def settings_table() -> str:
    """The README's configuration table (Markdown), one row per environment variable."""
    rows = ["| variable | meaning | default |", "|---|---|---|"]
    for f in fields(Settings):
        if "env" in f.metadata:
            m = f.metadata
            rows.append(f"| `{m['env']}` | {m['meaning']} | {m['shown']} |")
    return "\n".join(rows) + "\n"


def cache_home() -> Path:
    """Where derived data is cached (the gazetteer index): the user's cache directory.

    ``$XDG_CACHE_HOME/ca-extractor``, else ``~/.cache/ca-extractor``. Nothing there is needed: a
    missing, stale or unwritable cache is rebuilt (or only costs time).
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ca-extractor"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the settings: ``python -m extractor.config --markdown`` prints the README table."""
    parser = argparse.ArgumentParser(prog="python -m extractor.config", description=main.__doc__)
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    args = parser.parse_args(argv)
    if args.markdown:
        print(settings_table(), end="")
        return 0
    print(Settings.from_env())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
