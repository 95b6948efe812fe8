"""Projects: railways, roads, pipelines, power and fibre lines, corridors, ports, fields, hubs.

A project is found from its head (железная дорога, газопровод, ЛЭП, порт, терминал ...) and what
identifies it: a route ("Казахстан – Туркменистан – Иран", "между Ошем и Наманганом"), a compound
country adjective ("казахстанско-туркменско-иранская"), a well-known acronym (ТАПИ, CASA-1000),
a proper name ("порт Актау", "месторождение Галкыныш", "Рогунская ГЭС") or qualifying adjectives
and a location ("контейнерный хаб в порту Актау", "Международный центр промышленной
кооперации"). Route projects get a canonical name from the head and the waypoints, so every
wording of one project yields the same name. The stage comes from cues near each mention and
in later sentences that refer back to the project by its head noun (project_cues).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.lexicon import project_kinds
from extractor.lexicon.folding import fold
from extractor.offline.countries import (
    CITIES,
    city_lemma,
    countries_in,
    country_name,
    country_of_word,
)
from extractor.offline.nlp import Sentence, parses
from extractor.offline.project_cues import (
    ACRONYM_OF,
    ACRONYMS,
    COMPASS,
    in_use,
    site_country,
    status_cue,
)
from schemas.enums import ProjectStatus
from schemas.records import Evidence, Project

_OP = ProjectStatus.operating
_DISC = ProjectStatus.discussed

# (regex of the head in any case, canonical head, sector, anaphor: how later sentences refer to
# it): the head nouns of the project-kind lexicon, shared with consolidation.
_HEADS: tuple[tuple[str, str, str, str], ...] = tuple(
    (h.pattern, h.head, h.sector, h.anaphor) for h in project_kinds.heads()
)
_HEAD_RX = [(re.compile(rf"(?<![а-яёА-ЯЁ])(?i:{rx})"), h, sec) for rx, h, sec, _ in _HEADS]
_LINES = ("линия электропередачи", "волоконно-оптическая линия связи")
_ANAPHOR = {h: re.compile(rf"(?<![а-яёА-ЯЁ])(?i:{a})") for _, h, _, a in _HEADS} | {
    # facilities whose head noun alone refers back to them ("Строительство хаба планируется")
    h: re.compile(rf"(?<![а-яёА-ЯЁ])(?i:{h})(?:а|у|ом|е|ы|ов)?(?![а-яё])")
    for h in ("хаб", "терминал")
}
_SECTOR = {h: sec for _, h, sec, _ in _HEADS}
_WP = r"(?:граница\s+)?[А-ЯЁ][а-яё]+(?:-(?:[А-ЯЁ][а-яё]+|\d+))?(?:\s+[А-ЯЁ][а-яё]+)?"
_SEP = r"(?:\s*[–—]\s*|\s+-\s+)"
_ROUTE = (
    rf"(?P<route>{_WP}(?:{_SEP}{_WP})+|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)+)"
    r"|между\s+(?P<a>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+и\s+(?P<b>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
)
_GAP = r"(?:\s+(?:[а-яё-]+\s+){0,2}?(?:по\s+направлению|в\s+сообщении)?)?\s+"
# Lines and pipelines are named by a quoted route, after a rating: "ЛЭП 500 кВ «Датка – Кемин»",
# "газопровод «Средняя Азия – Центр»".
_QUOTED_GAP = r"(?:\s+\d+(?:[,.]\d+)?\s*(?:кВ|кв)\.?)?\s+[«\"„]"
_PIPES_AND_LINES = ("газопровод", "нефтепровод", "трубопровод", *_LINES)
_WITH_ROUTE = [
    re.compile(
        rf"(?<![а-яёА-ЯЁ])(?i:{rx})"
        + (f"(?:{_QUOTED_GAP}|{_GAP})" if h in _PIPES_AND_LINES else _GAP)
        + f"(?:{_ROUTE})"
    )
    for rx, h, _, _ in _HEADS
]
_NAMED = re.compile(
    r"(?P<kind>(?:[Мм]орск|[Сс]ух)\w+\s+порт\w*|(?<![а-яё])порт\w*|(?<![а-яё])месторождени\w*|"
    r"(?<![А-ЯЁ])(?:ГЭС|ТЭС|ТЭЦ|АЭС)(?![А-ЯЁ]))\s+(?:имени\s+)?«?"
    r"(?P<names>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ0-9][а-яё0-9]*)?(?:»?\s*(?:,|и)\s*«?[А-ЯЁ][а-яё]+"
    r"(?:-[А-ЯЁ][а-яё]+)?)*)"
)
_PLANT = re.compile(
    r"(?P<adj>[А-ЯЁ][а-яё]+ск(?:ая|ой|ую|ие|их))\s+(?P<head>ГЭС|ТЭС|ТЭЦ|АЭС)(?P<n>-\d)?"
)
_ADJ_ROUTE = re.compile(r"(?P<adj>[А-ЯЁа-яё]+о-[а-яё]+(?:о-[а-яё]+)*)\s+")
_TRANS = re.compile(
    r"(?P<adj>[Тт]ранс(?:каспийск|афганск)\w*)\s+(?:международн\w*\s+)?(?:транспортн\w*\s+)?"
    r"(?P<head>маршрут|коридор|железн\w*\s+дорог|магистрал)\w*"
)
_VIA = re.compile(
    r"(?P<head>железнодорожн\w*\s+(?:лини|маршрут)\w*|железн\w*\s+дорог\w*)\s+"
    r"(?P<dir>в\s+направлении\s+[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?\s+)?через\s+(?:территорию\s+)?"
    r"(?P<c>[А-ЯЁ][а-яё]+)"
)
_ACRONYM = re.compile(
    r"(?<![А-ЯЁA-Z])(?P<acr>"
    + "|".join(sorted(map(re.escape, ACRONYMS), key=len, reverse=True))
    + r")(?![А-ЯЁA-Z])"
)
# Facility nouns: (stem regex, nominative, gender, qualifying adjective or complement stems).
_FACILITIES: tuple[tuple[str, str, str, str], ...] = (
    ("центр", "центр", "masc", r"логистическ|кооперации|распределительн|торгово-логистическ"),
    ("хаб", "хаб", "masc", r""),
    ("терминал", "терминал", "masc", r""),
    ("комплекс", "комплекс", "masc", r"логистическ|перевалочн|терминальн"),
    (
        "зон",
        "зона",
        "femn",
        r"торгов|экономическ|индустриальн|промышленн|технологическ|туристическ",
    ),
    ("парк", "парк", "masc", r"индустриальн|технологическ|промышленн|логистическ"),
)
_FAC_RX = re.compile(
    r"(?<![а-яёА-ЯЁ])(?P<noun>центр|хаб|терминал|комплекс|зон|парк)(?:ами|ах|ам|ов|ом|ой|ою|а|у|е|ы|и)?(?![а-яё])",
    re.I,
)
_COMPLEMENT = re.compile(
    r"\s+(?:(?:промышленной|индустриальной|производственной|торгово-экономической)\s+кооперации|"
    r"свободной\s+торговли|по\s+(?:переработке|хранению|производству)\s+[а-яё]+)"
)
_FACILITY_SECTORS = (
    (r"энерг", "энергетика"),
    (r"логист|терминал|хаб|порт", "транспорт"),
    (r"промышлен|индустриал|кооперац", "промышленность"),
)
_MODIFIERS = re.compile(
    r"(?:\s*(?:и\s+)?[а-яё-]+(?:ий|ый|ой|ая|яя|ое|ее|ие|ые|ого|его|ую|юю|ых|их|ся))*\s*$"
)
_STOP_ADJ = frozenset(
    "новый этот данный такой совместный крупный современный первый второй будущий который свой "
    "наш весь мощный перспективный единый общий сам другой каждый ряд этот".split()
)
_LOCATION = re.compile(
    r"^(?P<gap>(?:,?\s+[а-яё-]+){0,5}?)\s+(?P<loc>(?:в|на)\s+(?:(?:морском\s+)?порту|порте|городе|"
    r"г\.|районе|области|территории)?\s*(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?))"
    r"|^\s+(?P<border>на\s+(?:[а-яё]+о-[а-яё]+\s+границ\w*|границ\w*\s+с\s+[А-ЯЁ][а-яё]+))"
    r"|^\s+(?P<along>вдоль\s+(?:трасс\w+\s+)?[а-яё]+)"
)


# A location opening the clause of a facility: "в порту Актау введен в эксплуатацию хаб".
_LOCATION_BEFORE = re.compile(
    r"(?<![а-яё])(?P<loc>(?:[Вв]|[Нн]а)\s+(?:(?:морском\s+)?порту|порте|городе|г\.)\s*"
    r"(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?))(?:\s+[а-яё-]+){0,5}\s+$"
)


@dataclass
class _Found:
    """A project while the article is read: its record fields and every mention's stage."""

    name: str
    sector: str
    head: str
    places: list[str]
    countries: list[str]
    default: ProjectStatus
    cues: list[ProjectStatus] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


