"""Versioned prompt files in ``prompts/``, loaded through a typed loader."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractor.errors import ConfigError

_SECTION = re.compile(r"^## (system|user)\s*$", re.MULTILINE)
_VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


class PromptError(ConfigError):
    """A prompt file is missing, malformed, or does not declare the variables it uses."""


@dataclass(frozen=True)
class Prompt:
    """A prompt: its version, its system text and its user template (Jinja variables)."""

    name: str
    version: str
    system: str
    user: str
    variables: tuple[str, ...]

    def messages(self) -> list[dict[str, str]]:
        """Chat messages with template variables left for instructor to render from context."""
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user},
        ]

    def check_context(self, context: Mapping[str, object]) -> None:
        """Raise a named error when a variable the prompt uses has no value."""
        missing = [v for v in self.variables if v not in context]
        if missing:
            raise PromptError(
                f"prompt {self.name!r} v{self.version} needs {', '.join(missing)}",
                hint="pass every variable the prompt declares",
            )


def prompts_dir() -> Path:
    """Where prompt files live: EXTRACTOR_PROMPTS_DIR, else the prompt files shipped in this package."""
    env = os.environ.get("EXTRACTOR_PROMPTS_DIR")
    return Path(env) if env else Path(__file__).resolve().parent


@lru_cache(maxsize=16)
def load_prompt(name: str = "extract", directory: Path | None = None) -> Prompt:
    """Load ``prompts/<name>.md``: YAML front matter (version, variables), then sections."""
    path = (directory or prompts_dir()) / f"{name}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"no prompt file {path}", hint="check EXTRACTOR_PROMPTS_DIR") from None
    if not raw.startswith("---\n"):
        raise PromptError(f"{path}: no front matter", hint="start the file with a --- block")
    _, front, body = raw.split("---\n", 2)
    meta = yaml.safe_load(front) or {}
    parts = _SECTION.split(body)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if set(sections) != {"system", "user"}:
        raise PromptError(f"{path}: needs '## system' and '## user' sections")
    declared = tuple(meta.get("variables") or ())
    used = set(_VARIABLE.findall(sections["system"] + sections["user"]))
    if used != set(declared):
        raise PromptError(
            f"{path}: uses variables {sorted(used)} but declares {sorted(declared)}",
            hint="list every {{ variable }} under 'variables:' in the front matter",
        )
    if "version" not in meta:
        raise PromptError(f"{path}: no version in the front matter")
    return Prompt(
        name=str(meta.get("name", name)),
        version=str(meta["version"]),
        system=sections["system"],
        user=sections["user"],
        variables=declared,
    )
