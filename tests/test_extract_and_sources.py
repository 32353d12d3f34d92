import asyncio
import json
import time

import httpx
import pytest

from fitbrief.errors import SourceError
from fitbrief.net.http import FetchPolicy, make_client
from fitbrief.pages.extract import decode_html, extract
from fitbrief.sources import ashby, greenhouse, lever
from fitbrief.sources.base import SourceContext
from fitbrief.sources.jsonld import postings_from_json_ld
from fitbrief.sources.normalize import parse_salary

VALUES_PAGE = """<html lang="en"><head><title>Our values</title>
<script type="application/ld+json">{"@graph": [{"@type": "Organization", "name": "Acme"},
{"@type": "WebPage", "name": "Values", "datePublished": "2024-05-01"}]}</script></head>
<body><nav><a href="/">Home</a><a href="/about">About</a></nav>
<div class="cookie-banner">We use cookies. Accept all cookies to continue browsing.</div>
<main><h1>Our values</h1><h2>Customer obsession</h2>
<p>We start with the customer and work backwards in everything we build.</p>
<h2>Ownership</h2><p>Everyone owns their work from idea to launch, without waiting.</p>
<p>What we offer:</p><ul><li>Learning budget</li><li>Remote work</li></ul></main>
<footer>Copyright 2024 Acme. All rights reserved.</footer></body></html>"""


def test_main_text_headings_passages_and_json_ld():
    doc = extract(VALUES_PAGE, "https://acme.example/values/")
    assert "cookies" not in doc.text and "Copyright" not in doc.text and "Home" not in doc.text
    assert "We start with the customer" in doc.text
    headings = {p.heading for p in doc.passages}
    assert "Our values > Customer obsession" in headings or "Customer obsession" in headings
    assert any("What we offer: Learning budget; Remote work" in p.text for p in doc.passages)
    assert doc.kind == "values" and doc.lang == "en"
    assert {o["@type"] for o in doc.json_ld} == {"Organization", "WebPage"}


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html>",
        "<p>unclosed <b>bold",
        "no tags at all, just words",
        "<div>" * 10000 + "deep text" + "</div>" * 10000,
        "<html><head><title>x</title></head></html>",
    ],
)
def test_robust_to_broken_documents(html):
    start = time.perf_counter()
    doc = extract(html)
    assert time.perf_counter() - start < 5
    assert isinstance(doc.text, str)


def test_big_page_and_non_utf8_bytes():
    big = "<html><body>" + "<p>A reasonably long paragraph of text, with commas.</p>" * 200_000
    start = time.perf_counter()
    extract(big)
    assert time.perf_counter() - start < 30
    latin = "<html><head><meta charset='iso-8859-1'></head><body><p>Caf\xe9 cr\xe8me</p>"
    assert "Café crème" in decode_html(latin.encode("latin-1"))
    assert "Café" in decode_html("<p>Café</p>".encode(), "text/html; charset=utf-8")
    assert isinstance(decode_html(b"\xff\xfe\x00garbage\x80"), str)


def test_extract_command_reads_gzip_and_reports_nothing(workspace):
    import gzip

    from conftest import run

    (workspace / "p.html.gz").write_bytes(gzip.compress(VALUES_PAGE.encode()))
    data = json.loads(run("extract", "p.html.gz", "--json").output)
    assert {"title", "text", "date", "kind", "lang", "passages", "json_ld"} <= set(data)
    (workspace / "empty.html").write_text("<html></html>")
    result = run("extract", "empty.html")
    assert result.exit_code != 0 and "no main text" in result.output


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Salary: $120,000 - $150,000 per year", (120000, 150000, "USD", "year")),
        ("€50k–70k", (50000, 70000, "EUR", "year")),
        ("Pay: $45/hour", (45, 45, "USD", "hour")),
        ("We have 3 offices and 200 people", None),
    ],
)
def test_salary_parsing(text, expected):
    assert parse_salary(text) == expected


def _ctx(handler, source, board="acme"):
    policy = FetchPolicy(max_retries=0, allow_private_hosts=True)
    client = make_client(policy, httpx.MockTransport(handler))
    return SourceContext(client, policy, "https://ats.example", source, board)


def test_greenhouse_unescapes_content_and_finds_sections():
    content = (
        "&lt;p&gt;Hi&lt;/p&gt;&lt;h3&gt;Requirements&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;5 years"
        " of Python and SQL&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;$100,000 - $120,000&lt;/p&gt;"
    )
    data = {
        "jobs": [
            {
                "id": 1,
                "title": "Data Engineer",
                "content": content,
                "location": {"name": "Remote"},
                "absolute_url": "https://x/1",
            }
        ]
    }
    ctx = _ctx(lambda r: httpx.Response(200, json=data), "greenhouse")
    [posting] = asyncio.run(greenhouse.fetch_board(ctx))
    assert posting.requirements == ["5 years of Python and SQL"]
    assert {"Python", "SQL"} <= set(posting.skills)
    assert (posting.salary_min, posting.salary_max, posting.salary_origin) == (
        100000,
        120000,
        "text",
    )
    assert "<script" not in posting.description_html and posting.workplace == "remote"


def test_lever_pages_with_skip_and_limit():
    jobs = [{"id": f"j{i}", "text": f"Job {i}"} for i in range(130)]
    seen = []

    def handler(request):
        skip = int(request.url.params["skip"])
        seen.append(skip)
        return httpx.Response(200, json=jobs[skip : skip + 100])

    postings = asyncio.run(lever.fetch_board(_ctx(handler, "lever")))
    assert len(postings) == 130 and seen == [0, 100]


def test_ashby_404_names_source_and_board_and_malformed_json():
    ctx = _ctx(lambda r: httpx.Response(404, text="nope"), "ashby", "ghost")
    with pytest.raises(SourceError, match="ashby board 'ghost' not found"):
        asyncio.run(ashby.fetch_board(ctx))
    ctx = _ctx(lambda r: httpx.Response(200, text="{not json"), "ashby")
    with pytest.raises(SourceError, match="malformed JSON"):
        asyncio.run(ashby.fetch_board(ctx))
    ctx = _ctx(lambda r: httpx.Response(200, json={"jobs": []}), "ashby")
    assert asyncio.run(ashby.fetch_board(ctx)) == []


def test_json_ld_job_posting():
    [p] = postings_from_json_ld(
        [
            {
                "@type": "JobPosting",
                "title": "SRE",
                "jobLocationType": "TELECOMMUTE",
                "baseSalary": {
                    "currency": "EUR",
                    "value": {"minValue": 70000, "maxValue": 90000, "unitText": "YEAR"},
                },
                "description": "<h3>Requirements</h3><ul><li>Linux</li></ul>",
            }
        ],
        "https://x.example/careers/",
    )
    assert p.workplace == "remote" and p.salary_max == 90000 and p.requirements == ["Linux"]
