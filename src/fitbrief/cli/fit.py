"""Cultural fit, comparison across employers, and the brief."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fitbrief.cli.base import State, cli, pass_state
from fitbrief.cli.output import (
    check_output,
    emit,
    emit_json,
    one_posting,
    output_options,
    posting_options,
    print_table,
    profile_option,
    write_output,
)
from fitbrief.cli.prepare import stories_option


@cli.command()
@click.argument("name")
@profile_option
@output_options(csv_too=False)
@pass_state
def fit(state: State, name: str, path: str | None, fmt: str) -> None:
    """How well a company's stated culture fits your values profile, and why."""
    from fitbrief.analysis.userprofile import load_profile
    from fitbrief.pipeline.fit import fit_company
    from fitbrief.store.companies import get_company

    app = state.app
    user = load_profile(state.profile_path(path), app.taxonomy)
    result = fit_company(app, get_company(app.db, name), user)
    if fmt == "json":
        emit_json(result.to_dict())
        return
    _print_fit(result)


def _print_fit(result: Any) -> None:
    score = "insufficient evidence" if result.score is None else f"{result.score:.0f}/100"
    click.echo(f"{result.company}: {score} — {result.verdict} (confidence {result.confidence:.2f})")
    rows = [
        {
            "id": d.id,
            "importance": d.importance,
            "emphasis": "unknown" if d.emphasis is None else f"{d.emphasis:.2f}",
            "evidence_count": d.evidence_count,
            "contribution": d.contribution,
        }
        for d in result.dimensions
    ]
    print_table(rows, ["id", "importance", "emphasis", "evidence_count", "contribution"])
    for m in result.matches[:3]:
        ev = m.evidence
        click.echo(f"match: {m.name} — “{ev.text[:160] if ev else ''}” {ev.url if ev else ''}")
    for m in result.mismatches[:3]:  # never a quote: its basis in numbers
        said = "says little about it" if m.status == "low" else "stresses it more than most"
        click.echo(f"mismatch: {m.name} — {said}: {m.basis}")
    for u in result.unknowns:
        click.echo(f"unknown: {u.name} — ask: {u.questions[0]}")
    for s in result.statements:
        click.echo(f"{s.kind}: “{s.statement}” ~ “{s.text[:120]}” ({s.similarity:.2f}) {s.url}")
    for s in result.dealbreakers:
        click.echo(f"DEALBREAKER: “{s.statement}” ~ “{s.text[:120]}” {s.url}")


@cli.command()
@click.argument("names", nargs=-1)
@profile_option
@output_options()
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Also write a page with a per-dimension heatmap.",
)
@pass_state
def compare(
    state: State, names: tuple[str, ...], path: str | None, fmt: str, html_path: str | None
) -> None:
    """Rank employers by fit with your profile: the NAMEs given, or every company stored."""
    from fitbrief.pipeline.fit import compare as run_compare
    from fitbrief.render.compare import COMPARE_COLUMNS, compare_rows, render_compare_html

    if html_path:
        check_output(html_path)  # before the work
    results = run_compare(state.app, names, state.profile_path(path))
    rows = [r.to_dict() for r in compare_rows(results)]
    if html_path:
        write_output(html_path, render_compare_html(results, state.app.taxonomy))
    emit(rows, COMPARE_COLUMNS, fmt, title="fit ranking")


@cli.command()
@click.argument("name")
@posting_options
@profile_option
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file.")
@stories_option
@pass_state
def brief(
    state: State,
    name: str,
    role: str | None,
    job: int | None,
    path: str | None,
    fmt: str,
    output: str | None,
    stories_file: str | None,
) -> None:
    """Write the pre-interview research brief for a company."""
    from fitbrief.pipeline.brief import make_brief

    one_posting(role, job)
    if output:
        check_output(output)  # before the work
    default = state.profile_path(None)
    profile_path = path or (default if Path(default).exists() else None)
    text = make_brief(
        state.app, name, role, job, profile_path, fmt, state.stories_path(stories_file)
    )
    if output:
        write_output(output, text)
        click.echo(f"wrote {output}")
    else:
        click.echo(text)
