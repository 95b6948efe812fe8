"""The gazetteer (``data/places.json``): the region's cities and named sites, with their country.

Read by the offline backend: meeting places, project waypoints and locations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from extractor.lexicon._files import LexiconError, read

__all__ = ["cities", "site_country", "sites", "version"]


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    cities: Mapping[str, str]
    sites: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = read("places")
    found: dict[str, str] = {}
    for entry in data["cities"]:
        for name in entry["names"]:
            if name in found:
                raise LexiconError(
                    f"lexicon places.json lists the city {name!r} twice", hint="keep one entry"
                )
            found[name] = entry["country"]
    return _Table(
        version=str(data["version"]),
        cities=MappingProxyType(found),
        sites=tuple((s["start"], s["country"]) for s in data["sites"]),
    )


def version() -> str:
    """The version of the gazetteer."""
    return _table().version


def cities() -> Mapping[str, str]:
    """City (nominative) -> ISO country code, in file order, read-only."""
    return _table().cities


def sites() -> tuple[tuple[str, str], ...]:
    """(start of the name, country) of every named field, plant or site, in file order."""
    return _table().sites


def site_country(name: str) -> str | None:
    """The country of a named field, plant or port from the site list, else None."""
    for start, code in _table().sites:
        if name.startswith(start) and (len(start) > 3 or name == start):
            return code
    return None
