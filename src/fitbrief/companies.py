"""Companies and their job boards: the things fitbrief researches."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import duckdb

from fitbrief.db import Database, fetch_dicts
from fitbrief.errors import AlreadyExists, NotFound, UsageError

BOARD_SOURCES = (
    "greenhouse",
    "lever",
    "ashby",
    "workable",
    "smartrecruiters",
    "recruitee",
    "personio",
)

# Tables that hang off a company, deleted with it.
_DEPENDENTS = (
    "DELETE FROM passages WHERE page_id IN (SELECT id FROM pages WHERE company_id = ?)",
    "DELETE FROM documents WHERE page_id IN (SELECT id FROM pages WHERE company_id = ?)",
    "DELETE FROM pages WHERE company_id = ?",
    "DELETE FROM crawl_runs WHERE company_id = ?",
    "DELETE FROM boards WHERE company_id = ?",
    "DELETE FROM postings WHERE company_id = ?",
    "DELETE FROM source_fetches WHERE company_id = ?",
    "DELETE FROM culture_profiles WHERE company_id = ?",
    "DELETE FROM interview_questions WHERE interview_id IN "
    "(SELECT id FROM interviews WHERE company_id = ?)",
    "DELETE FROM interviews WHERE company_id = ?",
)


def check_http_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host, else raise UsageError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r} is not an http(s) URL with a host")
    return url.strip()


def add_company(
    db: Database,
    name: str,
    url: str,
    boards: dict[str, str] | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    """Register a company (names are unique case-insensitively)."""
    name = name.strip()
    if not name:
        raise UsageError("company name is empty")
    url = check_http_url(url)
    boards = {k: v for k, v in (boards or {}).items() if v}
    for source in boards:
        if source not in BOARD_SOURCES:
            raise UsageError(f"unknown job-board source {source!r}")
    with db.connect() as con:
        if con.execute("SELECT 1 FROM companies WHERE name_key = ?", [name.lower()]).fetchone():
            raise AlreadyExists(f"company {name!r} already exists")
        con.execute("BEGIN TRANSACTION")
        row = con.execute(
            "INSERT INTO companies (name, name_key, url, notes) VALUES (?, ?, ?, ?) RETURNING id",
            [name, name.lower(), url, notes],
        ).fetchone()
        assert row is not None
        for source, board in boards.items():
            add_board(con, row[0], source, board, origin="user")
        con.execute("COMMIT")
        return get_company(con, name)


def add_board(
    con: duckdb.DuckDBPyConnection, company_id: int, source: str, board: str, origin: str
) -> bool:
    """Record a job board for a company; False when it was known already."""
    inserted = con.execute(
        "INSERT INTO boards (company_id, source, board, origin) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING RETURNING 1",
        [company_id, source, board, origin],
    ).fetchall()
    return bool(inserted)


def _with_boards(con: duckdb.DuckDBPyConnection, companies: list[dict[str, Any]]) -> None:
    """Attach each company's boards, read in one query for all of them."""
    boards: dict[int, list[dict[str, Any]]] = {c["id"]: [] for c in companies}
    if companies:
        for row in fetch_dicts(
            con,
            "SELECT company_id, source, board, origin FROM boards"
            " WHERE company_id IN (SELECT unnest(?::INTEGER[])) ORDER BY source, board",
            [list(boards)],
        ):
            boards[row.pop("company_id")].append(row)
    for company in companies:
        company["boards"] = boards[company["id"]]


def get_company(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
    """One company with its boards, or NotFound."""
    rows = fetch_dicts(
        con,
        "SELECT id, name, url, added_at, notes FROM companies WHERE name_key = ?",
        [name.strip().lower()],
    )
    if not rows:
        raise NotFound(f"unknown company {name!r} (see 'fitbrief company list')")
    _with_boards(con, rows)
    return rows[0]


def list_companies(db: Database) -> list[dict[str, Any]]:
    """All companies with their boards and how much research is stored for each."""
    with db.connect(read_only=True) as con:
        companies = fetch_dicts(
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
        _with_boards(con, companies)
    return companies


def resolve_companies(
    con: duckdb.DuckDBPyConnection, names: tuple[str, ...] | list[str]
) -> list[dict[str, Any]]:
    """The named companies, or every company when no name is given."""
    if names:
        return [get_company(con, n) for n in names]
    companies = fetch_dicts(
        con, "SELECT id, name, url, added_at, notes FROM companies ORDER BY name_key"
    )
    _with_boards(con, companies)
    return companies


def remove_company(db: Database, name: str) -> None:
    """Delete a company and everything stored about it."""
    with db.connect() as con:
        company = get_company(con, name)
        con.execute("BEGIN TRANSACTION")
        for sql in _DEPENDENTS:
            con.execute(sql, [company["id"]])
        con.execute("DELETE FROM companies WHERE id = ?", [company["id"]])
        con.execute("COMMIT")
