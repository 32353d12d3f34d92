"""The whole pipeline on the bundled demo sites, with the real bundled model."""

import json
import re
import shutil
from pathlib import Path

import pytest

from fitbrief.config import load_settings
from fitbrief.demo import run_demo

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, run_demo(out, load_settings(environ={}), quiet=True)


def test_every_company_crawled_with_postings_and_ranked(demo_run):
    _out, result = demo_run
    assert all(
        c["error"] is None and c["fetched"] >= 10 and c["robots"] == 1 for c in result["crawl"]
    )
    assert all(c["postings"] >= 1 for c in result["crawl"])
    scores = [r["score"] for r in result["ranking"]]
    assert scores == sorted(scores, reverse=True)
    names = [r["name"] for r in result["ranking"]]
    # The sample profile wants calm, careful, remote work and cares little for hyper-growth.
    assert names[0] == "Quietloop" and names[-1] == "Rocketly"
    assert result["ranking"][0]["top_match"]


def test_briefs_cite_stored_passages_and_every_source_is_cited(demo_run):
    out, result = demo_run
    import duckdb

    con = duckdb.connect(result["database"], read_only=True)
    stored_ids = {r[0] for r in con.execute("SELECT id FROM passages").fetchall()}
    con.close()
    md = (out / "brief-quietloop.md").read_text()
    sources = dict(re.findall(r"^\[(\d+)\] .* — (\S+) \(fetched", md, re.M))
    body = md.split("## 10. Sources")[0]
    cited = set(re.findall(r"\[(\d+)\]", body))
    assert cited and cited <= set(sources) and set(sources) <= cited
    from fitbrief.app import App
    from fitbrief.pipeline.brief import make_brief

    settings = load_settings(environ={}).replace("storage", database=result["database"])
    app = App(settings)
    brief = json.loads(
        make_brief(
            app,
            "Quietloop",
            "Backend",
            None,
            str(Path(__file__).parents[1] / "data/demo/profile.toml"),
            "json",
        )
    )
    import jsonschema

    from fitbrief.render.brief import SCHEMA_PATH

    jsonschema.validate(brief, json.loads(SCHEMA_PATH.read_text()))
    without = json.loads(make_brief(app, "Rocketly", None, None, None, "json"))
    jsonschema.validate(without, json.loads(SCHEMA_PATH.read_text()))
    assert without["fit"] is None and without["role"] is None
    for source in brief["sources"]:
        assert set(source["passage_ids"]) <= stored_ids
    assert brief["role"]["title"].startswith("Backend Engineer")
    assert brief["fit"]["score"] is not None and brief["values"]


def test_second_run_embeds_nothing_new(demo_run):
    out, result = demo_run
    import duckdb

    def count(table):
        con = duckdb.connect(result["database"], read_only=True)
        n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        con.close()
        return n

    before = {t: count(t) for t in ("embeddings", "pages", "passages")}
    again = run_demo(out, load_settings(environ={}), quiet=True)
    assert {t: count(t) for t in before} == before  # nothing re-embedded, no stale pages
    scores = [(r["name"], r["score"], r["confidence"]) for r in result["ranking"]]
    assert [(r["name"], r["score"], r["confidence"]) for r in again["ranking"]] == scores
    # The demo's port taken by something else: a new port, the same research, nothing re-embedded.
    import socket

    port = int((out / "server-port").read_text())
    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAIT
        blocker.bind(("127.0.0.2", port))
        blocker.listen()
        moved = run_demo(out, load_settings(environ={}), quiet=True)
    assert int((out / "server-port").read_text()) != port
    assert {t: count(t) for t in before} == before
    assert [(r["name"], r["score"], r["confidence"]) for r in moved["ranking"]] == scores


def test_debrief_gap_report(demo_run, tmp_path):
    _out, result = demo_run
    from click.testing import CliRunner

    from fitbrief.cli import cli

    qfile = tmp_path / "q.txt"
    qfile.write_text(
        "# comment\nWhat do you know about our Series B funding?\n\n"
        "How would you balance a red-black tree in Haskell?\n"
    )
    args = [
        "--db",
        result["database"],
        "debrief",
        "Rocketly",
        "--questions",
        str(qfile),
        "--outcome",
        "rejected",
        "--date",
        "2026-11-01",
        "--json",
    ]
    report = json.loads(CliRunner().invoke(cli, args, catch_exceptions=False).output)
    covered = {q["question"][:20]: q["covered"] for q in report["questions"]}
    assert covered["What do you know abo"] is True
    assert covered["How would you balanc"] is False
    again = CliRunner().invoke(cli, args)
    assert again.exit_code != 0 and "--force" in again.output
    bad = CliRunner().invoke(cli, [*args[:-3], "--outcome", "ghosted"])
    assert bad.exit_code != 0 and "unknown outcome" in bad.output


