"""Field checks as case tables of planted sentences: what supports a field, what does not."""

from __future__ import annotations

import pytest

from extractor.core.checks import check_records, value_at
from extractor.core.checks.text import read, same_word
from extractor.core.verify import verify
from schemas.enums import CheckStatus
from schemas.records import Records
from tests.llm_answers import metric, records

S, INF, U = CheckStatus.supported, CheckStatus.inferred, CheckStatus.unsupported


def meeting(**over: object) -> dict[str, object]:
    m: dict[str, object] = {
        "date": {"value": None, "precision": "unknown"},
        "location": {"city": None, "country": None},
        "format": "talks",
        "participants": [],
        "topics": [],
        "evidence": [],
    }
    m.update(over)
    return m


def status_of(rec: object, field: str) -> CheckStatus:
    found = [c for c in rec.checks if c.field == field]  # type: ignore[attr-defined]
    assert len(found) == 1, (field, rec.checks)  # type: ignore[attr-defined]
    return found[0].status


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("бердымухамедов", "бердымухамедовым", True),
        ("астана", "астане", True),
        ("перевозки", "перевозок", True),
        ("южная", "южной", True),
        ("торговля", "торговую", False),  # a noun and an adjective of one stem
        ("туркменбаши", "туркменистана", False),
        ("казахстан", "казахстанской", False),
    ],
)
def test_word_forms(a: str, b: str, same: bool) -> None:
    assert same_word(a, b) is same


PEOPLE_TEXT = (
    "Президент Казахстана Касым-Жомарт Токаев провел переговоры с Президентом Туркменистана "
    "Сердаром Бердымухамедовым в Ашхабаде. Глава государства Шавкат Мирзиёев прибыл позже. "
    "Министр транспорта Жапаров не участвовал."
)


@pytest.mark.parametrize(
    ("name", "role", "country", "want"),
    [
        # the name in another case; the role and the country next to it
        ("Сердар Бердымухамедов", "Президент", "TM", {"name": S, "role": S, "country": S}),
        # the surname alone; a role word elsewhere in the text
        ("Садыр Жапаров", "Министр транспорта", None, {"name": S, "role": S}),
        # "Глава государства" next to the name: a president by that rule; Uzbekistan is named
        # nowhere: his country comes from the heads-of-state table
        ("Шавкат Мирзиёев", "Президент", "UZ", {"name": S, "role": INF, "country": INF}),
        # the table does not make a named person a head of another country
        ("Шавкат Мирзиёев", "Президент", "AZ", {"name": S, "role": INF, "country": U}),
        # a person the text never names, from a country it never names
        ("Ильхам Алиев", "Президент", "AZ", {"name": U, "role": U, "country": U}),
    ],
)
def test_participants(name: str, role: str, country: str | None, want: dict) -> None:
    person = {"name": name, "role": role, "country": country}
    got = check_records(
        Records.model_validate(records(meetings=[meeting(participants=[person])])), PEOPLE_TEXT
    ).meetings[0]
    assert {k: status_of(got, f"participants[0].{k}") for k in want} == want


@pytest.mark.parametrize(
    ("text", "city", "country", "want"),
    [
        ("Переговоры прошли в Астане.", "Астана", "KZ", (S, INF)),  # case form; country of a city
        ("Казахстанско-туркменские переговоры прошли в Туркестане.", "Туркестан", "TM", (S, S)),
        ("Переговоры прошли в Астане.", "Самарканд", "UZ", (U, U)),
    ],
)
def test_location(text: str, city: str, country: str, want: tuple) -> None:
    m = meeting(location={"city": city, "country": country}, evidence=[{"quote": text}])
    got = verify(Records.model_validate(records(meetings=[m])), text).meetings[0]
    assert (status_of(got, "location.city"), status_of(got, "location.country")) == want


