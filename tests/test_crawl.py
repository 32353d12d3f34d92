import json

from conftest import Route, make_app

from fitbrief.crawl.crawler import Crawler
from fitbrief.pipeline import research
from fitbrief.store.companies import add_company
from fitbrief.store.database import fetch_dicts
from fitbrief.store.pages import CrawlStore, decode_body
from fitbrief.store.postings import list_postings


def page(title, body, links=()):
    anchors = "".join(f'<a href="{href}">{text}</a>' for href, text in links)
    return (
        f"<html><head><title>{title}</title></head><body><nav>{anchors}</nav>"
        f"<main><h1>{title}</h1><p>{body}</p></main></body></html>"
    )


def site_routes():
    return {
        "/robots.txt": Route(
            body="User-agent: *\nDisallow: /private/\nSitemap: /sm.xml\n",  # relative, as often seen
            headers={"Content-Type": "text/plain"},
        ),
        "/sm.xml": Route(
            body="<sitemapindex><sitemap><loc>{base}/sm1.xml</loc></sitemap></sitemapindex>",
            headers={"Content-Type": "application/xml"},
        ),
        "/sm1.xml": Route(
            body="<urlset><url><loc>{base}/values/</loc></url><url><loc>{base}"
            "/private/</loc></url></urlset>",
            headers={"Content-Type": "application/xml"},
        ),
        "/": Route(
            body=page(
                "Home",
                "We build tools for teams.",
                [
                    ("/about/", "About us"),
                    ("/careers/", "Careers"),
                    ("/loop", "Loop"),
                    ("/big/", "Big"),
                    ("/image.png", "img"),
                    ("/pdf/", "PDF"),
                    ("https://elsewhere.example/x", "Other site"),
                    ("/slow/", "Slow"),
                    ("/flaky/", "Flaky"),
                    ("/latin/", "Latin"),
                ],
            ),
            headers={"ETag": '"home1"'},
        ),
        "/about/": Route(body=page("About", "We were founded in 2019 and care about people.")),
        "/values/": Route(body=page("Our values", "We act with integrity in everything.")),
        "/careers/": [
            Route(429, "slow down", {"Retry-After": "0"}),
            Route(body=page("Careers", "Join us. https://boards.greenhouse.io/acme")),
        ],
        "/private/": Route(body=page("Private", "secret")),
        "/loop": Route(302, headers={"Location": "/loop2"}),
        "/loop2": Route(302, headers={"Location": "/loop"}),
        "/big/": Route(body="<p>" + "x" * 300_000 + "</p>"),
        "/pdf/": Route(body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}),
        "/slow/": Route(body=page("Slow", "late"), delay=5),
        "/flaky/": [Route(500, "oops"), Route(503, "oops"), Route(body=page("Flaky", "finally"))],
        "/latin/": Route(
            body="<html><body><main><p>Caf\xe9 \xe0 la cr\xe8me, we value "
            "quality.</p></main></body></html>".encode("latin-1"),
            headers={"Content-Type": "text/html; charset=iso-8859-1"},
        ),
    }


def test_a_store_that_fails_fails_its_company_not_the_run(http_server, settings, db):
    from fitbrief.errors import DatabaseBusy

    server = http_server(site_routes())
    crawl = settings.replace("crawl", max_pages=2).crawl
    companies = [add_company(db, n, server.url + "/") for n in ("Acme", "Beta")]

    class BusyFor(CrawlStore):
        def record_run(self, company_id, started, summary):
            if company_id == companies[0].id:
                raise DatabaseBusy("the database is busy")
            super().record_run(company_id, started, summary)

    first, second = Crawler(BusyFor(db), crawl).run(companies)
    assert "could not be stored" in (first.error or "") and second.error is None


