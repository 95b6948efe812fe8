"""The one canonical units table of the figure engine.

Every surface form a Russian news text uses for a unit (currency words and symbols, percent,
physical units, durations, multiples) maps here to a canonical unit and a multiplier into that
unit's base (``"ГВт"`` -> ``MW`` x 1000, ``"кВт·ч"`` -> ``kWh`` x 1). Scale words ("тыс.",
"млн", "миллиардам", ...) are in :data:`SCALE_ABBREVIATIONS`; their full word forms come from the
numeral lexicon in :mod:`extractor.core.numerals`.

Canonical units: ISO 4217 codes for money; ``"%"`` and ``"pp"`` (percentage points) for
percent; ``t kg km m m2 m3 ha bbl TEU MW kWh kV`` for quantities; ``day week month year`` for
durations; ``"x"`` for multiples ("в два раза").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from schemas.enums import FigureKind

CURRENCIES: frozenset[str] = frozenset(
    {
        "USD",
        "EUR",
        "RUB",
        "KZT",
        "UZS",
        "TMT",
        "KGS",
        "TJS",
        "CNY",
        "GBP",
        "JPY",
        "CHF",
        "UAH",
        "BYN",
        "AZN",
        "AMD",
        "GEL",
        "TRY",
        "INR",
        "KRW",
        "AED",
        "SAR",
        "IRR",
        "AFN",
        "PKR",
        "MNT",
        "HKD",
        "CAD",
        "AUD",
        "SGD",
        "NOK",
        "SEK",
        "DKK",
        "CZK",
    }
)
DURATIONS: frozenset[str] = frozenset({"day", "week", "month", "year"})
PERCENTS: frozenset[str] = frozenset({"%", "pp"})
MULTIPLE = "x"


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A canonical unit and the factor from one surface form into it."""

    unit: str
    multiplier: float = 1.0


def kind_of(unit: str | None) -> FigureKind:
    """Return the figure kind a canonical unit implies (``count`` for no unit)."""
    if unit is None:
        return FigureKind.count
    if unit in CURRENCIES:
        return FigureKind.money
    if unit in PERCENTS:
        return FigureKind.percent
    if unit in DURATIONS:
        return FigureKind.duration
    if unit == MULTIPLE:
        return FigureKind.ratio
    return FigureKind.quantity


# Currency symbols, usable before or after the number ("$1 млрд", "500 млн $").
SYMBOLS: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "CNY",  # in Central Asian trade news ¥ is nearly always the yuan
    "₽": "RUB",
    "₸": "KZT",
    "₴": "UAH",
    "₺": "TRY",
    "₹": "INR",
    "₩": "KRW",
}

_W = r"[а-яё]{0,3}"  # a case ending (at most 3 letters: "-ами"), so "тонн" never reads "тоннелей"
_ADJ = r"[а-яё]*\s+"

