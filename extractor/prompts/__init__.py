"""Versioned prompt files shipped in this package, loaded through a typed loader.

The files are package data, read through ``importlib.resources``: an installed wheel finds them
in site-packages, never in a checkout. ``Settings.prompts_dir`` (EXTRACTOR_PROMPTS_DIR) points
at another folder of prompt files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
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


def shipped_prompts() -> Traversable:
    """The folder of prompt files shipped in this package (in site-packages once installed)."""
    return files(__name__)


@lru_cache(maxsize=16)
def load_prompt(name: str = "extract", directory: Path | None = None) -> Prompt:
    """Load ``<name>.md`` from ``directory`` (default: the package's own prompt files).

    The file holds YAML front matter (version, variables), then ``## system`` and ``## user``.

    Raises:
        PromptError: The file is missing, has no version, or its variables do not match.
    """
    path = (directory if directory is not None else shipped_prompts()) / f"{name}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(
            f"no prompt file {path}",
            hint="check EXTRACTOR_PROMPTS_DIR, or reinstall the package (it ships its prompts)",
        ) from None
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
