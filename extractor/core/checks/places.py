"""Places and countries: a place named in any case form; a country by name, adjective or city."""

from __future__ import annotations

import re

from extractor.core.checks.gazetteer import countries_of_word, lexicon
from extractor.core.checks.text import Text, inferred, supported, unsupported
from schemas.records import FieldCheck

Window = tuple[int, int]


def check_place(path: str, place: str, doc: Text) -> FieldCheck:
    """A city, waypoint or place: its words in a row in the text, each in any case form."""
    spans = doc.find_phrase(place)
    if spans:
        return supported(path, spans[0], doc.text, "the place named")
    codes = countries_of_word(place) if " " not in place.strip() else ()
    named = [s for code in codes for s in doc.countries().get(code, [])]
    if named:
        return supported(path, named[0], doc.text, "the country named by its adjective")
    return unsupported(path, f"«{place}» is not named in the article in any case form")


_ROUTE_AFTER = re.compile(r"\s?[–—-]\s?[А-ЯЁ]")
_ROUTE_BEFORE = re.compile(r"[А-Яа-яЁё]\s?[–—-]\s?$")


def _in_route(text: str, span: tuple[int, int]) -> bool:
    """Whether a name stands in a chain of places joined by dashes ("Казахстан – Иран")."""
    start, end = span
    return bool(
        _ROUTE_AFTER.match(text, end) or _ROUTE_BEFORE.search(text[max(0, start - 4) : start])
    )


def _inside(span: tuple[int, int], windows: list[Window]) -> bool:
    return any(lo <= span[0] and span[1] <= hi for lo, hi in windows)


def check_country(
    path: str,
    code: str,
    doc: Text,
    windows: list[Window],
    *,
    elsewhere_is: str = "named elsewhere in the article",
    party: bool = False,
) -> FieldCheck:
    """A country: named (name or adjective) in one of ``windows``, else anywhere, else by a city.

    Named inside a window (the sentences of the record) it is supported; named elsewhere in the
    article or implied by one of its cities it is inferred, with that rule as the reason; never
    named nor implied, unsupported. A ``party`` (of an agreement) must be named in its sentences
    and not only as a waypoint of a route ("железная дорога Казахстан – Туркменистан – Иран"
    makes Iran no party): anything else is left to the caller's rules.
    """
    named = doc.countries().get(code, [])
    near = [s for s in named if _inside(s, windows)]
    if party:
        as_party = [s for s in near if not _in_route(doc.text, s)]
        if as_party:
            return supported(path, as_party[0], doc.text, f"names {code}")
        route = (
            f" (only as a waypoint of a route at «{doc.text[near[0][0] : near[0][1]]}»)"
            if near
            else ""
        )
        return unsupported(path, f"{code} is not named as a party where the text states it{route}")
    if near:
        return supported(path, near[0], doc.text, f"names {code}")
    cities = doc.city_countries().get(code, [])
    near_city = [c for c in cities if _inside((c[0], c[1]), windows)]
    if near_city:
        start, end, city = near_city[0]
        return inferred(path, f"{code} is the country of {city} (gazetteer)", (start, end))
    if named:
        return inferred(path, f"{code} {elsewhere_is}", named[0])
    for region, members in lexicon().regions.items():
        spans = doc.find_phrase(region) if code in members else []
        if spans:
            return inferred(
                path, f"{code} is a country of {region}, which the article names", spans[0]
            )
    if cities:
        start, end, city = cities[0]
        return inferred(
            path, f"{code} is the country of {city}, named in the article", (start, end)
        )
    return unsupported(
        path, f"{code} is not named in the article (no name, adjective or city of it)"
    )
