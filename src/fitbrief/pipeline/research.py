"""Research: register companies, crawl their sites, extract changed pages into passages, and
fetch their job boards (closing postings that left a board, never deleting them)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from fitbrief.app import App
from fitbrief.crawl.crawler import Crawler, CrawlSummary, ProgressFn
from fitbrief.errors import ExtractionError, FitbriefError, UsageError
from fitbrief.net.http import Response, fetch, make_client
from fitbrief.net.urls import check_http_url
from fitbrief.pages.extract import Document, extract, read_source
from fitbrief.records import Board, Company, Posting
from fitbrief.sources.base import SourceContext
from fitbrief.sources.jsonld import postings_from_json_ld
from fitbrief.sources.registry import SOURCES
from fitbrief.store import companies as company_store
from fitbrief.store import pages as page_store
from fitbrief.store import postings as posting_store
from fitbrief.store.postings import BoardResult

MAX_NAME = 200


def add_company(
    app: App,
    name: str,
    url: str,
    boards: Mapping[str, str | None] | None = None,
    notes: str | None = None,
) -> Company:
    """Register a company by name and homepage, with its boards (source name -> board id)."""
    name = name.strip()
    if not name:
        raise UsageError("company name is empty")
    if not name.isprintable():  # tabs, newlines and control characters break every listing
        raise UsageError(f"company name {name!r} has tabs, line breaks or control characters")
    if len(name) > MAX_NAME:
        raise UsageError(f"company name is {len(name)} characters long (at most {MAX_NAME})")
    url = check_http_url(url)
    chosen = []
    for source, board in (boards or {}).items():
        if not board:
            continue
        if source not in SOURCES:
            raise UsageError(f"unknown job-board source {source!r}")
        chosen.append(Board(source, board, "user"))
    return company_store.add_company(app.db, name, url, chosen, notes)


@dataclass
class JobsSummary:
    company: str
    open: int = 0
    new: int = 0
    updated: int = 0
    closed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class CompanyResearch:
    crawl: CrawlSummary
    jobs: JobsSummary | None
    extracted: int


def crawl(
    app: App,
    names: Sequence[str] = (),
    max_pages: int | None = None,
    refresh: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: ProgressFn | None = None,
) -> list[CompanyResearch]:
    """Crawl companies (all when no name is given), extract changed pages, fetch postings."""
    companies = company_store.resolve_companies(app.db, names)
    if not companies:
        raise UsageError("no companies stored yet: add one with 'fitbrief company add'")
    crawler = Crawler(page_store.CrawlStore(app.db), app.settings.crawl, transport, progress)
    summaries = crawler.run(companies, max_pages, refresh)
    results = []
    for company, summary in zip(companies, summaries, strict=True):
        extracted = extract_company(app, company.id)
        fresh = company_store.get_company(app.db, company.name)  # boards found while crawling
        jobs = update_postings(app, fresh, transport)
        summary.postings = jobs.open
        results.append(CompanyResearch(summary, jobs, extracted))
    return results


def extract_company(app: App, company_id: int) -> int:
    """Extract every stored page of a company whose content changed; returns how many.
    An unchanged page is never re-parsed, so its passages (and embeddings) stay."""
    done = []
    for page in page_store.pages_to_extract(app.db, company_id):
        doc = extract(page.text, page.url)
        done.append(
            page_store.ExtractedPage(
                page.page_id,
                page.sha256,  # the document records which content it came from
                doc.title,
                doc.description,
                doc.lang,
                doc.canonical,
                doc.date,
                doc.kind,
                doc.kind_confidence,
                doc.text,
                doc.json_ld,
                [(p.heading, p.text) for p in doc.passages],
            )
        )
    page_store.save_extracted(app.db, done)
    return len(done)


async def _fetch_boards(
    app: App, boards: Sequence[Board], transport: httpx.AsyncBaseTransport | None
) -> list[BoardResult]:
    policy = app.fetch_policy
    async with make_client(policy, transport) as client:

        async def one(board: Board) -> BoardResult:
            source = SOURCES[board.source]
            ctx = SourceContext(
                client, policy, app.settings.sources.url(source.name), source.name, board.board
            )
            try:
                return BoardResult(board, await source.fetch(ctx))
            except FitbriefError as exc:
                return BoardResult(board, None, str(exc))

        return list(await asyncio.gather(*(one(b) for b in boards)))


def update_postings(
    app: App, company: Company, transport: httpx.AsyncBaseTransport | None = None
) -> JobsSummary:
    """Fetch every board of ``company`` and its pages' JobPosting JSON-LD; store the result."""
    boards = [b for b in company.boards if b.source in SOURCES]
    results = asyncio.run(_fetch_boards(app, boards, transport)) if boards else []
    ld_pages = page_store.json_ld_pages(app.db, company.id)
    if ld_pages:
        jsonld: list[Posting] = []
        for url, objects in ld_pages:
            jsonld.extend(postings_from_json_ld(objects, url))
        results.append(BoardResult(Board("jsonld", "(crawled pages)"), jsonld))
    counts = posting_store.save_board_results(app.db, company.id, results, datetime.now(UTC))
    return JobsSummary(
        company.name,
        counts.open,
        counts.new,
        counts.updated,
        counts.closed,
        [r.error or "failed" for r in results if r.postings is None],
    )


def extract_source(app: App, source: str) -> Document:
    """The extracted page of a local HTML file (``.gz`` too) or an http(s) URL (fetched with
    the crawler's care: robots aside, the same client, size cap and host guard)."""
    if not source.startswith(("http://", "https://")):
        return extract(read_source(source))
    policy = app.fetch_policy

    async def get() -> Response:
        async with make_client(policy) as client:
            return await fetch(client, source, policy)

    response = asyncio.run(get())
    if not response.ok:
        raise ExtractionError(f"{source}: {response.error or response.status}")
    return extract(response.body, source, response.content_type)
