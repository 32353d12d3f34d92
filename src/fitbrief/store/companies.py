"""Companies and their job boards: the things fitbrief researches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from fitbrief.errors import AlreadyExists, NotFound
from fitbrief.records import Board, Company, CompanyStatus
from fitbrief.store.database import Database, fetch_dicts, name_key


def add_company(
    db: Database, name: str, url: str, boards: Sequence[Board] = (), notes: str | None = None
) -> Company:
    """Store a company (names are unique case-insensitively); inputs are checked by the
    caller."""
    with db.connect() as con:
        if con.execute("SELECT 1 FROM companies WHERE name_key = ?", [name_key(name)]).fetchall():
            raise AlreadyExists(f"company {name!r} already exists")
        con.execute("BEGIN TRANSACTION")
        row = con.execute(
            "INSERT INTO companies (name, name_key, url, notes) VALUES (?, ?, ?, ?) RETURNING id",
            [name, name_key(name), url, notes],
        ).fetchone()
        assert row is not None
        for board in boards:
            add_board(con, row[0], board)
        con.execute("COMMIT")
        return _get(con, name)


def add_board(con: duckdb.DuckDBPyConnection, company_id: int, board: Board) -> bool:
    """Record a job board for a company; False when it was known already."""
    inserted = con.execute(
        "INSERT INTO boards (company_id, source, board, origin) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING RETURNING 1",
        [company_id, board.source, board.board, board.origin],
    ).fetchall()
    return bool(inserted)


def _companies(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[Company]:
    """Companies from their rows, each with its boards (read in one query for all)."""
    boards: dict[int, list[Board]] = {r["id"]: [] for r in rows}
    if rows:
        for b in fetch_dicts(
            con,
            "SELECT company_id, source, board, origin FROM boards"
            " WHERE company_id IN (SELECT unnest(?::INTEGER[])) ORDER BY source, board",
            [list(boards)],
        ):
            boards[b["company_id"]].append(Board(b["source"], b["board"], b["origin"]))
    return [
        Company(r["id"], r["name"], r["url"], r["added_at"], r["notes"], boards[r["id"]])
        for r in rows
    ]


def _get(con: duckdb.DuckDBPyConnection, name: str) -> Company:
    rows = fetch_dicts(
        con,
        "SELECT id, name, url, added_at, notes FROM companies WHERE name_key = ?",
        [name_key(name)],
    )
    if not rows:
        raise NotFound(f"unknown company {name!r} (see 'fitbrief company list')")
    return _companies(con, rows)[0]


def get_company(db: Database, name: str) -> Company:
    """One company with its boards, or NotFound."""
    with db.connect(read_only=True) as con:
        return _get(con, name)


def resolve_companies(db: Database, names: Sequence[str] = ()) -> list[Company]:
    """The named companies, or every company when no name is given."""
    with db.connect(read_only=True) as con:
        if names:
            return [_get(con, n) for n in names]
        rows = fetch_dicts(
            con, "SELECT id, name, url, added_at, notes FROM companies ORDER BY name_key"
        )
        return _companies(con, rows)


def list_companies(db: Database) -> list[CompanyStatus]:
    """All companies with their boards and how much research is stored for each."""
    with db.connect(read_only=True) as con:
        rows = fetch_dicts(
            con,
            """
            SELECT c.id, c.name, c.url, c.added_at, c.notes,
                   (SELECT count(*) FROM pages p WHERE p.company_id = c.id
                      AND p.body IS NOT NULL) AS pages,
                   (SELECT count(*) FROM postings j WHERE j.company_id = c.id
                      AND j.status = 'open') AS open_postings,
                   (SELECT max(finished_at) FROM crawl_runs r WHERE r.company_id = c.id)
                      AS last_crawled
            FROM companies c ORDER BY c.name_key
            """,
        )
        companies = _companies(con, rows)
    return [
        CompanyStatus(c, r["pages"], r["open_postings"], r["last_crawled"])
        for c, r in zip(companies, rows, strict=True)
    ]


# Tables that hang off a company, found from the schema by the column that joins them: a
# `company_id` column directly, `page_id` through pages, `interview_id` through interviews,
# `run_id` through practice runs.  Tables with none of these are shared (SHARED_TABLES; a
# test checks that every table is one or the other).
_VIA = {
    "company_id": "?",
    "page_id": "(SELECT id FROM pages WHERE company_id = ?)",
    "interview_id": "(SELECT id FROM interviews WHERE company_id = ?)",
    "run_id": "(SELECT id FROM practice_runs WHERE company_id = ?)",
}
SHARED_TABLES = {"companies", "embeddings", "classifiers", "schema_migrations"}


def _dependents(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, join column) of every table that holds a company's rows, children first."""
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'main' AND column_name IN ('company_id', 'page_id',"
        " 'interview_id', 'run_id') AND table_name <> 'companies'"
    ).fetchall()
    by_table: dict[str, str] = {}
    for table, column in rows:
        # A table with both (none today) is reached through its most specific parent.
        if table not in by_table or column != "company_id":
            by_table[table] = column
    parents = {"pages", "interviews", "practice_runs"}
    return sorted(by_table.items(), key=lambda tc: (tc[0] in parents, tc[0]))


def company_footprint(db: Database, name: str) -> tuple[Company, dict[str, int]]:
    """A company and the number of rows each table holds for it (what removing it deletes)."""
    with db.connect(read_only=True) as con:
        company = _get(con, name)
        counts = {}
        for table, column in _dependents(con):
            where = "= ?" if column == "company_id" else f"IN {_VIA[column]}"
            row = con.execute(
                f'SELECT count(*) FROM "{table}" WHERE {column} {where}', [company.id]
            ).fetchone()
            counts[table] = int(row[0]) if row else 0
    return company, counts


def remove_company(db: Database, name: str) -> Company:
    """Delete a company and everything stored about it, in one transaction."""
    with db.connect() as con:
        company = _get(con, name)
        con.execute("BEGIN TRANSACTION")
        try:
            for table, column in _dependents(con):
                where = "= ?" if column == "company_id" else f"IN {_VIA[column]}"
                con.execute(f'DELETE FROM "{table}" WHERE {column} {where}', [company.id])
            con.execute("DELETE FROM companies WHERE id = ?", [company.id])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return company