def _chromium():
    """Headless Debian Chromium driven through chromedriver, with console and network logs."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("chromium/chromedriver not installed (make browser installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=420,900",  # a phone-sized window
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))


def _open(driver, page: Path) -> tuple[list[str], list[str]]:
    """Load a page; return its console errors and every request other than the page itself."""
    driver.get_log("browser"), driver.get_log("performance")  # drop earlier entries
    driver.get(page.as_uri())
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url != page.as_uri():
                requests.append(url)
    return errors, requests


HOSTILE = {
    "company": "<script>document.title='PWNED'</script>",
    "url": "javascript:document.title='PWNED'",
    "generated_at": "now",
    "snapshot": {
        "what": [
            {
                "text": "<img src=x onerror=\"document.title='PWNED'\">"
                '<a href="javascript:alert(1)">x</a><iframe src="https://evil.example"></iframe>',
                "cite": [1],
            }
        ],
        "mission": [],
        "facts": [],
    },
    "products": [],
    "history": [],
    "values": [],
    "fit": None,
    "role": None,
    "interview_questions": [],
    "questions_to_ask": [],
    "checklist": [],
    "sources": [
        {
            "n": 1,
            "title": "<script>alert(1)</script><style>body{background:url(https://evil.example/x)}</style>",
            "url": "javascript:alert(1)",
            "fetched": "2026-01-01",
        }
    ],
}


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_html_brief_in_headless_chromium(demo_run, tmp_path):
    """The demo brief renders with no console errors and no requests; injected script from
    scraped text, pushed through the real renderer, does not run."""
    out, _result = demo_run
    from fitbrief.render.brief import render

    html = (out / "brief-rocketly.html").read_text()
    assert "<script" not in html
    hostile = tmp_path / "hostile.html"
    hostile.write_text(render(HOSTILE, "html"))
    control = tmp_path / "control.html"  # proves the probes see what they look for
    control.write_text(
        '<title>c</title><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>'
    )
    driver = _chromium()
    try:
        errors, requests = _open(driver, control)
        assert any("boom" in e for e in errors) and requests == ["http://127.0.0.1:9/x.png"]
        for page in (out / "brief-rocketly.html", out / "compare.html", hostile):
            errors, requests = _open(driver, page)
            assert errors == [], (page.name, errors)
            assert requests == [], (page.name, requests)
            assert driver.title.startswith(("Interview brief", "fitbrief")), driver.title
            active = driver.execute_script(
                "return [...document.querySelectorAll('*')].filter(e =>"
                " [...e.attributes].some(a => a.name.startsWith('on'))"
                " || (e.getAttribute('href') || '').trim().toLowerCase().startsWith('javascript:')"
                " || ['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(e.tagName)).length"
            )
            assert active == 0, page.name
        shot = tmp_path / "shot.png"
        driver.get((out / "brief-rocketly.html").as_uri())
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 5000
        assert driver.execute_script("return document.body.scrollWidth <= window.innerWidth + 1")
    finally:
        driver.quit()


def test_notebook_runs_top_to_bottom_on_the_demo_database(demo_run, monkeypatch):
    """notebooks/explore.ipynb, executed with nbclient against the demo's database."""
    import nbformat
    from nbclient import NotebookClient

    _out, result = demo_run
    monkeypatch.setenv("FITBRIEF_DB", str(result["database"]))
    root = Path(__file__).resolve().parents[1]
    notebook = nbformat.read(root / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}
    ).execute()
    outputs = [
        o.get("text", "") + json.dumps(o.get("data", {}))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
    ]
    text = "\n".join(outputs)
    assert "error" not in [
        o.get("output_type") for c in notebook.cells for o in c.get("outputs", [])
    ]
    for name in ("Quietloop", "Rocketly", "Northwind Assurance", "Tidewater Health Collective"):
        assert name in text
    assert "postings" in text and "Matches" in text
