"""Workable.  First the widget API, which public integrations use and which gives every job
with its description in one call: GET /api/v1/widget/accounts/{account}?details=true.  When
that is not available for an account, the careers-page API: POST /api/v3/accounts/{slug}/jobs
(paged by a nextPage token), details per job from GET /api/v2/accounts/{slug}/jobs/{code}."""

from __future__ import annotations

from typing import Any

from fitbrief.errors import SourceError
from fitbrief.records import Posting
from fitbrief.sources.base import SourceContext, text_of
from fitbrief.sources.normalize import as_object, finish, parse_time, place, titled_html


def parse_job(job: dict[str, Any], detail: dict[str, Any], ctx: SourceContext) -> Posting:
    location = as_object(job.get("location"))
    where = place(location.get("city"), location.get("country"))
    shortcode = text_of(job.get("shortcode")) or str(job.get("id"))
    posting = Posting(
        source="workable",
        source_id=shortcode,
        board=ctx.board,
        title=text_of(job.get("title")) or "(untitled)",
        department=(job.get("department") or [None])[0]
        if isinstance(job.get("department"), list)
        else job.get("department"),
        locations=[where],
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
    by_code: dict[str, tuple[Posting, str | None]] = {}
    for job in data["jobs"]:
        if not isinstance(job, dict):
            continue
        code = text_of(job.get("shortcode")) or text_of(job.get("url"))
        if not code:
            continue
        places = [
            place(loc.get("city"), loc.get("country"))
            for loc in job.get("locations") or []
            if isinstance(loc, dict) and not loc.get("hidden")
        ] or [place(job.get("city"), job.get("country"))]
        if code in by_code:  # the same job again, for another location
            by_code[code][0].locations.extend(places)
            continue
        posting = Posting(
            source="workable",
            source_id=code,
            board=ctx.board,
            title=text_of(job.get("title")) or "(untitled)",
            department=text_of(job.get("department")) or None,
            locations=places,
            workplace="remote" if job.get("telecommuting") is True else None,
            employment_type=text_of(job.get("employment_type")) or None,
            posted_at=parse_time(job.get("published_on") or job.get("created_at")),
            url=text_of(job.get("url")) or ctx.url(f"/{ctx.board}/j/{code}/"),
            apply_url=text_of(job.get("application_url")) or None,
            raw=job,
        )
        by_code[code] = (posting, text_of(job.get("description")) or None)
    # Finished once every listing of a job is in: finish dedupes the places and reads the
    # workplace from all of them.
    return [finish(posting, html) for posting, html in by_code.values()]


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    """The widget API, or the careers-page API when the widget fails or lists nothing (an
    empty widget must not close a board's postings that the careers API still lists)."""
    try:
        postings = parse_widget(
            await ctx.get_json(f"/api/v1/widget/accounts/{ctx.board}?details=true"), ctx
        )
    except SourceError as first:
        try:
            return await fetch_careers_api(ctx)
        except SourceError:
            raise first from None
    if postings:
        return postings
    try:
        return await fetch_careers_api(ctx)
    except SourceError:
        return postings  # the widget's answer (no postings) stands


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
