"""Case tables for the figure engine: every form issue 6 lists, read in a sentence."""

from __future__ import annotations

import math

import pytest

from extractor.core.figures import Figure, find_figures, locate, nearest
from extractor.core.units import canonical_unit
from schemas.enums import FigureKind as K
from schemas.enums import Qualifier as Q

M, B = 1e6, 1e9

# (text, surface, value, value_max, unit, qualifier, kind): the text holds exactly one figure.
CASES = [
    # digits: decimal comma/point, thousands with space, no-break space, thin space
    ("Вывезли 1 500 тонн зерна.", "1 500 тонн", 1500, None, "t", Q.exact, K.quantity),
    ("Вывезли 1\u00a0500 тонн зерна.", "1\u00a0500 тонн", 1500, None, "t", Q.exact, K.quantity),
    ("Вывезли 1\u2009500 тонн зерна.", "1\u2009500 тонн", 1500, None, "t", Q.exact, K.quantity),
    (
        "Вывезли 1\u202f500\u202f000 тонн.",
        "1\u202f500\u202f000 тонн",
        1.5 * M,
        None,
        "t",
        Q.exact,
        K.quantity,
    ),
    ("Сумма 12,5 млн долларов.", "12,5 млн долларов", 12.5 * M, None, "USD", Q.exact, K.money),
    ("Сумма $27.5 млн.", "$27.5 млн", 27.5 * M, None, "USD", Q.exact, K.money),
    # number words in every case
    (
        "до одного миллиарда долларов",
        "до одного миллиарда долларов",
        B,
        None,
        "USD",
        Q.up_to,
        K.money,
    ),
    ("из двадцати пяти процентов", "двадцати пяти процентов", 25, None, "%", Q.exact, K.percent),
    (
        "свыше пятисот миллионов рублей",
        "свыше пятисот миллионов рублей",
        500 * M,
        None,
        "RUB",
        Q.more_than,
        K.money,
    ),
    ("двумстам тридцати тоннам", "двумстам тридцати тоннам", 230, None, "t", Q.exact, K.quantity),
    (
        "с тремястами сорока семью тысячами тенге",
        "тремястами сорока семью тысячами тенге",
        347_000,
        None,
        "KZT",
        Q.exact,
        K.money,
    ),
    (
        "двести тридцать семь тысяч пятьсот рублей",
        "двести тридцать семь тысяч пятьсот рублей",
        237_500,
        None,
        "RUB",
        Q.exact,
        K.money,
    ),
    ("миллион долларов", "миллион долларов", M, None, "USD", Q.exact, K.money),
    # fractions
    ("полтора миллиона тонн", "полтора миллиона тонн", 1.5 * M, None, "t", Q.exact, K.quantity),
    (
        "около полутора миллиардов тенге",
        "около полутора миллиардов тенге",
        1.5 * B,
        None,
        "KZT",
        Q.about,
        K.money,
    ),
    ("полторы тысячи тонн", "полторы тысячи тонн", 1500, None, "t", Q.exact, K.quantity),
    (
        "превышает полмиллиарда долларов",
        "превышает полмиллиарда долларов",
        0.5 * B,
        None,
        "USD",
        Q.more_than,
        K.money,
    ),
    ("пол-миллиона сумов", "пол-миллиона сумов", 0.5 * M, None, "UZS", Q.exact, K.money),
    (
        "два с половиной миллиона тонн",
        "два с половиной миллиона тонн",
        2.5 * M,
        None,
        "t",
        Q.exact,
        K.quantity,
    ),
    ("почти половина объема", "почти половина", 0.5, None, None, Q.less_than, K.ratio),
    ("две трети экспорта", "две трети", 2 / 3, None, None, Q.exact, K.ratio),
    ("четверть товарооборота", "четверть", 0.25, None, None, Q.exact, K.ratio),
    ("за полгода", "полгода", 0.5, None, "year", Q.exact, K.duration),
    # scales
    ("на 800 тыс. рублей", "800 тыс. рублей", 800_000, None, "RUB", Q.exact, K.money),
    ("5 трлн тенге", "5 трлн тенге", 5e12, None, "KZT", Q.exact, K.money),
    ("к 3 миллиардам рублей", "3 миллиардам рублей", 3 * B, None, "RUB", Q.exact, K.money),
    # currency symbols before/after, with/without space; currency words
    ("до $1 млрд.", "до $1 млрд", B, None, "USD", Q.up_to, K.money),
    ("и $ 500 млн", "$ 500 млн", 500 * M, None, "USD", Q.exact, K.money),
    ("и 500 млн $ на", "500 млн $", 500 * M, None, "USD", Q.exact, K.money),
    ("€15 млн", "€15 млн", 15 * M, None, "EUR", Q.exact, K.money),
    ("10 млн долларов США", "10 млн долларов США", 10 * M, None, "USD", Q.exact, K.money),
    ("200 млрд тенге", "200 млрд тенге", 200 * B, None, "KZT", Q.exact, K.money),
    ("3 трлн сумов", "3 трлн сумов", 3e12, None, "UZS", Q.exact, K.money),
    ("100 млн манатов", "100 млн манатов", 100 * M, None, "TMT", Q.exact, K.money),
    ("5 млрд юаней", "5 млрд юаней", 5 * B, None, "CNY", Q.exact, K.money),
    ("7 млн евро", "7 млн евро", 7 * M, None, "EUR", Q.exact, K.money),
    ("50 рублей", "50 рублей", 50, None, "RUB", Q.exact, K.money),
    ("1 млн сомов", "1 млн сомов", M, None, "KGS", Q.exact, K.money),
    ("20 млн сомони", "20 млн сомони", 20 * M, None, "TJS", Q.exact, K.money),
    (
        "100 млн гонконгских долларов",
        "100 млн гонконгских долларов",
        100 * M,
        None,
        "HKD",
        Q.exact,
        K.money,
    ),
    ("9 млн шведских крон", "9 млн шведских крон", 9 * M, None, "SEK", Q.exact, K.money),
    # percent forms
    ("рост 14%", "14%", 14, None, "%", Q.exact, K.percent),
    ("рост 14 %", "14 %", 14, None, "%", Q.exact, K.percent),
    ("рост 14 процентов", "14 процентов", 14, None, "%", Q.exact, K.percent),
    ("вырос на 14 процентов", "14 процентов", 14, None, "%", Q.exact, K.percent),
    ("на 5 процентных пунктов", "5 процентных пунктов", 5, None, "pp", Q.exact, K.percent),
    ("20-процентный рост", "20-процентный", 20, None, "%", Q.exact, K.percent),
    # change words and signs
    ("индекс: +14%", "+14%", 14, None, "%", Q.exact, K.percent),
    ("индекс: −3%", "−3%", -3, None, "%", Q.exact, K.percent),
    ("увеличившись на 14%", "14%", 14, None, "%", Q.exact, K.percent),
    ("рост на 14%", "14%", 14, None, "%", Q.exact, K.percent),
    ("вырос в два раза", "в два раза", 2, None, "x", Q.exact, K.ratio),
    ("в два раза", "в два раза", 2, None, "x", Q.exact, K.ratio),  # alone: a multiple
    ("вырос в 1,5 раза", "в 1,5 раза", 1.5, None, "x", Q.exact, K.ratio),
    ("вырос почти в три раза", "почти в три раза", 3, None, "x", Q.less_than, K.ratio),
    ("вырос вдвое", "вдвое", 2, None, "x", Q.exact, K.ratio),
    # qualifiers
    ("около 100 тонн", "около 100 тонн", 100, None, "t", Q.about, K.quantity),
    ("примерно 100 тонн", "примерно 100 тонн", 100, None, "t", Q.about, K.quantity),
    ("порядка 100 тонн", "порядка 100 тонн", 100, None, "t", Q.about, K.quantity),
    ("свыше 100 тонн", "свыше 100 тонн", 100, None, "t", Q.more_than, K.quantity),
    ("более 100 тонн", "более 100 тонн", 100, None, "t", Q.more_than, K.quantity),
    ("более чем на 40 %", "более чем на 40 %", 40, None, "%", Q.more_than, K.percent),
    ("стабильно превышает 100 тонн", "превышает 100 тонн", 100, None, "t", Q.more_than, K.quantity),
    ("почти 100 тонн", "почти 100 тонн", 100, None, "t", Q.less_than, K.quantity),
    ("менее 100 тонн", "менее 100 тонн", 100, None, "t", Q.less_than, K.quantity),
    ("до 100 тонн", "до 100 тонн", 100, None, "t", Q.up_to, K.quantity),
    ("как минимум 100 тонн", "как минимум 100 тонн", 100, None, "t", Q.at_least, K.quantity),
    ("не менее 100 тонн", "не менее 100 тонн", 100, None, "t", Q.at_least, K.quantity),
    ("не более 100 тонн", "не более 100 тонн", 100, None, "t", Q.at_most, K.quantity),
    # ranges
    ("25-27 июня прошли Дни культуры", "25-27 июня", 25, 27, None, Q.exact, K.date),
    ("план на 2026-2027 годы", "2026-2027 годы", 2026, 2027, None, Q.exact, K.year),
    ("в 2015-16 годах", "2015-16 годах", 2015, 2016, None, Q.exact, K.year),
    ("доля 38–56%", "38–56%", 38, 56, "%", Q.exact, K.percent),
    (
        "от 800 тыс. до 1 млн рублей",
        "от 800 тыс. до 1 млн рублей",
        800_000,
        M,
        "RUB",
        Q.exact,
        K.money,
    ),
    ("от 3 до 5 тыс. руб.", "от 3 до 5 тыс. руб.", 3000, 5000, "RUB", Q.exact, K.money),
    ("50-70 млн рублей", "50-70 млн рублей", 50 * M, 70 * M, "RUB", Q.exact, K.money),
    ("пять-шесть тысяч тонн", "пять-шесть тысяч тонн", 5000, 6000, "t", Q.exact, K.quantity),
    # units, rates
    ("20 миллионов тонн в год", "20 миллионов тонн в год", 20 * M, None, "t", Q.exact, K.quantity),
    ("5,6 млрд кВт·ч", "5,6 млрд кВт·ч", 5.6 * B, None, "kWh", Q.exact, K.quantity),
    ("10 млрд кубометров газа", "10 млрд кубометров", 10 * B, None, "m3", Q.exact, K.quantity),
    ("мощностью 2 ГВт", "2 ГВт", 2000, None, "MW", Q.exact, K.quantity),
    ("дорога длиной 1 200 км", "1 200 км", 1200, None, "km", Q.exact, K.quantity),
    ("500 кг", "500 кг", 500, None, "kg", Q.exact, K.quantity),
    ("высота 70 сантиметров", "70 сантиметров", 0.7, None, "m", Q.exact, K.quantity),
    # durations, years, dates
    ("за 10 месяцев этого года", "10 месяцев", 10, None, "month", Q.exact, K.duration),
    ("в течение 15 лет", "15 лет", 15, None, "year", Q.exact, K.duration),
    ("полтора года назад", "полтора года", 1.5, None, "year", Q.exact, K.duration),
    ("в 2025 году", "2025 году", 2025, None, None, Q.exact, K.year),
    ("в 2025 г. было", "2025 г.", 2025, None, None, Q.exact, K.year),
    ("к 2030", "2030", 2030, None, None, Q.exact, K.year),
    ("В пятницу, 9 августа в Астане", "9 августа", 9, None, None, Q.exact, K.date),
    ("date 2025-11-25 Глава", "2025-11-25", 25, None, None, Q.exact, K.date),
    ("от 25.11.2025 года", "25.11.2025", 25, None, None, Q.exact, K.date),
    # counts
    ("подписали 12 документов", "12", 12, None, None, Q.exact, K.count),
    # real-news forms met on NEREL train (paraphrased): an HTML no-break space left in the text
    ("налог 75&nbsp;% на доход", "75&nbsp;%", 75, None, "%", Q.exact, K.percent),
    ("вывезли 1&#160;500 тонн", "1&#160;500 тонн", 1500, None, "t", Q.exact, K.quantity),
    ("за $1&nbsp;200 в месяц", "$1&nbsp;200 в месяц", 1200, None, "USD", Q.exact, K.money),
    # a change "с A до B" sharing its scale and currency: one figure, both ends locatable
    (
        "выручка выросла с 10,63 до 11,29 миллиарда долларов.",
        "с 10,63 до 11,29 миллиарда долларов",
        10.63 * B,
        11.29 * B,
        "USD",
        Q.exact,
        K.money,
    ),
    (
        "прибыль выросла с 2,5 миллиарда до 3.1 миллиарда евро",
        "с 2,5 миллиарда до 3.1 миллиарда евро",
        2.5 * B,
        3.1 * B,
        "EUR",
        Q.exact,
        K.money,
    ),
    (
        "долг снизился с 11,3 до 10,6 млрд долларов",
        "с 11,3 до 10,6 млрд долларов",
        10.6 * B,
        11.3 * B,
        "USD",
        Q.exact,
        K.money,
    ),
    # a word range whose scale and currency belong to both ends
    (
        "штраф от двух до трех тысяч рублей",
        "от двух до трех тысяч рублей",
        2000,
        3000,
        "RUB",
        Q.exact,
        K.money,
    ),
    # English thousands commas after "$" (one group) or anywhere (two groups)
    ("картину продали за $512,000 на торгах", "$512,000", 512_000, None, "USD", Q.exact, K.money),
    ("оценка $2,345,678 долларов", "$2,345,678 долларов", 2_345_678, None, "USD", Q.exact, K.money),
    ("за $1,25 млн", "$1,25 млн", 1.25 * M, None, "USD", Q.exact, K.money),
    # a doubled unit "% процентов"
    ("итоги по 90 % процентов бюллетеней", "90 % процентов", 90, None, "%", Q.exact, K.percent),
    # "в N раз" is a ratio only with a change or comparison nearby; else "for the Nth time"
    ("При этом в 7 раз клуб взял кубок страны", "7", 7, None, None, Q.exact, K.count),
    ("доходы за год выросли в 12 раз", "в 12 раз", 12, None, "x", Q.exact, K.ratio),
    ("содержание выше допустимого в восемь раз.", "в восемь раз", 8, None, "x", Q.exact, K.ratio),
    ("разница в 5 раз", "в 5 раз", 5, None, "x", Q.exact, K.ratio),
    # one amount in several scaled parts
    (
        "стоит 2 миллиарда 300 миллионов долларов",
        "2 миллиарда 300 миллионов долларов",
        2.3 * B,
        None,
        "USD",
        Q.exact,
        K.money,
    ),
    ("5 млн 200 тыс. рублей", "5 млн 200 тыс. рублей", 5.2 * M, None, "RUB", Q.exact, K.money),
    # an ISO code before the number; kopecks; a dot thousands group after "$"
    ("фонд в USD 5 млн", "USD 5 млн", 5 * M, None, "USD", Q.exact, K.money),
    ("EUR 10 млн на проект", "EUR 10 млн", 10 * M, None, "EUR", Q.exact, K.money),
    ("подорожал на 50 копеек", "50 копеек", 0.5, None, "RUB", Q.exact, K.money),
    ("за $15.000 наличными", "$15.000", 15_000, None, "USD", Q.exact, K.money),
    # digit groups: the Russian convention (1-3 digits, then groups of exactly 3)
    ("трасса длиной 10 100 км", "10 100 км", 10_100, None, "km", Q.exact, K.quantity),
    ("между двумя государствами", "двумя", 2, None, None, Q.exact, K.count),
    ("два раза в неделю", "два", 2, None, None, Q.exact, K.count),
]


