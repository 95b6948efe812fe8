"""People: canonical nominative names with role and country, one entry per person per article.

Person spans come from natasha's NER. Each name token is put in the nominative by rules for
Russian and Central Asian name morphology (surnames in -ов/-ев/-ёв/-ин, consonant stems, fixed
forms), checked against pymorphy3's dictionary for names it knows. A surname-only mention
("Токаевым") is resolved to the full name seen elsewhere in the article. Titles and bodies
("Президент", "Халк Маслахаты") are not people; the title right before a name is its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.core.names import fold, is_female_first_name, nominative, surname_cases
from extractor.lexicon.heads_of_state import head_of
from extractor.lexicon.titles import titles
from extractor.offline.countries import countries_in
from extractor.offline.nlp import Span, parses

_BOUNDARY = re.compile(r"[.;:!?«»\"“”()\[\]]|\s[–—]\s|\n")


@lru_cache(maxsize=1)
def _role_pattern() -> re.Pattern[str]:
    """A title phrase ending right before a name; its heads are the title lexicon's."""
    return re.compile(
        r"(?<![а-яё])(?P<role>(?:" + "|".join(map(re.escape, titles().role_heads)) + r")[а-яё-]*"
        r"(?:[\s,]+(?:и\s+)?[А-ЯЁа-яё-]+){0,7}?)\s+$",
        re.IGNORECASE,
    )


@dataclass
class Person:
    """One person of the article: canonical name, role, country and where it is mentioned."""

    name: str
    role: str | None = None
    country: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def surname_key(self) -> str:
        """The surname, lower case with ё folded: the key mentions are resolved by."""
        return fold(self.name.split()[-1])


def _name_tokens(span_text: str) -> list[str]:
    """The name tokens of a PER span, without title words and bodies."""
    words = [w.strip(",.") for w in span_text.split()]
    lexicon = titles()
    words = [w for w in words if w and not lexicon.is_title_word(w)]
    if not words or any(w.lower() in lexicon.bodies for w in words):
        return []
    if not all(w[:1].isupper() for w in words):
        return []
    return words


def canonical_name(span_text: str) -> str | None:
    """The canonical nominative form of a person span, or None when it is no personal name."""
    words = _name_tokens(span_text)
    if not words:
        return None
    if len(words) == 1:
        return nominative(words[0], surname=True)
    female = is_female_first_name(words[0])
    cases = frozenset() if female else surname_cases(words[-1])
    first = [nominative(w, surname=False, female=female, cases=cases) for w in words[:-1]]
    return " ".join([*first, nominative(words[-1], surname=True, female=female)])


def role_before(text: str, start: int, floor: int) -> tuple[str | None, str | None]:
    """The title phrase right before a name (role, country), e.g. 'Президентом Казахстана '."""
    window = text[max(floor, start - 120) : start]
    cuts = list(_BOUNDARY.finditer(window))
    if cuts:
        window = window[cuts[-1].end() :]
    m = _role_pattern().search(window)
    if not m:
        return None, None
    phrase = m.group("role").strip(" ,")
    if phrase.lower().startswith(titles().head_of_state_phrases):
        return titles().head_of_state_role, None
    countries = countries_in(phrase)
    words = phrase.split()
    kept: list[str] = []
    for w in words:
        if countries_in(w) or w.lower().startswith("республик"):
            break
        kept.append(w)
    if not kept:
        return None, countries[0] if countries else None
    head = kept[0]
    lemma_head = _title_nominative(head)
    role = " ".join([lemma_head, *kept[1:]]).strip(" ,")
    if len(kept) == 1:
        role = role[:1].upper() + role[1:]
    return role, countries[0] if countries else None


def _title_nominative(word: str) -> str:
    """A title word in the nominative, keeping its capitalisation ("Президентом" -> "Президент")."""
    for p in parses(word)[:2]:
        if p.tag.POS == "NOUN":
            form = p.inflect({"nomn", "sing"})
            if form is not None:
                out = str(form.word)
                return out[:1].upper() + out[1:] if word[:1].isupper() else out
    return word


def find_people(text: str, spans: list[Span], home_country: str | None = None) -> list[Person]:
    """Every person of the article, full names first, surname-only mentions resolved to them.

    Args:
        text: The article text.
        spans: NER spans of the text (PER spans are used).
        home_country: Country of the outlet, used for "Глава государства" without a country.

    Returns:
        People in order of first mention, each with canonical name, role, country and mentions.
    """
    people: list[Person] = []
    by_key: dict[str, Person] = {}
    singles: list[tuple[Span, str]] = []
    prev_end = 0
    for span in spans:
        if span.type != "PER":
            continue
        name = canonical_name(span.text)
        if name is None:
            continue
        if " " not in name:
            singles.append((span, name))
            prev_end = span.end
            continue
        key = fold(name.split()[-1])
        person = by_key.get(key)
        if person is None or person.name.split()[0] != name.split()[0]:
            person = Person(name=name)
            by_key[key] = person
            people.append(person)
        person.mentions.append((span.start, span.end))
        _take_role(person, text, span, prev_end, home_country)
        prev_end = span.end
    for span, single in singles:
        key = fold(single)
        match = [p for p in people if p.surname_key == key or p.name.split()[0].lower() == key]
        if not match:
            continue
        before = [p for p in match if p.mentions and p.mentions[0][0] < span.start] or match
        person = before[-1]
        person.mentions.append((span.start, span.end))
        _take_role(person, text, span, 0, home_country)
    for person in people:
        person.mentions.sort()
        known = head_of(person.name)
        if person.role == titles().head_of_state_role:
            person.role = known.role if known else "Президент"
            person.country = person.country or (known.country if known else home_country)
        if known and person.country is None:
            person.country = known.country
        if known and person.role is None:
            person.role = known.role
    return people


def _take_role(person: Person, text: str, span: Span, floor: int, home_country: str | None) -> None:
    """Fill a person's role and country from the title before one of its mentions."""
    role, country = role_before(text, span.start, floor)
    if role and (person.role is None or person.role == titles().head_of_state_role):
        person.role = role
    if country and person.country is None:
        person.country = country
