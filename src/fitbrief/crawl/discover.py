"""Finding candidate pages: links on a page, sitemaps, and what stays on the company's site."""

from __future__ import annotations

import gzip
import ipaddress
import re
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

# Second-level labels under which a registrable domain takes three labels (no network, so
# no public-suffix download: this covers the common country-code cases).
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "ne", "or", "gv"}
_SKIP_EXTENSIONS = re.compile(
    r"\.(?:pdf|zip|gz|tgz|rar|7z|jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp[34]|m4a|wav|avi|mov|"
    r"webm|mkv|docx?|xlsx?|pptx?|ics|ical|vcf|exe|dmg|pkg|deb|rpm|apk|css|js|woff2?|ttf|eot|"
    r"json|rss|atom)$",
    re.IGNORECASE,
)
_SKIP_PATH = re.compile(
    r"(?:^|/)(?:login|log-in|signin|sign-in|signup|sign-up|register|logout|account|cart|"
    r"checkout|search|wp-admin|wp-login|calendar|events/feed|cdn-cgi|share|print)(?:/|$|\?)",
    re.IGNORECASE,
)
_LOC = re.compile(rb"<loc>\s*(.*?)\s*</loc>", re.IGNORECASE | re.DOTALL)


def registrable_domain(host: str) -> str:
    """example.co.uk for careers.example.co.uk; an IP address stays itself."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(url: str, site: str) -> bool:
    """True when ``url``'s host is ``site``'s registrable domain or a subdomain of it."""
    host = urlsplit(url).hostname or ""
    return registrable_domain(host) == site if host else False


def normalize_url(url: str) -> str:
    """Drop the fragment, lower-case scheme and host, keep path and query."""
    url, _ = urldefrag(url.strip())
    parts = urlsplit(url)
    path = parts.path or "/"
    netloc = parts.netloc.lower()
    if parts.port in (80, 443) and parts.hostname:
        default = {"http": 80, "https": 443}.get(parts.scheme.lower())
        if parts.port == default:
            netloc = parts.hostname
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def worth_fetching(url: str) -> bool:
    """Not binary, calendar, login, search or a page of endless query variants."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    if _SKIP_EXTENSIONS.search(parts.path) or _SKIP_PATH.search(parts.path):
        return False
    return not re.search(r"(?:^|&)(?:q|s|query|search|replytocom|share)=", parts.query)


def page_links(html: str, base_url: str) -> list[tuple[str, str]]:
    """(absolute URL, link text) for every followable link on a page."""
    tree = LexborHTMLParser(html)
    base = tree.css_first("base[href]")
    if base is not None and base.attributes.get("href"):
        base_url = urljoin(base_url, base.attributes["href"] or "")
    links = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        rel = (a.attributes.get("rel") or "").lower()
        if "nofollow" in rel:
            continue
        links.append((normalize_url(urljoin(base_url, href)), " ".join(a.text().split())[:120]))
    return links


def sitemap_urls(body: bytes) -> tuple[list[str], bool]:
    """The <loc> URLs of a sitemap or sitemap index (gzip read transparently), and whether it
    was an index (its locations are more sitemaps)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            return [], False
    is_index = b"<sitemapindex" in body[:2000].lower()
    urls = [m.decode("utf-8", "replace").replace("&amp;", "&") for m in _LOC.findall(body)]
    return urls, is_index