@pytest.mark.parametrize(("text", "surface", "value", "value_max", "unit", "qual", "kind"), CASES)
def test_reads_one_figure(text, surface, value, value_max, unit, qual, kind):
    (fig,) = find_figures(text)
    assert fig.text == surface == text[fig.start : fig.end]
    assert math.isclose(fig.value, value, rel_tol=1e-9)
    if value_max is None:
        assert fig.value_max is None
    else:
        assert fig.value_max is not None and math.isclose(fig.value_max, value_max, rel_tol=1e-9)
    assert (fig.unit, fig.qualifier, fig.kind) == (unit, qual, kind)
    assert fig.vague is False


# Vague amounts: found, with the lower bound the words guarantee ("несколько" and plurals mean
# two or more), qualifier at_least unless another is written, and vague=True.
# (text, surface, value, unit, qualifier, kind)
VAGUE = [
    ("продать за несколько миллионов евро.", "несколько миллионов евро", 2 * M, "EUR", Q.at_least, K.money),
    ("выделяет миллиарды долларов на", "миллиарды долларов", 2 * B, "USD", Q.at_least, K.money),
    ("ущерб в сотни тысяч рублей", "сотни тысяч рублей", 2e5, "RUB", Q.at_least, K.money),
    ("на десятки миллионов долларов", "десятки миллионов долларов", 2e7, "USD", Q.at_least, K.money),
    (
        "сборы составят от нескольких десятков до нескольких сотен миллионов долларов, считают",
        "от нескольких десятков до нескольких сотен миллионов долларов",
        2e7,
        "USD",
        Q.at_least,
        K.money,
    ),
    ("стоит несколько сотен миллионов рублей", "несколько сотен миллионов рублей", 2e8, "RUB", Q.at_least, K.money),
    ("урон на несколько сотен тысяч долларов", "несколько сотен тысяч долларов", 2e5, "USD", Q.at_least, K.money),
    ("довольствие в несколько тысяч долларов.", "несколько тысяч долларов", 2000, "USD", Q.at_least, K.money),
    ("на несколько млн долларов", "несколько млн долларов", 2 * M, "USD", Q.at_least, K.money),
    ("обойдется в десятки тысяч тенге", "десятки тысяч тенге", 2e4, "KZT", Q.at_least, K.money),
    ("счета на сотни долларов", "сотни долларов", 200, "USD", Q.at_least, K.money),
    ("потратили тысячи долларов", "тысячи долларов", 2000, "USD", Q.at_least, K.money),
    ("миллионами рублей", "миллионами рублей", 2 * M, "RUB", Q.at_least, K.money),
    ("около нескольких миллионов долларов", "около нескольких миллионов долларов", 2 * M, "USD", Q.about, K.money),
    ("рост на несколько процентов", "несколько процентов", 2, "%", Q.at_least, K.percent),
    ("на несколько десятков процентов", "несколько десятков процентов", 20, "%", Q.at_least, K.percent),
    ("вывезли несколько десятков тонн", "несколько десятков тонн", 20, "t", Q.at_least, K.quantity),
    ("жилье стоимостью несколько миллионов, машину", "несколько миллионов", 2 * M, None, Q.at_least, K.count),
    ("пришли тысячи людей", "тысячи", 2000, None, Q.at_least, K.count),
    ("Десятки тысяч человек", "Десятки тысяч", 2e4, None, Q.at_least, K.count),
    ("сотни миллионов пользователей", "сотни миллионов", 2e8, None, Q.at_least, K.count),
]  # fmt: skip


