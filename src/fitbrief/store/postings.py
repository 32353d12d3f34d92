"""Job postings: stored per company and source, closed (never deleted) when they leave a board,
so the hiring history stays."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from fitbrief.records import Board, Posting, StoredPosting
from fitbrief.store.database import Database, fetch_dicts, name_key


@dataclass
class BoardResult:
    """What fetching one board gave: its postings, or the error that stopped it."""

    board: Board
    postings: list[Posting] | None
    error: str | None = None


@dataclass
class PostingCounts:
    open: int = 0
    new: int = 0
    updated: int = 0
    closed: int = 0


def save_board_results(
    db: Database, company_id: int, results: Sequence[BoardResult], now: datetime
) -> PostingCounts:
    """Store every board's postings in one transaction; a failed board leaves its stored
    postings as they were."""
    counts = PostingCounts()
    with db.connect() as con:
        con.execute("BEGIN TRANSACTION")
        for result in results:
            con.execute(
                "INSERT INTO source_fetches (company_id, source, board, fetched_at, postings,"
                " error) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    company_id,
                    result.board.source,
                    result.board.board,
                    now,
                    len(result.postings) if result.postings is not None else None,
                    result.error,
                ],
            )
            if result.postings is not None:
                _store(con, company_id, result.board.source, result.postings, now, counts)
        con.execute("COMMIT")
        row = con.execute(
            "SELECT count(*) FROM postings WHERE company_id = ? AND status = 'open'",
            [company_id],
        ).fetchone()
        counts.open = int(row[0]) if row else 0
    return counts


def _store(
    con: duckdb.DuckDBPyConnection,
    company_id: int,
    source: str,
    postings: list[Posting],
    now: datetime,
    counts: PostingCounts,
) -> None:
    existing = {
        r[0]: (r[1], r[2])
        for r in con.execute(
            "SELECT source_id, content_hash, status FROM postings WHERE company_id = ?"
            " AND source = ?",
            [company_id, source],
        ).fetchall()
    }
    seen = set()
    inserts: list[list[Any]] = []
    updates: list[list[Any]] = []
    unchanged: list[str] = []
    for p in postings:
        if p.source_id in seen:
            continue
        seen.add(p.source_id)
        digest = p.content_hash()
        values = [
            p.board,
            p.title,
            p.department,
            json.dumps(p.locations),
            p.workplace,
            p.employment_type,
            p.seniority,
            p.posted_at,
            p.updated_at,
            p.url,
            p.apply_url,
            p.description,
            p.description_html,
            p.salary_min,
            p.salary_max,
            p.salary_currency,
            p.salary_interval,
            p.salary_origin,
            json.dumps(p.requirements),
            json.dumps(p.responsibilities),
            json.dumps(p.skills),
            json.dumps(p.raw, default=str),
            digest,
        ]
        if p.source_id not in existing:
            inserts.append([*values, company_id, source, p.source_id, now, now])
        elif existing[p.source_id] != (digest, "open"):
            updates.append([*values, now, company_id, source, p.source_id])
        else:
            unchanged.append(p.source_id)
    gone = [sid for sid, (_, status) in existing.items() if sid not in seen and status == "open"]
    # Batched: a re-crawl mostly finds postings unchanged, so one statement marks them seen.
    if inserts:
        con.executemany(
            "INSERT INTO postings (board, title, department, locations, workplace,"
            " employment_type, seniority, posted_at, updated_at, url, apply_url, description,"
            " description_html, salary_min, salary_max, salary_currency, salary_interval,"
            " salary_origin, requirements, responsibilities, skills, raw, content_hash,"
            " company_id, source, source_id, status, first_seen, last_seen)"
            " VALUES (" + ", ".join(["?"] * 23) + ", ?, ?, ?, 'open', ?, ?)",
            inserts,
        )
    if updates:
        con.executemany(
            "UPDATE postings SET board = ?, title = ?, department = ?, locations = ?,"
            " workplace = ?, employment_type = ?, seniority = ?, posted_at = ?,"
            " updated_at = ?, url = ?, apply_url = ?, description = ?, description_html = ?,"
            " salary_min = ?, salary_max = ?, salary_currency = ?, salary_interval = ?,"
            " salary_origin = ?, requirements = ?, responsibilities = ?, skills = ?, raw = ?,"
            " content_hash = ?, status = 'open', closed_at = NULL, last_seen = ?"
            " WHERE company_id = ? AND source = ? AND source_id = ?",
            updates,
        )
    if unchanged:
        con.execute(
            "UPDATE postings SET last_seen = ? WHERE company_id = ? AND source = ?"
            " AND list_contains(?, source_id)",
            [now, company_id, source, unchanged],
        )
    if gone:
        con.execute(
            "UPDATE postings SET status = 'closed', closed_at = ? WHERE company_id = ?"
            " AND source = ? AND list_contains(?, source_id)",
            [now, company_id, source, gone],
        )
    counts.new += len(inserts)
    counts.updated += len(updates)
    counts.closed += len(gone)


_LIST_COLUMNS = (
    "j.id, c.name AS company, j.source, j.source_id, j.title, j.department, j.locations,"
    " j.workplace, j.employment_type, j.seniority, j.posted_at, j.url, j.apply_url, j.status,"
    " j.first_seen, j.last_seen, j.closed_at, j.salary_min, j.salary_max, j.salary_currency,"
    " j.salary_interval, j.salary_origin, j.requirements, j.responsibilities, j.skills,"
    " j.description"
)


def list_postings(
    db: Database, company: str | None = None, open_only: bool = False
) -> list[StoredPosting]:
    """Stored postings, newest first within each company."""
    where: list[str] = []
    params: list[Any] = []
    if company:
        where.append("c.name_key = ?")
        params.append(name_key(company))
    if open_only:
        where.append("j.status = 'open'")
    sql = (
        f"SELECT {_LIST_COLUMNS} FROM postings j JOIN companies c ON c.id = j.company_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.name_key, j.status DESC, j.posted_at DESC NULLS LAST, j.title"
    )
    with db.connect(read_only=True) as con:
        rows = fetch_dicts(con, sql, params)
    for row in rows:
        for key in ("locations", "requirements", "responsibilities", "skills"):
            row[key] = json.loads(row[key]) if row[key] else []
    return [StoredPosting(**row) for row in rows]
