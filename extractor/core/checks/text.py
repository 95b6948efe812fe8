"""One article text read once for the field checks: words, sentences and word matching.

Word matching is morphology-aware at two costs: two forms of one word share a stem and differ
only in an ending of up to three letters ("Бердымухамедов" / "Бердымухамедовым", "Астана" /
"Астане"); short or irregular words are compared by their pymorphy3 lemmas. Only the words
being checked are lemmatised, never the whole text, which keeps a check of a whole extraction
within a few milliseconds.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.core.checks.gazetteer import city_country, countries_of_word, country_keys
from extractor.core.morphology import morph
from schemas.enums import CheckStatus
from schemas.records import FieldCheck

_WORD = re.compile(r"[А-Яа-яЁёA-Za-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[»\"”]?\s+(?=[«\"“(]?[А-ЯЁA-Z0-9])|\n\s*")
# A stem shared by two forms, and the longest case ending one may add to the other.
MIN_STEM = 4
MAX_ENDING = 3
_KEY = 2  # words are indexed by their first two letters


def fold(word: str) -> str:
    """Lower case with ё folded to е: the form words are compared in."""
    return word.lower().replace("ё", "е").replace("‑", "-")


@lru_cache(maxsize=32768)
def lemmas(word: str) -> frozenset[str]:
    """Every pymorphy3 normal form of a word (folded)."""
    return frozenset(fold(p.normal_form) for p in morph().parse(word))


@lru_cache(maxsize=32768)
def same_word(a: str, b: str) -> bool:
    """Whether two folded words are forms of one word.

    Fast path: one is the other plus at most a short ending ("Токаев" / "Токаевым"), or they
    differ only in their last letter ("Астана" / "Астане"). Otherwise their pymorphy3 lemmas must
    meet, so "перевозки" / "перевозок" match and "торговля" / "торговую" do not.
    """
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    short, long_ = sorted((len(a), len(b)))
    if n >= MIN_STEM and n >= short - 1 and long_ - n <= MAX_ENDING:
        return True
    if n < min(MIN_STEM - 1, short - 1):
        return False  # stems that part before their third letter are different words
    return bool(lemmas(a) & lemmas(b))


@lru_cache(maxsize=16384)
def is_noun(word: str) -> bool:
    """Whether pymorphy3's best parse of a word is a noun."""
    tag = morph().parse(word)[0].tag
    return "NOUN" in tag


@dataclass(frozen=True, slots=True)
class Word:
    """One word of the text."""

    start: int
    end: int
    text: str
    low: str


