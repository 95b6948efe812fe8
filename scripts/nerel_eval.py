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
  were read, not just the digits) and whose unit is right: an ISO currency for MONEY, ``%``
  or ``pp`` for PERCENT, when the span names one; no unit when the span names none (NEREL marks
  "930 тысяч" as MONEY when the currency is only implied by the context).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.figures import Figure, find_figures  # noqa: E402
from extractor.numerals import fold, lexicon  # noqa: E402
from extractor.units import CURRENCIES  # noqa: E402

TYPES = ("MONEY", "PERCENT")


@dataclass
class Counts:
    """Tallies for one entity type."""

    total: int = 0
    numeric: int = 0
    found: int = 0
    correct: int = 0


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
                if f.start <= core_start and f.end >= core_end and _unit_ok(label, span, f)
            ]
            c.found += bool(hits)
            c.correct += bool(good)
            if args.verbose and not good:
                ctx = text[max(0, start - 30) : end + 30].replace("\n", " ")
                got = "; ".join(f"[{f.text}] {f.value:g} {f.unit}" for f in hits) or "-"
                print(f"{label:8} {span!r:40} got {got}   | {ctx}")
    for label, c in counts.items():
        n = c.numeric or 1
        print(
            f"{args.split} {label:8} spans={c.total} numeric={c.numeric} "
            f"found={c.found} ({c.found / n:.1%}) value+unit={c.correct} ({c.correct / n:.1%})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
