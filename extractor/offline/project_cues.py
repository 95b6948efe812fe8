"""Word lists for projects: status cues and well-known acronyms (named sites are the lexicon's).

Kept apart from the matching code in ``projects`` so the rules read as grammar and the lists as
data. Status cues are ordered by strength: a stage the text states as a fact (being built,
in service) outranks a proposal, a proposal a plan ("предложил создать" is a proposal), and
"discussed" is the weakest, since talks about a project say nothing of its stage.
"""

from __future__ import annotations

import re

from extractor.lexicon import places
from schemas.enums import ProjectStatus

STATUS_CUES: tuple[tuple[re.Pattern[str], ProjectStatus], ...] = (
    (
        re.compile(
            r"строящ|строится|строятся|возводи[тм]|возводя|под\s+строительств|"
            r"в\s+стадии\s+строительств|(?:вед[её]тся|ведутся|продолжа\w+|идет|ид[её]т)\s+"
            r"(?:активное\s+)?(?:строительств|прокладк|сооружени)|"
            r"(?:строительств|прокладк|сооружени)\w*\s+(?:[а-яё]+\s+){0,3}?(?:продолжа|вед[её]тся|ид[её]т)|"
            r"ход\w*\s+(?:строительств|реализаци|сооружени)|"
            r"(?:началось|начато|начались|стартовал\w*|приступил\w*\s+к)\s+(?:строительств|прокладк|сооружени)|"
            r"(?:завершен\w*|заверш\w+)\s+прокладк|прокладк\w*\s+(?:[а-яё]+\s+){0,3}?заверш|"
            r"реализуем\w+|реализуется|решается\s+задача|в\s+процессе\s+строительств|"
            # works under way, a facility being created, building begun (participle after it)
            r"(?<![Вв]\s)ход\w*\s+работ\w*\s+(?:по|на)\s|работ[аы]?\s+(?:[а-яё]+\s+){0,3}?(?:вед[её]тся|ведутся|идут|продолжаются)|"
            r"созда[её]тся|создаются|(?:строительств|сооружени|прокладк)\w*\s+(?:[^.;]{0,60}?,\s+)?"
            r"(?:стартовавш|начавш|начат)|"
            # speeding up or finishing a construction means it is under way
            r"(?:ускор|заверш)\w*\s+(?:[а-яё]+\s+)?(?:строительств|сооружени|прокладк)",
            re.I,
        ),
        ProjectStatus.under_construction,
    ),
    (
        re.compile(
            r"введ[её]н\w*\s+в\s+(?:строй|эксплуатаци)|(?:ввели|ввод\w*)\s+в\s+эксплуатаци|"
            r"действующ|функционир|эксплуатиру|запущен\w*|открыт\w*\s+движени|"
            r"уже\s+работа|принима\w+\s+(?:первые\s+)?(?:поезд|суда|груз|контейнер)|обрабатыва",
            re.I,
        ),
        ProjectStatus.operating,
    ),
    (
        re.compile(
            r"подготовк\w*\s+к\s+(?:[а-яё]+\s+){0,2}?(?:строительств|реализаци|сооружени)|"
            r"технико-экономическ\w*\s+обоснован|ТЭО\b",
            re.I,
        ),
        ProjectStatus.planned,
    ),
    (
        re.compile(
            r"(?:предлож|предлага|инициатив|выступил\w*\s+за)\w*\s+(?:[а-яё]+\s+){0,2}?"
            r"(?:постро|созда|проложи|возве|строительств|сооружени|прокладк|реализаци|"
            r"реконструкци|модернизаци|расширени)",
            re.I,
        ),
        ProjectStatus.proposed,
    ),
    (
        re.compile(
            r"планир|запланирован|намерен\w*\s+(?:[а-яё]+\s+)?(?:постро|созда|возвест|проложи|открыт)|"
            r"будет\s+(?:построен|создан|проложен|возведен|введен|открыт|запущен)|"
            r"будут\s+(?:построен|созданы|проложен|введены)|предстоит|"
            r"(?:начн[её]тся|стартует|начать|приступить\s+к)\s+(?:[а-яё]+\s+)?(?:строительств|сооружени|прокладк|создани)|"
            r"(?:строительств|прокладк|сооружени)\w*\s+(?:[а-яё]+\s+){0,3}?(?:начн[её]тся|стартует)|"
            r"план\w*\s+(?:по\s+)?строительств|"
            r"(?:ускорить|ускорени\w*|обеспечить|завершить|начать)\s+(?:[а-яё]+\s+)?(?:создани|строительств)|"
            r"созда(?:ть|ваем\w*|дим)|предусм(?:отрен|атрива)\w*|строительств\w*\s+(?:нов\w+\s+)?(?:[а-яё]+\s+)?будет|станет|"
            # a size stated in the future tense: not built yet
            r"(?:протяж[её]нност|длин|мощност|стоимост)\w*\s+(?:[а-яё]+\s+){0,4}?(?:составит|превысит)|"
            # an agreement or talk about building something: not built yet
            r"(?<![а-яё])об?\s+(?:совместном\s+)?(?:строительств|сооружени|возведени)",
            re.I,
        ),
        ProjectStatus.planned,
    ),
    (re.compile(r"проект\w*\s+строительств", re.I), ProjectStatus.proposed),
    (
        re.compile(
            r"перспектив\w*\s+строительств|"
            r"(?:обсужда|обсуди|обсужден|рассмотрел)[а-яё]*+"
            r"(?!\s+(?:[а-яё]+\s+){0,2}?(?:развити|использовани|транзит|увеличени|загрузк|перевоз))|"
            r"обменялись\s+мнениями",
            re.I,
        ),
        ProjectStatus.discussed,
    ),
)