@pytest.mark.parametrize(("text", "surface", "value", "unit", "qual", "kind"), VAGUE)
def test_reads_vague_amount(text, surface, value, unit, qual, kind):
    (fig,) = find_figures(text)
    assert fig.text == surface == text[fig.start : fig.end]
    assert fig.vague is True
    assert math.isclose(fig.value, value, rel_tol=1e-9)
    assert fig.value_max is None
    assert (fig.unit, fig.qualifier, fig.kind) == (unit, qual, kind)


@pytest.mark.parametrize(("text", "surface", "value", "unit", "qual", "kind"), VAGUE)
def test_locate_never_returns_a_vague_amount(text, surface, value, unit, qual, kind):
    # neither its lower bound nor a value inside what the words allow is "stated"
    for v in (value, value * 3, value * 10):
        assert locate(text, v, unit) == []


@pytest.mark.parametrize(("text", "surface", "value", "unit", "qual", "kind"), VAGUE)
def test_nearest_mentions_a_vague_amount(text, surface, value, unit, qual, kind):
    near = nearest(text, value * 3, unit)
    assert near is not None
    fig, reason = near
    assert fig.vague and fig.text == surface
    assert reason == f"the text only says '{surface}'"
    # the lower bound itself is not "exact" either
    assert nearest(text, value, unit) == (fig, reason)


