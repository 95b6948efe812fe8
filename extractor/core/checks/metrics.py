"""A metric's name, unit, kind, period and scope against the clause of its figure.

The name must name the measured noun of the figure's sentence ("объем перевозок составил 1,5 млн
тонн": перевозки); a generic head ("объем", "количество") is skipped for the noun it governs. The
unit must be one the measured noun can be counted in (a cost in money, freight in tonnes: the
table is ``measure_units`` of the check lexicon) and the figure must be found in that unit. A
change needs a change word at the figure, a target a goal cue before it.
"""

from __future__ import annotations

import re

from extractor.core.checks.dates import check_period
from extractor.core.checks.gazetteer import lexicon
from extractor.core.checks.places import Window, check_country, check_place
from extractor.core.checks.text import (
    Text,
    Word,
    fold,
    inferred,
    is_noun,
    lemmas,
    supported,
    unsupported,
)
from extractor.core.figures import find_figures
from extractor.core.morphology import morph
from schemas.enums import MetricKind, VerificationStatus
from schemas.records import FieldCheck, Metric

_NAME_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁёA-Za-z0-9]+)*")
# How far around a figure a change word or a goal cue may stand (characters, in its sentence).
CHANGE_BEFORE = 70
CHANGE_AFTER = 50
TARGET_AFTER = 30
_ANAPHOR = re.compile(
    r"(?<![а-яё])(?:его|ее|её|он|она|оно|их|этот\s+показатель|данный\s+показатель)(?![а-яё])",
    re.IGNORECASE,
)
# A noun named this many sentences before the figure's still names what it measures ("его").
BACK_SENTENCES = 2


def head_nouns(name: str) -> list[str]:
    """The nouns of a metric's name, the measured one first (generic heads such as "объем" last)."""
    lex = lexicon()
    nouns = [w for w in _NAME_WORD.findall(name) if len(w) >= 3 and is_noun(w)]
    key = [w for w in nouns if not (lemmas(w) & lex.generic_measures)]
    generic = [w for w in nouns if w not in key]
    return key + generic if key else generic or _NAME_WORD.findall(name)[:1]


def _forms(word: str) -> list[str]:
    """The word and the synonyms of its lemma (товарооборот ~ торговля)."""
    syn = lexicon().synonyms
    out = [word]
    for lemma in lemmas(word):
        out.extend(sorted(syn.get(lemma, ())))
    return out


def _find_any(doc: Text, words: list[str], lo: int, hi: int) -> Word | None:
    """The first word of ``[lo, hi)`` that is a form of one of ``words``.

    A verb that only names a measure in its other sense ("поставили задачу", not "поставили
    газ") does not count.
    """
    not_measure = lexicon().not_a_measure_before
    for w in words:
        for hit in doc.find(w, lo, hi):
            if not not_measure.match(doc.text, hit.end):
                return hit
    return None


def measure_units(name: str) -> tuple[str, set[str]] | None:
    """The measured noun of a name and the units it can be counted in, when the table knows it."""
    lex = lexicon()
    heads = head_nouns(name)
    if not heads:
        return None
    head = sorted(lemmas(heads[0]))
    for lemma in head:
        classes = lex.measure_units.get(lemma)
        if classes is not None:
            return lemma, {u for c in classes for u in lex.unit_classes[c]}
    # A word the table knows only through its synonyms counts in any of theirs:
    # "транспортировка" is "перевозка" (t) and "транзит" (t, m3), so gas transported in m3 fits.
    synonyms = sorted({s for h in head for s in lex.synonyms.get(h, ())})
    known = [s for s in synonyms if s in lex.measure_units]
    if not known:
        return None
    return known[0], {u for s in known for c in lex.measure_units[s] for u in lex.unit_classes[c]}


def anchor(metric: Metric, doc: Text, windows: list[Window]) -> tuple[int, int] | None:
    """The figure a metric's other fields are read at.

    The verified figure; else the figure of the quoted evidence stated in the metric's unit (its
    value is the verification's concern, not these checks').
    """
    v = metric.verification
    if v.status is VerificationStatus.verified and v.start is not None and v.end is not None:
        return v.start, v.end
    for fig in find_figures(doc.text):
        if fig.unit == metric.unit and not fig.vague:
            if any(lo <= fig.start and fig.end <= hi for lo, hi in windows):
                return fig.start, fig.end
    return None