# Well-known acronyms of the region's multi-country projects: the countries they spell, and the
# head a bare mention of the acronym stands for (None: needs a head word in the text).
ACRONYMS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "ТАПИ": (("TM", "AF", "PK", "IN"), "газопровод"),
    "ТАП": (("TM", "AF", "PK"), None),
    "ТУТАП": (("TM", "UZ", "TJ", "AF", "PK"), "линия электропередачи"),
    "CASA-1000": (("KG", "TJ", "AF", "PK"), "линия электропередачи"),
    "КАСА-1000": (("KG", "TJ", "AF", "PK"), "линия электропередачи"),
}
ACRONYM_OF: dict[tuple[str, ...], str] = {
    codes: acr for acr, (codes, _) in ACRONYMS.items() if acr.isalpha() or acr.startswith("C")
}

# Named fields, plants and sites that are not towns: the gazetteer of the lexicon.
site_country = places.site_country


# Compass words name the ends of a corridor ("коридор Север – Юг", "газопровод «Средняя Азия –
# Центр»"), never a place.
COMPASS = frozenset("Север Юг Запад Восток Центр".split())


# Freight, gas or people moving along a thing, or a thing being used: it is in service
# ("транзит газа по газопроводу", "увеличение грузоперевозок по железной дороге", "использование
# порта", "через центр прошло 2,8 млн тонн"). Read at the mention: the words right before it,
# and for "через" the verb right after it.
_USE_BEFORE = re.compile(
    r"(?:(?:транзит|перевоз|грузоперевоз|грузопоток|поставк|транспортир|экспорт|перекачк)\w*"
    r"(?:\s+[а-яё]+){0,4}\s+(?:по|через)|использовани\w*|загрузк\w*)\s+[«\"]?$",
    re.I,
)
_USE_AFTER = re.compile(
    r"^[»\"]?,?\s*(?:(?:[а-яё]+\s+){0,2}?(?:прош[её]?л\w*|перевезен\w*|переработан\w*|"
    r"транспортиру\w*|проходящ\w*))",
    re.I,
)


def in_use(before: str, after: str) -> bool:
    """Whether the words around a mention say the thing is used (freight along it, through it)."""
    if _USE_BEFORE.search(before[-80:]):
        return True
    return bool(re.search(r"через\s+[«\"]?$", before[-20:], re.I) and _USE_AFTER.match(after))


def status_cue(window: str) -> ProjectStatus | None:
    """The strongest project stage a stretch of text states, or None."""
    for pattern, status in STATUS_CUES:
        if pattern.search(window):
            return status
    return None
