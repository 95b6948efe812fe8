"""Agreements: documents signed (a list split into its documents) and intentions agreed.

Signed documents follow a form of "подписать" (or "заключить", "ратифицировать", an adoption
verb, a future signing); a list is split at each document head (соглашение, меморандум, план,
программа, протокол ...) and a plural head with several subjects ("соглашения о ..., о ...")
into one document per subject. A list that goes on over the next lines (bullets, semicolons,
"Среди них ...") stays one list. Intentions are read from their verbs, each in its own clause:
"условились рассмотреть" (under consideration), "предложил" (proposed), "принято решение"
(decision, agreed), "договорились", "поручили" (agreed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.core.morphology import lemma
from extractor.lexicon.sectors import sector_of
from extractor.offline.agreement_cues import (
    BULLET,
    DOC_HEAD,
    INTENTS,
    LEAD_ONLY,
    LIST_LEAD,
    NEGATED,
    document_kind,
    signing,
)
from extractor.offline.countries import countries_in
from extractor.offline.dates import find_period
from extractor.offline.nlp import Sentence, parses
from schemas.enums import AgreementKind, AgreementStatus, ProjectStatus
from schemas.records import Agreement, Evidence, Period, Project

__all__ = ["document_kind", "find_agreements", "split_documents"]

# Speech attribution after a quoted or reported statement: "..., - сообщил президент Казахстана".
_SPEECH = (
    r"[»\"”]?,?\s+[-–—]\s*(?:отметил|сообщил|заявил|подчеркнул|сказал|добавил|пояснил|уточнил|"
    r"рассказал|написал|констатировал|передает|передаёт|сообщает|пишет|говорится)"
)
_CUT = re.compile(
    rf"{_SPEECH}|\s+(?:в целях|с тем чтобы|для того)\s|[;»\"”]|"
    r",\s+(?:что|который|которая|а также|но|однако)\s|\.\s*$",
    re.I,
)
_GENERIC = re.compile(
    r"^(?:в полной мере\s+)?(?:(?:предпринять|принять)\s+(?:все\s+)?(?:необходимые\s+|дополнительные\s+)?(?:шаги|меры)\s+(?:для|по)\s+)",
    re.I,
)
_LEAD = re.compile(
    r"^(?:также\s+|вопрос\s+(?:об?|о)\s+|возможность\s+|в полной мере\s+|принять\s+|"
    r"(?:подписать|заключить|утвердить)\s+(?=\S+\s+\S+)|о\s+том,?\s+чтобы?\s+|о\s+|об\s+|"
    r"на\s+взаимной основе\s+)+",
    re.I,
)
# Where a list of documents ends: a relative or purpose clause, the speech verb of a quote.
_LIST_END = re.compile(
    r",\s+(?:котор|что\s|чтобы|благодаря|предусматрива|направленн|призванн|позволя|в соответствии)|"
    rf"{_SPEECH}|"
    r"[»\"”]\s*$",
    re.I,
)
_TAIL = re.compile(
    r"(?:,\s*|\s+)(?:и\s+)?(?:др|другие)\.?\s*$|(?:,\s*|\s+)(?:и|а также)\s*$|[,.;:\s]+$"
)
_AUX = re.compile(
    r"(?:\s+(?:был[аои]?|также|уже|сегодня|вчера|успешно|официально|торжественно|пока|"
    r"ещ[её]|сейчас|в\s+настоящее\s+время))+\s*$",
    re.I,
)
# A draft of a document or the document itself: "Проект соглашения о ...", "Само соглашение".
_DRAFT = re.compile(r"(?:(?<![а-яё])(?:проект[а-яё]*|сам[оаи]?)\s+)+$", re.I)
# A reported-speech aside inside a clause: ", по словам министра," / ", по данным ведомства,".
_ASIDE = re.compile(r",\s*по\s+(?:словам|данным|информации)\s+[^,]+,?", re.I)
_CLAUSE_START = re.compile(
    r"^\W*(?:(?:также|кроме того|затем|помимо этого|кроме этого|в частности|в том числе|"
    r"а|и|при этом)[\s,]+)*$",
    re.I,
)
_OBJECTS = re.compile(r",\s+а\s+также\s+(?=об?\s)", re.I)
# A document head after a preposition is part of the title before ("Протокол о внесении
# изменений в Соглашение о ..."), not a document of its own.
_GOVERNED = re.compile(r"(?:^|\s)(?:в|во|к|ко|о|об|от|по|с|со|из|для|на|к)\s+[«\"]?$", re.I)
# A document head that starts a document of its own follows a separator of the list; one right
# after a noun ("Протокол о согласовании условий инвестиционного соглашения") is part of the title.
_LISTED = re.compile(r"(?:[,;:]|(?:^|\s)(?:и|а\s+также|также|или)|\n|[-–—•])\s*[«\"]?$", re.I)
# Circumstances after a title: not part of it.
_CIRCUMSTANCE = re.compile(r"\s+(?:по итогам|в ходе|в присутствии|во время)\s.*$", re.I)
# A route of countries ("коридор Китай – Казахстан – Туркменистан – Иран") names waypoints, not
# the parties of an agreement about it.
_ROUTE = re.compile(r"[А-ЯЁ][а-яё]+(?:\s*[-–—]\s*[А-ЯЁ][а-яё]+)+")
_BAD_LEAD = {"многом", "всем", "этом", "том", "том,", "нем", "них", "этого", "чем"}


@dataclass(frozen=True, slots=True)
class _OpenList:
    """A signing whose list of documents goes on in the next sentence."""

    status: AgreementStatus
    parties: list[str]
    lead_only: bool  # only a sentence that opens with "Среди них", a bullet ... goes on
    bulleted: bool


def _singular(phrase: str) -> str:
    """Put a document head phrase ("межправительственные соглашения") in the nominative singular."""
    words = phrase.split()
    out: list[str] = []
    gender: set[str] = set()
    noun = next((p for p in parses(words[-1]) if p.tag.POS == "NOUN"), None)
    if noun is not None:
        gender = {g for g in ("masc", "femn", "neut") if g in noun.tag}
    for w in words:
        p = parses(w)[0]
        grams = {"nomn", "sing"} | (gender if p.tag.POS == "ADJF" else set())
        form = p.inflect(grams)
        out.append(str(form.word) if form is not None else w.lower())
    return " ".join(out)


def _head_start(listing: str, m: re.Match[str]) -> int:
    """Where a document head phrase starts: before up to two adjectives ("Ашхабадская декларация")."""
    start = m.start()
    if m.group("adj"):
        return start
    for _ in range(2):
        prev = re.search(r"([А-ЯЁа-яё-]+)\s+$", listing[:start])
        if not prev or not any(
            p.tag.POS in ("ADJF", "PRTF") and "Apro" not in p.tag for p in parses(prev.group(1))[:1]
        ):
            break
        start = prev.start(1)
    return start


def split_documents(listing: str) -> list[tuple[str, AgreementKind]]:
    """Split a list of signed documents into (title, kind), one per document.

    Args:
        listing: The words after the signing verb ("межправительственные соглашения о ..., о ...,
            меморандум о ... и программа ... на 2025-2027 годы").

    Returns:
        One (nominative title, kind) per document, in text order.
    """
    heads: list[re.Match[str]] = []
    starts: list[int] = []
    for m in DOC_HEAD.finditer(listing):
        start = _head_start(listing, m)
        gap = listing[starts[-1] : start] if heads else ""
        if not heads or (_LISTED.search(gap) and not _GOVERNED.search(gap)):
            heads.append(m)
            starts.append(start)
    out: list[tuple[str, AgreementKind]] = []
    for i, m in enumerate(heads):
        end = starts[i + 1] if i + 1 < len(heads) else len(listing)
        body = _TAIL.sub("", _CIRCUMSTANCE.sub("", listing[m.end() : end]))
        head_phrase = listing[starts[i] : m.end()]
        kind = document_kind(m.group("head"))
        single = _singular(head_phrase)
        plural = single != head_phrase.lower()
        split_at = r"(?:,\s+|\s+и\s+)(?=(?:о|об|по)\s)" if plural else r",\s+(?=(?:о|об|по)\s)"
        parts = re.split(split_at, body)
        for part in parts:
            title = f"{single} {part.strip()}".strip()
            out.append((title, kind))
    return out


def _documents(
    listing: str, status: AgreementStatus, parties: list[str], quote: str
) -> list[Agreement]:
    """The records of the documents of a list, with the period a title states."""
    out: list[Agreement] = []
    for title, kind in split_documents(listing):
        period = find_period(title, None)
        out.append(
            Agreement(
                title=title,
                kind=kind,
                status=status,
                parties=parties,
                sector=sector_of(title),
                period=Period(text=period[0], start=period[1], end=period[2])
                if period and period[1]
                else None,
                evidence=[Evidence(quote=quote)],
            )
        )
    return out


def _continued(text: str, lead_only: bool) -> str | None:
    """The documents of a sentence that goes on with a list ("- Меморандум о ...;"), else None."""
    lead = LIST_LEAD.match(text)
    if lead_only and (lead is None or not lead.group(0).strip()):
        return None
    rest = text[lead.end() if lead else 0 :]
    head = DOC_HEAD.search(rest)
    if (
        head is None
        or head.start() > 40
        or not _CLAUSE_START.match(rest[: _head_start(rest, head)])
    ):
        return None
    return rest[_head_start(rest, head) :]


def _list_goes_on(text: str) -> bool:
    """Whether a sentence of a list ends so that the list may go on (":", ";", ",", no stop)."""
    return bool(re.search(r"(?:[:;,]|[^.!?…»\s])\s*$", text))


def _title_after(sentence: str, start: int) -> str:
    """The object of an intention verb: the rest of its clause, without generic lead words."""
    rest = sentence[start:].strip(" ,–-")
    if m := _CUT.search(rest):
        rest = rest[: m.start()]
    if clause := re.match(r"что,?\s+", rest, re.I):
        # "договорились, что ... поставят ...": a clause of its own, kept as written
        return rest[clause.end() :].strip(" ,.")
    rest = _GENERIC.sub("", rest)
    rest = _LEAD.sub("", rest)
    rest = re.sub(r"(?:,?\s+(?:а также|и|а))+\s*$", "", rest.strip(" ,."))
    return _nominative_lead(_from_infinitive(rest.strip(" ,.")))


def _from_infinitive(clause: str) -> str:
    """Drop an addressee and adverbs before the infinitive ("правительствам совместно выработать")."""
    words = clause.split()
    for i, w in enumerate(words[:10]):
        top = parses(w.strip(",«»"))[0]
        if top.tag.POS == "INFN":
            lead = [parses(x.strip(",«»"))[:3] for x in words[:i]]
            dative = [any("datv" in p.tag for p in ps) for ps in lead]
            if any(dative) and all(
                d or ps[0].tag.POS in ("ADVB", "PREP") or "gent" in ps[0].tag
                for d, ps in zip(dative, lead, strict=True)
            ):
                return " ".join(words[i:])
            break
    return clause


def _nominative_lead(title: str) -> str:
    """Put the noun opening a title in the nominative ("создании домов" -> "создание домов")."""
    words = title.split(" ")
    for n, w in enumerate(words[:2]):
        top = parses(w)[0]
        if not w.islower() or "nomn" in top.tag or len(words) < 3:
            return title
        if top.tag.POS == "NOUN":
            gender = {g for g in ("masc", "femn", "neut") if g in top.tag}
            form = top.inflect({"nomn", "sing"})
            adjs = [parses(a)[0].inflect({"nomn", "sing"} | gender) for a in words[:n]]
            if form is None or None in adjs:
                return title
            lead = [str(a.word) for a in adjs if a is not None]
            return " ".join([*lead, str(form.word), *words[n + 1 :]])
        if top.tag.POS != "ADJF":
            return title
    return title


# Keeping in touch is no agreement: "продолжить контакты", "поддерживать диалог" with no object.
_HOLLOW = re.compile(
    r"^(?:продолжить|продолжать|поддерживать|развивать|укреплять)\s+(?:[а-яё]+(?:ые|ый|ий|ой|ое|ую|ая)\s+)?"
    r"(?:контакты|диалог|общение|взаимодействие|сотрудничество|связи)"
    r"(?:\s+(?:на\s+)?[а-яё\s-]*уровн[а-яё]+)?$",
    re.I,
)


def _plausible(title: str) -> bool:
    """Whether an intention's object reads as one: two words or more, not a pronoun or a clause."""
    words = title.split()
    if len(words) < 2 or words[0].lower().strip(",") in _BAD_LEAD or _HOLLOW.match(title):
        return False
    top = parses(words[0].strip("«»,"))[0]
    return top.tag.POS not in ("NPRO", "CONJ", "PRCL", "INTJ", "VERB")


def _intent_cues(text: str) -> list[tuple[int, int, AgreementKind, AgreementStatus]]:
    """The intention verbs of a text in text order; where two overlap, the more specific one."""
    found = [
        (m.start(), m.end(), rank, kind, status)
        for rank, (pattern, kind, status) in enumerate(INTENTS)
        for m in pattern.finditer(text)
    ]
    kept: list[tuple[int, int, int, AgreementKind, AgreementStatus]] = []
    for cue in sorted(found, key=lambda c: (c[2], c[0])):
        if all(cue[1] <= k[0] or cue[0] >= k[1] for k in kept):
            kept.append(cue)
    return [(a, b, kind, status) for a, b, _, kind, status in sorted(kept)]


def _intents(text: str, parties: list[str], quote: str) -> list[Agreement]:
    """One record per intention verb of a text, its object read up to the next verb."""
    out: list[Agreement] = []
    cues = _intent_cues(text)
    for i, (start, end, kind, status) in enumerate(cues):
        before = text[:start]
        if NEGATED.search(before) or re.search(
            r"(?:^|[\s,(])как\s+(?:и\s+|было\s+)?$", before, re.I
        ):
            continue  # "не договорились", "как и договорились ранее"
        stop = cues[i + 1][0] if i + 1 < len(cues) else len(text)
        # "договорились о создании ..., а также об открытии ...": one record per object
        for clause in _OBJECTS.split(text[end:stop]):
            title = _title_after(clause, 0)
            if not _plausible(title):
                continue
            head = DOC_HEAD.match(title)
            out.append(
                Agreement(
                    title=title,
                    kind=document_kind(head.group("head")) if head else kind,
                    status=status,
                    parties=parties,
                    sector=sector_of(title),
                    period=None,
                    evidence=[Evidence(quote=quote)],
                )
            )
    return out


def _cut_listing(listing: str) -> tuple[str, str]:
    """Cut a list of documents where an intention or a clause of another kind begins."""
    rest = ""
    cues = _intent_cues(listing)
    if cues:
        listing, rest = listing[: cues[0][0]], listing[cues[0][0] :]
    if m := _LIST_END.search(listing):
        listing = listing[: m.start()]
    return re.sub(r"(?:,\s*|\s+)(?:а также|и)\s*$", "", listing), rest


def _signed_listing(text: str, start: int, end: int) -> tuple[str, str] | None:
    """The documents a signing verb governs and the rest of the sentence, or None.

    The documents follow the verb ("подписали Договор о ...") or open its clause ("Соглашение о
    ... было подписано министрами").
    """
    after = text[end:]
    if DOC_HEAD.search(after):
        return _cut_listing(after)
    before = text[:start]
    # the subject of a reported clause ("Стороны отметили, что проект соглашения о ... ")
    if said := list(re.finditer(r",\s+что\s+", before)):
        before = before[said[-1].end() :]
    head = DOC_HEAD.search(before)
    if head is None or "котор" in before.lower():
        return None
    first = _head_start(before, head)
    if not _CLAUSE_START.match(_DRAFT.sub("", before[:first])):
        return None
    return _AUX.sub("", _ASIDE.sub("", before[first:])), ""


_WORD = re.compile(r"[А-ЯЁа-яёA-Za-z0-9]+(?:-[А-ЯЁа-яё0-9]+)*")


def _lemmas(text: str) -> set[str]:
    """The lemmas of the words of a text (content words of three letters or more, and names)."""
    return {lemma(w) for w in _WORD.findall(text) if len(w) >= 3 or w[:1].isupper()}


def _proposes_a_project(agreement: Agreement, projects: list[Project]) -> bool:
    """Whether a proposal's object is a project of the article ("предложил создать … центр").

    A proposal to build, create or finance a facility not yet in service is that project's stage,
    not an agreement of its own: the project's name stands in the proposal's title (every proper
    name, and three in four of its words; a compound counts for its last part: "автодорога" —
    "дорога"). A proposal about a facility in service (to use it better) stays an agreement.
    """
    if (
        agreement.kind is not AgreementKind.intent
        or agreement.status is not AgreementStatus.proposed
    ):
        return False
    title = _lemmas(agreement.title)

    def stated(word: str) -> bool:
        return word in title or (len(word) >= 4 and any(t.endswith(word) for t in title))

    for project in projects:
        if project.status in (ProjectStatus.operating, ProjectStatus.discussed):
            continue
        words = _WORD.findall(project.name)
        names = [lemma(w) for w in words if w[:1].isupper()]
        name = _lemmas(project.name)
        if name and all(map(stated, names)) and sum(map(stated, name)) >= 0.75 * len(name):
            return True
    return False


def find_agreements(
    sents: list[Sentence], default_parties: list[str], projects: list[Project] | None = None
) -> list[Agreement]:
    """Signed documents and intentions of the article, one record each, with the sentence as evidence.

    Args:
        sents: The article's sentences.
        default_parties: Countries to use as parties when a sentence names none (the meeting's).
        projects: The article's projects; a proposal whose object is one of them is left to it.

    Returns:
        Agreements in text order.
    """
    found = _find(sents, default_parties)
    return [a for a in found if not _proposes_a_project(a, projects or [])]


def _find(sents: list[Sentence], default_parties: list[str]) -> list[Agreement]:
    """Signed documents and intentions of the article, in text order."""
    out: list[Agreement] = []
    pending: _OpenList | None = None  # a signing whose list may go on in this sentence
    for s in sents:
        parties = countries_in(_ROUTE.sub(" ", s.text)) or list(default_parties)
        if len(parties) < 2 and default_parties:
            parties = list(dict.fromkeys([*parties, *default_parties]))
        if pending is not None and LEAD_ONLY.match(s.text):
            # "В их числе:" on a line of its own: the documents follow on the next lines
            pending = _OpenList(pending.status, pending.parties, False, False)
            continue
        if pending is not None:
            listing = _continued(s.text, pending.lead_only)
            if listing is not None:
                listing, rest = _cut_listing(listing)
                out.extend(_documents(listing, pending.status, pending.parties, s.text))
                out.extend(_intents(rest, parties, s.text))
                bulleted = bool(BULLET.match(s.text))
                pending = (
                    _OpenList(pending.status, pending.parties, False, bulleted)
                    if _list_goes_on(s.text) or bulleted
                    else None
                )
                continue
        pending = None
        sign = signing(s.text)
        found = _signed_listing(s.text, sign.start, sign.end) if sign else None
        if sign is not None and found is not None:
            listing, rest = found
            out.extend(_documents(listing, sign.status, parties, s.text))
            if s.text.rstrip().endswith((":", ";", ",")):
                pending = _OpenList(sign.status, parties, False, False)
            out.extend(_intents(rest, parties, s.text))
            continue
        if sign is not None:
            # "подписаны следующие документы:" / "подписано 12 документов." then the list
            ends_open = s.text.rstrip().endswith(":")
            pending = _OpenList(sign.status, parties, not ends_open, False)
        out.extend(_intents(s.text, parties, s.text))
    return out