@dataclass
class Text:
    """An article read for checking: its words (indexed by first letters) and sentences."""

    text: str
    words: list[Word]
    sentence_starts: list[int]
    word_starts: list[int] = field(default_factory=list)
    _by_key: dict[str, list[int]] = field(default_factory=dict)
    _countries: dict[str, list[tuple[int, int]]] | None = None
    _city_countries: dict[str, list[tuple[int, int, str]]] | None = None

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence around an offset, as ``(start, end)``."""
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        start = self.sentence_starts[max(i, 0)]
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return start, end

    def sentences_before(self, pos: int, n: int) -> int:
        """The start of the ``n``-th sentence before the one around ``pos``."""
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[max(i - n, 0)]

    def sentences_after(self, pos: int, n: int) -> int:
        """The end of the ``n``-th sentence after the one around ``pos``."""
        i = bisect.bisect_right(self.sentence_starts, pos) - 1 + n + 1
        return self.sentence_starts[i] if i < len(self.sentence_starts) else len(self.text)

    def find(self, word: str, lo: int = 0, hi: int | None = None) -> list[Word]:
        """Every word of the text in ``[lo, hi)`` that is a form of ``word``."""
        w = fold(word)
        hi = len(self.text) if hi is None else hi
        out = []
        for i in self._by_key.get(w[:_KEY], ()):
            cand = self.words[i]
            if lo <= cand.start and cand.end <= hi and same_word(w, cand.low):
                out.append(cand)
        return out

    def find_phrase(self, phrase: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
        """Spans where the words of ``phrase`` stand in a row, each in any case form."""
        parts = [m.group(0) for m in _WORD.finditer(phrase)]
        if not parts:
            return []
        out = []
        for first in self.find(parts[0], lo, hi):
            i = self._index_of(first)
            j = i
            ok = True
            for part in parts[1:]:
                j += 1
                if j >= len(self.words) or not same_word(fold(part), self.words[j].low):
                    ok = False
                    break
            if ok and (hi is None or self.words[j].end <= hi):
                out.append((first.start, self.words[j].end))
        return out

    def _index_of(self, word: Word) -> int:
        return bisect.bisect_left(self.word_starts, word.start)

    def countries(self) -> dict[str, list[tuple[int, int]]]:
        """Where each country is named by its name or an adjective."""
        if self._countries is None:
            found: dict[str, list[tuple[int, int]]] = defaultdict(list)
            keys = country_keys()
            for w in self.words:
                if w.low[:2] in keys:
                    for code in countries_of_word(w.text):
                        found[code].append((w.start, w.end))
            self._countries = dict(found)
        return self._countries

    def city_countries(self) -> dict[str, list[tuple[int, int, str]]]:
        """Where each country is implied by one of its cities (gazetteer)."""
        if self._city_countries is None:
            found: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
            for w in self.words:
                if w.text[:1].isupper() and (hit := city_country(w.text)) is not None:
                    found[hit[1]].append((w.start, w.end, hit[0]))
            self._city_countries = dict(found)
        return self._city_countries


@lru_cache(maxsize=8)
def read(text: str) -> Text:
    """Read a text once: words, sentence starts and the index of words by their first letters."""
    low = fold(text)
    if len(low) != len(text):  # a character whose lower case is longer: fold word by word
        words = [
            Word(m.start(), m.end(), m.group(0), fold(m.group(0))) for m in _WORD.finditer(text)
        ]
    else:
        words = [
            Word(m.start(), m.end(), m.group(0), low[m.start() : m.end()])
            for m in _WORD.finditer(text)
        ]
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    doc = Text(
        text=text,
        words=words,
        sentence_starts=sorted(set(starts)),
        word_starts=[w.start for w in words],
    )
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, w in enumerate(words):
        by_key[w.low[:_KEY]].append(i)
    doc._by_key = dict(by_key)
    return doc


# Longest quote a reason repeats; the offsets always give the whole span.
QUOTE_CHARS = 80
_WORD_CHAR = re.compile(r"\w")


def word_span(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Widen a span to whole words ("предлож" -> "предложил")."""
    start, end = span
    while start > 0 and _WORD_CHAR.match(text[start - 1]):
        start -= 1
    while end < len(text) and _WORD_CHAR.match(text[end]):
        end += 1
    return start, end


def supported(path: str, span: tuple[int, int], text: str, what: str = "") -> FieldCheck:
    """A check that a span of the text states the value (widened to whole words)."""
    span = word_span(text, span)
    quote = " ".join(text[span[0] : span[1]].split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[: QUOTE_CHARS - 1].rstrip() + "…"
    reason = f"«{quote}»" + (f" ({what})" if what else "")
    return FieldCheck(
        field=path, status=CheckStatus.supported, start=span[0], end=span[1], reason=reason
    )


def inferred(path: str, reason: str, span: tuple[int, int] | None = None) -> FieldCheck:
    """A check that a named rule derives the value from what the text states."""
    return FieldCheck(
        field=path,
        status=CheckStatus.inferred,
        start=None if span is None else span[0],
        end=None if span is None else span[1],
        reason=reason,
    )


def unsupported(path: str, reason: str) -> FieldCheck:
    """A check that found nothing in the text stating the value; ``reason`` says what was sought."""
    return FieldCheck(field=path, status=CheckStatus.unsupported, reason=reason)