@pytest.mark.parametrize(
    ("text", "value", "want"),
    [
        ("Переговоры прошли 25 ноября 2025 года.", "2025-11-25", S),
        ("Переговоры прошли 25 ноября 2025 года.", "2024-11-25", U),  # a year off
        (" date 2025-11-25 Переговоры прошли сегодня.", "2025-11-25", INF),  # the header
        (" date 2025-11-25 Переговоры прошли 24 ноября.", "2025-11-24", INF),  # publication year
        (" date 2025-11-25 Переговоры прошли 24 ноября.", "2024-11-24", U),
        ("В пятницу, 9 августа, лидеры встретились.", "2024-08-09", INF),  # a Friday in 2024
        ("В пятницу, 9 августа, лидеры встретились.", "2025-08-09", U),  # a Saturday
        ("АШХАБАД, 11 ноя — Стороны во вторник провели переговоры.", "2025-11-11", INF),
        ("АШХАБАД, 11 ноя — Стороны во вторник провели переговоры.", "2024-11-11", U),
        ("БАКУ, 21 августа. Вчера в Актау прошло заседание.", "2025-08-20", INF),
        (" date 2025-11-25 Переговоры прошли 3 марта.", "2025-11-25", U),
        ("Переговоры прошли 30 февраля 2025 года.", "2025-02-30", U),  # no such day
        ("Переговоры прошли в октябре 2025 года.", "2025-10", S),
        (" date 2025-11-25 Визит состоялся в мае прошлого года.", "2024-05", INF),
        (" date 2025-11-25 Визит состоялся в мае прошлого года.", "2025-05", U),
    ],
)
def test_dates(text: str, value: str, want: CheckStatus) -> None:
    precision = {0: "year", 1: "month", 2: "day"}[value.count("-")]
    rec = Records.model_validate(
        records(meetings=[meeting(date={"value": value, "precision": precision})])
    )
    assert status_of(check_records(rec, text).meetings[0], "date") is want


AGREEMENT_TEXT = (
    "Стороны условились рассмотреть вопрос об открытии авиарейсов между городами двух стран. "
    "Казахстан предложил принять план работы. По итогам переговоров подписаны документы:\n"
    "– Соглашение о сотрудничестве в области миграции;\n"
    "– Меморандум о сотрудничестве в сфере туризма.\n"
)


@pytest.mark.parametrize(
    ("title", "kind", "status", "parties", "quote", "want_status", "want_parties"),
    [
        (
            "открытие авиарейсов между городами двух стран",
            "intent",
            "under_consideration",
            ["KZ"],
            "Стороны условились рассмотреть вопрос об открытии авиарейсов",
            S,
            # "стороны" names no one; Kazakhstan is named in the next sentence only, and no
            # meeting of these records makes it a participant
            [U],
        ),
        # raised to signed where the text says "рассмотреть"
        (
            "открытие авиарейсов между городами двух стран",
            "intent",
            "signed",
            ["KZ"],
            "Стороны условились рассмотреть вопрос об открытии авиарейсов",
            U,
            [U],
        ),
        # a list item reads its list's lead ("подписаны документы:")
        (
            "Меморандум о сотрудничестве в сфере туризма",
            "memorandum",
            "signed",
            ["KZ", "IR"],
            "Меморандум о сотрудничестве в сфере туризма",
            S,
            [S, U],
        ),
        (
            "план работы",
            "plan",
            "proposed",
            ["KZ"],
            "Казахстан предложил принять план работы",
            S,
            [S],
        ),
    ],
)
def test_agreements(
    title: str,
    kind: str,
    status: str,
    parties: list[str],
    quote: str,
    want_status: CheckStatus,
    want_parties: list[CheckStatus],
) -> None:
    a = {
        "title": title,
        "kind": kind,
        "status": status,
        "parties": parties,
        "sector": None,
        "period": None,
        "evidence": [{"quote": quote}],
    }
    got = verify(Records.model_validate(records(agreements=[a])), AGREEMENT_TEXT).agreements[0]
    assert status_of(got, "status") is want_status
    assert [status_of(got, f"parties[{i}]") for i in range(len(parties))] == want_parties


METRIC_TEXT = (
    "За 10 месяцев объем перевозок по железной дороге Казахстан – Туркменистан – Иран составил "
    "1,5 млн тонн, увеличившись на 14%. Товарооборот между странами превышает полмиллиарда "
    "долларов. Лидеры договорились увеличить его до $1 млрд. По линии 500 кВ подписано 15 "
    "документов."
)


