"""SQLite store: articles and their records, the LLM call log and the response cache.

One file (default ``out/extractor.db``) holds everything a batch run produces:

- ``articles``: one row per (text sha256, backend, model, prompt version, schema version), with
  the whole ``ArticleExtraction`` as JSON; re-saving the same article replaces its rows, so a
  resumed run never duplicates one.
- ``meetings``, ``participants``, ``agreements``, ``metrics``, ``projects``, ``evidence``: the
  records, flattened for SQL and CSV export.
- ``call_log``: every LLM exchange (request, response, tokens, latency, attempt, error).
- ``response_cache``: response bodies by request key, so identical requests cost nothing.

Schema changes are ordered migration functions; ``_migrations`` records which ones ran. Keys and
Authorization headers are never written: request bodies are scrubbed of anything that looks
like a credential before they are stored.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from extractor.backends.base import Exchange
from extractor.errors import ConfigError
from extractor.secrets import is_secret_name, redact
from schemas.records import SCHEMA_VERSION, ArticleExtraction

DEFAULT_DB = Path("out") / "extractor.db"


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register a migration; they run once each, in the order they are defined."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    """Articles, records, evidence, call log and response cache."""
    _script(
        db,
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            path TEXT,
            sha256 TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt_version TEXT NOT NULL DEFAULT '',
            schema_version TEXT NOT NULL,
            title TEXT,
            outlet TEXT,
            published TEXT,
            chars INTEGER,
            requests INTEGER,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            warnings TEXT,
            extraction TEXT NOT NULL,
            created REAL NOT NULL,
            UNIQUE (sha256, backend, model, prompt_version, schema_version)
        );
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            date TEXT, date_precision TEXT, city TEXT, country TEXT, format TEXT, topics TEXT
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT, role TEXT, country TEXT
        );
        CREATE TABLE agreements (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            title TEXT, kind TEXT, status TEXT, parties TEXT, sector TEXT, period TEXT
        );
        CREATE TABLE metrics (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            name TEXT, value REAL, value_max REAL, unit TEXT, qualifier TEXT, kind TEXT,
            period TEXT, countries TEXT, route TEXT,
            verification TEXT, verification_reason TEXT, surface TEXT,
            span_start INTEGER, span_end INTEGER
        );
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            name TEXT, sector TEXT, status TEXT, countries TEXT, places TEXT
        );
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            record_kind TEXT NOT NULL,
            record_idx INTEGER NOT NULL,
            quote TEXT, span_start INTEGER, span_end INTEGER, status TEXT, score REAL
        );
        CREATE TABLE call_log (
            id INTEGER PRIMARY KEY,
            ts REAL NOT NULL,
            model TEXT,
            attempt INTEGER,
            cached INTEGER,
            latency_s REAL,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            error TEXT,
            request TEXT,
            response TEXT
        );
        CREATE TABLE response_cache (
            key TEXT PRIMARY KEY,
            response TEXT NOT NULL,
            created REAL NOT NULL
        );
        CREATE INDEX meetings_article ON meetings(article_id);
        CREATE INDEX metrics_article ON metrics(article_id);
        CREATE INDEX evidence_article ON evidence(article_id);
        """,
    )


