"""One SQLite connection shared by the store's repositories: locking, transactions, inserts."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from extractor.errors import ConfigError
from extractor.store.migrations import migrate


class Database:
    """A SQLite file opened for many threads, its migrations applied."""

    def __init__(self, path: Path) -> None:
        """Open (creating if needed) the database at ``path`` and run pending migrations.

        Raises:
            ConfigError: The path cannot be opened as a SQLite database.
        """
        self.path = path
        self.lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=10000")
            self.migrate()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise ConfigError(
                f"cannot open the database {self.path}: {exc}",
                hint="pass --db with a writable path, or delete a corrupt file",
            ) from None

    def migrate(self) -> list[str]:
        """Run the migrations not yet applied, in order; return their names."""
        with self.lock:
            return migrate(self.db)

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one write transaction: committed on success, rolled back on error."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one read query under the lock and return every row."""
        with self.lock:
            return self.db.execute(sql, params).fetchall()

    def columns(self, table: str) -> list[str]:
        """The column names of one table, in order."""
        with self.lock:
            return [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")]


def insert(db: sqlite3.Connection, table: str, row: Mapping[str, Any]) -> int:
    """Insert one row written by column name; return its row id."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))  # noqa: S608
    return int(cur.lastrowid or 0)