def check_metric(metric: Metric, doc: Text, windows: list[Window]) -> list[FieldCheck]:
    """Check a metric's name, unit, kind, period and scope at its figure."""
    figure = anchor(metric, doc, windows)
    if figure is not None:
        near = [(doc.sentences_before(figure[0], 1), doc.sentences_after(figure[0], 1))]
    else:
        near = windows
    out = [_check_name(metric, doc, figure, windows)]
    if metric.unit:
        out.append(_check_unit(metric, doc, figure))
    out.append(_check_kind(metric, doc, figure))
    if metric.period is not None:
        out.append(check_period("period", metric.period, doc))
    for i, code in enumerate(metric.scope.countries):
        out.append(check_country(f"scope.countries[{i}]", code, doc, near))
    for i, place in enumerate(metric.scope.route):
        out.append(check_place(f"scope.route[{i}]", place, doc))
    return out


def _what_is_measured(doc: Text, figure: tuple[int, int]) -> str:
    lo, _ = doc.sentence(figure[0])
    nouns = [
        w.text
        for w in doc.words
        if lo <= w.start < figure[0] and len(w.low) >= 4 and w.low.isalpha() and is_noun(w.text)
    ]
    return ", ".join(f"«{n}»" for n in nouns[-4:]) or "no noun"


def _check_name(
    metric: Metric, doc: Text, figure: tuple[int, int] | None, windows: list[Window]
) -> FieldCheck:
    heads = head_nouns(metric.name)
    if not heads:
        return unsupported("name", f"«{metric.name}» names no measured noun")
    head = heads[0]
    if (what := _not_a_measure(head)) is not None:
        return unsupported("name", f"«{head}» is {what}, not something measured")
    forms = _forms(head)
    if figure is None:
        for lo, hi in windows:
            hit = _find_any(doc, forms, lo, hi)
            if hit is not None:
                return inferred(
                    "name",
                    f"«{hit.text}» is in the quoted evidence; the figure itself is not verified",
                    (hit.start, hit.end),
                )
        return unsupported(
            "name", f"«{head}» (what «{metric.name}» measures) is not in the quoted evidence"
        )
    lo, hi = doc.sentence(figure[0])
    hit = _find_any(doc, forms, lo, hi)
    if hit is not None:
        return supported("name", (hit.start, hit.end), doc.text, "the measured noun")
    share = _share(metric, doc, figure, heads[0])
    if share is not None:
        return share
    back = doc.sentences_before(figure[0], BACK_SENTENCES)
    hit = _find_any(doc, forms, back, lo)
    anaphor = _ANAPHOR.search(doc.text, lo, figure[0])
    if (
        hit is not None
        and anaphor is None
        and not _names_a_measure(doc, lo, figure[0])
        and _noun_after(doc, figure[1]) is None
    ):
        return inferred(
            "name",
            f"«{hit.text}» is named in the sentence before; the figure's sentence names no "
            "measure of its own",
            (hit.start, hit.end),
        )
    if hit is not None and anaphor is not None:
        return inferred(
            "name",
            f"«{hit.text}» is named in the sentence before and the figure's sentence refers "
            f"back to it («{anaphor.group(0)}»)",
            (hit.start, hit.end),
        )
    return unsupported(
        "name",
        f"«{head}» (what «{metric.name}» measures) is not in the sentence of the figure "
        f"«{doc.text[figure[0] : figure[1]]}»; before the figure it speaks of "
        f"{_what_is_measured(doc, figure)}",
    )


def _share(metric: Metric, doc: Text, figure: tuple[int, int], head: str) -> FieldCheck | None:
    """A percent followed by "от"/"из" ("60,6% от торговли") states a share."""
    if metric.unit != "%" or "доля" not in lemmas(head):
        return None
    m = lexicon().share_after.match(doc.text, figure[1], figure[1] + 20)
    if m is None:
        return None
    return inferred(
        "name", f"«{doc.text[figure[0] : m.end()]}»: a percent of a whole is a share", figure
    )


_NOT_MEASURES = {"Abbr": "an abbreviation or a unit", "Name": "a first name", "Surn": "a surname"}


