"""Naming rules for consolidation: person-name stems, countries, project keys, metric names.

Pure functions, no I/O. Each rule is small enough to state in one line, so every merge the
consolidator makes can be explained:

* person names: two name tokens are one name when, lower-cased with ``ё`` folded and at most one
  Russian case ending removed, they meet (``Токаевым`` ~ ``Токаева`` via ``токаев``); two names
  are one person when surnames match this way and first names match too (or one is an initial).
  The name rules are the core's one name normaliser (``extractor.core.names``), re-exported.
* countries: a word names a country when it starts with the country's noun or adjective stem
  (``Казахстана``, ``казахстанско-``, ``туркмено-`` ...): the lexicon's rule, shared with the
  offline backend.
* projects: key = kind of infrastructure (railway, road, corridor, port ...) + the set of
  waypoints from a compound adjective (``Казахстанско-туркменско-иранская`` -> IR, KZ, TM) or a
  dash list (``Казахстан – Туркменистан – Иран``); without waypoints, the lemmas of the
  distinctive words of the name.
* metric names: lemmas of the content words, then a small synonym table
  (``объём взаимной торговли`` = ``товарооборот``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from extractor.core import morphology
from extractor.core.names import fold as fold
from extractor.core.names import is_surname as is_surname
from extractor.core.names import name_bases as name_bases
from extractor.core.names import same_name as same_name
from extractor.lexicon import months
from extractor.lexicon.countries import code_of_part
from extractor.lexicon.project_kinds import kind_of
from extractor.lexicon.stopwords import function_words
from schemas.consolidated import SourceRef
from schemas.records import ArticleExtraction, Evidence

_WORD = re.compile(r"[\w]+(?:-[\w]+)*", re.UNICODE)
_SPACED_DASH = re.compile(r"\s+[-–—‒―]\s+|\s*[–—]\s*")

# Lemmas that say what kind of thing it is or that it is a project, not which one.
_GENERIC = frozenset(
    "проект строительство реализация создание развитие модернизация железный дорога "
    "железнодорожный магистраль линия путь автомобильный автодорога автомагистраль трасса "
    "коридор маршрут транспортный транзитный транспортно-транзитный транспортно-логистический "
    "международный порт морской терминал месторождение газопровод нефтепровод трубопровод "
    "новый совместный в на по через для и с от до направление".split()
)
_STOP = function_words()

# Metric-name synonyms, on lemma strings: one name per measured quantity.
METRIC_SYNONYMS: dict[str, str] = {
    "объём взаимный торговля": "товарооборот",
    "объём торговля": "товарооборот",
    "взаимный торговля": "товарооборот",
    "торговля": "товарооборот",
    "взаимный товарооборот": "товарооборот",
    "двусторонний товарооборот": "товарооборот",
    "объём товарооборот": "товарооборот",
    "торговый оборот": "товарооборот",
    "перевозка": "объем перевозка",
    "объём грузоперевозка": "объем перевозка",
    "грузоперевозка": "объем перевозка",
}
_SYNONYMS = {fold(k): v for k, v in METRIC_SYNONYMS.items()}
# Words for "this year" that a period text may use; resolved against the publication year.
# A period that is one calendar year, written with its number or relative to the article's year.
_ONE_YEAR = re.compile(
    r"(?:(?:в|за|по итогам|на)\s+)?((?:19|20)\d{2})(?:\s*-?\s*(?:м|й|го))?\s+(?:год\w*|г\.?)"
)
_RELATIVE_YEAR = re.compile(r"(?:(?:в|за|по итогам|на)\s+)?([а-я]+)\s+год\w*")
_THIS_YEAR = re.compile(r"\b(текущ\w*|эт\w*|нынешн\w*|сего)\s+год\w*")


def lemma(word: str) -> str:
    """The dictionary form of a common word (the core's one pymorphy3 cache), folded."""
    return fold(morphology.lemma(word))


def words(text: str) -> list[str]:
    """The words of a text (hyphenated words kept whole), in order."""
    return _WORD.findall(text)


def lemmas(text: str) -> list[str]:
    """Lemmas of the content words of a text, stop words dropped, in order."""
    return [lemma(w) for w in words(text) if fold(w) not in _STOP]


def country_of(word: str) -> str | None:
    """ISO code of the country one word names, else None.

    A case form of its name (``Казахстана``) or an adjective (``казахстанская``, ``туркмено-``)
    names a country; ``Туркменбаши`` (a city) does not. The stems and the rule are the
    lexicon's (:mod:`extractor.lexicon.countries`), shared with the offline backend.
    """
    return code_of_part(word)


def countries_in_compound(word: str) -> list[str] | None:
    """Codes of a hyphenated word whose every part names a country, in order, else None.

    ``Казахстанско-туркменско-иранская`` -> ``['KZ', 'TM', 'IR']``;
    ``Китай-Казахстан-Туркменистан-Иран`` -> ``['CN', 'KZ', 'TM', 'IR']``.
    """
    parts = word.split("-")
    if len(parts) < 2:
        return None
    codes = [country_of(p) for p in parts]
    if any(c is None for c in codes):
        return None
    return [c for c in codes if c is not None]


def _waypoint(segment: str) -> str:
    """One waypoint of a dash list: a country code, or the folded lemmas of the place."""
    toks = words(segment)
    if len(toks) == 1 and (code := country_of(toks[0])) is not None:
        return code
    out = []
    for t in toks:
        code = country_of(t)
        out.append(code if code is not None else (fold(t) if t[:1].isupper() else lemma(t)))
    return " ".join(out)


def waypoints(name: str) -> tuple[list[str], str]:
    """Ordered waypoints a project name states, and the rule that found them.

    A dash list (spaced dashes, or ``-`` between country names) gives its items; the first item
    is the run of capitalised words before the first dash. Otherwise a compound country
    adjective gives its countries. Returns ``([], 'name')`` when the name states neither.
    """
    parts = _SPACED_DASH.split(name.strip())
    if len(parts) >= 2:
        head = words(parts[0])
        run: list[str] = []
        for tok in reversed(head):
            if not tok[:1].isupper() and fold(tok) != "граница":
                break
            run.insert(0, tok)
        first = " ".join(run) if run else (head[-1] if head else "")
        items = [first, *parts[1:]]
        items[-1] = re.sub(r"\s*\(.*?\)\s*$", "", items[-1])
        return [_waypoint(p) for p in items if p.strip()], "dash-list"
    for tok in words(name):
        compound = countries_in_compound(tok)
        if compound:
            adjective = re.search(r"(ая|ий|ый|ое|ой|ого|ую|ые|ых|ом|ому)$", fold(tok))
            rule = "adjective" if adjective else "dash-list"
            return compound, rule
    return [], "name"


def project_kind(name: str) -> str:
    """Kind of infrastructure a project name states ('railway', 'road', ...), or 'other'."""
    return kind_of(name)


def project_key(name: str) -> tuple[str, tuple[str, ...], list[str], str]:
    """Identity of a project: (kind, sorted identifying tokens, ordered waypoints, rule).

    Two project mentions are one project when kind and identifying tokens are equal. The
    waypoint set is order-free (the same line is named from either end); without waypoints,
    the identifying tokens are the name's distinctive lemmas (generic words and a trailing
    abbreviation in brackets removed).
    """
    kind = project_kind(name)
    points, rule = waypoints(name)
    if points:
        return kind, tuple(sorted(set(points))), points, rule
    bare = re.sub(r"\([^)]*\)", " ", name)
    distinctive = [lem for lem in lemmas(bare) if lem not in _GENERIC and not lem.isdigit()]
    return kind, tuple(sorted(set(distinctive))), [], "name"


def metric_name(name: str) -> str:
    """Normalised metric name: lemmas of its words, then the synonym table."""
    key = " ".join(lemmas(name))
    return _SYNONYMS.get(key, key)


def period_key(text: str | None, start: str | None, end: str | None, published: str | None) -> str:
    """A comparable key for the period a figure covers.

    ISO bounds when given; else the lemmas of the period text with "this year" resolved
    against the publication year; '' when there is no period.
    """
    if start or end:
        return f"{start or ''}..{end or ''}"
    if not text:
        return ""
    low = fold(text)
    year = (published or "")[:4]
    single = _ONE_YEAR.fullmatch(low.strip())
    if single:  # "в 2024 году", "за 2024 год": the same period as ISO bounds 2024..2024
        return f"{single.group(1)}..{single.group(1)}"
    relative = _RELATIVE_YEAR.fullmatch(low.strip())
    if relative and year.isdigit():  # "в прошлом году" read in 2025 is 2024..2024
        offset = months.relative_years().get(lemma(relative.group(1)))
        if offset is not None:
            y = int(year) + offset
            return f"{y}..{y}"
    if year and _THIS_YEAR.search(low):
        low = _THIS_YEAR.sub(f"год {year}", low)
    return " ".join(lemma(w) if not w.isdigit() else w for w in words(low) if w not in _STOP)


def slug(text: str) -> str:
    """An id fragment: folded words joined by ``-``."""
    return "-".join(fold(w) for w in words(text)) or "x"


def source_ref(ext: ArticleExtraction, record: str, evidence: Sequence[Evidence]) -> SourceRef:
    """A pointer to one record of one article, with its evidence spans."""
    return SourceRef(
        sha256=ext.source.sha256, path=ext.source.path, record=record, evidence=list(evidence)
    )


def digest(text: str) -> str:
    """A short stable hash for ids built from long keys."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is not yet in ``taken`` (which grows)."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate
