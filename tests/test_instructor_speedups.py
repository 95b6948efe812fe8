"""The memos over instructor's per-request work change nothing but the time it takes."""

from __future__ import annotations

import pytest
from instructor.v2.core import templating
from instructor.v2.core.response_model import prepare_response_model
from instructor.v2.validation import async_validators
from instructor.v2.validation.async_validators import async_field_validator

from extractor.backends import instructor_speedups
from extractor.core.verify import CheckedRecords
from extractor.prompts import load_prompt
from schemas.records import Records


@pytest.fixture(autouse=True)
def _installed() -> None:
    instructor_speedups.install()


def test_our_response_model_is_scanned_once_then_remembered() -> None:
    wrapped = prepare_response_model(CheckedRecords)
    assert wrapped is not CheckedRecords  # instructor's per-request wrapper
    async_validators.reject_async_validators(wrapped)
    assert CheckedRecords in instructor_speedups._CLEAN
    async_validators.reject_async_validators(prepare_response_model(CheckedRecords))


def test_a_model_with_async_validators_is_still_rejected_every_time() -> None:
    class WithAsync(Records):
        @async_field_validator("metrics")
        async def check(self, value: object) -> object:
            return value

    for _ in range(2):
        with pytest.raises(ValueError, match="async validators are not supported"):
            async_validators.reject_async_validators(prepare_response_model(WithAsync))
    assert WithAsync not in instructor_speedups._CLEAN


def test_a_subclass_adding_an_async_validator_is_not_taken_for_its_clean_parent() -> None:
    async_validators.reject_async_validators(CheckedRecords)

    class Sneaky(CheckedRecords):
        @async_field_validator("metrics")
        async def check(self, value: object) -> object:
            return value

    with pytest.raises(ValueError, match="async validators are not supported"):
        async_validators.reject_async_validators(prepare_response_model(Sneaky))


def test_cached_template_renders_exactly_like_instructor() -> None:
    from textwrap import dedent

    from jinja2.sandbox import SandboxedEnvironment

    article = "Курс {{ 7*7 }} и {% raw %}x{% endraw %}\n    отступ «кавычки» — тире"
    for text in (load_prompt().user, load_prompt().system):
        expected = dedent(SandboxedEnvironment().from_string(text).render(article=article))
        assert templating.apply_template(text, {"article": article}) == expected
        assert templating.apply_template(text, {"article": article}) == expected  # from cache


def test_the_wrapper_is_reused_for_a_clean_model_and_parses_like_a_fresh_one() -> None:
    from instructor.v2.core import response_model

    async_validators.reject_async_validators(CheckedRecords)
    first = response_model.prepare_response_model(CheckedRecords)
    assert response_model.prepare_response_model(CheckedRecords) is first
    answer = {"meetings": [], "agreements": [], "metrics": [], "projects": []}
    assert (
        first.model_validate(answer).model_dump()
        == CheckedRecords.model_validate(answer).model_dump()
    )


def test_a_model_never_scanned_gets_a_fresh_wrapper() -> None:
    class Fresh(Records):
        pass

    from instructor.v2.core import response_model

    prepare = response_model.prepare_response_model
    assert prepare(Fresh) is not prepare(Fresh)
