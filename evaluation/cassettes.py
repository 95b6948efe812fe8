"""Recorded LLM exchanges: one vcrpy configuration for replay (tests, eval) and recording.

vcrpy is a development dependency: this module is used by the tests, ``make eval --backend
openai`` and ``make record``/``make curate``, never by an extraction run.

Cassettes are YAML with JSON bodies stored as structured data and Unicode kept as is, so a
reviewer reads the Russian text and the model's answer directly. Nothing is normalised: the
article must survive byte for byte. Authorization, cookies and client fingerprint headers are
dropped before anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import vcr
import yaml

from extractor.config import Settings

ROOT = Path(__file__).resolve().parents[1]
REPLAY_BASE_URL = "https://api.openai.com/v1"
REPLAY_MODEL = "gpt-4o-mini-2024-07-18"
CASSETTES = ROOT / "fixtures" / "cassettes"
ANSWERS = ROOT / "fixtures" / "llm_answers"
EXPECTED = ROOT / "fixtures" / "expected"
SEEDS = ROOT / "seeds"

SCRUBBED_REQUEST_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "openai-organization",
    "openai-project",
]
KEPT_RESPONSE_HEADERS = {"content-type", "retry-after", "x-request-id"}


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def _to_text(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body.decode("utf-8")
    return str(body)


def _structure(body: Any) -> Any:
    text = _to_text(body)
    if text is None or text == "":
        return text
    try:
        return {"json": json.loads(text)}
    except ValueError:
        return text


def _flatten(body: Any) -> Any:
    if isinstance(body, dict) and set(body) == {"json"}:
        return json.dumps(body["json"], ensure_ascii=False, separators=(",", ":"))
    return body


class ReadableYaml:
    """vcrpy serializer: YAML, JSON bodies as data, Unicode as is."""

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        """Turn vcrpy's cassette dict into readable YAML."""
        for item in cassette_dict["interactions"]:
            item["request"]["body"] = _structure(item["request"]["body"])
            resp = item["response"]
            resp["body"]["string"] = _structure(resp["body"]["string"])
            resp["headers"] = {
                k: v for k, v in resp["headers"].items() if k.lower() in KEPT_RESPONSE_HEADERS
            }
        return yaml.dump(
            cassette_dict, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
        )

    @staticmethod
    def deserialize(cassette_string: str) -> dict[str, Any]:
        """Read the YAML back into vcrpy's cassette dict."""
        data: dict[str, Any] = yaml.safe_load(cassette_string)
        for item in data["interactions"]:
            item["request"]["body"] = _flatten(item["request"]["body"])
            body = _flatten(item["response"]["body"]["string"])
            item["response"]["body"]["string"] = (
                body.encode("utf-8") if isinstance(body, str) else body
            )
        return data


def json_body(r1: Any, r2: Any) -> None:
    """Vcrpy matcher: request bodies equal as JSON (key order and spacing do not matter)."""

    def load(r: Any) -> Any:
        text = _to_text(r.body)
        try:
            return json.loads(text) if text else text
        except ValueError:
            return text

    a, b = load(r1), load(r2)
    if a != b:
        raise AssertionError("request bodies differ: the prompt, schema or article changed")


def _scrub_request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower() in SCRUBBED_REQUEST_HEADERS or name.lower().startswith("x-stainless"):
            del request.headers[name]
    return request


def make_vcr(record_mode: str = "none") -> vcr.VCR:
    """The one VCR configuration: replay-only by default, scrubbed, JSON-body matching."""
    v = vcr.VCR(
        serializer="readable_yaml",
        record_mode=record_mode,
        match_on=["method", "scheme", "host", "port", "path", "json_body"],
        before_record_request=_scrub_request,
        decode_compressed_response=True,
    )
    v.register_serializer("readable_yaml", ReadableYaml)
    v.register_matcher("json_body", json_body)
    return v


def cassette_path(stem: str) -> Path:
    """Where the cassette of a seed article lives."""
    return CASSETTES / f"{stem}.yaml"


def replay_settings() -> Settings:
    """Settings the cassettes were recorded with; the key is a placeholder never sent anywhere."""
    return Settings(
        backend="openai",
        api_key="replay-key-not-secret",
        base_url=REPLAY_BASE_URL,
        model=REPLAY_MODEL,
        backoff_initial=0.001,
        backoff_max=0.01,
        cache=False,
    )