# (regex, canonical unit, multiplier).  Order matters: longer and more specific forms first,
# because the alternation takes the first branch that matches.
_UNIT_PATTERNS: list[tuple[str, str, float]] = [
    # --- money: adjective + noun forms first so "гонконгских долларов" is not USD
    (rf"гонконгск{_ADJ}доллар{_W}", "HKD", 1),
    (rf"канадск{_ADJ}доллар{_W}", "CAD", 1),
    (rf"австралийск{_ADJ}доллар{_W}", "AUD", 1),
    (rf"сингапурск{_ADJ}доллар{_W}", "SGD", 1),
    (rf"(?:американск{_ADJ})?доллар{_W}(?:\s+США)?", "USD", 1),
    (r"долл\.?(?:\s+США)?", "USD", 1),
    (r"евро", "EUR", 1),
    (rf"белорусск{_ADJ}рубл{_W}", "BYN", 1),
    (rf"(?:российск{_ADJ})?рубл{_W}", "RUB", 1),
    (r"руб\.?", "RUB", 1),
    (r"тенге|тнг\.?", "KZT", 1),
    (r"(?:узбекск[а-яё]*\s+)?сум(?:ов|а|ам|ами|ах)?", "UZS", 1),
    (rf"азербайджанск{_ADJ}манат{_W}", "AZN", 1),
    (rf"(?:туркменск{_ADJ})?манат{_W}", "TMT", 1),
    (r"сомони", "TJS", 1),
    (r"(?:киргизск[а-яё]*\s+|кыргызск[а-яё]*\s+)?сом(?:а|ов|ам|ами|ах|ом|ы)?", "KGS", 1),
    (rf"юан{_W}", "CNY", 1),
    (r"жэньминьби", "CNY", 1),
    (rf"фунт{_W}(?=[ \u00a0]+\d+[ \u00a0]+унци)", "kg", 0.45359237),  # "8 фунтов 6 унций"
    (rf"фунт{_W}(?:\s+стерлинг{_W})?", "GBP", 1),
    (rf"[иі]ен{_W}|йен{_W}", "JPY", 1),
    (rf"норвежск{_ADJ}крон{_W}", "NOK", 1),
    (rf"шведск{_ADJ}крон{_W}", "SEK", 1),
    (rf"датск{_ADJ}крон{_W}", "DKK", 1),
    (rf"чешск{_ADJ}крон{_W}", "CZK", 1),
    (rf"цент{_W}", "USD", 0.01),
    (r"копе(?:йк[а-яё]{0,3}|ек)|коп\.", "RUB", 0.01),
    (rf"гривн{_W}|гривен", "UAH", 1),
    (rf"(?:швейцарск{_ADJ})?франк{_W}", "CHF", 1),
    (rf"(?:турецк{_ADJ})лир{_W}", "TRY", 1),
    (rf"(?:индийск{_ADJ})?рупи{_W}", "INR", 1),
    (rf"пакистанск{_ADJ}рупи{_W}", "PKR", 1),
    (rf"(?:южнокорейск{_ADJ})?вон", "KRW", 1),
    (r"лари", "GEL", 1),
    (rf"(?:армянск{_ADJ})?драм(?:ов|а|ам|ах)?", "AMD", 1),
    (rf"дирхам{_W}", "AED", 1),
    (rf"саудовск{_ADJ}риял{_W}", "SAR", 1),
    (rf"(?:иранск{_ADJ})?риал{_W}", "IRR", 1),
    (r"афгани", "AFN", 1),
    (rf"тугрик{_W}", "MNT", 1),
    ("|".join(re.escape(k) for k in sorted(SYMBOLS, key=len, reverse=True)), "$", 1),
    (r"USD|EUR|RUB|KZT|UZS|TMT|KGS|TJS|CNY|GBP|JPY|CHF", "", 1),  # ISO code: unit is itself
    # --- percent
    (r"процентн[а-яё]{0,3}\s+пункт[а-яё]{0,3}|п\.\s?п\.", "pp", 1),
    (rf"процент{_W}|проц\.|%", "%", 1),
    # --- energy and power: watt-hours before watts
    (r"(?:т(?:ер)?вт|тераватт)[\s·*⋅.-]?ч(?:ас[а-яё]{0,3})?", "kWh", 1e9),
    (r"(?:гвт|гигаватт)[\s·*⋅.-]?ч(?:ас[а-яё]{0,3})?", "kWh", 1e6),
    (r"(?:мвт|мегаватт)[\s·*⋅.-]?ч(?:ас[а-яё]{0,3})?", "kWh", 1e3),
    (r"(?:квт|киловатт)[\s·*⋅.-]?ч(?:ас[а-яё]{0,3})?", "kWh", 1),
    (r"гвт|гигаватт[а-яё]{0,3}", "MW", 1e3),
    (r"мвт|мегаватт[а-яё]{0,3}", "MW", 1),
    (r"квт|киловатт[а-яё]{0,3}", "MW", 1e-3),
    # --- volume and area
    (
        r"куб(?:\.|ических|ический|ического)?\s?(?:м(?:етр[а-яё]{0,3})?)\b\.?|кубометр[а-яё]{0,3}|м3|м³",
        "m3",
        1,
    ),
    (r"кв(?:\.|адратных|адратный|адратного)?\s?(?:м(?:етр[а-яё]{0,3})?)\b\.?|м2|м²", "m2", 1),
    (rf"гектар{_W}|га", "ha", 1),
    (rf"баррел{_W}", "bbl", 1),
    (r"TEU|ДФЭ", "TEU", 1),
    # --- voltage: "линия 500 кВ" (upper-case В only, so "3 кв." stays a quarter)
    (rf"(?-i:кВ)(?!\.)|киловольт{_W}|(?-i:kV)", "kV", 1),
    # --- mass and length
    (rf"тонн{_W}|т(?!\.\s?[а-яё]\.)\.?", "t", 1),
    (rf"килограмм{_W}|кг", "kg", 1),
    (rf"грамм{_W}", "kg", 1e-3),
    (rf"километр{_W}|км", "km", 1),
    (rf"сантиметр{_W}|см", "m", 0.01),
    (rf"миллиметр{_W}|мм", "m", 0.001),
    (rf"метр{_W}|м", "m", 1),
    # --- durations ("год" forms double as the year marker; the caller decides which)
    (r"дн(?:ей|я|ям|ями|ях)|день|сут(?:ки|ок|кам|ках)", "day", 1),
    (rf"недел{_W}", "week", 1),
    (rf"месяц{_W}|мес\.", "month", 1),
    (r"год(?:а|у|ом|е|ы|ов|ам|ами|ах)?|лет|г\.|гг\.", "year", 1),
    # --- multiples
    (r"раз(?:а)?", "x", 1),
]

