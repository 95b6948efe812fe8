"""The SQLite store: migrations, records tables, cache, call log without secrets, no duplicates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from extractor.backends.base import Exchange
from extractor.errors import ConfigError
from extractor.store import MIGRATIONS, RECORD_TABLES, Store, scrub
from schemas.records import SCHEMA_VERSION, ArticleExtraction


def extraction(sha: str = "a" * 64, model: str = "m1") -> ArticleExtraction:
    quote = "Товарооборот составил 500 млн долларов"
    return ArticleExtraction.model_validate(
        {
            "schema_version": SCHEMA_VERSION,
            "meetings": [
                {
                    "date": {"value": "2025-11-25", "precision": "day"},
                    "location": {"city": "Ашхабад", "country": "TM"},
                    "format": "talks",
                    "participants": [
                        {"name": "Касым-Жомарт Токаев", "role": "Президент", "country": "KZ"},
                        {"name": "Сердар Бердымухамедов", "role": "Президент", "country": "TM"},
                    ],
                    "topics": ["торговля"],
                    "evidence": [{"quote": "переговоры", "start": 0, "end": 10, "status": "exact"}],
                }
            ],
            "agreements": [],
            "metrics": [
                {
                    "name": "товарооборот",
                    "value": 5e8,
                    "value_max": None,
                    "unit": "USD",
                    "qualifier": "exact",
                    "kind": "level",
                    "period": None,
                    "scope": {"countries": ["KZ", "TM"], "route": []},
                    "evidence": [
                        {"quote": quote, "start": 11, "end": 11 + len(quote), "status": "exact"}
                    ],
                    "verification": {
                        "status": "verified",
                        "start": 33,
                        "end": 49,
                        "surface": "500 млн долларов",
                    },
                }
            ],
            "projects": [],
            "source": {
                "path": "a.txt",
                "sha256": sha,
                "chars": 100,
                "outlet": None,
                "title": None,
                "published": "2025-11-25",
                "encoding": "utf-8",
            },
            "backend": "openai",
            "model": model,
            "prompt_version": "p1",
            "usage": {
                "requests": 1,
                "prompt_tokens": 10,
                "completion_tokens": 5,
                "total_tokens": 15,
            },
            "warnings": [],
        }
    )


def test_migrations_run_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    with Store(path) as store:
        assert store.migrate() == []  # already applied on open
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == [name for name, _ in MIGRATIONS]
    assert set(RECORD_TABLES) | {"call_log", "response_cache"} <= tables


def test_saving_an_article_fills_every_records_table(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        store.extractions.save(extraction())
        counts = {t: store.count(t) for t in RECORD_TABLES}
        assert counts == {
            "articles": 1,
            "meetings": 1,
            "participants": 2,
            "agreements": 0,
            "metrics": 1,
            "projects": 0,
            "evidence": 2,
            "checks": 0,  # this extraction was never checked; see the test below
        }
        names, rows = store.rows("metrics")
        metric = dict(zip(names, rows[0], strict=True))
        assert (metric["verification"], metric["surface"]) == ("verified", "500 млн долларов")
        assert [e.model_dump() for e in store.extractions.all()] == [extraction().model_dump()]


def test_saving_the_same_article_again_replaces_it(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        store.extractions.save(extraction())
        store.extractions.save(extraction())
        assert store.count("articles") == 1
        assert store.count("participants") == 2
        assert store.count("evidence") == 2
        store.extractions.save(extraction(model="m2"))  # another model is another row
        assert store.count("articles") == 2
        assert store.extractions.has_article("a" * 64, "openai", "m1", "p1", SCHEMA_VERSION)
        assert not store.extractions.has_article("a" * 64, "openai", "m3", "p1", SCHEMA_VERSION)


def test_response_cache_round_trip(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        assert store.cache.get("k") is None
        store.cache.put("k", {"id": "c1", "choices": [{"message": {"content": "привет"}}]})
        assert store.cache.get("k") == {"id": "c1", "choices": [{"message": {"content": "привет"}}]}


def test_call_log_never_stores_keys(tmp_path: Path) -> None:
    secret = "sk-live-abcdefghijklmnop"
    with Store(tmp_path / "x.db") as store:
        store.calls.log_exchange(
            Exchange(
                request={
                    "model": "m",
                    "messages": [{"role": "user", "content": f"Authorization: Bearer {secret}"}],
                    "api_key": secret,
                    "extra_headers": {"Authorization": f"Bearer {secret}"},
                },
                response=None,
                error=f"AuthenticationError: bad key {secret}",
                attempt=1,
                latency_s=0.1,
                prompt_tokens=0,
                completion_tokens=0,
                cached=False,
                model="m",
            )
        )
        assert store.count("call_log") == 1
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("x.db*"))
    assert secret.encode() not in raw
    assert b"[redacted]" in raw


def test_scrub_keeps_ordinary_text() -> None:
    value = {"messages": [{"content": "Товарооборот — 1,5 млн тонн «стабильно»"}], "max_tokens": 5}
    assert scrub(value) == value


def test_unknown_table_and_unopenable_path_are_config_errors(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store, pytest.raises(ConfigError, match="no table"):
        store.rows("users; DROP TABLE articles")
    bad = tmp_path / "not-a-db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match="cannot open"):
        Store(bad)


def test_consolidated_records_sit_beside_the_per_article_ones(tmp_path: Path) -> None:
    from extractor.consolidate.merge import consolidate, to_rows
    from extractor.store import Store
    from tests.seed_extractions import seed_extractions

    extractions = seed_extractions()
    with Store(tmp_path / "x.db") as store:
        for ex in extractions:
            store.extractions.save(ex)
        rows = to_rows(consolidate(extractions))
        written = store.consolidated.save(rows)
        assert written["meetings"] == len(rows["meetings"]) > 0
        assert store.count("articles") == 5
        names, meetings = store.rows("consolidated_meetings")
        # seeds 000 and 001 report one briefing: one consolidated meeting with two sources
        _, sources = store.rows("consolidated_meeting_sources")
        merged = [m for m in meetings if sum(s[0] == m[0] for s in sources) == 2]
        assert len(merged) == 1
        # a consolidated meeting in a town keeps its place on the map
        located = [dict(zip(names, m, strict=True)) for m in meetings]
        assert any(m["city"] == "Туркестан" and m["geonameid"] == 1517945 for m in located)
        # a second consolidation replaces the first, it does not add to it
        store.consolidated.save(rows)
        assert store.count("consolidated_meetings") == len(rows["meetings"])
        assert store.count("consolidated_projects") == len(rows["projects"])


def test_every_record_field_is_stored_and_every_column_comes_from_a_field(tmp_path: Path) -> None:
    from extractor.store.record_rows import STORED_AS, TABLE_OF

    bookkeeping = {"id", "article_id", "meeting_id", "idx"}
    with Store(tmp_path / "x.db") as store:
        for model, fields in STORED_AS.items():
            # every Pydantic field has a home (a column or a child table), and nothing else does
            assert set(fields) == set(model.model_fields), model.__name__
            columns = set(store.database.columns(TABLE_OF[model])) - bookkeeping
            named = {c for cols in fields.values() for c in cols if not c.startswith("<")}
            assert named == columns, model.__name__
            for cols in fields.values():
                for c in cols:
                    if c.startswith("<"):
                        assert c.strip("<>") in RECORD_TABLES


def test_row_builders_write_exactly_the_columns_of_their_table(tmp_path: Path) -> None:
    from extractor.store import record_rows as rr

    ex = extraction()
    bookkeeping = {"id", "article_id", "meeting_id", "idx"}
    with Store(tmp_path / "x.db") as store:
        cols = {t: set(store.database.columns(t)) - bookkeeping for t in RECORD_TABLES}
        assert set(rr.article_row(ex)) == cols["articles"]
        assert set(rr.meeting_row(ex.meetings[0])) == cols["meetings"]
        assert set(rr.participant_row(ex.meetings[0].participants[0])) == cols["participants"]
        if ex.metrics:
            assert set(rr.metric_row(ex.metrics[0])) == cols["metrics"]


def test_field_checks_are_stored_and_unsupported_ones_listed(tmp_path: Path) -> None:
    from extractor.core.verify import verify
    from extractor.store.field_checks import unsupported

    text = "Переговоры в Ашхабаде. Товарооборот составил 500 млн долларов."
    ex = extraction()
    checked = verify(ex, text)
    ex = ex.model_copy(update={k: getattr(checked, k) for k in ("meetings", "metrics")})
    expected = sum(len(r.checks) for r in [*ex.meetings, *ex.metrics])
    with Store(tmp_path / "x.db") as store:
        store.extractions.save(ex)
        assert store.count("checks") == expected > 0
        flagged = {(row["record_kind"], row["field"]) for row in unsupported(store.database)}
        # Токаев and Бердымухамедов are never named in this text; Ашхабад is
        assert ("meetings", "participants[0].name") in flagged
        assert ("meetings", "participants[1].name") in flagged
        assert ("meetings", "location.city") not in flagged
        assert unsupported(store.database, "b" * 64) == []
        names, rows = store.rows("checks")
        assert {"field", "status", "span_start", "span_end", "reason"} <= set(names)