@dataclass
class _Hit:
    start: int
    end: int
    name: str
    sector: str
    head: str
    places: list[str]
    countries: list[str]
    default: ProjectStatus


def waypoint(raw: str) -> str:
    """A route waypoint in the nominative: countries and known cities by name, else as written."""
    raw = raw.strip()
    if raw.lower().startswith("граница"):
        return raw
    codes = country_of_word(raw)
    if codes and " " not in raw:
        return country_name(codes[0])
    return city_lemma(raw) or raw


def split_route(route: str) -> list[str]:
    """Waypoints of a route ("Казахстан-Туркменистан-Иран", "Тургунди – Герат – Кандагар")."""
    parts = [p for p in re.split(_SEP, route) if p]
    if len(parts) == 1:
        parts = route.split("-")
        known = [bool(country_of_word(p)) or city_lemma(p) is not None for p in parts]
        if len(parts) == 2 and not all(known):
            return [route]  # a hyphenated name ("Спин-Булдак"), not a route
    return [waypoint(p) for p in parts]


def place_countries(places: list[str], extra: str = "") -> list[str]:
    """Countries of route waypoints and named places (countries, towns, fields), then of extra text."""
    out: list[str] = []
    for p in places:
        codes = country_of_word(p) if " " not in p else countries_in(p)
        site = CITIES.get(p) or site_country(p)
        for code in [*codes, *([site] if site else [])]:
            if code not in out:
                out.append(code)
    for code in countries_in(extra):
        if code not in out:
            out.append(code)
    return out


