"""Meeting place rules of the offline backend, on planted texts."""

from __future__ import annotations

import pytest

from extractor.backends.offline import OfflineBackend
from extractor.pipeline import run
from extractor.reading import article_from_text
from schemas.enums import MeetingFormat


@pytest.fixture(scope="module")
def backend() -> OfflineBackend:
    return OfflineBackend()


def test_phone_call_has_no_place_even_when_a_city_is_named(backend: OfflineBackend) -> None:
    text = (
        " date 2025-06-06 Президент Узбекистана Шавкат Мирзиёев провел телефонный разговор с "
        "Президентом Кыргызстана Садыром Жапаровым. Лидеры обсудили договоренности, достигнутые "
        "в ходе государственного визита Шавката Мирзиёева в Бишкек. Стороны договорились "
        "провести заседание совета в Бишкеке."
    )
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.format is MeetingFormat.phone_call
    assert meeting.location.city is None and meeting.location.country is None


@pytest.mark.parametrize(
    "dateline", ["Баку, 21 августа, АЗЕРТАДЖ", "БАКУ, 21 августа. /АЗЕРТАДЖ/."]
)
def test_agency_dateline_gives_the_place(backend: OfflineBackend, dateline: str) -> None:
    text = (
        f"{dateline}\n\nПрезидент Азербайджана Ильхам Алиев и Президент Узбекистана Шавкат "
        "Мирзиёев провели переговоры. Стороны обсудили развитие транспортного коридора."
    )
    [meeting] = run(article_from_text(text), backend).meetings
    assert (meeting.location.city, meeting.location.country) == ("Баку", "AZ")


def test_a_date_line_without_a_known_city_gives_no_place(backend: OfflineBackend) -> None:
    text = (
        "Вторник, 4 марта\n\nПрезидент Казахстана Касым-Жомарт Токаев провел переговоры с "
        "Президентом Узбекистана Шавкатом Мирзиёевым."
    )
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.location.city is None


def test_signing_sentence_without_a_document_list_does_not_crash(backend: OfflineBackend) -> None:
    text = (
        "Президент Казахстана Касым-Жомарт Токаев провел переговоры с Президентом Узбекистана "
        "Шавкатом Мирзиёевым. По итогам встречи были подписаны итоговые материалы. Стороны "
        "условились рассмотреть вопрос об открытии новых авиарейсов."
    )
    result = run(article_from_text(text), backend)
    assert any(a.status.value == "under_consideration" for a in result.agreements)


def test_a_second_pair_of_officials_is_a_second_meeting(backend: OfflineBackend) -> None:
    text = (
        " date 2025-05-14 Президент Казахстана Касым-Жомарт Токаев провел переговоры с "
        "Президентом Туркменистана Сердаром Бердымухамедовым в Ашхабаде.\n\n"
        "Стороны обсудили транспорт и энергетику.\n\n"
        "В тот же день состоялась встреча Касым-Жомарта Токаева с Председателем Халк Маслахаты "
        "Туркменистана Гурбангулы Бердымухамедовым."
    )
    meetings = run(article_from_text(text), backend).meetings
    assert [sorted(p.name for p in m.participants) for m in meetings] == [
        ["Касым-Жомарт Токаев", "Сердар Бердымухамедов"],
        ["Гурбангулы Бердымухамедов", "Касым-Жомарт Токаев"],
    ]
    # "в тот же день" ties the second meeting to the first one's day and place
    assert meetings[1].date.value == "2025-05-14"
    assert meetings[1].location.city == "Ашхабад"


def test_a_roster_sentence_continues_the_same_summit(backend: OfflineBackend) -> None:
    text = (
        "Председатель КНР Си Цзиньпин и Президент Казахстана Касым-Жомарт Токаев открыли саммит "
        "«Центральная Азия – Китай» в Астане. В работе саммита участвовали Президент Узбекистана "
        "Шавкат Мирзиёев и Президент Кыргызстана Садыр Жапаров."
    )
    [meeting] = run(article_from_text(text), backend).meetings
    assert {p.name for p in meeting.participants} >= {
        "Си Цзиньпин",
        "Касым-Жомарт Токаев",
        "Шавкат Мирзиёев",
        "Садыр Жапаров",
    }


