"""Personio XML feed: GET {host}.jobs.personio.de/xml?language=en."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fitbrief.errors import SourceError
from fitbrief.records import Posting
from fitbrief.sources.base import SourceContext
from fitbrief.sources.normalize import finish, parse_time, titled_html


def parse(body: bytes, ctx: SourceContext) -> list[Posting]:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise SourceError(f"personio board {ctx.board!r}: malformed XML ({exc})") from None
    if root.tag != "workzag-jobs":
        raise ctx.shape_error(f"expected a <workzag-jobs> feed, got <{root.tag}>")
    postings = []
    for position in root.iter("position"):

        def field(name: str, node: ET.Element = position) -> str:
            return (node.findtext(name) or "").strip()

        if not field("id"):
            continue
        html = titled_html(
            (field("name", d), field("value", d)) for d in position.iter("jobDescription")
        )
        posting = Posting(
            source="personio",
            source_id=field("id"),
            board=ctx.board,
            title=field("name") or "(untitled)",
            department=field("department") or None,
            locations=[field("office")] if field("office") else [],
            employment_type=field("employmentType") or field("schedule") or None,
            seniority=field("seniority") or None,
            posted_at=parse_time(field("createdAt")),
            url=ctx.url(f"/job/{field('id')}?language=en"),
            apply_url=ctx.url(f"/job/{field('id')}?language=en#apply"),
            raw={
                child.tag: (child.text or "").strip()
                for child in position
                if child.tag != "jobDescriptions"
            },
        )
        postings.append(finish(posting, html or None))
    return postings


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    response = await ctx.get("/xml?language=en")
    return parse(response.body, ctx)
