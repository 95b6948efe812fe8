"""Property tests: render generated numbers in Russian surface forms, parse them back."""

from __future__ import annotations

import math
from functools import lru_cache

import pymorphy3
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.core.figures import find_figures, locate
from schemas.enums import Qualifier as Q

ONES = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
TEENS = [
    "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать",
    "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать",
]  # fmt: skip
TENS = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
]
HUNDREDS = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
]
SCALES = [(10**9, "миллиард"), (10**6, "миллион"), (10**3, "тысяча")]
CASES = ["nomn", "gent", "datv", "ablt", "loct"]

settings.register_profile("figures", deadline=None, max_examples=200)
FIG = settings.get_profile("figures")


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=4096)
def _inflect(lemma: str, grammemes: frozenset[str]) -> str:
    parses = [p for p in _morph().parse(lemma) if p.normal_form == lemma]
    parses.sort(key=lambda p: "NUMR" not in p.tag)  # "сто" is first an abbreviation noun
    form = parses[0].inflect(set(grammemes))
    assert form is not None, (lemma, grammemes)
    return form.word


def _below_1000(n: int) -> list[str]:
    words = [HUNDREDS[n // 100]]
    rest = n % 100
    words += [TEENS[rest - 10]] if 10 <= rest < 20 else [TENS[rest // 10], ONES[rest % 10]]
    return [w for w in words if w]


def render_words(n: int, case: str, say_one: bool) -> str:
    """Render 1 <= n < 10**12 in Russian words, every word inflected into ``case``."""
    out: list[str] = []
    for size, noun in SCALES:
        group, n = divmod(n, size)
        if not group:
            continue
        # a lone "тысячи" is "thousands" (vague) as often as "of a thousand": say "одной"
        if group > 1 or say_one or (group == 1 and case == "gent"):
            out += [_inflect(w, frozenset({case})) for w in _below_1000(group)]
        # agreement: "две тысячи", "пять тысяч", "тысячам" - the parser must read every one
        if case == "nomn":
            last = group % 100
            if last % 10 == 1 and last != 11:
                gram = {"nomn", "sing"}
            elif 2 <= last % 10 <= 4 and not 12 <= last <= 14:
                gram = {"gent", "sing"}
            else:
                gram = {"gent", "plur"}
        else:
            gram = {case, "sing" if group == 1 else "plur"}
        out.append(_inflect(noun, frozenset(gram)))
    out += [_inflect(w, frozenset({case})) for w in _below_1000(n)]
    return " ".join(out)


def test_render_words_examples():
    assert render_words(237_500, "nomn", False) == "двести тридцать семь тысяч пятьсот"
    assert render_words(25, "gent", False) == "двадцати пяти"
    assert render_words(1_000_000_000, "gent", True) == "одного миллиарда"


def _one(text: str):
    figs = find_figures(text)
    assert len(figs) == 1, [(f.text, f.value, f.unit) for f in figs]
    return figs[0]


@FIG
@given(
    n=st.integers(min_value=1, max_value=999_999_999_999),
    case=st.sampled_from(CASES),
    say_one=st.booleans(),
)
def test_number_words_in_every_case(n, case, say_one):
    words = render_words(n, case, say_one)
    fig = _one(f"Объём составил {words} тонн за год.")
    assert fig.value == n and fig.unit == "t", words
    assert fig.text == f"{words} тонн"


@FIG
@given(
    n=st.integers(min_value=1000, max_value=10**12),
    sep=st.sampled_from([" ", "\u00a0", "\u2009", "\u202f"]),
)
def test_digits_with_grouped_thousands(n, sep):
    grouped = f"{n:,}".replace(",", sep)
    fig = _one(f"Перевезли {grouped} тонн груза.")
    assert fig.value == n and fig.unit == "t" and fig.text == f"{grouped} тонн"


MONEY_WORDS = [("долларов", "USD"), ("долларов США", "USD"), ("тенге", "KZT"), ("сумов", "UZS"),
               ("манатов", "TMT"), ("юаней", "CNY"), ("евро", "EUR"), ("рублей", "RUB")]  # fmt: skip
SCALE_WORDS = [("тыс.", 1e3), ("тысяч", 1e3), ("млн", 1e6), ("миллиона", 1e6), ("млрд", 1e9),
               ("миллиардов", 1e9), ("трлн", 1e12)]  # fmt: skip


@FIG
@given(
    whole=st.integers(min_value=1, max_value=999),
    frac=st.one_of(st.none(), st.integers(min_value=1, max_value=99)),
    comma=st.booleans(),
    scale=st.sampled_from(SCALE_WORDS),
    money=st.sampled_from(MONEY_WORDS),
    symbol=st.sampled_from(["", "$ ", "$", "after"]),
)
def test_money_with_scale_and_currency(whole, frac, comma, scale, money, symbol):
    number = str(whole) if frac is None else f"{whole}{',' if comma else '.'}{frac:02d}"
    value = (whole + (frac or 0) / 100) * scale[1]
    if symbol == "after":
        surface, unit = f"{number} {scale[0]} $", "USD"
    elif symbol:
        surface, unit = f"{symbol}{number} {scale[0]}", "USD"
    else:
        surface, unit = f"{number} {scale[0]} {money[0]}", money[1]
    fig = _one(f"Инвестиции составят {surface} в ближайшие годы.")
    assert math.isclose(fig.value, value, rel_tol=1e-9) and fig.unit == unit, surface
    assert fig.text == surface
    # parse-back also holds through locate, and a tenfold slip is never located
    assert locate(f"Итого {surface}.", value, unit)
    assert not locate(f"Итого {surface}.", value * 10, unit)


QUALIFIERS = [("около", Q.about), ("примерно", Q.about), ("порядка", Q.about), ("свыше", Q.more_than),
              ("более", Q.more_than), ("почти", Q.less_than), ("менее", Q.less_than), ("до", Q.up_to),
              ("как минимум", Q.at_least), ("не менее", Q.at_least), ("", Q.exact)]  # fmt: skip


@FIG
@given(
    value=st.decimals(min_value=0, max_value=100, places=1, allow_nan=False),
    form=st.sampled_from(["%", " %", " процента", " процентов"]),
    qual=st.sampled_from(QUALIFIERS),
)
def test_percent_forms_and_qualifiers(value, form, qual):
    number = str(value).replace(".", ",")
    surface = f"{qual[0]} {number}{form}".strip()
    fig = _one(f"Доля выросла: {surface}.")
    assert math.isclose(fig.value, float(value), abs_tol=1e-9) and fig.unit == "%"
    assert fig.qualifier == qual[1] and fig.text == surface


@FIG
@given(low=st.integers(min_value=1, max_value=500), width=st.integers(min_value=1, max_value=500),
       dash=st.sampled_from(["-", "–", "—"]), scale=st.sampled_from(SCALE_WORDS))  # fmt: skip
def test_ranges(low, width, dash, scale):
    surface = f"{low}{dash}{low + width} {scale[0]} рублей"
    fig = _one(f"Стоимость: {surface}.")
    assert math.isclose(fig.value, low * scale[1]) and fig.value_max is not None
    assert math.isclose(fig.value_max, (low + width) * scale[1]) and fig.unit == "RUB"