def test_an_unrelated_later_meeting_gets_no_borrowed_place(backend: OfflineBackend) -> None:
    text = (
        "Президент Казахстана Касым-Жомарт Токаев провел переговоры с Президентом Узбекистана "
        "Шавкатом Мирзиёевым в Ташкенте. Ранее прошла встреча Шавката Мирзиёева с Президентом "
        "Кыргызстана Садыром Жапаровым."
    )
    meetings = run(article_from_text(text), backend).meetings
    assert len(meetings) == 2
    assert meetings[1].location.city is None and meetings[1].date.value is None


def test_agency_dateline_with_a_full_stop(backend: OfflineBackend) -> None:
    text = (
        "Астана. 13 марта. Kazinform - Президент Казахстана Касым-Жомарт Токаев и Президент "
        "Кыргызстана Садыр Жапаров провели переговоры в Акорде."
    )
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.location.city == "Астана"


def test_a_byline_date_is_the_publication_date(backend: OfflineBackend) -> None:
    text = (
        "Главная » Политика\n18 апреля 2025, 16:05\n\nПрезидент Узбекистана Шавкат Мирзиёев "
        "провел переговоры с Президентом Таджикистана Эмомали Рахмоном в Душанбе."
    )
    article = article_from_text(text)
    assert article.published == "2025-04-18"
    [meeting] = run(article, backend).meetings
    assert meeting.date.value == "2025-04-18"


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Абдуллы Арипова", "Абдулла Арипов"),
        ("Абдулла Арипов", "Абдулла Арипов"),
        # the first name agrees with the surname's case: accusative, dative, instrumental
        ("Абдуллу Арипова", "Абдулла Арипов"),
        ("Абдулле Арипову", "Абдулла Арипов"),
        ("Абдуллой Ариповым", "Абдулла Арипов"),
        ("Никиту Иванова", "Никита Иванов"),
        # a consonant stem in the dative stays a consonant stem
        ("Ильхаму Алиеву", "Ильхам Алиев"),
        ("Шавкату Мирзиёеву", "Шавкат Мирзиёев"),
    ],
)
def test_a_masculine_first_name_in_a_stays_whole(surface: str, name: str) -> None:
    from extractor.offline.people import canonical_name

    assert canonical_name(surface) == name


PAIR = (
    "заместитель премьер-министра Казахстана Серик Жумангарин и заместитель Председателя "
    "Кабинета Министров Туркменистана Бегенч Оразов"
)


@pytest.mark.parametrize(
    ("where", "city", "country"),
    [
        # towns no closed list of capitals and ports held, resolved from GeoNames in any case
        ("в Жетыбае", "Жетыбай", "KZ"),
        ("в Балканабаде", "Балканабад", "TM"),
        ("в городе Мары", "Мары", "TM"),
        ("в Аркадаге", "Аркадаг", "TM"),
        ("в Чолпон-Ате", "Чолпон-Ата", "KG"),
        ("в Хороге", "Хорог", "TJ"),
    ],
)
def test_a_town_outside_any_list_is_the_meeting_place_with_coordinates(
    backend: OfflineBackend, where: str, city: str, country: str
) -> None:
    text = f" date 2025-11-11 Вчера {where} {PAIR} провели переговоры о транзите грузов."
    [meeting] = run(article_from_text(text), backend).meetings
    assert (meeting.location.city, meeting.location.country) == (city, country)
    assert meeting.location.geonameid is not None
    assert meeting.location.lat is not None and meeting.location.lon is not None


