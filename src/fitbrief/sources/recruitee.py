"""Recruitee Careers Site API: GET {slug}.recruitee.com/api/offers/."""

from __future__ import annotations

from typing import Any

from fitbrief.records import Posting
from fitbrief.sources.base import SourceContext, text_of
from fitbrief.sources.normalize import (
    as_object,
    finish,
    parse_time,
    place,
    set_structured_salary,
    titled_html,
)


def parse(data: Any, ctx: SourceContext) -> list[Posting]:
    if not isinstance(data, dict) or not isinstance(data.get("offers"), list):
        raise ctx.shape_error("expected an object with an 'offers' list")
    postings = []
    for offer in data["offers"]:
        if not isinstance(offer, dict) or offer.get("id") is None:
            continue
        location = text_of(offer.get("location")) or place(offer.get("city"), offer.get("country"))
        posting = Posting(
            source="recruitee",
            source_id=str(offer["id"]),
            board=ctx.board,
            title=text_of(offer.get("title")) or "(untitled)",
            department=text_of(offer.get("department")) or None,
            locations=[location] if location else [],
            workplace="remote"
            if offer.get("remote")
            else ("hybrid" if offer.get("hybrid") else None),
            employment_type=text_of(offer.get("employment_type_code")) or None,
            posted_at=parse_time(offer.get("published_at") or offer.get("created_at")),
            url=text_of(offer.get("careers_url")) or None,
            apply_url=text_of(offer.get("careers_apply_url")) or None,
            raw=offer,
        )
        salary = as_object(offer.get("salary"))
        set_structured_salary(
            posting,
            salary.get("min"),
            salary.get("max"),
            salary.get("currency"),
            salary.get("period"),
        )
        html = text_of(offer.get("description"))
        if offer.get("requirements"):
            html += titled_html([("Requirements", text_of(offer.get("requirements")))])
        postings.append(finish(posting, html or None))
    return postings


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    return parse(await ctx.get_json("/api/offers/"), ctx)
