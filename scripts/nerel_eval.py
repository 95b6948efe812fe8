"""Recall of ``find_figures`` on NEREL MONEY and PERCENT spans (train or dev split only).

NEREL (github.com/nerel-ds/NEREL) is read straight from a bare git mirror, never copied into
this repository; its test split is reserved for acceptance and refused here.

Example:
    .venv/bin/python scripts/nerel_eval.py /work/.mirror/nerel-ds+NEREL/repo --split dev -v

Measures, per entity type:

* ``numeric``: gold spans that state a number (a digit or a number word); a bare "долларах" or
  "биткоины" is a MONEY span with no figure to find, counted apart.
* ``found``: numeric spans overlapped by some figure.
* ``value+unit``: found spans whose figure covers the whole gold span (so scale and unit words
  were read, not just the digits), whose unit is right (an ISO currency for MONEY, ``%``
  or ``pp`` for PERCENT, when the span names one; no unit when the span names none: NEREL marks
  "930 тысяч" as MONEY when the currency is only implied by the context) and whose value is
  the span's value as an independent, deliberately plain reader computes it (:func:`gold_values`:
  digits and scale words by regex, number words by number-parser's ``parse_number``).
* vague spans ("несколько миллионов евро", "миллиарды долларов", "от нескольких десятков до
  нескольких сотен миллионов долларов") are reported apart: ``found`` is given with them
  (every numeric span) and without them (definite spans only), and ``value+unit`` of the
  definite spans is the engine's accuracy on amounts that have a value. A vague span counts as
  value-right when its figure is marked vague, covers the span, has the right unit and states
  the documented lower bound (:func:`gold_vague_value`: "несколько" and plurals mean 2+, so
  "несколько сотен миллионов" is 2e8).
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.core.figures import Figure, find_figures, locate  # noqa: E402
from extractor.core.numerals import fold, lexicon  # noqa: E402
from extractor.core.units import CURRENCIES  # noqa: E402

TYPES = ("MONEY", "PERCENT")


@dataclass
class Counts:
    """Tallies for one entity type."""

    total: int = 0
    numeric: int = 0
    found: int = 0
    correct: int = 0
    definite: int = 0  # numeric spans with a definite value (not "несколько миллионов")
    definite_found: int = 0
    definite_correct: int = 0
    vague: int = 0  # numeric spans with no definite value
    vague_found: int = 0
    vague_correct: int = 0  # found, marked vague, right unit and the documented lower bound
    planted: int = 0  # wrong figures planted from correctly read gold spans
    planted_rejected: int = 0
    planted_collide: int = 0  # the "wrong" value is in fact stated elsewhere in the text
    true_located: int = 0


def _git(git_dir: str, *args: str) -> str:
    """Run git against the bare mirror and return stdout."""
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
    ).stdout


def _is_numeric(span: str) -> bool:
    """Whether a gold span states a number at all."""
    if re.search(r"\d", span):
        return True
    words = re.findall(r"[а-яёА-ЯЁ]+", span)
    return any(fold(w) in lexicon() or fold(w).startswith("пол") for w in words)


# An independent, deliberately plain list of currency and percent markers: a gold span that
# contains one must come back with a currency (or percent) unit; a span without one ("930 тысяч",
# the currency being implied by the context) must come back with no unit at all.
_MARKER = re.compile(
    r"доллар|долл|евро|руб|тенге|сум|манат|сом|юан|фунт|крон|гривн|гривен|[иеé]н[аыу]?\b|йен|франк"
    r"|лир|рупи|цент|вон|драм|лари|песо|реал|шекел|злот|бат|ринггит|[$€£¥₽₸₴]|%|процент",
    re.IGNORECASE,
)


_G_TOKEN = re.compile(
    r"(?P<num>\d+(?:[ \u00a0]\d{3}(?!\d))*(?:[.,]\d+)?)|(?P<word>[а-яёА-ЯЁ]+)|(?P<other>\S)"
)
_G_SCALES = {"тыс": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12}
_G_SCALE_STEMS = {"тысяч": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}


def _g_scale(word: str) -> float | None:
    """The multiplier of a scale word or abbreviation, else None."""
    w = fold(word)
    if w in _G_SCALES:
        return _G_SCALES[w]
    return next((v for stem, v in _G_SCALE_STEMS.items() if w.startswith(stem)), None)


def _g_digits(raw: str, span: str) -> float:
    """Digits as written: space-grouped thousands, decimal comma or point ("$635,000" aside)."""
    raw = re.sub(r"[ \u00a0]", "", raw)
    if span.lstrip().startswith("$") and re.fullmatch(r"\d{1,3},\d{3}", raw):
        return float(raw.replace(",", ""))  # an English-style thousands comma after "$"
    return float(raw.replace(",", "."))


def gold_values(span: str) -> list[float] | None:
    """The value(s) a gold span states, read independently of the engine; None when vague."""
    from number_parser import parse_number

    if re.search(r"нескольк|десятк|сотен\b|сотни", span, re.IGNORECASE):
        return None
    toks = list(_G_TOKEN.finditer(span))
    vals: list[list[float]] = []  # [number, scale] per quantity
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.group("num"):
            vals.append([_g_digits(t.group("num"), span), 1.0])
            i += 1
        elif t.group("word") and fold(t.group("word")).startswith(("полтор", "полутор")):
            vals.append([1.5, 1.0])
            i += 1
        elif t.group("word") and (fold(t.group("word")) in lexicon()):
            j = i
            while (
                j < len(toks)
                and toks[j].group("word")
                and fold(toks[j].group("word")) in lexicon()
                and _g_scale(toks[j].group("word")) is None
            ):
                j += 1
            if j == i:  # a lone scale word: "миллион долларов"; the scale is read below
                if re.search(r"(?:ы|и|ов|ам|ами|ах)$", fold(t.group("word"))) and not i:
                    return None  # "миллиарды долларов": a vague plural
                vals.append([1.0, 1.0])
            else:
                n = parse_number(" ".join(tk.group(0) for tk in toks[i:j]), language="ru")
                if n is None:
                    return None
                vals.append([float(n), 1.0])
                i = j
        else:
            i += 1
            continue
        if i < len(toks) and toks[i].group("word"):
            sc = _g_scale(toks[i].group("word"))
            if sc is not None:
                vals[-1][1] = sc
                i += 1
    if not vals:
        return None
    if len(vals) == 2 and vals[0][1] == 1.0 and vals[1][1] > 1.0 and vals[0][0] < vals[1][0]:
        vals[0][1] = vals[1][1]  # "от 400 до 500 тысяч": the scale is shared
    cents = 0.01 if re.search(r"(?<![а-яё])цент", span, re.IGNORECASE) else 1.0
    return [v * sc * cents for v, sc in vals[:2]]


def gold_vague_value(span: str) -> float | None:
    """The documented lower bound of a vague span, read plainly; None when it cannot be read.

    "несколько" and a plural mean at least two: 2 x 10 per "десятки", x 100 per "сотни", x the
    scale ("несколько сотен тысяч" = 2e5, "миллиарды" = 2e9); of a range "от A до B" only A
    counts, with the scale written at the end when A has none.
    """
    first = re.split(r"\s+до\s+", span, maxsplit=1)[0]
    words = [fold(w) for w in re.findall(r"[а-яёА-ЯЁ]+", first)]
    scales = [sc for w in words if (sc := _g_scale(w)) is not None]
    if not scales:
        scales = [sc for w in re.findall(r"[а-яёА-ЯЁ]+", span) if (sc := _g_scale(w)) is not None]
    value = 2.0
    value *= 10.0 ** sum(w.startswith("десятк") for w in words)
    value *= 100.0 ** sum(w.startswith("сот") for w in words)
    if scales:
        value *= scales[0]
    elif value == 2.0:
        return None
    return value


def _value_ok(gold: list[float] | None, fig: Figure, vague: float | None = None) -> bool:
    """Whether a figure states the gold value (both bounds of a gold range).

    A vague span (``gold`` None) is right when the figure is vague and states its lower bound.
    """
    if gold is None:
        return fig.vague and vague is not None and math.isclose(fig.value, vague, rel_tol=1e-6)
    got = [abs(fig.value)] + ([fig.value_max] if fig.value_max is not None else [])

    def has(v: float) -> bool:
        return any(abs(g - v) <= 1e-6 * max(abs(v), 1e-9) for g in got)

    return all(has(v) for v in gold)


_SWAP = {"USD": "EUR", "%": "pp", "pp": "%"}


def _bump_last_digit(value: float) -> float:
    """Change the last significant digit: 1.5e6 -> 1.6e6, 14 -> 15, 1e9 -> 2e9."""
    d = Decimal(repr(value)).normalize()
    sign, digits, exp = d.as_tuple()
    assert isinstance(exp, int)
    return float(Decimal((sign, (*digits[:-1], (digits[-1] + 1) % 10 or 1), exp)))


def _planted(value: float, unit: str | None) -> list[tuple[str, float, str | None]]:
    """The wrong figures the acceptance test plants for a true one."""
    out = [
        ("x10", value * 10, unit),
        ("x1000", value * 1000, unit),
        ("digit", _bump_last_digit(value), unit),
    ]
    if unit is not None:
        out.append(("unit", value, _SWAP.get(unit, "USD")))
    return out


def _unit_ok(kind: str, span: str, fig: Figure) -> bool:
    """Whether a figure has the unit its gold span states (none when the span names none)."""
    if not _MARKER.search(span):
        return fig.unit is None
    if kind == "MONEY":
        return fig.unit in CURRENCIES
    return fig.unit in {"%", "pp"}


def main(argv: list[str] | None = None) -> int:
    """Evaluate and print recall; return the process exit code."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("git_dir", help="bare git directory of the NEREL mirror")
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--version", default="NEREL-v1.1")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = ap.parse_args(argv)

    prefix = f"{args.version}/{args.split}/"
    names = [
        n
        for n in _git(args.git_dir, "ls-tree", "--name-only", "HEAD", prefix).split()
        if n.endswith(".ann")
    ]
    counts = {t: Counts() for t in TYPES}
    for ann_path in sorted(names):
        text = _git(args.git_dir, "show", f"HEAD:{ann_path[:-4]}.txt")
        figures = find_figures(text)
        for line in _git(args.git_dir, "show", f"HEAD:{ann_path}").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or not parts[0].startswith("T"):
                continue
            label, *offs = parts[1].replace(";", " ").split()
            if label not in TYPES:
                continue
            start, end = int(offs[0]), int(offs[-1])
            span = text[start:end]
            c = counts[label]
            c.total += 1
            if not _is_numeric(span):
                continue
            c.numeric += 1
            gold = gold_values(span)
            vague = gold_vague_value(span) if gold is None else None
            hits = [f for f in figures if f.start < end and start < f.end]
            # Gold spans sometimes take in a preposition or a comparison word around the figure
            # ("на 500 тысяч рублей", "на 600 руб больше"); the engine leaves those out by design.
            lead = re.match(r"(?:на|в|за|всего|ещ[её])\s+", span, re.IGNORECASE)
            core_start = start + (lead.end() if lead else 0)
            core = re.sub(r"(?:\s+(?:больше|меньше))?[\s.,;:]*$", "", span)
            core_end = start + len(core)
            good = [
                f
                for f in hits
                if f.start <= core_start
                and f.end >= core_end
                and _unit_ok(label, span, f)
                and _value_ok(gold, f, vague)
            ]
            c.found += bool(hits)
            c.correct += bool(good)
            if gold is not None:
                c.definite += 1
                c.definite_found += bool(hits)
                c.definite_correct += bool(good)
            else:
                c.vague += 1
                c.vague_found += bool(hits)
                c.vague_correct += bool(good)
            if good and gold is not None:
                unit = good[0].unit
                for v in gold:
                    c.true_located += bool(locate(text, v, unit))
                    for how, pv, pu in _planted(v, unit):
                        c.planted += 1
                        if not locate(text, pv, pu):
                            c.planted_rejected += 1
                        elif any(
                            math.isclose(x, pv, rel_tol=1e-6) and f.unit == pu
                            for f in figures
                            for x in (abs(f.value), f.value_max or 0.0)
                            if not (f.start < end and start < f.end)
                        ) or any(math.isclose(g, pv, rel_tol=1e-6) for g in gold):
                            c.planted_collide += 1  # stated elsewhere: a true figure after all
                        elif args.verbose:
                            hit = [f.text for f in locate(text, pv, pu)]
                            print(f"{label:8} {span!r:40} planted {how} {pv!r} {pu} in {hit}")
            if args.verbose and not good:
                ctx = text[max(0, start - 30) : end + 30].replace("\n", " ")
                got = "; ".join(f"[{f.text}] {f.value:g} {f.unit}" for f in hits) or "-"
                got += f"   (gold {gold if gold is not None else f'vague >= {vague}'})"
                print(f"{label:8} {span!r:40} got {got}   | {ctx}")
    for label, c in counts.items():
        n = c.numeric or 1
        d = c.definite or 1
        print(
            f"{args.split} {label:8} spans={c.total} numeric={c.numeric} "
            f"found={c.found} ({c.found / n:.1%}) value+unit={c.correct} ({c.correct / n:.1%})\n"
            f"{'':15} without vague: definite={c.definite} found={c.definite_found} "
            f"({c.definite_found / d:.1%}) value+unit={c.definite_correct} "
            f"({c.definite_correct / d:.1%})\n"
            f"{'':15} vague={c.vague} found={c.vague_found} "
            f"value+unit (vague, unit, lower bound)={c.vague_correct}\n"
            f"{'':15} true values located={c.true_located}; planted wrong figures={c.planted} "
            f"rejected={c.planted_rejected} stated elsewhere={c.planted_collide} "
            f"wrongly located={c.planted - c.planted_rejected - c.planted_collide}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
