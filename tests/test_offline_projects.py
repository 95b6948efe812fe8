"""Projects of the offline backend on planted sentences: heads, routes, names, stages, countries."""

import pytest

from extractor.offline.nlp import sentences
from extractor.offline.projects import find_projects
from schemas.enums import ProjectStatus as S


def projects(text: str, parties: list[str] | None = None):
    return find_projects(sentences(text), parties)


def one(text: str, parties: list[str] | None = None):
    found = projects(text, parties)
    assert len(found) == 1, [p.name for p in found]
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "Казахстанско-туркменско-иранская железная дорога работает.",
        "Стороны отметили роль железной дороги Казахстан – Туркменистан – Иран.",
        "Железнодорожная магистраль Казахстан – Туркменистан – Иран загружена.",
        "Груз пошёл по железнодорожной линии Казахстан-Туркменистан-Иран.",
    ],
)
def test_route_wordings_share_one_canonical_name(text: str) -> None:
    p = one(text)
    assert p.name == "железная дорога Казахстан – Туркменистан – Иран"
    assert p.countries == ["KZ", "TM", "IR"]
    assert p.places == ["Казахстан", "Туркменистан", "Иран"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Обсуждена линия электропередачи Кыргызстан – Таджикистан.",
            "линия электропередачи Кыргызстан – Таджикистан",
        ),
        ("Стороны обсудили ЛЭП Туркменистан – Афганистан.", "линия электропередачи"),
        (
            "Прокладывается ВОЛС Ташкент – Бишкек.",
            "волоконно-оптическая линия связи Ташкент – Бишкек",
        ),
        ("Строится автодорога Душанбе – Худжанд.", "автомобильная дорога Душанбе – Худжанд"),
        ("Работает пункт пропуска Фарап – Алат.", "пункт пропуска Фарап – Алат"),
        (
            "Предложено построить ЛЭП между Туркменистаном и Узбекистаном.",
            "линия электропередачи Туркменистан – Узбекистан",
        ),
    ],
)
def test_infrastructure_heads_with_routes(text: str, name: str) -> None:
    assert one(text).name.startswith(name)


def test_acronyms_name_the_route_and_its_countries() -> None:
    tapi = projects(
        "Газопровод Туркменистан – Афганистан – Пакистан – Индия важен. "
        "Газопровод ТАПИ обсудили министры."
    )
    assert [p.name for p in tapi] == [
        "газопровод Туркменистан – Афганистан – Пакистан – Индия (ТАПИ)"
    ]
    assert len(tapi[0].evidence) == 2
    line = one("Обсуждался проект ЛЭП ТАП.")
    assert line.name == "линия электропередачи Туркменистан – Афганистан – Пакистан (ТАП)"
    assert line.countries == ["TM", "AF", "PK"]
    assert one("Стороны поддержали проект CASA-1000.").countries == ["KG", "TJ", "AF", "PK"]


@pytest.mark.parametrize(
    ("text", "name", "countries", "places"),
    [
        (
            "Казахстан участвует в разработке месторождения Галкыныш.",
            "месторождение Галкыныш",
            ["TM", "KZ"],
            ["Галкыныш"],
        ),
        ("Грузы пойдут через морской порт Туркменбаши.", "порт Туркменбаши", ["TM"], []),
        ("Важна роль сухого порта Хоргос.", "сухой порт Хоргос", ["KZ"], ["Хоргос"]),
        ("Достраивается Рогунская ГЭС.", "Рогунская ГЭС", ["TJ"], []),
        ("Обсудили Камбаратинскую ГЭС-1.", "Камбаратинская ГЭС-1", ["KG"], []),
    ],
)
def test_named_sites_get_their_country(
    text: str, name: str, countries: list[str], places: list[str]
) -> None:
    p = one(text)
    assert (p.name, p.countries) == (name, countries)
    if places:
        assert p.places == places


