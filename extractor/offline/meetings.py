"""Meetings: who met whom, in what format, where and when, from trigger sentences.

A meeting is reported by sentences with a meeting word (переговоры, встреча, заседание, визит,
телефонный разговор, брифинг). Sentences about proposals or the future ("предложил провести",
"предстоящий саммит") never supply a format, a place or a date. The place is a city the text
names in such a sentence ("в Астане") or a dateline ("г. Туркестан"); the date is the header's,
else one stated in such a sentence. Nothing is filled in that the text does not state.
"""

from __future__ import annotations

import datetime as dt
import re

from extractor.offline.countries import CITIES, city_lemma
from extractor.offline.dates import text_date
from extractor.offline.nlp import Sentence
from extractor.offline.people import Person
from schemas.enums import DatePrecision, MeetingFormat
from schemas.records import DateValue, Evidence, Location, Meeting, Participant

_FORMATS: tuple[tuple[MeetingFormat, re.Pattern[str]], ...] = (
    (MeetingFormat.phone_call, re.compile(r"телефонн\w*\s+(?:разговор|переговор)|по телефону")),
    (MeetingFormat.informal_meeting, re.compile(r"неформальн\w*\s+встреч")),
    (MeetingFormat.council_session, re.compile(r"заседани")),
    (
        MeetingFormat.talks,
        re.compile(r"переговор|встреч|встретил|\bпринял\w*\s+(?:в\s+\w+\s+)?[а-яё]"),
    ),
    (MeetingFormat.summit, re.compile(r"саммит")),
    (MeetingFormat.visit, re.compile(r"визит")),
    (MeetingFormat.briefing, re.compile(r"брифинг")),
)
_NOT_EVENT = re.compile(
    r"предлож|предлага|планир|предстоящ|будет|будут|намерен|провести|пригласил",
    re.IGNORECASE,
)
_IN_PLACE = re.compile(
    r"(?<![А-Яа-яЁё])(?:[Вв]|[Вв]о)\s+(?P<w>[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?)"
)
# A place line ("г. Туркестан"); agency datelines ("Баку, 21 августа, АЗЕРТАДЖ") are read with
# the article (``Article.dateline``) and passed in as ``dateline_place``.
_PLACE_LINE = re.compile(
    r"^\s*(?:г\.|город)\s*(?P<w>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s*$",
    re.M,
)
_TOPICS = {
    "торговля": re.compile(r"товарооборот|торгов", re.I),
    "транспорт": re.compile(r"транспорт|железн|логистич|транзит", re.I),
    "энергетика": re.compile(r"энергет|газов|электроэнерг", re.I),
    "культура": re.compile(r"культурно-гуманитарн", re.I),
    "цифровизация": re.compile(r"цифровиз", re.I),
    "водные ресурсы": re.compile(r"водн", re.I),
}


def meeting_format(sentence: str) -> MeetingFormat | None:
    """The meeting format a sentence reports, or None when it reports no meeting."""
    low = sentence.lower()
    for fmt, pattern in _FORMATS:
        if pattern.search(low):
            return fmt
    return None


def is_event_sentence(sentence: str) -> bool:
    """Whether a sentence reports a meeting that happened, not one proposed or planned.

    A meeting word right after a proposal or plan word ("предложил провести заседание",
    "предстоящему саммиту") does not count.
    """
    low = sentence.lower()
    for _, pattern in _FORMATS:
        for m in pattern.finditer(low):
            if not _NOT_EVENT.search(low[max(0, m.start() - 40) : m.start()]):
                return True
    return False


def place_in(sentence: str) -> str | None:
    """The city a sentence says something happened in ("в Астане" -> "Астана"), or None."""
    for m in _IN_PLACE.finditer(sentence):
        city = city_lemma(m.group("w"))
        if city is not None:
            return city
    return None


