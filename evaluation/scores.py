"""Precision, recall and F1 of a backend against the hand-made gold of fixtures/gold.

``python -m evaluation.scores`` (``make eval``) runs the offline backend over the seeds and
the held-out articles and prints, per record type and per key field, precision, recall and F1,
the share of figures verified, and how many meeting places and dates were invented (stated by
the backend where the gold has none), the share of the backend's fields the checks find
supported / inferred / unsupported, and the false alarms: fields of the gold records the checks
flag unsupported. ``--backend openai`` runs the LLM backend instead; it
talks to the network only through the recorded cassettes of fixtures/cassettes/ (hook:
:func:`openai_backend`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from extractor.backends.base import Backend
from extractor.config import Settings
from extractor.core.verify import verify
from extractor.pipeline import run
from extractor.reading import read_article
from schemas.enums import CheckStatus, VerificationStatus
from schemas.records import ArticleExtraction, Records

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "seeds": (ROOT / "seeds", ROOT / "fixtures" / "gold"),
    "heldout": (ROOT / "fixtures" / "heldout", ROOT / "fixtures" / "gold" / "heldout"),
    # Written and annotated by someone who never read the extraction code: the honest test.
    "heldout2": (ROOT / "fixtures" / "heldout2", ROOT / "fixtures" / "gold" / "heldout2"),
    "heldout3": (ROOT / "fixtures" / "heldout3", ROOT / "fixtures" / "gold" / "heldout3"),
    # Plain-text agency news with datelines and no header line, and saved web pages (HTML).
    "heldout4": (ROOT / "fixtures" / "heldout4", ROOT / "fixtures" / "gold" / "heldout4"),
    "heldout5": (ROOT / "fixtures" / "heldout5", ROOT / "fixtures" / "gold" / "heldout5"),
}
# The day each set's gold was annotated against where it differs from GOLD_REFERENCE_DAY: the
# annotators of heldout4 and heldout5 read a date with no year as one of 2025.
REFERENCE_DAY = {"heldout4": "2025-12-31", "heldout5": "2025-12-31"}
TITLE_MATCH = 60.0
# The gold was annotated on this day: an article with no publication date is read against it,
# so a weekday date ("в пятницу, 9 августа") resolves to the same year in every later run.
GOLD_REFERENCE_DAY = "2026-11-21"


@dataclass
class Counts:
    """True positives, predicted and gold counts of one measure."""

    tp: float = 0.0
    pred: int = 0
    gold: int = 0

    def add(self, tp: float, pred: int, gold: int) -> None:
        """Accumulate one article's counts."""
        self.tp += tp
        self.pred += pred
        self.gold += gold

    @property
    def precision(self) -> float:
        """Tp / predicted (1.0 when nothing was predicted and nothing was due)."""
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        """Tp / gold (1.0 when the gold has none)."""
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Every measure over one set of articles."""

    counts: dict[str, Counts] = field(default_factory=dict)
    figures_verified: int = 0
    figures: int = 0
    invented_place: int = 0
    invented_date: int = 0
    articles: int = 0
    # Field checks of the backend's records, by status; unsupported fields of the gold records.
    field_checks: dict[str, int] = field(default_factory=dict)
    gold_fields: int = 0
    gold_false_alarms: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # the backend's unsupported fields

    def c(self, key: str) -> Counts:
        """The counts of one measure, created on first use."""
        return self.counts.setdefault(key, Counts())


def _norm(text: str) -> str:
    """Lower case, ё folded, dashes unified, and each word cut to a 6-letter stem (Russian cases)."""
    t = text.lower().replace("ё", "е").replace("—", "–").replace("-", " ").replace("–", " ")
    return " ".join(w[:6] for w in "".join(ch if ch.isalnum() else " " for ch in t).split())


def title_score(a: str, b: str) -> float:
    """Fuzzy similarity (0..100) of two titles or names, robust to case endings and word order."""
    return float(
        fuzz.token_set_ratio(_norm(a), _norm(b)) * 0.5 + fuzz.ratio(_norm(a), _norm(b)) * 0.5
    )


def match(
    preds: list[Any], golds: list[Any], score: Callable[[Any, Any], float], threshold: float
) -> list[tuple[Any, Any]]:
    """Greedy one-to-one matching of predictions to gold by descending score above a threshold."""
    pairs = sorted(
        ((score(p, g), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)),
        key=lambda x: -x[0],
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[Any, Any]] = []
    for s, i, j in pairs:
        if s < threshold or i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((preds[i], golds[j]))
    return out


def _metric_key(m: Any) -> tuple[float, str | None, float | None]:
    return (round(m.value, 6), m.unit, None if m.value_max is None else round(m.value_max, 6))


def score_checks(
    result: ArticleExtraction, gold: Records, text: str, report: Report, stem: str
) -> None:
    """Count the field checks of a result by status, and the gold's fields flagged (false alarms)."""
    for kind in _KINDS:
        for i, record in enumerate(getattr(result, kind)):
            for c in record.checks:
                report.field_checks[c.status.value] = report.field_checks.get(c.status.value, 0) + 1
                if c.status is CheckStatus.unsupported:
                    report.flagged.append(f"{stem} {kind}[{i}].{c.field}: {c.reason}")
    checked_gold = verify(gold, text, published=result.source.published)
    for kind in _KINDS:
        for i, record in enumerate(getattr(checked_gold, kind)):
            report.gold_fields += len(record.checks)
            report.gold_false_alarms.extend(
                f"{stem} {kind}[{i}].{c.field}: {c.reason}"
                for c in record.checks
                if c.status is CheckStatus.unsupported
            )


