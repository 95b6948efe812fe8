"""Metrics: every figure of the article attached to what it measures, with kind and period.

Figures come from the figure engine (``find_figures``). Dates, years and durations are not
metrics (a duration such as "за 10 месяцев" is the period of another figure). The measured
quantity is the nearest measure noun phrase before the figure in its sentence ("объем взаимной
торговли"), else the noun phrase after it ("18 тысяч контейнерных поездов"), else, for a
pronoun ("увеличить его до"), the quantity of the previous figure.
"""

from __future__ import annotations

import datetime as dt
import re

from extractor.core.figures import Figure, find_figures
from extractor.lexicon.stopwords import function_words
from extractor.offline.countries import countries_in
from extractor.offline.metric_context import (
    flow_of,
    is_from_to,
    is_target,
    period_of,
    scope_countries,
)
from extractor.offline.nlp import Sentence, parses, sentence_of
from schemas.enums import FigureKind, MetricKind, Qualifier
from schemas.records import Evidence, Metric, Period, Project, Scope

_MEASURES = (
    "товарооборот",
    "объем",
    "объём",
    "торговл",
    "экспорт",
    "импорт",
    "поставк",
    "инвестици",
    "протяженност",
    "протяжённост",
    "длин",
    "мощност",
    "стоимост",
    "способност",
    "площад",
    "грузооборот",
    "транзит",
    "добыч",
    "производств",
    "выработк",
    "тариф",
    "цен",
    "доля",
    "долю",
    "прокладк",
    "перевоз",
    "сумм",
    "высот",
    "капитал",
    "числ",
    "количеств",
)
_CONTAINERS = (
    "объем",
    "объём",
    "стоимост",
    "протяж",
    "доля",
    "долю",
    "мощност",
    "площад",
    "способност",
)
_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁёA-Za-z0-9]+)*")
_STOP = function_words()
_CHANGE_VERBS = re.compile(
    r"вырос|вырас|увелич|сократ|снизи|сниж|упал|прирост|рост|больше|меньше|выше|ниже|подскоч"
)
# The direction word nearest before a change figure decides its sign: a fall is negative
# ("снизился на 3,2%" -> -3.2), as the schema asks; "вырос на 5%, а импорт снизился на 3%"
# reads each figure with its own verb.
_DIRECTION = re.compile(
    r"(?P<fall>сократ|сокращ|сниз|сниж|упал|упад|паден|уменьш|меньше|ниже|подешев)"
    r"|(?P<rise>вырос|вырас|увелич|прирост|рост|больше|выше|подскоч|подорож|повы[сш])"
)
_PRONOUN = re.compile(r"(?<![а-яё])(?:он|она|оно|его|её|ее)(?![а-яё])", re.IGNORECASE)
_SKIP_KINDS = frozenset({FigureKind.date, FigureKind.year, FigureKind.duration})
_NAME_UNITS = frozenset({"kV"})
# A bare number right after a word in capitals is part of a name: "МИР 24", "ТНТ 4".
_NAME_BEFORE = re.compile(r"(?<![А-ЯЁа-яё])[А-ЯЁ]{2,}[ \u00a0]+$")
# What a count counts when it measures nothing: papers signed, people, meetings, countries.
_NOT_MEASURED = frozenset(
    "документ соглашение меморандум договор протокол человек участник делегация встреча "
    "заседание раунд визит страна государство лидер министр".split()
)


# Measure nouns read by their lemma: their stems begin other words too.
_BY_LEMMA = ("число", "сумма", "высота")
# A change stated against the figure before it: ", что на 23% больше", ", что в 2 раза выше".
_COMPARED = re.compile(r",\s*что\s+(?:на|в)\s*$", re.IGNORECASE)


def _is_measure(word: str) -> bool:
    low = word.lower()
    if low.startswith("цен"):  # "цена", not "центр" or "ценности"
        return any(p.normal_form == "цена" for p in parses(word)[:2])
    if low in ("путь", "пути"):  # a way shortened or lengthened; not "путем" (by means of)
        return True
    # "число", "сумма", "высота"; not "численность", "в числе"
    if low.startswith(("числ", "сумм", "высот")):
        return low not in ("числе", "числу") and any(
            p.tag.POS == "NOUN" and p.normal_form in _BY_LEMMA for p in parses(word)[:2]
        )
    return low.startswith(_MEASURES)


def _spelled_as(form: str, word: str) -> str:
    """An inflected form in the text's spelling: no "ё" where the text writes "е"."""
    return form if "ё" in word.lower() else form.replace("ё", "е")