def route_name(head: str, places: list[str]) -> str:
    """The canonical name of a route project: head, waypoints, and a well-known acronym if any."""
    name = f"{head} {' – '.join(places)}"
    codes = tuple(c for p in places for c in country_of_word(p)[:1])
    if len(codes) == len(places) and codes in ACRONYM_OF:
        name += f" ({ACRONYM_OF[codes]})"
    return name


def _nominative_adj(word: str, gender: str) -> str:
    """An adjective in the nominative singular agreeing with a head of the given gender."""
    for p in parses(word)[:3]:
        if p.tag.POS in ("ADJF", "PRTF"):
            form = p.inflect({"nomn", "sing", gender})
            if form is not None:
                out = str(form.word)
                return out[:1].upper() + out[1:] if word[:1].isupper() else out
    return word


def _adjectives_before(text: str, end: int) -> list[str]:
    """Up to three adjectives right before a position, nearest last (stop at a participle)."""
    words = re.findall(r"[А-ЯЁа-яё]+(?:-[а-яё]+)*", text[max(0, end - 80) : end])
    if text[max(0, end - 1) : end].strip():
        return []
    out: list[str] = []
    for w in reversed(words[-3:]):
        top = parses(w)[0]
        if top.tag.POS != "ADJF" or top.normal_form in _STOP_ADJ:
            break
        out.insert(0, w)
    return out


def _head_before(before: str) -> str | None:
    """The project head ending right before an acronym ("газопровода «ТАПИ»"), or None."""
    for rx, head, _ in _HEAD_RX:
        found = list(rx.finditer(before))
        if found and not before[found[-1].end() :].strip(" «\"'"):
            return head
    return None


