"""`fitbrief demo`: the whole pipeline, for real, on four bundled company sites served on
loopback: crawl, job feeds, culture profiles with the bundled model, fit, briefs, comparison
and a debrief."""

from __future__ import annotations

import json
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click

from fitbrief.config import Settings
from fitbrief.db import Database
from fitbrief.loopback import SiteServer
from fitbrief.paths import DATA_DIR

DEMO = DATA_DIR / "demo"
ATS_HOST = "127.0.0.6"
# The sites' URLs include the port, so a reused demo database keeps its port: with another
# port every page would be new and last run's pages would linger as stale research.
PORT_FILE = "server-port"


def demo_settings(settings: Settings, out: Path, port: int) -> Settings:
    """The user's settings pointed at the demo: its database, loopback hosts and feeds."""
    settings.set("storage", "database", str(out / "demo.duckdb"))
    settings.set("crawl", "allow_private_hosts", True)  # loopback only: the demo's own server
    settings.set("crawl", "min_delay", 0.0)
    settings.set("crawl", "recrawl_after_hours", 0.0)
    base = f"http://{ATS_HOST}:{port}"
    for source in ("greenhouse", "lever", "ashby", "workable", "smartrecruiters"):
        settings.set("sources", f"{source}_url", base)
    settings.set("sources", "recruitee_url", base + "/r/{slug}")
    settings.set("sources", "personio_url", base + "/p/{host}")
    return settings


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
    from fitbrief import pipeline
    from fitbrief.companies import add_company, get_company, list_companies, remove_company
    from fitbrief.culture import ValuesEngine
    from fitbrief.debrief import Interview, read_questions, record
    from fitbrief.errors import AlreadyExists
    from fitbrief.report import compare_rows, make_brief, render_compare_html

    started = time.monotonic()
    if fresh and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    server, manifest = start_server(_last_port(out))
    (out / PORT_FILE).write_text(str(server.port))
    say = (lambda *a: None) if quiet else (lambda msg: click.echo(msg, err=True))
    try:
        settings = demo_settings(settings, out, server.port)
        db = Database(settings.database, float(settings["storage"]["busy_timeout"]))
        stored = {c["name"]: c["url"] for c in list_companies(db)}
        for c in manifest.values():
            url = f"http://{c['host']}:{server.port}/"
            if stored.get(c["name"]) == url:
                continue
            if c["name"] in stored:  # the old port was taken: start this company afresh
                remove_company(db, c["name"])  # (embeddings stay cached: nothing re-embedded)
            add_company(db, c["name"], url, {c["ats"][0]: c["ats"][1]})
        say(f"serving {len(manifest)} demo sites on loopback port {server.port}; crawling…")
        research = pipeline.crawl(db, settings, [c["name"] for c in manifest.values()])
        engine = ValuesEngine(settings, db)
        say("building culture profiles with the bundled all-MiniLM-L6-v2 model…")
        profile_path = str(DEMO / "profile.toml")
        results = pipeline.compare(engine, [], profile_path)
        outputs: dict[str, Any] = {"database": str(settings.database), "briefs": {}}
        for c in manifest.values():
            slug = c["name"].split()[0].lower()
            for fmt in ("md", "html"):
                path = out / f"brief-{slug}.{fmt}"
                path.write_text(
                    make_brief(engine, c["name"], None, None, profile_path, fmt), encoding="utf-8"
                )
                outputs["briefs"].setdefault(c["name"], []).append(str(path))
        compare_path = out / "compare.html"
        compare_path.write_text(render_compare_html(results, engine.taxonomy), encoding="utf-8")
        outputs["compare"] = str(compare_path)
        first = next(iter(manifest.values()))
        with db.connect(read_only=True) as con:
            company = get_company(con, first["name"])
        interview = Interview(
            company,
            read_questions(DEMO / "questions.txt"),
            "rejected",
            date(2026, 11, 20),
            "Senior Growth Engineer",
            "Strong technical answers, but you did not seem to know much about "
            "our product or recent funding. Use more specific examples.",
        )
        try:
            report = record(engine, interview)
        except AlreadyExists:
            report = record(engine, interview, force=True)
        outputs["debrief_covered_share"] = report["covered_share"]
    finally:
        server.stop()
    rows = compare_rows(results)
    if not quiet:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="Fit with the sample profile (data/demo/profile.toml)")
        for col in (
            "rank",
            "company",
            "score",
            "confidence",
            "verdict",
            "top match",
            "top mismatch",
        ):
            table.add_column(col)
        for r in rows:
            table.add_row(
                str(r["rank"]),
                r["name"],
                "—" if r["score"] is None else f"{r['score']:.0f}",
                f"{r['confidence']:.2f}",
                r["verdict"],
                r["top_match"] or "",
                r["top_mismatch"] or "",
            )
        console = Console(file=sys.stdout)
        console.print(table)
        for done in research:
            s = done.crawl
            console.print(
                f"{s.company}: {s.fetched} pages new/changed, {s.unchanged} "
                f"unchanged, {s.robots} refused by robots.txt, {s.postings} open "
                f"postings"
            )
        console.print(f"debrief (Rocketly): {report['covered_share']:.0%} of questions covered")
        console.print(f"briefs: {out}/brief-*.md and .html · comparison: {compare_path}")
        console.print(f"database: {settings.database} · {time.monotonic() - started:.1f}s")
    outputs["ranking"] = rows
    outputs["crawl"] = [r.crawl.as_dict() for r in research]
    return outputs
