"""The crawler on a generated 2,000-page site, against Scrapy in the same run.

The site (home -> 20 section pages -> 100 pages each, every page linking to ten siblings, a
robots.txt and a sitemap listing every page) is written to a temporary folder and served by a
threaded HTTP server in its own process, so the server's CPU is never counted as a crawler's.
Each crawler runs in its own process with politeness delays off and concurrency 16, fetches,
finds links and stores every page (fitbrief: compressed into DuckDB; Scrapy: an item per page
into a JSON-lines feed).  Reported: pages/s (wall), CPU seconds per page and peak RSS of the
crawling process.  Target: fitbrief at least as fast as Scrapy.  Scrapy comes from the ``bench``
extra (``pip install -e '.[bench]'``); without it the baseline is skipped, not faked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import gate, polite_ceiling, table

PAGES = 2000
SECTIONS = 20
CONCURRENCY = 16
FILLER = " ".join(["Our team builds careful software for people who care about their work."] * 40)


def build_site(root: Path, pages: int) -> None:
    per = pages // SECTIONS
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\n")
    urls = ["/"]
    links = "".join(f'<li><a href="/s{s}/">Section {s}</a></li>' for s in range(SECTIONS))
    (root / "index.html").write_text(_page("Home", links))
    for s in range(SECTIONS):
        (root / f"s{s}").mkdir()
        items = "".join(f'<li><a href="/s{s}/p{i}.html">Page {i}</a></li>' for i in range(per))
        (root / f"s{s}" / "index.html").write_text(_page(f"Section {s}", items))
        urls.append(f"/s{s}/")
        for i in range(per - 1):  # the section page counts toward the total
            siblings = "".join(
                f'<li><a href="/s{s}/p{(i + k) % per}.html">Related {k}</a></li>'
                for k in range(1, 11)
            )
            (root / f"s{s}" / f"p{i}.html").write_text(_page(f"Page {s}.{i}", siblings))
            urls.append(f"/s{s}/p{i}.html")
    sitemap = "".join(f"<url><loc>{{base}}{u}</loc></url>" for u in urls)
    (root / "sitemap.tmpl").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{sitemap}</urlset>'
    )


def _page(title: str, items: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<nav><ul>{items}</ul></nav><main><h1>{title}</h1><p>{FILLER}</p></main>"
        "<footer>Copyright Example Ltd</footer></body></html>"
    )


SERVER = """
import functools, http.server, sys
root, port_file = sys.argv[1], sys.argv[2]
class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path == "/sitemap.xml":
            body = open(root + "/sitemap.tmpl").read().replace(
                "{base}", f"http://127.0.0.1:{self.server.server_address[1]}").encode()
            self.send_response(200); self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body); return
        super().do_GET()
http.server.ThreadingHTTPServer.daemon_threads = True
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
open(port_file, "w").write(str(httpd.server_address[1]))
httpd.serve_forever()
"""

FITBRIEF = """
import sys
from fitbrief.config import load_settings
from fitbrief.crawl.crawler import Crawler
from fitbrief.store import Database
from fitbrief.store.companies import add_company
from fitbrief.store.pages import CrawlStore
from fitbrief.store.query import read_only_query
url, db_path, pages, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = load_settings(environ={}).replace(
    "crawl", allow_private_hosts=True, min_delay=0.0, max_depth=3,
    per_host_concurrency=concurrency, global_concurrency=concurrency,
)
db = Database(db_path)
company = add_company(db, "Bench", url)
summary = Crawler(CrawlStore(db), s.crawl).run([company], max_pages=pages)[0]
[row] = read_only_query(db, "SELECT count(*) AS n FROM pages WHERE body IS NOT NULL")
print(row["n"])
if len(sys.argv) > 5:  # then extract every page, timed on its own (after the crawl's timing)
    import time
    from fitbrief.app import App
    from fitbrief.pipeline.research import extract_company
    app = App(s.replace("storage", database=db_path))
    start = time.perf_counter()
    done = extract_company(app, company.id)
    print(done, time.perf_counter() - start)
