"""What the store writes of a request or response: credentials dropped or masked."""

from __future__ import annotations

import json
from typing import Any

from extractor.secrets import is_secret_name, redact

_SCHEMA_KEYS = {"tools", "functions", "response_format", "response_model", "tool_choice"}


def scrub(value: Any) -> Any:
    """Drop credential-looking keys and mask bearer tokens and ``sk-`` keys anywhere in a value.

    The JSON schema a request carries (``tools`` etc.) is this project's own and holds no
    secrets: it is passed through as is, which keeps logging cheap.
    """
    if isinstance(value, dict):
        return {
            k: (
                "[redacted]"
                if isinstance(k, str) and is_secret_name(k)
                else v
                if k in _SCHEMA_KEYS
                else scrub(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


def to_json(value: Any) -> str:
    """Serialise a value for a TEXT column (Unicode kept, unknown types as strings)."""
    return json.dumps(value, ensure_ascii=False, default=str)
