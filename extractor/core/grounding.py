"""Locate a quote in the article text: exact, normalized, fuzzy or unresolved, with offsets.

Pure functions. Normalisation folds only what Russian news varies in without changing meaning
(case, ё/е, the many quote marks, dashes, runs of white space) and keeps a map back to the
original offsets, so a span found in the normalised text is a span of the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from schemas.enums import GroundingStatus

# Why 90: on the planted cases in tests/test_grounding.py a model's light paraphrases of a
# sentence (a dropped word, a changed case ending, a swapped particle) score 90-99, while a
# quote from another sentence of the same article scores below 80. 90 keeps the first and
# never the second. Quotes shorter than FUZZY_MIN_CHARS are never matched fuzzily: a short
# string matches too many places by chance.
FUZZY_THRESHOLD = 90.0
FUZZY_MIN_CHARS = 20

_FOLD = str.maketrans(
    {
        "ё": "е",
        "Ё": "е",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "'": '"',
        "‘": '"',
        "’": '"',
        "‚": '"',
        "–": "-",
        "—": "-",
        "−": "-",
        "‒": "-",
        "―": "-",
        "‑": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
    }
)


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote stands in the text and how it was found."""

    start: int | None
    end: int | None
    status: GroundingStatus
    score: float | None = None


def normalize(text: str) -> tuple[str, list[int]]:
    """Fold case, ё, quotes, dashes and white-space runs; return the text and an offset map.

    ``offsets[i]`` is the index in ``text`` of the character at ``i`` in the result, and
    ``offsets[len(result)]`` is ``len(text)``, so a span ``[a, b)`` of the result maps back to
    ``[offsets[a], offsets[b - 1] + 1)``.
    """
    out: list[str] = []
    offsets: list[int] = []
    folded = text.translate(_FOLD)
    prev_space = False
    for i, ch in enumerate(folded):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            offsets.append(i)
            prev_space = True
            continue
        prev_space = False
        low = ch.lower()
        # lower() of a few characters is longer than one code point; keep one-to-one.
        out.append(low if len(low) == 1 else ch)
        offsets.append(i)
    offsets.append(len(text))
    return "".join(out), offsets


@lru_cache(maxsize=64)
def _normalized(text: str) -> tuple[str, tuple[int, ...]]:
    norm, offsets = normalize(text)
    return norm, tuple(offsets)


def _strip_quote(quote: str) -> str:
    return quote.strip().strip("\"'«»“”„").strip()


def ground(quote: str, text: str, near: int | None = None) -> Span:
    """Find ``quote`` in ``text``: exact, then normalized, then fuzzy; else unresolved.

    Args:
        quote: The quote a backend reported.
        text: The article text.
        near: Prefer the occurrence closest to this offset when the quote repeats.

    Returns:
        The span in ``text`` with its status (and the similarity score for a fuzzy match).
    """
    # "exact" promises text[start:end] == quote, so the quote is first sought as given.
    if quote.strip() and (hit := _closest_occurrence(text, quote, near)) is not None:
        return Span(hit, hit + len(quote), GroundingStatus.exact, 100.0)
    q = _strip_quote(quote)
    if not q:
        return Span(None, None, GroundingStatus.unresolved)
    hit = _closest_occurrence(text, q, near)
    if hit is not None:  # found once the surrounding spaces and quote marks are trimmed
        return Span(hit, hit + len(q), GroundingStatus.normalized, 100.0)

    norm_text, offsets = _normalized(text)
    norm_q, _ = normalize(q)
    norm_q = norm_q.strip()
    hit = _closest_occurrence(norm_text, norm_q, None if near is None else _to_norm(offsets, near))
    if hit is not None:
        start = offsets[hit]
        end = offsets[hit + len(norm_q) - 1] + 1
        return Span(start, end, GroundingStatus.normalized, 100.0)

    if len(norm_q) < FUZZY_MIN_CHARS:
        return Span(None, None, GroundingStatus.unresolved)
    alignment = fuzz.partial_ratio_alignment(norm_q, norm_text, score_cutoff=FUZZY_THRESHOLD)
    if alignment is not None and alignment.dest_end > alignment.dest_start:
        lo, hi = _word_bounds(norm_text, alignment.dest_start, alignment.dest_end)
        if same_names_and_numbers(q, text[offsets[lo] : offsets[hi - 1] + 1]):
            return Span(
                offsets[lo], offsets[hi - 1] + 1, GroundingStatus.fuzzy, round(alignment.score, 1)
            )
    return _by_sentence(q, text, norm_q, norm_text, offsets)


