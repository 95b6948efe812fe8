import json

import pytest
from pydantic import ValidationError

from schemas import (
    ArticleExtraction,
    DatePrecision,
    DateValue,
    Evidence,
    Metric,
    Participant,
    Records,
)
from schemas.export import SCHEMA_PATH, json_schema
from schemas.records import strip_computed


def _metric(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "товарооборот",
        "value": 5e8,
        "value_max": None,
        "unit": "USD",
        "qualifier": "more_than",
        "kind": "level",
        "period": None,
        "scope": {"countries": ["KZ", "TM"], "route": []},
        "evidence": [{"quote": "превышает полмиллиарда долларов"}],
    }
    base.update(over)
    return base


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Metric.model_validate(_metric(confidence=0.9))


def test_nullable_fields_must_be_given_explicitly() -> None:
    data = _metric()
    del data["value_max"]
    with pytest.raises(ValidationError, match="value_max"):
        Metric.model_validate(data)


@pytest.mark.parametrize(
    ("value", "precision", "ok"),
    [
        ("2025-11-25", "day", True),
        ("2025-11", "month", True),
        ("2025", "year", True),
        (None, "unknown", True),
        ("2025-11-25", "month", False),
        ("25.11.2025", "day", False),
        (None, "day", False),
    ],
)
def test_date_value_matches_its_precision(value: str | None, precision: str, ok: bool) -> None:
    if ok:
        assert DateValue(value=value, precision=DatePrecision(precision)).value == value
    else:
        with pytest.raises(ValidationError):
            DateValue(value=value, precision=DatePrecision(precision))


def test_country_codes_are_iso_alpha2() -> None:
    with pytest.raises(ValidationError):
        Participant(name="Касым-Жомарт Токаев", role="Президент", country="Kazakhstan")


def test_computed_fields_are_hidden_from_the_model_schema() -> None:
    model_schema = strip_computed(Records.model_json_schema())
    evidence = model_schema["$defs"]["Evidence"]["properties"]
    assert set(evidence) == {"quote"}
    assert "verification" not in model_schema["$defs"]["Metric"]["properties"]
    # ... but they are in the exported contract downstream users script against.
    full = json_schema()["$defs"]["Evidence"]["properties"]
    assert {"quote", "start", "end", "status"} <= set(full)


def test_model_schema_is_strict_compatible() -> None:
    """Every property required and no extra keys: what strict structured output demands."""
    schema = strip_computed(Records.model_json_schema())
    for name, definition in schema["$defs"].items():
        if definition.get("type") != "object":
            continue
        assert definition.get("additionalProperties") is False, name
        assert set(definition["required"]) == set(definition["properties"]), name


def test_exported_schema_file_is_current() -> None:
    on_disk = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert on_disk == json_schema(), "run `make schema` to re-export schemas/*.json"


def test_json_contract_keys() -> None:
    props = json_schema()["properties"]
    for key in ("meetings", "agreements", "metrics", "projects", "source"):
        assert key in props
    defs = json_schema()["$defs"]
    assert {"value", "unit", "evidence"} <= set(defs["Metric"]["properties"])
    assert {"date", "location", "participants"} <= set(defs["Meeting"]["properties"])
    assert {"name", "role", "country"} <= set(defs["Participant"]["properties"])
    assert {"quote", "start", "end", "status"} <= set(defs["Evidence"]["properties"])


def test_schema_version_is_checked() -> None:
    data = {
        "schema_version": "0.1",
        "meetings": [],
        "agreements": [],
        "metrics": [],
        "projects": [],
        "source": {
            "path": None,
            "sha256": "0" * 64,
            "chars": 1,
            "outlet": None,
            "title": None,
            "published": None,
            "encoding": None,
        },
        "backend": "offline",
        "model": "m",
        "prompt_version": None,
        "usage": {"requests": 0, "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "warnings": [],
    }
    with pytest.raises(ValidationError, match="schema_version"):
        ArticleExtraction.model_validate(data)


def test_evidence_quote_may_not_be_empty() -> None:
    with pytest.raises(ValidationError):
        Evidence(quote="")
