"""Offline metrics: the sign of a change follows its own direction word; falls verify too."""

from __future__ import annotations

import pytest

from extractor.backends.offline import OfflineBackend
from extractor.offline.metrics import is_fall
from extractor.pipeline import run
from extractor.reading import article_from_text
from schemas.enums import MetricKind, VerificationStatus


@pytest.fixture(scope="module")
def backend() -> OfflineBackend:
    return OfflineBackend()


def test_each_change_takes_the_sign_of_its_own_verb(backend: OfflineBackend) -> None:
    text = (
        "По итогам года экспорт Казахстана в Узбекистан вырос на 5%, а импорт снизился на 3,2%. "
        "Перевозки грузов сократились на 2 млн тонн."
    )
    metrics = run(article_from_text(text), backend).metrics
    changes = {(m.value, m.unit) for m in metrics if m.kind is MetricKind.change}
    assert changes == {(5.0, "%"), (-3.2, "%"), (-2_000_000.0, "t")}
    assert all(m.verification.status is VerificationStatus.verified for m in metrics)


def test_a_level_is_never_negated(backend: OfflineBackend) -> None:
    text = "Товарооборот составил 1,2 млрд долларов, что ниже прошлогоднего уровня."
    [m] = run(article_from_text(text), backend).metrics
    assert m.value == 1.2e9 and m.kind is MetricKind.level


@pytest.mark.parametrize(
    ("before", "fall"),
    [
        ("импорт снизился на ", True),
        ("вырос на 5%, а импорт сократился на ", True),
        ("сократился на 3%, а экспорт вырос на ", False),
        ("показатель увеличился на ", False),
    ],
)
def test_the_nearest_direction_word_decides(before: str, fall: bool) -> None:
    assert is_fall(before) is fall


# No record that is not a figure of a measured quantity.


@pytest.mark.parametrize(
    "text",
    [
        "ТАШКЕНТ, 4 сен — Агентство. Министры встретились в столице.",
        "Об этом сообщил телеканал ОТР 24 в эфире.",
        "Подробности читайте на 12.uz сегодня.",
        "Ведется строительство ЛЭП 220 кВ до границы.",
        "Линия напряжением 110 киловольт пройдет вдоль трассы.",
        "По итогам визита подписано 12 документов.",
        "В заседании приняли участие 40 человек.",
        "Стороны провели 15 встреч за год.",
    ],
)
def test_no_metric_from_what_measures_nothing(backend: OfflineBackend, text: str) -> None:
    assert run(article_from_text(text), backend).metrics == []


def test_a_count_of_a_measured_thing_stays(backend: OfflineBackend) -> None:
    text = "Число совместных предприятий в стране превысило 850, сообщили в министерстве."
    [m] = run(article_from_text(text), backend).metrics
    assert m.value == 850


# Level or target from the verb's aspect and tense; the period stated at the figure.


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Экспорт хлопка увеличился до 200 тысяч тонн.", MetricKind.level),
        ("Импорт сахара снизился до 40 тысяч тонн, сообщили в ведомстве.", MetricKind.level),
        ("Потери в сетях удалось снизить до 8 процентов.", MetricKind.level),
        ("Стороны решили довести товарооборот до 3 млрд долларов.", MetricKind.target),
        ("Поставки угля увеличатся до 2 млн тонн.", MetricKind.target),
        ("Объем поставок может быть увеличен до 4 млрд кубометров.", MetricKind.target),
        (
            "Правительства работают над доведением товарооборота до 2 млрд долларов.",
            MetricKind.target,
        ),
        ("К 2028 году товарооборот составит 5 млрд долларов.", MetricKind.target),
        ("Компании планируют вложить в экономику страны 200 млн долларов.", MetricKind.target),
        ("Банк предоставит региону 40 млн евро помощи.", MetricKind.target),
        ("Проектная мощность станции составит 600 МВт.", MetricKind.level),
        ("Планируется создать торговую зону площадью 80 гектаров.", MetricKind.level),
        ("На трассе будет построено 30 мостов.", MetricKind.level),
        ("Министр признает, что до 30% воды теряется в каналах.", MetricKind.level),
    ],
)
def test_level_or_target_from_the_verb(
    backend: OfflineBackend, text: str, kind: MetricKind
) -> None:
    [m] = run(article_from_text(text), backend).metrics
    assert m.kind is kind


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Стороны решили довести товарооборот до 3 млрд долларов к 2029 году.", "к 2029 году"),
        ("Фонды намерены вложить 100 млн долларов в ближайшие два года.", "в ближайшие два года"),
        ("Инвестиции выросли в 1,6 раза за последние четыре года.", "за последние четыре года"),
        ("В 2023-м импорт газа составил 3 млрд кубометров.", "В 2023-м"),
        ("Экспорт за тот же период составил 5 млн тонн.", "за тот же период"),
        (
            "Товарооборот за январь–май 2025 года составил 1 млрд долларов.",
            "за январь–май 2025 года",
        ),
    ],
)
def test_the_period_stated_at_the_figure(backend: OfflineBackend, text: str, period: str) -> None:
    [m] = run(article_from_text(text), backend).metrics
    assert m.period is not None and m.period.text == period


