"""Russian number words: a lexicon of every case form and a composer for word sequences.

Where the pieces come from (see docs/figures.md):

* number-parser's Russian table (``number_parser.data.ru``) gives the case forms of the cardinals
  and of тысяча/миллион/миллиард/триллион;
* pymorphy3 fills what that table lacks by generating the full lexeme of each cardinal lemma
  (ё-forms such as "трёх", "тысячью", "одною", "полутора", "полутораста");
* by hand: the fraction words (полтора, половина, треть, четверть), "пол-" compounds
  ("полмиллиарда", "пол-миллиона"), "с половиной", ratio adverbs ("вдвое") and the composer
  itself, which must stop at "пять-шесть" (a range, not 11) and at "два три" (two numbers).

The lexicon is built once, lazily, on first use: loading pymorphy3 costs ~0.2 s and nothing should
pay it at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractor.core.morphology import morph
from extractor.lexicon.folding import fold as fold

# Fractions and their case forms.  "третью" is left out on purpose: it is far more often the
# ordinal ("третью очередь") than "a third".
_FRACTION_LEMMAS: dict[str, float] = {
    "полтора": 1.5,
    "полтораста": 150.0,
    "половина": 0.5,
    "треть": 1 / 3,
    "четверть": 0.25,
}
_AMBIGUOUS_FORMS = frozenset({"третью", "третей", "тыщ", "сорока"})

# Adverbs of multiplication: "вдвое" = two times.
RATIO_ADVERBS: dict[str, float] = {
    "вдвое": 2,
    "втрое": 3,
    "вчетверо": 4,
    "впятеро": 5,
    "вшестеро": 6,
    "всемеро": 7,
    "ввосьмеро": 8,
    "вдевятеро": 9,
    "вдесятеро": 10,
}

SCALES = frozenset({1e3, 1e6, 1e9, 1e12})

# Vague amounts: "несколько", "десятки", "сотни" (in any case), alone or in pairs ("несколько
# десятков", "несколько сотен"), before a scale or a unit ("несколько миллионов евро", "сотни
# тысяч рублей"). A plural scale word ("миллионы", "тысячи") is vague in the same way. The words
# guarantee only a lower bound: "несколько" and a plural mean two or more, so "несколько" = 2+,
# "десятки" = 20+, "сотни" = 200+, "тысячи" = 2000+, "миллионы" = 2e6+, and "несколько сотен
# тысяч" = 2 x 100 x 1000 = 2e5+ (the factor 2 counts once per phrase).
_VAGUE_FIRST = r"нескольк(?:о|их|им|ими)|десятк(?:и|ов|ам|ами|ах)|сот(?:ни|ен|ням|нями|нях)"
_VAGUE_NEXT = r"десятк(?:ов|и|ам|ами|ах)|сот(?:ен|ни|ням|нями|нях)"
VAGUE_PATTERN = rf"(?:{_VAGUE_FIRST})(?![а-яё])(?:[ \u00a0]+(?:{_VAGUE_NEXT})(?![а-яё]))?"
VAGUE_FACTOR = 2.0  # "несколько", "миллионы": at least two


def vague_value(words: str) -> float:
    """The lower bound of a vague word phrase ("несколько десятков" -> 20.0, "сотни" -> 200.0)."""
    w = fold(words)
    return VAGUE_FACTOR * 10.0 ** w.count("десятк") * 100.0 ** w.count("сот")


_NOUN_FRACTIONS = frozenset({0.5, 1 / 3, 0.25})


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """Return every known number-word form (folded) with its value; built once."""
    from number_parser.data.ru import info

    table: dict[str, float] = {}
    for key in ("UNIT_NUMBERS", "DIRECT_NUMBERS", "TENS", "HUNDREDS", "BIG_POWERS_OF_TEN"):
        for form, value in info[key].items():
            if value <= 1e12:
                table[fold(form)] = float(value)
    lemmas: dict[str, float] = {w: v for w, v in table.items()}
    lemmas.update(_FRACTION_LEMMAS)
    analyzer = morph()
    for lemma, value in lemmas.items():
        for parse in analyzer.parse(lemma):
            # "сто" parses first as an abbreviation noun; take the parse whose lemma is ours.
            if parse.normal_form != lemma:
                continue
            for form in parse.lexeme:
                key = fold(form.word)
                if key not in table and key not in _AMBIGUOUS_FORMS:
                    table[key] = value
    for form in _AMBIGUOUS_FORMS | {"двасти"}:  # "двасти": a typo in number-parser's table
        table.pop(form, None)
    for form in ("сорок", "сорока"):  # "сорока" is also a magpie, but in figures it is 40
        table[form] = 40.0
    return table


@lru_cache(maxsize=1)
def words_pattern() -> str:
    """Return a regex (no groups) matching one number word in any case form."""
    return trie_regex(lexicon().keys())


def trie_regex(words: Any) -> str:
    """Build a prefix-trie regex from words so that a scan fails fast at the first letter."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    # ё is folded to е in the lexicon; accept either in the text.
    return emit(trie).replace("е", "[её]")


@dataclass(frozen=True, slots=True)
class WordNumber:
    """A composed number-word sequence: its value and how many words it used."""

    value: float
    used: int
    ends_with_scale: bool
    value_max: float | None = None


def _order(v: float) -> int:
    """Return the slot of a small cardinal: 3 hundreds, 2 tens, 1 teens, 0 units."""
    if v >= 100:
        return 3
    if v >= 20:
        return 2
    if v >= 10:
        return 1
    return 0


def compose(words: list[str], seps: list[str] | None = None) -> WordNumber | None:
    """Compose number words ("двухсот", "тридцати", "семи", "тысяч") into one value.

    Args:
        words: Consecutive number words as written.
        seps: The text between word i and word i+1 (len(words) - 1 items); a hyphen between two
            numbers of the same slot makes a range ("пять-шесть").

    Returns:
        The value of the longest valid prefix, or ``None`` when the first word is not a number.
    """
    table = lexicon()
    total = 0.0
    cur = 0.0
    last_slot = 4  # nothing yet: any slot may follow
    used = 0
    ends_with_scale = False
    last_scale = float("inf")
    for i, word in enumerate(words):
        if word.startswith("с ") and word.endswith("половиной"):
            # "два с половиной" = 2.5; nothing but a scale may follow it
            if not used or ends_with_scale or last_slot == -1:
                break
            cur += 0.5
            last_slot = -1
            used += 1
            continue
        v = table.get(fold(word))
        if v is None:
            break
        if v in SCALES:
            # "миллионов тысяча" = +1000; a scale never grows after another ("тысяча миллионов")
            if used and v >= last_scale:
                break
            last_scale = v
            total += (cur if cur else 1.0) * v
            cur = 0.0
            last_slot = 4
            ends_with_scale = True
        elif v in _NOUN_FRACTIONS:
            # "две трети" = 2/3; a lone "треть" = 1/3
            if used and not ends_with_scale and cur:
                cur *= v
                last_slot = -1
            elif used:
                break
            else:
                cur = v
                last_slot = -1
            ends_with_scale = False
        else:
            slot = _order(v) if v == int(v) else -1  # полтора: nothing may follow but a scale
            if used and (slot >= last_slot or last_slot == 1 or last_slot == -1):
                if (
                    seps is not None
                    and i == used
                    and i == 1
                    and seps[0].strip() in {"-", "–", "—"}
                    and v > cur
                ):
                    return WordNumber(cur, 2, False, value_max=v)
                break
            cur += v
            last_slot = slot
            ends_with_scale = False
        used += 1
    if not used:
        return None
    return WordNumber(total + cur, used, ends_with_scale)
