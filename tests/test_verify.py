"""verify(): planted metrics checked against a text, no HTTP."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from extractor.core.verify import CONTEXT_KEY, CheckedRecords, problems, verify
from schemas.enums import GroundingStatus, VerificationStatus
from schemas.records import Records
from tests.llm_answers import metric, records

TEXT = (
    "За 10 месяцев текущего года объем перевозок составил полтора миллиона тонн, "
    "увеличившись на 14%. Товарооборот превышает полмиллиарда долларов, а к 2030 году "
    "стороны намерены довести его до $1 млрд."
)
QUOTE = "объем перевозок составил полтора миллиона тонн"


def check(value: float, unit: str | None, quote: str = QUOTE, **over: object) -> Records:
    return verify(Records.model_validate(records([metric("m", value, unit, quote, **over)])), TEXT)


@pytest.mark.parametrize(
    ("value", "unit", "status", "surface"),
    [
        (1_500_000, "t", VerificationStatus.verified, "полтора миллиона тонн"),
        (14, "%", VerificationStatus.verified, "14%"),
        (5e8, "USD", VerificationStatus.verified, "превышает полмиллиарда долларов"),
        (1e9, "USD", VerificationStatus.verified, "до $1 млрд"),
        (1_500, "t", VerificationStatus.mismatch, "полтора миллиона тонн"),  # scale lost
        (1_500_000_000, "t", VerificationStatus.mismatch, "полтора миллиона тонн"),
        (1_500_000, "kg", VerificationStatus.mismatch, "полтора миллиона тонн"),  # unit swapped
        (1e9, "EUR", VerificationStatus.mismatch, "до $1 млрд"),
        (41, "%", VerificationStatus.not_found, None),
        (7e12, "KZT", VerificationStatus.not_found, None),
    ],
)
def test_metric_status(
    value: float, unit: str | None, status: VerificationStatus, surface: str | None
) -> None:
    [m] = check(value, unit).metrics
    assert m.verification.status is status, m.verification.reason
    assert m.verification.surface == surface
    if surface is not None:
        assert TEXT[m.verification.start : m.verification.end] == surface
    if status is not VerificationStatus.verified:
        assert m.verification.reason
        if status is VerificationStatus.mismatch:
            assert f"offset {m.verification.start}" in m.verification.reason


def test_range_must_match_both_ends() -> None:
    text = "Рост составит 38–56% в ближайшие годы."
    good = Records.model_validate(
        records([metric("рост", 38, "%", "Рост составит 38–56%", value_max=56)])
    )
    bad = Records.model_validate(
        records([metric("рост", 38, "%", "Рост составит 38–56%", value_max=65)])
    )
    assert verify(good, text).metrics[0].verification.status is VerificationStatus.verified
    assert verify(bad, text).metrics[0].verification.status is not VerificationStatus.verified


def test_figure_outside_its_quote_is_noted() -> None:
    [m] = check(14, "%", quote="Товарооборот превышает полмиллиарда долларов").metrics
    assert m.verification.status is VerificationStatus.verified
    assert m.verification.reason == "figure found outside the quoted evidence"


def test_evidence_offsets_are_recomputed_whatever_a_model_sent() -> None:
    data = records([metric("m", 14, "%", "увеличившись на 14%")])
    data["metrics"][0]["evidence"][0].update(start=0, end=3, status="exact")
    [m] = verify(Records.model_validate(data), TEXT).metrics
    [e] = m.evidence
    assert TEXT[e.start : e.end] == "увеличившись на 14%"
    assert e.status is GroundingStatus.exact


def test_problems_name_bad_figures_and_quotes() -> None:
    checked = check(41, "%", quote="рост составил 41 процент")
    found = problems(checked)
    assert any("41 %" in p and "not stated" in p for p in found)
    assert any("evidence[0]" in p and "not in the article" in p for p in found)
    good = metric("объем перевозок", 14, "%", "увеличившись на 14%", kind="change")
    assert problems(verify(Records.model_validate(records([good])), TEXT)) == []


def test_checked_records_validator_uses_the_article_context() -> None:
    answer = records([metric("m", 41, "%", "увеличившись на 14%")])
    CheckedRecords.model_validate(answer)  # no context: nothing to check against
    with pytest.raises(ValidationError, match="41 % is not stated"):
        CheckedRecords.model_validate(answer, context={CONTEXT_KEY: TEXT})
    ok = records([metric("объем перевозок", 14, "%", "увеличившись на 14%", kind="change")])
    assert CheckedRecords.model_validate(ok, context={CONTEXT_KEY: TEXT}).metrics[0].value == 14


def test_verify_does_not_change_its_input() -> None:
    original = Records.model_validate(records([metric("m", 14, "%", "увеличившись на 14%")]))
    verify(original, TEXT)
    assert original.metrics[0].verification.status is VerificationStatus.unchecked
    assert original.metrics[0].evidence[0].start is None


def test_validator_names_an_unsupported_field_its_value_and_what_the_text_says() -> None:
    renamed = records([metric("стоимость проекта", 14, "%", "увеличившись на 14%", kind="change")])
    with pytest.raises(ValidationError) as info:
        CheckedRecords.model_validate(renamed, context={CONTEXT_KEY: TEXT})
    message = str(info.value)
    assert "metrics[0].name = 'стоимость проекта' is not supported" in message
    assert "«перевозок»" in message  # what the sentence of the figure measures instead
    ok = records([metric("объем перевозок", 14, "%", "увеличившись на 14%", kind="change")])
    checked = verify(Records.model_validate(ok), TEXT).metrics[0]
    assert {c.field: c.status.value for c in checked.checks} == {
        "name": "supported",
        "unit": "supported",
        "kind": "supported",
    }
