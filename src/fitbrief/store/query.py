"""Read-only access for people: ``fitbrief sql`` and ``fitbrief db info``."""

from __future__ import annotations

from typing import Any

import duckdb

from fitbrief.errors import UsageError
from fitbrief.store.database import Database, fetch_dicts, schema_version, table_names

_READ_ONLY = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def read_only_query(db: Database, sql: str) -> list[dict[str, Any]]:
    """Rows of a SELECT or EXPLAIN query; anything that could write is refused."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise UsageError(f"SQL error: {str(exc).splitlines()[0]}") from None
    if not statements or any(s.type not in _READ_ONLY for s in statements):
        raise UsageError("only read-only queries (SELECT, EXPLAIN) are allowed")
    with db.connect(read_only=True) as con:
        try:
            return fetch_dicts(con, sql)
        except duckdb.Error as exc:
            raise UsageError(f"SQL error: {str(exc).splitlines()[0]}") from None


def database_info(db: Database) -> dict[str, Any]:
    """Path, schema version and the row count of every table."""
    with db.connect(read_only=True) as con:
        names = table_names(con)
        counts = {}
        for name in names:
            row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            counts[name] = int(row[0]) if row else 0
        return {"path": str(db.path), "schema_version": schema_version(con), "tables": counts}