def find_meeting(
    text: str,
    sents: list[Sentence],
    people: list[Person],
    published: dt.date | None,
    dateline_place: str | None = None,
) -> Meeting | None:
    """The meeting the article reports, or None when no officials are reported meeting.

    Args:
        text: The article text.
        sents: Its sentences.
        people: Its people (canonical names, roles, countries, mentions).
        published: The publication date, if any.
        dateline_place: The place of the article's dateline, as written, if it has one.

    Returns:
        One meeting with participants, format, place and date, or None.
    """
    events = [s for s in sents if is_event_sentence(s.text)]
    if not events:
        return None
    officials = [p for p in people if p.role or p.country]

    def in_sentence(p: Person, s: Sentence) -> bool:
        return any(s.start <= a < s.end for a, _ in p.mentions)

    # The main meeting is the first event sentence naming two officials ("Жапаров провел
    # переговоры с Сердаром Бердымухамедовым"); a later pair is another meeting (find_meetings).
    pairs = [
        named for s in events if len(named := [p for p in officials if in_sentence(p, s)]) >= 2
    ]
    chosen = pairs[0] if pairs else [p for p in officials if any(in_sentence(p, s) for s in events)]
    if len(chosen) < 2:
        chosen += [p for p in officials if p not in chosen and p.role]
    if len(chosen) < 2:
        return None
    formats = [f for s in events if (f := meeting_format(s.text)) is not None]
    fmt = min(formats, key=lambda f: [x for x, _ in _FORMATS].index(f))
    city = None
    # A phone call has no one place: a city in its sentences is another event's ("визит в Бишкек").
    if fmt is not MeetingFormat.phone_call:
        for s in events:
            city = place_in(s.text)
            if city:
                break
        if city is None and (m := _PLACE_LINE.search(text)):
            city = city_lemma(m.group("w"))
        if city is None and dateline_place:
            city = city_lemma(dateline_place)
    date = DateValue(value=None, precision=DatePrecision.unknown)
    if published is not None:
        date = DateValue(value=published.isoformat(), precision=DatePrecision.day)
    else:
        for s in events:
            if found := text_date(s.text, None):
                date = DateValue(value=found[0], precision=DatePrecision(found[1]))
                break
    quote = next((s for s in events if any(in_sentence(p, s) for p in chosen)), events[0])
    return Meeting(
        date=date,
        location=Location(city=city, country=CITIES.get(city) if city else None),
        format=fmt,
        participants=[Participant(name=p.name, role=p.role, country=p.country) for p in chosen],
        topics=[t for t, rx in _TOPICS.items() if rx.search(text)],
        evidence=[Evidence(quote=quote.text)],
    )


# Words that tie a further meeting to the first one's day and place ("В тот же день состоялась
# встреча ...", "В рамках визита ... также встретился"). Without them nothing is carried over.
_SAME_OCCASION = re.compile(
    r"в\s+(?:тот|этот)\s+же\s+день|в\s+рамках\s+(?:визита|поездки)|в\s+ходе\s+визита|затем|также",
    re.IGNORECASE,
)


def find_meetings(
    text: str,
    sents: list[Sentence],
    people: list[Person],
    published: dt.date | None,
    dateline_place: str | None = None,
) -> list[Meeting]:
    """Every meeting the article reports: the main one, then each further pair of officials.

    A further meeting is an event sentence that names two or more officials, one who already met
    and one who has not ("В тот же день состоялась встреча Садыра Жапарова с Гурбангулы
    Бердымухамедовым"). Its place and date come from its own sentence, or from the main meeting
    when the sentence ties it to the same occasion. A sentence naming only officials who have not
    met yet continues the main meeting's roster ("В работе саммита участвовали ...").
    """
    first = find_meeting(text, sents, people, published, dateline_place)
    if first is None:
        return []
    meetings = [first]
    officials = [p for p in people if p.role or p.country]
    main = {p.name for p in first.participants}
    seen = set(main)
    first_quote = first.evidence[0].quote
    start = text.find(first_quote)
    for s in sents:
        if s.start <= start or not is_event_sentence(s.text):
            continue
        named = [p for p in officials if any(s.start <= a < s.end for a, _ in p.mentions)]
        names = {p.name for p in named}
        if len(named) < 2 or names <= seen or main <= names:
            continue
        if not names & seen:
            # Nobody already met: more of the same roster ("В работе саммита участвовали ...").
            extra = [Participant(name=p.name, role=p.role, country=p.country) for p in named]
            meetings[0] = meetings[0].model_copy(
                update={"participants": [*meetings[0].participants, *extra]}
            )
            seen |= names
            main |= names
            continue
        seen |= names
        fmt = meeting_format(s.text) or MeetingFormat.talks
        same = bool(_SAME_OCCASION.search(s.text))
        city = place_in(s.text) if fmt is not MeetingFormat.phone_call else None
        location = (
            Location(city=city, country=CITIES.get(city))
            if city
            else first.location
            if same
            else Location(city=None, country=None)
        )
        found = text_date(s.text, None)
        date = (
            DateValue(value=found[0], precision=DatePrecision(found[1]))
            if found
            else first.date
            if same or published is not None
            else DateValue(value=None, precision=DatePrecision.unknown)
        )
        meetings.append(
            Meeting(
                date=date,
                location=location,
                format=fmt,
                participants=[
                    Participant(name=p.name, role=p.role, country=p.country) for p in named
                ],
                topics=[],
                evidence=[Evidence(quote=s.text)],
            )
        )
    return meetings
