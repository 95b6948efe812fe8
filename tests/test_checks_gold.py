"""Field checks on the hand-made gold: no false alarm, and every planted wrong field flagged.

Every gold extraction (seeds and the held-out sets) is checked against its article: no field may
come out ``unsupported``. Then one wrong field at a time is planted into a correct extraction -- a
person the text never names, a city it never names, a date a year off, a country added to a scope,
to parties or to a project, an agreement raised to signed where the text only says it will be
considered, a metric renamed to what another figure measures, a money figure renamed to a
tonnage -- and that field must be flagged ``unsupported``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluation.scores import GOLD_REFERENCE_DAY, REFERENCE_DAY, SETS, article_for, load_gold
from extractor.core.units import CURRENCIES
from extractor.core.verify import verify
from extractor.reading import Article, read_article
from schemas.enums import AgreementStatus, CheckStatus, DatePrecision, VerificationStatus
from schemas.records import DateValue, FieldCheck, Records

GOLD = [
    (name, gold_path, article)
    for name, (texts, golds) in SETS.items()
    for gold_path in sorted(golds.glob("*.json"))
    if (article := article_for(texts, gold_path.stem)) is not None
]
IDS = [f"{name}/{path.stem}" for name, path, _ in GOLD]

# Known gaps, kept visible (each is a gap of a lexicon or of the reader, not of a rule here):
KNOWN_GAPS = {
    # The figure engine does not read "10-ти процентов", so there is no figure in % to check at.
    ("h4_02_kambarata_cholpon_ata", "metrics", 5, "unit"),
    ("h4_02_kambarata_cholpon_ata", "metrics", 5, "kind"),
}

# Candidates for planted values: the first one the article never mentions is used.
PEOPLE = ["Нурлан Ермекбаев", "Реджеп Эрдоган", "Ильхам Алиев", "Владимир Путин"]
CITIES = ["Самарканд", "Тегеран", "Москва", "Бухара", "Стамбул"]
# Country code -> stems that would name it in the text (name, adjective, a city).
COUNTRIES = {
    "JP": ("япон", "токио"),
    "MN": ("монгол", "улан"),
    "AM": ("армен", "армян", "ереван"),
    "BY": ("беларус", "белорус", "минск"),
    "DE": ("герман", "немец", "берлин"),
}
TONNAGE = "объем перевозок грузов"


def _read(text_path: Path) -> Article:
    """The article as the evaluation reads it: a dateline without a year read against the day
    its set was annotated."""
    name = next(n for n, (texts, _) in SETS.items() if text_path.parent == texts)
    return read_article(
        text_path, today=dt.date.fromisoformat(REFERENCE_DAY.get(name, GOLD_REFERENCE_DAY))
    )


def _load(gold_path: Path, text_path: Path) -> tuple[Records, str, str | None]:
    article = _read(text_path)
    return load_gold(gold_path), article.text, article.published


def _unmentioned(candidates: list[str], text: str) -> str:
    low = text.lower()
    for c in candidates:
        if c.split()[-1][:5].lower() not in low:
            return c
    raise AssertionError("every candidate is mentioned; add one")


def _absent_country(text: str) -> str:
    low = text.lower().replace("ё", "е")
    return next(code for code, stems in COUNTRIES.items() if not any(s in low for s in stems))


def _check(records: Records, kind: str, i: int, field: str) -> FieldCheck:
    found = [c for c in getattr(records, kind)[i].checks if c.field == field]
    assert len(found) == 1, f"{kind}[{i}] has {len(found)} checks of {field}"
    return found[0]


@pytest.mark.parametrize(("name", "gold_path", "text_path"), GOLD, ids=IDS)
def test_no_field_of_a_gold_extraction_is_flagged(
    name: str, gold_path: Path, text_path: Path
) -> None:
    gold, text, published = _load(gold_path, text_path)
    checked = verify(gold, text, published=published)
    alarms = [
        f"{kind}[{i}].{c.field}: {c.reason}"
        for kind in ("meetings", "agreements", "metrics", "projects")
        for i, record in enumerate(getattr(checked, kind))
        for c in record.checks
        if c.status is CheckStatus.unsupported
        and (gold_path.stem, kind, i, c.field) not in KNOWN_GAPS
    ]
    assert alarms == []
    checks = [
        c
        for k in ("meetings", "agreements", "metrics", "projects")
        for r in getattr(checked, k)
        for c in r.checks
    ]
    assert checks, "every gold extraction has fields to check"
    for c in checks:
        if c.status is CheckStatus.supported:
            assert c.start is not None and c.end is not None and text[c.start : c.end].strip()
        else:
            assert c.reason


def _plant(gold: Records, kind: str, i: int, change: Callable[[object], object]) -> Records:
    records = list(getattr(gold, kind))
    records[i] = change(records[i])  # type: ignore[assignment]
    return gold.model_copy(update={kind: records})


def _sentence_window(text: str, start: int) -> str:
    """The sentence of an offset and the two before it (a plain split, independent of the checks)."""
    bounds = [0] + [m.end() for m in re.finditer(r"[.!?]\s+|\n", text)]
    k = max(j for j, b in enumerate(bounds) if b <= start)
    end = bounds[k + 1] if k + 1 < len(bounds) else len(text)
    return text[bounds[max(k - 2, 0)] : end]


def _rename_target(gold: Records, i: int, text: str) -> str | None:
    """The name of another metric whose measured word is nowhere near metric ``i``'s figure."""
    metric = verify(gold, text).metrics[i]
    if metric.verification.status is not VerificationStatus.verified:
        return None
    near = _sentence_window(text, metric.verification.start or 0).lower()
    for other in gold.metrics:
        words = re.findall(r"[а-яё]{4,}", other.name.lower())
        if (
            _dimension(other.unit) not in (None, _dimension(metric.unit))
            and _dimension(metric.unit) is not None
            and words
            and all(w[:5] not in near for w in words)
        ):
            return other.name
    return None