def test_crawl_politeness_limits_and_incremental_recrawl(http_server, settings, db):
    server = http_server(site_routes())
    crawl = settings.replace(
        "crawl", max_body_bytes=200_000, max_retries=2, recrawl_after_hours=0.0
    ).crawl
    company = add_company(db, "Acme", server.url + "/")
    [summary] = Crawler(CrawlStore(db), crawl).run([company])
    assert summary.error is None
    with db.connect(read_only=True) as con:
        pages = {
            r["url"].replace(server.url, ""): r
            for r in fetch_dicts(
                con, "SELECT url, status, error, body IS NOT NULL AS stored FROM pages"
            )
        }
        boards = fetch_dicts(con, "SELECT source, board, origin FROM boards")
    assert pages["/private/"]["error"] == "disallowed by robots.txt"
    assert not any(p for _, p, _ in server.requests if p == "/private/")
    assert "loop" in pages["/loop"]["error"]
    assert "cap" in pages["/big/"]["error"]
    assert "content type" in pages["/pdf/"]["error"]
    assert "timed out" in pages["/slow/"]["error"]
    assert pages["/flaky/"]["stored"] and pages["/careers/"]["stored"]
    assert not any("elsewhere" in u for u in pages) and "/image.png" not in pages
    assert boards == [{"source": "greenhouse", "board": "acme", "origin": "detected"}]
    agents = {h.get("User-Agent") for _, _, h in server.requests}
    assert all(a and a.startswith("fitbrief/") for a in agents)
    # Re-crawl: conditional requests, 304 counted as unchanged, no duplicate rows.
    server.routes["/"] = lambda handler: (
        Route(304) if handler.headers.get("If-None-Match") == '"home1"' else Route(body="changed")
    )
    server.requests.clear()
    [again] = Crawler(CrawlStore(db), crawl).run([company])
    home = [h for _, p, h in server.requests if p == "/"]
    assert home and home[0].get("If-None-Match") == '"home1"'
    assert again.unchanged >= 1
    with db.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) = count(DISTINCT url) FROM pages").fetchone()[0]


def test_private_hosts_refused_by_default(http_server, settings, db):
    server = http_server({"/": Route(body=page("Home", "hello"))})
    crawl = settings.replace("crawl", allow_private_hosts=False).crawl
    company = add_company(db, "Local", server.url + "/")
    [summary] = Crawler(CrawlStore(db), crawl).run([company])
    assert summary.error and "could not be fetched" in summary.error
    with db.connect(read_only=True) as con:
        error = con.execute("SELECT error FROM pages").fetchone()[0]
    assert "private or loopback" in error
    assert server.requests == []


def test_postings_closed_when_they_leave_the_board(http_server, settings, db):
    jobs = {"jobs": [{"id": 1, "title": "A"}, {"id": 2, "title": "B"}]}
    server = http_server(
        {
            "/": Route(body=page("Home", "hi")),
            "/v1/boards/acme/jobs": lambda h: Route(
                body=json.dumps(jobs), headers={"Content-Type": "application/json"}
            ),
            "/v0/postings/ghost": Route(404, "no"),
        }
    )
    app = make_app(settings.replace("sources", greenhouse_url=server.url, lever_url=server.url))
    research.add_company(app, "Acme", server.url + "/", {"greenhouse": "acme", "lever": "ghost"})
    [first] = research.crawl(app, ["Acme"])
    assert first.jobs.open == 2 and any(
        "lever board 'ghost' not found" in e for e in first.jobs.errors
    )
    jobs["jobs"].pop()
    [second] = research.crawl(app, ["Acme"], refresh=True)
    assert second.jobs.closed == 1
    rows = {r.title: r.status for r in list_postings(db)}
    assert rows == {"A": "open", "B": "closed"}