def test_nearest_prefers_a_definite_figure_to_a_vague_hint():
    text = "Дом продали за 3 млн евро, виллу - за несколько миллионов евро."
    (located,) = locate(text, 3e6, "EUR")
    assert not located.vague
    fig, why = nearest(text, 3e9, "EUR") or (None, "")
    assert (fig.text if fig else None, why) == ("3 млн евро", "same digits, scale off by 10^3")
    fig, why = nearest(text, 5e6, "EUR") or (None, "")
    assert fig is not None and fig.vague and why.startswith("the text only says")


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # "до тысячи", "более сотни": the genitive singular, a definite amount
        ("до тысячи рублей", [("до тысячи рублей", 1000, False)]),
        ("более сотни миллионов долларов", [("более сотни миллионов долларов", 1e8, False)]),
        # a definite second bound is not swallowed by a vague first one
        ("от нескольких сотен до тысячи долларов", [("до тысячи долларов", 1000, False)]),
    ],
)
def test_vague_words_that_are_definite(text, read):
    assert [(f.text, f.value, f.vague) for f in find_figures(text)] == read


def test_offline_metrics_skip_vague_amounts():
    from extractor.offline.metrics import is_metric_figure

    text = "Виллу продадут за несколько миллионов евро, дом за 5 млн евро."
    figs = find_figures(text)
    assert [f.vague for f in figs] == [True, False]
    assert [is_metric_figure(f, text) for f in figs] == [False, True]


