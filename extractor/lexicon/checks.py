"""The cues and tables of the field checks (``data/checks.json``), loaded once per process.

What supports a meeting format, an agreement's kind or status, a project's stage, a metric's
kind, and which units a measured noun can be counted in: data, so a reviewer sees what grew.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DATA = "checks.json"
_CURRENCIES = "@currencies"


@dataclass(frozen=True)
class CheckLexicon:
    """The parsed check lexicon."""

    version: str
    generic_measures: frozenset[str]
    synonyms: dict[str, frozenset[str]]
    unit_classes: dict[str, frozenset[str]]
    measure_units: dict[str, tuple[str, ...]]
    change_cue: re.Pattern[str]
    target_cue: re.Pattern[str]
    meeting_formats: dict[str, re.Pattern[str]]
    head_of_state_words: tuple[str, ...]
    agreement_kinds: dict[str, re.Pattern[str]]
    agreement_status: dict[str, re.Pattern[str]]
    project_status: dict[str, re.Pattern[str]]
    regions: dict[str, tuple[str, ...]]
    share_after: re.Pattern[str]
    not_a_measure_before: re.Pattern[str]


def _patterns(table: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {k: re.compile(v, re.IGNORECASE) for k, v in table.items()}


@lru_cache(maxsize=1)
def check_lexicon(currencies: frozenset[str] = frozenset()) -> CheckLexicon:
    """Load ``data/checks.json``; ``@currencies`` in a unit class expands to ``currencies``."""
    raw = json.loads(
        resources.files("extractor.lexicon").joinpath("data", _DATA).read_text(encoding="utf-8")
    )
    synonyms: dict[str, frozenset[str]] = {}
    for group in raw["measure_synonyms"]:
        for word in group:
            synonyms[word] = synonyms.get(word, frozenset()) | frozenset(group)
    classes: dict[str, frozenset[str]] = {}
    for name, units in raw["unit_classes"].items():
        expanded: set[str] = set()
        for unit in units:
            expanded |= set(currencies) if unit == _CURRENCIES else {unit}
        classes[name] = frozenset(expanded)
    return CheckLexicon(
        version=raw["version"],
        generic_measures=frozenset(raw["generic_measures"]),
        synonyms=synonyms,
        unit_classes=classes,
        measure_units={k: tuple(v) for k, v in raw["measure_units"].items()},
        change_cue=re.compile(raw["change_cue"], re.IGNORECASE),
        target_cue=re.compile(raw["target_cue"], re.IGNORECASE),
        meeting_formats=_patterns(raw["meeting_formats"]),
        head_of_state_words=tuple(raw["head_of_state_words"]),
        agreement_kinds=_patterns(raw["agreement_kinds"]),
        agreement_status=_patterns(raw["agreement_status"]),
        project_status=_patterns(raw["project_status"]),
        regions={k: tuple(v) for k, v in raw["regions"].items()},
        share_after=re.compile(raw["share_after"], re.IGNORECASE),
        not_a_measure_before=re.compile(raw["not_a_measure_before"], re.IGNORECASE),
    )