def test_ports_in_a_list() -> None:
    names = [p.name for p in projects("Используются порты Актау, Курык и Туркменбаши.")]
    assert names == ["порт Актау", "порт Курык", "порт Туркменбаши"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Стороны договорились ускорить создание Международного центра промышленной кооперации.",
            "Международный центр промышленной кооперации",
        ),
        ("Откроется новый транспортно-логистический центр.", "транспортно-логистический центр"),
        ("Планируется приграничная торговая зона.", "приграничная торговая зона"),
        ("Создаётся свободная экономическая зона.", "свободная экономическая зона"),
        ("Работает индустриальный парк.", "индустриальный парк"),
        (
            "Обсуждено строительство зернового терминала на туркменско-афганской границе.",
            "зерновой терминал на туркменско-афганской границе",
        ),
    ],
)
def test_facilities_in_the_nominative(text: str, name: str) -> None:
    assert one(text).name == name


def test_generic_words_are_not_facilities() -> None:
    assert projects("Вопрос был в центре внимания, в зоне риска и в парке.") == []
    assert projects("Хаб и терминал упомянуты без определений.") == []


@pytest.mark.parametrize(
    "text",
    [
        "В порту Актау введен в эксплуатацию контейнерный хаб, построенный с партнёрами.",
        "Контейнерный хаб в порту Актау введен в эксплуатацию.",
        "Контейнерный хаб, который работает в порту Актау, введен в эксплуатацию.",
    ],
)
def test_a_facility_takes_its_location_and_the_port_is_not_a_second_project(text: str) -> None:
    p = one(text, ["KZ", "CN"])
    assert p.name == "контейнерный хаб в порту Актау"
    assert p.places == ["Актау"]
    assert p.countries == ["KZ", "CN"]
    assert p.status is S.operating


def test_a_line_along_a_route() -> None:
    p = one("Обсуждена прокладка волоконно-оптической линии связи вдоль трассы газопровода.")
    assert p.name == "волоконно-оптическая линия связи вдоль трассы газопровода"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Строящаяся железная дорога Бахты – Аягоз важна.", S.under_construction),
        ("Продолжается строительство автодороги Бишкек – Ош.", S.under_construction),
        ("Железная дорога Бахты – Аягоз находится под строительством.", S.under_construction),
        ("В 2024 году введена в эксплуатацию автодорога Бишкек – Ош.", S.operating),
        ("Действующий газопровод Туркменистан – Китай загружен.", S.operating),
        ("Планируется построить железную дорогу Китай – Кыргызстан – Узбекистан.", S.planned),
        ("Стороны намерены построить ЛЭП Туркменистан – Афганистан.", S.planned),
        ("Президент предложил построить автодорогу Термез – Мазари-Шариф.", S.proposed),
        ("Стороны обсудили перспективы строительства ЛЭП Туркменистан – Иран.", S.discussed),
    ],
)
def test_stage_cues(text: str, status: S) -> None:
    assert one(text).status is status


def test_a_participle_belongs_to_the_next_project() -> None:
    found = projects(
        "Важны железная дорога Казахстан – Туркменистан – Иран и строящаяся автодорога "
        "Туркменбаши – Гарабогаз."
    )
    assert [p.status for p in found] == [S.operating, S.under_construction]


def test_later_sentences_referring_back_set_the_stage() -> None:
    p = one(
        "Ключевой проект – железная дорога Китай – Кыргызстан – Узбекистан. "
        "Протяженность магистрали составит около 500 км."
    )
    assert p.status is S.planned
    gas = one(
        "Министры обсудили газопровод ТАПИ. На афганском участке продолжается прокладка трубы "
        "газопровода."
    )
    assert gas.status is S.under_construction


def test_a_hyphenated_place_is_not_a_route() -> None:
    p = one("Предложен проект строительства железной дороги Тургунди – Герат – Спин-Булдак.")
    assert p.places == ["Тургунди", "Герат", "Спин-Булдак"]
    assert p.countries == ["AF"]
    assert p.status is S.proposed


# Names of the other record types read by the same rules: an agreement title starts at its
# infinitive or verbal noun in the nominative; a counted thing is a nominative phrase.


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Президент предложил создаваемой рабочей группе тщательно изучить вопросы транзита.",
            "изучить вопросы транзита",
        ),
        ("Министр предложил правительствам совместно выработать меры.", "выработать меры"),
        (
            "Стороны договорились о создании совместных торговых домов.",
            "создание совместных торговых домов",
        ),
        (
            "Стороны условились рассмотреть вопрос о финансовом участии в проекте.",
            "финансовое участие в проекте",
        ),
    ],
)
def test_agreement_titles_lose_lead_words(text: str, title: str) -> None:
    from extractor.offline.agreements import find_agreements

    assert [a.title for a in find_agreements(sentences(text), ["KZ", "UZ"])] == [title]