def _to_nominative(word: str, *, head: bool, like: object | None = None) -> str:
    """Put a measure word (head noun or an adjective before it) in the nominative.

    A head keeps the number ``like`` gives ("plur" or "sing"), else its first reading's; an
    adjective agrees with the head's gender and number in ``like``.
    """
    top = parses(word)[0]
    if head and "nomn" in top.tag and top.tag.POS == "NOUN" and like is None:
        return word.lower()
    for p in parses(word)[:3]:
        if head and p.tag.POS == "NOUN":
            number = "plur" if "plur" in p.tag and "Pltm" not in p.tag else "sing"
            if isinstance(like, str) and "Pltm" not in p.tag:
                number = like
            form = p.inflect({"nomn", number})
            return _spelled_as(str(form.word), word) if form else word.lower()
        if not head and p.tag.POS in ("ADJF", "PRTF"):
            grams = {"nomn"}
            if like is not None:
                grams |= {g for g in ("masc", "femn", "neut", "plur") if g in like}  # type: ignore[operator]
            if "plur" not in grams:
                grams.add("sing")
            form = p.inflect(grams)
            return _spelled_as(str(form.word), word) if form else word.lower()
    return word.lower()


def _head_number(words: list[str], i: int) -> str | None:
    """The number of a head noun where its form is ambiguous ("перевозки": of one or many).

    An adjective before it agrees with it ("контейнерные перевозки"); a verb before it takes it
    as an object ("довести перевозки": only the plural is an accusative); a plural verb after it
    has it as its subject ("перевозки выросли"). None when nothing tells.
    """
    readings = [p for p in parses(words[i]) if p.tag.POS == "NOUN"]
    plural = any("plur" in p.tag and ("nomn" in p.tag or "accs" in p.tag) for p in readings)
    if not plural:
        return None
    if i > 0:
        prev = parses(words[i - 1])[0]
        if prev.tag.POS in ("ADJF", "PRTF") and ("nomn" in prev.tag or "accs" in prev.tag):
            return "plur" if "plur" in prev.tag else "sing"
        if prev.tag.POS in ("VERB", "INFN"):
            singular_accs = any("sing" in p.tag and "accs" in p.tag for p in readings)
            return None if singular_accs else "plur"
    if i + 1 < len(words):
        nxt = parses(words[i + 1])[0]
        if nxt.tag.POS == "VERB" and "plur" in nxt.tag:
            return "plur"
    return None


def measure_before(clause: str) -> str | None:
    """The measure noun phrase nearest the end of a clause ("объема взаимной торговли" form).

    The head is put in the nominative; up to three genitive or adjective words after it are kept
    as written, stopping at a preposition or a verb; an adjective right before the head
    ("проектная мощность", "взаимную торговлю") is kept and agreed.
    """
    words = list(_WORD.finditer(clause))
    for i in range(len(words) - 1, -1, -1):
        w = words[i].group(0)
        if not _is_measure(w):
            continue
        for back in (1, 2):
            if i - back >= 0 and words[i - back].group(0).lower().startswith(_CONTAINERS):
                i -= back
                w = words[i].group(0)
                break
        head_parse = next((p for p in parses(w) if p.tag.POS == "NOUN"), None)
        if head_parse is None:
            continue
        number = _head_number([x.group(0) for x in words], i)
        head = _to_nominative(w, head=True, like=number)
        out = [head]
        if i > 0:
            prev = words[i - 1].group(0)
            if any(p.tag.POS == "ADJF" for p in parses(prev)[:1]) and prev.lower() not in _STOP:
                agree = {g for g in ("masc", "femn", "neut") if g in head_parse.tag}
                agree |= {"plur"} if number == "plur" else set()
                out.insert(0, _to_nominative(prev, head=False, like=agree))
        nouns = 0
        prev_end = words[i].end()
        for nxt in words[i + 1 : i + 7]:  # a genitive tail: "Бакинского ... торгового порта"
            t = nxt.group(0)
            top = parses(t)[0]
            if re.search(r"[\d.!?]", clause[prev_end : nxt.start()]):
                break  # a figure or a sentence end: "объемом 19,5 млрд кубометров" ends the name
            prev_end = nxt.end()
            acronym = t.split("-")[0].isupper() and len(t) > 1
            if t.lower() in _STOP or nouns == 2:
                break
            if not acronym and (top.tag.POS not in ("NOUN", "ADJF") or "nomn" in top.tag):
                break
            if not acronym and "gent" not in top.tag and not t[:1].isupper():
                break
            out.append(t)
            nouns += acronym or top.tag.POS == "NOUN"
        return " ".join(out)
    return None