def test_a_year_with_an_ordinal_ending_gives_its_year(backend: OfflineBackend) -> None:
    [m] = run(
        article_from_text("В 2023-м импорт газа составил 3 млрд кубометров."), backend
    ).metrics
    assert m.period is not None and (m.period.start, m.period.end) == ("2023", "2023")


def test_a_flow_between_the_two_countries_is_scoped_to_both() -> None:
    from extractor.offline.metric_context import scope_countries

    sentence = "Товарооборот между двумя странами вырос до 2 млрд долларов."
    assert scope_countries("товарооборот", sentence, [], ["KZ", "TM"], []) == ["KZ", "TM"]
    one_named = "Товарооборот Казахстана вырос до 2 млрд долларов."
    assert scope_countries("товарооборот", one_named, ["KZ"], ["KZ", "TM"], []) == ["KZ", "TM"]
    export = "Экспорт Казахстана вырос до 2 млрд долларов."
    assert scope_countries("экспорт", export, ["KZ"], ["KZ", "TM"], []) == ["KZ"]


def test_a_size_of_a_project_is_scoped_to_its_countries(backend: OfflineBackend) -> None:
    text = (
        "Президенты Узбекистана и Казахстана встретились в Ташкенте. "
        "Проектная мощность Рогунской ГЭС составит 3600 МВт."
    )
    result = run(article_from_text(text), backend)
    [m] = result.metrics
    assert m.scope.countries == ["TJ"]


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "Мощность порта планируется увеличить с 10 до 20 млн тонн в год.",
            (10e6, MetricKind.level),
            (20e6, MetricKind.target),
        ),
        (
            "Мощность порта выросла с 10 до 20 млн тонн в год.",
            (10e6, MetricKind.level),
            (20e6, MetricKind.level),
        ),
        (
            "Импорт снизился с 9 до 6 млн тонн.",
            (9e6, MetricKind.level),
            (6e6, MetricKind.level),
        ),
    ],
)
def test_a_change_from_one_level_to_another_is_two_figures(
    backend: OfflineBackend,
    text: str,
    first: tuple[float, MetricKind],
    second: tuple[float, MetricKind],
) -> None:
    metrics = run(article_from_text(text), backend).metrics
    assert [(m.value, m.kind) for m in metrics] == [first, second]
    assert all(m.verification.status is VerificationStatus.verified for m in metrics)


def test_a_spread_stays_one_range(backend: OfflineBackend) -> None:
    [m] = run(article_from_text("Урожай составит от 5 до 6 млн тонн."), backend).metrics
    assert (m.value, m.value_max) == (5e6, 6e6)


def test_a_headline_figure_the_body_repeats_is_one_fact(backend: OfflineBackend) -> None:
    text = (
        "Стороны намерены довести перевозки до 7 млн тонн\n\n"
        "Стороны поставили цель довести объем перевозок по маршруту до 7 млн тонн к 2030 году."
    )
    metrics = run(article_from_text(text), backend).metrics
    assert len(metrics) == 1
    assert metrics[0].period is not None and metrics[0].period.text == "к 2030 году"


# Metric names read right: a lemmatised noun phrase of what the figure measures.