def test_a_counted_thing_is_named_in_the_nominative() -> None:
    from extractor.offline.metrics import measure_after

    assert measure_after(" контейнерных поездов отправлено") == "контейнерные поезда"
    assert measure_after(" грузовых вагонов") == "грузовые вагоны"


# Stages read from what the talks are about, not from the verb of talking: the use of a thing
# says it is in service, preparing to build says it is planned, works under way say it is being
# built, and "обсудили" alone says nothing more than "discussed".


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Министры обсудили транзит нефти по трубопроводу Баку – Тбилиси.", S.operating),
        (
            "Стороны обсудили рост грузоперевозок по железной дороге Бишкек – Ош.",
            S.operating,
        ),
        ("Стороны обсудили использование порта Курык для транзитных грузов.", S.operating),
        ("За год через логистический хаб в порту Актау прошло 100 тысяч тонн.", S.operating),
        ("Были обсуждены вопросы развития автодороги Душанбе – Худжанд.", S.operating),
        ("Стороны обсудили подготовку к строительству ЛЭП Бишкек – Ош.", S.planned),
        (
            "Обсуждена подготовка к реализации проекта строительства газопровода Бухара – Ташкент.",
            S.planned,
        ),
        ("Подписано соглашение о строительстве автодороги Бишкек – Ош.", S.planned),
        ("Предусмотрено строительство ЛЭП Бишкек – Ош.", S.planned),
        (
            "Обсуждена автодорога Бишкек – Ош, работы на которой ведутся с мая.",
            S.under_construction,
        ),
        (
            "Министры ознакомились с ходом работ на площадке логистического хаба в порту Актау.",
            S.under_construction,
        ),
        ("В порту Актау создается контейнерный хаб.", S.under_construction),
        (
            "Строительство автодороги Бишкек – Ош, стартовавшее весной, идет по плану.",
            S.under_construction,
        ),
        ("Лидеры решили ускорить строительство ЛЭП Бишкек – Ош.", S.under_construction),
        ("Банк предложил профинансировать реконструкцию автодороги Бишкек – Ош.", S.proposed),
        ("Стороны обсудили перспективы строительства автодороги Бишкек – Ош.", S.discussed),
    ],
)
def test_stage_from_the_object_of_the_talks(text: str, status: S) -> None:
    assert one(text).status is status


def test_a_facility_head_alone_refers_back() -> None:
    p = one(
        "Презентован проект контейнерного хаба в порту Актау. "
        "Строительство хаба планируется начать в следующем году."
    )
    assert p.status is S.planned


@pytest.mark.parametrize(
    ("text", "name", "places"),
    [
        (
            "Ведется строительство ЛЭП 500 кВ «Бишкек – Ош» протяженностью 300 км.",
            "линия электропередачи Бишкек – Ош",
            ["Бишкек", "Ош"],
        ),
        (
            "По действующей линии электропередачи «Туркменабат – Бухара» идет экспорт.",
            "линия электропередачи Туркменабат – Бухара",
            ["Туркменабат", "Бухара"],
        ),
        (
            'Газ идет по газопроводу "Бухара - Ташкент" круглый год.',
            "газопровод Бухара – Ташкент",
            ["Бухара", "Ташкент"],
        ),
        (
            "Предусмотрена ЛЭП 220 кВ «Нарын-2 — Ош».",
            "линия электропередачи Нарын-2 – Ош",
            ["Нарын-2", "Ош"],
        ),
    ],
)
def test_lines_and_pipelines_named_by_a_quoted_route(
    text: str, name: str, places: list[str]
) -> None:
    p = one(text)
    assert (p.name, p.places) == (name, places)


def test_a_quoted_checkpoint_pair_locating_something_else_is_not_a_route() -> None:
    assert projects("Склад строят в районе пунктов пропуска «Бишкек – Ош».") == []


