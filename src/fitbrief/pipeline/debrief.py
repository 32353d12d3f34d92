"""Debriefs: record an interview with the gap report of its questions against the stored
research, and read the history and recurring gaps across interviews."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from fitbrief.analysis.debrief import (
    OUTCOMES,
    Lesson,
    QuestionCoverage,
    advice_for,
    lessons,
    question_coverage,
)
from fitbrief.app import App
from fitbrief.errors import AlreadyExists, UsageError
from fitbrief.pipeline.culture import passage_inputs, research_of
from fitbrief.records import Company, InterviewRow, MissedCategory
from fitbrief.store import companies as company_store
from fitbrief.store import interviews as interview_store
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

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.interview_id is None:
            data.pop("interview_id")
        return data


def gap_report(app: App, interview: Interview) -> GapReport:
    """Per question: category, covered, evidence and what to research."""
    passages = research_of(app, interview.company).passages  # a clear error when none
    threshold = app.settings.debrief.coverage_threshold
    # The same input the culture profile embedded: cached, so nothing is embedded twice.
    sims = app.vectors(interview.questions) @ app.vectors(passage_inputs(passages)).T
    rows = question_coverage(interview.questions, passages, sims, threshold)
    used: dict[str, int] = {}
    for i, row in enumerate(rows):
        if row.covered:
            url = passages[int(np.argmax(sims[i]))].url
            used[url] = used.get(url, 0) + 1
    return GapReport(
        interview.company.name,
        interview.when.isoformat(),
        interview.role,
        interview.outcome,
        round(sum(r.covered for r in rows) / len(rows), 3),
        threshold,
        rows,
        [ResearchUse(u, n) for u, n in sorted(used.items(), key=lambda kv: -kv[1])],
        lessons(interview.feedback or ""),
    )


def record(app: App, interview: Interview, force: bool = False) -> GapReport:
    """Store an interview and its gap report; the same debrief twice needs ``force``."""
    if interview.outcome not in OUTCOMES:
        raise UsageError(f"unknown outcome {interview.outcome!r} (one of {', '.join(OUTCOMES)})")
    report = gap_report(app, interview)
    digest = sha256_text("\n".join(interview.questions))
    duplicate = interview_store.find_interview(app.db, interview.company.id, interview.when, digest)
    if duplicate is not None and not force:
        raise AlreadyExists(
            f"this debrief ({interview.company.name}, {interview.when}) is stored already "
            f"as interview {duplicate}; use --force to replace it"
        )
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
        [
            interview_store.QuestionRow(q.question, q.category, q.covered, q.similarity)
            for q in report.questions
        ],
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
    """Recurring uncovered categories, outcomes over time, the covered-share trend."""

    interviews: list[InterviewRow]
    recurring_gaps: list[MissedCategory]
    next_steps: list[NextStep]
    covered_trend_per_interview: float | None
    outcomes: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def gaps(app: App, company: str | None = None) -> GapsSummary:
    """Recurring research gaps and progress across interviews (of one company, or all)."""
    if company:
        company = company_store.get_company(app.db, company).name  # unknown: a clear error
    interviews = interview_store.history(app.db, company)
    misses = interview_store.missed_categories(app.db, company)
    steps = [NextStep(m.category, m.missed, m.asked, *advice_for(m.category)) for m in misses]
    shares = [i.covered_share for i in interviews if i.covered_share is not None]
    trend = None
    if len(shares) >= 2:
        trend = round(float(np.polyfit(range(len(shares)), shares, 1)[0]), 3)
    outcomes: dict[str, int] = {}
    for i in interviews:
        outcomes[i.outcome] = outcomes.get(i.outcome, 0) + 1
    return GapsSummary(interviews, misses, steps, trend, outcomes)


def history(app: App, company: str | None = None) -> list[InterviewRow]:
    """Stored interviews, oldest first."""
    return interview_store.history(app.db, company)