def test_crash_and_resume_after_sigkill(http_server, workspace):
    """A crawl killed mid-way (SIGKILL) and started again finishes with no duplicate rows and
    without fetching again what was already stored."""
    import os
    import signal
    import subprocess
    import sys
    import time

    n = 40
    routes = {"/robots.txt": Route(404), "/sitemap.xml": Route(404)}
    routes["/"] = Route(
        body=page("Home", "Hello.", [(f"/team/{i}/", f"Team {i}") for i in range(n)])
    )
    for i in range(n):
        routes[f"/team/{i}/"] = Route(body=page(f"Team {i}", f"Team {i} works here."), delay=0.15)
    server = http_server(routes)
    env = {
        **os.environ,
        "FITBRIEF_DB": str(workspace / "crash.duckdb"),
        "FITBRIEF_CRAWL_ALLOW_PRIVATE_HOSTS": "true",
        "FITBRIEF_CRAWL_MIN_DELAY": "0",
        "FITBRIEF_CRAWL_MAX_PAGES": str(n + 1),
    }
    cmd = [sys.executable, "-m", "fitbrief"]
    subprocess.run([*cmd, "company", "add", "Acme", "--url", server.url], env=env, check=True)

    def served() -> list[str]:
        return [path for method, path, _ in server.requests if path.startswith("/team/")]

    crawl = subprocess.Popen([*cmd, "crawl", "Acme", "--quiet"], env=env)
    deadline = time.monotonic() + 60
    while len(served()) < 12 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.8)  # let the page writer commit what it holds (it flushes every 0.5 s)
    os.kill(crawl.pid, signal.SIGKILL)
    crawl.wait()
    assert crawl.returncode == -signal.SIGKILL and len(served()) < n, "killed too late"

    import duckdb

    with duckdb.connect(env["FITBRIEF_DB"], read_only=True) as con:
        stored_before = {
            r[0] for r in con.execute("SELECT url FROM pages WHERE url LIKE '%/team/%'").fetchall()
        }
    assert stored_before, "nothing was committed before the kill"
    fetched_before = len(served())

    subprocess.run([*cmd, "crawl", "Acme", "--quiet"], env=env, check=True)
    with duckdb.connect(env["FITBRIEF_DB"], read_only=True) as con:
        rows = con.execute("SELECT url, count(*) FROM pages GROUP BY url").fetchall()
    assert all(count == 1 for _, count in rows), "duplicate page rows"
    assert {u for u, _ in rows if "/team/" in u} == {f"{server.url}/team/{i}/" for i in range(n)}
    refetched = [p for p in served()[fetched_before:] if f"{server.url}{p}" in stored_before]
    assert refetched == [], f"stored pages fetched again: {refetched}"


def test_encodings_gzip_and_gzipped_sitemap(http_server, settings, db):
    import gzip

    cafe = "<html><head>{meta}<title>T</title></head><body><main><p>Caf\xe9 cr\xe8me, we value craft.</p></main></body></html>"
    sitemap = "<urlset><url><loc>{base}/from-gz-sitemap/</loc></url></urlset>"
    server = http_server(
        {
            "/robots.txt": Route(
                body="User-agent: *\nSitemap: /sm.xml.gz\n", headers={"Content-Type": "text/plain"}
            ),
            "/sm.xml.gz": lambda h: Route(
                body=gzip.compress(sitemap.replace("{base}", server.url).encode()),
                headers={"Content-Type": "application/x-gzip"},
            ),
            "/": Route(
                body=page(
                    "Home",
                    "hi",
                    [("/latin/", "a"), ("/meta/", "b"), ("/utf8/", "c"), ("/zipped/", "d")],
                )
            ),
            "/from-gz-sitemap/": Route(body=page("Listed", "only in the gzipped sitemap")),
            "/latin/": Route(
                body=cafe.format(meta="").encode("latin-1"),
                headers={"Content-Type": "text/html; charset=ISO-8859-1"},
            ),
            "/meta/": Route(
                body=cafe.format(meta='<meta charset="windows-1252">').encode("cp1252"),
                headers={"Content-Type": "text/html"},
            ),
            "/utf8/": Route(
                body=cafe.format(meta="").encode("utf-8"),
                headers={"Content-Type": "text/html; charset=utf-8"},
            ),
            "/zipped/": Route(
                body=gzip.compress(cafe.format(meta="").encode("utf-8")),
                headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
            ),
        }
    )
    company = add_company(db, "Enc", server.url + "/")
    [summary] = Crawler(CrawlStore(db), settings.crawl).run([company])
    assert summary.error is None
    with db.connect(read_only=True) as con:
        rows = {
            r["url"].replace(server.url, ""): r
            for r in fetch_dicts(con, "SELECT url, body, error FROM pages")
        }
    for path in ("/latin/", "/meta/", "/utf8/", "/zipped/"):
        assert "Caf\xe9 cr\xe8me" in decode_body(rows[path]["body"]), path
    assert decode_body(rows["/from-gz-sitemap/"]["body"])