def _dimension(unit: str | None) -> str | None:
    """What a unit measures, coarsely: money, or the unit itself; None for counts and shares."""
    if unit is None or unit in ("%", "x", "pp"):
        return None
    return "money" if unit in CURRENCIES else unit


def _year_is_stated(gold: Records, i: int, text_path: Path) -> bool:
    """Whether the article states or implies the year of meeting ``i``'s date.

    (A header, a publication date, a weekday or a written year: a day written without any of
    them is inferred whatever the year, so a year off cannot show.)
    """
    article = _read(text_path)
    checked = verify(gold, article.text, published=article.published).meetings[i]
    date = next(c for c in checked.checks if c.field == "date")
    return "states no year" not in (date.reason or "")


def _cases() -> list[tuple[str, Path, Path, str, int, str, str]]:
    """(set, gold, text, kind, index, field, what) for every plantable field of every gold file."""
    out = []
    for name, gold_path, text_path in GOLD:
        gold = load_gold(gold_path)
        for i, m in enumerate(gold.meetings):
            if m.participants:
                out.append(
                    (name, gold_path, text_path, "meetings", i, "participants[0].name", "person")
                )
            out.append((name, gold_path, text_path, "meetings", i, "location.city", "city"))
            if m.date.precision is DatePrecision.day and _year_is_stated(gold, i, text_path):
                out.append((name, gold_path, text_path, "meetings", i, "date", "year"))
        for i, a in enumerate(gold.agreements):
            out.append(
                (
                    name,
                    gold_path,
                    text_path,
                    "agreements",
                    i,
                    f"parties[{len(a.parties)}]",
                    "country",
                )
            )
            if a.status is AgreementStatus.under_consideration:
                out.append((name, gold_path, text_path, "agreements", i, "status", "signed"))
        for i, m in enumerate(gold.metrics):
            out.append(
                (
                    name,
                    gold_path,
                    text_path,
                    "metrics",
                    i,
                    f"scope.countries[{len(m.scope.countries)}]",
                    "country",
                )
            )
            if m.unit in CURRENCIES:
                out.append((name, gold_path, text_path, "metrics", i, "unit", "tonnage"))
            if _rename_target(gold, i, _read(text_path).text) is not None:
                out.append((name, gold_path, text_path, "metrics", i, "name", "rename"))
        for i, p in enumerate(gold.projects):
            out.append(
                (
                    name,
                    gold_path,
                    text_path,
                    "projects",
                    i,
                    f"countries[{len(p.countries)}]",
                    "country",
                )
            )
    return out


CASES = _cases()


@pytest.mark.parametrize(
    ("name", "gold_path", "text_path", "kind", "i", "field", "what"),
    CASES,
    ids=[f"{c[0]}/{c[1].stem}/{c[3]}[{c[4]}].{c[5]}:{c[6]}" for c in CASES],
)
def test_a_planted_wrong_field_is_flagged(
    name: str, gold_path: Path, text_path: Path, kind: str, i: int, field: str, what: str
) -> None:
    gold, text, published = _load(gold_path, text_path)
    if what == "person":
        planted = _unmentioned(PEOPLE, text)
        people = list(gold.meetings[i].participants)
        people[0] = people[0].model_copy(update={"name": planted})
        gold = _plant(gold, kind, i, lambda r: r.model_copy(update={"participants": people}))  # type: ignore[attr-defined]
    elif what == "city":
        planted = _unmentioned(CITIES, text)
        loc = gold.meetings[i].location.model_copy(update={"city": planted})
        gold = _plant(gold, kind, i, lambda r: r.model_copy(update={"location": loc}))  # type: ignore[attr-defined]
    elif what == "year":
        y, rest = gold.meetings[i].date.value.split("-", 1)  # type: ignore[union-attr]
        date = DateValue(value=f"{int(y) - 1}-{rest}", precision=DatePrecision.day)
        gold = _plant(gold, kind, i, lambda r: r.model_copy(update={"date": date}))  # type: ignore[attr-defined]
    elif what == "country":
        code = _absent_country(text)
        if kind == "agreements":
            gold = _plant(
                gold, kind, i, lambda r: r.model_copy(update={"parties": [*r.parties, code]})
            )  # type: ignore[attr-defined]
        elif kind == "projects":
            gold = _plant(
                gold, kind, i, lambda r: r.model_copy(update={"countries": [*r.countries, code]})
            )  # type: ignore[attr-defined]
        else:
            scope = gold.metrics[i].scope
            new = scope.model_copy(update={"countries": [*scope.countries, code]})
            gold = _plant(gold, kind, i, lambda r: r.model_copy(update={"scope": new}))  # type: ignore[attr-defined]
    elif what == "signed":
        gold = _plant(
            gold, kind, i, lambda r: r.model_copy(update={"status": AgreementStatus.signed})
        )  # type: ignore[attr-defined]
    elif what == "tonnage":
        gold = _plant(gold, kind, i, lambda r: r.model_copy(update={"name": TONNAGE}))  # type: ignore[attr-defined]
    elif what == "rename":
        target = _rename_target(gold, i, text)
        assert target is not None
        gold = _plant(gold, kind, i, lambda r: r.model_copy(update={"name": target}))  # type: ignore[attr-defined]
    check = _check(verify(gold, text, published=published), kind, i, field)
    assert check.status is CheckStatus.unsupported, check
    assert check.reason and check.start is None
