"""What a figure's clause says of it besides the measured noun: a target or a level, and its period.

A target is a figure the text sets as a goal: an infinitive or a future verb before "до"
("довести до", "увеличится до"), a plan word ("планируется", "может быть увеличен", "цель"), or a
deadline ("к 2030 году"). A past verb, a gerund or "удалось" before "до" is a level reached
("увеличился до 310 тысяч тонн", "удалось снизить до 10-ти процентов"). A future verb alone
("мощность составит 1860 МВт") is a design figure, a level. The period is the one stated nearest
before the figure in its clause, else right after it ("до 10 млрд к 2030 году"); relative
periods ("в ближайшие три года", "за тот же период", "в 2024-м") count too.
"""

from __future__ import annotations

import datetime as dt
import re

from extractor.offline.countries import country_of_word as country_codes
from extractor.offline.dates import find_period
from extractor.offline.nlp import parses

_WORD = re.compile(r"[А-Яа-яЁё]+")
_PLAN = re.compile(
    r"планир|намерен|цел[ьию](?![а-яё])|целев|задач[аиу]|стремим|предусм|прогноз|ожида|"
    r"рассчитыва|(?<![а-яё])мо(?:жет|гут|жно)(?![а-яё])|(?<![а-яё])буд(?:ет|ут)(?![а-яё])",
    re.IGNORECASE,
)
_DEADLINE = re.compile(
    r"(?<![а-яё])к\s+(?:концу\s+|началу\s+)?\d{4}(?:-му)?\s*(?:году|г\.)", re.IGNORECASE
)
_REACHED = re.compile(r"(?<![а-яё])(?:удалось|смогл[иа]?|смог|позволил[аио]?)\s+$", re.IGNORECASE)
_CAPABLE = re.compile(
    r"(?<![а-яё])(?:позвол[а-яё]+|способн[а-яё]*|сможет|смогут|рассчитан[а-яё]*\s+на)\s+$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(
    r"[;:]|(?<=[а-яё]),\s+(?:а|но|однако|при\s+этом|что|как)\s|(?<![а-яё])что\s"
)
# A goal as a verbal noun: "работают над доведением товарооборота до", "рассмотреть
# возможность увеличения транзита до".
_GOAL_NOUN = re.compile(r"(?<![а-яё])(?:доведени|увеличени|наращивани|расширени)", re.IGNORECASE)
# Verbs whose object is an amount: a plan to do them sets a target ("планируют вложить $300 млн").
_AMOUNT_VERBS = re.compile(
    r"^(?:довести|увеличить|нарастить|вложить|инвестировать|направить|выделить|поставить|"
    r"поставлять|экспортировать|достичь|достигнуть|перевезти|привлечь|снизить|сократить|"
    r"предоставить|обеспечить)$",
    re.IGNORECASE,
)
# The same verbs as passive participles: "будет доведена до", "может быть увеличен до".
_AMOUNT_PARTICIPLE = re.compile(
    r"^(?:доведен|доведён|увеличен|нарощен|вложен|инвестирован|направлен|выделен|поставлен|"
    r"снижен|сокращен|сокращён|предоставлен|обеспечен)",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"(?<![а-яё])(?:в|за|на)\s+(?:ближайшие|последние|следующие|предстоящие|прошедшие)\s+"
    r"(?:[а-яё]+|\d+)\s+(?:год[аы]?|лет|месяц[а-яё]*|недел[а-яё]*)(?![а-яё])"
    r"|(?<![а-яё])(?:в|за)\s+(?:[а-яё]+-)?[а-яё]+(?:ый|ий|ой)\s+период(?:\s+(?P<pyear>\d{4})\s+года)?"
    r"(?![а-яё])"
    r"|(?<![а-яё])(?:за|в)\s+(?:(?:первый|второй|третий|четвертый|четвёртый|прошлый|текущий)\s+)?"
    r"квартал(?![а-яё])"
    r"|(?<![а-яё])по\s+итогам\s+(?:\d{4}\s+)?года(?![а-яё])"
    r"|(?<![а-яё])ежегодно(?![а-яё])"
    # "в маловодные годы" (a kind of year), not the vague "в ближайшие годы"
    r"|(?<![а-яё])в\s+(?!ближайш|последн|следующ|предстоящ|прошедш)[а-яё]+(?:ые|ие)\s+годы(?![а-яё])"
    r"|(?<![а-яё])за\s+(?:тот\s+же|аналогичный)\s+период(?![а-яё])"
    r"|(?<![а-яё])в\s+(?P<year>\d{4})-м(?:\s+году)?(?![а-яё])",
    re.IGNORECASE,
)

_TAIL_END = re.compile(r"[;:]|\.(?:\s|$)|,\s+(?:а|но|что|котор[а-яё]+)\s")

Period = tuple[str, str | None, str | None]


def _verb_before(before: str) -> tuple[str, str] | None:
    """The nearest verb form among the last words before a figure: (word, its tag), or None."""
    words = _WORD.findall(before[-80:])
    for w in reversed(words[-6:]):
        top = parses(w)[0]
        if top.tag.POS in ("VERB", "INFN", "GRND", "PRTS"):
            return w, str(top.tag)
    return None


