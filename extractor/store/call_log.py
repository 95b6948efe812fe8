"""Every LLM exchange, failed attempts included: request, response, tokens, latency, error."""

from __future__ import annotations

import time

from extractor.backends.base import Exchange
from extractor.store.database import Database, insert
from extractor.store.scrubbing import scrub, to_json


class CallLog:
    """The ``call_log`` table, behind the backends' ``CallLog`` callable."""

    def __init__(self, database: Database) -> None:
        """Append to the call log of ``database``."""
        self._database = database

    def log_exchange(self, exchange: Exchange) -> None:
        """Append one LLM exchange to the call log (credentials scrubbed)."""
        request = {k: v for k, v in exchange.request.items() if k != "response_model"}
        row = {
            "ts": time.time(),
            "model": exchange.model,
            "attempt": exchange.attempt,
            "cached": int(exchange.cached),
            "latency_s": exchange.latency_s,
            "prompt_tokens": exchange.prompt_tokens,
            "completion_tokens": exchange.completion_tokens,
            "error": scrub(exchange.error) if exchange.error else None,
            "request": to_json(scrub(request)),
            "response": to_json(scrub(exchange.response))
            if exchange.response is not None
            else None,
        }
        with self._database.transaction() as db:
            insert(db, "call_log", row)

    __call__ = log_exchange
