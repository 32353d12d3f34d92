"""`fitbrief demo`: everything on the bundled demo companies, served on loopback."""

from __future__ import annotations

from pathlib import Path

import click

from fitbrief.cli.base import State, cli, pass_state
from fitbrief.cli.output import print_table
from fitbrief.errors import UsageError


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="fitbrief-demo",
    show_default=True,
    help="Folder for the demo database and outputs.",
)
@click.option(
    "--fresh/--reuse",
    default=False,
    help="Start from an empty database (default reuses it, so nothing is "
    "fetched or embedded twice).",
)
@pass_state
def demo(state: State, out_dir: str, fresh: bool) -> None:
    """Run everything on the bundled demo companies, served on loopback."""
    from fitbrief.demo import run_demo
    from fitbrief.render.compare import COMPARE_COLUMNS

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: --out must be a folder, and this is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{out}: cannot create the demo folder: {exc.strerror or exc}") from None
    result = run_demo(out, state.settings, fresh=fresh, quiet=state.quiet)
    if state.quiet:
        return
    rows = [
        {
            **r,
            "score": "—" if r["score"] is None else f"{r['score']:.0f}",
            "confidence": f"{r['confidence']:.2f}",
        }
        for r in result["ranking"]
    ]
    print_table(rows, COMPARE_COLUMNS, title="Fit with the sample profile (data/demo/profile.toml)")
    for s in result["crawl"]:
        click.echo(
            f"{s['company']}: {s['fetched']} pages new/changed, {s['unchanged']} unchanged, "
            f"{s['robots']} refused by robots.txt, {s['postings']} open postings"
        )
    click.echo(
        f"debrief ({result['debrief_company']}): {result['debrief_covered_share']:.0%} of "
        "questions covered"
    )
    for answer in result["practice"]["answers"]:
        parts = [p for p, present in answer["star"].items() if present]
        click.echo(
            f"practice ({result['practice']['company']}): {len(parts)}/4 STAR parts in the "
            f"answer to “{answer['question'][:60]}”"
            + (f"; {answer['feedback'][0]}" if answer["feedback"] else "")
        )
    click.echo(f"briefs: {out}/brief-*.md and .html · comparison: {result['compare']}")
    click.echo(f"database: {result['database']} · {result['seconds']:.1f}s")
