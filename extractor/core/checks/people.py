"""A meeting's participants: the name in any case or the surname alone; a role next to it."""

from __future__ import annotations

from extractor.core.checks.gazetteer import as_of, head_of, lexicon
from extractor.core.checks.places import Window, check_country
from extractor.core.checks.text import Text, fold, inferred, supported, unsupported
from schemas.enums import CheckStatus
from schemas.records import FieldCheck, Participant

# How far from a mention of the person a role may stand (characters, within its sentence).
ROLE_REACH = 90


def mentions(name: str, doc: Text) -> tuple[list[tuple[int, int]], bool]:
    """Where a person is named: the full name, else the surname alone (flag ``True``)."""
    full = doc.find_phrase(name)
    if full:
        return full, False
    surname = name.split()[-1] if name.split() else name
    return doc.find_phrase(surname), True


def check_participant(
    path: str, person: Participant, doc: Text, windows: list[Window]
) -> list[FieldCheck]:
    """Check a participant's name, role and country."""
    found, by_surname = mentions(person.name, doc)
    out: list[FieldCheck] = []
    if found:
        what = "the surname alone" if by_surname else "the name"
        out.append(supported(f"{path}.name", found[0], doc.text, what))
    else:
        out.append(
            unsupported(
                f"{path}.name",
                f"«{person.name}» is not named in the article (neither the full name nor "
                "the surname in any case form)",
            )
        )
    head = head_of(person.name) if found else None
    if person.role:
        role = _check_role(f"{path}.role", person.role, found, doc)
        if (
            role.status is not CheckStatus.supported
            and head
            and fold(head.role) == fold(person.role)
        ):
            role = inferred(
                f"{path}.role",
                f"{person.name} is {head.role} in the heads-of-state table (as of {as_of()})",
            )
        out.append(role)
    if person.country:
        near = [doc.sentence(s) for s, _ in found] or windows
        country = check_country(f"{path}.country", person.country, doc, near)
        if (
            country.status is not CheckStatus.supported
            and head is not None
            and head.country == person.country
        ):
            country = inferred(
                f"{path}.country",
                f"{person.name} is {head.role} of {head.country} in the heads-of-state table "
                f"(as of {as_of()})",
            )
        out.append(country)
    return out


def _check_role(path: str, role: str, found: list[tuple[int, int]], doc: Text) -> FieldCheck:
    words = role.split()
    head = words[0] if words else role
    if not found:
        return unsupported(
            path, f"the person is not named, so no role «{role}» stands next to them"
        )
    for start, end in found:
        s_lo, s_hi = doc.sentence(start)
        lo, hi = max(s_lo, start - ROLE_REACH), min(s_hi, end + ROLE_REACH)
        spans = doc.find_phrase(role, lo, hi) or doc.find_phrase(head, lo, hi)
        if spans:
            return supported(path, spans[0], doc.text, "the role next to the person")
    if fold(head) == "президент":
        for start, end in found:
            s_lo, _ = doc.sentence(start)
            before = fold(doc.text[max(s_lo, start - ROLE_REACH) : start])
            for cue in lexicon().head_of_state_words:
                if cue in before:
                    at = doc.text.lower().rfind(cue, 0, start)
                    span = (at, at + len(cue)) if at >= 0 else (start, end)
                    return inferred(
                        path, f"«{cue}» next to the person: the head of state's title", span
                    )
    anywhere = doc.find_phrase(head)
    if anywhere:
        return inferred(
            path,
            f"«{head}» is in the article but not next to the person: read as the same person's "
            "title",
            anywhere[0],
        )
    return unsupported(path, f"no «{role}» next to any mention of the person")
