"""Checking the URLs people type."""

from __future__ import annotations

from urllib.parse import urlsplit

from fitbrief.errors import UsageError


def check_http_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL with a host, else raise UsageError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r} is not an http(s) URL with a host")
    return url.strip()
