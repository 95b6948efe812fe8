"""What a run did: counts, tokens, cost and savings, and the end-of-run table."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.table import Table


@dataclass
class BatchSummary:
    """What a batch run did."""

    total: int = 0
    written: int = 0
    skipped: int = 0
    failed: int = 0
    capped: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None
    saved_by_cache: float = 0.0
    saved_by_batch: float = 0.0
    prices_as_of: str = ""
    max_cost: float | None = None
    elapsed_s: float = 0.0
    model: str = ""
    engine: str = "local"
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    @property
    def ok(self) -> bool:
        """True when every input has an output."""
        return self.failed == 0 and self.capped == 0


def summary_table(summary: BatchSummary) -> Table:
    """The end-of-run table: inputs, outputs, skips, failures, requests, tokens, cost, speed."""
    table = Table(title="extraction summary", show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    rate = summary.total / summary.elapsed_s if summary.elapsed_s > 0 else 0.0
    rows = [
        ("inputs", f"{summary.total}"),
        ("written", f"{summary.written}"),
        ("skipped (already done)", f"{summary.skipped}"),
        ("failed", f"[red]{summary.failed}[/]" if summary.failed else "0"),
        ("requests", f"{summary.requests}"),
        ("tokens (prompt + completion)", f"{summary.prompt_tokens} + {summary.completion_tokens}"),
        ("spent", "unknown for this model" if summary.cost is None else f"${summary.cost:.4f}"),
        ("saved by the cache", f"${summary.saved_by_cache:.4f}"),
        ("saved by the batch price", f"${summary.saved_by_batch:.4f}"),
        ("elapsed", f"{summary.elapsed_s:.1f} s ({rate:.1f} articles/s)"),
    ]
    if summary.max_cost is not None:
        rows.insert(
            4,
            (
                f"skipped at the cost cap ${summary.max_cost:g}",
                f"[yellow]{summary.capped}[/]" if summary.capped else "0",
            ),
        )
    if summary.prices_as_of:
        rows.append(("prices as of", summary.prices_as_of))
    for name, value in rows:
        table.add_row(name, value)
    return table
