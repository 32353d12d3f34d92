"""Set-up and bookkeeping: init, company add/list/remove, db info, sql."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from fitbrief.cli.base import State, cli, pass_state
from fitbrief.cli.output import emit, emit_json, output_options, print_table, write_output
from fitbrief.config import DEFAULT_CONFIG_TEXT
from fitbrief.errors import UsageError
from fitbrief.sources.registry import SOURCES


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite existing files (never links).")
def init(force: bool) -> None:
    """Write what is missing here: a commented config.toml, and profile.toml and
    stories.toml templates."""
    from fitbrief.analysis.stories import STORIES_TEMPLATE
    from fitbrief.analysis.userprofile import PROFILE_TEMPLATE

    for name, text in (
        ("config.toml", DEFAULT_CONFIG_TEXT),
        ("profile.toml", PROFILE_TEMPLATE),
        ("stories.toml", STORIES_TEMPLATE),
    ):
        path = Path(name)
        if path.is_symlink():  # a checkout's config.toml links to the packaged defaults
            click.echo(f"left {path} alone: it is a link, and fitbrief never writes through one")
        elif path.exists() and not force:
            click.echo(f"left {path} alone: it exists (--force overwrites it)")
        else:
            write_output(path, text)
            click.echo(f"wrote {path}")


@cli.group()
def company() -> None:
    """Add, list and remove the companies you research."""


def board_options(f: Any) -> Any:
    """One option per job-board source in the registry (--<source> BOARD)."""
    for source in reversed(list(SOURCES.values())):
        f = click.option(f"--{source.name}", metavar="BOARD", help=source.board_help)(f)
    return f


@company.command("add")
@click.argument("name")
@click.option("--url", required=True, help="The company's homepage (http or https).")
@click.option("--notes", help="Free-text notes.")
@board_options
@pass_state
def company_add(state: State, name: str, url: str, notes: str | None, **boards: str | None) -> None:
    """Register a company by NAME and homepage URL, with optional ATS boards."""
    from fitbrief.pipeline.research import add_company

    added = add_company(state.app, name, url, boards, notes)
    click.echo(f"added {added.name} ({added.url})")


def company_row(status: Any) -> dict[str, Any]:
    c = status.company
    return {
        "id": c.id,
        "name": c.name,
        "url": c.url,
        "added_at": c.added_at,
        "notes": c.notes,
        "pages": status.pages,
        "open_postings": status.open_postings,
        "last_crawled": status.last_crawled,
        "boards": [{"source": b.source, "board": b.board, "origin": b.origin} for b in c.boards],
    }


@company.command("list")
@output_options()
@pass_state
def company_list(state: State, fmt: str) -> None:
    """List companies with how much research is stored."""
    from fitbrief.store.companies import list_companies

    rows = [company_row(s) for s in list_companies(state.db)]
    data = [dict(r) for r in rows]
    for r in rows:
        r["boards"] = ", ".join(f"{b['source']}:{b['board']}" for b in r["boards"])
    columns = ["name", "url", "pages", "open_postings", "boards", "last_crawled"]
    emit(rows, columns, fmt, data=data)


@company.command("remove")
@click.argument("name")
@click.option("-y", "--yes", is_flag=True, help="Delete without asking.")
@pass_state
def company_remove(state: State, name: str, yes: bool) -> None:
    """Delete a company and everything stored about it, your interviews with it included
    (asks first on a terminal; --yes otherwise)."""
    from fitbrief.store.companies import company_footprint, remove_company

    company, rows = company_footprint(state.db, name)
    what = (
        f"{company.name!r}: {rows.get('pages', 0)} pages, {rows.get('postings', 0)} postings, "
        f"{rows.get('interviews', 0)} interviews with their questions and feedback"
    )
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"removing {what} needs --yes; nothing was deleted")
        if not click.confirm(f"Delete {what}?", default=False):
            click.echo("nothing was deleted", err=True)
            sys.exit(1)
    remove_company(state.db, company.name)
    click.echo(f"removed {what}")


@cli.group()
def db() -> None:
    """Inspect the database."""


@db.command("info")
@output_options(csv_too=False)
@pass_state
def db_info(state: State, fmt: str) -> None:
    """Path, schema version and row counts."""
    from fitbrief.store.query import database_info

    info = database_info(state.db)
    if fmt == "json":
        emit_json(info)
        return
    click.echo(f"database: {info['path']}\nschema version: {info['schema_version']}")
    print_table([{"table": k, "rows": v} for k, v in info["tables"].items()], ["table", "rows"])


@cli.command()
@click.argument("query")
@output_options()
@pass_state
def sql(state: State, query: str, fmt: str) -> None:
    """Run a read-only SQL QUERY against the database."""
    from fitbrief.store.query import read_only_query

    rows = read_only_query(state.db, query)
    columns = list(rows[0]) if rows else []
    if fmt == "csv" and not rows:
        return
    emit(rows, columns, fmt)
