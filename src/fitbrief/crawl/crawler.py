"""The crawl loop: best-first over a company's site, polite per host, incremental, resumable.

Pages are written in small batches through short-lived connections, so a crawl killed at any
moment loses at most the last second of work and other fitbrief commands can read meanwhile.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from fitbrief.config import CrawlSettings
from fitbrief.crawl.discover import (
    normalize_url,
    page_links,
    registrable_domain,
    same_site,
    sitemap_urls,
    worth_fetching,
)
from fitbrief.errors import FitbriefError
from fitbrief.net.http import FetchPolicy, Response, fetch, make_client
from fitbrief.net.robots import RobotsPolicy
from fitbrief.pages.extract import decode_html
from fitbrief.pages.kinds import link_priority
from fitbrief.records import Board, Company, PageRecord, StoredPage
from fitbrief.sources.registry import detect_boards

ProgressFn = Callable[[str, int, int], None]  # (company, pages done, page budget)
_ROBOTS = "disallowed by robots.txt"


@dataclass
class CrawlSummary:
    """What one crawl of one company did."""

    company: str
    fetched: int = 0  # new or changed pages stored
    unchanged: int = 0  # 304 or same content hash
    skipped: int = 0  # fetched recently: not requested again
    robots: int = 0  # disallowed by robots.txt
    failed: int = 0
    postings: int = 0
    seconds: float = 0.0
    error: str | None = None  # the company could not be crawled at all, and why
    boards_detected: list[str] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)  # {url, reason} per page

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(order=True)
class _Candidate:
    priority: float
    url: str = field(compare=False)
    depth: int = field(compare=False)
    link_text: str = field(compare=False, default="")


class _HostGate:
    """Per-host concurrency and minimum spacing between requests."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.delay = delay
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> None:
        await self.semaphore.acquire()
        if self.delay > 0:
            async with self._lock:
                now = time.monotonic()
                wait = self._next - now
                self._next = max(now, self._next) + self.delay
            if wait > 0:
                await asyncio.sleep(wait)

    async def __aexit__(self, *exc: object) -> None:
        self.semaphore.release()


class PageSink(Protocol):
    """Where a crawl writes: pages as they come, pages confirmed unchanged, boards found."""

    def add(self, page: PageRecord) -> None: ...

    def touch(self, company_id: int, url: str, fetched_at: datetime) -> None: ...

    def add_board(self, company_id: int, board: Board) -> None: ...

    def flush(self) -> None: ...


class PageStore(Protocol):
    """What the crawler needs of storage (``store.pages.CrawlStore`` in the product)."""

    def stored_pages(self, company_id: int) -> dict[str, StoredPage]: ...

    def page_text(self, page: StoredPage) -> str: ...

    def writer(self) -> PageSink: ...

    def record_run(self, company_id: int, started: datetime, summary: CrawlSummary) -> None: ...


