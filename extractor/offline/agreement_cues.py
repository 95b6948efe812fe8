"""The cue words of agreements in Russian diplomatic news: document heads, signing verbs, intents.

A document is named by its head noun ("соглашение", "меморандум", "дорожная карта") and the
words after it; it is signed ("подписали", "были подписаны", "заключено", "ратифицировали",
"обменялись подписанными документами"), adopted ("принята Декларация", "утверждена
программа"), or only planned ("будут подписаны", "планируется подписать"). An intention is read
from its verb ("договорились", "приняли решение", "поручили правительствам", "предложил").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.enums import AgreementKind, AgreementStatus

DOC_HEAD = re.compile(
    r"(?P<adj>(?:(?:меж|внутри)[а-яё]+|двусторонн[а-яё]+|совместн[а-яё]+)\s+)?"
    r"(?P<head>(?<![а-яё])(?:соглашени[а-яё]*|меморандум[а-яё]*|план(?:ы|а|ом)?\b|программ[а-яё]*|"
    r"протокол[а-яё]*|договор(?:ы|а|ом|у)?\b|деклараци[а-яё]*|дорожн[а-яё]+\s+карт[а-яё]*|"
    r"заявлени[а-яё]*|конвенци[а-яё]*|коммюнике\b|контракт(?:ы|а|ом)?\b|концепци[а-яё]*|"
    r"стратеги(?:я|ю|и|ей)\b))",
    re.IGNORECASE,
)
_KINDS = (
    ("соглаш", AgreementKind.agreement),
    ("договор", AgreementKind.agreement),
    ("протокол", AgreementKind.agreement),
    ("конвенц", AgreementKind.agreement),
    ("контракт", AgreementKind.agreement),
    ("меморандум", AgreementKind.memorandum),
    ("план", AgreementKind.plan),
    ("программ", AgreementKind.plan),
    ("концепц", AgreementKind.plan),
    ("стратеги", AgreementKind.plan),
    ("дорожн", AgreementKind.roadmap),
    ("декларац", AgreementKind.declaration),
    ("заявлени", AgreementKind.declaration),
    ("коммюнике", AgreementKind.declaration),
)

# A document signed: a past form of the verb (not the attributive "ранее подписанных"), a
# signing ceremony, a treaty concluded or ratified, signed documents exchanged.
_SIGNED = re.compile(
    r"(?<![а-яё])(?:подписал[аи]?|подписан[аоы]?|заключ(?:ил[аи]?|ен[аоы]?)|"
    r"ратифицировал[аи]?|ратифицирован[аоы]?)(?![а-яё])|"
    r"обменялись\s+подписанными|(?:состоял[аоись]*|прош[ёел][аи]?)\s+(?:церемони[яи]\s+)?"
    r"подписани[ея]",
    re.IGNORECASE,
)
# Signing still ahead: the same list, only proposed.
_FUTURE = re.compile(
    r"(?<![а-яё])(?:(?:будут|будет)\s+(?:также\s+)?(?:подписан[аоы]?|заключен[аоы]?)|"
    r"(?:планиру[а-яё]+|намерен[аы]?|предстоит|ожида[а-яё]+|собира[а-яё]+|готов[а-яё]*)\s+"
    r"(?:к\s+)?(?:подписать|подписанию|подписание|заключить|заключению))(?![а-яё])",
    re.IGNORECASE,
)
# A document adopted or approved without the word "signed".
_ADOPTED = re.compile(
    r"(?<![а-яё])(?:принял[аи]?|принят[аоы]?|утвердил[аи]?|утвержден[аоы]?|одобрил[аи]?|"
    r"одобрен[аоы]?|согласовал[аи]?|согласован[аоы]?|парафировал[аи]?|парафирован[аоы]?)\s+"
    r"(?:(?:текст|проект)\s+)?(?!решени)(?=(?:[а-яё-]+(?:[ыи]й|ой|[ая]я|[ое]е|[ыи]е|[ую]ю)\s+){0,2}"
    r"(?:соглашени|меморандум|план(?:ы|а)?\b|программ|деклараци|дорожн|заявлени|конвенци|"
    r"коммюнике|концепци|стратеги))",
    re.IGNORECASE,
)
# A document still before its parties: its text under review or being agreed.
_PENDING = re.compile(
    r"(?<![а-яё])(?:наход(?:ится|ятся)\s+(?:на\s+(?:стадии\s+)?)?(?:рассмотрени|согласовани|"
    r"проработк|доработк)[а-яё]*|рассматрива(?:ется|ются)|прорабатыва(?:ется|ются)|"
    r"согласовыва(?:ется|ются))(?![а-яё])",
    re.IGNORECASE,
)
NEGATED = re.compile(r"(?:^|\s)(?:не|ни)\s+(?:был[аио]?\s+|удалось\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Signing:
    """Where a sentence says documents were signed (or will be) and with what status."""

    start: int
    end: int
    status: AgreementStatus


def signing(text: str) -> Signing | None:
    """The first signing, future signing or adoption verb of a sentence that is not negated."""
    found: list[Signing] = []
    for pattern, status in (
        (_FUTURE, AgreementStatus.proposed),
        (_SIGNED, AgreementStatus.signed),
        (_ADOPTED, AgreementStatus.agreed),
        (_PENDING, AgreementStatus.under_consideration),
    ):
        for m in pattern.finditer(text):
            if not NEGATED.search(text[: m.start()]):
                found.append(Signing(m.start(), m.end(), status))
                break
    if not found:
        return None
    first = min(found, key=lambda s: s.start)
    # "будут подписаны" also matches "подписаны": the future reading wins where they overlap.
    future = [s for s in found if s.status is AgreementStatus.proposed]
    if future and future[0].end >= first.start and future[0].start <= first.end:
        return future[0]
    return first


INTENTS: tuple[tuple[re.Pattern[str], AgreementKind, AgreementStatus], ...] = (
    (
        re.compile(
            r"(?:предложил[аи]?|предлагает|предлагают|предлагается)\s+(?:[а-яё]+\s+){0,3}?"
            r"рассмотреть",
            re.I,
        ),
        AgreementKind.intent,
        AgreementStatus.proposed,
    ),
    (
        re.compile(
            r"(?:условил\w*|договорил\w*|решил\w*|согласил\w*)\s+рассмотреть|"
            r"рассмотреть\s+(?:вопрос|возможность)|изуч\w+\s+возможность",
            re.I,
        ),
        AgreementKind.intent,
        AgreementStatus.under_consideration,
    ),
    (
        re.compile(
            r"(?<![а-яё])(?:принят[аоы]?|приняли|принял[аи]?)\s+(?:совместное\s+)?решени\w*|"
            r"(?<![а-яё])решено(?![а-яё])|(?<![а-яё])решил[аи]?\s+(?=[а-яё]+(?:ть|ться|чь)(?![а-яё]))",
            re.I,
        ),
        AgreementKind.decision,
        AgreementStatus.agreed,
    ),
    (
        re.compile(
            r"(?<![а-яё])(?:предложил[аи]?|предлагает|предлагают|предлагается)(?![а-яё])|"
            r"выступил[аи]?\s+с\s+(?:инициативой|предложением)|"
            r"выдвинул[аи]?\s+(?:инициативу|предложение)|внес(?:ла|ли)?\s+предложение",
            re.I,
        ),
        AgreementKind.intent,
        AgreementStatus.proposed,
    ),
    (
        re.compile(
            r"(?<![а-яё])(?:договорились|договорилась|договорился|условились|условилась|"
            r"согласились|достигнут[аоы]?\s+(?:договоренност|согласи)\w*|"
            r"достигли\s+(?:договоренност|согласи)\w*|пришли\s+к\s+(?:договоренност|согласи)\w*|"
            r"поручили|поручено|дали\s+поручение|поставлен[аы]\s+(?:задач[аи]|цел[ьи])|условлено|"
            r"постави(?:ли|л|ла)\s+(?:перед\s+[а-яё]+\s+)?(?:задачу|задачи|цель|цели)|"
            r"выразили\s+намерение|"
            r"поддержал[аи]?\s+(?:инициативу|предложение))(?![а-яё])",
            re.I,
        ),
        AgreementKind.intent,
        AgreementStatus.agreed,
    ),
)

# A sentence that goes on with the documents of the signing before it.
LIST_LEAD = re.compile(
    r"^\s*(?:[-–—•*·▪]\s*|\d{1,2}[.)]\s+|[а-яё]\)\s+)?"
    r"(?:(?:среди\s+них|в\s+их\s+числе|в\s+том\s+числе|в\s+частности|это)\s*[-–—:,]?\s*)?",
    re.IGNORECASE,
)
# A sentence that only opens the list of the signing before it ("В их числе:", "Среди них:").
LEAD_ONLY = re.compile(
    r"^\s*(?:среди\s+них|в\s+их\s+числе|в\s+том\s+числе|в\s+частности|это)\s*[-–—:]?\s*$",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*(?:[-–—•*·▪]|\d{1,2}[.)]|[а-яё]\))\s*", re.IGNORECASE)


def document_kind(head: str) -> AgreementKind:
    """The kind of a document from its head word ("меморандумы" -> memorandum)."""
    low = head.lower()
    for stem, kind in _KINDS:
        if low.startswith(stem):
            return kind
    return AgreementKind.agreement
