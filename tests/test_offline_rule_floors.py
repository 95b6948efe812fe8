"""Floors the offline rules hold on every annotated set: metrics, project names and stages."""

import datetime as dt

import pytest

from evaluation.scores import GOLD_REFERENCE_DAY, REFERENCE_DAY, SETS, evaluate
from extractor.backends.offline import OfflineBackend
from extractor.config import Settings


@pytest.mark.parametrize("name", sorted(SETS))
def test_metric_and_project_stage_floors(name: str) -> None:
    day = dt.date.fromisoformat(REFERENCE_DAY.get(name, GOLD_REFERENCE_DAY))
    report = evaluate(OfflineBackend(Settings(backend="offline", today=day)), *SETS[name])
    assert report.c("metrics (value+unit)").f1 >= 0.95
    assert report.c("projects (name)").f1 >= 0.85
    assert report.c("projects (name+status)").f1 >= 0.8
    assert report.figures_verified == report.figures
