"""Every ATS source against a fake board that speaks its documented API (httpx.MockTransport):
paging, an empty board, 404, a malformed body, salaries, requirement sections, and postings
that disappear being marked closed."""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from conftest import make_app

from fitbrief.errors import SourceError
from fitbrief.net.http import FetchPolicy, make_client
from fitbrief.pipeline.research import add_company, update_postings
from fitbrief.sources.base import SourceContext
from fitbrief.sources.registry import SOURCES
from fitbrief.store.postings import list_postings

MODULES = SOURCES  # the registry the product uses
PAGED = {"lever": 100, "workable": 10, "smartrecruiters": 100}  # sources that page, page size

ABOUT = "<p>Join our data team.</p>"
REQUIREMENTS = ["3+ years of Python", "Experience with SQL and dbt"]


def job(i: int) -> dict[str, Any]:
    return {"id": f"j{i}", "title": f"Data Engineer {i}"}


def _json(data: Any) -> httpx.Response:
    return httpx.Response(200, json=data)


def fake_board(source: str, jobs: list[dict[str, Any]], calls: list[str]) -> Callable:
    """A handler serving ``jobs`` in ``source``'s documented response shape."""
    reqs = "".join(f"<li>{r}</li>" for r in REQUIREMENTS)

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}?{request.url.query.decode()}")
        path, params = request.url.path, request.url.params
        if source == "greenhouse":
            return _json(
                {
                    "jobs": [
                        {
                            "id": int(j["id"][1:]),
                            "title": j["title"],
                            "content": html.escape(f"{ABOUT}<h3>Requirements</h3><ul>{reqs}</ul>"),
                            "location": {"name": "Berlin"},
                            "absolute_url": f"https://boards.example/{j['id']}",
                            "updated_at": "2026-10-01T10:00:00-04:00",
                        }
                        for j in jobs
                    ],
                    "meta": {"total": len(jobs)},
                }
            )
        if source == "lever":
            skip, limit = int(params["skip"]), int(params["limit"])
            return _json(
                [
                    {
                        "id": j["id"],
                        "text": j["title"],
                        "description": ABOUT,
                        "lists": [{"text": "Requirements", "content": reqs}],
                        "categories": {"team": "Data", "location": "Remote"},
                        "workplaceType": "remote",
                        "hostedUrl": f"https://jobs.example/{j['id']}",
                        "createdAt": 1760000000000,
                        "salaryRange": {
                            "min": 90000,
                            "max": 110000,
                            "currency": "USD",
                            "interval": "per-year-salary",
                        },
                    }
                    for j in jobs[skip : skip + limit]
                ]
            )
        if source == "ashby":
            return _json(
                {
                    "jobs": [
                        {
                            "id": j["id"],
                            "title": j["title"],
                            "descriptionHtml": f"{ABOUT}<h2>What you'll bring</h2><ul>{reqs}</ul>",
                            "location": "London",
                            "isRemote": False,
                            "jobUrl": f"https://jobs.example/{j['id']}",
                            "publishedAt": "2026-10-01T10:00:00Z",
                            "compensation": {
                                "summaryComponents": [
                                    {
                                        "compensationType": "Salary",
                                        "interval": "1 YEAR",
                                        "currencyCode": "GBP",
                                        "minValue": 70000,
                                        "maxValue": 85000,
                                    }
                                ]
                            },
                        }
                        for j in jobs
                    ]
                }
            )
        if source == "workable":
            if request.method == "POST":
                token = json.loads(request.content or b"{}").get("token")
                start = int(token or 0)
                page = jobs[start : start + PAGED["workable"]]
                more = start + PAGED["workable"] < len(jobs)
                return _json(
                    {
                        "total": len(jobs),
                        "results": [
                            {
                                "shortcode": j["id"].upper(),
                                "title": j["title"],
                                "department": ["Data"],
                                "location": {"city": "Athens", "country": "Greece"},
                                "workplace": "hybrid",
                                "type": "full",
                                "published": "2026-10-01T10:00:00.000Z",
                            }
                            for j in page
                        ],
                        **({"nextPage": str(start + PAGED["workable"])} if more else {}),
                    }
                )
            return _json(
                {
                    "description": ABOUT,
                    "requirements": f"<ul>{reqs}</ul>",
                    "benefits": "<p>Salary: EUR 60,000 - 70,000 per year</p>",
                }
            )
        if source == "smartrecruiters":
            if path.endswith("/postings"):
                offset, limit = int(params["offset"]), int(params["limit"])
                assert limit <= 100
                return _json(
                    {
                        "offset": offset,
                        "limit": limit,
                        "totalFound": len(jobs),
                        "content": [
                            {
                                "id": j["id"],
                                "name": j["title"],
                                "location": {"city": "Paris", "country": "fr", "remote": True},
                                "department": {"label": "Data"},
                                "typeOfEmployment": {"label": "Full-time"},
                                "releasedDate": "2026-10-01T10:00:00.000Z",
                                "ref": f"https://api.example/{j['id']}",
                            }
                            for j in jobs[offset : offset + limit]
                        ],
                    }
                )
            return _json(
                {
                    "jobAd": {
                        "sections": {
                            "jobDescription": {"title": "Job Description", "text": ABOUT},
                            "qualifications": {
                                "title": "Qualifications",
                                "text": f"<ul>{reqs}</ul>",
                            },
                        }
                    },
                    "postingUrl": "https://jobs.example/x",
                }
            )
        if source == "recruitee":
            return _json(
                {
                    "offers": [
                        {
                            "id": int(j["id"][1:]),
                            "title": j["title"],
                            "description": ABOUT,
                            "requirements": f"<ul>{reqs}</ul>",
                            "location": "Amsterdam",
                            "remote": True,
                            "careers_url": f"https://acme.recruitee.example/o/{j['id']}",
                            "published_at": "2026-10-01 10:00:00 UTC",
                            "salary": {
                                "min": "50000",
                                "max": "65000",
                                "currency": "EUR",
                                "period": "year",
                            },
                        }
                        for j in jobs
                    ]
                }
            )
        if source == "personio":
            positions = "".join(
                f"<position><id>{j['id'][1:]}</id><name>{j['title']}</name><office>Munich</office>"
                "<department>Data</department><employmentType>permanent</employmentType>"
                "<seniority>experienced</seniority><createdAt>2026-10-01T10:00:00+00:00</createdAt>"
                "<jobDescriptions><jobDescription><name>About</name>"
                f"<value>{html.escape(ABOUT)}</value></jobDescription><jobDescription>"
                f"<name>Your profile</name><value>{html.escape('<ul>' + reqs + '</ul>')}</value>"
                "</jobDescription></jobDescriptions></position>"
                for j in jobs
            )
            return httpx.Response(
                200,
                content=f'<?xml version="1.0" encoding="UTF-8"?><workzag-jobs>{positions}</workzag-jobs>',
                headers={"Content-Type": "text/xml"},
            )
        raise AssertionError(source)

    return handler


