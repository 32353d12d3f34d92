"""Greenhouse Job Board API: GET /v1/boards/{token}/jobs?content=true (content is escaped HTML)."""

from __future__ import annotations

from typing import Any

from fitbrief.records import Posting
from fitbrief.sources.base import SourceContext, text_of
from fitbrief.sources.normalize import as_object, finish, parse_time


def parse(data: Any, ctx: SourceContext) -> list[Posting]:
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ctx.shape_error("expected an object with a 'jobs' list")
    postings = []
    for job in data["jobs"]:
        if not isinstance(job, dict) or "id" not in job:
            continue
        location = text_of(as_object(job.get("location")).get("name"))
        offices = [text_of(o.get("name")) for o in job.get("offices") or [] if isinstance(o, dict)]
        departments = [d.get("name") for d in job.get("departments") or [] if isinstance(d, dict)]
        posting = Posting(
            source="greenhouse",
            source_id=str(job["id"]),
            board=ctx.board,
            title=text_of(job.get("title")) or "(untitled)",
            department=next((d for d in departments if d), None),
            locations=[location, *offices],
            posted_at=parse_time(job.get("first_published") or job.get("created_at")),
            updated_at=parse_time(job.get("updated_at")),
            url=text_of(job.get("absolute_url")) or None,
            apply_url=text_of(job.get("absolute_url")) or None,
            raw=job,
        )
        for meta in job.get("metadata") or []:
            if isinstance(meta, dict) and "employment" in str(meta.get("name", "")).lower():
                posting.employment_type = str(meta.get("value") or "") or None
        # content is escaped HTML; the HTML reader unescapes it (once or twice).
        postings.append(finish(posting, text_of(job.get("content"))))
    return postings


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    return parse(await ctx.get_json(f"/v1/boards/{ctx.board}/jobs?content=true"), ctx)
