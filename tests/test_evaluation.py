"""The evaluation harness and the offline backend's targets on the gold (a regression gate)."""

import datetime as dt

import pytest

from evaluation.scores import (
    GOLD_REFERENCE_DAY,
    REFERENCE_DAY,
    SETS,
    Counts,
    evaluate,
    format_report,
    title_score,
)
from extractor.backends.offline import OfflineBackend
from extractor.config import Settings
from tests.test_checks_gold import KNOWN_GAPS


def test_counts_and_titles() -> None:
    c = Counts()
    c.add(2, 4, 2)
    assert (c.precision, c.recall) == (0.5, 1.0)
    assert round(c.f1, 3) == 0.667
    assert title_score("о создании торговых домов", "создание торговых домов") > 60


# Sets whose first (blind) run misses the targets, until a general fix lands: none now. The
# saved web pages (heldout5) met them once trafilatura and htmldate read the pages (blind run:
# meetings 0.75, participants 0.72, no publication date).
BLIND_FAILS: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=BLIND_FAILS[n], strict=True))
        if n in BLIND_FAILS
        else n
        for n in sorted(SETS)
    ],
)
def test_offline_meets_targets(name: str) -> None:
    day = dt.date.fromisoformat(REFERENCE_DAY.get(name, GOLD_REFERENCE_DAY))
    report = evaluate(OfflineBackend(Settings(backend="offline", today=day)), *SETS[name])
    assert report.articles >= 5
    assert report.c("metrics (value+unit)").f1 >= 0.9
    assert report.c("meeting participants").f1 >= 0.9
    assert report.invented_place == 0
    assert report.invented_date == 0
    assert report.c("agreements (title)").f1 >= 0.6
    assert report.c("projects (name)").f1 >= 0.6
    assert sum(report.field_checks.values()) > 0
    assert report.gold_fields > 0
    for alarm in report.gold_false_alarms:  # only the known gaps of tests/test_checks_gold.py
        stem, where = alarm.split(" ", 1)
        kind, rest = where.split("[", 1)
        index, field = rest.split("].", 1)
        assert (stem, kind, int(index), field.split(":", 1)[0]) in KNOWN_GAPS, alarm
    text = format_report(name, report, unsupported=True)
    assert "field checks" in text and "false alarms on gold" in text
    assert len(report.flagged) == report.field_checks.get("unsupported", 0)
    assert text.count("  unsupported: ") == len(report.flagged)


def test_llm_backend_is_scored_from_the_cassettes_only() -> None:
    from evaluation.scores import SETS, evaluate_replayed

    report, skipped = evaluate_replayed(*SETS["seeds"])
    assert skipped == []
    assert report.articles == 5
    assert report.counts["metrics (value+unit)"].f1 == 1.0
    assert report.figures_verified == report.figures > 0
    assert report.field_checks.get("unsupported", 0) == 0  # the re-asks fixed every field
    assert report.gold_false_alarms == []
    _, skipped_heldout = evaluate_replayed(*SETS["heldout"])
    assert skipped_heldout  # held-out articles have no recorded exchange: never sent anywhere
