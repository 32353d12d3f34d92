"""Workable: POST /api/v3/accounts/{slug}/jobs (paged by a nextPage token), details per job
from GET /api/v2/accounts/{slug}/jobs/{shortcode}."""

from __future__ import annotations

from typing import Any

from fitbrief.records import Posting
from fitbrief.sources.base import SourceContext, text_of
from fitbrief.sources.normalize import as_object, finish, parse_time, titled_html


def parse_job(job: dict[str, Any], detail: dict[str, Any], ctx: SourceContext) -> Posting:
    location = as_object(job.get("location"))
    place = ", ".join(x for x in (location.get("city"), location.get("country")) if x)
    shortcode = text_of(job.get("shortcode")) or str(job.get("id"))
    posting = Posting(
        source="workable",
        source_id=shortcode,
        board=ctx.board,
        title=text_of(job.get("title")) or "(untitled)",
        department=(job.get("department") or [None])[0]
        if isinstance(job.get("department"), list)
        else job.get("department"),
        locations=[place] if place else [],
        workplace=str(job.get("workplace") or "").replace("on_site", "on-site")
        or ("remote" if job.get("remote") else None),
        employment_type=text_of(job.get("type")) or None,
        posted_at=parse_time(job.get("published")),
        url=ctx.url(f"/{ctx.board}/j/{shortcode}/"),
        apply_url=ctx.url(f"/{ctx.board}/j/{shortcode}/apply/"),
        raw={"job": job, "detail": detail},
    )
    html = titled_html(
        (title, text_of(detail.get(key)))
        for key, title in (
            ("description", "About the role"),
            ("requirements", "Requirements"),
            ("benefits", "Benefits"),
        )
        if detail.get(key)
    )
    return finish(posting, html or None)


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    postings: list[Posting] = []
    token: str | None = None
    for _page in range(50):
        body: dict[str, Any] = {
            "query": "",
            "location": [],
            "department": [],
            "worktype": [],
            "remote": [],
        }
        if token:
            body["token"] = token
        data = await ctx.get_json(f"/api/v3/accounts/{ctx.board}/jobs", "POST", body)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise ctx.shape_error("expected an object with a 'results' list")
        for job in data["results"]:
            if not isinstance(job, dict) or not job.get("shortcode"):
                continue
            detail = await ctx.get_json(f"/api/v2/accounts/{ctx.board}/jobs/{job['shortcode']}")
            postings.append(parse_job(job, detail if isinstance(detail, dict) else {}, ctx))
        token = data.get("nextPage")
        if not token:
            break
    return postings
