"""Countries from names and adjectives ("казахстанско-туркменско-иранская" -> KZ, TM, IR).

Matching works on word parts (a compound adjective is split on hyphens) by stem, so every case
form and every adjective of a country is found. Cities carry their country through a gazetteer
of the region's capitals, ports and large towns.
"""

from __future__ import annotations

import re

# Stems a word part (lower case) starts with -> ISO 3166-1 alpha-2. Ordered: longer stems first
# where one is a prefix of another place name ("туркменистан" but not "Туркменбаши").
_STEMS: tuple[tuple[str, str], ...] = (
    ("казахстан", "KZ"),
    ("казахск", "KZ"),
    ("казахо", "KZ"),
    ("туркменистан", "TM"),
    ("туркменск", "TM"),
    ("туркмено", "TM"),
    ("узбекистан", "UZ"),
    ("узбекск", "UZ"),
    ("узбеко", "UZ"),
    ("кыргызстан", "KG"),
    ("кыргызск", "KG"),
    ("кыргызо", "KG"),
    ("киргизи", "KG"),
    ("киргизск", "KG"),
    ("таджикистан", "TJ"),
    ("таджикск", "TJ"),
    ("таджико", "TJ"),
    ("иран", "IR"),
    ("афганистан", "AF"),
    ("афганск", "AF"),
    ("афгано", "AF"),
    ("китай", "CN"),
    ("китая", "CN"),
    ("китаю", "CN"),
    ("китаем", "CN"),
    ("китае", "CN"),
    ("кнр", "CN"),
    ("российск", "RU"),
    ("росси", "RU"),
    ("пакистан", "PK"),
    ("индия", "IN"),
    ("индии", "IN"),
    ("индию", "IN"),
    ("индией", "IN"),
    ("индийск", "IN"),
    ("азербайджан", "AZ"),
    ("турци", "TR"),
    ("турецк", "TR"),
    ("сша", "US"),
    ("американск", "US"),
    ("япони", "JP"),
    ("японск", "JP"),
    ("германи", "DE"),
    ("германск", "DE"),
    ("грузи", "GE"),
    ("грузинск", "GE"),
    ("монголи", "MN"),
    ("монгольск", "MN"),
    ("беларус", "BY"),
    ("белорусск", "BY"),
    ("армени", "AM"),
    ("армянск", "AM"),
    ("оаэ", "AE"),
    ("катар", "QA"),
    ("саудовск", "SA"),
)
_NOT_COUNTRY = ("иранов",)

# Nominative country names, for waypoints and project names.
COUNTRY_NAMES: dict[str, str] = {
    "KZ": "Казахстан",
    "TM": "Туркменистан",
    "UZ": "Узбекистан",
    "KG": "Кыргызстан",
    "TJ": "Таджикистан",
    "IR": "Иран",
    "AF": "Афганистан",
    "CN": "Китай",
    "RU": "Россия",
    "PK": "Пакистан",
    "IN": "Индия",
    "AZ": "Азербайджан",
    "TR": "Турция",
}

# City (nominative) -> country: capitals, ports and large towns of the region and its partners.
CITIES: dict[str, str] = {
    **dict.fromkeys(
        "Астана Алматы Туркестан Шымкент Актау Курык Атырау Караганда Актобе Павлодар Тараз "
        "Костанай Кызылорда Уральск Семей Петропавловск Хоргос Достык Алтынколь Аягоз Бахты".split(),
        "KZ",
    ),
    **dict.fromkeys(
        "Ташкент Самарканд Бухара Наманган Андижан Фергана Хива Нукус Термез Карши Навои "
        "Ургенч Алат".split(),
        "UZ",
    ),
    **dict.fromkeys("Бишкек Ош Чолпон-Ата Каракол Джалал-Абад Нарын Торугарт".split(), "KG"),
    **dict.fromkeys("Душанбе Худжанд Куляб Бохтар".split(), "TJ"),
    **dict.fromkeys(
        "Ашхабад Туркменбаши Туркменабат Мары Дашогуз Балканабат Аваза Гарабогаз Фарап Серхетабат "
        "Аркадаг".split(),
        "TM",
    ),
    **dict.fromkeys("Тегеран Мешхед Серахс Бендер-Аббас Чабахар".split(), "IR"),
    **dict.fromkeys(
        "Кабул Герат Кандагар Мазари-Шариф Тургунди Спин-Булдак Хайратон".split(), "AF"
    ),
    **dict.fromkeys("Пекин Шанхай Урумчи Сиань Кашгар Ляньюньган".split(), "CN"),
    **dict.fromkeys("Москва Санкт-Петербург Казань Оренбург Астрахань".split(), "RU"),
    **dict.fromkeys("Исламабад Карачи Гвадар Пешавар".split(), "PK"),
    **dict.fromkeys("Баку Алят".split(), "AZ"),
    **dict.fromkeys("Анкара Стамбул".split(), "TR"),
    "Нью-Дели": "IN",
    "Токио": "JP",
}

_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁёA-Za-z]+)*")


def country_of_word(word: str) -> list[str]:
    """Countries a single word names, in order ("казахстанско-туркменско-иранская" -> KZ TM IR)."""
    out: list[str] = []
    for part in word.lower().split("-"):
        if part.startswith(_NOT_COUNTRY):
            continue
        for stem, code in _STEMS:
            if part.startswith(stem) and code not in out:
                out.append(code)
                break
    return out


def countries_in(text: str) -> list[str]:
    """Every country a text names or implies by an adjective, in order of first mention."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        for code in country_of_word(m.group(0)):
            if code not in out:
                out.append(code)
    return out


def city_lemma(word: str) -> str | None:
    """The nominative of a city in the gazetteer from any case form ("Астане" -> "Астана")."""
    if word in CITIES:
        return word
    for city in CITIES:
        if _is_case_form(word, city):
            return city
    return None


def _is_case_form(word: str, city: str) -> bool:
    """Whether ``word`` is a regular case form of ``city`` (-а/-я nouns and consonant stems)."""
    if city[-1] in "аяь" and not city.endswith("ата"):
        return word[:-1] == city[:-1] and word[-1] in "аеиуыяюй" or word == city[:-1] + "ой"
    if city[-1] in "иыеоу":
        return False  # indeclinable: Алматы, Душанбе, Туркменбаши
    return word.startswith(city) and word[len(city) :] in ("а", "е", "у", "ом", "ем", "я", "ю")


def country_name(code: str) -> str:
    """The nominative Russian name of a country code, or the code itself when unknown."""
    return COUNTRY_NAMES.get(code, code)
