"""The records that travel between stages: what the store returns and the stages pass on.

Plain dataclasses, no behaviour beyond small conveniences, so every layer can import them
without importing each other (the store writes them, sources and the crawler produce them,
analysis and rendering read them).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from fitbrief.textutil import sha256_text


@dataclass(frozen=True)
class Board:
    """A company's board on one ATS source."""

    source: str  # a name from the source registry
    board: str  # token / site / slug / host
    origin: str = "user"  # 'user' or 'detected' (found on a crawled page)


@dataclass
class Company:
    """A company being researched, with its job boards."""

    id: int
    name: str
    url: str
    added_at: datetime | None = None
    notes: str | None = None
    boards: list[Board] = field(default_factory=list)


@dataclass
class CompanyStatus:
    """A company with how much research is stored for it (``company list``)."""

    company: Company
    pages: int
    open_postings: int
    last_crawled: datetime | None


@dataclass
class PageRecord:
    """One row of the crawl: a fetched page, a failure, or a page refused by robots.txt."""

    company_id: int
    url: str
    fetched_at: datetime
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    text: str | None = None  # decoded body; None when nothing was stored
    error: str | None = None
    depth: int = 0
    link_text: str | None = None

    @cached_property
    def sha256(self) -> str | None:
        """The content key of ``text`` (how an unchanged page is recognised), computed once."""
        return sha256_text(self.text) if self.text is not None else None


@dataclass
class StoredPage:
    """What the crawler needs to know of a page it stored before."""

    url: str
    final_url: str | None
    status: int | None
    fetched_at: datetime | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    body: bytes | None  # stored compressed; decoded only when the page is reused
    error: str | None
    content_type: str | None


# A passage's heading is the path of headings above it: "Careers > Our values > Be kind".
HEADING_SEPARATOR = " > "


def nearest_heading(path: str | None) -> str:
    """The last heading of a heading path ("Our values > Be kind" -> "Be kind")."""
    return (path or "").split(HEADING_SEPARATOR)[-1].strip()


@dataclass
class Passage:
    """A paragraph-sized piece of a stored page, with where it came from."""

    text: str
    heading: str = ""  # the heading path (HEADING_SEPARATOR between levels)
    url: str = ""
    kind: str = "other"  # the page kind (pages.kinds)
    id: int | None = None  # None for passages of local files
    title: str = ""
    published: date | None = None
    fetched_at: datetime | None = None
    sha256: str = ""


@dataclass
class Posting:
    """A job posting in one shape whatever its source."""

    source: str
    source_id: str
    title: str
    board: str = ""
    department: str | None = None
    locations: list[str] = field(default_factory=list)
    workplace: str | None = None  # remote / hybrid / on-site
    employment_type: str | None = None
    seniority: str | None = None
    posted_at: datetime | None = None
    updated_at: datetime | None = None
    url: str | None = None
    apply_url: str | None = None
    description: str = ""
    description_html: str = ""
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_interval: str | None = None
    salary_origin: str | None = None
    requirements: list[str] = field(default_factory=list)
    responsibilities: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def content_hash(self) -> str:
        data = asdict(self)
        data.pop("raw")
        return sha256_text(json.dumps(data, sort_keys=True, default=str))


@dataclass
class StoredPosting:
    """A posting as stored: its fields plus the company, status and when it was seen."""

    id: int
    company: str
    source: str
    source_id: str
    title: str
    department: str | None
    locations: list[str]
    workplace: str | None
    employment_type: str | None
    seniority: str | None
    posted_at: datetime | None
    url: str | None
    apply_url: str | None
    status: str  # open / closed
    first_seen: datetime | None
    last_seen: datetime | None
    closed_at: datetime | None
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_interval: str | None
    salary_origin: str | None
    requirements: list[str]
    responsibilities: list[str]
    skills: list[str]
    description: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class InterviewRow:
    """One stored interview, as the history lists it."""

    id: int
    company: str
    date: date
    role: str | None
    outcome: str
    covered_share: float | None
    questions: int
    feedback: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MissedCategory:
    """Questions of one category the research did not cover, across interviews."""

    category: str
    missed: int
    questions: list[str]
    asked: int


# What a crawl of one company reports, in order: the crawl table's columns and crawl_runs'.
CRAWL_COUNTS = (
    "fetched",
    "unchanged",
    "skipped",
    "robots",
    "failed",
    "postings",
    "seconds",
    "error",
)