@pytest.mark.parametrize(
    "text",
    [
        "транспортного коридора Север – Юг",
        "Казахстан – Туркменистан – Иран",
        "истребитель Су-35 и вирус COVID-19",
        "в 10-й раз, 1990-х годов",
        "встреча в 12:30",
        "один из лидеров, одни из первых",
        # vague words with neither a scale nor a unit, durations and multiples
        "несколько человек и десятки компаний, сотни сотрудников",
        "несколько лет назад, в течение нескольких месяцев",
        "выросли в несколько раз",
        "на втором заседании, третью очередь",
        "в семью и в двухстороннем формате",
        "во второй половине девяностых, в первой четверти матча",
        "победили со счётом 3:1, в сумме 1:2",
    ],
)
def test_no_figure(text):
    assert find_figures(text) == []


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # a list of numbers is not one grouped number
        ("номера 5 10 100", [("5", 5, None), ("10", 10, None), ("100", 100, None)]),
        ("ряды 10 100 1000", [("10", 10, None), ("100", 100, None), ("1000", 1000, None)]),
        # a group glued to a compound adjective: ten notes of 100 roubles
        ("10 100-рублевых купюр", [("10", 10, None), ("100-рублевых", 100, "RUB")]),
        # a fall in two figures of its own, each with its unit ("с 5% до 3%")
        ("доля упала с 5% до 3%", [("5%", 5, "%"), ("до 3%", 3, "%")]),
        # "с 8 до 12" with no unit stays two counts
        ("число машин с 8 до 12.", [("8", 8, None), ("до 12", 12, None)]),
        ("половина жителей и во второй половине дня", [("половина", 0.5, None)]),
        # two amounts, not one: the second scale is not smaller
        ("2 млн 3 млн рублей", [("2 млн", 2 * M, None), ("3 млн рублей", 3 * M, "RUB")]),
    ],
)
def test_reads_figures(text, read):
    assert [(f.text, f.value, f.unit) for f in find_figures(text)] == read


