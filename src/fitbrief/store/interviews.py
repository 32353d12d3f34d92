"""Interviews: the questions asked, how the research covered them, feedback and outcome."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fitbrief.records import InterviewRow, MissedCategory
from fitbrief.store.database import Database, company_filter, fetch_dicts


@dataclass
class QuestionRow:
    """How one asked question was judged when the interview was recorded."""

    question: str
    category: str
    covered: bool
    similarity: float | None
    coverage: str = ""  # covered / partly / not / about you (empty: stored before it existed)


def find_interview(db: Database, company_id: int, when: date, questions_hash: str) -> int | None:
    """The id of an interview stored with the same company, date and questions."""
    with db.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT id FROM interviews WHERE company_id = ? AND date = ? AND questions_hash = ?",
            [company_id, when, questions_hash],
        ).fetchall()
    return int(rows[0][0]) if rows else None


def save_interview(
    db: Database,
    company_id: int,
    when: date,
    role: str | None,
    outcome: str,
    feedback: str | None,
    questions_hash: str,
    covered_share: float,
    report: dict[str, Any],
    questions: Sequence[QuestionRow],
    replace: int | None = None,
) -> int:
    """Store an interview and its questions in one transaction (replacing interview
    ``replace`` when given); returns its id."""
    with db.connect() as con:
        con.execute("BEGIN TRANSACTION")
        try:
            if replace is not None:
                con.execute("DELETE FROM interview_questions WHERE interview_id = ?", [replace])
                con.execute("DELETE FROM interviews WHERE id = ?", [replace])
            row = con.execute(
                "INSERT INTO interviews (company_id, date, role, outcome, feedback,"
                " questions_hash, covered_share, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                [
                    company_id,
                    when,
                    role,
                    outcome,
                    feedback,
                    questions_hash,
                    covered_share,
                    json.dumps(report, default=str),
                ],
            ).fetchone()
            assert row is not None
            con.executemany(
                "INSERT INTO interview_questions (interview_id, position, question, category,"
                " covered, similarity, coverage) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    [row[0], i, q.question, q.category, q.covered, q.similarity, q.coverage]
                    for i, q in enumerate(questions)
                ],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return int(row[0])


# Questions about the company (research); "about you" questions are preparation, apart.
_RESEARCH = "coalesce(q.coverage, '') <> 'about you'"


def about_you_questions(db: Database, company: str | None = None) -> list[tuple[int, str]]:
    """(interview id, question) of every question asked about the candidate."""
    where, params = company_filter(company, "AND")
    with db.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT q.interview_id, q.question FROM interview_questions q JOIN interviews i"
            " ON i.id = q.interview_id JOIN companies c ON c.id = i.company_id"
            " WHERE q.coverage = 'about you' " + where + " ORDER BY i.date, q.interview_id,"
            " q.position",
            params,
        ).fetchall()
    return [(int(i), str(q)) for i, q in rows]


@dataclass
class StoredInterview:
    id: int
    company: str
    questions: list[str]


def stored_interviews(db: Database, company: str | None = None) -> list[StoredInterview]:
    """Every stored interview with its questions in the order asked."""
    where, params = company_filter(company, "WHERE")
    with db.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT i.id, c.name, list(q.question ORDER BY q.position) FROM interviews i"
            " JOIN companies c ON c.id = i.company_id JOIN interview_questions q"
            " ON q.interview_id = i.id " + where + " GROUP BY i.id, c.name ORDER BY i.id",
            params,
        ).fetchall()
    return [StoredInterview(int(i), str(c), list(qs)) for i, c, qs in rows]


def update_coverage(
    db: Database, interview_id: int, questions: Sequence[QuestionRow], covered_share: float
) -> None:
    """Replace how an interview's questions were judged (recomputed with the current method)."""
    with db.connect() as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.executemany(
                "UPDATE interview_questions SET category = ?, covered = ?, similarity = ?,"
                " coverage = ? WHERE interview_id = ? AND position = ?",
                [
                    [q.category, q.covered, q.similarity, q.coverage, interview_id, position]
                    for position, q in enumerate(questions)
                ],
            )
            con.execute(
                "UPDATE interviews SET covered_share = ? WHERE id = ?",
                [covered_share, interview_id],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise


def history(db: Database, company: str | None = None) -> list[InterviewRow]:
    """Stored interviews, oldest first."""
    where, params = company_filter(company, "WHERE")
    with db.connect(read_only=True) as con:
        rows = fetch_dicts(
            con,
            "SELECT i.id, c.name AS company, i.date, i.role, i.outcome, i.covered_share,"
            " (SELECT count(*) FROM interview_questions q WHERE q.interview_id = i.id)"
            " AS questions, i.feedback FROM interviews i JOIN companies c ON c.id = i.company_id "
            + where
            + " ORDER BY i.date, i.id",
            params,
        )
    return [InterviewRow(**r) for r in rows]


def missed_categories(db: Database, company: str | None = None) -> list[MissedCategory]:
    """Categories of questions the research did not cover, most missed first, with how often
    each category was asked."""
    where, params = company_filter(company, "AND")
    with db.connect(read_only=True) as con:
        misses = fetch_dicts(
            con,
            "SELECT q.category, count(*) AS missed, list(q.question) AS questions"
            " FROM interview_questions q JOIN interviews i ON i.id = q.interview_id"
            " JOIN companies c ON c.id = i.company_id WHERE NOT q.covered"
            f" AND {_RESEARCH} " + where + " GROUP BY q.category ORDER BY missed DESC, q.category",
            params,
        )
        totals = dict(
            con.execute(
                "SELECT q.category, count(*) FROM interview_questions q JOIN interviews i"
                " ON i.id = q.interview_id JOIN companies c ON c.id = i.company_id"
                f" WHERE {_RESEARCH} " + where + " GROUP BY q.category",
                params,
            ).fetchall()
        )
    return [
        MissedCategory(m["category"], m["missed"], m["questions"], totals.get(m["category"], 0))
        for m in misses
    ]
