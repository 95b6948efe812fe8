"""The SQLite store of one project directory, as the pieces it is.

- :mod:`~extractor.store.migrations`: the schema, as ordered migration functions.
- :class:`ResponseCache`: response bodies by request key (``store.cache``).
- :class:`CallLog`: every LLM exchange, failed attempts included (``store.calls``).
- :class:`ExtractionRepository`: articles and their records (``store.extractions``).
- :class:`ConsolidatedRepository`: records merged across articles (``store.consolidated``).
- :class:`BatchJobs`: Batch API files, batches and request states (``store.batches``).

Keys and Authorization headers are never written: request bodies are scrubbed of anything that
looks like a credential before they are stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractor.errors import ConfigError
from extractor.store.batch_jobs import BatchJobs
from extractor.store.call_log import CallLog
from extractor.store.consolidated import ConsolidatedRepository
from extractor.store.database import Database
from extractor.store.extractions import ExtractionRepository
from extractor.store.migrations import CONSOLIDATED, MIGRATIONS, RECORD_TABLES, TABLES
from extractor.store.response_cache import ResponseCache
from extractor.store.scrubbing import scrub

__all__ = [
    "CONSOLIDATED",
    "DEFAULT_DB",
    "MIGRATIONS",
    "RECORD_TABLES",
    "TABLES",
    "BatchJobs",
    "CallLog",
    "ConsolidatedRepository",
    "ExtractionRepository",
    "ResponseCache",
    "Store",
    "scrub",
]

DEFAULT_DB = Path("out") / "extractor.db"


class Store:
    """One database file and its repositories; safe to share between threads."""

    def __init__(self, path: str | Path = DEFAULT_DB) -> None:
        """Open (creating if needed) the database at ``path`` and run pending migrations.

        Raises:
            ConfigError: The path cannot be opened as a SQLite database.
        """
        self.path = Path(path)
        self.database = Database(self.path)
        self.cache = ResponseCache(self.database)
        self.calls = CallLog(self.database)
        self.extractions = ExtractionRepository(self.database)
        self.consolidated = ConsolidatedRepository(self.database)
        self.batches = BatchJobs(self.database)

    def close(self) -> None:
        """Close the connection."""
        self.database.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[str]:
        """Run the migrations not yet applied, in order; return their names."""
        return self.database.migrate()

    def rows(self, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and rows of one table (``TABLES``), for export.

        A table of records (its rows name an ``article_id``) gets the article's file path as a
        last column, ``article_path``, so an exported row says which article it came from.

        Raises:
            ConfigError: ``table`` is not one of the store's tables.
        """
        _known(table)
        columns = self.database.columns(table)
        if "article_id" not in columns:
            return columns, self.database.query(
                f"SELECT * FROM {table} ORDER BY rowid"  # noqa: S608
            )
        return [*columns, "article_path"], self.database.query(
            f"SELECT t.*, a.path FROM {table} AS t "  # noqa: S608
            "LEFT JOIN articles AS a ON a.id = t.article_id ORDER BY t.rowid"
        )

    def count(self, table: str) -> int:
        """Number of rows in one table."""
        _known(table)
        return int(self.database.query(f"SELECT COUNT(*) FROM {table}")[0][0])  # noqa: S608


def _known(table: str) -> None:
    if table not in TABLES:
        raise ConfigError(f"no table {table!r}", hint=f"use one of {', '.join(TABLES)}")