# A flow stated by its verb: "Кыргызстан импортировал 2,1 млрд кВт·ч электроэнергии" measures
# the import of electricity. (verb stem, the noun of the flow)
_FLOW_VERBS = (
    ("импортир", "импорт"),
    ("экспортир", "экспорт"),
    ("постав", "поставки"),
    ("влож", "инвестиции"),
    ("инвестир", "инвестиции"),
    ("перевез", "перевозки"),
    ("перевоз", "перевозки"),
    ("добы", "добыча"),
    ("транспортир", "транспортировка"),
)
# Subjects that say what is planned or who acts, never what is measured.
_NOT_A_MEASURE = frozenset(
    "цель задача план сторона страна вопрос проект решение правительство год месяц период "
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()
)
# Words that name a country without being about it: a currency ("долларов США") and seas and
# oceans ("портов Индийского океана").
_NOT_A_COUNTRY = re.compile(
    r"доллар[а-яё]*\s+США|[А-ЯЁ][а-яё]+(?:ого|ий|ое|ом|ому)\s+(?:океан|мор[яеюь])[а-яё]*"
)
_CONTRAST = re.compile(r";|,\s+(?:а|но|однако)\s")
_CLAUSE_START = re.compile(r"[,;:]\s+(?:а|но|и|что|однако)?\s*|(?<![а-яё])что\s")


def measure_of_clause(before: str, after: str, *, flows_only: bool = False) -> str | None:
    """What a figure measures when no measure noun precedes it in its clause.

    A flow verb names the flow and the genitive after the figure its object ("импортировал 2,1
    млрд кВт·ч электроэнергии" -> "импорт электроэнергии"); else the subject of the clause's verb
    ("дефицит достигает 20%" -> "дефицит").
    """
    clause = _CLAUSE_START.split(before)[-1]
    words = _WORD.findall(clause)
    for back, w in enumerate(reversed(words[-4:])):
        top = parses(w)[0]
        if top.tag.POS not in ("VERB", "INFN", "PRTS"):
            continue
        noun = next((n for stem, n in _FLOW_VERBS if w.lower().startswith(stem)), None)
        if noun is not None:
            obj = next(
                (
                    t
                    for t in _WORD.findall(after)[:2]
                    if "gent" in parses(t)[0].tag and parses(t)[0].tag.POS == "NOUN"
                ),
                None,
            )
            return f"{noun} {obj}" if obj else noun
        if flows_only:
            return None
        subject = [
            x
            for x in words[: len(words) - back - 1]
            if parses(x)[0].tag.POS == "NOUN"
            and "nomn" in parses(x)[0].tag
            and "anim" not in parses(x)[0].tag
            and parses(x)[0].normal_form not in _NOT_A_MEASURE
        ]
        if subject and not subject[-1][:1].isupper():
            return _to_nominative(subject[-1], head=True)
        return None
    return None


def measure_after(tail: str) -> str | None:
    """The noun phrase right after a bare count, in the nominative ("контейнерные поезда"), or None."""
    words = [m.group(0) for m in _WORD.finditer(tail)][:3]
    out: list[str] = []
    for w in words:
        top = parses(w)[0]
        if w.lower() in _STOP or top.tag.POS not in ("NOUN", "ADJF"):
            break
        out.append(w)
        if top.tag.POS == "NOUN":
            head = _to_nominative(w, head=True)
            noun = next(p for p in parses(w) if p.tag.POS == "NOUN")
            plural = "plur" in noun.tag and "Pltm" not in noun.tag
            like = {"plur"} if plural else {g for g in ("masc", "femn", "neut") if g in noun.tag}
            return " ".join([*(_to_nominative(a, head=False, like=like) for a in out[:-1]), head])
    return None


# Money a subject spends: "направил на модернизацию каналов 120 млрд тенге" -> "расходы на
# модернизацию каналов".
_SPENT = re.compile(
    r"(?<![а-яё])(?:направ|выдел|потрат|израсходова)[а-яё]*\s+(?P<on>на\s+[^,.;]{3,60}?)?\s*$",
    re.IGNORECASE,
)
# A share of a substance lost: "до 40% воды теряется" -> "потери воды".
_LOST = re.compile(r"^\s*(?P<what>[а-яё]+)\s+(?:теря|утрачива)[а-яё]*", re.IGNORECASE)


def _spending(fig: Figure, own: str) -> str | None:
    """What money is spent on, when a spending verb stands right before the sum."""
    if fig.kind is not FigureKind.money:
        return None
    m = _SPENT.search(own)
    if m is None:
        return None
    return f"расходы {m.group('on').strip()}" if m.group("on") else "расходы"


