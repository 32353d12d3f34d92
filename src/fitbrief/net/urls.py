"""Checking the URLs people type."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from fitbrief.errors import UsageError

_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$"
)


def check_http_url(url: str) -> str:
    """``url`` as an absolute http(s) URL with a valid host and port, its host lower-cased
    and an international (IDN) host written in ASCII; else one UsageError naming it."""
    given = url
    url = url.strip()
    if not url or re.search(r"\s", url):
        raise UsageError(f"{given!r} is not a URL: it has spaces or line breaks")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{given!r} is not an http(s) URL with a host")
    try:
        port = parts.port
    except ValueError:
        raise UsageError(f"{given!r}: the port must be a number from 1 to 65535") from None
    if port == 0:
        raise UsageError(f"{given!r}: the port must be a number from 1 to 65535")
    host = parts.hostname
    if host.startswith("[") or ":" in host:  # an IPv6 literal: urlsplit checked it
        ascii_host = host
    else:
        try:
            ascii_host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise UsageError(f"{given!r}: {host!r} is not a valid host name") from None
        if not _HOST.match(ascii_host):
            raise UsageError(f"{given!r}: {host!r} is not a valid host name")
    netloc = ascii_host if ":" not in ascii_host else f"[{ascii_host}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    if parts.username or parts.password:
        raise UsageError(f"{given!r}: a homepage URL carries no user name or password")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))
