"""SmartRecruiters Posting API: GET /v1/companies/{id}/postings (offset/limit, max 100),
details per posting from /v1/companies/{id}/postings/{postingId}."""

from __future__ import annotations

from typing import Any

from fitbrief.records import Posting
from fitbrief.sources.base import SourceContext, text_of
from fitbrief.sources.normalize import as_object, finish, parse_time, place, titled_html

PAGE = 100


def parse_posting(item: dict[str, Any], detail: dict[str, Any], ctx: SourceContext) -> Posting:
    location = as_object(item.get("location"))
    where = place(location.get("city"), location.get("country"))
    sections = as_object(as_object(detail.get("jobAd")).get("sections"))
    html = titled_html(
        (text_of(sections[key].get("title")) or title, text_of(sections[key].get("text")))
        for key, title in (
            ("companyDescription", "Company"),
            ("jobDescription", "Job description"),
            ("qualifications", "Qualifications"),
            ("additionalInformation", "Additional information"),
        )
        if isinstance(sections.get(key), dict)
    )
    department = as_object(item.get("department"))
    employment = as_object(item.get("typeOfEmployment"))
    posting = Posting(
        source="smartrecruiters",
        source_id=str(item.get("id")),
        board=ctx.board,
        title=text_of(item.get("name")) or "(untitled)",
        department=department.get("label"),
        locations=[where],
        workplace="remote"
        if location.get("remote")
        else ("hybrid" if location.get("hybrid") else None),
        employment_type=employment.get("label"),
        posted_at=parse_time(item.get("releasedDate")),
        # The public job page's address when the feed leaves it out.
        url=text_of(detail.get("postingUrl"))
        or f"https://jobs.smartrecruiters.com/{ctx.board}/{item.get('id')}",
        apply_url=text_of(detail.get("applyUrl")) or None,
        raw={"posting": item, "detail": detail},
    )
    return finish(posting, html or None)


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    postings: list[Posting] = []
    offset = 0
    while True:
        data = await ctx.get_json(
            f"/v1/companies/{ctx.board}/postings?offset={offset}&limit={PAGE}"
        )
        if not isinstance(data, dict) or not isinstance(data.get("content"), list):
            raise ctx.shape_error("expected an object with a 'content' list")
        for item in data["content"]:
            if not isinstance(item, dict) or item.get("id") is None:
                continue
            detail = await ctx.get_json(f"/v1/companies/{ctx.board}/postings/{item['id']}")
            postings.append(parse_posting(item, detail if isinstance(detail, dict) else {}, ctx))
        offset += PAGE
        total = data.get("totalFound")
        if not data["content"] or not isinstance(total, int) or offset >= total:
            return postings
