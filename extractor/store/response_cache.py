"""Response bodies by request key, so an identical LLM request costs nothing the second time."""

from __future__ import annotations

import json
import time
from typing import Any

from extractor.store.database import Database, insert
from extractor.store.scrubbing import scrub, to_json


class ResponseCache:
    """The ``response_cache`` table, behind the backends' ``ResponseCache`` protocol."""

    def __init__(self, database: Database) -> None:
        """Serve and fill the cache of ``database``."""
        self._database = database

    def get(self, key: str) -> dict[str, Any] | None:
        """Return the cached response body for a request key, or None."""
        rows = self._database.query("SELECT response FROM response_cache WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def put(self, key: str, response: dict[str, Any]) -> None:
        """Cache a response body under a request key (credentials scrubbed)."""
        with self._database.transaction() as db:
            db.execute("DELETE FROM response_cache WHERE key = ?", (key,))
            insert(
                db,
                "response_cache",
                {"key": key, "response": to_json(scrub(response)), "created": time.time()},
            )
