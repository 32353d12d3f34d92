"""Debriefs: record an interview with the gap report of its questions against the stored
research, and read the history and recurring gaps across interviews."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from fitbrief.analysis.debrief import (
    ABOUT_YOU,
    OUTCOMES,
    Lesson,
    QuestionCoverage,
    Sentences,
    advice_for,
    lessons,
    question_coverage,
)
from fitbrief.analysis.stories import Story
from fitbrief.app import App
from fitbrief.errors import AlreadyExists, UsageError
from fitbrief.pipeline.culture import no_research
from fitbrief.pipeline.stories import match
from fitbrief.records import Company, InterviewRow, MissedCategory
from fitbrief.store import companies as company_store
from fitbrief.store import interviews as interview_store
from fitbrief.store import practice as practice_store
from fitbrief.store import research as research_store
from fitbrief.store.practice import PracticeSummary
from fitbrief.textutil import sha256_text


@dataclass
class Interview:
    company: Company
    questions: list[str]
    outcome: str
    when: date
    role: str | None = None
    feedback: str | None = None


@dataclass
class ResearchUse:
    url: str
    questions: int


@dataclass
class GapReport:
    company: str
    date: str
    role: str | None
    outcome: str
    covered_share: float
    threshold: float
    questions: list[QuestionCoverage]
    research_used: list[ResearchUse]
    lessons: list[Lesson]
    interview_id: int | None = None
    # Questions about you that none of your stories answers (None: no stories file read).
    preparation_gaps: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.interview_id is None:
            data.pop("interview_id")
        return data


def assess(app: App, company: Company, questions: list[str]) -> list[QuestionCoverage]:
    """How the company's stored research covers each question (the current method).  Only
    the passages are read: the culture profile is not needed here."""
    passages = research_store.passages_by_company(app.db, [company.id])[company.id]
    if not passages:
        raise no_research(company)
    units = Sentences.of(passages)
    sims = app.vectors(questions) @ app.vectors(units.texts).T if units.texts else None
    settings = app.settings.debrief
    return question_coverage(
        questions,
        passages,
        units,
        sims if sims is not None else np.zeros((len(questions), 0)),
        settings.coverage_threshold,
        settings.topic_threshold,
        company.name,
    )


def research_share(rows: list[QuestionCoverage]) -> float:
    """Share of the questions about the company that the research covered."""
    asked = [r for r in rows if r.coverage != ABOUT_YOU]
    return round(sum(r.covered for r in asked) / len(asked), 3) if asked else 1.0


def question_rows(rows: list[QuestionCoverage]) -> list[interview_store.QuestionRow]:
    return [
        interview_store.QuestionRow(r.question, r.category, r.covered, r.similarity, r.coverage)
        for r in rows
    ]


def with_stories(app: App, rows: list[QuestionCoverage], stories: list[Story]) -> list[str]:
    """Match each question about you to the user's stories; returns those no story answers
    (preparation gaps, kept apart from research gaps)."""
    about = [r for r in rows if r.coverage == ABOUT_YOU]
    for row, found in zip(about, match(app, [r.question for r in about], stories), strict=True):
        row.story = found
    return [r.question for r in about if r.story is None]


def slope(values: list[float]) -> float | None:
    """Change per step of a least-squares line through ``values`` (None under two)."""
    if len(values) < 2:
        return None
    return round(float(np.polyfit(range(len(values)), values, 1)[0]), 3)


def gap_report(app: App, interview: Interview, stories: list[Story] | None = None) -> GapReport:
    """Per question: category, coverage, evidence and what to research; questions about you
    matched to ``stories`` (the ones none answers are preparation gaps)."""
    rows = assess(app, interview.company, interview.questions)
    preparation = with_stories(app, rows, stories) if stories is not None else None
    used: dict[str, int] = {}
    for row in rows:
        if row.covered and row.evidence:
            used[row.evidence[0].url] = used.get(row.evidence[0].url, 0) + 1
    return GapReport(
        interview.company.name,
        interview.when.isoformat(),
        interview.role,
        interview.outcome,
        research_share(rows),
        app.settings.debrief.coverage_threshold,
        rows,
        [ResearchUse(u, n) for u, n in sorted(used.items(), key=lambda kv: -kv[1])],
        lessons(interview.feedback or ""),
        preparation_gaps=preparation,
    )


def record(
    app: App, interview: Interview, force: bool = False, stories: list[Story] | None = None
) -> GapReport:
    """Store an interview and its gap report; the same debrief twice needs ``force``."""
    if interview.outcome not in OUTCOMES:
        raise UsageError(f"unknown outcome {interview.outcome!r} (one of {', '.join(OUTCOMES)})")
    digest = sha256_text("\n".join(interview.questions))
    duplicate = interview_store.find_interview(app.db, interview.company.id, interview.when, digest)
    if duplicate is not None and not force:  # before any work is done
        raise AlreadyExists(
            f"this debrief ({interview.company.name}, {interview.when}) is stored already "
            f"as interview {duplicate}; use --force to replace it"
        )
    report = gap_report(app, interview, stories)
    report.interview_id = interview_store.save_interview(
        app.db,
        interview.company.id,
        interview.when,
        interview.role,
        interview.outcome,
        interview.feedback,
        digest,
        report.covered_share,
        report.to_dict(),
        question_rows(report.questions),
        replace=duplicate,
    )
    return report


@dataclass
class NextStep:
    category: str
    missed: int
    asked: int
    page_kind: str
    advice: str


@dataclass
class GapsSummary:
    """Recurring uncovered categories, outcomes over time, the covered-share trend; the
    questions about the candidate apart (preparation, not research)."""

    interviews: list[InterviewRow]
    recurring_gaps: list[MissedCategory]
    next_steps: list[NextStep]
    covered_trend_per_interview: float | None
    outcomes: dict[str, int] = field(default_factory=dict)
    about_you: list[str] = field(default_factory=list)
    recomputed: int = 0  # interviews judged again with the current method
    # Questions about you no story answers (None: no stories file read).
    preparation_gaps: list[str] | None = None
    practice: list[PracticeSummary] = field(default_factory=list)
    practice_trend: float | None = None  # change in STAR parts per answer, per practice run

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def recompute(app: App, company: str | None = None) -> int:
    """Judge every stored interview's questions again against the current research with the
    current method; returns how many interviews were updated."""
    by_company: dict[str, list[interview_store.StoredInterview]] = {}
    for stored in interview_store.stored_interviews(app.db, company):
        by_company.setdefault(stored.company, []).append(stored)
    done = 0
    for name, interviews in by_company.items():
        # One assessment per company: its research is read, split and stemmed once.
        rows = assess(
            app,
            company_store.get_company(app.db, name),
            [q for stored in interviews for q in stored.questions],
        )
        start = 0
        for stored in interviews:
            part = rows[start : start + len(stored.questions)]
            start += len(stored.questions)
            interview_store.update_coverage(
                app.db, stored.id, question_rows(part), research_share(part)
            )
            done += 1
    return done


def gaps(
    app: App,
    company: str | None = None,
    recompute_first: bool = False,
    stories: list[Story] | None = None,
) -> GapsSummary:
    """Recurring research gaps and progress across interviews (of one company, or all);
    ``recompute_first``: judge stored interviews again with the current method first."""
    if company:
        company = company_store.get_company(app.db, company).name  # unknown: a clear error
    recomputed = recompute(app, company) if recompute_first else 0
    interviews = interview_store.history(app.db, company)
    misses = interview_store.missed_categories(app.db, company)
    steps = [NextStep(m.category, m.missed, m.asked, *advice_for(m.category)) for m in misses]
    trend = slope([i.covered_share for i in interviews if i.covered_share is not None])
    outcomes: dict[str, int] = {}
    for i in interviews:
        outcomes[i.outcome] = outcomes.get(i.outcome, 0) + 1
    about_you = list(
        dict.fromkeys(q for _, q in interview_store.about_you_questions(app.db, company))
    )
    preparation = None
    if stories is not None:
        found = match(app, about_you, stories)
        preparation = [q for q, m in zip(about_you, found, strict=True) if m is None]
    practice = practice_store.runs(app.db, company)
    return GapsSummary(
        interviews,
        misses,
        steps,
        trend,
        outcomes,
        about_you,
        recomputed,
        preparation,
        practice,
        slope([p.star_parts for p in practice]),
    )


def history(app: App, company: str | None = None) -> list[InterviewRow]:
    """Stored interviews, oldest first."""
    return interview_store.history(app.db, company)