@pytest.mark.parametrize(
    ("name", "value", "unit", "kind", "quote", "want"),
    [
        ("объем перевозок", 1.5e6, "t", "level", "составил 1,5 млн тонн", {"name": S, "unit": S}),
        ("объем перевозок", 14, "%", "change", "увеличившись на 14%", {"name": S, "kind": S}),
        # renamed to what another figure measures
        ("товарооборот", 1.5e6, "t", "level", "составил 1,5 млн тонн", {"name": U, "unit": U}),
        # a money figure renamed to a tonnage
        ("объем перевозок", 5e8, "USD", "level", "превышает полмиллиарда", {"name": U, "unit": U}),
        # "его": the noun is in the sentence before
        (
            "товарооборот",
            1e9,
            "USD",
            "target",
            "увеличить его до $1 млрд",
            {"name": INF, "kind": S},
        ),
        # a level called a change, a level called a target
        ("товарооборот", 5e8, "USD", "change", "превышает полмиллиарда", {"kind": U}),
        ("объем перевозок", 1.5e6, "t", "target", "составил 1,5 млн тонн", {"kind": U}),
    ],
)
def test_metrics(name: str, value: float, unit: str, kind: str, quote: str, want: dict) -> None:
    m = metric(name, value, unit, quote, kind=kind)
    got = verify(Records.model_validate(records([m])), METRIC_TEXT).metrics[0]
    assert {k: status_of(got, k) for k in want} == want


def test_every_non_empty_field_has_one_check_and_empty_ones_none() -> None:
    m = metric(
        "объем перевозок",
        1.5e6,
        "t",
        "составил 1,5 млн тонн",
        period={"text": "За 10 месяцев", "start": None, "end": None},
        scope={"countries": ["KZ", "TM", "IR"], "route": ["Казахстан", "Туркменистан", "Иран"]},
    )
    got = verify(Records.model_validate(records([m])), METRIC_TEXT).metrics[0]
    fields = [c.field for c in got.checks]
    assert sorted(fields) == sorted(
        ["name", "unit", "kind", "period"]
        + [f"scope.countries[{i}]" for i in range(3)]
        + [f"scope.route[{i}]" for i in range(3)]
    )
    assert all(c.status is S for c in got.checks), got.checks
    for c in got.checks:
        assert c.start is not None and c.end is not None and METRIC_TEXT[c.start : c.end]
    assert value_at(got, "scope.route[2]") == "Иран"
    bare = metric("объем перевозок", 1.5e6, None, "составил 1,5 млн тонн")
    checked = verify(Records.model_validate(records([bare])), METRIC_TEXT).metrics[0]
    assert "unit" not in [c.field for c in checked.checks]  # null: no check


@pytest.mark.parametrize(
    ("status", "quote", "want"),
    [
        ("under_construction", "Строящаяся железная дорога Бахты – Аягоз", S),
        ("operating", "Железная дорога Бахты – Аягоз введена в эксплуатацию", S),
        ("discussed", "Стороны обсудили перспективы строительства дороги Бахты – Аягоз", S),
        ("operating", "Стороны намерены проложить дорогу Бахты – Аягоз", U),
    ],
)
def test_project_status(status: str, quote: str, want: CheckStatus) -> None:
    text = f"{quote}. Других новостей нет."
    p = {
        "name": "железная дорога Бахты – Аягоз",
        "sector": None,
        "status": status,
        "countries": ["KZ", "JP"],
        "places": ["Бахты", "Аягоз", "Токио"],
        "evidence": [{"quote": quote}],
    }
    got = verify(Records.model_validate(records(projects=[p])), text).projects[0]
    assert status_of(got, "status") is want
    # Бахты is a Kazakh town of the gazetteer; Japan and Tokyo are named nowhere
    assert [status_of(got, f"countries[{i}]") for i in range(2)] == [INF, U]
    assert [status_of(got, f"places[{i}]") for i in range(3)] == [S, S, U]