@migration
def m002_consolidated(db: sqlite3.Connection) -> None:
    """Consolidated records across articles (``extractor consolidate``), beside the per-article ones.

    Rows come from ``extractor.consolidate.merge.to_rows``; list-valued columns hold JSON, and every
    source or timeline row names its article (``sha256``) and record (``metrics[2]``).
    """
    _script(
        db,
        """
        CREATE TABLE consolidated_persons (id TEXT PRIMARY KEY, name TEXT, titles TEXT,
            countries TEXT);
        CREATE TABLE consolidated_person_aliases (person_id TEXT, alias TEXT, rule TEXT);
        CREATE TABLE consolidated_meetings (id TEXT PRIMARY KEY, date TEXT, precision TEXT,
            city TEXT, country TEXT, formats TEXT, participants TEXT, topics TEXT,
            merge_reasons TEXT);
        CREATE TABLE consolidated_meeting_sources (meeting_id TEXT, sha256 TEXT, record TEXT,
            spans TEXT);
        CREATE TABLE consolidated_projects (id TEXT PRIMARY KEY, name TEXT, kind TEXT,
            waypoints TEXT, countries TEXT, status TEXT, aliases TEXT);
        CREATE TABLE consolidated_project_timeline (project_id TEXT, date TEXT, status TEXT,
            name TEXT, sha256 TEXT, record TEXT, spans TEXT);
        CREATE TABLE consolidated_agreements (id TEXT PRIMARY KEY, title TEXT, kind TEXT,
            parties TEXT, status TEXT);
        CREATE TABLE consolidated_agreement_timeline (agreement_id TEXT, date TEXT, status TEXT,
            title TEXT, sha256 TEXT, record TEXT, spans TEXT);
        CREATE TABLE consolidated_metric_timeline (metric_id TEXT, metric TEXT, date TEXT,
            period_key TEXT, name TEXT, value REAL, value_max REAL, unit TEXT, qualifier TEXT,
            kind TEXT, verification TEXT, sha256 TEXT, record TEXT, spans TEXT);
        CREATE TABLE consolidated_conflicts (id TEXT PRIMARY KEY, metric_id TEXT,
            period_key TEXT, reason TEXT, a_sha256 TEXT, a_record TEXT, a_value REAL,
            b_sha256 TEXT, b_record TEXT, b_value REAL);
        CREATE TABLE consolidated_countries (code TEXT PRIMARY KEY, name TEXT, articles TEXT)
        """,
    )


