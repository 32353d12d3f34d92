"""Research commands: crawl, extract, jobs."""

from __future__ import annotations

import re
from typing import Any

import click

from fitbrief.cli.base import State, cli, pass_state
from fitbrief.cli.output import emit, emit_json, output_options, progress_bars
from fitbrief.errors import FetchError, UsageError


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Crawl every company.")
@click.option("--max-pages", type=click.IntRange(1, 10000), help="Pages per company.")
@click.option("--refresh", is_flag=True, help="Fetch again even pages fetched recently.")
@output_options(csv_too=False)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (as 'fitbrief -q crawl').")
@pass_state
def crawl(
    state: State,
    names: tuple[str, ...],
    all_: bool,
    max_pages: int | None,
    refresh: bool,
    fmt: str,
    quiet: bool,
) -> None:
    """Crawl companies' public pages and job boards (NAME ... or --all)."""
    from fitbrief.pipeline import research
    from fitbrief.records import CRAWL_COUNTS

    state.quiet = state.quiet or quiet
    if not names and not all_:
        raise UsageError("name one or more companies, or use --all")
    if names and all_:
        raise UsageError("give company names or --all, not both")
    with progress_bars(state.bars) as bar:
        results = research.crawl(state.app, names, max_pages, refresh, progress=bar)
    rows = []
    for r in results:
        row = r.crawl.as_dict()
        row["extracted"] = r.extracted
        row["job_errors"] = r.jobs.errors if r.jobs else []
        rows.append(row)
    if fmt == "json":
        emit_json(rows)
    else:
        table = [{**row, "seconds": f"{row['seconds']:.1f}"} for row in rows]
        columns = ["company", *(c for c in CRAWL_COUNTS if c != "error")]
        emit(table, columns, fmt, title="crawl")
        # Reasons as lines of their own: a table column would cut them at 80 characters.
        for row in rows:
            for line in crawl_reasons(row):
                click.echo(f"{row['company']}: {line}", err=True)
    unreachable = [r["company"] for r in rows if r["error"]]
    if unreachable:  # after the table: the other companies' results are shown and stored
        raise FetchError(f"could not crawl: {', '.join(unreachable)}")


def crawl_reasons(row: dict[str, Any]) -> list[str]:
    """Why a crawl failed or pages failed, in words, grouped: the homepage's reason first."""
    lines = [row["error"]] if row["error"] else []
    counts: dict[str, int] = {}
    for failure in row.get("failures") or []:
        reason = re.sub(r"https?://\S+", "…", failure["reason"])
        counts[reason] = counts.get(reason, 0) + 1
    if counts and not (row["error"] and sum(counts.values()) == 1):
        shown = "; ".join(
            f"{n} × {reason}" for reason, n in sorted(counts.items(), key=lambda kv: -kv[1])
        )
        lines.append(f"{sum(counts.values())} pages failed: {shown}")
    lines += [f"job board: {e}" for e in row["job_errors"]]
    return lines


@cli.command()
@click.argument("source")
@output_options(csv_too=False)
@pass_state
def extract(state: State, source: str, fmt: str) -> None:
    """Extract the main text of a local HTML file (.gz too) or a URL."""
    from fitbrief.errors import ExtractionError
    from fitbrief.pipeline.research import extract_source

    doc = extract_source(state.app, source)
    if fmt == "json":
        emit_json(doc.to_dict())
        return
    if not doc.text:
        raise ExtractionError(f"{source}: no main text could be extracted")
    click.echo(doc.text)


@cli.command()
@click.argument("name", required=False)
@click.option("--open-only", is_flag=True, help="Only postings still listed.")
@output_options()
@pass_state
def jobs(state: State, name: str | None, open_only: bool, fmt: str) -> None:
    """List stored job postings (of one company with NAME)."""
    from fitbrief.store.companies import get_company
    from fitbrief.store.postings import list_postings

    if name:
        get_company(state.db, name)  # an unknown company is an error, not an empty list
    postings = [p.to_dict() for p in list_postings(state.db, name, open_only)]
    rows = []
    for p in postings:
        salary = ""
        if p["salary_min"]:
            salary = f"{p['salary_min']:,.0f}-{p['salary_max']:,.0f} {p['salary_currency'] or ''}"
        rows.append({**p, "locations": ", ".join(p["locations"]), "salary": salary})
    columns = ["id", "company", "source", "title", "locations", "workplace", "salary", "status"]
    emit(rows, columns, fmt, data=postings)