@pytest.mark.parametrize(
    "text",
    [
        "Стороны обсудили транзит по коридору Север – Юг.",
        "Газ поставляется по газопроводу «Средняя Азия – Центр».",
        "Важен коридор Запад – Восток.",
    ],
)
def test_compass_words_are_not_places(text: str) -> None:
    p = one(text)
    assert not {"Север", "Юг", "Центр", "Запад", "Восток"} & set(p.places)


def test_two_plants_sharing_one_head_with_their_river_and_the_partners() -> None:
    lone = projects("Ведется ремонт Нижней и Верхнекафирниганской ГЭС.", ["TJ", "UZ"])
    assert [p.name for p in lone] == ["Верхнекафирниганская ГЭС"]  # "Нижней" names no plant
    plants = projects(
        "Подписано соглашение о строительстве и совместной эксплуатации Сырдарьинской и "
        "Чарвакской ГЭС на реке Чирчик.",
        ["TJ", "UZ"],
    )
    assert [p.name for p in plants] == ["Сырдарьинская ГЭС", "Чарвакская ГЭС"]
    for p in plants:
        assert p.status is S.planned  # the cue before the first is shared by both
        assert p.places == ["Чирчик"]
        assert p.countries == ["TJ", "UZ"]


def test_a_plant_of_a_known_site_keeps_its_country_and_adds_joint_partners() -> None:
    alone = one("Строящаяся Нурекская ГЭС-2 важна.", ["TJ", "UZ"])
    assert alone.countries == ["TJ"]
    joint = one(
        "Особое внимание уделено Токтогульской ГЭС, которую модернизируют совместно с Казахстаном.",
        ["KG", "UZ"],
    )
    assert joint.countries == ["KG", "UZ", "KZ"]


def test_a_port_named_by_its_city_adjective_merges_with_the_port_of_that_city() -> None:
    p = one(
        "Делегация посетила Бакинский морской порт. Суда пришли в порт Баку. "
        "Мощность Бакинского международного морского торгового порта выросла."
    )
    assert p.name == "Бакинский международный морской торговый порт"
    assert (p.places, p.countries) == (["Баку"], ["AZ"])


def test_an_adjective_after_port_is_not_a_port_name() -> None:
    assert projects("Грузы идут к портам Каспийского моря и порту Индийского океана.") == []


def test_a_route_the_project_runs_along_is_its_path_not_a_project() -> None:
    p = one(
        "Стороны обсудили Трансафганскую железную дорогу. Магистраль пройдет по маршруту "
        "Термез – Мазари-Шариф – Кабул – Пешавар."
    )
    assert p.name == "Трансафганская железная дорога"
    assert p.places == ["Термез", "Мазари-Шариф", "Кабул", "Пешавар"]
    assert p.countries == ["UZ", "AF", "PK"]
    alone = one("Создано предприятие для перевозок по маршруту Ташкент – Туркменбаши – Баку.")
    assert alone.name == "маршрут Ташкент – Туркменбаши – Баку"


@pytest.mark.parametrize(
    ("text", "name", "places"),
    [
        (
            "Обсужден ход строительства атомной электростанции малой мощности в Навоийской "
            "области.",
            "атомная электростанция малой мощности в Навоийской области",
            ["Навоийская область"],
        ),
        (
            "Стороны обсудили строительство ветровой электростанции мощностью 100 МВт в "
            "Бухарском районе.",
            "ветровая электростанция в Бухарском районе",
            ["Бухарский район"],
        ),
    ],
)
def test_a_plant_named_by_its_kind_with_its_region(text: str, name: str, places: list[str]) -> None:
    p = one(text, ["UZ", "RU"])
    assert (p.name, p.places, p.countries) == (name, places, ["UZ", "RU"])
    assert p.sector == "энергетика"


def test_a_plant_of_no_kind_is_no_project() -> None:
    assert projects("Электростанция работает в штатном режиме.") == []


def test_a_name_followed_by_a_surname_is_a_person() -> None:
    assert projects("Директор порта Алишер Каримов рассказал о планах.") == []


def test_a_named_canal_and_a_ferry_line() -> None:
    canal = one("Продолжается строительство канала Кош-Тепа на реке Амударья.")
    assert (canal.name, canal.status, canal.places) == (
        "канал Кош-Тепа",
        S.under_construction,
        [],
    )
    ferry = one("Стороны отметили работу паромной линии Курык – Баку.")
    assert (ferry.name, ferry.countries) == ("паромная линия Курык – Баку", ["KZ", "AZ"])


