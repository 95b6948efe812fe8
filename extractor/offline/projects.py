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

from extractor.lexicon import project_kinds
from extractor.lexicon.folding import fold
from extractor.offline import gazetteer
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
from extractor.offline.project_phases import Found, add_phases
from extractor.offline.project_sites import (
    PLANTS,
    Hit,
    city_of_adjective,
    named_hits,
    nominative_adj,
    place_countries,
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
_JOINT = re.compile(r"совместн|тр[её]хсторонн|двусторонн", re.I)
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
    # a power plant named by its kind: "солнечная электростанция", "АЭС малой мощности"
    ("электростанци", "электростанция", "femn", r"солнечн|ветров|атомн|тепло|угольн|газов"),
)
_FAC_RX = re.compile(
    r"(?<![а-яёА-ЯЁ])(?P<noun>центр|хаб|терминал|комплекс|зон|парк|электростанци)"
    r"(?:ами|ах|ам|ов|ом|ой|ою|ей|ям|ях|я|ю|а|у|е|ы|и)?(?![а-яё])",
    re.I,
)
_COMPLEMENT = re.compile(
    r"\s+(?:(?:промышленной|индустриальной|производственной|торгово-экономической)\s+кооперации|"
    r"свободной\s+торговли|по\s+(?:переработке|хранению|производству)\s+[а-яё]+|"
    r"(?:малой|средней|большой)\s+мощности)"
)
_FACILITY_SECTORS = (
    (r"энерг|электростанц", "энергетика"),
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
    # a region: "в Джизакской области", "в Мургабском районе"
    r"^(?P<rgap>(?:\s+[^\s,.;«»]+){0,4}?)\s+(?P<region>(?:в|на)\s+(?P<radj>[А-ЯЁ][а-яё]+(?:ской|ском))"
    r"\s+(?P<rkind>области|районе|регионе))|"
    r"^(?P<gap>(?:,?\s+[а-яё-]+){0,5}?)\s+(?P<loc>(?:в|на)\s+(?:(?:морском\s+)?порту|порте|городе|"
    r"г\.|районе|области|территории)?\s*(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?))"
    r"|^\s+(?P<border>на\s+(?:[а-яё]+о-[а-яё]+\s+границ\w*|границ\w*\s+с\s+[А-ЯЁ][а-яё]+))"
    r"|^\s+(?P<along>вдоль\s+(?:трасс\w+\s+)?[а-яё]+)"
)


# A location opening the clause of a facility: "в порту Актау введен в эксплуатацию хаб".
_LOCATION_BEFORE = re.compile(
    r"(?<![а-яё])(?P<loc>(?:[Вв]|[Нн]а)\s+(?P<kind>(?:морском\s+)?порту|порте|городе|г\.)?\s*"
    r"(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?))(?P<gap>(?:\s+[а-яё-]+){0,5})\s+$"
)


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


def route_name(head: str, places: list[str]) -> str:
    """The canonical name of a route project: head, waypoints, and a well-known acronym if any."""
    name = f"{head} {' – '.join(places)}"
    codes = tuple(c for p in places for c in country_of_word(p)[:1])
    if len(codes) == len(places) and codes in ACRONYM_OF:
        name += f" ({ACRONYM_OF[codes]})"
    return name


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