def test_pounds_of_weight_are_not_sterling():
    fig = find_figures("ребенок весит 7 фунтов 3 унции")[0]
    assert (fig.text, fig.unit, fig.kind) == ("7 фунтов", "kg", K.quantity)
    assert math.isclose(fig.value, 7 * 0.45359237)


def test_range_of_a_change_locates_each_end():
    text = "Выручка выросла с 10,63 до 11,29 миллиарда долларов за год."
    assert [f.text for f in locate(text, 10.63e9, "USD")] == ["с 10,63 до 11,29 миллиарда долларов"]
    assert len(locate(text, 11.29e9, "USD")) == 1
    assert locate(text, 10.63, "USD") == [] and locate(text, 11.29e10, "USD") == []
    assert locate(text, 11.29e9, "EUR") == [] and locate(text, 10.64e9, "USD") == []


def test_year_and_date_are_never_money():
    figs = find_figures("В 2025 году, 9 августа, подписали договор на $1 млрд.")
    assert [(f.kind, f.unit) for f in figs] == [(K.year, None), (K.date, None), (K.money, "USD")]


# Each row: surface forms that must all read as the same value and unit.
EQUIVALENT = [
    (["1,5 млн тонн", "полтора миллиона тонн", "1 500 000 тонн", "1,5 миллиона т"], 1.5 * M, "t"),
    (
        ["полмиллиарда долларов", "500 млн долларов", "$500 млн", "пятьсот миллионов долларов США"],
        0.5 * B,
        "USD",
    ),
    (
        [
            "$1 млрд",
            "одного миллиарда долларов",
            "1 млрд долларов",
            "1 000 000 000 долларов",
            "миллиарда долларов",
        ],
        B,
        "USD",
    ),
    (["14%", "14 %", "14 процентов", "четырнадцати процентов", "14 проц."], 14, "%"),
    (["10 месяцев", "десять месяцев", "десяти месяцев"], 10, "month"),
]


@pytest.mark.parametrize(("forms", "value", "unit"), EQUIVALENT)
def test_equivalent_forms(forms, value, unit):
    for form in forms:
        figs = find_figures(f"Объем составил {form} за год")
        read = [(f.text, f.value, f.unit) for f in figs]
        assert len(figs) == 1, (form, read)
        assert math.isclose(figs[0].value, value, rel_tol=1e-9) and figs[0].unit == unit, (
            form,
            read,
        )


