"""The consolidated repository: records merged across articles, beside the per-article ones."""

from __future__ import annotations

from typing import Any

from extractor.errors import ConfigError
from extractor.store.database import Database, insert
from extractor.store.migrations import CONSOLIDATED


class ConsolidatedRepository:
    """The ``consolidated_*`` tables, replaced whole by each consolidation."""

    def __init__(self, database: Database) -> None:
        """Write the consolidated tables of ``database``."""
        self._database = database

    def save(self, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        """Replace the consolidated tables with ``rows`` (``extractor.consolidate.merge.to_rows``).

        One transaction: a reader sees the old consolidation or the new one, never a mix.

        Returns:
            Rows written per table.

        Raises:
            ConfigError: ``rows`` names a table the store does not have.
        """
        unknown = set(rows) - set(CONSOLIDATED)
        if unknown:
            raise ConfigError(f"no consolidated table(s) {sorted(unknown)}")
        written: dict[str, int] = {}
        with self._database.transaction() as db:
            for name in CONSOLIDATED:
                table = f"consolidated_{name}"
                db.execute(f"DELETE FROM {table}")  # noqa: S608
                batch = rows.get(name, [])
                for row in batch:
                    insert(db, table, row)
                written[name] = len(batch)
        return written
