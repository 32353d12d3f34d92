"""The DuckDB file: connections, retries on a busy file, applying the numbered migrations.

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
from fitbrief.store.migrations import MIGRATIONS

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
        """Open, migrate (once per process) and close a connection.  A new database is made
        only in a folder that exists, and only a file that is fitbrief's is ever migrated."""
        if not self._checked:
            if self.path.is_dir():
                raise DatabaseError(f"{self.path}: is a folder, not a database file")
            if not self.path.parent.is_dir():
                raise DatabaseError(
                    f"{self.path}: the folder {self.path.parent} does not exist "
                    "(fitbrief makes the database file, never folders)"
                )
        if read_only and not self._checked and not self.path.exists():
            with self.connect(read_only=False):  # a new database: made and migrated first
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
                if version < LATEST_VERSION and read_only:
                    # A read-only connection cannot migrate: do it on a writable one first.
                    con.close()
                    with self.connect(read_only=False):
                        pass
                    con = self._open(read_only)
                elif not read_only:
                    check_ours(con, self.path)
                    migrate(con)
                self._checked = True
            yield con
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


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The database's tables, by name."""
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            " ORDER BY table_name"
        ).fetchall()
    ]


def name_key(name: str) -> str:
    """How company names are compared: case and surrounding space do not count."""
    return name.strip().lower()


def company_filter(company: str | None, prefix: str = "WHERE") -> tuple[str, list[Any]]:
    """SQL (after ``prefix``) and parameters that keep the rows of one company (joined as
    ``c``), or nothing when ``company`` is None."""
    if company:
        return f"{prefix} c.name_key = ?", [name_key(company)]
    return "", []


def check_ours(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Raise DatabaseError unless the database is empty or was made by fitbrief: its
    migrations table names fitbrief's migrations.  Another application's DuckDB file is
    never changed."""
    tables = table_names(con)
    if not tables:
        return
    ours = {version: name for version, name, _ in MIGRATIONS}
    recorded: list[tuple[Any, ...]] = []
    if "schema_migrations" in tables:
        try:
            recorded = con.execute("SELECT version, name FROM schema_migrations").fetchall()
        except duckdb.Error:
            recorded = []
    if not recorded or any(ours.get(v, n) != n for v, n in recorded):
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise DatabaseError(
            f"{path}: not a fitbrief database (it holds other tables: {shown}); "
            "nothing was changed: choose another --db"
        )


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations, each in its own transaction together with its row in
    schema_migrations (created in the first one), so a failure leaves nothing half-made;
    returns the versions applied."""
    current = schema_version(con)
    applied = []
    for version, name, sql in MIGRATIONS:
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
            )
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