_KINDS = ("meetings", "agreements", "metrics", "projects")


def score_article(result: ArticleExtraction, gold: Records, report: Report) -> None:
    """Add one article's comparison of a result with its gold to a report."""
    report.articles += 1
    # metrics: value + unit (+ upper bound), as multisets
    gold_keys = [_metric_key(m) for m in gold.metrics]
    pred_keys = [_metric_key(m) for m in result.metrics]
    remaining = list(gold_keys)
    tp = 0
    for k in pred_keys:
        if k in remaining:
            remaining.remove(k)
            tp += 1
    report.c("metrics (value+unit)").add(tp, len(pred_keys), len(gold_keys))
    report.figures += len(result.metrics)
    report.figures_verified += sum(
        m.verification.status is VerificationStatus.verified for m in result.metrics
    )

    # meetings: matched by participant overlap
    def names(m: Any) -> set[str]:
        return {p.name for p in m.participants}

    pairs = match(
        result.meetings,
        gold.meetings,
        lambda p, g: len(names(p) & names(g)) / max(len(names(p) | names(g)), 1),
        0.01,
    )
    report.c("meetings").add(len(pairs), len(result.meetings), len(gold.meetings))
    matched_pred = [p for p, _ in pairs]
    for p, g in pairs:
        report.c("meeting participants").add(len(names(p) & names(g)), len(names(p)), len(names(g)))
        report.c("meeting place").add(
            int(p.location.city is not None and p.location.city == g.location.city),
            int(p.location.city is not None),
            int(g.location.city is not None),
        )
        report.c("meeting date").add(
            int(p.date.value is not None and p.date.value == g.date.value),
            int(p.date.value is not None),
            int(g.date.value is not None),
        )
        report.invented_place += int(p.location.city is not None and g.location.city is None)
        report.invented_date += int(p.date.value is not None and g.date.value is None)
    for p in result.meetings:
        if p not in matched_pred:
            report.c("meeting participants").add(0, len(names(p)), 0)
            report.invented_place += int(p.location.city is not None)
            report.invented_date += int(p.date.value is not None)
    for g in gold.meetings:
        if g not in [x for _, x in pairs]:
            report.c("meeting participants").add(0, 0, len(names(g)))
    # agreements: fuzzy title; status on matched pairs
    a_pairs = match(
        result.agreements, gold.agreements, lambda p, g: title_score(p.title, g.title), TITLE_MATCH
    )
    report.c("agreements (title)").add(len(a_pairs), len(result.agreements), len(gold.agreements))
    report.c("agreements (title+status)").add(
        sum(p.status == g.status for p, g in a_pairs), len(result.agreements), len(gold.agreements)
    )
    p_pairs = match(
        result.projects, gold.projects, lambda p, g: title_score(p.name, g.name), TITLE_MATCH
    )
    report.c("projects (name)").add(len(p_pairs), len(result.projects), len(gold.projects))
    report.c("projects (name+status)").add(
        sum(p.status == g.status for p, g in p_pairs), len(result.projects), len(gold.projects)
    )


def load_gold(path: Path) -> Records:
    """Read one gold file (the Records shape; notes and the expected source are set aside)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Records.model_validate({k: v for k, v in raw.items() if k in Records.model_fields})


def gold_source(path: Path) -> dict[str, Any]:
    """The expected ``source`` fields of a gold file (publication date, title, outlet), if any."""
    source = json.loads(path.read_text(encoding="utf-8")).get("source") or {}
    return dict(source)


def article_for(texts: Path, stem: str) -> Path | None:
    """The article a gold file scores: ``<stem>.txt`` or a saved page ``<stem>.html``."""
    for suffix in (".txt", ".html"):
        candidate = texts / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    return None


def score_source(result: ArticleExtraction, expected: dict[str, Any], report: Report) -> None:
    """Score the publication date a result read against the gold's, where the gold states one."""
    if expected.get("published"):
        report.c("publication date").add(
            int(result.source.published == expected["published"]),
            int(result.source.published is not None),
            1,
        )


