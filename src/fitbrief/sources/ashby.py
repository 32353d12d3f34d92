"""Ashby Posting API: GET /posting-api/job-board/{board}?includeCompensation=true."""

from __future__ import annotations

from typing import Any

from fitbrief.records import Posting
from fitbrief.sources.base import SourceContext, text_of
from fitbrief.sources.normalize import as_object, finish, parse_time, set_structured_salary


def parse(data: Any, ctx: SourceContext) -> list[Posting]:
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ctx.shape_error("expected an object with a 'jobs' list")
    postings = []
    for job in data["jobs"]:
        if not isinstance(job, dict) or job.get("isListed") is False:
            continue
        source_id = text_of(job.get("id")) or text_of(job.get("jobUrl"))
        if not source_id:
            continue
        locations = [text_of(job.get("location"))] + [
            text_of(s.get("location"))
            for s in job.get("secondaryLocations") or []
            if isinstance(s, dict)
        ]
        workplace = str(job.get("workplaceType") or "").lower()
        posting = Posting(
            source="ashby",
            source_id=source_id,
            board=ctx.board,
            title=text_of(job.get("title")) or "(untitled)",
            department=text_of(job.get("department")) or text_of(job.get("team")) or None,
            locations=[x for x in locations if x],
            workplace="remote"
            if job.get("isRemote") or workplace == "remote"
            else (
                "hybrid" if workplace == "hybrid" else "on-site" if workplace == "onsite" else None
            ),
            employment_type=text_of(job.get("employmentType")) or None,
            posted_at=parse_time(job.get("publishedAt")),
            url=text_of(job.get("jobUrl")) or None,
            apply_url=text_of(job.get("applyUrl")) or None,
            description=text_of(job.get("descriptionPlain")),
            raw=job,
        )
        compensation = as_object(job.get("compensation"))
        for component in compensation.get("summaryComponents") or []:
            if isinstance(component, dict) and component.get("compensationType") == "Salary":
                set_structured_salary(
                    posting,
                    component.get("minValue"),
                    component.get("maxValue"),
                    component.get("currencyCode"),
                    component.get("interval"),
                )
                break
        postings.append(finish(posting, text_of(job.get("descriptionHtml")) or None))
    return postings


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    return parse(
        await ctx.get_json(f"/posting-api/job-board/{ctx.board}?includeCompensation=true"), ctx
    )