def test_a_corridor_with_a_proper_name_and_its_alias() -> None:
    assert one("Грузы пойдут по Северному коридору в Европу.").name == "Северный коридор"
    aliased = projects(
        "Обсуждено развитие Транскаспийского маршрута, известного также как Средний коридор."
    )
    assert [p.name for p in aliased] == ["Транскаспийский транспортный коридор"]


def test_a_tag_line_names_no_project() -> None:
    assert projects("Теги: Северный коридор, порт Курык, Каспий") == []


def test_a_thing_called_a_project_is_not_in_service() -> None:
    assert one("Поводом для дискуссии стал проект Нижнекафирниганской ГЭС.").status is S.planned
    assert one("Обсуждался проект ЛЭП ТАП.").status is S.discussed
    assert one("Нурекская ГЭС дает половину электроэнергии.").status is S.operating


def test_a_phase_of_works_on_a_named_project_is_a_project_of_its_own() -> None:
    found = projects(
        "Делегация посетила Актауский морской порт. Его мощность велика. "
        "В рамках второго этапа расширения, который уже строится, мощность вырастет."
    )
    assert [(p.name, p.status) for p in found] == [
        ("Актауский морской порт", S.operating),
        ("второй этап расширения Актауского морского порта", S.under_construction),
    ]
    assert found[1].places == ["Актау"]
    later = projects(
        "Грузы идут через порт Курык. После завершения второй фазы расширения порта, строительство "
        "которой планируется начать в 2027 году, мощность вырастет."
    )
    assert ("вторая фаза расширения порта Курык", S.planned) in [(p.name, p.status) for p in later]


def test_a_phase_with_no_project_named_before_is_nothing() -> None:
    assert projects("Начат второй этап реконструкции.") == []


def test_a_zone_a_facility_stands_in_is_its_place_not_a_second_project() -> None:
    p = one(
        "Презентован проект казахского логистического хаба в Навоийской свободной "
        "экономической зоне.",
        ["KZ", "UZ"],
    )
    assert p.name == ("казахский логистический хаб в Навоийской свободной экономической зоне")
    assert p.places == ["Навоийская свободная экономическая зона"]


def test_a_town_of_the_gazetteer_locates_a_facility_and_gives_a_line_its_country() -> None:
    centre = one("Стороны решили построить в Балыкчы новый логистический центр.", ["KG", "CN"])
    assert centre.name == "логистический центр в Балыкчы"
    assert centre.places == ["Балыкчы"]
    line = one("По действующей ЛЭП 500 кВ «Датка – Кемин» идет экспорт.")
    assert line.countries == ["KG"]


def test_a_facility_named_by_a_towns_adjective_is_in_that_town() -> None:
    p = one("Через Термезский логистический центр прошло 2 млн тонн грузов.", ["UZ", "AF"])
    assert p.places == ["Термез"]


def test_a_town_of_another_country_the_article_never_names_gives_no_country() -> None:
    # "Дарбаза" also reads as a town of a third country in the gazetteer; the article names
    # Kazakhstan and Uzbekistan only
    p = one("Казахстан и Узбекистан строят железную дорогу Дарбаза – Мактаарал.", ["KZ", "UZ"])
    assert p.places == ["Дарбаза", "Мактаарал"]
    assert set(p.countries) <= {"KZ", "UZ"}


@pytest.mark.parametrize("lead", ["Читайте также:", "Другие новости:", "Новости по теме"])
def test_headlines_of_other_news_under_a_links_lead_are_not_read(lead: str) -> None:
    from extractor.backends.offline import OfflineBackend
    from extractor.pipeline import run
    from extractor.reading import article_from_text

    text = (
        " date 2025-08-22 Президент Казахстана Касым-Жомарт Токаев и Президент Узбекистана "
        "Шавкат Мирзиёев провели переговоры в Туркестане.\n\n"
        f"{lead}\nКазахстан и Узбекистан запустят совместный грузовой терминал в Сарыагаше\n"
        "Экспорт зерна вырос на 12%\n\nТеги: Токаев"
    )
    result = run(article_from_text(text), OfflineBackend())
    assert result.projects == [] and result.metrics == []
    assert len(result.meetings) == 1
