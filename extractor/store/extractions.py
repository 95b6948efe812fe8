"""The extraction repository: one article's ``ArticleExtraction`` and its records, flattened."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extractor.store import record_rows as rr
from extractor.store.database import Database, insert
from extractor.store.field_checks import insert_checks
from schemas.records import SCHEMA_VERSION, ArticleExtraction

RECORD_KINDS = ("meetings", "agreements", "metrics", "projects")


class ExtractionRepository:
    """Articles and their records: saved whole (JSON) and per record (SQL, CSV export)."""

    def __init__(self, database: Database) -> None:
        """Read and write the extractions of ``database``."""
        self._database = database

    def has_article(
        self, sha256: str, backend: str, model: str, prompt_version: str | None, schema_version: str
    ) -> bool:
        """Tell whether this text was already extracted with this backend, model and versions."""
        return bool(
            self._database.query(
                "SELECT 1 FROM articles WHERE sha256=? AND backend=? AND model=? "
                "AND prompt_version=? AND schema_version=?",
                (sha256, backend, model, prompt_version or "", schema_version),
            )
        )

    def find(
        self, sha256: str, backend: str, model: str | None, prompt_version: str | None
    ) -> ArticleExtraction | None:
        """The latest stored extraction of this text by this backend, or None.

        Model and prompt version must match too when given; the schema version always must.
        """
        row = self._lookup("extraction", sha256, backend, model, prompt_version)
        return ArticleExtraction.model_validate_json(row[0]) if row else None

    def has(self, sha256: str, backend: str, model: str | None, prompt_version: str | None) -> bool:
        """Tell whether ``find`` would find one, without loading it."""
        return self._lookup("1", sha256, backend, model, prompt_version) is not None

    def _lookup(
        self, column: str, sha256: str, backend: str, model: str | None, prompt_version: str | None
    ) -> tuple[Any, ...] | None:
        sql = f"SELECT {column} FROM articles WHERE sha256=? AND backend=? AND schema_version=?"
        params: list[str] = [sha256, backend, SCHEMA_VERSION]
        if model is not None:
            sql += " AND model=?"
            params.append(model)
        if prompt_version is not None:
            sql += " AND prompt_version=?"
            params.append(prompt_version)
        rows = self._database.query(sql + " ORDER BY id DESC LIMIT 1", params)
        return rows[0] if rows else None

    def save(self, ex: ArticleExtraction) -> int:
        """Store one article's extraction and its records, replacing an earlier identical run.

        Returns:
            The article's row id.
        """
        with self._database.transaction() as db:
            db.execute(
                "DELETE FROM articles WHERE sha256=? AND backend=? AND model=? "
                "AND prompt_version=? AND schema_version=?",
                (
                    ex.source.sha256,
                    ex.backend,
                    ex.model,
                    ex.prompt_version or "",
                    ex.schema_version,
                ),
            )
            aid = insert(db, "articles", rr.article_row(ex))
            for i, m in enumerate(ex.meetings):
                mid = insert(db, "meetings", {"article_id": aid, "idx": i, **rr.meeting_row(m)})
                for person in m.participants:
                    row = {"meeting_id": mid, "article_id": aid, **rr.participant_row(person)}
                    insert(db, "participants", row)
            for i, a in enumerate(ex.agreements):
                insert(db, "agreements", {"article_id": aid, "idx": i, **rr.agreement_row(a)})
            for i, x in enumerate(ex.metrics):
                insert(db, "metrics", {"article_id": aid, "idx": i, **rr.metric_row(x)})
            for i, p in enumerate(ex.projects):
                insert(db, "projects", {"article_id": aid, "idx": i, **rr.project_row(p)})
            for kind in RECORD_KINDS:
                for i, record in enumerate(getattr(ex, kind)):
                    for e in record.evidence:
                        insert(
                            db,
                            "evidence",
                            {
                                "article_id": aid,
                                "record_kind": kind,
                                "record_idx": i,
                                "quote": e.quote,
                                "span_start": e.start,
                                "span_end": e.end,
                                "status": e.status.value,
                                "score": e.score,
                            },
                        )
            insert_checks(db, aid, ex)
        return aid

    def all(self) -> Iterator[ArticleExtraction]:
        """Every stored article extraction, in the order they were stored."""
        for (raw,) in self._database.query("SELECT extraction FROM articles ORDER BY id"):
            yield ArticleExtraction.model_validate_json(raw)
