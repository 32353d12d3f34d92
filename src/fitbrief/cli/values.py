"""The values taxonomy, culture profiles and the user's own profile."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

import click

from fitbrief.cli.base import State, cli, pass_state
from fitbrief.cli.output import (
    check_output,
    emit,
    emit_json,
    output_options,
    print_table,
    profile_option,
    write_output,
)
from fitbrief.errors import UsageError
from fitbrief.textutil import decode_text, read_text_file


@cli.group()
def values() -> None:
    """The values taxonomy and company culture profiles."""


@values.command("dimensions")
@output_options()
@pass_state
def values_dimensions(state: State, fmt: str) -> None:
    """Show the taxonomy's dimensions."""
    from fitbrief.analysis.taxonomy import taxonomy_for

    taxonomy = taxonomy_for(state.settings.values)
    rows = [
        {
            "id": d.id,
            "name": d.name,
            "anchors": len(d.anchors),
            "Li 2021": ", ".join(d.li2021),
            "Culture 500": ", ".join(d.culture500),
            "O*NET": ", ".join(d.onet),
        }
        for d in taxonomy.dimensions
    ]
    columns = ["id", "name", "anchors", "Li 2021", "Culture 500", "O*NET"]
    emit(rows, columns, fmt, data=[asdict(d) for d in taxonomy.dimensions])


@values.command("classify")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@click.option("--json", "as_json", is_flag=True, help="JSON lines.")
@pass_state
def values_classify(state: State, file: str, as_json: bool) -> None:
    """Classify each line of FILE (or stdin) into a value dimension, or none."""
    if file == "-":
        text = decode_text(sys.stdin.buffer.read(), "standard input")
    else:
        text = read_text_file(file, "input")
    texts = [line.strip() for line in text.splitlines() if line.strip()]
    if not texts:  # say so before loading the model
        where = "standard input" if file == "-" else file
        raise UsageError(f"{where}: nothing to classify (one text per line)")
    app = state.app
    probs = app.classifier.probabilities(app.vectors(texts), texts)
    labels = app.classifier.labels(probs, texts, app.settings.values.min_probability)
    for text, label, row in zip(texts, labels, probs, strict=True):
        scores = {d: round(float(p), 4) for d, p in zip(app.taxonomy.ids, row, strict=True)}
        if as_json:
            click.echo(json.dumps({"text": text, "dimension": label, "scores": scores}))
        else:
            top = max(scores, key=scores.__getitem__)
            click.echo(f"{label or 'none':<14} {scores[top]:.2f}  {text}")


@values.command("profile")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@output_options(csv_too=False)
@pass_state
def values_profile(state: State, files: tuple[str, ...], fmt: str) -> None:
    """Culture profile of FILES (text, Markdown or HTML) read as one company's pages."""
    from fitbrief.analysis.culture import profile_to_json
    from fitbrief.pages.local import passages_from_files
    from fitbrief.pipeline.culture import profile_passages

    profile = profile_passages(state.app, passages_from_files(files))
    if fmt == "json":
        emit_json(profile_to_json(profile))
        return
    _print_profile(profile)


_SET_ASIDE_WORDS = {
    "language": "not analysed (language)",
    "requirement": "requirement or duty lines",
    "reported": "news or quotes of others",
    "posting": "job-posting lines",
    "legal": "legal pages",
}


def _print_profile(profile: Any) -> None:
    aside = ", ".join(
        f"{n} {_SET_ASIDE_WORDS.get(k, k)}" for k, n in sorted(profile.set_aside.items())
    )
    click.echo(
        f"{profile.passages} passages read, {profile.value_passages} state a value of the "
        f"company" + (f"; set aside: {aside}" if aside else "")
    )
    rows = []
    for dim, p in sorted(profile.items(), key=lambda kv: -(kv[1].emphasis or -1)):
        rows.append(
            {
                "dimension": dim,
                "emphasis": "unknown" if p.emphasis is None else f"{p.emphasis:.2f}",
                "status": p.status,
                "confidence": f"{p.confidence:.2f}",
                "evidence": p.evidence_count,
                "top evidence": (p.evidence[0].text[:90] if p.evidence else ""),
            }
        )
    print_table(rows, ["dimension", "emphasis", "status", "confidence", "evidence", "top evidence"])


@values.command("show")
@click.argument("name")
@output_options(csv_too=False)
@pass_state
def values_show(state: State, name: str, fmt: str) -> None:
    """The stored culture profile of a crawled company."""
    from fitbrief.analysis.culture import profile_to_json
    from fitbrief.pipeline.culture import research_of
    from fitbrief.store.companies import get_company

    research = research_of(state.app, get_company(state.db, name))
    if fmt == "json":
        emit_json(profile_to_json(research.profile))
    else:
        _print_profile(research.profile)


@cli.group()
def profile() -> None:
    """Your values profile (profile.toml)."""


@profile.command("check")
@profile_option
@pass_state
def profile_check(state: State, path: str | None) -> None:
    """Validate a profile file."""
    from fitbrief.analysis.taxonomy import taxonomy_for
    from fitbrief.analysis.userprofile import load_profile

    user = load_profile(state.profile_path(path), taxonomy_for(state.settings.values))
    click.echo(
        f"{user.path}: ok ({len(user.importance)} dimensions rated, {len(user.wants)} "
        f"wants, {len(user.avoid)} avoid, {len(user.dealbreakers)} dealbreakers)"
    )


@profile.command("show")
@profile_option
@output_options(csv_too=False)
@pass_state
def profile_show(state: State, path: str | None, fmt: str) -> None:
    """Show a profile."""
    from fitbrief.analysis.taxonomy import taxonomy_for
    from fitbrief.analysis.userprofile import load_profile

    taxonomy = taxonomy_for(state.settings.values)
    user = load_profile(state.profile_path(path), taxonomy)
    if fmt == "json":
        emit_json(asdict(user))
        return
    print_table(
        [
            {"dimension": d.id, "importance": user.importance.get(d.id, "not rated")}
            for d in taxonomy.dimensions
        ],
        ["dimension", "importance"],
        title=user.name or user.path,
    )
    for key in ("wants", "avoid", "dealbreakers"):
        for item in getattr(user, key):
            click.echo(f"{key}: {item}")


@profile.command("quiz")
@click.option("--answers", type=click.Path(dir_okay=False), help="Answer file: CARD = 1..5.")
@click.option("-o", "--output", default="profile.toml", show_default=True, help="Where to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--name", default="", help="Your name for the profile.")
def profile_quiz(answers: str | None, output: str, force: bool, name: str) -> None:
    """A short questionnaire (O*NET Work Importance Profiler items) that writes profile.toml."""
    from fitbrief.analysis.quiz import importance_from_answers, profile_toml, read_answers, run_quiz

    out = check_output(output)  # before the questions are asked
    if out.exists() and not force:
        raise UsageError(f"{out} exists already; use --force to overwrite it")
    if answers:
        given = read_answers(answers)
    else:
        click.echo(
            "On my ideal job it is important that ... (1 = not important, 5 = essential)\n"
            "Items A-U: O*NET Work Importance Profiler, USDOL/ETA, CC BY 4.0."
        )
        given = run_quiz(lambda s: click.prompt(f"  {s}", type=click.IntRange(1, 5)))
    write_output(out, profile_toml(importance_from_answers(given), name))
    click.echo(f"wrote {out}")
