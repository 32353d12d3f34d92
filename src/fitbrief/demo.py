"""`fitbrief demo`: the whole pipeline, for real, on four bundled company sites served on
loopback: crawl, job feeds, culture profiles with the bundled model, fit, briefs, comparison
and a debrief."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click

from fitbrief.config import Settings
from fitbrief.loopback import SiteServer
from fitbrief.resources import DATA_DIR

DEMO = DATA_DIR / "demo"
ATS_HOST = "127.0.0.6"
# The sites' URLs include the port, so a reused demo database keeps its port: with another
# port every page would be new and last run's pages would linger as stale research.
PORT_FILE = "server-port"


def demo_settings(settings: Settings, out: Path, port: int) -> Settings:
    """A copy of the user's settings pointed at the demo: its database, loopback hosts and
    feeds (the caller's settings are left as they were)."""
    paths = json.loads((DEMO / "ats_urls.json").read_text())
    base = f"http://{ATS_HOST}:{port}"
    feeds = {f"{source}_url": base + path for source, path in paths.items() if source[0] != "_"}
    return (
        settings.replace("storage", database=str(out / "demo.duckdb"))
        # Loopback only: the demo's own server.
        .replace("crawl", allow_private_hosts=True, min_delay=0.0, recrawl_after_hours=0.0)
        .replace("sources", **feeds)
    )


def start_server(preferred_port: int = 0) -> tuple[SiteServer, dict[str, Any]]:
    manifest = json.loads((DEMO / "companies.json").read_text())
    folders = {c["host"]: DEMO / "sites" / key for key, c in manifest.items()}
    folders[ATS_HOST] = DEMO / "sites" / "ats"
    return SiteServer(folders).start(preferred_port), manifest


def _last_port(out: Path) -> int:
    try:
        return int((out / PORT_FILE).read_text())
    except (OSError, ValueError):
        return 0


def run_demo(
    out: Path, settings: Settings, fresh: bool = False, quiet: bool = False
) -> dict[str, Any]:
    """Run the demo into ``out``; returns where everything is (also printed)."""
    from fitbrief.analysis.debrief import read_questions
    from fitbrief.analysis.stories import load_stories, read_practice_answers
    from fitbrief.app import App
    from fitbrief.pipeline.brief import brief_of, likely_questions
    from fitbrief.pipeline.debrief import Interview, record
    from fitbrief.pipeline.fit import compare
    from fitbrief.pipeline.research import add_company, crawl
    from fitbrief.pipeline.stories import record as record_practice
    from fitbrief.pipeline.stories import score
    from fitbrief.render.brief import render
    from fitbrief.render.compare import compare_rows, render_compare_html
    from fitbrief.store import companies as company_store
    from fitbrief.store import practice as practice_store

    started = time.monotonic()
    if fresh and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    server, manifest = start_server(_last_port(out))
    (out / PORT_FILE).write_text(str(server.port))
    say = (lambda *a: None) if quiet else (lambda msg: click.echo(msg, err=True))
    try:
        settings = demo_settings(settings, out, server.port)
        app = App(settings)
        stored = {s.company.name: s.company.url for s in company_store.list_companies(app.db)}
        for c in manifest.values():
            url = f"http://{c['host']}:{server.port}/"
            if stored.get(c["name"]) == url:
                continue
            if c["name"] in stored:  # the old port was taken: start this company afresh
                company_store.remove_company(app.db, c["name"])  # embeddings stay cached
            add_company(app, c["name"], url, {c["ats"][0]: c["ats"][1]})
        say(f"serving {len(manifest)} demo sites on loopback port {server.port}; crawling…")
        research = crawl(app, [c["name"] for c in manifest.values()])
        say("building culture profiles with the bundled all-MiniLM-L6-v2 model…")
        profile_path = str(DEMO / "profile.toml")
        stories_path = str(DEMO / "stories.toml")
        results = compare(app, [], profile_path)
        outputs: dict[str, Any] = {"database": str(settings.database), "briefs": {}}
        for c in manifest.values():
            slug = c["name"].split()[0].lower()
            brief = brief_of(app, c["name"], None, None, profile_path, stories_path).to_dict()
            for fmt in ("md", "html"):  # built once, rendered twice
                path = out / f"brief-{slug}.{fmt}"
                path.write_text(render(brief, fmt), encoding="utf-8")
                outputs["briefs"].setdefault(c["name"], []).append(str(path))
        compare_path = out / "compare.html"
        compare_path.write_text(render_compare_html(results, app.taxonomy), encoding="utf-8")
        outputs["compare"] = str(compare_path)
        first = next(iter(manifest.values()))
        interview = Interview(
            company_store.get_company(app.db, first["name"]),
            read_questions(DEMO / "questions.txt"),
            "rejected",
            date(2026, 11, 20),
            "Senior Growth Engineer",
            "Strong technical answers, but you did not seem to know much about "
            "our product or recent funding. Use more specific examples.",
        )
        # force: a rerun of the demo replaces its debrief rather than failing on it.
        report = record(app, interview, force=True, stories=load_stories(stories_path))
        outputs["debrief_covered_share"] = report.covered_share
        outputs["debrief_preparation_gaps"] = report.preparation_gaps
        # Practice on the top-ranked company with the written answers (stored once: a rerun
        # of the demo scores them again without adding a run).
        rows = compare_rows(results)
        top = likely_questions(app, rows[0].name)
        answers = read_practice_answers(DEMO / "answers.toml")
        scored = score(app, answers, top.emphasised, settings.stories.time_limit)
        if not practice_store.runs(app.db, top.company.name):
            record_practice(app, top.company, None, scored)
        outputs["practice"] = {"company": top.company.name, "answers": [asdict(a) for a in scored]}
    finally:
        server.stop()
    outputs["seconds"] = round(time.monotonic() - started, 1)
    outputs["debrief_company"] = first["name"]
    outputs["ranking"] = [r.to_dict() for r in rows]
    outputs["crawl"] = [r.crawl.as_dict() for r in research]
    return outputs
