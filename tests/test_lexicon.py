"""The lexicons: one data file and one loader each, and every user resolving through them."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources

import pytest

from extractor.backends import offline as offline_backend
from extractor.consolidate import canonical, persons
from extractor.core import names
from extractor.core.figures import find_figures
from extractor.lexicon import (
    countries,
    heads_of_state,
    months,
    outlets,
    places,
    project_kinds,
    stopwords,
    titles,
)
from extractor.lexicon import names as names_lexicon
from extractor.offline import countries as offline_countries
from extractor.offline.dates import MONTHS, month_number
from extractor.offline.people import canonical_name
from extractor.reading import article_from_text
from schemas.enums import FigureKind

DATA = resources.files("extractor.lexicon").joinpath("data")


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if p.name.endswith(".json")))
def test_every_data_file_is_versioned(name: str) -> None:
    data = json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))
    assert str(data["version"]).strip()


# --- countries ---------------------------------------------------------------------------------


def test_countries_table() -> None:
    assert countries.version()
    table = countries.countries()
    assert len(table) == 23
    codes = [c.code for c in table]
    assert len(set(codes)) == len(codes)
    assert countries.country_name("KZ") == "Казахстан"
    assert countries.country_name("GE") == "Грузия"
    assert countries.country_name("XX") == "XX"
    assert countries.country_names()["TM"] == "Туркменистан"


def test_no_stem_of_one_country_starts_another() -> None:
    """So the order of the table never decides which country a word names."""
    stems = [(s, c.code) for c in countries.countries() for s in c.stems]
    for a, code_a in stems:
        for b, code_b in stems:
            if code_a != code_b:
                assert not b.startswith(a), (a, code_a, b, code_b)


WORDS = [
    ("Казахстан", "KZ"),
    ("Казахстана", "KZ"),
    ("казахстанской", "KZ"),
    ("казахских", "KZ"),
    ("Туркменистаном", "TM"),
    ("Туркмении", "TM"),
    ("туркменской", "TM"),
    ("Узбекистане", "UZ"),
    ("Кыргызстану", "KG"),
    ("Киргизии", "KG"),
    ("таджикских", "TJ"),
    ("Ираном", "IR"),
    ("иранской", "IR"),
    ("Афганистана", "AF"),
    ("Китая", "CN"),
    ("китайской", "CN"),
    ("КНР", "CN"),
    ("России", "RU"),
    ("Россией", "RU"),
    ("российских", "RU"),
    ("Индии", "IN"),
    ("индийской", "IN"),
    ("Азербайджана", "AZ"),
    ("Турцией", "TR"),
    ("турецкой", "TR"),
    ("США", "US"),
    ("Грузии", "GE"),
    ("Монголией", "MN"),
    ("Беларуси", "BY"),
    ("белорусской", "BY"),
    ("Туркменбаши", None),
    ("Туркменабат", None),
    ("Иранов", None),
    ("Астана", None),
    ("грузить", None),
    ("индивидуальный", None),
    ("русскоязычных", None),
]


@pytest.mark.parametrize(("word", "code"), WORDS)
def test_offline_and_consolidation_name_the_same_country(word: str, code: str | None) -> None:
    assert offline_countries.country_of_word(word) == ([code] if code else [])
    assert canonical.country_of(word) == code


@pytest.mark.parametrize(
    ("word", "codes"),
    [
        ("Казахстанско-туркменско-иранская", ["KZ", "TM", "IR"]),
        ("Китай-Казахстан-Туркменистан-Иран", ["CN", "KZ", "TM", "IR"]),
        ("русско-китайский", ["RU", "CN"]),
        ("узбекско-афганской", ["UZ", "AF"]),
    ],
)
def test_compounds_read_alike_on_both_sides(word: str, codes: list[str]) -> None:
    assert offline_countries.country_of_word(word) == codes
    assert canonical.countries_in_compound(word) == codes


def test_both_sides_name_a_code_alike() -> None:
    for c in countries.countries():
        assert offline_countries.country_name(c.code) == c.name


# --- months ------------------------------------------------------------------------------------


def test_months_table() -> None:
    assert months.version()
    table = months.months()
    assert [m.number for m in table] == list(range(1, 13))
    assert months.by_lemma()["август"] == 8
    assert months.by_genitive()["мая"] == 5
    assert len(months.by_genitive()) == 12


@pytest.mark.parametrize(
    ("word", "number"),
    [("января", 1), ("мае", 5), ("май", 5), ("августе", 8), ("декабрём", 12), ("Июня", 6)],
)
def test_every_month_reader_agrees(word: str, number: int) -> None:
    """The figure engine, the date grammar and the reader all read one month table."""
    assert re.fullmatch(rf"(?:{months.stem_pattern()})[а-яё]*", word.lower())
    assert month_number(word) == number
    assert dict(MONTHS) == dict(months.by_lemma())


def test_a_day_before_any_month_form_is_a_date() -> None:
    for m in months.months():
        [fig] = find_figures(f"Встреча прошла 9 {m.genitive}.")
        assert fig.kind is FigureKind.date and fig.value == 9


def test_byline_date_reads_every_genitive() -> None:
    for m in months.months():
        article = article_from_text(f"Заголовок\n\n18 {m.genitive} 2025, 16:05\n\nТекст статьи.")
        assert article.published == f"2025-{m.number:02d}-18"


# --- titles and heads of state -----------------------------------------------------------------


def test_titles_table() -> None:
    t = titles.titles()
    assert t.version
    assert len(t.role_heads) == 27
    assert len(t.title_words) == 30
    assert len(t.bodies) == 17
    assert t.is_title_word("Президентом") and t.is_title_word("ГЛАВА")
    assert not t.is_title_word("Токаев")
    assert t.head_of_state_role == "Глава государства"
    assert t.head_of_state_titles == {"президент", "глава", "лидер"}


@pytest.mark.parametrize(
    ("raw", "offline", "consolidated"),
    [
        ("Президент Касым-Жомарт Токаев", "Касым-Жомарт Токаев", ["Касым-Жомарт", "Токаев"]),
        ("Председатель Шавкат Мирзиёев", "Шавкат Мирзиёев", ["Шавкат", "Мирзиёев"]),
        ("Посол Иван Петров", "Иван Петров", ["Иван", "Петров"]),
    ],
)
def test_both_sides_drop_the_same_title_words(
    raw: str, offline: str, consolidated: list[str]
) -> None:
    assert canonical_name(raw) == offline
    assert persons._name_tokens(raw) == consolidated


def test_heads_of_state_table() -> None:
    assert heads_of_state.version()
    assert heads_of_state.as_of() == dt.date(2025, 1, 1)
    assert len(heads_of_state.heads()) == 12
    kz = heads_of_state.head_of("Касым-Жомарт Токаев")
    assert kz is not None and (kz.role, kz.country) == ("Президент", "KZ")
    uz = heads_of_state.head_of("Шавкат Мирзиёев")  # ё read as е
    assert uz is not None and uz.country == "UZ"
    senior = heads_of_state.head_of("Гурбангулы Бердымухамедов")
    assert senior is not None and senior.role == "Председатель Халк Маслахаты"
    junior = heads_of_state.head_of("Сердар Бердымухамедов")
    assert junior is not None and junior.role == "Президент"
    assert heads_of_state.head_of("Бердымухамедов") is None  # which one: the text must say
    assert heads_of_state.head_of("") is None


def test_every_head_of_state_is_a_known_country() -> None:
    codes = {c.code for c in countries.countries()}
    assert {h.country for h in heads_of_state.heads().values()} <= codes


# --- outlets -----------------------------------------------------------------------------------


def test_outlets_table() -> None:
    assert outlets.version()
    assert len(outlets.national()) == 5
    words = outlets.attribution()
    assert "передаёт" in words.verbs and "агентство" in words.nouns
    assert outlets.home_country("https://www.inform.kz/ru/") == "KZ"
    assert outlets.home_country("Туркменистан сегодня") == "TM"
    assert outlets.home_country("Reuters") is None


@pytest.mark.parametrize(
    ("text", "outlet", "country"),
    [
        ("Встреча прошла в Астане, передаёт агентство Kazinform.", "Kazinform", "KZ"),
        ("Об этом сообщила пресс-служба Акорды.", "пресс-служба Акорды", "KZ"),
        ("Как пишет Кабар, стороны обсудили транзит.", "Кабар", "KG"),
        ("Об этом сообщает Reuters.", "Reuters", None),
    ],
)
def test_reader_and_offline_backend_read_one_outlet_table(
    text: str, outlet: str, country: str | None
) -> None:
    article = article_from_text(text)
    assert article.outlet == outlet
    assert offline_backend.home_country(article) == country


# --- project kinds -----------------------------------------------------------------------------


def test_project_kinds_table() -> None:
    assert project_kinds.version()
    assert len(project_kinds.kinds()) == 14
    assert len(project_kinds.heads()) == 11
    assert project_kinds.kind_of("Железная дорога Казахстан – Туркменистан – Иран") == "railway"
    assert project_kinds.kind_of("Автомобильная дорога Бишкек – Ош") == "road"
    assert project_kinds.kind_of("Газопровод ТАПИ") == "pipeline"
    assert project_kinds.kind_of("Музей") == "other"
    assert project_kinds.kind_of("паромная линия Курык – Баку") == "ferry"
    assert project_kinds.kind_of("канал Кош-Тепа") == "canal"


@pytest.mark.parametrize("head", project_kinds.heads(), ids=lambda h: h.head)
def test_every_offline_head_is_the_kind_consolidation_reads(head: project_kinds.Head) -> None:
    """The offline backend names a project after its head; consolidation reads its kind back."""
    assert re.fullmatch(head.pattern, head.head, re.IGNORECASE)
    assert canonical.project_kind(f"{head.head} Казахстан – Китай") == head.kind


def test_a_power_line_is_one_kind_however_it_is_named() -> None:
    assert canonical.project_kind("ЛЭП CASA-1000") == canonical.project_kind(
        "линия электропередачи CASA-1000"
    )


# --- morphology --------------------------------------------------------------------------------


def test_one_analyser_and_one_parse_cache() -> None:
    from extractor.core import morphology
    from extractor.offline import date_grammar, nlp

    assert nlp.parses is morphology.parses
    assert date_grammar.parses is morphology.parses
    assert nlp.load_models()["morph"] is morphology.morph()
    word = "товарооборотами"
    before = morphology.parses.cache_info().currsize
    assert canonical.lemma(word) == "товарооборот"
    assert nlp.lemma(word) == "товарооборот"
    after = morphology.parses.cache_info()
    assert after.currsize <= before + 1  # both sides read the one cache entry
    assert morphology.parses(word) is morphology.parses(word)


# --- names -------------------------------------------------------------------------------------


def test_name_lexicon() -> None:
    lex = names_lexicon.names()
    assert lex.version
    assert len(lex.case_endings) == 23
    assert len(lex.surname_suffixes) == 15
    assert set(lex.declining_suffixes) <= set(lex.surname_suffixes)
    assert lex.case_endings[0] in {"ыми", "ими", "ому", "ему", "ого", "его"}  # longest first


@pytest.mark.parametrize(
    ("inflected", "nominative_form", "female"),
    [
        ("Токаевым", "Токаев", False),
        ("Токаева", "Токаев", False),
        ("Мирзиёеву", "Мирзиёев", False),
        ("Сердаром", "Сердар", False),
        ("Ивановой", "Иванова", True),
    ],
)
def test_offline_nominative_is_the_name_consolidation_matches(
    inflected: str, nominative_form: str, female: bool
) -> None:
    """The offline side writes the nominative; consolidation reads both forms as one name."""
    assert names.nominative(inflected, surname=True, female=female) == nominative_form
    assert canonical.same_name(inflected, nominative_form)
    assert canonical.same_name is names.same_name and canonical.fold is names.fold


def test_surnames_and_initials() -> None:
    assert names.is_surname("Токаевым") and names.is_surname("Ермекбаев")
    assert names.is_surname("Шаймиев") and names.is_surname("Кемелбекулы")
    assert not names.is_surname("Касым")
    assert names.same_name("К.-Ж.", "Касым-Жомарт")
    assert not names.same_name("Ж.", "Касым")


# --- places ------------------------------------------------------------------------------------


def test_places_table() -> None:
    assert places.version()
    assert len(places.cities()) == 89
    assert len(places.sites()) == 24
    assert places.cities()["Астана"] == "KZ" and places.cities()["Ашхабад"] == "TM"
    assert places.site_country("Кашагане") == "KZ"
    assert places.site_country("Пап") == "UZ" and places.site_country("Папа") is None
    codes = {c.code for c in countries.countries()}
    assert set(places.cities().values()) <= codes
    assert {code for _, code in places.sites()} <= codes


def test_offline_backend_reads_the_gazetteer() -> None:
    assert offline_countries.CITIES is places.cities()
    assert offline_countries.city_lemma("Астане") == "Астана"


# --- function words ----------------------------------------------------------------------------


def test_function_words_are_one_list() -> None:
    from extractor.offline import metrics

    words = stopwords.function_words()
    assert stopwords.version()
    assert len(words) == 24
    assert {"в", "на", "между", "около", "также"} <= words
    assert metrics._STOP is words
    assert canonical.lemmas("объём торговли между странами") == ["объем", "торговля", "страна"]


# --- the folder --------------------------------------------------------------------------------


def test_digest_covers_every_data_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractor.lexicon as lexicon

    files = lexicon.data_files()
    assert {
        "countries.json",
        "heads_of_state.json",
        "months.json",
        "names.json",
        "outlets.json",
        "places.json",
        "project_kinds.json",
        "stopwords.json",
        "titles.json",
    } <= set(files)
    before = lexicon.digest()
    assert before == lexicon.digest()
    changed = dict(files)
    changed["months.json"] = files["months.json"].replace(b'"version": "', b'"version": "0.', 1)
    assert changed["months.json"] != files["months.json"]
    monkeypatch.setattr(lexicon, "data_files", lambda: changed)
    assert lexicon.digest() != before
