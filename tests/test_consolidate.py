"""Consolidation across articles: meetings, persons, projects, metric timelines, conflicts."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from extractor.consolidate import canonical as cn
from extractor.consolidate.merge import consolidate, consolidate_dir, dates_compatible, to_rows
from schemas.enums import CheckStatus, DatePrecision, VerificationStatus
from schemas.records import DateValue
from tests.seed_extractions import SEEDS, extraction_from_text, records, seed_extractions

TEXT_001 = SEEDS[1].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds_result():
    return consolidate(seed_extractions())


def _participant(name, country, role=None):
    return {"name": name, "role": role, "country": country}


def _meeting(people, quote, date=None, city=None, country=None, fmt="talks"):
    precision = {None: "unknown", 4: "year", 7: "month", 10: "day"}[len(date) if date else None]
    return {
        "date": {"value": date, "precision": precision},
        "location": {"city": city, "country": country},
        "format": fmt,
        "participants": people,
        "topics": [],
        "evidence": [{"quote": quote}],
    }


def _metric(name, value, quote, *, unit="t", qualifier="exact", kind="level", period=None):
    return {
        "name": name,
        "value": value,
        "value_max": None,
        "unit": unit,
        "qualifier": qualifier,
        "kind": kind,
        "period": period,
        "scope": {"countries": ["KZ", "TM"], "route": []},
        "evidence": [{"quote": quote}],
    }


def _project(name, quote, status="operating"):
    return {
        "name": name,
        "sector": "транспорт",
        "status": status,
        "countries": ["KZ", "TM", "IR"],
        "places": [],
        "evidence": [{"quote": quote}],
    }


# ------------------------------------------------------------------------------------- the seeds


def test_seeds_000_and_001_are_one_briefing_with_both_sources(seeds_result):
    sources = {
        tuple(sorted(Path(s.path).name[:3] for s in m.sources)) for m in seeds_result.meetings
    }
    assert sources == {("000", "001"), ("002",), ("003",), ("004",)}
    merged = next(m for m in seeds_result.meetings if len(m.sources) == 2)
    assert merged.date.value == "2025-11-25"  # the undated copy takes the dated report's date
    assert "shared 6-word passages" in merged.merge_reasons[0]
    assert all(s.evidence and s.evidence[0].start is not None for s in merged.sources)


def test_undated_report_does_not_merge_with_a_different_visit_on_recurring_content(seeds_result):
    # 002 (9 Aug 2024, Astana) shares the recurring 1 bn target and the railway with 000
    # (undated): that alone must not make them one event.
    m002 = next(m for m in seeds_result.meetings if Path(m.sources[0].path).name.startswith("002"))
    assert len(m002.sources) == 1


def test_two_berdimuhamedovs_are_two_persons_and_tokayev_is_one(seeds_result):
    names = sorted(p.name for p in seeds_result.persons)
    assert names == [
        "Гурбангулы Бердымухамедов",
        "Касым-Жомарт Токаев",
        "Сердар Бердымухамедов",
        "Шавкат Мирзиёев",
    ]
    tokayev = next(p for p in seeds_result.persons if p.name == "Касым-Жомарт Токаев")
    assert len({s.sha256 for s in tokayev.sources}) == 5


def test_undated_article_inherits_date_for_its_metric_periods(seeds_result):
    transport = next(
        t for t in seeds_result.metrics if t.id.startswith("metric:объем-перевозка:level")
    )
    assert [e.date for e in transport.entries] == ["2025-11-25", "2025-11-25"]
    assert {e.period_key for e in transport.entries} == {"10 месяц год 2025"}
    assert seeds_result.conflicts == []


def test_recurring_target_is_one_timeline_across_years(seeds_result):
    target = next(t for t in seeds_result.metrics if t.id == "metric:товарооборот:target:USD:KZ+TM")
    assert [e.date for e in target.entries] == [None, "2024-08-09", "2025-11-25", "2025-11-25"]
    assert {e.name for e in target.entries} == {"товарооборот", "объем взаимной торговли"}


# ------------------------------------------------------------------------------------ persons


def test_person_aliases_inflection_surname_and_title():
    text = TEXT_001
    a = extraction_from_text(
        text,
        records(
            meetings=[
                _meeting(
                    [
                        _participant("Касым-Жомарт Токаев", "KZ", "Президент"),
                        _participant("Сердаром Бердымухамедовым", "TM"),
                    ],
                    "в ходе переговоров с президентом Туркменистана",
                    date="2025-11-25",
                )
            ]
        ),
        path="a.txt",
    )
    b = extraction_from_text(
        text + " ",
        records(
            meetings=[
                _meeting(
                    [_participant("Глава государства", "KZ"), _participant("Бердымухамедов", "TM")],
                    "Глава государства Касым-Жомарт Токаев",
                    date="2025-11-25",
                ),
                _meeting([_participant("Токаев", "KZ")], "отметил Токаев", date="2025-11"),
            ]
        ),
        path="b.txt",
    )
    result = consolidate([a, b])
    assert len(result.persons) == 2, result.persons
    tok = next(p for p in result.persons if p.name == "Касым-Жомарт Токаев")
    assert {(x.text, x.rule) for x in tok.aliases} == {
        ("Глава государства", "title"),
        ("Токаев", "surname"),
    }
    ser = next(p for p in result.persons if p.id != tok.id)
    # The only full form seen is inflected; it stays the name (no nominative is invented).
    assert ser.name == "Сердаром Бердымухамедовым"
    assert [(x.text, x.rule) for x in ser.aliases] == [("Бердымухамедов", "surname")]
    # Same participants, same day, different articles: one meeting.
    assert sum(len(m.sources) == 2 for m in result.meetings) == 1


def test_ambiguous_surname_is_kept_apart_with_a_warning():
    gurb = extraction_from_text(
        "Гурбангулы Бердымухамедов прибыл.",
        records(meetings=[_meeting([_participant("Гурбангулы Бердымухамедов", "TM")], "прибыл")]),
    )
    serd = extraction_from_text(
        "Сердар Бердымухамедов прибыл.",
        records(meetings=[_meeting([_participant("Сердар Бердымухамедов", "TM")], "прибыл")]),
    )
    bare = extraction_from_text(
        "Бердымухамедов прибыл.",
        records(meetings=[_meeting([_participant("Бердымухамедов", "TM")], "прибыл")]),
    )
    result = consolidate([gurb, serd, bare])
    assert len(result.persons) == 3
    assert any("«Бердымухамедов» is ambiguous" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Токаева", "Токаевым", True),
        ("Касым", "Касыма", True),
        ("К.-Ж.", "Касым-Жомарт", True),
        ("Сердар", "Гурбангулы", False),
        ("Мирзиёев", "Мирзиеева", True),
        ("Токаев", "Тоқаев", False),
    ],
)
def test_same_name_tokens(a, b, same):
    assert cn.same_name(a, b) is same


# ----------------------------------------------------------------------------------- meetings


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("2025-11", "2025-11-25", True),
        ("2025", "2025-11-25", True),
        ("2025-10", "2025-11-25", False),
        ("2024-08-09", "2025-08-09", False),
        (None, "2025-11-25", True),
    ],
)
def test_dates_compatible_is_precision_aware(a, b, ok):
    def dv(v):
        p = {None: "unknown", 4: "year", 7: "month", 10: "day"}[len(v) if v else None]
        return DateValue(value=v, precision=DatePrecision(p))

    assert dates_compatible(dv(a), dv(b)) is ok


def test_same_day_but_different_city_is_two_meetings():
    people = [_participant("Касым-Жомарт Токаев", "KZ"), _participant("Шавкат Мирзиёев", "UZ")]
    a = extraction_from_text(
        "Встреча в Ташкенте.",
        records(meetings=[_meeting(people, "Встреча", date="2025-11-15", city="Ташкент")]),
    )
    b = extraction_from_text(
        "Встреча в Астане.",
        records(meetings=[_meeting(people, "Встреча", date="2025-11-15", city="Астана")]),
    )
    assert len(consolidate([a, b]).meetings) == 2
    c = extraction_from_text(
        "Встреча в Ташкенте!",
        records(meetings=[_meeting(people, "Встреча", date="2025-11-15", city="Ташкенте")]),
    )
    merged = consolidate([a, c]).meetings
    assert len(merged) == 1 and "same day 2025-11-15" in merged[0].merge_reasons[0]


# ----------------------------------------------------------------------------------- projects


def test_railway_written_three_ways_is_one_project_with_a_status_timeline():
    texts = [s.read_text(encoding="utf-8") for s in SEEDS]
    forms = [
        (0, "Казахстанско-туркменско-иранская железная дорога", "discussed", None),
        (1, "железная дорога Казахстан – Туркменистан – Иран", "under_construction", "2024-01-10"),
        (
            3,
            "железнодорожная магистраль Казахстан – Туркменистан – Иран",
            "operating",
            "2025-03-01",
        ),
    ]
    exts = [
        extraction_from_text(
            texts[i], records(projects=[_project(name, name, status)]), published=date
        )
        for i, name, status, date in forms
    ]
    result = consolidate(exts)
    assert len(result.projects) == 1
    project = result.projects[0]
    assert project.id == "project:railway:IR+KZ+TM"
    assert project.waypoints == ["KZ", "TM", "IR"]
    rules = {
        "Казахстанско-туркменско-иранская железная дорога": "adjective",
        "железная дорога Казахстан – Туркменистан – Иран": "dash-list",
        "железнодорожная магистраль Казахстан – Туркменистан – Иран": "dash-list",
    }
    assert {project.name} | {a.text for a in project.aliases} == set(rules)
    assert all(rules[a.text] == a.rule for a in project.aliases)
    assert [e.status for e in project.timeline] == ["discussed", "under_construction", "operating"]
    assert project.status == "operating"
    assert all(e.source.evidence[0].start is not None for e in project.timeline)


def test_different_corridors_stay_apart():
    keys = {
        cn.project_key(n)[:2]
        for n in (
            "транспортно-транзитный коридор Китай – Казахстан – Туркменистан – Иран",
            "железная дорога Казахстан – Туркменистан – Иран",
            "автомобильная дорога Туркменбаши – Гарабогаз – граница Казахстана",
            "коридор Север – Юг",
        )
    }
    assert len(keys) == 4


# --------------------------------------------------------------------------- metric conflicts


def _transport_article(surface: str, value: float, published: str, status_ok: bool = True):
    between = "между Казахстаном и Туркменистаном"  # the scope, named
    text = f"За 10 месяцев текущего года объем перевозок {between} составил {surface}."
    quote = f"объем перевозок {between} составил {surface}"
    ext = extraction_from_text(
        text,
        records(
            metrics=[
                _metric(
                    "объем перевозок",
                    value,
                    quote,
                    period={"text": "За 10 месяцев текущего года", "start": None, "end": None},
                )
            ]
        ),
        path=f"{surface}.txt",
        published=published,
    )
    if not status_ok:  # a figure the text does not support (as a backend might send)
        m = ext.metrics[0]
        m = m.model_copy(
            update={
                "verification": m.verification.model_copy(
                    update={"status": VerificationStatus.mismatch}
                )
            }
        )
        ext = ext.model_copy(update={"metrics": [m]})
    return ext


def test_two_sources_with_different_values_for_one_period_make_a_conflict_naming_both():
    a = _transport_article("1,5 млн тонн", 1_500_000, "2025-11-25")
    b = _transport_article("1,7 млн тонн", 1_700_000, "2025-11-26")
    assert a.metrics[0].verification.status is VerificationStatus.verified
    result = consolidate([a, b])
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert {conflict.a.source.sha256, conflict.b.source.sha256} == {
        a.source.sha256,
        b.source.sha256,
    }
    assert conflict.a.source.evidence[0].start is not None
    assert conflict.b.verification.surface in {"1,5 млн тонн", "1,7 млн тонн"}
    assert "10 месяц год 2025" in conflict.reason
    rows = to_rows(result)["conflicts"]
    assert rows[0]["a_value"] != rows[0]["b_value"]


def test_no_conflict_across_years_for_equal_values_or_for_an_unverified_figure():
    a = _transport_article("1,5 млн тонн", 1_500_000, "2025-11-25")
    other_year = _transport_article("1,7 млн тонн", 1_700_000, "2024-11-20")
    same = _transport_article("1 500 000 тонн", 1_500_000, "2025-11-20")
    unverified = _transport_article("1,7 млн тонн", 1_700_000, "2025-11-26", status_ok=False)
    assert consolidate([a, other_year]).conflicts == []
    assert consolidate([a, same]).conflicts == []
    assert consolidate([a, unverified]).conflicts == []


def test_no_conflict_from_a_verified_figure_under_a_name_the_article_does_not_support():
    a = _transport_article("1,5 млн тонн", 1_500_000, "2025-11-25")
    b = _transport_article("1,7 млн тонн", 1_700_000, "2025-11-26")
    m = b.metrics[0]
    name = next(c for c in m.checks if c.field == "name")
    flagged = name.model_copy(update={"status": CheckStatus.unsupported, "reason": "planted"})
    checks = [flagged if c is name else c for c in m.checks]
    b = b.model_copy(update={"metrics": [m.model_copy(update={"checks": checks})]})
    result = consolidate([a, b])
    assert result.conflicts == []
    entries = {e.source.sha256: e for e in result.metrics[0].entries}
    assert entries[b.source.sha256].unsupported == ["name"]
    assert entries[a.source.sha256].unsupported == []
    rows = to_rows(result)["metric_timeline"]
    assert {r["unsupported"] for r in rows} == {"[]", '["name"]'}


def test_more_than_is_compatible_with_a_larger_exact_value():
    text_a = "Товарооборот превышает полмиллиарда долларов."
    text_b = "Товарооборот составил 600 млн долларов."
    a = extraction_from_text(
        text_a,
        records(metrics=[_metric("товарооборот", 5e8, text_a, unit="USD", qualifier="more_than")]),
        published="2025-11-25",
    )
    b = extraction_from_text(
        text_b,
        records(metrics=[_metric("товарооборот", 6e8, text_b, unit="USD")]),
        published="2025-10-01",
    )
    assert all(e.metrics[0].verification.status is VerificationStatus.verified for e in (a, b))
    result = consolidate([a, b])
    assert len(result.metrics) == 1 and len(result.metrics[0].entries) == 2
    assert result.conflicts == []


# -------------------------------------------------------------------------- rows and directory


def test_to_rows_is_plain_scalars_and_links_back_to_articles(seeds_result):
    rows = to_rows(seeds_result)
    shas = {a.sha256 for a in seeds_result.articles}
    for table, items in rows.items():
        for row in items:
            assert all(isinstance(v, str | int | float | type(None)) for v in row.values()), table
    assert {r["sha256"] for r in rows["meeting_sources"]} == shas
    assert len(rows["meeting_sources"]) == 5 and len(rows["meetings"]) == 4
    spans = json.loads(rows["metric_timeline"][0]["spans"])
    assert spans[0]["spans"][0][0] is not None


def test_consolidate_dir_skips_non_extractions_and_warns_on_broken_ones(tmp_path):
    exts = seed_extractions()
    for e in exts:
        (tmp_path / f"{Path(e.source.path).stem}.json").write_text(e.model_dump_json(), "utf-8")
    (tmp_path / "failures.json").write_text("[]", "utf-8")
    (tmp_path / "zz_broken.json").write_text(
        json.dumps({"schema_version": "1.0", "source": {}}), "utf-8"
    )
    result = consolidate_dir(tmp_path)
    assert len(result.articles) == 5
    assert [w for w in result.warnings if "zz_broken.json" in w]
    assert not [w for w in result.warnings if "failures.json" in w]
    assert result.meetings == consolidate(exts).meetings


def test_an_article_given_twice_is_used_once(seeds_result):
    exts = seed_extractions()
    result = consolidate([*exts, exts[0]])
    assert len(result.articles) == 5
    assert result.meetings == seeds_result.meetings
    assert any("given twice" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("в 2024 году", None, None),
        ("за 2024 год", None, None),
        ("в прошлом году", None, None),
        ("за прошлый год", None, None),
        (None, "2024", "2024"),
    ],
)
def test_one_period_written_several_ways_has_one_key(
    text: str | None, start: str | None, end: str | None
) -> None:
    assert cn.period_key(text, start, end, "2025-03-01") == "2024..2024"


def test_a_period_key_keeps_periods_that_differ_apart() -> None:
    assert cn.period_key("в текущем году", None, None, "2025-03-01") == "2025..2025"
    assert cn.period_key("в первом полугодии 2024 года", None, None, "2025-03-01") != "2024..2024"


def test_a_metric_timeline_is_shown_by_a_name_its_sources_write() -> None:
    from extractor.consolidate.merge import display_name

    def statement(name: str, sha: str) -> Any:
        return SimpleNamespace(name=name, date="2025-01-01", source=SimpleNamespace(sha256=sha))

    entries = [
        statement("объема перевозок", "a"),
        statement("объем перевозок", "b"),
        statement("объем перевозок", "c"),
    ]
    assert display_name(entries) == "объем перевозок"
    assert cn.metric_name("объем перевозок") == cn.metric_name("объема перевозок")