class Crawler:
    """Crawls companies with one shared HTTP client (``transport`` is the test seam)."""

    def __init__(
        self,
        store: PageStore,
        crawl: CrawlSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.store = store
        self.crawl = crawl
        self.policy = FetchPolicy.from_settings(crawl)
        self.transport = transport
        self.progress = progress
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, RobotsPolicy] = {}
        self._robots_lock: dict[str, asyncio.Lock] = {}

    def run(
        self, companies: list[Company], max_pages: int | None = None, refresh: bool = False
    ) -> list[CrawlSummary]:
        """Crawl each company; a failure is recorded in its summary, never raised."""
        return asyncio.run(self._run_all(companies, max_pages, refresh))

    async def _run_all(
        self, companies: list[Company], max_pages: int | None, refresh: bool
    ) -> list[CrawlSummary]:
        async with make_client(self.policy, self.transport) as client:
            self.client = client
            tasks = [self.crawl_company(c, max_pages, refresh) for c in companies]
            return list(await asyncio.gather(*tasks))

    # -- per host --------------------------------------------------------------------------

    async def _robots_for(self, url: str) -> RobotsPolicy:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._robots_lock.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                response = await fetch(self.client, origin + "/robots.txt", self.policy)
                if response.ok:
                    self._robots[origin] = RobotsPolicy.parse(
                        decode_html(response.body, response.content_type)
                    )
                else:
                    self._robots[origin] = RobotsPolicy()
            return self._robots[origin]

    def _gate(self, url: str, robots: RobotsPolicy) -> _HostGate:
        host = urlsplit(url).netloc
        if host not in self._gates:
            delay = max(self.crawl.min_delay, robots.crawl_delay())
            self._gates[host] = _HostGate(self.crawl.per_host_concurrency, delay)
        return self._gates[host]

    async def _get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        robots = await self._robots_for(url)
        async with self._gate(url, robots):
            return await fetch(self.client, url, self.policy, headers=headers)

    # -- per company -----------------------------------------------------------------------

    async def crawl_company(
        self, company: Company, max_pages: int | None, refresh: bool
    ) -> CrawlSummary:
        summary = CrawlSummary(company.name)
        started = datetime.now(UTC)
        clock = time.monotonic()
        budget = max_pages or self.crawl.max_pages
        writer = self.store.writer()
        try:
            await self._crawl(company, budget, refresh, summary, writer)
        except Exception as exc:
            summary.error = f"{type(exc).__name__}: {exc}"
        summary.seconds = time.monotonic() - clock
        try:  # a store that fails (busy too long) fails this company, not the whole run
            writer.flush()
            self.store.record_run(company.id, started, summary)
        except FitbriefError as exc:
            summary.error = summary.error or f"the crawl could not be stored: {exc}"
        return summary

    async def _crawl(
        self,
        company: Company,
        budget: int,
        refresh: bool,
        summary: CrawlSummary,
        writer: PageSink,
    ) -> None:
        home = normalize_url(company.url)
        site = registrable_domain(urlsplit(home).hostname or "")
        stored = self.store.stored_pages(company.id)
        fresh_after = datetime.now(UTC) - timedelta(hours=self.crawl.recrawl_after_hours)
        max_depth = self.crawl.max_depth
        known_boards = {(b.source, b.board) for b in company.boards}

        frontier: list[_Candidate] = []
        queued: set[str] = set()

        def push(url: str, depth: int, text: str = "", bonus: float = 0.0) -> None:
            url = normalize_url(url)
            if url in queued or not same_site(url, site) or not worth_fetching(url):
                return
            queued.add(url)
            heapq.heappush(
                frontier, _Candidate(-(link_priority(url, text) + bonus), url, depth, text)
            )

        push(home, 0, bonus=100.0)
        reached_home = False
        home_error = [""]  # why the homepage failed, when it did
        robots = await self._robots_for(home)
        # "Sitemap: /sitemap.xml" is common in the wild: resolve against robots.txt's URL.
        sitemaps = [urljoin(_origin(home) + "/robots.txt", u) for u in robots.sitemaps] or [
            _origin(home) + "/sitemap.xml"
        ]
        await self._read_sitemaps(sitemaps, push)

        done = 0
        in_flight = 0
        wake = asyncio.Event()

        def failed(
            candidate: _Candidate,
            error: str,
            response: Response | None = None,
            now: datetime | None = None,
        ) -> None:
            summary.failed += 1
            summary.failures.append({"url": candidate.url, "reason": error})
            if candidate.url == home:
                home_error[0] = error
            writer.add(_record(company.id, candidate, response, now, error=error))

        def reuse_stored(candidate: _Candidate, page: StoredPage) -> None:
            """A page not fetched again (fresh, or 304): follow the links of its stored body."""
            nonlocal reached_home
            reached_home |= candidate.url == home
            text = self.store.page_text(page)
            self._follow(text, page.final_url or candidate.url, candidate, max_depth, push)

        async def visit(candidate: _Candidate) -> None:
            nonlocal reached_home
            url = candidate.url
            old = stored.get(url)
            page_robots = await self._robots_for(url)
            if not page_robots.allowed(url):
                summary.robots += 1
                if url == home:
                    home_error[0] = _ROBOTS
                writer.add(_record(company.id, candidate, None, None, error=_ROBOTS))
                return
            fetched_at = old.fetched_at if old else None
            if (
                old
                and not refresh
                and old.body is not None
                and fetched_at is not None
                and fetched_at >= fresh_after
            ):
                summary.skipped += 1
                reuse_stored(candidate, old)
                return
            headers = {}
            if old and old.body is not None and not refresh:
                if old.etag:
                    headers["If-None-Match"] = old.etag
                if old.last_modified:
                    headers["If-Modified-Since"] = old.last_modified
            response = await self._get(url, headers)
            now = datetime.now(UTC)
            if response.status == 304 and old:
                summary.unchanged += 1
                writer.touch(company.id, url, now)
                reuse_stored(candidate, old)
                return
            if not response.ok:
                failed(candidate, response.error or f"HTTP {response.status}", response, now)
                return
            if not same_site(response.final_url, site):
                off_site = f"redirected off the company's site to {response.final_url}"
                failed(candidate, off_site, response, now)
                return
            text = decode_html(response.body, response.content_type)
            reached_home |= url == home
            record = _record(company.id, candidate, response, now, text=text)
            if old and old.sha256 == record.sha256:
                summary.unchanged += 1
            else:
                summary.fetched += 1
            writer.add(record)
            for source, board in detect_boards(text):
                if (source, board) not in known_boards:
                    known_boards.add((source, board))
                    writer.add_board(company.id, Board(source, board, "detected"))
                    summary.boards_detected.append(f"{source}:{board}")
            self._follow(text, response.final_url, candidate, max_depth, push)

        async def worker() -> None:
            nonlocal done, in_flight
            while True:
                while not frontier:
                    if in_flight == 0 or done >= budget:
                        wake.set()
                        return
                    wake.clear()
                    await wake.wait()
                if done >= budget:
                    wake.set()
                    return
                candidate = heapq.heappop(frontier)
                done += 1
                in_flight += 1
                try:
                    await visit(candidate)
                except Exception as exc:  # one bad page never aborts the crawl
                    failed(candidate, f"{type(exc).__name__}: {exc}")
                finally:
                    in_flight -= 1
                    wake.set()
                if self.progress:
                    self.progress(company.name, done, budget)

        workers = self.crawl.global_concurrency
        await asyncio.gather(*(worker() for _ in range(workers)))
        if not reached_home:
            why = home_error[0] or "it was never reached"
            summary.error = f"homepage {home} could not be fetched: {why}"

    def _follow(
        self, text: str, base: str, candidate: _Candidate, max_depth: int, push: Callable[..., None]
    ) -> None:
        if candidate.depth >= max_depth or "<a" not in text[:2_000_000]:
            return
        for url, link_text in page_links(text, base):
            push(url, candidate.depth + 1, link_text)

    async def _read_sitemaps(self, sitemaps: list[str], push: Callable[..., None]) -> None:
        pending, listed = list(sitemaps), 0
        seen: set[str] = set()
        while pending and len(seen) < 20 and listed < 5000:
            sitemap = pending.pop(0)
            if sitemap in seen:
                continue
            seen.add(sitemap)
            response = await self._get(sitemap)
            if not response.ok:
                continue
            urls, is_index = sitemap_urls(response.body)
            urls = [urljoin(response.final_url, u) for u in urls]
            if is_index:
                pending.extend(urls)
            else:
                for url in urls:
                    push(url, 1)
                    listed += 1


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _record(
    company_id: int,
    candidate: _Candidate,
    response: Response | None,
    fetched_at: datetime | None,
    text: str | None = None,
    error: str | None = None,
) -> PageRecord:
    return PageRecord(
        company_id=company_id,
        url=candidate.url,
        fetched_at=fetched_at or datetime.now(UTC),
        final_url=response.final_url if response else None,
        status=response.status if response else None,
        content_type=response.content_type if response else None,
        etag=response.headers.get("etag") if response else None,
        last_modified=response.headers.get("last-modified") if response else None,
        text=text,
        error=error,
        depth=candidate.depth,
        link_text=candidate.link_text or None,
    )
