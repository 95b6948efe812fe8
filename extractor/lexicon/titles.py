"""Titles and bodies of officials (``data/titles.json``): what is a role, not a name.

Read by the offline backend (the role before a name, the words a person span drops) and by
consolidation (the words a participant's name drops, which titles are a head of state's).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractor.lexicon._files import read
from extractor.lexicon.folding import fold

__all__ = ["Titles", "titles", "version"]


@dataclass(frozen=True, slots=True)
class Titles:
    """The title lexicon.

    Attributes:
        version: The version of the data file.
        role_heads: Lower-case starts of a title a role phrase opens with.
        title_words: Word forms that are a title, never part of a name (lower case, ё as е).
        bodies: Words of state bodies; a name span holding one is no person.
        head_of_state_titles: Title words that make a role a head of state's.
        head_of_state_phrases: Phrases naming a head of state without a name.
        head_of_state_role: The role such a phrase gives ("Глава государства").
    """

    version: str
    role_heads: tuple[str, ...]
    title_words: frozenset[str]
    bodies: frozenset[str]
    head_of_state_titles: frozenset[str]
    head_of_state_phrases: tuple[str, ...]
    head_of_state_role: str

    def is_title_word(self, word: str) -> bool:
        """Whether a word form is a title ("Президентом", "министр")."""
        return fold(word) in self.title_words


@lru_cache(maxsize=1)
def titles() -> Titles:
    """The title lexicon, read once."""
    data = read("titles")
    head = data["head_of_state"]
    return Titles(
        version=str(data["version"]),
        role_heads=tuple(data["role_heads"]),
        title_words=frozenset(fold(w) for w in data["title_words"]),
        bodies=frozenset(data["bodies"]),
        head_of_state_titles=frozenset(head["titles"]),
        head_of_state_phrases=tuple(head["phrases"]),
        head_of_state_role=str(head["role"]),
    )


def version() -> str:
    """The version of the title lexicon."""
    return titles().version
