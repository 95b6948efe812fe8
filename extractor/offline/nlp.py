"""The models of the offline backend, loaded once per process, and the article view they build.

natasha's NER tagger (slovnet, over navec embeddings) finds person and place spans; pymorphy3
gives lemmas and case (``parses`` and ``lemma`` are the core's one cache, re-exported here). Both load lazily on first use and are shared by every backend instance.
The whole text goes through the NER tagger once (about 15 ms for a 3 kB article on one core);
everything else is rules over sentences.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from extractor.core.morphology import lemma, morph, parses

__all__ = [
    "Sentence",
    "Span",
    "lemma",
    "load_models",
    "ner_spans",
    "parses",
    "sentence_of",
    "sentences",
]

_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}


def load_models() -> dict[str, Any]:
    """Load the NER tagger and the morphological analyzer once per process and return them."""
    with _LOCK:
        if not _MODELS:
            _MODELS["ner"] = _load_ner()
            _MODELS["morph"] = morph()
        return _MODELS


def _load_ner() -> Any:
    """Natasha's news NER model (slovnet + navec), loaded from the files natasha ships.

    Importing ``natasha`` itself would build all its yargy grammars (about 0.3 s); the model
    files are read directly instead.
    """
    import importlib.util
    from pathlib import Path

    from navec import Navec
    from slovnet import NER

    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("natasha is not installed; install the project with `make install`")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    ner = NER.load(str(data / "model" / "slovnet_ner_news_v1.tar"))
    ner.navec(Navec.load(str(data / "emb" / "navec_news_v1_1B_250K_300d_100q.tar")))
    return ner


@dataclass(frozen=True, slots=True)
class Span:
    """A named-entity span: character offsets into the article text and its NER type."""

    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the article with its offsets."""

    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split text into sentences (razdel inside each paragraph), keeping exact offsets."""
    from razdel import sentenize

    out: list[Sentence] = []
    pos = 0
    for block in re.split(r"(\n+)", text):
        if block and not block.startswith("\n") and block.strip():
            for s in sentenize(block):
                out.append(Sentence(pos + s.start, pos + s.stop, s.text))
        pos += len(block)
    return out


# A block of links to other articles ("Читайте также:" and the headlines under it, up to the next
# blank line): other news, not this article's.
_RELATED = re.compile(
    r"^[ \t]*(?:Читайте\s+(?:также|еще|ещё)|Смотрите\s+также|Другие\s+новости|"
    r"Похожие\s+(?:новости|материалы)|Новости\s+по\s+теме|Материалы\s+по\s+теме|"
    r"По\s+теме|Последние\s+новости)[ \t]*:?[ \t]*\n(?:.+\n?)*",
    re.IGNORECASE | re.MULTILINE,
)


def body_sentences(text: str) -> list[Sentence]:
    """The article's sentences without the blocks of links to other news ("Читайте также:")."""
    blocks = [m.span() for m in _RELATED.finditer(text)]
    return [s for s in sentences(text) if not any(a <= s.start < b for a, b in blocks)]


def ner_spans(text: str) -> list[Span]:
    """Person, location and organisation spans of the whole text, from one NER pass."""
    if not text.strip():
        return []
    markup = load_models()["ner"](text)
    return [Span(s.start, s.stop, s.type, text[s.start : s.stop]) for s in markup.spans]


def sentence_of(sents: list[Sentence], offset: int) -> Sentence | None:
    """The sentence that contains a character offset."""
    for s in sents:
        if s.start <= offset < s.end:
            return s
    return None
