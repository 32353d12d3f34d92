"""After interviews: debrief, gaps, interviews."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from fitbrief.cli.base import State, cli, pass_state
from fitbrief.cli.output import emit, emit_json, output_options, print_table
from fitbrief.cli.prepare import stories_option
from fitbrief.errors import UsageError
from fitbrief.textutil import read_text_file, truncate


@cli.command()
@click.argument("name")
@click.option(
    "--questions",
    "questions_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="The questions asked, one per line.",
)
@click.option("--feedback", help="Feedback you received.")
@click.option("--feedback-file", type=click.Path(dir_okay=False), help="Feedback from a file.")
@click.option(
    "--outcome", default="pending", show_default=True, help="rejected, offer, pending or withdrew."
)
@click.option("--date", "when", help="Interview date YYYY-MM-DD (default today).")
@click.option("--role", help="The role interviewed for.")
@click.option("--force", is_flag=True, help="Replace the same debrief if stored already.")
@stories_option
@output_options(csv_too=False)
@pass_state
def debrief(
    state: State,
    name: str,
    questions_file: str,
    feedback: str | None,
    feedback_file: str | None,
    outcome: str,
    when: str | None,
    role: str | None,
    force: bool,
    stories_file: str | None,
    fmt: str,
) -> None:
    """Record an interview and show which questions your research did not cover."""
    from fitbrief.analysis.debrief import OUTCOMES, read_questions
    from fitbrief.pipeline.debrief import Interview, record
    from fitbrief.store.companies import get_company

    if outcome not in OUTCOMES:
        raise UsageError(f"unknown outcome {outcome!r} (one of {', '.join(OUTCOMES)})")
    if feedback and feedback_file:
        raise UsageError("give --feedback or --feedback-file, not both")
    if feedback_file:
        feedback = read_text_file(feedback_file, "feedback")
    try:
        day = date.fromisoformat(when) if when else date.today()
    except ValueError:
        raise UsageError(f"--date {when!r} is not YYYY-MM-DD") from None
    questions = read_questions(questions_file)
    company = get_company(state.db, name)
    stories = state.stories(stories_file)
    interview = Interview(company, questions, outcome, day, role, feedback)
    report = record(state.app, interview, force, stories)
    if fmt == "json":
        emit_json(report.to_dict())
        return
    click.echo(
        f"{report.company} {report.date} ({report.outcome}): "
        f"{report.covered_share:.0%} of the questions about the company covered by your research"
    )
    rows = [
        {
            "question": truncate(q.question, 70),
            "category": q.category,
            "coverage": q.coverage,
            "similarity": "" if q.coverage == "about you" else q.similarity,
            "missing": ", ".join(q.terms_missing),
            "research / story": _advice(q),
        }
        for q in report.questions
    ]
    columns = ["question", "category", "coverage", "similarity", "missing", "research / story"]
    print_table(rows, columns)
    if report.preparation_gaps:
        click.echo(
            f"{len(report.preparation_gaps)} questions about you had no story to answer them: "
            "add one to your stories file (see 'fitbrief stories check')"
        )
    for lesson in report.lessons:
        click.echo(f"lesson ({lesson.area}): {lesson.feedback}")


def _advice(q: Any) -> str:
    """The research advice for a question about the company; for one about you, the story
    that answers it (when stories were read)."""
    if q.coverage != "about you":
        return q.research.advice if q.research else ""
    if q.story is not None:
        return f"story: {q.story.title}"
    return ""


@cli.command()
@click.argument("name", required=False)
@click.option(
    "--recompute",
    is_flag=True,
    help="Judge stored interviews again with the current method and research first.",
)
@stories_option
@output_options(csv_too=False)
@pass_state
def gaps(
    state: State, name: str | None, recompute: bool, stories_file: str | None, fmt: str
) -> None:
    """Recurring research gaps, preparation gaps and progress across interviews and
    practice."""
    from fitbrief.pipeline.debrief import gaps as run_gaps

    report = run_gaps(state.app, name, recompute, state.stories(stories_file))
    if fmt == "json":
        emit_json(report.to_dict())
        return
    print_table(
        [i.to_dict() for i in report.interviews],
        ["date", "company", "role", "outcome", "covered_share"],
        title="interviews",
    )
    print_table(
        [vars(s) for s in report.next_steps],
        ["category", "missed", "asked", "advice"],
        title="recurring gaps and next steps",
    )
    if report.about_you:
        click.echo(
            f"{len(report.about_you)} questions were about you (preparation, not research): "
            + "; ".join(truncate(q, 60) for q in report.about_you[:5])
        )
    if report.preparation_gaps:
        click.echo(
            f"{len(report.preparation_gaps)} of them no story of yours answers: "
            + "; ".join(truncate(q, 60) for q in report.preparation_gaps[:5])
        )
    print_practice(report.practice)
    if report.practice_trend is not None:
        click.echo(f"practice trend: {report.practice_trend:+.2f} STAR parts per run")
    if report.recomputed:
        click.echo(f"recomputed {report.recomputed} interviews with the current method")
    if report.covered_trend_per_interview is not None:
        click.echo(f"covered share trend: {report.covered_trend_per_interview:+.3f} per interview")


@cli.command()
@output_options()
@pass_state
def interviews(state: State, fmt: str) -> None:
    """Your interview history (and, on a terminal, your practice runs)."""
    from fitbrief.pipeline.debrief import history
    from fitbrief.store.practice import runs

    rows = [i.to_dict() for i in history(state.app)]
    columns = ["id", "date", "company", "role", "outcome", "questions", "covered_share"]
    emit(rows, columns, fmt, title="interviews" if fmt == "table" else None)
    if fmt == "table":
        print_practice(runs(state.db))


def print_practice(practice: list[Any]) -> None:
    """Practice runs as a table, oldest first: how complete the answers were."""
    if not practice:
        return
    print_table(
        [
            {
                "date": p.practised_at.date(),
                "company": p.company,
                "answers": p.answers,
                "star_parts": f"{p.star_parts:.1f}/4",
                "with_number": f"{p.quantified:.0%}",
            }
            for p in practice
        ],
        ["date", "company", "answers", "star_parts", "with_number"],
        title="practice",
    )
