"""Behaviour of the offline backend on small planted texts."""

import datetime as dt

import pytest

from extractor.backends.offline import OfflineBackend
from extractor.offline.countries import countries_in
from extractor.offline.dates import resolve_year, text_date
from extractor.offline.people import canonical_name, nominative
from extractor.pipeline import run
from extractor.reading import article_from_text
from schemas.enums import AgreementStatus, MeetingFormat, MetricKind


@pytest.fixture(scope="module")
def backend() -> OfflineBackend:
    return OfflineBackend()


def extract(backend: OfflineBackend, text: str):
    return run(article_from_text(text), backend)


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Касым-Жомарта Токаева", "Касым-Жомарт Токаев"),
        ("Сердаром Бердымухамедовым", "Сердар Бердымухамедов"),
        ("Шавката Мирзиёева", "Шавкат Мирзиёев"),
        ("Садыром Жапаровым", "Садыр Жапаров"),
        ("Эмомали Рахмоном", "Эмомали Рахмон"),
        ("Гурбангулы Бердымухамедова", "Гурбангулы Бердымухамедов"),
    ],
)
def test_canonical_names(surface: str, expected: str) -> None:
    assert canonical_name(surface) == expected


def test_titles_and_bodies_are_not_people() -> None:
    assert canonical_name("Президента") is None
    assert canonical_name("Халк Маслахаты") is None
    assert nominative("Токаевым", surname=True) == "Токаев"


def test_countries_from_names_and_adjectives() -> None:
    assert countries_in("Казахстанско-туркменско-иранская железная дорога") == ["KZ", "TM", "IR"]
    assert countries_in("порт Туркменбаши") == []
    assert countries_in("с Президентом Кыргызской Республики") == ["KG"]


def test_weekday_resolves_year() -> None:
    assert resolve_year(8, 9, 4, None) == 2024
    assert text_date("В пятницу, 9 августа в Астане", None) == ("2024-08-09", "day")
    assert text_date("9 августа", None) is None
    assert resolve_year(8, 9, None, dt.date(2025, 8, 20)) == 2025


def test_meeting_people_place_and_date(backend: OfflineBackend) -> None:
    text = (
        " date 2024-05-03 Президент Узбекистана Шавкат Мирзиёев провел переговоры в Самарканде "
        "с Президентом Таджикистана Эмомали Рахмоном. Мирзиёев отметил рост торговли."
    )
    result = extract(backend, text)
    (meeting,) = result.meetings
    assert meeting.format is MeetingFormat.talks
    names = {p.name: (p.role, p.country) for p in meeting.participants}
    assert names == {
        "Шавкат Мирзиёев": ("Президент", "UZ"),
        "Эмомали Рахмон": ("Президент", "TJ"),
    }
    assert meeting.location.city == "Самарканд" and meeting.location.country == "UZ"
    assert meeting.date.value == "2024-05-03"


def test_no_place_or_date_is_invented(backend: OfflineBackend) -> None:
    text = (
        "Президент Казахстана Касым-Жомарт Токаев провел телефонный разговор с Президентом "
        "Кыргызстана Садыром Жапаровым. Жапаров предложил провести заседание совета в Бишкеке."
    )
    (meeting,) = extract(backend, text).meetings
    assert meeting.format is MeetingFormat.phone_call
    assert meeting.location.city is None
    assert meeting.date.value is None


def test_metrics_kind_name_and_period(backend: OfflineBackend) -> None:
    text = (
        "За девять месяцев текущего года объем экспорта составил 2,4 млрд долларов, "
        "увеличившись на 9%. Стороны договорились довести товарооборот до 5 млрд долларов."
    )
    metrics = extract(backend, text).metrics
    got = {(m.value, m.unit): m for m in metrics}
    assert set(got) == {(2.4e9, "USD"), (9.0, "%"), (5e9, "USD")}
    assert got[(9.0, "%")].kind is MetricKind.change
    assert got[(5e9, "USD")].kind is MetricKind.target
    assert got[(2.4e9, "USD")].name == "объем экспорта"
    assert got[(2.4e9, "USD")].period is not None
    assert all(m.verification.status.value == "verified" for m in metrics)


def test_signed_list_is_split(backend: OfflineBackend) -> None:
    text = (
        "По итогам встречи подписаны межправительственные соглашения о сотрудничестве в сфере "
        "туризма, о воздушном сообщении, меморандум о взаимопонимании в области образования и "
        "программа сотрудничества на 2026-2028 годы."
    )
    agreements = extract(backend, text).agreements
    assert [a.title for a in agreements] == [
        "межправительственное соглашение о сотрудничестве в сфере туризма",
        "межправительственное соглашение о воздушном сообщении",
        "меморандум о взаимопонимании в области образования",
        "программа сотрудничества на 2026-2028 годы",
    ]
    assert all(a.status is AgreementStatus.signed for a in agreements)


def test_intentions(backend: OfflineBackend) -> None:
    text = (
        "Стороны условились рассмотреть вопрос о создании совместного банка. "
        "Принято решение о строительстве логистического центра. "
        "Министр предложил принять дорожную карту по развитию туризма."
    )
    statuses = [(a.kind.value, a.status.value) for a in extract(backend, text).agreements]
    assert statuses == [
        ("intent", "under_consideration"),
        ("decision", "agreed"),
        ("roadmap", "proposed"),
    ]


def test_project_wordings_share_a_name(backend: OfflineBackend) -> None:
    a = extract(backend, "Узбекско-кыргызско-китайская железная дорога важна для региона.")
    b = extract(backend, "Обсуждена железная дорога Узбекистан – Кыргызстан – Китай.")
    assert [p.name for p in a.projects] == [p.name for p in b.projects]
    assert a.projects[0].countries == ["UZ", "KG", "CN"]


def test_backend_shape(backend: OfflineBackend) -> None:
    draft = backend.extract(article_from_text("Текст без фактов о встречах."))
    assert backend.name == "offline"
    assert draft.model.startswith("offline-natasha")
    assert draft.prompt_version is None
    assert draft.usage.total_tokens == 0


async def test_async_extract(backend: OfflineBackend) -> None:
    draft = await backend.aextract(article_from_text("Товарооборот составил 1 млрд долларов."))
    assert draft.records.metrics[0].value == 1e9