TEXT = "Товарооборот превысил 1,5 млрд долларов, экспорт — 800 млн тенге, рост на 14%."


@pytest.mark.parametrize(
    ("value", "unit", "found"),
    [
        (1.5e9, "USD", "превысил 1,5 млрд долларов"),
        (1.5e9, "usd", "превысил 1,5 млрд долларов"),
        (1.5e9, "$", "превысил 1,5 млрд долларов"),
        (8e8, "KZT", "800 млн тенге"),
        (14, "%", "14%"),
        (14, "percent", "14%"),
        (1.5e9 * (1 + 1e-8), "USD", "превысил 1,5 млрд долларов"),
    ],
)
def test_locate_finds(value, unit, found):
    assert [f.text for f in locate(TEXT, value, unit)] == [found]


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        (1.5e6, "USD"),
        (1.5e9, "EUR"),
        (1.5e9, "KZT"),
        (1.6e9, "USD"),
        (8e8, "USD"),
        (14, None),
        (15, "%"),
    ],
)
def test_locate_rejects(value, unit):
    assert locate(TEXT, value, unit) == []


def test_locate_rate_unit_and_range_bounds():
    text = "мощность 20 миллионов тонн в год; доля 38–56%"
    assert len(locate(text, 2e7, "t")) == 1
    assert len(locate(text, 2e7, "t/year")) == 1
    assert len(locate(text, 2e7, "t/month")) == 0
    assert len(locate(text, 56, "%")) == 1


def test_locate_kinds_filter():
    text = "9 августа подписали 9 соглашений"
    assert [f.kind for f in locate(text, 9, None)] == [K.date, K.count]
    assert [f.kind for f in locate(text, 9, None, kinds={K.count})] == [K.count]


@pytest.mark.parametrize(
    ("value", "unit", "surface", "why"),
    [
        (1.5e9, "EUR", "превысил 1,5 млрд долларов", "same number in USD, not EUR"),
        (1.5e6, "USD", "превысил 1,5 млрд долларов", "same digits, scale off by 10^-3"),
        (1.4e9, "USD", "превысил 1,5 млрд долларов", "closest value in USD: 1.5e+09"),
        (15, "%", "14%", "closest value in %: 14"),
        (14, "%", "14%", "exact"),
    ],
)
def test_nearest_names_the_candidate(value, unit, surface, why):
    near = nearest(TEXT, value, unit)
    assert near is not None
    fig, reason = near
    assert (fig.text, reason) == (surface, why)


def test_nearest_none_when_nothing_comparable():
    assert nearest(TEXT, 7, "t") is None


def test_scaled_values_carry_no_binary_noise():
    # 1.1 * 1e6 is 1100000.0000000002 in floats; an exact equality check must still pass
    assert [f.value for f in find_figures("1,1 млн тонн и 0,3 млрд тенге")] == [1.1e6, 3e8]


def test_figure_is_frozen_and_slotted():
    (fig,) = find_figures("100 тонн")
    assert isinstance(fig, Figure)
    with pytest.raises(AttributeError):
        fig.value = 1.0  # type: ignore[misc]
    assert not hasattr(fig, "__dict__")


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("USD", "USD"),
        ("usd", "USD"),
        ("$", "USD"),
        ("₸", "KZT"),
        ("тонн", "t"),
        ("percent", "%"),
        ("m³", "m3"),
        (None, None),
        ("widgets", "widgets"),
    ],
)
def test_canonical_unit(alias, canonical):
    assert canonical_unit(alias) == canonical


def test_offsets_point_into_the_original_text():
    text = "«Рост — 14 %», а объём — 1\u00a0500 тонн; ещё $ 500 млн."
    for fig in find_figures(text):
        assert text[fig.start : fig.end] == fig.text
    assert [f.text for f in find_figures(text)] == ["14 %", "1\u00a0500 тонн", "$ 500 млн"]


@pytest.mark.parametrize(
    "text",
    ["будет построено 50 тоннелей", "5 метрополитенов", "12 граммофонов", "3 тоннажных судна"],
)
def test_a_unit_stem_inside_another_word_is_not_a_unit(text):
    [fig] = find_figures(text)
    assert fig.unit is None and fig.kind is K.count