@pytest.mark.parametrize(
    ("clause", "name"),
    [
        ("За год объем перевозок по маршруту достиг ", "объем перевозок"),
        ("Контейнерные перевозки выросли в ", "контейнерные перевозки"),
        ("Стороны намерены довести перевозки по коридору ", "перевозки"),
        ("Стороны договорились довести взаимную торговлю ", "взаимная торговля"),
        ("Линия с пропускной способностью ", "пропускная способность"),
        ("Дорога общей протяженностью ", "общая протяженность"),
        ("Проектная мощность Нурекской ГЭС-2 составит ", "проектная мощность Нурекской ГЭС-2"),
        (
            "Мощность Актауского международного морского торгового порта в городе выросла до ",
            "мощность Актауского международного морского торгового порта",
        ),
    ],
)
def test_the_measured_noun_phrase_in_the_nominative(clause: str, name: str) -> None:
    from extractor.offline.metrics import measure_before

    assert measure_before(clause) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "В 2024 году Казахстан импортировал 3 млрд кВт·ч электроэнергии.",
            "импорт электроэнергии",
        ),
        ("Компания экспортировала 200 тысяч тонн зерна.", "экспорт зерна"),
        (
            "Мощность станции велика. В прошлом году Таджикистан экспортировал 2 млрд кВт·ч.",
            "экспорт",
        ),
        ("Импорт вырос, а в засушливые годы дефицит достигает 15%.", "дефицит"),
        ("Товарооборот растет. Цены на зерно выросли на 5%.", "цены"),
    ],
)
def test_a_figure_is_named_by_its_own_clause(backend: OfflineBackend, text: str, name: str) -> None:
    metrics = run(article_from_text(text), backend).metrics
    assert metrics[-1].name == name


def test_a_centre_is_no_price() -> None:
    from extractor.offline.metrics import measure_before

    assert measure_before("Через логистический центр прошло ") is None


def test_a_tonnage_after_a_cost_is_named_by_its_own_clause(backend: OfflineBackend) -> None:
    text = (
        "Общая стоимость проекта оценивается в 2 млрд долларов, а магистраль позволит "
        "перевозить до 12 млн тонн грузов ежегодно."
    )
    cost, freight = run(article_from_text(text), backend).metrics
    assert cost.name == "общая стоимость проекта" and cost.unit == "USD"
    assert freight.name == "перевозки грузов" and freight.unit == "t"
    assert freight.kind is MetricKind.level  # a capacity, not a goal


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Экспорт за отчетный период составил 40 млн долларов.", "за отчетный период"),
        (
            "В поливной период 2027 года будет подано 300 млн кубометров воды.",
            "В поливной период 2027 года",
        ),
        ("Импорт за первый квартал вырос на 7%.", "за первый квартал"),
        ("По итогам года рост составит 5–6%.", "По итогам года"),
        ("Поставки составят 2 млн тонн ежегодно.", "ежегодно"),
        ("В засушливые годы дефицит достигает 25%.", "В засушливые годы"),
    ],
)
def test_more_period_forms(backend: OfflineBackend, text: str, period: str) -> None:
    [m] = run(article_from_text(text), backend).metrics
    assert m.period is not None and m.period.text == period


def test_a_vague_horizon_is_no_period(backend: OfflineBackend) -> None:
    text = "Стороны решили довести товарооборот до 2 млрд долларов в ближайшие годы."
    [m] = run(article_from_text(text), backend).metrics
    assert m.period is None


def test_a_flow_keeps_the_period_last_stated_for_it(backend: OfflineBackend) -> None:
    text = (
        "Товарооборот Казахстана и Киргизии за январь–май 2025 года составил 900 млн долларов. "
        "Крупнейшей статьей стал уголь. Товарооборот по углю вырос на 12%. "
        "Протяженность новой дороги составит 120 км."
    )
    trade, coal, road = run(article_from_text(text), backend).metrics
    assert trade.period is not None and coal.period == trade.period
    assert road.period is None  # a size is no flow: no period carried to it


def test_a_currency_or_a_sea_names_no_country_of_the_scope(backend: OfflineBackend) -> None:
    text = (
        "Президенты Узбекистана и Таджикистана провели переговоры. "
        "Стоимость проекта составит 300 млн долларов США. "
        "Тариф до портов Индийского океана снизится на 20%."
    )
    cost, tariff = run(article_from_text(text), backend).metrics
    assert "US" not in cost.scope.countries
    assert "IN" not in tariff.scope.countries


def test_a_stretch_on_one_countrys_territory_is_scoped_to_it() -> None:
    from extractor.offline.metric_context import scope_countries

    sentence = "Протяженность линии на территории Казахстана составит 150 км до узбекской границы."
    assert scope_countries("протяженность", sentence, ["KZ", "UZ"], ["KZ", "UZ"], []) == ["KZ"]


