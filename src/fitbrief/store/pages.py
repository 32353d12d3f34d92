"""Crawled pages and what extraction made of them: the page codec, the crawler's page sink,
documents and passages.

A page body is stored as zlib-compressed UTF-8 text (``encode_body``/``decode_body``), next to
the sha256 of the text, so unchanged pages are recognised without decompressing them.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fitbrief.records import CRAWL_COUNTS, Board, PageRecord, StoredPage
from fitbrief.store.companies import add_board
from fitbrief.store.database import Database, fetch_dicts
from fitbrief.textutil import sha256_text

FLUSH_SECONDS = 0.5


def encode_body(text: str) -> bytes:
    """A page's text as stored."""
    return zlib.compress(text.encode("utf-8"), 6)


def decode_body(body: bytes | None) -> str:
    """The text of a stored page body ('' when none was stored)."""
    return zlib.decompress(body).decode("utf-8") if body else ""


_PAGE_COLUMNS = [
    ("company_id", "int32"),
    ("url", "string"),
    ("final_url", "string"),
    ("status", "int32"),
    ("fetched_at", "timestamp"),
    ("content_type", "string"),
    ("etag", "string"),
    ("last_modified", "string"),
    ("sha256", "string"),
    ("body", "binary"),
    ("error", "string"),
    ("depth", "int32"),
    ("link_text", "string"),
]


def _page_table(pages: Sequence[PageRecord]) -> Any:
    """Page records as an Arrow table in the pages column order."""
    import pyarrow as pa

    types = {
        "int32": pa.int32(),
        "string": pa.string(),
        "binary": pa.binary(),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }
    rows = [
        [
            p.company_id,
            p.url,
            p.final_url,
            p.status,
            p.fetched_at,
            p.content_type,
            p.etag,
            p.last_modified,
            p.sha256,
            encode_body(p.text) if p.text is not None else None,
            p.error,
            p.depth,
            p.link_text,
        ]
        for p in pages
    ]
    columns = list(zip(*rows, strict=True))
    return pa.table(
        {
            name: pa.array(list(values), type=types[kind])
            for (name, kind), values in zip(_PAGE_COLUMNS, columns, strict=True)
        }
    )


class PageWriter:
    """The crawler's page sink: buffers rows and commits them every FLUSH_SECONDS (and on
    ``flush``), so a crawl killed at any moment loses at most the last second of work."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pages: list[PageRecord] = []
        self.touched: list[list[Any]] = []
        self.boards: list[tuple[int, Board]] = []
        self._last = time.monotonic()

    def add(self, page: PageRecord) -> None:
        self.pages.append(page)
        self._maybe_flush()

    def touch(self, company_id: int, url: str, fetched_at: datetime) -> None:
        """A page confirmed unchanged (304): only its fetch time changes."""
        self.touched.append([fetched_at, company_id, url])
        self._maybe_flush()

    def add_board(self, company_id: int, board: Board) -> None:
        self.boards.append((company_id, board))

    def _maybe_flush(self) -> None:
        if time.monotonic() - self._last >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        self._last = time.monotonic()
        if not (self.pages or self.touched or self.boards):
            return
        with self.db.connect() as con:
            con.execute("BEGIN TRANSACTION")
            if self.pages:
                # Through Arrow: one set-based statement, ~100x faster than executemany, so
                # the event loop (and every fetch) is held up for milliseconds, not a second.
                con.register("page_rows", _page_table(self.pages))
                con.execute(
                    """
                    INSERT INTO pages (company_id, url, final_url, status, fetched_at,
                        content_type, etag, last_modified, sha256, body, error, depth, link_text)
                    SELECT * FROM page_rows
                    ON CONFLICT (company_id, url) DO UPDATE SET
                        final_url = excluded.final_url, status = excluded.status,
                        fetched_at = excluded.fetched_at, content_type = excluded.content_type,
                        etag = excluded.etag, last_modified = excluded.last_modified,
                        sha256 = coalesce(excluded.sha256, pages.sha256),
                        body = coalesce(excluded.body, pages.body),
                        error = excluded.error, depth = excluded.depth,
                        link_text = excluded.link_text
                    """
                )
                con.unregister("page_rows")
            if self.touched:
                con.executemany(
                    "UPDATE pages SET fetched_at = ?, error = NULL WHERE company_id = ? AND url = ?",
                    self.touched,
                )
            for company_id, board in self.boards:
                add_board(con, company_id, board)
            con.execute("COMMIT")
        self.pages, self.touched, self.boards = [], [], []


def stored_pages(db: Database, company_id: int) -> dict[str, StoredPage]:
    """Every page stored for a company, by requested URL."""
    with db.connect(read_only=True) as con:
        rows = fetch_dicts(
            con,
            "SELECT url, final_url, status, fetched_at, etag, last_modified, sha256, body, error,"
            " content_type FROM pages WHERE company_id = ?",
            [company_id],
        )
    return {
        r["url"]: StoredPage(
            r["url"],
            r["final_url"],
            r["status"],
            r["fetched_at"],
            r["etag"],
            r["last_modified"],
            r["sha256"],
            r["body"],
            r["error"],
            r["content_type"],
        )
        for r in rows
    }


# What a crawl run records: its counts, but not postings (fetched after the crawl, by the
# job-board step, which has its own summary).
_RUN_COLUMNS = [c for c in CRAWL_COUNTS if c != "postings"]


def record_crawl_run(db: Database, company_id: int, started: datetime, summary: Any) -> None:
    """One row per crawl of a company: what it did and why it failed, if it did."""
    with db.connect() as con:
        con.execute(
            f"INSERT INTO crawl_runs (company_id, started_at, finished_at, {', '.join(_RUN_COLUMNS)})"
            f" VALUES (?, ?, now(), {', '.join('?' * len(_RUN_COLUMNS))})",
            [company_id, started, *(getattr(summary, c) for c in _RUN_COLUMNS)],
        )


@dataclass
class PageText:
    """A stored page waiting for extraction."""

    page_id: int
    url: str
    text: str
    sha256: str


def pages_to_extract(db: Database, company_id: int) -> list[PageText]:
    """The company's stored HTML pages whose content changed since they were extracted."""
    with db.connect(read_only=True) as con:
        rows = fetch_dicts(
            con,
            """
            SELECT p.id, coalesce(p.final_url, p.url) AS url, p.body, p.sha256 FROM pages p
            LEFT JOIN documents d ON d.page_id = p.id
            WHERE p.company_id = ? AND p.body IS NOT NULL
              AND (d.page_id IS NULL OR d.sha256 <> p.sha256)
              AND (p.content_type IS NULL OR p.content_type NOT LIKE '%xml%')
            """,
            [company_id],
        )
    return [PageText(r["id"], r["url"], decode_body(r["body"]), r["sha256"]) for r in rows]


