"""The whole pipeline on the bundled demo sites, with the real bundled model."""

import json
import re
import shutil
import subprocess
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
    from fitbrief.culture import ValuesEngine
    from fitbrief.db import Database
    from fitbrief.report import make_brief

    settings = load_settings(environ={})
    settings.set("storage", "database", result["database"])
    engine = ValuesEngine(settings, Database(result["database"]))
    brief = json.loads(
        make_brief(
            engine,
            "Quietloop",
            "Backend",
            None,
            str(Path(__file__).parents[1] / "data/demo/profile.toml"),
            "json",
        )
    )
    for source in brief["sources"]:
        assert set(source["passage_ids"]) <= stored_ids
    assert brief["role"]["title"].startswith("Backend Engineer")
    assert brief["fit"]["score"] is not None and brief["values"]


def test_second_run_embeds_nothing_new(demo_run):
    out, result = demo_run
    import duckdb

    def count():
        con = duckdb.connect(result["database"], read_only=True)
        n = con.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        con.close()
        return n

    before = count()
    run_demo(out, load_settings(environ={}), quiet=True)
    assert count() == before


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


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_html_brief_in_headless_chromium(demo_run, tmp_path):
    """Injected script from a crawled page must not run; the page makes no requests."""
    out, _result = demo_run
    from fitbrief.brief import render

    html = (out / "brief-rocketly.html").read_text()
    assert "<script" not in html
    # Inject hostile scraped text through the real renderer.
    hostile = {
        "company": "<script>document.title='PWNED'</script>",
        "url": "x",
        "generated_at": "now",
        "snapshot": {
            "what": [
                {
                    "text": '<img src=x onerror="document.title=\'PWNED\'"><a href="javascript:alert(1)">'
                    "x</a>",
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
                "title": "<script>alert(1)</script>",
                "url": "javascript:alert(1)",
                "fetched": "2026-01-01",
            }
        ],
    }
    page = tmp_path / "hostile.html"
    page.write_text(render(hostile, "html"))
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            f"file://{page}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    title = proc.stdout.split("<title>")[1].split("</title>")[0]
    assert title.startswith("Interview brief") and title != "PWNED"
    assert "<script>" not in proc.stdout
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'p2'}",
            f"--screenshot={shot}",
            "--window-size=420,900",
            f"file://{out / 'brief-rocketly.html'}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 5000