def ctx_for(source: str, handler: Callable, board: str = "acme") -> SourceContext:
    policy = FetchPolicy(max_retries=0, allow_private_hosts=True)
    return SourceContext(
        make_client(policy, httpx.MockTransport(handler)),
        policy,
        "https://ats.example",
        source,
        board,
    )


def fetch(source: str, handler: Callable, board: str = "acme"):
    return asyncio.run(SOURCES[source].fetch(ctx_for(source, handler, board)))


@pytest.mark.parametrize("source", list(MODULES))
def test_board_is_read_whole_with_sections(source):
    n = 130 if source in PAGED else 12
    calls: list[str] = []
    postings = fetch(source, fake_board(source, [job(i) for i in range(n)], calls))
    assert len(postings) == n and len({p.source_id for p in postings}) == n
    assert {p.title for p in postings} == {f"Data Engineer {i}" for i in range(n)}
    first = postings[0]
    assert (
        first.source == source and first.description and "Join our data team" in first.description
    )
    assert first.requirements == REQUIREMENTS, (source, first.requirements)
    assert {"Python", "SQL"} <= set(first.skills)
    assert "<" not in first.description  # plain text; the HTML is kept separately
    if source in PAGED:
        marker = {"lever": "skip=", "workable": "POST ", "smartrecruiters": "offset="}[source]
        listing = [c for c in calls if marker in c]
        assert len(listing) == -(-n // PAGED[source]), calls[:5]


SALARIES = {
    "lever": (90000, 110000, "USD", "structured"),
    "ashby": (70000, 85000, "GBP", "structured"),
    "recruitee": (50000, 65000, "EUR", "structured"),
    "workable": (60000, 70000, "EUR", "text"),
}


@pytest.mark.parametrize("source", list(SALARIES))
def test_salary_from_structured_fields_or_text(source):
    [posting] = fetch(source, fake_board(source, [job(1)], []))
    got = (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_origin)
    assert got == SALARIES[source]


@pytest.mark.parametrize("source", list(MODULES))
def test_empty_board(source):
    assert fetch(source, fake_board(source, [], [])) == []


@pytest.mark.parametrize("source", list(MODULES))
def test_unknown_board_is_a_clear_404(source):
    handler = lambda request: httpx.Response(404, text="Not Found")  # noqa: E731
    with pytest.raises(SourceError, match=rf"{source} board 'ghost' not found \(404 at https://"):
        fetch(source, handler, "ghost")


@pytest.mark.parametrize("source", list(MODULES))
@pytest.mark.parametrize(
    "body", ["{not json", "<html>Maintenance</html>", '{"unexpected": 1}', "[1, 2]"]
)
def test_malformed_or_unexpected_body_is_a_source_error(source, body):
    handler = lambda request: httpx.Response(200, text=body)  # noqa: E731
    if source == "personio" and body.startswith("{"):
        body = "<workzag-jobs><position><id>1"  # truncated XML
        handler = lambda request: httpx.Response(200, text=body)  # noqa: E731
    with pytest.raises(SourceError) as failure:
        fetch(source, handler)
    assert re.search(rf"{source} board 'acme'", str(failure.value)), str(failure.value)
    assert re.search(r"malformed|unexpected", str(failure.value)), str(failure.value)


def mangle(node: Any, replacement: Any, depth: int, level: int | None = None) -> Any:
    """The same feed with every object ``depth`` levels inside a posting (1: the posting's own
    fields) replaced: documented shapes that real feeds do not always keep."""
    if isinstance(node, dict):
        if level is None and not any(isinstance(v, list) for v in node.values()):
            level = 0  # a detail endpoint: the body is one posting
        if level is not None and level >= depth:
            return replacement
        inner = None if level is None else level + 1
        return {k: mangle(v, replacement, depth, inner) for k, v in node.items()}
    if isinstance(node, list):  # objects in a top-level list are postings
        return [mangle(x, replacement, depth, 0 if level is None else level) for x in node]
    return node


@pytest.mark.parametrize("source", sorted(set(MODULES) - {"personio"}))  # personio is XML
@pytest.mark.parametrize(("replacement", "depth"), [("text", 1), ([], 1), ("text", 2), ([1], 2)])
def test_objects_of_the_wrong_type_are_skipped_not_a_crash(source, replacement, depth):
    board = fake_board(source, [job(i) for i in range(3)], [])

    def handler(request: httpx.Request) -> httpx.Response:
        response = board(request)
        body = mangle(json.loads(response.content), replacement, depth)
        return httpx.Response(response.status_code, json=body)

    try:
        postings = fetch(source, handler)
    except SourceError as failure:  # refusing the feed is fine; any other exception is not
        assert f"{source} board 'acme'" in str(failure)
        return
    assert {p.title for p in postings} <= {f"Data Engineer {i}" for i in range(3)} | {"(untitled)"}


@pytest.mark.parametrize("source", list(MODULES))
def test_posting_that_disappears_is_closed_and_kept(source, settings, db):
    jobs = [job(1), job(2)]
    handler = fake_board(source, jobs, [])
    app = make_app(settings.replace("sources", **{f"{source}_url": "https://ats.example"}))
    company = add_company(app, "Acme", "https://acme.example/", {source: "acme"})
    first = update_postings(app, company, httpx.MockTransport(handler))
    assert (first.open, first.new, first.errors) == (2, 2, [])
    jobs.pop()
    second = update_postings(app, company, httpx.MockTransport(handler))
    assert (second.open, second.closed) == (1, 1)
    rows = {r.title: r for r in list_postings(db, "Acme")}
    assert rows["Data Engineer 1"].status == "open"
    assert rows["Data Engineer 2"].status == "closed" and rows["Data Engineer 2"].closed_at
    assert [r.source for r in rows.values()] == [source, source]
    seen = rows["Data Engineer 1"].last_seen
    jobs.append(job(2))  # back again: reopened; the unchanged one is seen again
    third = update_postings(app, company, httpx.MockTransport(handler))
    assert (third.open, third.new, third.updated, third.closed) == (2, 0, 1, 0)
    rows = {r.title: r for r in list_postings(db, "Acme")}
    assert rows["Data Engineer 2"].status == "open" and rows["Data Engineer 2"].closed_at is None
    assert seen and rows["Data Engineer 1"].last_seen > seen


def test_workable_widget_api_is_read_first_in_one_call():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        if request.url.path == "/api/v1/widget/accounts/acme":
            return _json(
                {
                    "name": "Acme",
                    "jobs": [
                        {
                            "title": "Data Engineer",
                            "shortcode": "AB12",
                            "url": "https://apply.workable.com/j/AB12",
                            "application_url": "https://apply.workable.com/j/AB12/apply",
                            "telecommuting": True,
                            "published_on": "2026-10-01",
                            "locations": [{"city": "Athens", "country": "Greece"}],
                            "description": f"{ABOUT}<p><strong>Requirements</strong></p>"
                            + "<ul>"
                            + "".join(f"<li>{r}</li>" for r in REQUIREMENTS)
                            + "</ul>",
                        }
                    ],
                }
            )
        return httpx.Response(404)

    [posting] = fetch("workable", handler)
    assert calls == ["GET /api/v1/widget/accounts/acme"]
    assert posting.requirements == REQUIREMENTS and posting.workplace == "remote"
    assert posting.url == "https://apply.workable.com/j/AB12" and posting.locations == [
        "Athens, Greece"
    ]


def test_workable_empty_widget_falls_back_to_the_careers_api():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/api/v1/widget/accounts/acme":
            return _json({"name": "Acme", "jobs": []})
        if request.url.path == "/api/v3/accounts/acme/jobs":
            return _json({"results": [{"shortcode": "AB12", "title": "Data Engineer"}]})
        if request.url.path == "/api/v2/accounts/acme/jobs/AB12":
            return _json({"shortcode": "AB12", "title": "Data Engineer", "description": ""})
        return httpx.Response(404)

    [posting] = fetch("workable", handler)
    assert calls[0] == "/api/v1/widget/accounts/acme" and posting.title == "Data Engineer"


# Written, not captured: a section that ends at a sub-heading naming something else.
def test_a_benefits_sub_heading_ends_the_requirements():
    from fitbrief.sources.html import html_blocks
    from fitbrief.sources.normalize import sections

    html = (
        "<h2>What you'll bring</h2><ul><li>Python</li></ul><p><strong>Benefits</strong></p>"
        "<ul><li>Free lunch</li></ul><h2>Responsibilities</h2><h4>Required</h4>"
        "<ul><li>Ship code</li></ul>"
    )
    assert sections(html_blocks(html)) == (["Python"], ["Ship code"])


# Written, not captured: JobPosting shapes seen in real pages (no licensed capture found).
def test_json_ld_escaped_description_is_read_as_html():
    from fitbrief.sources.jsonld import postings_from_json_ld

    escaped = "&lt;h3&gt;Requirements&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;&lt;/ul&gt;"
    [posting] = postings_from_json_ld(
        [{"@type": "JobPosting", "title": "Engineer", "description": escaped}],
        "https://careers.example.org/jobs/2",
    )
    assert posting.requirements == ["Python"] and "&lt;" not in posting.description


def test_json_ld_real_world_shapes():
    from fitbrief.sources.jsonld import postings_from_json_ld

    place = {
        "@type": "Place",
        "address": {
            "addressLocality": "Austin",
            "addressRegion": "TX",
            "addressCountry": ["US", "United States"],
        },
    }
    [posting] = postings_from_json_ld(
        [
            {
                "@type": "JobPosting",
                "title": "ICU Nurse",
                "description": "We care for our neighbours.\nRequirements:\n- RN licence\n- 2 years ICU",
                "jobLocation": [place] * 9,  # nine offices of one city
                "incentiveCompensation": "A culture of teamwork, and an annual bonus.",
                "responsibilities": ["Care for patients", "Chart accurately"],
            }
        ],
        "https://careers.example.org/jobs/1",
    )
    assert posting.locations == ["Austin, TX, US, United States"]
    assert posting.requirements == ["RN licence", "2 years ICU"]
    assert posting.responsibilities == ["Care for patients", "Chart accurately"]
    assert "A culture of teamwork" in posting.description