"""

SCRAPY = """
import sys
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule
url, feed, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
class Site(CrawlSpider):
    name = "site"
    start_urls = [url]
    allowed_domains = ["127.0.0.1"]
    rules = [Rule(LinkExtractor(), callback="parse_item", follow=True)]
    def parse_start_url(self, response):
        return self.parse_item(response)
    def parse_item(self, response):
        yield {"url": response.url, "status": response.status, "size": len(response.body),
               "title": response.css("title::text").get()}
process = CrawlerProcess(settings={
    "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
    "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
    "FEEDS": {feed: {"format": "jsonlines"}}, "AUTOTHROTTLE_ENABLED": False,
    "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
})
process.crawl(Site)
process.start()
"""


def run_child(args: list[str]) -> dict[str, float | str]:
    """Run a crawler process; its wall time, CPU seconds and peak RSS (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[2] if len(args) > 2 else args}: failed: {err.strip()[-500:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "out": out.strip(),
    }


def main() -> int:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else PAGES
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        build_site(root, pages)
        port_file = Path(tmp) / "port"
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(root), str(port_file)])
        try:
            while not port_file.exists() or not port_file.read_text():
                time.sleep(0.05)
            url = f"http://127.0.0.1:{port_file.read_text()}/"
            rows = []
            ours = run_child(
                [
                    sys.executable,
                    "-c",
                    FITBRIEF,
                    url,
                    str(Path(tmp) / "b.duckdb"),
                    str(pages),
                    str(CONCURRENCY),
                ]
            )
            rows.append(("fitbrief (httpx + DuckDB)", ours, int(str(ours["out"]).splitlines()[-1])))
            # The same crawl again, then every page extracted (main text, kinds, passages).
            extracted = run_child(
                [
                    sys.executable,
                    "-c",
                    FITBRIEF,
                    url,
                    str(Path(tmp) / "e.duckdb"),
                    str(pages),
                    str(CONCURRENCY),
                    "extract",
                ]
            )
            try:
                import scrapy

                feed = Path(tmp) / "items.jsonl"
                theirs = run_child([sys.executable, "-c", SCRAPY, url, str(feed), str(CONCURRENCY)])
                count = sum(1 for line in feed.open() if json.loads(line)["status"] == 200)
                rows.append((f"Scrapy {scrapy.__version__} (baseline)", theirs, count))
            except ImportError:
                print("Scrapy not installed (pip install -e '.[bench]'): baseline skipped")
        finally:
            server.terminate()
            server.wait()
    table(
        [
            {
                "crawler": name,
                "pages": n,
                "seconds": r["wall"],
                "pages/s": n / float(r["wall"]),
                "CPU ms/page": 1000 * float(r["cpu"]) / n,
                "peak RSS MB": r["rss"],
            }
            for name, r, n in rows
        ],
        f"Crawl of a {pages}-page loopback site, concurrency {CONCURRENCY}, no delays",
    )
    ok = extraction_keeps_up(str(extracted["out"]))
    if len(rows) < 2:
        return 0 if ok else 1
    (_, a, na), (_, b, nb) = rows
    speed = (na / float(a["wall"])) / (nb / float(b["wall"]))
    ok &= gate("fitbrief pages/s / Scrapy pages/s", speed, 1.0)
    return 0 if ok else 1


def extraction_keeps_up(out: str) -> bool:
    """Extraction never limits a crawl: pages extracted per second (one process) against the
    fastest a crawl with the default politeness can fetch."""
    done, seconds = out.splitlines()[-1].split()
    rate = int(done) / float(seconds)
    ceiling = polite_ceiling()
    print(
        f"\nextraction: {int(done)} pages in {float(seconds):.1f} s = {rate:.0f} pages/s; "
        f"a crawl with the default politeness fetches at most {ceiling:.0f} pages/s"
    )
    return gate("extraction pages/s / polite crawl ceiling", rate / ceiling, 1.0)


if __name__ == "__main__":
    sys.exit(main())