_UNIT_INFOS: list[UnitInfo] = [UnitInfo(unit, mult) for _, unit, mult in _UNIT_PATTERNS]

# A space inside a figure: space, no-break, narrow no-break, thin, or an HTML no-break/thin space
# entity left in scraped text ("75&nbsp;%"). Offsets always point into the text as given.
SPACE = r"(?:[ \u00a0\u202f\u2009]|&(?:nbsp|\#160|\#[xX]0*[aA]0|\#8239|\#8201|thinsp);)"

# One alternation with a named group per table row; ``m.lastgroup`` names the row.
UNIT_RE: re.Pattern[str] = re.compile(
    SPACE
    + r"?(?:"
    + "|".join(f"(?P<u{i}>{pat})" for i, (pat, _, _) in enumerate(_UNIT_PATTERNS))
    + r")(?![а-яёa-z0-9])",
    re.IGNORECASE,
)

SCALE_ABBREVIATIONS: dict[str, float] = {
    "тыс": 1e3,
    "тыщ": 1e3,
    "млн": 1e6,
    "млрд": 1e9,
    "трлн": 1e12,
}


def unit_from_match(m: re.Match[str]) -> UnitInfo:
    """Return the unit of a :data:`UNIT_RE` match."""
    name = m.lastgroup
    if name is None:  # pragma: no cover - every branch is a named group
        raise ValueError("unit match without a named group")
    info = _UNIT_INFOS[int(name[1:])]
    if not info.unit:  # an ISO code written in the text stands for itself
        return UnitInfo(m.group(name).upper(), 1.0)
    if info.unit == "$":  # a currency symbol after the number: "500 млн $"
        return UnitInfo(SYMBOLS[m.group(name)], 1.0)
    return info


# Aliases a caller (the verifier, an LLM) may use for a canonical unit.
_ALIASES: dict[str, str] = {
    "percent": "%",
    "per cent": "%",
    "процент": "%",
    "процентов": "%",
    "п.п.": "pp",
    "percentage point": "pp",
    "percentage points": "pp",
    "tonne": "t",
    "tonnes": "t",
    "ton": "t",
    "tons": "t",
    "тонн": "t",
    "тонна": "t",
    "т": "t",
    "кг": "kg",
    "км": "km",
    "m³": "m3",
    "cubic meters": "m3",
    "куб. м": "m3",
    "mw": "MW",
    "мвт": "MW",
    "kwh": "kWh",
    "квт·ч": "kWh",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "years": "year",
    "times": "x",
    "раз": "x",
    "×": "x",
    "rub": "RUB",
    "usd": "USD",
}


@lru_cache(maxsize=1024)
def canonical_unit(unit: str | None) -> str | None:
    """Map a unit as a caller may write it ("usd", "$", "тонн", "percent") to the canonical one.

    Args:
        unit: A canonical unit, an alias or a Russian surface form; ``None`` for a bare count.

    Returns:
        The canonical unit, or the input stripped when it is unknown (so that it never matches
        by accident).
    """
    if unit is None:
        return None
    u = unit.strip()
    if not u:
        return None
    if u in CURRENCIES or u in PERCENTS or u in DURATIONS or u == MULTIPLE:
        return u
    if u in {"t", "kg", "km", "m", "m2", "m3", "ha", "bbl", "TEU", "MW", "kWh", "kV"}:
        return u
    if u in SYMBOLS:
        return SYMBOLS[u]
    low = u.lower()
    if low in _ALIASES:
        return _ALIASES[low]
    if u.upper() in CURRENCIES:
        return u.upper()
    m = UNIT_RE.fullmatch(u)
    if m is not None:
        return unit_from_match(m).unit
    return u
