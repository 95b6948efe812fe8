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
from collections.abc import Sequence

from extractor.offline.countries import CITIES, city_lemma, country_of_word
from extractor.offline.dates import relative_date, text_date
from extractor.offline.gazetteer import resolve
from extractor.offline.nlp import Sentence, Span
from extractor.offline.people import Person
from extractor.reading.header import HEADER_DATE
from schemas.enums import DatePrecision, MeetingFormat
from schemas.records import DateValue, Evidence, Location, Meeting, Participant

# Nouns of officials (lower case): a sentence in which they "обсудили" something reports talks.
_OFFICIAL = (
    r"(?:президент|премьер|министр|глав[аыу]|лидер|руководител|сопредседател|вице-премьер"
    r"|заместител|посол|спикер|председател|канцлер|генсек|делегаци)"
)
_FORMATS: tuple[tuple[MeetingFormat, re.Pattern[str]], ...] = (
    (MeetingFormat.phone_call, re.compile(r"телефонн\w*\s+(?:разговор|переговор)|по телефону")),
    (MeetingFormat.informal_meeting, re.compile(r"неформальн\w*\s+встреч")),
    (MeetingFormat.council_session, re.compile(r"заседани")),
    (
        MeetingFormat.talks,
        re.compile(
            r"переговор|встреч|встретил"
            # "принял посла", "принял в Акорде министра"; not "принял участие / решение / закон"
            r"|\bпринял\w*\s+(?:в\s+\w+\s+)?(?!участи|решени|закон|постановлени|мер[уы]?\b"
            r"|программ|указ|заявлени|резолюци|к\s+сведению)[а-яё]"
            # officials who "обсудили" something met: "Премьер-министры ... обсудили",
            # "Токаев обсудил с Мирзиёевым"; "Правительство обсудило бюджет" is no meeting
            rf"|{_OFFICIAL}\w*(?:\s+\S+){{0,12}}?\s+обсудил|обсудил\w*\s+с\s+[а-яё]"
        ),
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
    r"(?<![А-Яа-яЁё])(?:[Вв]|[Вв]о)\s+(?:городе\s+|г\.\s*)?"
    r"(?P<w>[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?)"
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


def town(word: str, countries: Sequence[str] = (), *, named_place: bool = False) -> Location | None:
    """The town a word names in any case ("Туркестане" -> Туркестан, KZ), or None.

    Towns come from the GeoNames gazetteer (``extractor.offline.gazetteer``), namesakes decided
    by ``countries``; a common noun shared with a village ("Победа") counts only when the NER
    tagged the word as a place (``named_place``). Border posts and sites that GeoNames does not
    list as towns ("Достык", "Торугарт") come from the project's own short list.
    """
    if country_of_word(word):
        return None
    place = resolve(word, countries, strict=not named_place)
    if place is not None:
        return Location(city=place.name, country=place.country)
    city = city_lemma(word)
    return Location(city=city, country=CITIES[city]) if city else None


def place_in(
    sentence: str,
    countries: Sequence[str] = (),
    *,
    offset: int = 0,
    locs: Sequence[Span] = (),
) -> Location | None:
    """The town a sentence says something happened in ("в Астане" -> Астана, KZ), or None.

    Args:
        sentence: The sentence.
        countries: Countries the article is about (they decide between namesakes).
        offset: Where the sentence starts in the article text.
        locs: The article's NER place spans (a word inside one is a named place).
    """
    for m in _IN_PLACE.finditer(sentence):
        start = offset + m.start("w")
        named = any(s.start <= start < s.end for s in locs)
        found = town(m.group("w"), countries, named_place=named)
        if found is not None:
            return found
    # A place the NER tagged a few words after "в": "в столице Туркменистана Ашхабаде",
    # "в туркменском городе Мары", "в административном центре Балканского велаята Балканабате".
    for span in locs:
        lo, hi = span.start - offset, span.end - offset
        if lo < 0 or hi > len(sentence):
            continue
        if not _IN_BEFORE.search(sentence[max(0, lo - 60) : lo]):
            continue
        found = town(span.text.split()[-1], countries, named_place=True)
        if found is not None:
            return found
    return None


# "в" and up to four lower-case or name words before a place: "в столице Туркменистана ".
_IN_BEFORE = re.compile(r"(?<![А-Яа-яЁё])[Вв]о?\s+(?:[а-яё]+\s+|[А-ЯЁ][а-яё]+\s+){1,4}$")


def find_meeting(
    text: str,
    sents: list[Sentence],
    people: list[Person],
    published: dt.date | None,
    dateline_place: str | None = None,
    locs: Sequence[Span] = (),
    dateline: tuple[int, int] | None = None,
) -> Meeting | None:
    """The meeting the article reports, or None when no officials are reported meeting.

    Args:
        text: The article text.
        sents: Its sentences.
        people: Its people (canonical names, roles, countries, mentions).
        published: The publication date, if any.
        dateline_place: The place of the article's dateline, as written, if it has one.
        locs: The article's NER place spans.
        dateline: The span of the article's dateline (its day is the publication's, not the
            meeting's).

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
    # The main meeting's sentences name none of the other officials: "Вечером того же дня
    # Президент ... провел телефонный разговор с ..." is another meeting with its own format.
    own = [s for s in events if not any(in_sentence(p, s) for p in officials if p not in chosen)]
    own = own or events
    formats = [f for s in own if (f := meeting_format(s.text)) is not None]
    fmt = min(formats, key=lambda f: [x for x, _ in _FORMATS].index(f))
    location = None
    context = list(dict.fromkeys(p.country for p in chosen if p.country))
    # A phone call has no one place: a city in its sentences is another event's ("визит в Бишкек").
    if fmt is not MeetingFormat.phone_call:
        for s in own:
            location = place_in(s.text, context, offset=s.start, locs=locs)
            if location:
                break
        if location is None and (m := _PLACE_LINE.search(text)):
            location = town(m.group("w"), context, named_place=True)
        if location is None and dateline_place:
            location = town(dateline_place, context, named_place=True)
    # a sentence about another kind of event ("Накануне в Нукусе состоялось заседание" beside a
    # phone call) states that event's day, not this meeting's
    alike = [s for s in own if meeting_format(s.text) in (None, fmt)]
    date = meeting_date(text, alike or own, published, dateline)
    quote = next((s for s in own if any(in_sentence(p, s) for p in chosen)), own[0])
    return Meeting(
        date=date,
        location=location or Location(city=None, country=None),
        format=fmt,
        participants=[Participant(name=p.name, role=p.role, country=p.country) for p in chosen],
        topics=[t for t, rx in _TOPICS.items() if rx.search(text)],
        evidence=[Evidence(quote=quote.text)],
    )


# How long before its publication a meeting may be reported with its own day ("17 июля в
# Чолпон-Ате обсудили" in an article of 18 July); an older date is another event's.
_REPORTED_WITHIN = dt.timedelta(days=14)


def meeting_date(
    text: str,
    own: list[Sentence],
    published: dt.date | None,
    dateline: tuple[int, int] | None = None,
) -> DateValue:
    """The day of a meeting: the one its own sentences state, else the publication date.

    A day the sentence states ("17 июля", "во вторник", "вчера") wins over the publication
    date when it is at most two weeks before it; the dateline's day is not the sentence's.
    Without a publication date, the first date the sentences state, as far as they state it.
    """
    # The header line and the dateline state the publication day, not the meeting's.
    header = HEADER_DATE.match(text)
    skips = [x for x in (dateline, header.span() if header else None) if x is not None]
    for s in own:
        body = text[s.start : s.end]
        for a, b in skips:
            if a < s.end and b > s.start:
                lo, hi = max(a, s.start) - s.start, min(b, s.end) - s.start
                body = body[:lo] + " " * (hi - lo) + body[hi:]
        found = text_date(body, published)
        if published is None:
            if found:
                return DateValue(value=found[0], precision=DatePrecision(found[1]))
            continue
        stated = dt.date.fromisoformat(found[0]) if found and found[1] == "day" else None
        stated = stated or relative_date(body, published)
        if stated is not None and dt.timedelta(0) <= published - stated <= _REPORTED_WITHIN:
            return DateValue(value=stated.isoformat(), precision=DatePrecision.day)
    if published is not None:
        return DateValue(value=published.isoformat(), precision=DatePrecision.day)
    return DateValue(value=None, precision=DatePrecision.unknown)


def _day_near(sentence: str, published: dt.date | None) -> tuple[str, str] | None:
    """A day a sentence states without its year ("Накануне, 2 апреля"), near the publication.

    It is read against the publication date and kept when it falls within two weeks before it.
    """
    if published is None:
        return None
    found = text_date(sentence, published)
    stated = dt.date.fromisoformat(found[0]) if found and found[1] == "day" else None
    stated = stated or relative_date(sentence, published)
    if stated is not None and dt.timedelta(0) <= published - stated <= _REPORTED_WITHIN:
        return stated.isoformat(), "day"
    return None


# A meeting held in a national institution ("в Министерстве иностранных дел Таджикистана", "в
# Доме Правительства") names no town; it is in the dateline's town when that is of the same
# country as one of the officials.
_INSTITUTION = re.compile(
    r"(?<![А-Яа-яЁё])[Вв]о?\s+(?:здании\s+)?(?:министерств|МИД|правительств|Доме\s+"
    r"[Пп]равительства|[Аа]дминистрации\s+[Пп]резидента|[Дд]ворц|резиденци|[Пп]арламент|"
    r"[Мм]еджлис|[Сс]енат|[Мм]ажилис|[Кк]абинет[ае]\s+[Мм]инистров|посольств)[а-яё]*",
    re.IGNORECASE,
)


def _institution_town(
    sentence: str, dateline_place: str | None, countries: Sequence[str]
) -> Location | None:
    """The dateline's town for a meeting held in a national institution of that town's country."""
    if dateline_place is None or not _INSTITUTION.search(sentence):
        return None
    location = town(dateline_place, countries, named_place=True)
    return location if location is not None and location.country in countries else None


# The next sentence names who held the meeting a sentence reports: "Его провели министр ... и
# ...", "В нем приняли участие ...".
_HELD_BY = re.compile(
    r"^\s*(?:(?:Его|Её|Ее|Их)\s+(?:провел[аи]?|возглавил[аи]?|открыл[аи]?|"
    r"сопредседательствовал[аи]?)|В\s+(?:нем|нём|ней|них)\s+(?:принял[аи]?\s+участие|"
    r"участвовал[аи]?))(?![а-яё])",
    re.IGNORECASE,
)


# Words that tie a further meeting to the first one's day and place ("В тот же день состоялась
# встреча ...", "В рамках визита ... также встретился"). Without them nothing is carried over.
_SAME_OCCASION = re.compile(
    r"в\s+(?:тот|этот)\s+же\s+день|того\s+же\s+дня|в\s+рамках\s+(?:визита|поездки)|в\s+ходе\s+визита|затем|также",
    re.IGNORECASE,
)


def find_meetings(
    text: str,
    sents: list[Sentence],
    people: list[Person],
    published: dt.date | None,
    dateline_place: str | None = None,
    locs: Sequence[Span] = (),
    dateline: tuple[int, int] | None = None,
) -> list[Meeting]:
    """Every meeting the article reports: the main one, then each further pair of officials.

    A further meeting is an event sentence that names two or more officials, one who already met
    and one who has not ("В тот же день состоялась встреча Садыра Жапарова с Гурбангулы
    Бердымухамедовым"). Its place and date come from its own sentence, or from the main meeting
    when the sentence ties it to the same occasion. A sentence naming only officials who have not
    met yet continues the main meeting's roster ("В работе саммита участвовали ...").
    """
    first = find_meeting(text, sents, people, published, dateline_place, locs, dateline)
    if first is None:
        return []
    meetings = [first]
    officials = [p for p in people if p.role or p.country]
    main = {p.name for p in first.participants}
    seen = set(main)
    first_quote = first.evidence[0].quote
    start = text.find(first_quote)
    for i, s in enumerate(sents):
        if s.start <= start or not is_event_sentence(s.text):
            continue
        named = [p for p in officials if any(s.start <= a < s.end for a, _ in p.mentions)]
        held_by = sents[i + 1] if i + 1 < len(sents) else None
        if len(named) < 2 and held_by is not None and _HELD_BY.match(held_by.text):
            # "Накануне в Нукусе состоялось заседание ... . Его провели министр ... и ..."
            named += [
                p
                for p in officials
                if p not in named and any(held_by.start <= a < held_by.end for a, _ in p.mentions)
            ]
        else:
            held_by = None
        names = {p.name for p in named}
        if len(named) < 2 or names <= seen or main <= names:
            continue
        fmt = meeting_format(s.text) or MeetingFormat.talks
        call = (fmt is MeetingFormat.phone_call) is not (first.format is MeetingFormat.phone_call)
        if not names & seen and not call and held_by is None:
            # Nobody already met: more of the same roster ("В работе саммита участвовали ...");
            # a phone call beside a meeting (or a meeting beside a call) is one of its own.
            extra = [Participant(name=p.name, role=p.role, country=p.country) for p in named]
            meetings[0] = meetings[0].model_copy(
                update={"participants": [*meetings[0].participants, *extra]}
            )
            seen |= names
            main |= names
            continue
        seen |= names
        same = bool(_SAME_OCCASION.search(s.text))
        context = list(dict.fromkeys(p.country for p in named if p.country))
        here = (
            place_in(s.text, context, offset=s.start, locs=locs)
            if fmt is not MeetingFormat.phone_call
            else None
        )
        if fmt is MeetingFormat.phone_call:
            location = Location(city=None, country=None)  # a call has no one place
        else:
            location = (
                here
                or (first.location if same else None)
                or _institution_town(s.text, dateline_place, context)
                or Location(city=None, country=None)
            )
        found = text_date(s.text, None) or _day_near(s.text, published)
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
                evidence=[Evidence(quote=x.text) for x in (s, held_by) if x is not None],
            )
        )
    return meetings
