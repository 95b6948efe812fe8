"""What a run spends on the LLM, what it saved, and the cap that stops new work.

The ledger keeps three sums: *spent* (answers received, at the price they were bought: list for
live calls, batch for the Batch API), *committed* (estimates of requests sent and not yet
answered) and the savings (answers taken from the response cache, priced at list; the
difference between list and batch price of every batch answer). With a cap, a new request is
only sent when ``spent + committed + its estimate`` stays within it; what is in flight always
finishes.

An estimate is made before the request exists as an answer, so it is deliberately generous:
``CHARS_PER_TOKEN`` is lower than the 3-4 characters per token typical of Russian text under
OpenAI's tokenizers, and ``COMPLETION_TOKENS_ESTIMATE`` is above the largest answer among the
curated seed answers (1,704 completion tokens). A validation re-ask is a new request with its own
estimate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from extractor.config import Settings
from extractor.lexicon.prices import PriceTable, load_prices

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 2.5
COMPLETION_TOKENS_ESTIMATE = 2_000
SKIP_HINT = "raise --max-cost (EXTRACTOR_MAX_COST) and re-run: finished articles are skipped"


@dataclass
class CostLedger:
    """Spent, committed and saved USD of one run, and the optional cap on them."""

    prices: PriceTable
    model: str
    cap: float | None = None
    spent: float = 0.0
    spent_at_list: float = 0.0
    committed: float = 0.0
    saved_by_cache: float = 0.0

    @classmethod
    def for_run(cls, settings: Settings) -> CostLedger:
        """The ledger of a run (cap from ``--max-cost`` or ``EXTRACTOR_MAX_COST``)."""
        return cls(
            prices=load_prices(settings.prices_file), model=settings.model, cap=settings.max_cost
        )

    @property
    def known(self) -> bool:
        """True when the model's price is in the table."""
        return self.prices.get(self.model) is not None

    @property
    def saved_by_batch(self) -> float:
        """What the batch answers would have cost more at list price."""
        return self.spent_at_list - self.spent

    @staticmethod
    def prompt_tokens(request_chars: int) -> int:
        """A generous estimate of the prompt tokens of a request of ``request_chars`` characters."""
        return int(request_chars / CHARS_PER_TOKEN) + 1

    def estimate(self, request_chars: int, *, batch: bool = False) -> float:
        """A generous USD estimate of one request of ``request_chars`` characters and its answer."""
        tokens = self.prompt_tokens(request_chars)
        cost = self.prices.cost(self.model, tokens, COMPLETION_TOKENS_ESTIMATE, batch=batch)
        return cost or 0.0

    def reserve(self, estimate: float) -> bool:
        """Commit ``estimate`` when the cap allows it; False means: do not send."""
        if self.cap is not None and self.spent + self.committed + estimate > self.cap:
            log.info(
                "cost cap %.4f: spent %.4f + committed %.4f + %.4f would pass it",
                self.cap,
                self.spent,
                self.committed,
                estimate,
            )
            return False
        self.committed += estimate
        return True

    def release(self, estimate: float) -> None:
        """Drop a commitment (its request was answered, failed or never sent)."""
        self.committed = max(self.committed - estimate, 0.0)

    def spend(self, prompt_tokens: int, completion_tokens: int, *, batch: bool = False) -> float:
        """Book an answer's tokens; return its cost."""
        cost = self.prices.cost(self.model, prompt_tokens, completion_tokens, batch=batch) or 0.0
        self.spent += cost
        self.spent_at_list += self.prices.cost(self.model, prompt_tokens, completion_tokens) or 0.0
        return cost

    def saved(self, prompt_tokens: int, completion_tokens: int) -> None:
        """Book an answer taken from the response cache, at list price."""
        self.saved_by_cache += self.prices.cost(self.model, prompt_tokens, completion_tokens) or 0.0

    def skip_reason(self, estimate: float) -> str:
        """Why a request was not sent, with the numbers."""
        return (
            f"cost cap ${self.cap:.4f} reached: spent ${self.spent:.4f} + in flight "
            f"${self.committed:.4f} + this request's estimate ${estimate:.4f} would pass it"
        )
