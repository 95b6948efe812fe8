"""Named sites: ports, fields and plants by their names, and ports by their city's adjective.

"порт Актау", "месторождение «Галкыныш»", "Рогунская ГЭС", "Яванской и Фандарьинской ГЭС на
реке Зеравшан", "Бакинского международного морского торгового порта". Also the mention record
(:class:`Hit`) every project rule returns, and the countries of a project's places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.offline import gazetteer
from extractor.offline.countries import CITIES, city_lemma, countries_in, country_of_word
from extractor.offline.nlp import parses
from extractor.offline.project_cues import site_country
from schemas.enums import ProjectStatus

_OP = ProjectStatus.operating
_DISC = ProjectStatus.discussed

_NAMED = re.compile(
    r"(?P<kind>(?:[Мм]орск|[Сс]ух)\w+\s+порт\w*|(?<![а-яё])порт\w*|(?<![а-яё])месторождени\w*|"
    r"(?<![а-яё])канал(?:а|у|ом|е)?|"
    r"(?<![А-ЯЁ])(?:ГЭС|ТЭС|ТЭЦ|АЭС)(?![А-ЯЁ]))\s+(?:имени\s+)?«?"
    r"(?P<names>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ0-9][а-яё0-9]*)?(?:»?\s*(?:,|и)\s*«?[А-ЯЁ][а-яё]+"
    r"(?:-[А-ЯЁ][а-яё]+)?)*)"
)
# "Рогунская ГЭС", "Камбаратинской ГЭС-1", and two plants sharing one head: "Яванской и
# Фандарьинской ГЭС"; a river after the plant is its place ("на реке Зеравшан").
_PLANT = re.compile(
    r"(?P<adj>[А-ЯЁ][а-яё]+ск(?:ая|ой|ую|ие|их))"
    r"(?:\s+и\s+(?P<adj2>[А-ЯЁ][а-яё]+ск(?:ая|ой|ую|ие|их)))?"
    r"\s+(?P<head>ГЭС|ТЭС|ТЭЦ|АЭС)(?P<n>-\d)?(?![А-ЯЁа-яё])"
    r"(?P<river>\s+на\s+рек[еи]\s+(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?))?"
)
PLANTS = ("ГЭС", "ТЭС", "ТЭЦ", "АЭС")
# A port named by its city's adjective: "Бакинского международного морского торгового порта".
_CITY_PORT = re.compile(
    r"(?P<adj>[А-ЯЁ][а-яё]+ск(?:ий|ого|ому|им|ом))\s+"
    r"(?P<mods>(?:[а-яё]+(?:ый|ий|ой|ого|ему|ому|ым|им|ом)\s+){0,4})"
    r"порт(?:а|у|ом|е)?(?![а-яё])"
)


@dataclass
class Hit:
    """One mention of a project in a sentence: its span and the record fields it gives."""

    start: int
    end: int
    name: str
    sector: str
    head: str
    places: list[str]
    countries: list[str]
    default: ProjectStatus
    key: str = ""  # the name two wordings of one project share ("порт Баку"), if not the name


def city_of_adjective(adj: str) -> str | None:
    """The known city a capitalised adjective is made from ("Бакинского" -> "Баку"), or None."""
    stem = re.sub(r"ск[а-яё]*$", "", adj)
    for cut in (stem, re.sub(r"(?:ин|ов|ев|ен)$", "", stem)):
        for city in CITIES:
            if cut in (city, city[:-1]) and len(cut) >= 3:
                return city
    return None


def place_countries(places: list[str], extra: str = "") -> list[str]:
    """Countries of route waypoints and named places (countries, towns, fields), then of extra text."""
    out: list[str] = []
    for p in places:
        codes = country_of_word(p) if " " not in p else countries_in(p)
        town = None if codes or p in CITIES else gazetteer.resolve(p)  # "Кемин", "Балыкчы"
        site = CITIES.get(p) or site_country(p) or (town.country if town else None)
        for code in [*codes, *([site] if site else [])]:
            if code not in out:
                out.append(code)
    for code in countries_in(extra):
        if code not in out:
            out.append(code)
    return out


def nominative_adj(word: str, gender: str) -> str:
    """An adjective in the nominative singular agreeing with a head of the given gender."""
    for p in parses(word)[:3]:
        if p.tag.POS in ("ADJF", "PRTF"):
            form = p.inflect({"nomn", "sing", gender})
            if form is not None:
                out = str(form.word)
                return out[:1].upper() + out[1:] if word[:1].isupper() else out
    return word


def _is_adjective(word: str) -> bool:
    """Whether a capitalised word reads first as an adjective ("Каспийского", "Индийского")."""
    return parses(word)[0].tag.POS in ("ADJF", "ADJS")


# A corridor with a proper name: "Средний коридор", "по Среднему коридору" (not opening a sentence,
# where any adjective is capitalised).
_NAMED_CORRIDOR = re.compile(
    r"(?<=\s)(?P<adj>[А-ЯЁ][а-яё]+(?:ий|ый|ой|его|ого|ему|ому|им|ым|ем|ом))\s+"
    r"коридор(?:а|у|ом|е)?(?![а-яё])"
)
_ALIAS = re.compile(
    r"(?:известн[а-яё]*\s+(?:также\s+)?как|так\s+называем[а-яё]*|он\s+же|или)\s+$", re.I
)
# A surname right after the name: the name is a person's first name.
_PERSON_AFTER = re.compile(
    r"»?\s+[А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын|ий|ая)(?:а|у|ым|ом|е|ой)?(?![а-яё])"
)


def named_hits(t: str) -> list[Hit]:
    """Every named port, field and plant of a sentence, and ports named by a city's adjective."""
    hits: list[Hit] = []
    for m in _NAMED.finditer(t):
        kind = m.group("kind").lower()
        if _PERSON_AFTER.match(t, m.end()):
            continue  # "директор порта Тальех Зиядов": a person, not a port
        head = (
            "канал"
            if kind.startswith("канал")
            else "месторождение"
            if kind.startswith("месторожд")
            else "сухой порт"
            if kind.startswith("сух")
            else "порт"
            if "порт" in kind
            else m.group("kind")
        )
        names = [n.strip("«» ") for n in re.split(r"\s*(?:,|\sи\s)\s*", m.group("names")) if n]
        # "портов Каспийского моря": an adjective is no name
        names = [n for n in names if not _is_adjective(n) or city_lemma(n) or site_country(n)]
        for n in names:
            place = city_lemma(n) or n
            pos = t.find(n, m.start())
            places = [] if head == "канал" else [place]  # a canal's name is no place
            field_ = head == "месторождение"
            hits.append(
                Hit(
                    m.start() if n == names[0] else pos,
                    m.end() if n == names[-1] else pos + len(n),
                    f"{head} {place}",
                    "газ"
                    if field_
                    else "энергетика"
                    if head.isupper()
                    else "водное хозяйство"
                    if head == "канал"
                    else "транспорт",
                    head,
                    places,
                    place_countries(places, t[max(0, m.start() - 60) : m.end()] if field_ else ""),
                    _DISC if field_ else _OP,
                )
            )
    for m in _NAMED_CORRIDOR.finditer(t):
        if _ALIAS.search(t[max(0, m.start() - 40) : m.start()]):
            continue  # "ТМТМ, известного также как Средний коридор": another name of that one
        name = f"{nominative_adj(m.group('adj'), 'masc')} коридор"
        hits.append(Hit(m.start(), m.end(), name, "транспорт", "коридор", [], [], _OP))
    for m in _CITY_PORT.finditer(t):
        city = city_of_adjective(m.group("adj"))
        if city is None:
            continue
        words = [m.group("adj"), *m.group("mods").split()]
        name = " ".join([*(nominative_adj(w, "masc") for w in words), "порт"])
        countries = place_countries([city])
        hits.append(
            Hit(
                m.start(),
                m.end(),
                name,
                "транспорт",
                "порт",
                [city],
                countries,
                _OP,
                f"порт {city}",
            )
        )
    for m in _PLANT.finditer(t):
        river = [m.group("name")] if m.group("river") else []
        for key in ("adj", "adj2"):
            if (adj := m.group(key)) is None:
                continue
            name = f"{adj[:-2]}ая {m.group('head')}{m.group('n') or ''}"
            code = site_country(adj)
            start = m.start(key) if key == "adj2" else m.start()
            end = m.end() if key == "adj2" or m.group("adj2") is None else m.end(key)
            countries = [code] if code else []
            hits.append(Hit(start, end, name, "энергетика", m.group("head"), river, countries, _OP))
    return hits