def _loss(fig: Figure, after: str) -> str | None:
    """A percent of a substance that is lost ("40% воды теряется") measures its losses."""
    m = _LOST.match(after)
    if fig.unit != "%" or m is None or "gent" not in parses(m.group("what"))[0].tag:
        return None
    return f"потери {m.group('what')}"


# Units of an amount of a substance: "500 млн кубометров воды" is a volume of water.
_AMOUNT_UNITS = frozenset({"m3", "t", "kWh", "bcm"})


def _substance_after(fig: Figure, after: str) -> str | None:
    """What an amount counts when a genitive noun follows its unit and nothing before names it.

    "не менее 500 млн кубометров воды" -> "объем воды"; "1,5 млрд юаней безвозмездной помощи"
    -> "безвозмездная помощь". A percent ("40% воды") is left to the other rules.
    """
    if fig.unit is None or fig.unit == "%":
        return None
    words = [m.group(0) for m in _WORD.finditer(after[:60])][:3]
    lead: list[str] = []
    for w in words:
        top = parses(w)[0]
        if w.lower() in _STOP or "gent" not in top.tag or top.tag.POS not in ("NOUN", "ADJF"):
            return None
        if top.tag.POS == "ADJF":
            lead.append(w)
            continue
        if fig.unit in _AMOUNT_UNITS:
            return " ".join(["объем", *lead, w])
        if fig.kind is FigureKind.money:
            gender = {g for g in ("masc", "femn", "neut") if g in top.tag}
            adjs = [_to_nominative(a, head=False, like=gender) for a in lead]
            return " ".join([*adjs, _to_nominative(w, head=True, like="sing")])
        return None
    return None


def metric_kind(fig: Figure, before: str, after: str = "") -> MetricKind:
    """level, change ("увеличившись на 14%") or target ("увеличить до 1 млрд")."""
    near = before[-60:].lower()
    by = re.search(r"(?<![а-яё])на\s*$", near)
    if fig.unit == "x" or (
        by and (_CHANGE_VERBS.search(near) or _CHANGE_VERBS.match(after.lstrip().lower()))
    ):
        return MetricKind.change
    if is_target(fig.qualifier is Qualifier.up_to, before, after):
        return MetricKind.target
    return MetricKind.level


def is_fall(before: str, after: str = "") -> bool:
    """Whether the direction word nearest before a change figure (else right after it) is a fall."""
    near = list(_DIRECTION.finditer(before[-60:].lower()))
    if near:
        return near[-1].group("fall") is not None
    m = _DIRECTION.search(after.lower())
    return m is not None and m.group("fall") is not None


def is_metric_figure(fig: Figure, text: str) -> bool:
    """Whether a figure is a metric: not a date, year or duration, not a bare small word count.

    Nor a vague amount ("несколько миллионов евро"): its value is only a lower bound, and a
    metric made of it could never be verified. Nor a voltage ("ЛЭП 500 кВ" names the class of a
    line), a number in a name ("МИР 24"), or a count of documents, people or
    meetings ("подписано 15 документов"): none is a measured quantity.
    """
    if fig.kind in _SKIP_KINDS or fig.vague or fig.unit in _NAME_UNITS:
        return False
    surface = text[fig.start : fig.end]
    if fig.kind is not FigureKind.count:
        return True
    if fig.value <= 10 and not re.search(r"\d", surface):
        return False
    if surface[:1].isdigit() and _NAME_BEFORE.search(text[max(0, fig.start - 30) : fig.start]):
        return False
    return counted_noun(text[fig.end : fig.end + 40]) not in _NOT_MEASURED


def counted_noun(after: str) -> str | None:
    """The lemma of the noun a bare count counts ("15 документов" -> "документ"), or None."""
    for m in list(_WORD.finditer(after))[:3]:
        p = parses(m.group(0))[0]
        if p.tag.POS == "NOUN":
            return str(p.normal_form)
        if p.tag.POS not in ("ADJF", "PRTF"):
            return None
    return None


