"""Personal-name morphology (``data/names.json``): case endings and surname suffixes.

Read by the one name normaliser (:mod:`extractor.core.names`), which the offline backend and
consolidation share.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractor.lexicon._files import read

__all__ = ["NameMorphology", "names", "version"]


@dataclass(frozen=True, slots=True)
class NameMorphology:
    """Endings and suffixes of Russian and Central Asian personal names (see the data file)."""

    version: str
    case_endings: tuple[str, ...]
    surname_suffixes: tuple[str, ...]
    declining_suffixes: tuple[str, ...]
    masculine_endings: tuple[str, ...]
    feminine_endings: tuple[str, ...]
    consonant_endings: tuple[str, ...]


@lru_cache(maxsize=1)
def names() -> NameMorphology:
    """The name lexicon, read once."""
    data = read("names")
    return NameMorphology(
        version=str(data["version"]),
        case_endings=tuple(sorted(data["case_endings"], key=len, reverse=True)),
        surname_suffixes=tuple(data["surname_suffixes"]),
        declining_suffixes=tuple(data["declining_suffixes"]),
        masculine_endings=tuple(data["masculine_endings"]),
        feminine_endings=tuple(data["feminine_endings"]),
        consonant_endings=tuple(data["consonant_endings"]),
    )


def version() -> str:
    """The version of the name lexicon."""
    return names().version