def test_redirect_to_a_private_address_is_refused_at_that_hop():
    import asyncio

    import httpx

    from fitbrief.net.http import FetchPolicy, fetch, make_client

    seen = []

    def handler(request):
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/admin"})

    policy = FetchPolicy(max_retries=0, allow_private_hosts=False)

    async def go():
        async with make_client(policy, httpx.MockTransport(handler)) as client:
            return await fetch(client, "http://93.184.216.34/", policy)  # a public address

    response = asyncio.run(go())
    assert "127.0.0.1" in response.error and "private or loopback" in response.error
    assert seen == ["http://93.184.216.34/"]  # the private hop was never requested


def test_a_refused_crawl_says_why_at_80_columns(http_server, workspace, monkeypatch):
    """Default settings refuse a loopback site: the line names allow_private_hosts."""
    from conftest import run

    server = http_server({"/": Route(body=page("Home", "hello"))})
    monkeypatch.setenv("COLUMNS", "80")
    assert run("company", "add", "Local", "--url", server.url + "/").exit_code == 0
    result = run("crawl", "Local")
    assert result.exit_code != 0
    lines = result.output.splitlines()
    why = [line for line in lines if line.startswith("Local: homepage")]
    assert why and "allow_private_hosts" in why[0] and "private or loopback" in why[0]
    data = json.loads(run("crawl", "Local", "--json").stdout)
    assert "allow_private_hosts" in data[0]["error"]


def test_each_failure_is_said_in_words(http_server, settings, db):
    server = http_server(
        {
            "/": Route(body=page("Home", "hi", [("/gone/", "g"), ("/down/", "d"), ("/big/", "b")])),
            "/gone/": Route(404, "no"),
            "/down/": Route(503, "no"),
            "/big/": Route(body="<p>" + "x" * 300_000 + "</p>"),
        }
    )
    crawl = settings.replace("crawl", max_retries=0, max_body_bytes=100_000).crawl
    company = add_company(db, "Words", server.url + "/")
    [summary] = Crawler(CrawlStore(db), crawl).run([company])
    reasons = {f["url"].replace(server.url, ""): f["reason"] for f in summary.failures}
    assert reasons["/gone/"] == "not found (HTTP 404)"
    assert reasons["/down/"] == "server error (HTTP 503)"
    assert reasons["/big/"].startswith("too large") and "max_body_bytes" in reasons["/big/"]
    from fitbrief.cli.research import crawl_reasons

    [line] = crawl_reasons({**summary.as_dict(), "job_errors": []})
    assert line.startswith("3 pages failed:") and "not found (HTTP 404)" in line


def test_a_homepage_that_fails_names_its_reason(http_server, settings, db):
    server = http_server({"/": Route(500, "boom"), "/robots.txt": Route(404)})
    crawl = settings.replace("crawl", max_retries=0).crawl
    company = add_company(db, "Down", server.url + "/")
    [summary] = Crawler(CrawlStore(db), crawl).run([company])
    assert summary.error == f"homepage {server.url}/ could not be fetched: server error (HTTP 500)"
