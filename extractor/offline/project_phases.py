"""Phases of works on a project named before: a project of their own, with their own stage.

"В рамках второго этапа расширения, который уже строится" after the port was named: the second
phase of the port's expansion, under construction. Also :class:`Found`, a project while the
article is read, which the phase rule and the project rules share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.lexicon.folding import fold
from extractor.offline.nlp import Sentence, parses
from extractor.offline.project_cues import status_cue
from extractor.offline.project_sites import PLANTS, nominative_adj
from schemas.enums import ProjectStatus


@dataclass
class Found:
    """A project while the article is read: its record fields and every mention's stage."""

    name: str
    sector: str
    head: str
    places: list[str]
    countries: list[str]
    default: ProjectStatus
    cues: list[ProjectStatus] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


# A phase of works on a project named before: "В рамках второго этапа расширения, который уже
# строится", "второй фазы расширения порта" — a project of its own, with its own stage.
_PHASE = re.compile(
    r"(?P<phase>(?:перв|втор|трет|четверт|нов)[а-яё]*\s+(?:этап|фаз|очеред)[а-яё]*)\s+"
    r"(?P<work>расширения|модернизации|реконструкции)"
    r"(?:\s+(?P<what>порт[а-яё]*|ГЭС|станци[а-яё]*|терминал[а-яё]*|дорог[а-яё]*))?",
    re.I,
)
_PHASE_OF = {
    "порт": ("порт", "сухой порт"),
    "терминал": ("терминал",),
    "дорог": ("автомобильная дорога", "железная дорога"),
}


def _genitive(name: str) -> str:
    """A project name in the genitive ("Бакинский морской порт" -> "Бакинского морского порта")."""
    out = []
    words = name.split()
    for i, w in enumerate(words):
        nomn = next(
            (p for p in parses(w) if p.tag.POS in ("NOUN", "ADJF") and "nomn" in p.tag), None
        )
        form = nomn.inflect({"gent"}) if nomn is not None else None
        word = str(form.word) if form else w
        out.append(word[:1].upper() + word[1:] if w[:1].isupper() else word)
        if nomn is not None and nomn.tag.POS == "NOUN":
            return " ".join(out + words[i + 1 :])  # "порта Курык": the name stays as it is
    return " ".join(out)


def add_phases(sents: list[Sentence], found: dict[str, Found]) -> None:
    """Add a project for each phase of works on the one project of its kind named before it."""
    for i, s in enumerate(sents):
        for m in _PHASE.finditer(s.text):
            what = (m.group("what") or "").lower()
            heads = next((h for stem, h in _PHASE_OF.items() if what.startswith(stem)), None)
            if what.startswith(("гэс", "станци")):
                heads = PLANTS
            # the project of that kind named last, in this sentence or the three before it
            target = None
            for j in range(i, max(-1, i - 4), -1):
                named = [
                    p
                    for p in found.values()
                    if sents[j].text in p.quotes and (heads is None or p.head in heads)
                ]
                if named:
                    target = named[0] if len(named) == 1 else None
                    break
            if target is None:
                continue
            adj, noun = m.group("phase").split()
            noun = _nominative_noun(noun)
            gender = "masc" if noun.lower() == "этап" else "femn"
            phase = f"{nominative_adj(adj, gender)} {noun}"
            name = f"{phase} {m.group('work').lower()} {_genitive(target.name)}"
            cue = status_cue(s.text[max(0, m.start() - 20) : m.end() + 80])
            key = fold(name)
            if key in found:
                continue
            found[key] = Found(
                name,
                target.sector,
                target.head,
                list(target.places),
                list(target.countries),
                ProjectStatus.planned,
                [cue] if cue else [],
                [s.text],
            )


def _nominative_noun(word: str) -> str:
    """A noun in the nominative singular ("этапа" -> "этап")."""
    p = next((p for p in parses(word) if p.tag.POS == "NOUN"), None)
    form = p.inflect({"nomn", "sing"}) if p else None
    return str(form.word) if form else word