@pytest.mark.parametrize(
    "where", ["в Победе", "в Мире", "в Совете Федерации", "в Акорде", "в Казахстане"]
)
def test_a_word_that_is_no_town_is_never_a_place(backend: OfflineBackend, where: str) -> None:
    text = f" date 2025-11-11 З{PAIR[1:]} провели переговоры {where}."
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.location.city is None


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("17 ноября в Ашхабаде {pair} провели переговоры.", "2025-11-17"),
        ("Вчера в Ашхабаде {pair} провели переговоры.", "2025-11-17"),
        ("Во вторник в Ашхабаде {pair} провели переговоры.", "2025-11-18"),
        # no day of its own: the publication day
        ("В Ашхабаде {pair} провели переговоры.", "2025-11-18"),
        # a day long before publication is another event's
        ("В Ашхабаде {pair} провели переговоры, продолжив диалог 3 марта.", "2025-11-18"),
    ],
)
def test_the_meeting_day_its_sentence_states_wins_over_the_publication_day(
    backend: OfflineBackend, sentence: str, day: str
) -> None:
    # 2025-11-18 is a Tuesday.
    text = " date 2025-11-18 " + sentence.format(pair=PAIR)
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.date.value == day


def test_the_dateline_day_is_the_publication_not_the_meeting(backend: OfflineBackend) -> None:
    text = f"АШХАБАД, 18 ноября 2025 года — Sputnik. Вчера в Ашхабаде {PAIR} провели переговоры."
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.date.value == "2025-11-17"


def test_a_phone_call_beside_a_meeting_is_a_meeting_of_its_own(backend: OfflineBackend) -> None:
    text = (
        f" date 2025-11-18 В Ашхабаде {PAIR} провели заседание межправительственной комиссии. "
        "Заседание было посвящено транзиту. Вечером того же дня Президент Туркменистана Сердар "
        "Бердымухамедов провел телефонный разговор с Президентом Казахстана Касым-Жомартом "
        "Токаевым."
    )
    first, call = run(article_from_text(text), backend).meetings
    assert first.format is MeetingFormat.council_session
    assert first.location.city == "Ашхабад"
    assert {p.name for p in first.participants} == {"Серик Жумангарин", "Бегенч Оразов"}
    assert call.format is MeetingFormat.phone_call
    assert call.location.city is None
    assert call.date.value == "2025-11-18"


@pytest.mark.parametrize(
    ("sentence", "fmt"),
    [
        ("{a} и {b_low} обсудили поставки зерна.", "talks"),
        ("{a} обсудил с {b_ablt} поставки зерна.", "talks"),
        ("{a} и {b} встретились в Ташкенте.", "talks"),
        ("{a} принял {b_accs}.", "talks"),
        ("{a} и {b} провели телефонный разговор.", "phone_call"),
        ("{a} и {b} провели переговоры.", "talks"),
    ],
)
def test_meeting_verbs_beyond_talks(backend: OfflineBackend, sentence: str, fmt: str) -> None:
    names = {
        "a": "Премьер-министр Казахстана Олжас Бектенов",
        "b": "Премьер-министр Узбекистана Абдулла Арипов",
        "b_ablt": "Премьер-министром Узбекистана Абдуллой Ариповым",
        "b_low": "премьер-министр Узбекистана Абдулла Арипов",
        "b_accs": "Премьер-министра Узбекистана Абдуллу Арипова",
    }
    text = " date 2025-06-05 " + sentence.format(**names)
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.format.value == fmt
    assert {p.name for p in meeting.participants} == {"Олжас Бектенов", "Абдулла Арипов"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Правительство Казахстана обсудило бюджет на 2026 год, сообщил Олжас Бектенов.",
        "Депутаты обсудили законопроект о торговле с Узбекистаном.",
        "Президент Казахстана Касым-Жомарт Токаев принял решение о повышении пошлин.",
        "Президент Казахстана Касым-Жомарт Токаев принял участие в открытии завода.",
    ],
)
def test_discussing_or_taking_alone_is_no_meeting(backend: OfflineBackend, sentence: str) -> None:
    assert run(article_from_text(" date 2025-06-05 " + sentence), backend).meetings == []


