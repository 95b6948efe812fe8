"""Reading the lexicon data files shipped in ``extractor/lexicon/data/`` (the one reader)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from extractor.errors import ConfigError


class LexiconError(ConfigError):
    """A lexicon data file is missing or malformed."""


def read(name: str) -> dict[str, Any]:
    """The parsed JSON of ``data/<name>.json``, checked to carry a ``version``.

    Raises:
        LexiconError: The file is missing, is not JSON, or has no version.
    """
    path = resources.files("extractor.lexicon").joinpath("data", f"{name}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(
            f"no lexicon file data/{name}.json in the extractor package",
            hint="reinstall the package; lexicon data ships as package data",
        ) from None
    except json.JSONDecodeError as exc:
        raise LexiconError(
            f"lexicon data/{name}.json is not valid JSON: {exc}", hint="fix the file"
        ) from None
    if not isinstance(data, dict) or not data.get("version"):
        raise LexiconError(
            f"lexicon data/{name}.json has no version", hint='add "version": "YYYY.MM.N"'
        )
    return data