def _not_a_measure(word: str) -> str | None:
    """What a name's head is when it cannot name a measure ("кв", "Кирилл", "ной" of "11 ноя")."""
    best = morph().parse(word)[0].tag
    return next((what for gram, what in _NOT_MEASURES.items() if gram in best), None)


def _names_a_measure(doc: Text, lo: int, hi: int) -> bool:
    """Whether a stretch of text names something measured (a noun of the measure tables)."""
    lex = lexicon()
    vocabulary = set(lex.measure_units) | set(lex.synonyms) | set(lex.generic_measures)
    return any(
        lemmas(w.text) & vocabulary for w in doc.words if lo <= w.start < hi and len(w.low) >= 4
    )


# Nouns after a figure that say when, not what ("к 2027 году").
_TIME_NOUNS = frozenset("год месяц квартал полугодие день неделя раз сутки".split())
_AFTER_FIGURE = 3  # words after a figure that may still name what it counts ("юаней помощи")


def _noun_after(doc: Text, end: int) -> str | None:
    """A noun right after a figure, in its clause, that names what it counts ("тонн грузов")."""
    s_end = doc.sentence(end)[1]
    clause = re.split(r"[,;:()«»]", doc.text[end:s_end], maxsplit=1)[0]
    words = re.findall(r"[А-Яа-яЁё]+", clause)[:_AFTER_FIGURE]
    if words and fold(words[0]) in {"к", "в", "за", "на", "до", "по", "с", "из", "от"}:
        return None
    for w in words:
        if len(w) >= 4 and is_noun(w) and not (lemmas(w) & _TIME_NOUNS):
            return w
    return None


def _check_unit(metric: Metric, doc: Text, figure: tuple[int, int] | None) -> FieldCheck:
    unit = metric.unit or ""
    measure = measure_units(metric.name)
    if measure is not None and unit not in measure[1]:
        return unsupported(
            "unit",
            f"«{metric.name}» measures {measure[0]}, which is not counted in {unit}",
        )
    if figure is None:
        return unsupported(
            "unit",
            f"no figure in {unit} in the quoted evidence, and {metric.value:g} {unit} is not "
            f"stated: {metric.verification.reason or metric.verification.status.value}",
        )
    return supported("unit", figure, doc.text, f"the figure in {unit}")


def _check_kind(metric: Metric, doc: Text, figure: tuple[int, int] | None) -> FieldCheck:
    if figure is None:
        return unsupported(
            "kind", "no figure in the metric's unit in the article to read its kind at"
        )
    lex = lexicon()
    s_lo, s_hi = doc.sentence(figure[0])
    surface = doc.text[figure[0] : figure[1]]
    if metric.kind is MetricKind.level:
        return supported("kind", figure, doc.text, "a figure stated as it is")
    if metric.kind is MetricKind.change:
        before = doc.text[max(s_lo, figure[0] - CHANGE_BEFORE) : figure[0]]
        after_end = min(s_hi, figure[1] + CHANGE_AFTER)
        after = doc.text[figure[1] : after_end]
        m = lex.change_cue.search(before)
        if m is not None:
            start = max(s_lo, figure[0] - CHANGE_BEFORE) + m.start()
            return supported("kind", (start, figure[1]), doc.text, "a change word at the figure")
        m = lex.change_cue.search(after)
        if m is not None and not m.group(0).strip().startswith("на"):
            return supported(
                "kind", (figure[0], figure[1] + m.end()), doc.text, "a change word at the figure"
            )
        if lex.change_cue.search(surface):
            return supported("kind", figure, doc.text, "a change written in the figure")
        return unsupported(
            "kind", f"no change word (вырос, снизился, на …%, в … раза) at «{surface}»"
        )
    before = doc.text[s_lo : figure[0]]
    if fold(surface).startswith("до ") or re.match(r"до\s", surface):
        return supported("kind", figure, doc.text, "«до»: a goal")
    m = lex.target_cue.search(before) or lex.target_cue.search(
        doc.text[figure[1] : min(s_hi, figure[1] + TARGET_AFTER)]
    )
    if m is not None:
        return supported("kind", figure, doc.text, f"the goal cue «{m.group(0).strip()}»")
    return unsupported(
        "kind", f"no goal cue (довести, до, планируется, к … году) before «{surface}»"
    )
