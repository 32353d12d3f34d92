"""Lever Postings API: GET /v0/postings/{site}?mode=json; a bare array, skip/limit paging."""

from __future__ import annotations

from typing import Any

from fitbrief.records import Posting
from fitbrief.sources.base import SourceContext, text_of
from fitbrief.sources.normalize import (
    as_object,
    finish,
    parse_time,
    plain_to_html,
    set_structured_salary,
    titled_html,
)

PAGE = 100


def parse(data: Any, ctx: SourceContext) -> list[Posting]:
    if not isinstance(data, list) or (data and not any(isinstance(j, dict) for j in data)):
        raise ctx.shape_error("expected a JSON array of posting objects")
    postings = []
    for job in data:
        if not isinstance(job, dict) or "id" not in job:
            continue
        categories = as_object(job.get("categories"))
        locations = categories.get("allLocations") or [categories.get("location")]
        posting = Posting(
            source="lever",
            source_id=str(job["id"]),
            board=ctx.board,
            title=text_of(job.get("text")) or "(untitled)",
            department=categories.get("department") or categories.get("team"),
            locations=[x for x in locations if isinstance(x, str) and x],
            employment_type=categories.get("commitment"),
            workplace={"remote": "remote", "hybrid": "hybrid", "onsite": "on-site"}.get(
                str(job.get("workplaceType", "")).lower()
            ),
            posted_at=parse_time(job.get("createdAt")),
            url=text_of(job.get("hostedUrl")) or None,
            apply_url=text_of(job.get("applyUrl")) or None,
            raw=job,
        )
        salary = job.get("salaryRange")
        if isinstance(salary, dict):
            set_structured_salary(
                posting,
                salary.get("min"),
                salary.get("max"),
                salary.get("currency"),
                salary.get("interval"),
            )
        # Lever's "lists" are titled bullet lists: requirements and responsibilities.  Some
        # boards send only the plain-text fields: they are used where the HTML is missing.
        body = [_html_or_plain(job, "description")]
        for item in job.get("lists") or []:
            if isinstance(item, dict):
                items = f"<ul>{text_of(item.get('content'))}</ul>"
                body.append(titled_html([(text_of(item.get("text")), items)]))
        body.append(_html_or_plain(job, "additional"))
        html = "".join(body)
        postings.append(finish(posting, html))
    return postings


def _html_or_plain(job: dict[str, Any], key: str) -> str:
    """A Lever text field as HTML: ``key`` itself, else its ``<key>Plain`` twin, line by line."""
    html = text_of(job.get(key))
    if html.strip():
        return html
    return plain_to_html(text_of(job.get(f"{key}Plain")))


async def fetch_board(ctx: SourceContext) -> list[Posting]:
    postings: list[Posting] = []
    skip = 0
    while True:
        page = await ctx.get_json(f"/v0/postings/{ctx.board}?mode=json&skip={skip}&limit={PAGE}")
        batch = parse(page, ctx)
        postings.extend(batch)
        if len(page) < PAGE:
            return postings
        skip += PAGE