def is_target(up_to: bool, before: str, after: str) -> bool:
    """Whether the clause sets a figure as a goal rather than stating a level reached."""
    clause = _CLAUSE_END.split(before)[-1]
    deadline = _DEADLINE.search(clause) or _DEADLINE.match(after.lstrip(" ,"))
    words = _WORD.findall(clause)
    if not up_to and words and "ablt" in str(parses(words[-1])[0].tag):
        return False  # "зону площадью 120 гектаров": a size of a thing, not a goal
    verb = _verb_before(clause)
    tag = verb[1] if verb else ""
    plan = bool(_PLAN.search(clause))
    if "PRTS" in tag and verb is not None:
        # "будет доведена до", "может быть увеличен до" (not "было доведено", "будет построено 50")
        return bool(_AMOUNT_PARTICIPLE.match(verb[0])) and (plan or bool(deadline))
    if "past" in tag or "GRND" in tag:
        return False  # "увеличился до 310 тысяч тонн", "увеличившись до": a level reached
    if "INFN" in tag and verb is not None:
        if _REACHED.search(clause[: clause.rfind(verb[0])]):
            return False  # "удалось снизить до 10%"
        if _CAPABLE.search(clause[: clause.rfind(verb[0])]):
            return False  # "позволит перевозить до 15 млн тонн": a capacity, not a goal
        amount = bool(_AMOUNT_VERBS.match(verb[0]))
        return up_to or bool(deadline) or (plan and amount)
    if deadline:
        return True
    if "futr" in tag and verb is not None:
        # "Китай предоставит 1,5 млрд юаней", "направит не менее 500 млн кубометров"; but
        # "мощность составит 1860 МВт" is a design figure
        lemma = str(parses(verb[0])[0].normal_form)
        if up_to or _AMOUNT_VERBS.match(lemma):
            return True
    if up_to:
        return "futr" in tag or plan or bool(_GOAL_NOUN.search(clause))
    return False


def _relative(text: str) -> list[tuple[int, Period]]:
    out = []
    for m in _RELATIVE.finditer(text):
        year = m.group("year") or m.group("pyear")
        out.append((m.end(), (m.group(0), year, year)))
    return out


# A flow over time (trade, exports, freight): a later figure of one with no period of its own is
# of the period last stated ("в январе–феврале 2025 года товарооборот… . Экспорт снизился…").
_FLOW = re.compile(
    r"товарооборот|торговл|экспорт|импорт|поставк|перевоз|грузоперевоз|транзит|грузооборот|"
    r"грузопоток|добыч|выработк|производств",
    re.IGNORECASE,
)


def flow_of(name: str) -> str | None:
    """The flow a metric's name measures ("торговл", "экспорт"), whose period carries on, or None."""
    m = _FLOW.search(name)
    return m.group(0).lower() if m else None


def period_of(before: str, after: str, published: dt.date | None) -> Period | None:
    """The period of a figure: the last one stated before it in its sentence, else right after."""
    found: list[tuple[int, Period]] = _relative(before)
    pos = 0
    while (hit := find_period(before[pos:], published)) is not None:
        pos = before.index(hit[0], pos) + len(hit[0])
        found.append((pos, hit))
    if found:
        return max(found, key=lambda x: x[0])[1]
    tail = _TAIL_END.split(after, maxsplit=1)[0][:60]
    if (hit := find_period(tail, published)) is not None and tail.find(hit[0]) <= 25:
        return hit
    rel = [p for p in _relative(tail) if tail.find(p[1][0]) <= 25]
    return rel[0][1] if rel else None


# A flow between the article's parties: "товарооборот", "взаимная торговля", "между двумя
# странами", "двусторонний" — its scope is both parties, even when the sentence names one.
_BILATERAL = re.compile(
    r"товарооборот|взаимн[а-яё]+\s+торговл|между\s+(?:двумя\s+|нашими\s+|обеими\s+)?странами|"
    r"двусторонн|обе(?:их|ими)\s+стран",
    re.IGNORECASE,
)
# What a figure measures of a project: its size, cost or output.
_PROJECT_ATTRIBUTE = re.compile(
    r"мощност|протяж|длин|стоимост|способност|выработк|площад", re.IGNORECASE
)


_TERRITORY = re.compile(r"(?:на|по)\s+территори[а-яё]+\s+([А-ЯЁ][а-яё]+)")


def scope_countries(
    name: str,
    sentence: str,
    named: list[str],
    parties: list[str],
    projects: list[tuple[list[str], list[str]]],
) -> list[str]:
    """The countries a figure is about.

    Args:
        name: What the figure measures.
        sentence: Its sentence.
        named: The countries its sentence names or implies.
        parties: The article's parties.
        projects: (countries, quotes) of the article's projects.

    Returns:
        A project's countries for a size of the one project its sentence names; the parties
        added for a flow between them; else the countries named, else the parties.
    """
    territory = _TERRITORY.search(sentence)
    if territory and _PROJECT_ATTRIBUTE.search(name):
        # "протяженностью 152 км на территории Казахстана": the stretch in that country
        codes = country_codes(territory.group(1))
        if codes:
            return codes[:1]
    if _PROJECT_ATTRIBUTE.search(name):
        owners = [c for c, quotes in projects if sentence in quotes and c]
        if len(owners) == 1:
            return list(owners[0])
    if _BILATERAL.search(name) or _BILATERAL.search(sentence):
        if len(named) < 2 and len(parties) >= 2:
            return list(dict.fromkeys([*named, *parties[:2]]))
    return named or list(parties)


# "увеличить с 15 до 25 млн тонн": a change from one level to another, two figures.
_FROM_TO_VERB = re.compile(
    r"увелич|нарастить|наращ|расшир|довести|довед|вырос|вырас|возрос|сократ|сниз|сниж|уменьш|упал",
    re.IGNORECASE,
)


def is_from_to(surface: str, before: str) -> bool:
    """Whether a range figure is a change "с X до Y" after a change verb, not a spread."""
    return bool(re.match(r"с\s", surface, re.IGNORECASE)) and bool(
        _FROM_TO_VERB.search(before[-80:])
    )
