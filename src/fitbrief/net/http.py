"""One HTTP client factory and a careful fetch: retries, size cap, redirects, host guard."""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from fitbrief import __version__
from fitbrief.config import CrawlSettings
from fitbrief.errors import BlockedHost, FetchError

RETRY_STATUSES = {429, 500, 502, 503, 504}  # 500 too: transient server errors are common
ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml",
    "text/xml",
    "application/xml",
    "application/json",
    "application/ld+json",
    "text/plain",
    "application/rss",
    "application/atom",
    "application/x-gzip",
    "application/gzip",
)


@dataclass
class FetchPolicy:
    """The politeness and safety settings of ``[crawl]``, resolved once."""

    user_agent: str = f"fitbrief/{__version__}"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    max_retries: int = 3
    backoff_base: float = 0.5
    max_retry_after: float = 60.0
    max_body_bytes: int = 5_000_000
    allow_private_hosts: bool = False

    @classmethod
    def from_settings(cls, crawl: CrawlSettings) -> FetchPolicy:
        return cls(**{k: getattr(crawl, k) for k in cls.__dataclass_fields__})


@dataclass
class Response:
    """What a fetch produced (also for failures: ``error`` says why)."""

    url: str
    final_url: str
    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    elapsed: float = 0.0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


def make_client(
    policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None = None, **kwargs: Any
) -> httpx.AsyncClient:
    """The one place an HTTP client is built; tests pass ``httpx.MockTransport`` here."""
    timeout = httpx.Timeout(
        connect=policy.connect_timeout,
        read=policy.read_timeout,
        write=policy.read_timeout,
        pool=policy.total_timeout,
    )
    return httpx.AsyncClient(
        headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=timeout,
        follow_redirects=False,  # followed by hand: every hop passes the host guard
        transport=transport,
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        **kwargs,
    )


_resolved: dict[str, bool] = {}


async def check_host(url: str, policy: FetchPolicy) -> None:
    """Raise BlockedHost when ``url``'s host resolves to a non-public address."""
    if policy.allow_private_hosts:
        return
    host = urlsplit(url).hostname or ""
    if host in _resolved:
        if not _resolved[host]:
            raise BlockedHost(
                f"{url}: refused: {host} is a private or loopback address "
                "(set [crawl] allow_private_hosts = true to allow)"
            )
        return
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise FetchError(f"{url}: cannot resolve {host}: {exc}") from None
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    public = all(a.is_global and not a.is_multicast for a in addresses)
    _resolved[host] = public
    if not public:
        raise BlockedHost(
            f"{url}: refused: {host} resolves to a private or loopback address "
            "(set [crawl] allow_private_hosts = true to allow)"
        )


_STATUS_WORDS = {
    400: "bad request",
    401: "needs a login",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    408: "request timeout",
    410: "gone",
    429: "too many requests",
}


def http_error(status: int) -> str:
    """An HTTP error status in words: "not found (HTTP 404)", "server error (HTTP 503)"."""
    words = _STATUS_WORDS.get(status) or ("server error" if status >= 500 else "refused")
    return f"{words} (HTTP {status})"


def transport_error(exc: Exception) -> str:
    """A connection-level failure in words, keeping the library's detail."""
    detail = str(exc).strip()
    if isinstance(exc, httpx.ConnectTimeout):
        words = "could not connect in time ([crawl] connect_timeout)"
    elif isinstance(exc, httpx.ReadTimeout):
        words = "the server stopped answering ([crawl] read_timeout)"
    elif isinstance(exc, httpx.ConnectError):
        words = "could not connect"
    elif isinstance(exc, httpx.DecodingError):
        words = "the response could not be decoded"
    else:
        words = f"connection failed ({type(exc).__name__})"
    return f"{words}: {detail}" if detail else words


def retry_after_seconds(value: str | None, limit: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta or HTTP date), capped at ``limit``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), limit)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), limit))


def _accepted(content_type: str) -> bool:
    ctype = content_type.split(";")[0].strip().lower()
    return not ctype or any(ctype.startswith(t) for t in ACCEPTED_TYPES) or ctype.endswith("+xml")