# A quote with a word dropped or two words swapped still has nearly all its words in its
# sentence, in another order: this share of its words (and at least this many) must be there.
SENTENCE_WORD_SHARE = 0.85
SENTENCE_MIN_WORDS = 4
_TOKEN = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_STEM = 5  # a name or number word is compared on its first letters (case endings vary)


def same_names_and_numbers(quote: str, span: str) -> bool:
    """Whether every number and every name of a quote stands in a span of the text.

    Numbers are compared as written; names (capitalised words after the first) on their first
    letters, so "Токаева" finds "Токаев" and "Алиев" does not. A quote may drop a word of its
    sentence, never change who or how much.
    """
    if not set(_NUMBER.findall(quote)) <= set(_NUMBER.findall(span)):
        return False
    return _names(quote) <= _stems(span)


def _names(text: str) -> set[str]:
    words = _TOKEN.findall(text)
    return {w[:_STEM].lower() for w in words[1:] if w[:1].isupper() and not w.isdigit()}


def _stems(text: str) -> set[str]:
    return {w[:_STEM].lower() for w in _TOKEN.findall(text)}


def _word_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Widen ``[lo, hi)`` to whole words."""
    while lo > 0 and text[lo - 1].isalnum():
        lo -= 1
    while hi < len(text) and text[hi].isalnum():
        hi += 1
    return lo, hi


def _by_sentence(
    quote: str, text: str, norm_q: str, norm_text: str, offsets: list[int] | tuple[int, ...]
) -> Span:
    """Land a quote on the one sentence holding nearly all its words (any order), if any."""
    q_words = _TOKEN.findall(norm_q)
    if len(q_words) < SENTENCE_MIN_WORDS:
        return Span(None, None, GroundingStatus.unresolved)
    q_set = set(q_words)
    best: tuple[float, int, int] | None = None
    for m in _SENTENCE.finditer(norm_text):
        words = [(w.group(0), w.start(), w.end()) for w in _TOKEN.finditer(m.group(0))]
        have = {w for w, _, _ in words}
        share = sum(w in have for w in q_words) / len(q_words)
        if share < SENTENCE_WORD_SHARE:
            continue
        hits = [(a, b) for w, a, b in words if w in q_set]
        lo, hi = m.start() + hits[0][0], m.start() + hits[-1][1]
        if not same_names_and_numbers(quote, text[offsets[lo] : offsets[hi - 1] + 1]):
            continue
        score = fuzz.token_sort_ratio(norm_q, norm_text[lo:hi])
        if best is None or score > best[0]:
            best = (score, lo, hi)
        elif score == best[0]:
            return Span(None, None, GroundingStatus.unresolved)  # two sentences fit: ambiguous
    if best is None or best[0] < SENTENCE_MIN_SCORE:
        return Span(None, None, GroundingStatus.unresolved)
    score, lo, hi = best
    return Span(offsets[lo], offsets[hi - 1] + 1, GroundingStatus.fuzzy, round(score, 1))


# token_sort_ratio of the quote and its words in the sentence: a dropped word or a swap scores
# above this; a sentence that merely shares most words with a short quote does not.
SENTENCE_MIN_SCORE = 80.0


def _closest_occurrence(haystack: str, needle: str, near: int | None) -> int | None:
    first = haystack.find(needle)
    if first < 0 or near is None:
        return first if first >= 0 else None
    best = first
    pos = first
    while (pos := haystack.find(needle, pos + 1)) >= 0:
        if abs(pos - near) < abs(best - near):
            best = pos
    return best


def _to_norm(offsets: tuple[int, ...], original: int) -> int:
    """Map an offset of the original text to the normalised text (first index at or after)."""
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if offsets[mid] < original:
            lo = mid + 1
        else:
            hi = mid
    return lo
