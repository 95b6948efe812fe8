"""The store's schema as ordered migration functions; ``_migrations`` records which ones ran.

A migration runs once, in the order it is defined, inside one transaction. Add a table or a
column by appending a migration here (never by editing one that has shipped), then write its rows
in the repository that owns the table.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

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


@migration
def m003_places_on_the_map(db: sqlite3.Connection) -> None:
    """Places on the map: GeoNames id and coordinates of meeting cities, project towns (JSON)."""
    _script(
        db,
        """
        ALTER TABLE meetings ADD COLUMN geonameid INTEGER;
        ALTER TABLE meetings ADD COLUMN lat REAL;
        ALTER TABLE meetings ADD COLUMN lon REAL;
        ALTER TABLE projects ADD COLUMN place_refs TEXT;
        ALTER TABLE consolidated_meetings ADD COLUMN geonameid INTEGER;
        ALTER TABLE consolidated_meetings ADD COLUMN lat REAL;
        ALTER TABLE consolidated_meetings ADD COLUMN lon REAL
        """,
    )


@migration
def m004_field_checks(db: sqlite3.Connection) -> None:
    """Every field check of every record: supported, inferred or unsupported, with its span."""
    _script(
        db,
        """
        CREATE TABLE checks (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            record_kind TEXT NOT NULL,
            record_idx INTEGER NOT NULL,
            field TEXT NOT NULL,
            status TEXT NOT NULL,
            span_start INTEGER,
            span_end INTEGER,
            reason TEXT
        );
        CREATE INDEX checks_article ON checks(article_id);
        CREATE INDEX checks_status ON checks(status)
        """,
    )


@migration
def m005_metric_timeline_unsupported(db: sqlite3.Connection) -> None:
    """The fields of a consolidated metric statement its article does not support (JSON list)."""
    db.execute("ALTER TABLE consolidated_metric_timeline ADD COLUMN unsupported TEXT")


@migration
def m006_batch_jobs(db: sqlite3.Connection) -> None:
    """Batch API files and batches, and the state of every request sent through them.

    Written by ``extractor.store.batch_jobs``. ``call_log`` gains the batch id, custom_id and
    the cost of each answer, so batch answers are logged like live ones.
    """
    _script(
        db,
        """
        CREATE TABLE batch_jobs (
            id INTEGER PRIMARY KEY,
            model TEXT NOT NULL,
            requests INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            file_id TEXT,
            batch_id TEXT UNIQUE,
            status TEXT NOT NULL,
            total INTEGER NOT NULL DEFAULT 0,
            completed INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            cost REAL NOT NULL DEFAULT 0,
            ingested INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            created REAL NOT NULL,
            updated REAL NOT NULL
        );
        CREATE TABLE batch_requests (
            key TEXT PRIMARY KEY,
            job_id INTEGER REFERENCES batch_jobs(id),
            state TEXT NOT NULL,
            submissions INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            updated REAL NOT NULL
        );
        CREATE INDEX batch_requests_job ON batch_requests(job_id);
        ALTER TABLE call_log ADD COLUMN batch_id TEXT;
        ALTER TABLE call_log ADD COLUMN custom_id TEXT;
        ALTER TABLE call_log ADD COLUMN cost REAL
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
    "checks",
    "call_log",
    "response_cache",
)
RECORD_TABLES = TABLES[:8]
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
TABLES += ("batch_jobs", "batch_requests")


def migrate(db: sqlite3.Connection) -> list[str]:
    """Run the migrations not yet applied to ``db``, in order; return their names."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied REAL)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    ran = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            fn(db)
            db.execute("INSERT INTO _migrations (name, applied) VALUES (?, ?)", (name, time.time()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        ran.append(name)
    return ran