async def _one_request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    policy: FetchPolicy,
    headers: dict[str, str],
    content: bytes | None,
) -> Response:
    """One request, no redirects or retries; streams the body under the size cap."""
    async with client.stream(method, url, headers=headers, content=content) as resp:
        response = Response(
            url, url, resp.status_code, {k.lower(): v for k, v in resp.headers.items()}
        )
        if resp.status_code in (301, 302, 303, 307, 308) or resp.status_code == 304:
            return response
        if resp.status_code >= 400:
            response.error = http_error(resp.status_code)
            return response
        if not _accepted(response.content_type):
            response.error = f"unsupported content type {response.content_type.split(';')[0]}"
            return response
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > policy.max_body_bytes:
            response.error = (
                f"too large: {int(declared)} bytes, over the {policy.max_body_bytes} byte cap "
                "([crawl] max_body_bytes)"
            )
            return response
        chunks, size = [], 0
        async for chunk in resp.aiter_bytes():
            size += len(chunk)
            if size > policy.max_body_bytes:
                response.error = (
                    f"too large: over the {policy.max_body_bytes} byte cap ([crawl] max_body_bytes)"
                )
                return response
            chunks.append(chunk)
        response.body = b"".join(chunks)
        return response


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    policy: FetchPolicy,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    content: bytes | None = None,
) -> Response:
    """Fetch ``url`` politely: redirects (each hop guarded), retries with backoff and jitter
    on 429/500/502/503/504 and connection errors (honouring Retry-After), a total time limit.
    Never raises for HTTP trouble: the returned Response carries ``error``."""
    start = time.monotonic()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _failure(url, url, "not an absolute http(s) URL", start)  # no retrying that
    try:
        return await asyncio.wait_for(
            _fetch(client, url, policy, headers or {}, method, content, start),
            timeout=policy.total_timeout,
        )
    except TimeoutError:
        return _failure(
            url, url, f"timed out after {policy.total_timeout:g}s ([crawl] total_timeout)", start
        )


def _failure(url: str, final_url: str, error: str, start: float) -> Response:
    """A fetch that produced no usable response."""
    return Response(url, final_url, None, error=error, elapsed=time.monotonic() - start)


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    policy: FetchPolicy,
    headers: dict[str, str],
    method: str,
    content: bytes | None,
    start: float,
) -> Response:
    current = url
    seen = {url}
    for _hop in range(policy.max_redirects + 1):
        try:
            await check_host(current, policy)
        except FetchError as exc:
            return _failure(url, current, str(exc).split(": ", 1)[-1], start)
        response = await _with_retries(client, method, current, policy, headers, content)
        response.url, response.elapsed = url, time.monotonic() - start
        if response.status in (301, 302, 303, 307, 308):
            location = response.headers.get("location")
            if not location:
                response.error = f"HTTP {response.status} without Location"
                return response
            current = urljoin(current, location)
            if urlsplit(current).scheme not in ("http", "https"):
                response.error = f"redirect to unsupported URL {current}"
                return response
            if current in seen:
                response.error = f"redirect loop at {current}"
                return response
            seen.add(current)
            if response.status == 303:
                method, content = "GET", None
            continue
        response.final_url = current
        return response
    return _failure(
        url, current, f"more than {policy.max_redirects} redirects ([crawl] max_redirects)", start
    )


async def _with_retries(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    policy: FetchPolicy,
    headers: dict[str, str],
    content: bytes | None,
) -> Response:
    attempt = 0
    while True:
        try:
            response = await _one_request(client, method, url, policy, headers, content)
            retry = response.status in RETRY_STATUSES
            wait = retry_after_seconds(response.headers.get("retry-after"), policy.max_retry_after)
        except (httpx.TransportError, httpx.DecodingError) as exc:
            response = Response(url, url, None, error=transport_error(exc))
            retry, wait = not isinstance(exc, httpx.DecodingError), None
        if not retry or attempt >= policy.max_retries:
            return response
        if wait is None:
            wait = policy.backoff_base * (2**attempt)
            wait += random.uniform(0, wait / 2)  # jitter: do not retry in lockstep
        attempt += 1
        await asyncio.sleep(wait)
