"""Every place of the records on the map: GeoNames id and coordinates, for both backends.

The pipeline runs this on the checked records of every backend, so a meeting's city or a
project's town carries ``geonameid``, ``lat`` and ``lon`` whoever named it. A name no town of the
region has keeps its null coordinates: nothing is guessed. Where namesakes exist, the countries
of the record (the meeting's participants, the project's countries) decide.
"""

from __future__ import annotations

from extractor.offline.countries import country_of_word
from extractor.offline.gazetteer import Place, resolve
from schemas.records import Location, Meeting, PlaceRef, Project, Records


def geocode(records: Records) -> Records:
    """The records with every resolvable meeting city and project place located on the map."""
    return records.model_copy(
        update={
            "meetings": [_meeting(m) for m in records.meetings],
            "projects": [_project(p) for p in records.projects],
        }
    )


def locate(location: Location, countries: list[str]) -> Location:
    """A location with the GeoNames id and coordinates of its city, when it resolves."""
    if not location.city:
        return location
    context = [location.country] if location.country else countries
    place = resolve(location.city, context, strict=False)
    if place is None or (location.country and place.country != location.country):
        return location.model_copy(update={"geonameid": None, "lat": None, "lon": None})
    return location.model_copy(
        update={
            "country": location.country or place.country,
            "geonameid": place.geonameid,
            "lat": place.lat,
            "lon": place.lon,
        }
    )


def _meeting(meeting: Meeting) -> Meeting:
    countries = [p.country for p in meeting.participants if p.country]
    return meeting.model_copy(update={"location": locate(meeting.location, countries)})


def _project(project: Project) -> Project:
    refs = []
    for name in project.places:
        if country_of_word(name):
            continue  # a country as a waypoint ("Китай – Казахстан – Европа") is no town
        place = resolve(name, project.countries, strict=True)
        if place is not None and (not project.countries or place.country in project.countries):
            refs.append(_ref(name, place))
    return project.model_copy(update={"place_refs": refs})


def _ref(name: str, place: Place) -> PlaceRef:
    return PlaceRef(
        name=name, geonameid=place.geonameid, country=place.country, lat=place.lat, lon=place.lon
    )