def evaluate(backend: Backend, texts: Path, golds: Path, today: dt.date | None = None) -> Report:
    """Run a backend over every article of a directory that has a gold file, and score it.

    ``today`` is the day the articles are read against (a dateline without a year); default the
    backend's ``settings.today``.
    """
    report = Report()
    settings = getattr(backend, "settings", None)
    today = today or (settings.today if isinstance(settings, Settings) else None)
    for gold_path in sorted(golds.glob("*.json")):
        article_path = article_for(texts, gold_path.stem)
        if article_path is None:
            continue
        article = read_article(article_path, today=today)
        result = run(article, backend)
        score_article(result, load_gold(gold_path), report)
        score_source(result, gold_source(gold_path), report)
        score_checks(result, load_gold(gold_path), article.text, report, gold_path.stem)
    return report


def format_report(name: str, report: Report, unsupported: bool = False) -> str:
    """A plain-text table of a report."""
    lines = [
        f"== {name}: {report.articles} articles",
        f"{'measure':28} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for key, c in report.counts.items():
        lines.append(f"{key:28} {c.precision:6.2f} {c.recall:6.2f} {c.f1:6.2f}")
    share = report.figures_verified / report.figures if report.figures else 1.0
    lines.append(f"figures verified: {report.figures_verified}/{report.figures} ({share:.0%})")
    lines.append(
        f"invented places: {report.invented_place}  invented dates: {report.invented_date}"
    )
    total = sum(report.field_checks.values())
    shares = (
        "  ".join(
            f"{status} {report.field_checks.get(status, 0)} ({report.field_checks.get(status, 0) / total:.0%})"
            for status in ("supported", "inferred", "unsupported")
        )
        if total
        else "none"
    )
    lines.append(f"field checks ({total}): {shares}")
    lines.append(
        f"false alarms on gold: {len(report.gold_false_alarms)} of {report.gold_fields} fields"
    )
    lines.extend(f"  false alarm: {a}" for a in report.gold_false_alarms)
    if unsupported:
        lines.extend(f"  unsupported: {f}" for f in report.flagged)
    return "\n".join(lines)


def evaluate_replayed(texts: Path, golds: Path) -> tuple[Report, list[str]]:
    """Score the LLM backend on the articles that have a recorded cassette; list the others.

    Each article is replayed from ``fixtures/cassettes/<article>.yaml`` through the real openai +
    instructor stack with vcrpy in record mode ``none``: nothing reaches the network.
    """
    from evaluation.cassettes import cassette_path, make_vcr, replay_settings
    from extractor.backends.openai import OpenAIBackend

    report = Report()
    skipped: list[str] = []
    backend = OpenAIBackend(replay_settings())
    for gold_path in sorted(golds.glob("*.json")):
        article_path = texts / f"{gold_path.stem}.txt"
        cassette = cassette_path(gold_path.stem)
        if not article_path.exists():
            continue
        if not cassette.exists():
            skipped.append(gold_path.stem)
            continue
        article = read_article(article_path)
        with make_vcr().use_cassette(str(cassette)):
            result = run(article, backend)
        score_article(result, load_gold(gold_path), report)
        score_checks(result, load_gold(gold_path), article.text, report, gold_path.stem)
    return report, skipped


def main(argv: list[str] | None = None) -> int:
    """Print P/R/F1 of a backend on the seeds and the held-out articles.

    Example: ``python -m evaluation.scores --backend offline``
    """
    parser = argparse.ArgumentParser(prog="evaluation.scores", description=main.__doc__)
    parser.add_argument("--backend", choices=("offline", "openai"), default="offline")
    parser.add_argument(
        "--unsupported",
        action="store_true",
        help="also list every field of the backend's output the checks flag unsupported",
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.backend == "openai":
        reports = {}
        for name, (texts, golds) in SETS.items():
            reports[name], skipped = evaluate_replayed(texts, golds)
            if skipped:
                print(f"{name}: {len(skipped)} articles have no cassette and are not scored")
    else:
        from extractor.backends.offline import OfflineBackend

        reports = {}
        for name, (texts, golds) in SETS.items():
            # Each set is read against the day its gold was annotated (dates without a year).
            day = dt.date.fromisoformat(REFERENCE_DAY.get(name, GOLD_REFERENCE_DAY))
            reports[name] = evaluate(OfflineBackend(settings.with_(today=day)), texts, golds)
    for name, report in reports.items():
        print(format_report(name, report, unsupported=args.unsupported))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
