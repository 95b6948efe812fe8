"""Agreements: documents signed (a list split into its documents) and intentions agreed.

Signed documents follow a form of "подписать"; a list is split at each document head
(соглашение, меморандум, план, программа, протокол ...) and a plural head with several subjects
("соглашения о ..., о ...") into one document per subject. Intentions are read from their verb:
"условились рассмотреть" (under consideration), "предложил" (proposed), "принято решение"
(decision, agreed), "договорились" (agreed).
"""

from __future__ import annotations

import re

from extractor.offline.countries import countries_in
from extractor.offline.dates import find_period
from extractor.offline.nlp import Sentence, parses
from schemas.enums import AgreementKind, AgreementStatus
from schemas.records import Agreement, Evidence, Period

_SIGNED = re.compile(r"подписа(?:н|л|ни)\w*", re.IGNORECASE)
_DOC_HEAD = re.compile(
    r"(?P<adj>(?:(?:меж|внутри)[а-яё]+|двусторонн[а-яё]+|совместн[а-яё]+)\s+)?"
    r"(?P<head>соглашени[а-яё]*|меморандум[а-яё]*|план(?:ы|а)?\b|программ[а-яё]*|протокол[а-яё]*|"
    r"договор(?:ы|а)?\b|деклараци[а-яё]*|дорожн[а-яё]+\s+карт[а-яё]*|заявлени[а-яё]*)",
    re.IGNORECASE,
)
_KINDS = (
    ("соглаш", AgreementKind.agreement),
    ("договор", AgreementKind.agreement),
    ("протокол", AgreementKind.agreement),
    ("меморандум", AgreementKind.memorandum),
    ("план", AgreementKind.plan),
    ("программ", AgreementKind.plan),
    ("дорожн", AgreementKind.roadmap),
    ("декларац", AgreementKind.declaration),
    ("заявлени", AgreementKind.declaration),
)
_INTENTS: tuple[tuple[re.Pattern[str], AgreementKind, AgreementStatus], ...] = (
    (
        re.compile(
            r"(?:условил\w*|договорил\w*|решил\w*)\s+рассмотреть|рассмотреть\s+(?:вопрос|возможность)",
            re.I,
        ),
        AgreementKind.intent,
        AgreementStatus.under_consideration,
    ),
    (
        re.compile(r"принят\w*\s+решени\w*|приняли\s+решени\w*|решено", re.I),
        AgreementKind.decision,
        AgreementStatus.agreed,
    ),
    (
        re.compile(r"предложил\w*|предлагает\w*|предлагается", re.I),
        AgreementKind.intent,
        AgreementStatus.proposed,
    ),
    (
        re.compile(r"договорил\w*|условил\w*|достигнут\w*\s+договоренност\w*", re.I),
        AgreementKind.intent,
        AgreementStatus.agreed,
    ),
)
_CUT = re.compile(
    r"\s+(?:в целях|с тем чтобы|для того)\s|[;»\"”]|,\s+(?:что|который|которая|а также)\s|\.\s*$"
)
_GENERIC = re.compile(
    r"^(?:в полной мере\s+)?(?:(?:предпринять|принять)\s+(?:все\s+)?(?:необходимые\s+|дополнительные\s+)?(?:шаги|меры)\s+(?:для|по)\s+)",
    re.I,
)
_LEAD = re.compile(
    r"^(?:также\s+|вопрос\s+(?:об?|о)\s+|возможность\s+|в полной мере\s+|принять\s+|о\s+|об\s+|на\s+взаимной основе\s+)+",
    re.I,
)


def document_kind(head: str) -> AgreementKind:
    """The kind of a document from its head word ("меморандумы" -> memorandum)."""
    low = head.lower()
    for stem, kind in _KINDS:
        if low.startswith(stem):
            return kind
    return AgreementKind.agreement


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


def split_documents(listing: str) -> list[tuple[str, AgreementKind]]:
    """Split a list of signed documents into (title, kind), one per document."""
    heads = list(_DOC_HEAD.finditer(listing))
    out: list[tuple[str, AgreementKind]] = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(listing)
        body = listing[m.end() : end]
        body = re.sub(
            r"(?:,\s*|\s+)(?:и\s+)?(?:др|другие)\.?\s*$|,?\s*(?:и|а также)\s*$|[,.\s]+$", "", body
        )
        head_phrase = listing[m.start() : m.end()]
        kind = document_kind(m.group("head"))
        parts = re.split(r",\s+(?=(?:о|об|по)\s)", body)
        plural = not _singular(head_phrase) == head_phrase.lower()
        for part in parts if plural or len(parts) > 1 else [body]:
            title = f"{_singular(head_phrase)} {part.strip()}".strip()
            out.append((title, kind))
    return out


def _title_after(sentence: str, start: int) -> str:
    """The object of an intention verb: the rest of its clause, without generic lead words."""
    rest = sentence[start:].strip(" ,–-")
    if m := _CUT.search(rest):
        rest = rest[: m.start()]
    rest = _GENERIC.sub("", rest)
    rest = _LEAD.sub("", rest)
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


def find_agreements(sents: list[Sentence], default_parties: list[str]) -> list[Agreement]:
    """Signed documents and intentions of the article, one record each, with the sentence as evidence.

    Args:
        sents: The article's sentences.
        default_parties: Countries to use as parties when a sentence names none (the meeting's).

    Returns:
        Agreements in text order.
    """
    out: list[Agreement] = []
    for s in sents:
        parties = countries_in(s.text) or list(default_parties)
        if len(parties) < 2 and default_parties:
            parties = list(dict.fromkeys([*parties, *default_parties]))
        signed = _SIGNED.search(s.text)
        rest = ""  # the part of a signing sentence after its list of documents
        if signed and _DOC_HEAD.search(s.text, signed.end()):
            listing = s.text[signed.end() :]
            rest = ""
            for pattern, _, _ in _INTENTS:
                if m := pattern.search(listing):
                    listing, rest = listing[: m.start()], listing[m.start() :]
                    break
            listing = re.sub(r",?\s*(?:а также|и)\s*$", "", listing)
            for title, kind in split_documents(listing):
                period = find_period(title, None)
                out.append(
                    Agreement(
                        title=title,
                        kind=kind,
                        status=AgreementStatus.signed,
                        parties=parties,
                        sector=None,
                        period=Period(text=period[0], start=period[1], end=period[2])
                        if period and period[1]
                        else None,
                        evidence=[Evidence(quote=s.text)],
                    )
                )
            if not rest:
                continue
        text = rest if signed and rest else s.text
        for pattern, kind, status in _INTENTS:
            m = pattern.search(text)
            if not m:
                continue
            title = _title_after(text, m.end())
            if len(title.split()) < 2:
                break
            head = _DOC_HEAD.match(title)
            if head and status is AgreementStatus.proposed:
                kind = document_kind(head.group("head"))
            out.append(
                Agreement(
                    title=title,
                    kind=kind,
                    status=status,
                    parties=parties,
                    sector=None,
                    period=None,
                    evidence=[Evidence(quote=s.text)],
                )
            )
            break
    return out