def test_a_headline_after_navigation_lines_is_still_a_headline(backend: OfflineBackend) -> None:
    text = (
        "Новости | Экономика | Регионы\n\n"
        "Экспорт зерна в регион вырос на 9,4%\n\n"
        "Экспорт казахстанского зерна в страны региона за полгода вырос на 9,4%. "
        "Импорт муки вырос на 9,4%."
    )
    metrics = run(article_from_text(text), backend).metrics
    assert len(metrics) == 2  # the headline's figure is the body's first; the import is its own
    assert all("Новости" not in m.evidence[0].quote for m in metrics)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "В прошлом году Казахстан экспортировал в Китай 3,2 млн тонн пшеницы, что на 12% "
            "больше, чем годом ранее.",
            "экспорт пшеницы",
        ),
        (
            "Через порт Актау перевезли 5 млн тонн грузов, что в 1,5 раза больше, чем в 2023 году.",
            "перевозки",
        ),
    ],
)
def test_a_change_stated_against_the_figure_before_it_measures_the_same(
    backend: OfflineBackend, text: str, name: str
) -> None:
    first, change = run(article_from_text(" date 2025-06-05 " + text), backend).metrics
    assert change.kind is MetricKind.change
    assert change.name == first.name
    assert first.name.startswith(name)


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("Заключены контракты на сумму свыше 300 млн долларов.", "сумма"),
        ("Перевал расположен на высоте более 3500 метров над уровнем моря.", "высота"),
        ("Стороны создадут фонд с уставным капиталом 100 млн долларов.", "капитал"),
        ("Количество рейсов между столицами достигло 40 в неделю.", "количество"),
    ],
)
def test_a_sum_a_height_a_capital_and_a_number_are_measures(
    backend: OfflineBackend, text: str, head: str
) -> None:
    [m] = run(article_from_text(" date 2025-06-05 " + text), backend).metrics
    assert head in m.name.lower()


def test_v_tom_chisle_is_no_measure(backend: OfflineBackend) -> None:
    text = "Товарооборот вырос до 2 млрд долларов, в том числе экспорт до 900 млн долларов."
    names = [m.name for m in run(article_from_text(" date 2025-06-05 " + text), backend).metrics]
    assert all("числ" not in n for n in names)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Протяженность общей границы превышает 1000 км. Летом Таджикистан направит в "
            "Узбекистан по реке Вахш не менее 300 млн кубометров воды.",
            "объем воды",
        ),
        (
            "Товарооборот вырос на 5%. Банк в этом году предоставит региону 2 млрд юаней "
            "безвозмездной помощи.",
            "безвозмездная помощь",
        ),
    ],
)
def test_a_substance_after_the_unit_names_an_amount_with_no_measure_before_it(
    backend: OfflineBackend, text: str, name: str
) -> None:
    metrics = run(article_from_text(" date 2025-06-05 " + text), backend).metrics
    assert metrics[-1].name == name


def test_a_percent_of_a_substance_is_left_to_the_other_rules(backend: OfflineBackend) -> None:
    text = "Министр признает, что до 30% воды теряется в каналах."
    [m] = run(article_from_text(" date 2025-06-05 " + text), backend).metrics
    assert not m.name.startswith("объем")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("В 2024 году страна направила на ремонт дорог 80 млрд тенге.", "расходы на ремонт дорог"),
        ("Министерство выделило 5 млн долларов.", "расходы"),
        ("Эксперты признают, что до 35% воды теряется в старых каналах.", "потери воды"),
    ],
)
def test_money_spent_and_a_share_lost_are_named_by_their_verbs(
    backend: OfflineBackend, text: str, name: str
) -> None:
    [m] = run(article_from_text(" date 2025-06-05 " + text), backend).metrics
    assert m.name == name


def test_a_spending_verb_before_a_volume_is_no_spending(backend: OfflineBackend) -> None:
    text = "Летом Таджикистан направит в Узбекистан 300 млн кубометров воды."
    [m] = run(article_from_text(" date 2025-06-05 " + text), backend).metrics
    assert not m.name.startswith("расходы")


def test_a_figure_ends_a_measure_name(backend: OfflineBackend) -> None:
    text = (
        "Водохранилище объемом 19,5 млрд кубометров снабжает три области. В этом году в "
        "него поступило 2 млрд кубометров."
    )
    metrics = run(article_from_text(" date 2025-06-05 " + text), backend).metrics
    assert all("млрд" not in m.name for m in metrics)


def test_a_way_shortened_is_measured_by_its_length(backend: OfflineBackend) -> None:
    text = (
        "Стоимость строительства превысит 3 млрд долларов. Новая дорога сократит путь грузов "
        "из Китая в Европу на 700 км."
    )
    metrics = run(article_from_text(" date 2025-06-05 " + text), backend).metrics
    assert metrics[-1].name.startswith("путь")
