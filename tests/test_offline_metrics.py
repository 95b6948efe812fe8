"""Offline metrics: the sign of a change follows its own direction word; falls verify too."""

from __future__ import annotations

import pytest

from extractor.backends.offline import OfflineBackend
from extractor.offline.metrics import is_fall
from extractor.pipeline import run
from extractor.reading import article_from_text
from schemas.enums import MetricKind, VerificationStatus


@pytest.fixture(scope="module")
def backend() -> OfflineBackend:
    return OfflineBackend()


def test_each_change_takes_the_sign_of_its_own_verb(backend: OfflineBackend) -> None:
    text = (
        "По итогам года экспорт Казахстана в Узбекистан вырос на 5%, а импорт снизился на 3,2%. "
        "Перевозки грузов сократились на 2 млн тонн."
    )
    metrics = run(article_from_text(text), backend).metrics
    changes = {(m.value, m.unit) for m in metrics if m.kind is MetricKind.change}
    assert changes == {(5.0, "%"), (-3.2, "%"), (-2_000_000.0, "t")}
    assert all(m.verification.status is VerificationStatus.verified for m in metrics)


def test_a_level_is_never_negated(backend: OfflineBackend) -> None:
    text = "Товарооборот составил 1,2 млрд долларов, что ниже прошлогоднего уровня."
    [m] = run(article_from_text(text), backend).metrics
    assert m.value == 1.2e9 and m.kind is MetricKind.level


@pytest.mark.parametrize(
    ("before", "fall"),
    [
        ("импорт снизился на ", True),
        ("вырос на 5%, а импорт сократился на ", True),
        ("сократился на 3%, а экспорт вырос на ", False),
        ("показатель увеличился на ", False),
    ],
)
def test_the_nearest_direction_word_decides(before: str, fall: bool) -> None:
    assert is_fall(before) is fall


# No record that is not a figure of a measured quantity.


@pytest.mark.parametrize(
    "text",
    [
        "ТАШКЕНТ, 4 сен — Агентство. Министры встретились в столице.",
        "Об этом сообщил телеканал ОТР 24 в эфире.",
        "Подробности читайте на 12.uz сегодня.",
        "Ведется строительство ЛЭП 220 кВ до границы.",
        "Линия напряжением 110 киловольт пройдет вдоль трассы.",
        "По итогам визита подписано 12 документов.",
        "В заседании приняли участие 40 человек.",
        "Стороны провели 15 встреч за год.",
    ],
)
def test_no_metric_from_what_measures_nothing(backend: OfflineBackend, text: str) -> None:
    assert run(article_from_text(text), backend).metrics == []


def test_a_count_of_a_measured_thing_stays(backend: OfflineBackend) -> None:
    text = "Число совместных предприятий в стране превысило 850, сообщили в министерстве."
    [m] = run(article_from_text(text), backend).metrics
    assert m.value == 850
