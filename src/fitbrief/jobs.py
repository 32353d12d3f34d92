"""The job-postings stage: fetch each board of a company, store normalised postings, and mark
postings that left a board as closed (never deleted: the hiring history stays)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from fitbrief.config import Settings
from fitbrief.crawl.http import FetchPolicy, make_client
from fitbrief.db import Database, fetch_dicts
from fitbrief.errors import FitbriefError
from fitbrief.sources import (
    ashby,
    greenhouse,
    lever,
    personio,
    recruitee,
    smartrecruiters,
    workable,
)
from fitbrief.sources.base import SourceContext
from fitbrief.sources.jsonld import postings_from_json_ld
from fitbrief.sources.normalize import Posting

FETCHERS = {
    "greenhouse": greenhouse.fetch_board,
    "lever": lever.fetch_board,
    "ashby": ashby.fetch_board,
    "workable": workable.fetch_board,
    "smartrecruiters": smartrecruiters.fetch_board,
    "recruitee": recruitee.fetch_board,
    "personio": personio.fetch_board,
}


@dataclass
class JobsSummary:
    company: str
    open: int = 0
    new: int = 0
    updated: int = 0
    closed: int = 0
    errors: list[str] = field(default_factory=list)


async def _fetch_boards(
    boards: list[dict[str, Any]], settings: Settings, transport: httpx.AsyncBaseTransport | None
) -> list[tuple[dict[str, Any], list[Posting] | None, str | None]]:
    policy = FetchPolicy.from_settings(settings)
    async with make_client(policy, transport) as client:

        async def one(
            board: dict[str, Any],
        ) -> tuple[dict[str, Any], list[Posting] | None, str | None]:
            ctx = SourceContext(
                client,
                policy,
                settings["sources"][f"{board['source']}_url"],
                board["source"],
                board["board"],
            )
            try:
                return board, await FETCHERS[board["source"]](ctx), None
            except FitbriefError as exc:
                return board, None, str(exc)

        return list(await asyncio.gather(*(one(b) for b in boards)))


def update_postings(
    db: Database,
    company: dict[str, Any],
    settings: Settings,
    transport: httpx.AsyncBaseTransport | None = None,
) -> JobsSummary:
    """Fetch every board of ``company`` and its pages' JobPosting JSON-LD; store the result."""
    summary = JobsSummary(company["name"])
    with db.connect(read_only=True) as con:
        boards = fetch_dicts(
            con, "SELECT source, board FROM boards WHERE company_id = ?", [company["id"]]
        )
        ld_pages = fetch_dicts(
            con,
            "SELECT coalesce(p.final_url, p.url) AS url, d.json_ld FROM documents d"
            " JOIN pages p ON p.id = d.page_id WHERE p.company_id = ?"
            " AND d.json_ld LIKE '%JobPosting%'",
            [company["id"]],
        )
    results = asyncio.run(_fetch_boards(boards, settings, transport)) if boards else []
    jsonld: list[Posting] = []
    for page in ld_pages:
        jsonld.extend(postings_from_json_ld(json.loads(page["json_ld"]), page["url"]))
    if ld_pages:
        results.append(({"source": "jsonld", "board": "(crawled pages)"}, jsonld, None))
    now = datetime.now(UTC)
    with db.connect() as con:
        con.execute("BEGIN TRANSACTION")
        for board, postings, error in results:
            con.execute(
                "INSERT INTO source_fetches (company_id, source, board, fetched_at, postings,"
                " error) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    company["id"],
                    board["source"],
                    board["board"],
                    now,
                    len(postings) if postings is not None else None,
                    error,
                ],
            )
            if postings is None:
                summary.errors.append(error or "failed")
                continue  # a failed source leaves its stored postings as they were
            _store(con, company["id"], board["source"], postings, now, summary)
        con.execute("COMMIT")
        row = con.execute(
            "SELECT count(*) FROM postings WHERE company_id = ? AND status = 'open'",
            [company["id"]],
        ).fetchone()
        summary.open = int(row[0]) if row else 0
    return summary


def _store(
    con: Any,
    company_id: int,
    source: str,
    postings: list[Posting],
    now: datetime,
    summary: JobsSummary,
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
            con.execute(
                "INSERT INTO postings (board, title, department, locations, workplace,"
                " employment_type, seniority, posted_at, updated_at, url, apply_url, description,"
                " description_html, salary_min, salary_max, salary_currency, salary_interval,"
                " salary_origin, requirements, responsibilities, skills, raw, content_hash,"
                " company_id, source, source_id, status, first_seen, last_seen)"
                " VALUES (" + ", ".join(["?"] * 23) + ", ?, ?, ?, 'open', ?, ?)",
                [*values, company_id, source, p.source_id, now, now],
            )
            summary.new += 1
        elif existing[p.source_id] != (digest, "open"):
            con.execute(
                "UPDATE postings SET board = ?, title = ?, department = ?, locations = ?,"
                " workplace = ?, employment_type = ?, seniority = ?, posted_at = ?,"
                " updated_at = ?, url = ?, apply_url = ?, description = ?, description_html = ?,"
                " salary_min = ?, salary_max = ?, salary_currency = ?, salary_interval = ?,"
                " salary_origin = ?, requirements = ?, responsibilities = ?, skills = ?, raw = ?,"
                " content_hash = ?, status = 'open', closed_at = NULL, last_seen = ?"
                " WHERE company_id = ? AND source = ? AND source_id = ?",
                [*values, now, company_id, source, p.source_id],
            )
            summary.updated += 1
        else:
            con.execute(
                "UPDATE postings SET last_seen = ? WHERE company_id = ? AND source = ?"
                " AND source_id = ?",
                [now, company_id, source, p.source_id],
            )
    gone = [sid for sid, (_, status) in existing.items() if sid not in seen and status == "open"]
    for sid in gone:
        con.execute(
            "UPDATE postings SET status = 'closed', closed_at = ? WHERE company_id = ?"
            " AND source = ? AND source_id = ?",
            [now, company_id, source, sid],
        )
    summary.closed += len(gone)


def list_postings(
    db: Database, company: str | None = None, open_only: bool = False
) -> list[dict[str, Any]]:
    """Stored postings, newest first, as dicts ready for JSON."""
    where, params = [], []
    if company:
        where.append("c.name_key = ?")
        params.append(company.strip().lower())
    if open_only:
        where.append("j.status = 'open'")
    sql = (
        "SELECT j.id, c.name AS company, j.source, j.source_id, j.title, j.department,"
        " j.locations, j.workplace, j.employment_type, j.seniority, j.posted_at, j.url,"
        " j.apply_url, j.status, j.first_seen, j.last_seen, j.closed_at, j.salary_min,"
        " j.salary_max, j.salary_currency, j.salary_interval, j.salary_origin, j.requirements,"
        " j.responsibilities, j.skills, j.description"
        " FROM postings j JOIN companies c ON c.id = j.company_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.name_key, j.status DESC, j.posted_at DESC NULLS LAST, j.title"
    )
    with db.connect(read_only=True) as con:
        rows = fetch_dicts(con, sql, params)
    for row in rows:
        for key in ("locations", "requirements", "responsibilities", "skills"):
            row[key] = json.loads(row[key]) if row[key] else []
    return rows
