"""Floors the offline rules hold on every annotated text set (the web pages aside: their reader
is being replaced, and the text the rules see will change)."""

import pytest

from evaluation.scores import GOLD_REFERENCE_DAY, REFERENCE_DAY, SETS, evaluate
from extractor.backends.offline import OfflineBackend


@pytest.mark.parametrize("name", [n for n in sorted(SETS) if n != "heldout5"])
def test_metric_and_project_stage_floors(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXTRACTOR_TODAY", REFERENCE_DAY.get(name, GOLD_REFERENCE_DAY))
    report = evaluate(OfflineBackend(), *SETS[name])
    assert report.c("metrics (value+unit)").f1 >= 0.95
    assert report.c("projects (name)").f1 >= 0.85
    assert report.c("projects (name+status)").f1 >= 0.8
    assert report.figures_verified == report.figures