def _route_hits(t: str) -> list[Hit]:
    hits: list[Hit] = []
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
            hits.append(Hit(r.start(), end, name, sector, head, places, c, _OP))
        for m in _ADJ_ROUTE.finditer(t):
            codes = country_of_word(m.group("adj"))
            h = rx.match(t, m.end())
            if len(codes) < 2 or h is None:
                continue
            places = [country_name(c) for c in codes]
            hits.append(
                Hit(m.start(), h.end(), route_name(head, places), sector, head, places, codes, _OP)
            )
    for m in _ACRONYM.finditer(t):
        acr_codes, bare = ACRONYMS[m.group("acr")]
        acr_head = _head_before(t[max(0, m.start() - 40) : m.start()]) or bare
        if acr_head is None:
            continue
        places = [country_name(c) for c in acr_codes]
        hits.append(
            Hit(
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
            Hit(
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
        hits.append(Hit(m.start(), m.end(), name, "транспорт", head, [], [], _OP))
    return hits


def _located(t: str, end: int) -> tuple[str, int, list[str], str]:
    """A facility's location after it: (phrase for the name, end, places, text for countries)."""
    m = _LOCATION.match(t[end : end + 120])
    if m is None:
        return "", end, [], ""
    if m.group("region"):
        if any(p.tag.POS == "VERB" for w in m.group("rgap").split() for p in parses(w)[:1]):
            return "", end, [], ""
        kind = {"области": ("область", "femn"), "районе": ("район", "masc")}.get(
            m.group("rkind"), ("регион", "masc")
        )
        place = f"{nominative_adj(m.group('radj'), kind[1])} {kind[0]}"
        return m.group("region"), end + m.end(), [place], ""
    if m.group("loc"):
        gap = m.group("gap")
        verbs = [p for w in gap.split() for p in parses(w.strip(","))[:1] if p.tag.POS == "VERB"]
        if verbs and not gap.lstrip(", ").startswith("котор"):
            return "", end, [], ""
        raw = m.group("name")
        place = waypoint(raw) if country_of_word(raw) else city_lemma(raw) or raw
        town = None if country_of_word(raw) or place in CITIES else gazetteer.resolve(raw)
        if town is not None:
            place = town.name  # a town of the gazetteer in the nominative: "в Балыкчы"
        if not (country_of_word(raw) or place in CITIES or site_country(place) or town):
            return "", end, [], ""
        phrase = m.group("loc").replace(raw, place) if place in CITIES else m.group("loc")
        return phrase, end + m.end(), [place], ""
    phrase = m.group("border") or m.group("along")
    return phrase, end + m.end(), [], phrase if m.group("border") else ""


def _facility_hits(t: str) -> list[Hit]:
    hits: list[Hit] = []
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
            if before.group("kind") and (place in CITIES or site_country(place)):
                loc = before.group("loc").replace(raw, place)
                where, places = loc[:1].lower() + loc[1:], [place]
                start = max(0, start - 70) + before.start()
            elif not before.group("kind") and not country_of_word(raw):
                # "создать в Туркменабаде совместный логистический центр": a town, no verb between
                town = gazetteer.resolve(raw)
                verbs = [w for w in before.group("gap").split() if parses(w)[0].tag.POS == "VERB"]
                if town is not None and not verbs:
                    loc = before.group("loc")
                    where, places = loc[:1].lower() + loc[1:], [town.name]
        if not places:  # "Термезский … центр": the town its adjective is made from
            places = [c for a in adjs if a[:1].isupper() and (c := city_of_adjective(a))][:1]
        words = [nominative_adj(a, gender) for a in adjs] + [nom, tail, where]
        if (
            adjs and m.start() == len(" ".join(adjs)) + 1
        ):  # a capital opening the sentence is not part of the name
            words[0] = words[0][:1].lower() + words[0][1:]
        name = " ".join(w for w in words if w)
        countries = place_countries(places, extra + " " + " ".join(adjs))
        sector = next((sec for rx, sec in _FACILITY_SECTORS if re.search(rx, name)), "торговля")
        hits.append(Hit(start, end2, name, sector, nom, places, countries, _DISC))
    for rx, head, sector in _HEAD_RX:
        if head not in _LINES:
            continue
        for m in rx.finditer(t):  # a line along a route: "ВОЛС вдоль трассы газопровода"
            where, end2, places, extra = _located(t, m.end())
            if where.startswith("вдоль"):
                hits.append(
                    Hit(m.start(), end2, f"{head} {where}", sector, head, places, [], _DISC)
                )
    return hits


def _sentence_hits(t: str) -> list[Hit]:
    """Every project mention in a sentence, longest first where two overlap."""
    chosen: list[Hit] = []
    for group in (_route_hits(t), _facility_hits(t), named_hits(t)):
        for h in sorted(group, key=lambda h: (h.start, -(h.end - h.start))):
            if all(h.end <= c.start or h.start >= c.end for c in chosen):
                chosen.append(h)
    chosen.sort(key=lambda h: h.start)
    # "хаб в Алятской свободной экономической зоне": a zone a facility stands in is its place
    merged: list[Hit] = []
    for h in chosen:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.head in _FACILITY_HEADS
            and h.head in _FACILITY_HEADS
            and not prev.places
            and re.fullmatch(r"\s+в\s+", t[prev.end : h.start])
        ):
            where = t[prev.end : h.end].strip()
            merged[-1] = Hit(
                prev.start,
                h.end,
                f"{prev.name} {where}",
                prev.sector,
                prev.head,
                [h.name[:1].upper() + h.name[1:]],
                list(dict.fromkeys([*prev.countries, *h.countries])),
                prev.default,
            )
            continue
        merged.append(h)
    return merged


_FACILITY_HEADS = frozenset(nom for _, nom, _, _ in _FACILITIES)
# Page furniture listing keywords, not a statement: "Теги: ТМТМ, Средний коридор".
_TAGS = re.compile(r"\s*(?:Теги|Метки|Ключевые\s+слова|Tags)\s*:", re.I)
# A thing called a project ("проект Камбаратинской ГЭС-1", "по проекту дороги") is not in service
# unless a cue says so.
_CALLED_PROJECT = re.compile(r"(?<![а-яё])проект[а-яё]*\s+(?:строительства\s+)?$", re.I)
_PATH = re.compile(r"(?<![а-яё])(?:по|через)\s+(?:[а-яё]+\s+)?маршрут", re.I)


def _is_country(place: str) -> bool:
    """Whether a place is a country's name ("Китай"), not a town."""
    codes = country_of_word(place)
    return bool(codes) and country_name(codes[0]) == place


def _follow_path(
    t: str, in_sentence: list[Found], path: Hit, by_head: dict[str, list[Found]]
) -> bool:
    """Give a route's waypoints to the one project the sentence names or refers back to."""
    targets = in_sentence or [
        g[0]
        for head, rx in _ANAPHOR.items()
        if head != path.head and len(g := by_head.get(head, [])) == 1 and rx.search(t)
    ]
    if len(targets) != 1:
        return False
    target = targets[0]
    if all(_is_country(p) for p in target.places):  # towns say more than countries
        target.places = list(path.places)
    target.countries = list(dict.fromkeys([*target.countries, *path.countries]))
    if t not in target.quotes:
        target.quotes.append(t)
    return True


def _by_town(p: Found, code: str) -> bool:
    """Whether a project's country comes only from a town of the gazetteer among its places."""
    if code in countries_in(p.name):
        return False
    for place in p.places:
        if CITIES.get(place) == code or site_country(place) == code:
            return False
    return any(
        place not in CITIES and (town := gazetteer.resolve(place)) and town.country == code
        for place in p.places
    )


def find_projects(sents: list[Sentence], parties: list[str] | None = None) -> list[Project]:
    """Projects of the article, one per canonical name, with every sentence naming them.

    Args:
        sents: The article's sentences.
        parties: The article's parties (the meeting's countries), added to facilities such as
            hubs, centres and zones, which the parties build together.

    Returns:
        Projects in order of first mention.
    """
    found: dict[str, Found] = {}
    explicit: list[set[str]] = []
    paths: list[tuple[str, list[Found], Hit]] = []
    for s in sents:
        t = s.text
        hits = [] if _TAGS.match(t) else _sentence_hits(t)
        # "пройдет по маршруту Термез – Мазари-Шариф": the path of a project, not one
        path = [
            h
            for h in hits
            if h.head == "маршрут" and _PATH.search(t[max(0, h.start - 4) : h.start + 20])
        ]
        in_sentence: list[Found] = []
        lo = 0
        for i, h in enumerate(hits):
            if not (i and re.fullmatch(r"\s*(?:,|и)\s*", t[hits[i - 1].end : h.start])):
                lo = max(hits[i - 1].end if i else 0, h.start - 80)
            # else: coordinated mentions ("о строительстве Яванской и Фандарьинской ГЭС")
            # share the words before the first
            hi = min(hits[i + 1].start if i + 1 < len(hits) else len(t), h.end + 60)
            key = fold(h.key or h.name)
            p = found.setdefault(
                key, Found(h.name, h.sector, h.head, h.places, h.countries, h.default)
            )
            if len(h.name) > len(p.name):  # the fullest wording names the project
                p.name = h.name
            if _CALLED_PROJECT.search(t[max(0, h.start - 30) : h.start]) and p.default is _OP:
                p.default = ProjectStatus.planned  # "проект Камбаратинской ГЭС-1": not built yet
            if i + 1 < len(hits) and hi == hits[i + 1].start:
                hi -= len(_MODIFIERS.search(t[h.end : hi]).group(0))  # type: ignore[union-attr]
            if cue := status_cue(t[lo:hi]):
                p.cues.append(cue)
            if in_use(t[max(0, h.start - 80) : h.start], t[h.end : h.end + 60]):
                p.cues.append(_OP)
            if t not in p.quotes:
                p.quotes.append(t)
            if h not in path:
                in_sentence.append(p)
        explicit.append({h.head for h in hits})
        paths += [(t, in_sentence, h) for h in path]
    by_head: dict[str, list[Found]] = {}
    for p in found.values():
        by_head.setdefault(p.head, []).append(p)
    for s, heads in zip(sents, explicit, strict=True):
        for head, rx in _ANAPHOR.items():
            group = by_head.get(head, [])
            if len(group) != 1 or head in heads or not rx.search(s.text):
                continue
            if cue := status_cue(s.text):
                group[0].cues.append(cue)
    for t, in_sentence, h in paths:
        key = fold(h.key or h.name)
        if _follow_path(t, in_sentence, h, by_head) and found[key].quotes == [t]:
            del found[key]  # the route was the path of another project, not a project
    add_phases(sents, found)
    # A country only a gazetteer town implies ("Дарбаза" read as Armenia's "Дарбаз") is no
    # country of the project when the article names other countries and never that one.
    named = {*countries_in(" ".join(s.text for s in sents)), *(parties or [])}
    out: list[Project] = []
    for p in found.values():
        countries = [c for c in p.countries if not named or c in named or not _by_town(p, c)]
        if (
            p.head in ("центр", "хаб", "терминал", "комплекс", "зона", "парк", "электростанция")
            and len(countries) < 2
        ):
            countries += [c for c in (parties or [])[:2] if c not in countries]
        if p.head in PLANTS and (not countries or any(_JOINT.search(q) for q in p.quotes)):
            # a plant the parties build or run together, or one of no known country
            joint = [c for q in p.quotes if _JOINT.search(q) for c in countries_in(q)]
            countries = list(dict.fromkeys([*countries, *(parties or []), *joint]))
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
