"""The one name normaliser: comparison forms of name tokens and their nominative.

Used by the offline backend (a person span's canonical nominative name) and by consolidation
(whether two name tokens are one name in different cases). The endings and suffixes are the name
lexicon's (:mod:`extractor.lexicon.names`); the dictionary checks use the core's one pymorphy3
cache.

* :func:`fold`: lower case, ``ё`` read as ``е`` - the comparison form of any Russian word.
* :func:`name_bases`, :func:`same_name`: ``Токаева`` ~ ``Токаевым`` (both from ``токаев``);
  an initial (``К.``) matches a name it starts with.
* :func:`is_surname`: ``-ов``, ``-ев``, ``-ин``, ``-ский``, ``-енко``, ``-улы`` ...
* :func:`nominative`: ``Токаевым`` -> ``Токаев``, ``Сердаром`` -> ``Сердар``, ``Мирзиёевой``
  stays feminine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.core.morphology import parses
from extractor.lexicon.folding import fold
from extractor.lexicon.names import names

__all__ = [
    "fold",
    "is_female_first_name",
    "is_surname",
    "name_bases",
    "nominative",
    "same_name",
    "surname_cases",
]


@dataclass(frozen=True, slots=True)
class _Patterns:
    surname: re.Pattern[str]
    masculine: re.Pattern[str]
    feminine: re.Pattern[str]
    consonant: re.Pattern[str]


def _alt(items: tuple[str, ...]) -> str:
    return "|".join(map(re.escape, items))


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    lex = names()
    stem = rf"^(?P<stem>.+(?:{_alt(lex.declining_suffixes)}))"
    return _Patterns(
        surname=re.compile(rf"(?:{_alt(lex.surname_suffixes)})$"),
        masculine=re.compile(rf"{stem}(?:{_alt(lex.masculine_endings)})?$"),
        feminine=re.compile(rf"{stem}(?:{_alt(lex.feminine_endings)})$"),
        consonant=re.compile(
            rf"^(?P<stem>.+[бвгджзклмнпрстфхцчшщ])(?:{_alt(lex.consonant_endings)})$"
        ),
    )


def name_bases(token: str) -> frozenset[str]:
    """The forms a name token may have before one case ending: ``Касыма`` -> {касыма, касым}."""
    word = fold(token).strip(".")
    out = {word}
    for ending in names().case_endings:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            out.add(word[: -len(ending)])
    return frozenset(out)


def same_name(a: str, b: str) -> bool:
    """Tell whether two name tokens are one name in different cases.

    ``Токаева`` ~ ``Токаевым`` (both from ``токаев``), ``Касым`` ~ ``Касыма``; an initial
    (``К.``, ``К.-Ж.``) matches a name it starts with.
    """
    fa, fb = fold(a), fold(b)
    if fa.endswith(".") or fb.endswith("."):
        short, full = (fa, fb) if fa.endswith(".") else (fb, fa)
        initials = [p.rstrip(".") for p in short.split("-")]
        parts = full.split("-")
        return len(initials) <= len(parts) and all(
            p.startswith(i) for i, p in zip(initials, parts, strict=False)
        )
    return bool(name_bases(a) & name_bases(b))


def is_surname(token: str) -> bool:
    """Tell whether a name token has a surname suffix (``-ов``, ``-ев``, ``-ин`` ...)."""
    pattern = _patterns().surname
    return any(pattern.search(b) for b in name_bases(token))


def is_female_first_name(token: str) -> bool:
    """Whether a first name is a known feminine name in the nominative (Анастасия, Малика)."""
    if token[-1:] not in "ая":
        return False
    for p in parses(token)[:2]:
        tag = p.tag
        if "Name" in tag and "femn" in tag and "nomn" in tag and p.is_known and p.score >= 0.5:
            return True
    return False


_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def surname_cases(token: str) -> frozenset[str]:
    """The cases a masculine surname may stand in ("Арипова" -> genitive, accusative)."""
    return frozenset(
        case
        for p in parses(token)
        if p.is_known and {"Surn", "masc", "sing"} <= set(p.tag.grammemes)
        for case in _CASES
        if case in p.tag
    )


def nominative(
    token: str, *, surname: bool, female: bool = False, cases: frozenset[str] = frozenset()
) -> str:
    """Put one name token in the nominative ("Токаевым" -> "Токаев", "Сердаром" -> "Сердар").

    ``cases``: the cases the surname next to a first name stands in; a first name agrees with
    it, so "Абдуллу Арипова" (accusative) is "Абдулла", not the dative of "Абдулл".
    """
    pats = _patterns()
    if "-" in token and not surname:
        head, _, tail = token.rpartition("-")
        return f"{head}-{nominative(tail, surname=False, female=female)}"
    if female:
        if m := pats.feminine.match(token):
            return m.group("stem") + "а"
        return token
    if m := pats.masculine.match(token):
        return m.group("stem")
    candidates = parses(token)
    # Already nominative ("Абдулла", "Никита"): pymorphy3 may rank "genitive of Абдулл" first.
    if any(
        p.is_known
        and {"Name", "masc", "sing", "nomn"} <= set(p.tag.grammemes)
        and p.normal_form == token.lower()
        for p in candidates
    ):
        return token
    if cases:
        # readings in the surname's case first (a stable sort keeps pymorphy3's order otherwise)
        candidates = tuple(sorted(candidates[:3], key=lambda p: not any(c in p.tag for c in cases)))
    for p in candidates[:3]:
        tag = p.tag
        if p.is_known and ({"Name", "Surn", "Patr"} & set(tag.grammemes)) and "masc" in tag:
            form = p.inflect({"nomn", "sing"})
            if form is not None:
                word = str(form.word)
                return word[:1].upper() + word[1:] if token[:1].isupper() else word
    if m := pats.consonant.match(token):
        return m.group("stem")
    return token