@dataclass
class ExtractedPage:
    """What extraction learnt of one page, ready to store (passages as (heading, text))."""

    page_id: int
    sha256: str
    title: str
    description: str
    lang: str
    canonical: str
    published: date | None
    kind: str
    kind_confidence: float
    text: str
    json_ld: list[dict[str, Any]]
    passages: list[tuple[str, str]]


def save_extracted(db: Database, pages: Iterable[ExtractedPage]) -> None:
    """Replace the documents and passages of the given pages, in one transaction."""
    pages = list(pages)
    if not pages:
        return
    with db.connect() as con:
        con.execute("BEGIN TRANSACTION")
        for page in pages:
            con.execute("DELETE FROM passages WHERE page_id = ?", [page.page_id])
            con.execute("DELETE FROM documents WHERE page_id = ?", [page.page_id])
            con.execute(
                "INSERT INTO documents (page_id, sha256, title, description, lang, canonical,"
                " published, kind, kind_confidence, text, json_ld)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    page.page_id,
                    page.sha256,
                    page.title,
                    page.description,
                    page.lang,
                    page.canonical,
                    page.published,
                    page.kind,
                    page.kind_confidence,
                    page.text,
                    json.dumps(page.json_ld, default=str),
                ],
            )
            if page.passages:
                con.executemany(
                    "INSERT INTO passages (page_id, position, heading, text, sha256)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [
                        [page.page_id, position, heading, text, sha256_text(text)]
                        for position, (heading, text) in enumerate(page.passages)
                    ],
                )
        con.execute("COMMIT")


def json_ld_pages(db: Database, company_id: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """(URL, JSON-LD objects) of the company's pages that carry a JobPosting."""
    with db.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT coalesce(p.final_url, p.url), d.json_ld FROM documents d"
            " JOIN pages p ON p.id = d.page_id WHERE p.company_id = ?"
            " AND d.json_ld LIKE '%JobPosting%'",
            [company_id],
        ).fetchall()
    return [(url, json.loads(data)) for url, data in rows]


class CrawlStore:
    """The crawler's storage (``crawl.crawler.PageStore``) over one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def stored_pages(self, company_id: int) -> dict[str, StoredPage]:
        return stored_pages(self.db, company_id)

    def writer(self) -> PageWriter:
        return PageWriter(self.db)

    def page_text(self, page: StoredPage) -> str:
        return decode_body(page.body)

    def record_run(self, company_id: int, started: datetime, summary: Any) -> None:
        record_crawl_run(self.db, company_id, started, summary)