def _script(db: sqlite3.Connection, sql: str) -> None:
    """Run statements one by one inside the caller's transaction (executescript would commit)."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


TABLES: tuple[str, ...] = (
    "articles",
    "meetings",
    "participants",
    "agreements",
    "metrics",
    "projects",
    "evidence",
    "call_log",
    "response_cache",
)
RECORD_TABLES = TABLES[:7]
CONSOLIDATED = (
    "persons",
    "person_aliases",
    "meetings",
    "meeting_sources",
    "projects",
    "project_timeline",
    "agreements",
    "agreement_timeline",
    "metric_timeline",
    "conflicts",
    "countries",
)
TABLES += tuple(f"consolidated_{name}" for name in CONSOLIDATED)


_SCHEMA_KEYS = {"tools", "functions", "response_format", "response_model", "tool_choice"}


def scrub(value: Any) -> Any:
    """Drop credential-looking keys and mask bearer tokens and ``sk-`` keys anywhere in a value.

    The JSON schema a request carries (``tools`` etc.) is this project's own and holds no
    secrets: it is passed through as is, which keeps logging cheap.
    """
    if isinstance(value, dict):
        return {
            k: (
                "[redacted]"
                if isinstance(k, str) and is_secret_name(k)
                else v
                if k in _SCHEMA_KEYS
                else scrub(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class Store:
    """The SQLite database of one project directory; safe to share between threads.

    It is also the ``ResponseCache`` (``get``/``put``) and a ``CallLog`` (``log_exchange``) that
    the openai backend takes.
    """

    def __init__(self, path: str | Path = DEFAULT_DB) -> None:
        """Open (creating if needed) the database at ``path`` and run pending migrations.

        Raises:
            ConfigError: The path cannot be opened as a SQLite database.
        """
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=10000")
            self.migrate()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise ConfigError(
                f"cannot open the database {self.path}: {exc}",
                hint="pass --db with a writable path, or delete a corrupt file",
            ) from None

    # -- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[str]:
        """Run the migrations not yet applied, in order; return their names."""
        with self._lock:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied REAL)"
            )
            done = {row[0] for row in self._db.execute("SELECT name FROM _migrations")}
            ran = []
            for name, fn in MIGRATIONS:
                if name in done:
                    continue
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    fn(self._db)
                    self._db.execute(
                        "INSERT INTO _migrations (name, applied) VALUES (?, ?)", (name, time.time())
                    )
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                ran.append(name)
            return ran

    # -- ResponseCache --------------------------------------------------------------------
    def get(self, key: str) -> dict[str, Any] | None:
        """Return the cached response body for a request key, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT response FROM response_cache WHERE key = ?", (key,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, response: dict[str, Any]) -> None:
        """Cache a response body under a request key."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO response_cache (key, response, created) VALUES (?, ?, ?)",
                (key, _json(scrub(response)), time.time()),
            )

    # -- CallLog --------------------------------------------------------------------------
    def log_exchange(self, exchange: Exchange) -> None:
        """Append one LLM exchange to the call log (credentials scrubbed)."""
        request = {k: v for k, v in exchange.request.items() if k != "response_model"}
        with self._lock:
            self._db.execute(
                "INSERT INTO call_log (ts, model, attempt, cached, latency_s, prompt_tokens, "
                "completion_tokens, error, request, response) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    time.time(),
                    exchange.model,
                    exchange.attempt,
                    int(exchange.cached),
                    exchange.latency_s,
                    exchange.prompt_tokens,
                    exchange.completion_tokens,
                    scrub(exchange.error) if exchange.error else None,
                    _json(scrub(request)),
                    _json(scrub(exchange.response)) if exchange.response is not None else None,
                ),
            )

    __call__ = log_exchange

    # -- articles -------------------------------------------------------------------------
    def has_article(
        self, sha256: str, backend: str, model: str, prompt_version: str | None, schema_version: str
    ) -> bool:
        """Tell whether this text was already extracted with this backend, model and versions."""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM articles WHERE sha256=? AND backend=? AND model=? "
                "AND prompt_version=? AND schema_version=?",
                (sha256, backend, model, prompt_version or "", schema_version),
            ).fetchone()
        return row is not None

    def find_extraction(
        self, sha256: str, backend: str, model: str | None, prompt_version: str | None
    ) -> ArticleExtraction | None:
        """The latest stored extraction of this text by this backend, or None.

        Model and prompt version must match too when given; the schema version always must.
        """
        row = self._lookup("extraction", sha256, backend, model, prompt_version)
        return ArticleExtraction.model_validate_json(row[0]) if row else None

    def has_extraction(
        self, sha256: str, backend: str, model: str | None, prompt_version: str | None
    ) -> bool:
        """Tell whether ``find_extraction`` would find one, without loading it."""
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
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(
                sql + " ORDER BY id DESC LIMIT 1", params
            ).fetchone()
        return row

    def save_extraction(self, ex: ArticleExtraction) -> int:
        """Store one article's extraction and its records, replacing an earlier identical run.

        Returns:
            The article's row id.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                article_id = self._insert(ex)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return article_id

    def _insert(self, ex: ArticleExtraction) -> int:
        db = self._db
        db.execute(
            "DELETE FROM articles WHERE sha256=? AND backend=? AND model=? AND prompt_version=? "
            "AND schema_version=?",
            (ex.source.sha256, ex.backend, ex.model, ex.prompt_version or "", ex.schema_version),
        )
        cur = db.execute(
            "INSERT INTO articles (path, sha256, backend, model, prompt_version, schema_version, "
            "title, outlet, published, chars, requests, prompt_tokens, completion_tokens, "
            "warnings, extraction, created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                ex.source.path,
                ex.source.sha256,
                ex.backend,
                ex.model,
                ex.prompt_version or "",
                ex.schema_version,
                ex.source.title,
                ex.source.outlet,
                ex.source.published,
                ex.source.chars,
                ex.usage.requests,
                ex.usage.prompt_tokens,
                ex.usage.completion_tokens,
                _json(ex.warnings),
                ex.model_dump_json(),
                time.time(),
            ),
        )
        aid = int(cur.lastrowid or 0)
        for i, m in enumerate(ex.meetings):
            mid = db.execute(
                "INSERT INTO meetings (article_id, idx, date, date_precision, city, country, "
                "format, topics) VALUES (?,?,?,?,?,?,?,?)",
                (
                    aid,
                    i,
                    m.date.value,
                    m.date.precision.value,
                    m.location.city,
                    m.location.country,
                    m.format.value,
                    _json(m.topics),
                ),
            ).lastrowid
            db.executemany(
                "INSERT INTO participants (meeting_id, article_id, name, role, country) "
                "VALUES (?,?,?,?,?)",
                [(mid, aid, p.name, p.role, p.country) for p in m.participants],
            )
        for i, a in enumerate(ex.agreements):
            db.execute(
                "INSERT INTO agreements (article_id, idx, title, kind, status, parties, sector, "
                "period) VALUES (?,?,?,?,?,?,?,?)",
                (
                    aid,
                    i,
                    a.title,
                    a.kind.value,
                    a.status.value,
                    _json(a.parties),
                    a.sector,
                    a.period.text if a.period else None,
                ),
            )
        for i, x in enumerate(ex.metrics):
            v = x.verification
            db.execute(
                "INSERT INTO metrics (article_id, idx, name, value, value_max, unit, qualifier, "
                "kind, period, countries, route, verification, verification_reason, surface, "
                "span_start, span_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    aid,
                    i,
                    x.name,
                    x.value,
                    x.value_max,
                    x.unit,
                    x.qualifier.value,
                    x.kind.value,
                    x.period.text if x.period else None,
                    _json(x.scope.countries),
                    _json(x.scope.route),
                    v.status.value,
                    v.reason,
                    v.surface,
                    v.start,
                    v.end,
                ),
            )
        for i, p in enumerate(ex.projects):
            db.execute(
                "INSERT INTO projects (article_id, idx, name, sector, status, countries, places) "
                "VALUES (?,?,?,?,?,?,?)",
                (aid, i, p.name, p.sector, p.status.value, _json(p.countries), _json(p.places)),
            )
        rows = []
        for kind in ("meetings", "agreements", "metrics", "projects"):
            for i, record in enumerate(getattr(ex, kind)):
                for e in record.evidence:
                    rows.append((aid, kind, i, e.quote, e.start, e.end, e.status.value, e.score))
        db.executemany(
            "INSERT INTO evidence (article_id, record_kind, record_idx, quote, span_start, "
            "span_end, status, score) VALUES (?,?,?,?,?,?,?,?)",
            rows,
        )
        return aid

    def extractions(self) -> Iterator[ArticleExtraction]:
        """Every stored article extraction, in the order they were stored."""
        with self._lock:
            rows = self._db.execute("SELECT extraction FROM articles ORDER BY id").fetchall()
        for (raw,) in rows:
            yield ArticleExtraction.model_validate_json(raw)

    def save_consolidated(self, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
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
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for name in CONSOLIDATED:
                    table = f"consolidated_{name}"
                    self._db.execute(f"DELETE FROM {table}")  # noqa: S608
                    batch = rows.get(name, [])
                    for row in batch:
                        columns = ", ".join(row)
                        marks = ", ".join("?" for _ in row)
                        self._db.execute(
                            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                            tuple(row.values()),
                        )
                    written[name] = len(batch)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return written

    def rows(self, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and rows of one table (``TABLES``), for export.

        Raises:
            ConfigError: ``table`` is not one of the store's tables.
        """
        if table not in TABLES:
            raise ConfigError(f"no table {table!r}", hint=f"use one of {', '.join(TABLES)}")
        with self._lock:
            cur = self._db.execute(f"SELECT * FROM {table} ORDER BY rowid")  # noqa: S608
            names = [d[0] for d in cur.description]
            return names, cur.fetchall()

    def count(self, table: str) -> int:
        """Number of rows in one table."""
        if table not in TABLES:
            raise ConfigError(f"no table {table!r}", hint=f"use one of {', '.join(TABLES)}")
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