def test_reading_a_text_is_done_once_per_text() -> None:
    assert read(METRIC_TEXT) is read(METRIC_TEXT)


JUNK_TEXT = (
    "АСТАНА, 11 ноя — Kazinform. Строится линия 500 кВ. Об этом сообщил телеканал МИР 24, "
    "ведущий Кирилл Петров."
)


@pytest.mark.parametrize(
    ("name", "value", "quote"),
    [
        ("кв", 500, "Строится линия 500 кВ"),  # a unit taken for what is measured
        ("ной", 11, "АСТАНА, 11 ноя"),  # a dateline's month taken for a noun
        ("кирилл", 24, "телеканал МИР 24, ведущий Кирилл"),  # an outlet's number, a first name
    ],
)
def test_junk_metric_names_are_unsupported(name: str, value: float, quote: str) -> None:
    m = metric(name, value, None, quote)
    got = verify(Records.model_validate(records([m])), JUNK_TEXT).metrics[0]
    assert status_of(got, "name") is U


def test_checks_are_computed_never_asked_and_recomputed_whatever_a_model_sends() -> None:
    import json

    from extractor.core.verify import CheckedRecords

    schema = json.dumps(CheckedRecords.model_json_schema(), ensure_ascii=False)
    assert '"checks"' not in schema and "FieldCheck" not in schema
    sent = metric("объем перевозок", 1.5e6, "t", "составил 1,5 млн тонн")
    sent["checks"] = [{"field": "name", "status": "supported", "reason": "trust me"}]
    forged = Records.model_validate(records([sent]))
    got = verify(forged, METRIC_TEXT).metrics[0]
    assert "trust me" not in [c.reason for c in got.checks]
    assert status_of(got, "name") is S


def test_checked_records_keep_only_what_the_article_supports() -> None:
    from tests.seed_extractions import extraction_from_text

    good = metric("объем перевозок", 1.5e6, "t", "составил 1,5 млн тонн")
    renamed = metric("стоимость проекта", 1.5e6, "t", "составил 1,5 млн тонн")
    ex = extraction_from_text(METRIC_TEXT, Records.model_validate(records([good, renamed])))
    assert [m.name for m in ex.checked_records().metrics] == ["объем перевозок"]
    assert len(ex.metrics) == 2  # the other is kept, flagged


def test_a_country_named_only_as_a_waypoint_is_no_party() -> None:
    text = (
        "Туркменистан предложил Казахстану активнее использовать железную дорогу "
        "Китай – Казахстан – Туркменистан – Иран."
    )
    a = {
        "title": "активнее использовать железную дорогу",
        "kind": "intent",
        "status": "proposed",
        "parties": ["KZ", "TM", "IR", "CN"],
        "sector": None,
        "period": None,
        "evidence": [{"quote": text}],
    }
    got = verify(Records.model_validate(records(agreements=[a])), text).agreements[0]
    assert [status_of(got, f"parties[{i}]") for i in range(4)] == [S, S, U, U]
    reason = next(c.reason for c in got.checks if c.field == "parties[2]")
    assert reason and "waypoint" in reason


TRANSPORT_TEXT = (
    "В прошлом году транспортировка газа через территорию страны составила 12 млрд кубометров, "
    "а ее стоимость достигла 300 млн долларов."
)


@pytest.mark.parametrize(
    ("value", "unit", "quote", "want"),
    [
        # a word the table knows through its synonyms ("перевозка" t, "транзит" t and m3)
        (12e9, "m3", "составила 12 млрд кубометров", S),
        # none of its synonyms is counted in money: a cost renamed to transport stays flagged
        (3e8, "USD", "достигла 300 млн долларов", U),
    ],
)
def test_a_word_known_through_its_synonyms_counts_in_any_of_their_units(
    value: float, unit: str, quote: str, want: CheckStatus
) -> None:
    m = metric("транспортировка газа", value, unit, quote)
    got = verify(Records.model_validate(records([m])), TRANSPORT_TEXT).metrics[0]
    assert status_of(got, "unit") is want
