"""Preparation: your STAR stories (stories list, check, match) and practice answers."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from fitbrief.cli.base import State, cli, pass_state
from fitbrief.cli.output import (
    emit,
    emit_json,
    one_posting,
    output_options,
    posting_options,
    print_table,
)
from fitbrief.errors import UsageError
from fitbrief.textutil import truncate

stories_option = click.option(
    "--stories",
    "stories_file",
    type=click.Path(dir_okay=False),
    help="Your STAR stories (default [stories] path, stories.toml).",
)


@cli.group()
def stories() -> None:
    """Your STAR stories: list them, check them, match them to a company's questions."""


@stories.command("list")
@stories_option
@output_options()
@pass_state
def stories_list(state: State, stories_file: str | None, fmt: str) -> None:
    """List your stories."""
    from dataclasses import asdict

    found = [asdict(s) for s in state.stories(stories_file, required=True)]
    rows = [{**s, "tags": ", ".join(s["tags"]), "result": truncate(s["result"], 60)} for s in found]
    emit(rows, ["title", "role", "date", "tags", "result"], fmt, data=found)


@stories.command("check")
@stories_option
@output_options(csv_too=False)
@pass_state
def stories_check(state: State, stories_file: str | None, fmt: str) -> None:
    """Check each story: all four STAR parts, a measurable result, a telling length, the
    values it shows."""
    from fitbrief.pipeline.stories import check

    checks = check(state.app, state.stories(stories_file, required=True))
    if fmt == "json":
        emit_json(checks)
        return
    rows = [
        {
            "title": c.title,
            "complete": "yes" if c.complete else "missing " + ", ".join(c.missing),
            "quantified": "yes" if c.quantified else "no",
            "words": c.words,
            "values": ", ".join(c.dimensions),
        }
        for c in checks
    ]
    print_table(rows, ["title", "complete", "quantified", "words", "values"])
    for c in checks:
        for advice in c.advice:
            click.echo(f"{c.title}: {advice}")
    ready = sum(c.complete and c.quantified for c in checks)
    click.echo(f"{ready} of {len(checks)} stories complete with a measurable result")


@stories.command("match")
@click.argument("name")
@posting_options
@stories_option
@output_options()
@pass_state
def stories_match(
    state: State, name: str, role: str | None, job: int | None, stories_file: str | None, fmt: str
) -> None:
    """Your best story for each question company NAME is likely to ask."""
    from fitbrief.pipeline.brief import likely_questions

    one_posting(role, job)
    stories = state.stories(stories_file, required=True)
    questions = likely_questions(state.app, name, role, job, stories).questions
    rows: list[dict[str, Any]] = [
        {
            "question": q.question,
            "why": q.why,
            "story": q.story.title if q.story else "",
            "similarity": q.story.similarity if q.story else "",
        }
        for q in questions
    ]
    if fmt == "table":
        rows = [{**r, "question": truncate(r["question"], 70)} for r in rows]
    emit(rows, ["question", "why", "story", "similarity"], fmt)
    missing = sum(q.story is None for q in questions)
    if fmt == "table" and missing:
        click.echo(f"{missing} of {len(questions)} questions have no story: write one for each")


@cli.command()
@click.argument("name")
@posting_options
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(dir_okay=False),
    help="Score written answers ([[answer]] question, text) instead of asking.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    help="Seconds an answer may take (default [stories] time_limit).",
)
@click.option("--count", type=click.IntRange(1, 20), help="Ask this many questions (default all).")
@click.option("--no-save", is_flag=True, help="Score without storing the run.")
@output_options(csv_too=False)
@pass_state
def practice(
    state: State,
    name: str,
    role: str | None,
    job: int | None,
    answers_file: str | None,
    time_limit: float | None,
    count: int | None,
    no_save: bool,
    fmt: str,
) -> None:
    """Practise answering company NAME's likely questions: each answer is checked for its
    STAR parts, a measurable result, 'I' over 'we', the company's values, and time."""
    from fitbrief.analysis.stories import read_practice_answers
    from fitbrief.pipeline.brief import likely_questions
    from fitbrief.pipeline.stories import record, score

    one_posting(role, job)
    written = read_practice_answers(answers_file) if answers_file else None  # fail first
    app = state.app
    limit = time_limit or app.settings.stories.time_limit
    likely = likely_questions(app, name, role, job)
    if written is not None:
        answers = written
    else:
        if not likely.questions:
            raise UsageError(f"{likely.company.name}: no likely questions yet (crawl it first)")
        answers = _ask([q.question for q in likely.questions[:count]], limit)
        if not answers:
            raise UsageError("no answers given: nothing to score")
    scored = score(app, answers, likely.emphasised, limit)
    run_id = None if no_save else record(app, likely.company, role, scored)
    if fmt == "json":  # an array in answer order (the run is stored all the same)
        emit_json(scored)
        return
    for a in scored:
        marks = " ".join(p[0].upper() if a.star[p] else "-" for p in a.star)
        took = f"{a.seconds:.0f} s" if a.seconds is not None else f"~{a.speaking_seconds} s spoken"
        click.echo(f"\n{truncate(a.question, 100)}")
        click.echo(
            f"  STAR {marks} · {a.words} words · {took} · "
            f"result {'with a number' if a.quantified else 'without a number'}"
            + (f" · values: {', '.join(a.values)}" if a.values else "")
        )
        for line in a.feedback:
            click.echo(f"  - {line}")
    if run_id is not None:
        _progress(app, likely.company.name, run_id)


def _ask(questions: list[str], limit: float) -> list[Any]:
    """Ask each question on the terminal and time the answer (ended by an empty line; an
    empty answer skips the question)."""
    from fitbrief.analysis.stories import Answer

    answers = []
    for number, question in enumerate(questions, 1):
        click.echo(f"\n[{number}/{len(questions)}] {question}")
        click.echo(f"(answer in about {limit:.0f} s; an empty line ends it, or skips)")
        started = time.monotonic()
        lines: list[str] = []
        ended = False
        while True:
            line = sys.stdin.readline()
            if not line:  # end of input: no more questions
                ended = True
                break
            if not line.strip():
                break
            lines.append(line.rstrip("\n"))
        if lines:
            answers.append(Answer(question, "\n".join(lines), round(time.monotonic() - started, 1)))
        if ended:
            break
    return answers


def _progress(app: Any, company: str, run_id: int | None) -> None:
    from fitbrief.store.practice import runs

    history = runs(app.db, company)
    latest = history[-1]
    line = (
        f"\nstored practice run {run_id}: {latest.star_parts:.1f} of 4 STAR parts per answer, "
        f"{latest.quantified:.0%} with a number"
    )
    if len(history) >= 2:
        before = history[-2]
        line += f" (last time {before.star_parts:.1f} and {before.quantified:.0%})"
    click.echo(line)