def find_metrics(
    text: str,
    sents: list[Sentence],
    default_countries: list[str],
    published: dt.date | None,
    skip: tuple[int, int] | None = None,
    projects: list[Project] | None = None,
) -> list[Metric]:
    """A metric for every figure that measures something, with evidence = its sentence.

    Args:
        text: The article text.
        sents: Its sentences.
        default_countries: Countries to scope a figure to when its sentence names none.
        published: The header date, to resolve "текущего года" in periods.
        skip: A span that holds no figure (the dateline: "АШХАБАД, 11 ноя — МИР 24.").
        projects: The article's projects: a size of the one project a sentence names is
            scoped to that project's countries.

    Returns:
        Metrics in text order.
    """
    out: list[Metric] = []
    last_name: str | None = None
    flow_periods: dict[str, tuple[str, str | None, str | None]] = {}
    owners = [(p.countries, [e.quote for e in p.evidence]) for p in projects or []]
    for fig in find_figures(text):
        if skip is not None and fig.start < skip[1] and fig.end > skip[0]:
            continue
        if not is_metric_figure(fig, text):
            continue
        sent = sentence_of(sents, fig.start)
        if sent is None:
            continue
        before = text[sent.start : fig.start]
        after = text[fig.end : sent.end]
        # a flow verb right before the figure names what it measures, whatever came earlier
        # the figure's own clause first: "Импорт вырос, а дефицит достигает 20%"
        own = _CONTRAST.split(before)[-1]
        name = (
            _spending(fig, own)
            or _loss(fig, after)
            or measure_of_clause(before, after, flows_only=True)
            or measure_before(own)
        )
        if _COMPARED.search(before) and out and out[-1].evidence[0].quote == sent.text:
            # "экспортировал 1,8 млрд кВт·ч, что на 23% больше, чем годом ранее": the change of
            # the figure before it in the sentence
            name = out[-1].name
        if name is None and fig.kind is FigureKind.count:
            name = measure_after(after)
        if name is None:
            name = measure_of_clause(before, after) or _substance_after(fig, after)
        if name is None:
            name = measure_before(before)
        if name is None and _PRONOUN.search(before):
            name = last_name
        if name is None:
            name = measure_before(text[max(0, sent.start - 300) : sent.start]) or last_name
        if name is None:
            name = "показатель"
        last_name = name
        kind = metric_kind(fig, before, after[:40])
        value, value_max = fig.value, fig.value_max
        if kind is MetricKind.change and value > 0 and is_fall(before, after[:20]):
            value, value_max = -value, (-value_max if value_max is not None else None)
        period = period_of(before, after, published)
        flow = flow_of(name)
        if period is None and kind is not MetricKind.target and flow is not None:
            # "Товарооборот … в январе–феврале 2025 года … . Товарооборот с ним снизился на 4%"
            period = flow_periods.get(flow)
        elif period is not None and kind is not MetricKind.target and flow is not None:
            flow_periods[flow] = period
        named = countries_in(_NOT_A_COUNTRY.sub(" ", sent.text))
        countries = scope_countries(name, sent.text, named, default_countries, owners)
        metric = Metric(
            name=name,
            value=value,
            value_max=value_max,
            unit=fig.unit,
            qualifier=fig.qualifier,
            kind=kind,
            period=Period(text=period[0], start=period[1], end=period[2]) if period else None,
            scope=Scope(countries=countries, route=[]),
            evidence=[Evidence(quote=sent.text)],
        )
        if value_max is not None and is_from_to(text[fig.start : fig.end], before):
            # "увеличить с 15 до 25 млн тонн": the level it starts from, and where it goes
            start, end = (value_max, value) if is_fall(before) else (value, value_max)
            to_kind = MetricKind.target if is_target(True, before, after) else MetricKind.level
            level = {"value_max": None, "qualifier": Qualifier.exact, "kind": MetricKind.level}
            out.append(metric.model_copy(update={**level, "value": start}))
            out.append(
                metric.model_copy(
                    update={
                        "value": end,
                        "value_max": None,
                        "qualifier": Qualifier.up_to,
                        "kind": to_kind,
                    }
                )
            )
            continue
        out.append(metric)
    return _without_headline_repeats(out, text)


def _without_headline_repeats(metrics: list[Metric], text: str) -> list[Metric]:
    """Drop a headline's figure that the body states again (one fact, told twice).

    A headline is a line near the top of the article with no closing punctuation: the title,
    after any navigation lines ("Новости | Экономика").
    """
    headlines = {
        line.strip()
        for line in text[:800].splitlines()
        if len(line.split()) >= 3 and not line.rstrip().endswith((".", "!", "?", "…", ":"))
    }
    if not headlines:
        return metrics

    def key(m: Metric) -> tuple[float, float | None, str | None]:
        return (m.value, m.value_max, m.unit)

    def in_headline(m: Metric) -> bool:
        return m.evidence[0].quote.strip() in headlines

    body = {key(m) for m in metrics if not in_headline(m)}
    return [m for m in metrics if not in_headline(m) or key(m) not in body]