def _route_hits(t: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for (rx, head, sector), with_route in zip(_HEAD_RX, _WITH_ROUTE, strict=True):
        for r in with_route.finditer(t):
            if r.group("route"):
                places = split_route(r.group("route"))
            else:
                places = [waypoint(r.group("a")), waypoint(r.group("b"))]
            if len(places) < 2:
                continue
            name = route_name(head, places)
            places = [p for p in places if p not in COMPASS]  # "коридор Север – Юг": no places
            c = place_countries(places)
            end = r.end() + (t[r.end() : r.end() + 1] in '»"“')
            hits.append(_Hit(r.start(), end, name, sector, head, places, c, _OP))
        for m in _ADJ_ROUTE.finditer(t):
            codes = country_of_word(m.group("adj"))
            h = rx.match(t, m.end())
            if len(codes) < 2 or h is None:
                continue
            places = [country_name(c) for c in codes]
            hits.append(
                _Hit(m.start(), h.end(), route_name(head, places), sector, head, places, codes, _OP)
            )
    for m in _ACRONYM.finditer(t):
        acr_codes, bare = ACRONYMS[m.group("acr")]
        acr_head = _head_before(t[max(0, m.start() - 40) : m.start()]) or bare
        if acr_head is None:
            continue
        places = [country_name(c) for c in acr_codes]
        hits.append(
            _Hit(
                m.start(),
                m.end(),
                route_name(acr_head, places),
                _SECTOR[acr_head],
                acr_head,
                places,
                list(acr_codes),
                _OP,
            )
        )
    for m in _VIA.finditer(t):
        via = waypoint(m.group("c"))
        direction = (m.group("dir") or "").strip()
        name = " ".join(x for x in ("железная дорога", direction, "через", via) if x)
        hits.append(
            _Hit(
                m.start(),
                m.end(),
                name,
                "транспорт",
                "железная дорога",
                [via],
                place_countries([via]),
                _DISC,
            )
        )
    for m in _TRANS.finditer(t):
        adj = m.group("adj").lower()
        name = (
            "Трансафганская железная дорога"
            if adj.startswith("трансафган")
            else "Транскаспийский транспортный коридор"
        )
        head = "железная дорога" if adj.startswith("трансафган") else "коридор"
        hits.append(_Hit(m.start(), m.end(), name, "транспорт", head, [], [], _OP))
    return hits


def _located(t: str, end: int) -> tuple[str, int, list[str], str]:
    """A facility's location after it: (phrase for the name, end, places, text for countries)."""
    m = _LOCATION.match(t[end : end + 120])
    if m is None:
        return "", end, [], ""
    if m.group("loc"):
        gap = m.group("gap")
        verbs = [p for w in gap.split() for p in parses(w.strip(","))[:1] if p.tag.POS == "VERB"]
        if verbs and not gap.lstrip(", ").startswith("котор"):
            return "", end, [], ""
        raw = m.group("name")
        place = waypoint(raw) if country_of_word(raw) else city_lemma(raw) or raw
        if not (country_of_word(raw) or place in CITIES or site_country(place)):
            return "", end, [], ""
        phrase = m.group("loc").replace(raw, place) if place in CITIES else m.group("loc")
        return phrase, end + m.end(), [place], ""
    phrase = m.group("border") or m.group("along")
    return phrase, end + m.end(), [], phrase if m.group("border") else ""


def _facility_hits(t: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _FAC_RX.finditer(t):
        stem = m.group("noun").lower()
        _, nom, gender, qualify = next(f for f in _FACILITIES if f[0] == stem)
        adjs = _adjectives_before(t, m.start())
        comp = _COMPLEMENT.match(t, m.end())
        tail = comp.group(0).strip() if comp else ""
        if (
            not adjs
            and not tail
            or (qualify and not re.search(qualify, " ".join(adjs + [tail]), re.I))
        ):
            continue
        start = m.start() - len(" ".join(adjs)) - (1 if adjs else 0)
        end = comp.end() if comp else m.end()
        where, end2, places, extra = _located(t, end)
        if not where and (before := _LOCATION_BEFORE.search(t[max(0, start - 70) : start])):
            raw = before.group("name")
            place = city_lemma(raw) or raw
            if place in CITIES or site_country(place):
                loc = before.group("loc").replace(raw, place)
                where, places = loc[:1].lower() + loc[1:], [place]
                start = max(0, start - 70) + before.start()
        words = [_nominative_adj(a, gender) for a in adjs] + [nom, tail, where]
        if (
            adjs and m.start() == len(" ".join(adjs)) + 1
        ):  # a capital opening the sentence is not part of the name
            words[0] = words[0][:1].lower() + words[0][1:]
        name = " ".join(w for w in words if w)
        countries = place_countries(places, extra + " " + " ".join(adjs))
        sector = next((sec for rx, sec in _FACILITY_SECTORS if re.search(rx, name)), "торговля")
        hits.append(_Hit(start, end2, name, sector, nom, places, countries, _DISC))
    for rx, head, sector in _HEAD_RX:
        if head not in _LINES:
            continue
        for m in rx.finditer(t):  # a line along a route: "ВОЛС вдоль трассы газопровода"
            where, end2, places, extra = _located(t, m.end())
            if where.startswith("вдоль"):
                hits.append(
                    _Hit(m.start(), end2, f"{head} {where}", sector, head, places, [], _DISC)
                )
    return hits


def _named_hits(t: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _NAMED.finditer(t):
        kind = m.group("kind").lower()
        head = (
            "месторождение"
            if kind.startswith("месторожд")
            else "сухой порт"
            if kind.startswith("сух")
            else "порт"
            if "порт" in kind
            else m.group("kind")
        )
        names = [n.strip("«» ") for n in re.split(r"\s*(?:,|\sи\s)\s*", m.group("names")) if n]
        for n in names:
            place = city_lemma(n) or n
            pos = t.find(n, m.start())
            field_ = head == "месторождение"
            hits.append(
                _Hit(
                    m.start() if n == names[0] else pos,
                    m.end() if n == names[-1] else pos + len(n),
                    f"{head} {place}",
                    "газ" if field_ else "энергетика" if head.isupper() else "транспорт",
                    head,
                    [place],
                    place_countries([place], t[max(0, m.start() - 60) : m.end()] if field_ else ""),
                    _DISC if field_ else _OP,
                )
            )
    for m in _PLANT.finditer(t):
        adj = m.group("adj")
        name = f"{adj[:-2]}ая {m.group('head')}{m.group('n') or ''}"
        code = site_country(adj)
        hits.append(
            _Hit(
                m.start(),
                m.end(),
                name,
                "энергетика",
                m.group("head"),
                [],
                [code] if code else [],
                _OP,
            )
        )
    return hits


def _sentence_hits(t: str) -> list[_Hit]:
    """Every project mention in a sentence, longest first where two overlap."""
    chosen: list[_Hit] = []
    for group in (_route_hits(t), _facility_hits(t), _named_hits(t)):
        for h in sorted(group, key=lambda h: (h.start, -(h.end - h.start))):
            if all(h.end <= c.start or h.start >= c.end for c in chosen):
                chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


def find_projects(sents: list[Sentence], parties: list[str] | None = None) -> list[Project]:
    """Projects of the article, one per canonical name, with every sentence naming them.

    Args:
        sents: The article's sentences.
        parties: The article's parties (the meeting's countries), added to facilities such as
            hubs, centres and zones, which the parties build together.

    Returns:
        Projects in order of first mention.
    """
    found: dict[str, _Found] = {}
    explicit: list[set[str]] = []
    for s in sents:
        t = s.text
        hits = _sentence_hits(t)
        heads: set[str] = set()
        for i, h in enumerate(hits):
            lo = max(hits[i - 1].end if i else 0, h.start - 80)
            hi = min(hits[i + 1].start if i + 1 < len(hits) else len(t), h.end + 60)
            key = fold(h.name)
            p = found.setdefault(
                key, _Found(h.name, h.sector, h.head, h.places, h.countries, h.default)
            )
            if i + 1 < len(hits) and hi == hits[i + 1].start:
                hi -= len(_MODIFIERS.search(t[h.end : hi]).group(0))  # type: ignore[union-attr]
            if cue := status_cue(t[lo:hi]):
                p.cues.append(cue)
            if in_use(t[max(0, h.start - 80) : h.start], t[h.end : h.end + 60]):
                p.cues.append(_OP)
            if t not in p.quotes:
                p.quotes.append(t)
            heads.add(h.head)
        explicit.append(heads)
    by_head: dict[str, list[_Found]] = {}
    for p in found.values():
        by_head.setdefault(p.head, []).append(p)
    for s, heads in zip(sents, explicit, strict=True):
        for head, rx in _ANAPHOR.items():
            group = by_head.get(head, [])
            if len(group) != 1 or head in heads or not rx.search(s.text):
                continue
            if cue := status_cue(s.text):
                group[0].cues.append(cue)
    out: list[Project] = []
    for p in found.values():
        countries = list(p.countries)
        if (
            p.head in ("центр", "хаб", "терминал", "комплекс", "зона", "парк")
            and len(countries) < 2
        ):
            countries += [c for c in (parties or [])[:2] if c not in countries]
        status = min(p.cues, key=_RANK.index) if p.cues else p.default
        out.append(
            Project(
                name=p.name,
                sector=p.sector,
                status=status,
                countries=countries,
                places=p.places,
                evidence=[Evidence(quote=q) for q in p.quotes],
            )
        )
    return out


_RANK = [
    ProjectStatus.under_construction,
    ProjectStatus.operating,
    ProjectStatus.proposed,
    ProjectStatus.planned,
    ProjectStatus.discussed,
]
