"""The ``checks`` table: every field check of every stored record, one row each.

``unsupported`` lists the fields the checks flagged, so a reviewer (or ``extractor export
--table checks``) sees which claims of which record the article does not support.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from extractor.store.database import Database, insert
from schemas.records import ArticleExtraction

RECORD_KINDS = ("meetings", "agreements", "metrics", "projects")


def insert_checks(db: sqlite3.Connection, article_id: int, ex: ArticleExtraction) -> None:
    """Write the field checks of every record of one extraction."""
    for kind in RECORD_KINDS:
        for i, record in enumerate(getattr(ex, kind)):
            for c in record.checks:
                insert(
                    db,
                    "checks",
                    {
                        "article_id": article_id,
                        "record_kind": kind,
                        "record_idx": i,
                        "field": c.field,
                        "status": c.status.value,
                        "span_start": c.start,
                        "span_end": c.end,
                        "reason": c.reason,
                    },
                )


def unsupported(database: Database, sha256: str | None = None) -> list[dict[str, Any]]:
    """The unsupported fields of the stored records (of one article when ``sha256`` is given)."""
    sql = (
        "SELECT a.sha256, a.path, c.record_kind, c.record_idx, c.field, c.reason "
        "FROM checks c JOIN articles a ON a.id = c.article_id WHERE c.status = 'unsupported'"
    )
    params: tuple[Any, ...] = ()
    if sha256 is not None:
        sql += " AND a.sha256 = ?"
        params = (sha256,)
    names = ("sha256", "path", "record_kind", "record_idx", "field", "reason")
    rows = database.query(sql + " ORDER BY c.id", params)
    return [dict(zip(names, row, strict=True)) for row in rows]
