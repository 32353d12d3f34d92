"""Workable.  First the widget API, which public integrations use and which gives every job
with its description in one call: GET /api/v1/widget/accounts/{account}?details=true.  When
that is not available for an account, the careers-page API: POST /api/v3/accounts/{slug}/jobs
(paged by a nextPage token), details per job from GET /api/v2/accounts/{slug}/jobs/{code}."""

from __future__ import annotations

from typing import Any

from fitbrief.errors import SourceError
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


def parse_widget(data: Any, ctx: SourceContext) -> list[Posting]:
    """Postings of a widget response; a job listed once per location is one posting."""
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ctx.shape_error("expected an object with a 'jobs' list")
    by_code: dict[str, Posting] = {}
    for job in data["jobs"]:
        if not isinstance(job, dict):
            continue
        code = text_of(job.get("shortcode")) or text_of(job.get("url"))
        if not code:
            continue
        places = [
            ", ".join(x for x in (text_of(loc.get("city")), text_of(loc.get("country"))) if x)
            for loc in job.get("locations") or []
            if isinstance(loc, dict) and not loc.get("hidden")
        ] or [", ".join(x for x in (text_of(job.get("city")), text_of(job.get("country"))) if x)]
        if code in by_code:  # the same job again, for another location
            known = by_code[code].locations
            known.extend(p for p in places if p and p not in known)
            continue
        posting = Posting(
            source="workable",
            source_id=code,
            board=ctx.board,
            title=text_of(job.get("title")) or "(untitled)",
            department=text_of(job.get("department")) or None,
            locations=list(dict.fromkeys(p for p in places if p)),
            workplace="remote" if job.get("telecommuting") is True else None,
            employment_type=text_of(job.get("employment_type")) or None,
            posted_at=parse_time(job.get("published_on") or job.get("created_at")),
            url=text_of(job.get("url")) or ctx.url(f"/{ctx.board}/j/{code}/"),
            apply_url=text_of(job.get("application_url")) or None,
            raw=job,
        )
        by_code[code] = finish(posting, text_of(job.get("description")) or None)
    return list(by_code.values())


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    """The widget API, or the careers-page API when the widget has nothing for the account."""
    try:
        widget = await ctx.get_json(f"/api/v1/widget/accounts/{ctx.board}?details=true")
        return parse_widget(widget, ctx)
    except SourceError as first:
        try:
            return await fetch_careers_api(ctx)
        except SourceError:
            raise first from None


async def fetch_careers_api(ctx: SourceContext) -> list[Posting]:
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