@pytest.mark.parametrize(
    ("where", "city"),
    [
        ("в столице Туркменистана Ашхабаде", "Ашхабад"),
        ("в туркменском городе Мары", "Мары"),
        ("в административном центре Балканского велаята Балканабаде", "Балканабад"),
    ],
)
def test_a_place_a_few_words_after_v_is_found_through_the_ner(
    backend: OfflineBackend, where: str, city: str
) -> None:
    text = f" date 2025-11-11 Переговоры {where} провели {PAIR}."
    [meeting] = run(article_from_text(text), backend).meetings
    assert meeting.location.city == city


@pytest.mark.parametrize("when", ["Накануне, 9 октября,", "9 октября", "Накануне"])
def test_a_further_meeting_in_a_ministry_is_in_the_datelines_town_on_its_own_day(
    backend: OfflineBackend, when: str
) -> None:
    text = (
        "Бишкек, 10 октября 2025 года. Президент Кыргызстана Садыр Жапаров принял министра "
        "иностранных дел Казахстана Мурата Нуртлеу.\n\n"
        f"{when} в Министерстве иностранных дел Кыргызстана состоялись переговоры министра "
        "иностранных дел Кыргызской Республики Жээнбека Кулубаева и Мурата Нуртлеу."
    )
    first, further = run(article_from_text(text), backend).meetings
    assert first.date.value == "2025-10-10"
    assert further.date.value == "2025-10-09"
    assert (further.location.city, further.location.country) == ("Бишкек", "KG")


def test_a_further_meeting_with_no_place_and_no_institution_borrows_none(
    backend: OfflineBackend,
) -> None:
    text = (
        "Бишкек, 10 октября 2025 года. Президент Кыргызстана Садыр Жапаров принял министра "
        "иностранных дел Казахстана Мурата Нуртлеу.\n\n"
        "Накануне состоялись переговоры министра иностранных дел Кыргызской Республики "
        "Жээнбека Кулубаева и Мурата Нуртлеу."
    )
    first, further = run(article_from_text(text), backend).meetings
    assert further.location.city is None
    # a day a month before the publication is another event's: the sentence's own day is kept
    # only within two weeks
    assert further.date.value == "2025-10-09"


def test_another_kind_of_event_beside_a_call_does_not_date_the_call(
    backend: OfflineBackend,
) -> None:
    text = (
        " date 2025-06-05 Президент Узбекистана Шавкат Мирзиёев провел телефонный разговор с "
        "Президентом России Владимиром Путиным. Лидеры обсудили торговлю.\n\n"
        "Накануне в Нукусе состоялось заседание рабочей группы по водному хозяйству."
    )
    [call] = run(article_from_text(text), backend).meetings
    assert call.date.value == "2025-06-05"


@pytest.mark.parametrize("held", ["Его провели", "В нем приняли участие"])
def test_a_meeting_whose_officials_the_next_sentence_names(
    backend: OfflineBackend, held: str
) -> None:
    text = (
        " date 2025-06-05 Президент Узбекистана Шавкат Мирзиёев провел телефонный разговор с "
        "Президентом России Владимиром Путиным.\n\n"
        "Накануне в Нукусе состоялось заседание рабочей группы по водному хозяйству. "
        f"{held} министр водного хозяйства Узбекистана Шавкат Хамраев и заместитель "
        "руководителя Федерального агентства водных ресурсов России Андрей Ковалев."
    )
    call, session = run(article_from_text(text), backend).meetings
    assert call.format is MeetingFormat.phone_call and call.date.value == "2025-06-05"
    assert {p.name for p in session.participants} == {"Шавкат Хамраев", "Андрей Ковалев"}
    assert session.location.city == "Нукус"
    assert session.date.value == "2025-06-04"
