"""Projects: railways, roads, pipelines, corridors, ports, fields and terminals, with routes.

A project is a type head (железная дорога, коридор, порт ...) with a route ("Казахстан –
Туркменистан – Иран"), a compound country adjective ("Казахстанско-туркменско-иранская
железная дорога") or a proper name ("порт Актау", "месторождение Галкыныш"). Route projects
get a canonical name from the head and the waypoints, so every wording of one project yields
the same name.
"""

from __future__ import annotations

import re

from extractor.offline.countries import (
    CITIES,
    city_lemma,
    countries_in,
    country_name,
    country_of_word,
)
from extractor.offline.nlp import Sentence
from schemas.enums import ProjectStatus
from schemas.records import Evidence, Project

_HEADS: tuple[tuple[str, str, str], ...] = (
    # (regex of the head in any case, canonical head, sector)
    (
        r"железн\w*\s+дорог\w*|железнодорожн\w*\s+(?:магистрал|лини|маршрут)\w*",
        "железная дорога",
        "транспорт",
    ),
    (
        r"автомобильн\w*\s+дорог\w*|автодорог\w*|дорожн\w*\s+инфраструктур\w*",
        "автомобильная дорога",
        "транспорт",
    ),
    (r"газопровод\w*", "газопровод", "газ"),
    (r"нефтепровод\w*", "нефтепровод", "нефть"),
    (r"(?:[а-яё-]+\s+)?коридор\w*", "коридор", "транспорт"),
    (r"лини\w*\s+электропередач\w*", "линия электропередачи", "энергетика"),
)
_WP = r"(?:граница\s+)?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?:\s+[А-ЯЁ][а-яё]+)?"
_ROUTE = rf"(?P<route>{_WP}(?:\s*[–—]\s*{_WP})+|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+){{2,}})"
_GAP = r"(?:\s+(?:[а-яё-]+\s+){0,2}?(?:по\s+направлению|в\s+сообщении)?)?\s+"
_NAMED = re.compile(
    r"(?P<kind>морск\w+\s+порт\w*|сух\w+\s+порт\w*|порт\w*|месторождени\w*)\s+"
    r"(?P<names>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?:\s*(?:,|и)\s*[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)*)"
)
_ADJ_ROUTE = re.compile(
    r"(?P<adj>[А-ЯЁа-яё]+о-[а-яё]+(?:о-[а-яё]+)*)\s+(?P<head>железн\w*\s+дорог\w*|газопровод\w*|коридор\w*)"
)
_TRANSCASPIAN = re.compile(
    r"транскаспийск\w*\s+(?:международн\w*\s+)?(?:транспортн\w*\s+)?(?:маршрут|коридор)\w*", re.I
)
_VIA = re.compile(
    r"(?P<head>железнодорожн\w*\s+(?:лини|маршрут)\w*|железн\w*\s+дорог\w*)\s+"
    r"(?P<dir>в\s+направлении\s+[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?\s+)?через\s+(?:территорию\s+)?(?P<c>[А-ЯЁ][а-яё]+)"
)
_TERMINAL = re.compile(
    r"(?P<adj>[а-яё]+(?:ого|ый|ой|ых))\s+(?P<head>терминал\w*|хаб\w*)(?P<rest>\s+на\s+[а-яё-]+\s+границ\w*)?"
)
_STATUS: tuple[tuple[re.Pattern[str], ProjectStatus], ...] = (
    (
        re.compile(
            r"строящ|продолжа\w+\s+строительств|ведется строительств|завершена прокладка|решается задача",
            re.I,
        ),
        ProjectStatus.under_construction,
    ),
    (re.compile(r"введен\w*\s+в\s+эксплуатаци|действующ", re.I), ProjectStatus.operating),
    (
        re.compile(r"перспектив\w*\s+строительств|обсужда|обсуди|обсуждены", re.I),
        ProjectStatus.discussed,
    ),
    (re.compile(r"проект\w*\s+строительств", re.I), ProjectStatus.proposed),
    (re.compile(r"планир|будет\s+постро|предстоит|станет", re.I), ProjectStatus.planned),
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
    parts = [p for p in re.split(r"\s*[–—]\s*", route) if p]
    if len(parts) == 1:
        parts = route.split("-")
    return [waypoint(p) for p in parts]


def _countries_of(places: list[str], extra: str = "") -> list[str]:
    out: list[str] = []
    for p in places:
        for code in country_of_word(p) if " " not in p else countries_in(p):
            if code not in out:
                out.append(code)
        if p in CITIES and CITIES[p] not in out:
            out.append(CITIES[p])
    for code in countries_in(extra):
        if code not in out:
            out.append(code)
    return out


def project_status(sentence: str, default: ProjectStatus) -> ProjectStatus:
    """The stage a sentence states for a project, else a default."""
    for pattern, status in _STATUS:
        if pattern.search(sentence):
            return status
    return default


def find_projects(sents: list[Sentence]) -> list[Project]:
    """Projects of the article, one per canonical name, with every sentence naming them.

    Args:
        sents: The article's sentences.

    Returns:
        Projects in order of first mention.
    """
    found: dict[str, Project] = {}

    def add(
        name: str,
        sector: str,
        places: list[str],
        s: Sentence,
        default: ProjectStatus,
        extra: str = "",
        at: int | None = None,
    ) -> None:
        key = name.lower().replace("ё", "е")
        if key in found:
            return
        found[key] = Project(
            name=name,
            sector=sector,
            status=project_status(
                s.text if at is None else s.text[max(0, at - 50) : at + 40], default
            ),
            countries=_countries_of(places, extra),
            places=places,
            evidence=[Evidence(quote=s.text)],
        )

    for s in sents:
        t = s.text
        for rx, head, sector in _HEADS:
            for m in re.finditer(rf"(?<![а-яё])(?i:{rx}){_GAP}{_ROUTE}", t):
                route = m.group("route")
                if not route[:1].isupper():
                    continue
                places = split_route(route)
                if len(places) < 2:
                    continue
                add(
                    f"{head} {' – '.join(places)}",
                    sector,
                    places,
                    s,
                    ProjectStatus.operating,
                    at=m.start(),
                )
        for m in _ADJ_ROUTE.finditer(t):
            codes = country_of_word(m.group("adj"))
            if len(codes) < 2:
                continue
            head = next(h for rx, h, _ in _HEADS if re.match(rx, m.group("head"), re.I))
            places = [country_name(c) for c in codes]
            sector = next(sec for rx, h, sec in _HEADS if h == head)
            add(
                f"{head} {' – '.join(places)}",
                sector,
                places,
                s,
                ProjectStatus.operating,
                at=m.start(),
            )
        for m in _NAMED.finditer(t):
            kind = m.group("kind").lower()
            head = (
                "месторождение"
                if kind.startswith("месторожд")
                else "сухой порт"
                if kind.startswith("сух")
                else "порт"
            )
            names = [n for n in re.split(r"\s*(?:,|\sи\s)\s*", m.group("names")) if n]
            for n in names:
                place = city_lemma(n) or n
                add(
                    f"{head} {place}",
                    "газ" if head == "месторождение" else "транспорт",
                    [place],
                    s,
                    ProjectStatus.discussed if head == "месторождение" else ProjectStatus.operating,
                )
        if _TRANSCASPIAN.search(t):
            add("Транскаспийский транспортный коридор", "транспорт", [], s, ProjectStatus.operating)
        for m in _VIA.finditer(t):
            via = waypoint(m.group("c"))
            direction = (m.group("dir") or "").strip()
            name = " ".join(x for x in ("железная дорога", direction, "через", via) if x)
            add(name, "транспорт", [via], s, ProjectStatus.discussed)
        for m in _TERMINAL.finditer(t):
            rest = (m.group("rest") or "").strip()
            adj = m.group("adj")
            name = (
                f"{adj[:-3] + 'ой' if adj.endswith('ого') else adj} терминал"
                if m.group("head").startswith("терминал")
                else f"{adj} хаб"
            )
            name = f"{name} {rest}".strip()
            add(name, "транспорт", [], s, ProjectStatus.discussed, extra=rest)
    return list(found.values())
