"""The DuckDB store: connections, retries on a busy file, numbered schema migrations.

Connections are short-lived on purpose: DuckDB lets only one process hold a database file at a
time, so each command (and each crawl write batch) opens, works and closes, and a second
process waits up to ``busy_timeout`` seconds for its turn instead of failing at once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from fitbrief.errors import DatabaseBusy, DatabaseError, SchemaTooNew

# Each migration runs in one transaction together with its row in schema_migrations.
# Never edit a released migration: add a new one.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "companies",
        """
        CREATE SEQUENCE company_id_seq;
        CREATE TABLE companies (
            id INTEGER PRIMARY KEY DEFAULT nextval('company_id_seq'),
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,      -- lower(name): names are unique case-insensitively
            url TEXT NOT NULL,
            added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            notes TEXT
        );
        CREATE TABLE boards (                   -- ATS job boards of a company
            company_id INTEGER NOT NULL,
            source TEXT NOT NULL,               -- greenhouse, lever, ashby, ...
            board TEXT NOT NULL,                -- token / site / slug / host
            origin TEXT NOT NULL,               -- 'user' or 'detected' (found on a crawled page)
            added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (company_id, source, board)
        );
        """,
    ),
    (
        2,
        "crawl",
        """
        CREATE SEQUENCE page_id_seq;
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY DEFAULT nextval('page_id_seq'),
            company_id INTEGER NOT NULL,
            url TEXT NOT NULL,                  -- requested URL, normalised
            final_url TEXT,                     -- after redirects
            status INTEGER,                     -- HTTP status; NULL when no response
            fetched_at TIMESTAMPTZ NOT NULL,
            content_type TEXT,
            etag TEXT,
            last_modified TEXT,
            sha256 TEXT,                        -- of the decoded body
            body BLOB,                          -- zlib-compressed UTF-8 text
            error TEXT,                         -- why this page failed or was skipped
            depth INTEGER,
            link_text TEXT,
            UNIQUE (company_id, url)
        );
        CREATE SEQUENCE crawl_run_id_seq;
        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY DEFAULT nextval('crawl_run_id_seq'),
            company_id INTEGER NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            finished_at TIMESTAMPTZ,
            fetched INTEGER, unchanged INTEGER, skipped INTEGER, robots INTEGER, failed INTEGER,
            postings INTEGER,
            seconds DOUBLE,
            error TEXT
        );
        """,
    ),
    (
        3,
        "extraction",
        """
        CREATE TABLE documents (
            page_id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,               -- the page content this was extracted from
            title TEXT, description TEXT, lang TEXT, canonical TEXT,
            published DATE,
            kind TEXT, kind_confidence DOUBLE,
            text TEXT,
            json_ld TEXT,                       -- JSON array of the page's JSON-LD objects
            extracted_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE SEQUENCE passage_id_seq;
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY DEFAULT nextval('passage_id_seq'),
            page_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            heading TEXT,                       -- heading path, "Our values > Customer obsession"
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL                -- of text: the embedding cache key
        );
        CREATE INDEX passages_page ON passages (page_id);
        """,
    ),
    (
        4,
        "postings",
        """
        CREATE SEQUENCE posting_id_seq;
        CREATE TABLE postings (
            id INTEGER PRIMARY KEY DEFAULT nextval('posting_id_seq'),
            company_id INTEGER NOT NULL,
            source TEXT NOT NULL,
            source_id TEXT NOT NULL,
            board TEXT,
            title TEXT NOT NULL,
            department TEXT,
            locations TEXT,                     -- JSON array
            workplace TEXT,                     -- remote / hybrid / on-site
            employment_type TEXT,
            seniority TEXT,
            posted_at TIMESTAMPTZ,
            updated_at TIMESTAMPTZ,
            url TEXT,
            apply_url TEXT,
            description TEXT,
            description_html TEXT,              -- sanitised
            salary_min DOUBLE, salary_max DOUBLE, salary_currency TEXT, salary_interval TEXT,
            salary_origin TEXT,                 -- 'structured' (feed field) or 'text'
            requirements TEXT,                  -- JSON array of bullet strings
            responsibilities TEXT,              -- JSON array
            skills TEXT,                        -- JSON array
            raw TEXT,                           -- the source record, JSON
            content_hash TEXT,
            status TEXT NOT NULL,               -- open / closed
            first_seen TIMESTAMPTZ NOT NULL,
            last_seen TIMESTAMPTZ NOT NULL,
            closed_at TIMESTAMPTZ,
            UNIQUE (company_id, source, source_id)
        );
        CREATE SEQUENCE source_fetch_id_seq;
        CREATE TABLE source_fetches (
            id INTEGER PRIMARY KEY DEFAULT nextval('source_fetch_id_seq'),
            company_id INTEGER NOT NULL,
            source TEXT NOT NULL,
            board TEXT NOT NULL,
            fetched_at TIMESTAMPTZ NOT NULL,
            postings INTEGER,
            error TEXT
        );
        """,
    ),
    (
        5,
        "values",
        """
        CREATE TABLE embeddings (               -- nothing is embedded twice
            model TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            vector FLOAT[] NOT NULL,            -- L2-normalised
            PRIMARY KEY (model, sha256)
        );
        CREATE TABLE culture_profiles (
            company_id INTEGER NOT NULL,
            model TEXT NOT NULL,
            inputs_hash TEXT NOT NULL,          -- passages + taxonomy: recompute when it changes
            computed_at TIMESTAMPTZ NOT NULL,
            profile TEXT NOT NULL,              -- JSON
            PRIMARY KEY (company_id, model)
        );
        """,
    ),
    (
        6,
        "interviews",
        """
        CREATE SEQUENCE interview_id_seq;
        CREATE TABLE interviews (
            id INTEGER PRIMARY KEY DEFAULT nextval('interview_id_seq'),
            company_id INTEGER NOT NULL,
            date DATE NOT NULL,
            role TEXT,
            outcome TEXT NOT NULL,
            feedback TEXT,
            questions_hash TEXT NOT NULL,
            covered_share DOUBLE,
            report TEXT,                        -- JSON gap report as shown
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE TABLE interview_questions (
            interview_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            question TEXT NOT NULL,
            category TEXT NOT NULL,
            covered BOOLEAN NOT NULL,
            similarity DOUBLE,
            PRIMARY KEY (interview_id, position)
        );
        """,
    ),
    (
        7,
        "classifier weights",
        """
        CREATE TABLE classifiers (              -- the trained values classifier, so commands
            key TEXT PRIMARY KEY,               -- need not import scikit-learn and retrain:
            classes TEXT NOT NULL,              -- key = model id + taxonomy + settings
            coef BLOB NOT NULL,                 -- float64 (classes x dimensions)
            intercept BLOB NOT NULL,            -- float64 (classes)
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        """,
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]
_LOCK_PATTERN = re.compile(r"lock|in use|conflicting", re.IGNORECASE)


def _is_lock_error(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and bool(_LOCK_PATTERN.search(str(exc)))


class Database:
    """One DuckDB file.  ``with db.connect() as con:`` gives a migrated connection."""

    def __init__(self, path: str | Path, busy_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._checked = False

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.busy_timeout
        delay = 0.05
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.Error as exc:
                if _is_lock_error(exc):
                    if time.monotonic() >= deadline:
                        raise DatabaseBusy(
                            f"{self.path}: database is in use by another process "
                            f"(waited {self.busy_timeout:g}s); try again when it finishes"
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.5)
                    continue
                message = str(exc).split("\n")[0]
                if "not a valid DuckDB database" in message:
                    message = "not a DuckDB database file"
                raise DatabaseError(f"{self.path}: {message}") from None

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open, migrate (once per process) and close a connection."""
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if read_only and not self._checked:
            # A read-only connection cannot migrate: bring the schema up to date first.
            if not self.path.exists() or self._version_on_disk() < LATEST_VERSION:
                with self.connect(read_only=False):
                    pass
        con = self._open(read_only)
        try:
            if not self._checked:
                version = schema_version(con)
                if version > LATEST_VERSION:
                    raise SchemaTooNew(
                        f"{self.path}: schema version {version} is newer than this fitbrief "
                        f"understands ({LATEST_VERSION}); upgrade fitbrief"
                    )
                if not read_only:
                    migrate(con)
                self._checked = True
            yield con
        finally:
            con.close()

    def _version_on_disk(self) -> int:
        con = self._open(read_only=True)
        try:
            return schema_version(con)
        finally:
            con.close()


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied, 0 for a new database."""
    # fetchall, not fetchone: DuckDB 2 keeps a partly fetched result open, and an open result
    # makes the caller's next register() on this connection fail ("unfinished result").
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()
    if not exists or not exists[0][0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchall()
    return int(row[0][0]) if row and row[0][0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations, each in its own transaction; returns the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    current = schema_version(con)
    applied = []
    for version, name, sql in MIGRATIONS:
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None
) -> list[dict[str, Any]]:
    """Run a query and return its rows as dicts."""
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every table."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            " ORDER BY table_name"
        ).fetchall()
    ]
    counts = {}
    for name in names:
        row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        counts[name] = int(row[0]) if row else 0
    return counts
