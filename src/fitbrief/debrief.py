"""Debriefs: which interview questions the research covered, lessons from feedback, and
progress across interviews.

A question is *covered* when a stored passage of the company is similar enough to it; the
threshold comes from ``[debrief] coverage_threshold``, chosen on a labelled development set
by bench/bench_debrief.py (not by eye).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from fitbrief.culture import ValuesEngine, no_research
from fitbrief.db import fetch_dicts
from fitbrief.errors import AlreadyExists, UsageError
from fitbrief.textutil import read_text_file, sha256_text, truncate
from fitbrief.values import passage_input

OUTCOMES = ("rejected", "offer", "pending", "withdrew")

# Category -> (cue pattern, the kind of page that would have prepared for it, advice).
CATEGORIES: list[tuple[str, re.Pattern[str], str, str]] = [
    (
        "motivation",
        re.compile(
            r"\bwhy (?:do you want|us|this|our|join|are you interested)|"
            r"what (?:attracts|draws|interests) you|why .* (?:company|role|"
            r"position|team)\b",
            re.I,
        ),
        "about",
        "Read the About and mission pages and prepare a specific 'why us'.",
    ),
    (
        "recent news",
        re.compile(
            r"\b(recent|latest|news|announce|launch|acquisition|funding|"
            r"raised|this year|last quarter|press)\b",
            re.I,
        ),
        "press",
        "Read the newsroom, press releases and the last few blog posts.",
    ),
    (
        "values/culture",
        re.compile(
            r"\b(values?|culture|mission|principles?|believe|"
            r"diversity|inclusion|environment you thrive)\b",
            re.I,
        ),
        "values",
        "Read the values / culture page and map each value to a story of yours.",
    ),
    (
        "behavioral",
        re.compile(
            r"\b(tell me about a time|describe a (?:time|situation)|give me "
            r"an example|how did you handle|a time when|conflict|failure|"
            r"mistake|disagree)\b",
            re.I,
        ),
        "values",
        "Prepare STAR stories for the values the company stresses.",
    ),
    (
        "products",
        re.compile(
            r"\b(product|products|service|platform|feature|customers? use|"
            r"pricing|competitor|market)\b",
            re.I,
        ),
        "product",
        "Read the product pages and try the product if you can.",
    ),
    (
        "logistics",
        re.compile(
            r"\b(salary|compensation|notice period|start date|relocat|visa|"
            r"remote|on-?site|travel|availability|expectations)\b",
            re.I,
        ),
        "careers",
        "Read the careers page and the posting's location, salary and benefits.",
    ),
    (
        "role/technical",
        re.compile(
            r"\b(design|implement|algorithm|architecture|code|system|"
            r"database|api|scale|debug|sql|python|experience with|"
            r"technical|model|data)\b",
            re.I,
        ),
        "job",
        "Re-read the posting's requirements and prepare examples for each.",
    ),
    (
        "company knowledge",
        re.compile(
            r"\b(company|know about us|our (?:business|history|"
            r"founders?|team)|who we are|what we do|founded)\b",
            re.I,
        ),
        "about",
        "Read the About, history and team pages.",
    ),
]
FEEDBACK_AREAS: dict[str, re.Pattern[str]] = {
    "company research": re.compile(
        r"research|didn'?t know|unfamiliar|about (?:us|the company)|"
        r"our product|prepared|preparation|mission",
        re.I,
    ),
    "communication": re.compile(
        r"communicat|clear|concise|rambl|articulat|listen|explain|"
        r"confiden|nervous|verbose",
        re.I,
    ),
    "STAR structure": re.compile(
        r"example|specific|structure|story|stories|concrete|star|"
        r"vague|generic|result",
        re.I,
    ),
    "technical depth": re.compile(
        r"technical|depth|system design|coding|algorithm|"
        r"experience with|skills?|knowledge of|architecture",
        re.I,
    ),
    "cultural fit": re.compile(
        r"culture|fit|values|team player|collaborat|motivation|"
        r"passion|enthusias|attitude",
        re.I,
    ),
}


def categorize(question: str) -> str:
    """The first matching category (order encodes precedence), else role/technical."""
    for name, pattern, _, _ in CATEGORIES:
        if pattern.search(question):
            return name
    return "role/technical"


def _advice(category: str) -> tuple[str, str]:
    for name, _, kind, advice in CATEGORIES:
        if name == category:
            return kind, advice
    return "job", "Re-read the posting."


def read_questions(path: str | Path) -> list[str]:
    """One question per line; blank lines and # comments ignored."""
    path = Path(path)
    text = read_text_file(path, "questions")
    questions = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > 1000:  # binary input is refused by read_text_file
            raise UsageError(f"{path}:{number}: not a question (over 1000 characters)")
        questions.append(line)
    if not questions:
        raise UsageError(f"{path}: no questions found (one per line; # starts a comment)")
    return questions


def lessons(feedback: str) -> list[dict[str, str]]:
    """Preparation areas the feedback points at, with the sentence that says so."""
    found: list[dict[str, str]] = []
    for sentence in re.split(r"(?<=[.!?;])\s+", feedback or ""):
        for area, pattern in FEEDBACK_AREAS.items():
            if pattern.search(sentence) and not any(f["area"] == area for f in found):
                found.append({"area": area, "feedback": sentence.strip()})
    return found


@dataclass
class Interview:
    company: dict[str, Any]
    questions: list[str]
    outcome: str
    when: date
    role: str | None = None
    feedback: str | None = None


def question_similarities(
    engine: ValuesEngine, questions: list[str], passages: list[dict[str, Any]]
) -> np.ndarray:
    """(questions, passages) cosine similarities; a question is covered when its best passage
    reaches ``[debrief] coverage_threshold`` (calibrated by bench/bench_debrief.py)."""
    # The same input the culture profile embedded: cached, so nothing is embedded twice.
    pvec = engine.embed([passage_input(p["text"], p.get("heading")) for p in passages])
    return engine.embed(questions) @ pvec.T


def gap_report(engine: ValuesEngine, interview: Interview) -> dict[str, Any]:
    """Per question: category, covered, evidence and what to research."""
    _, passages = engine.company_profile(interview.company)
    if not passages:  # a clear message, never "nothing covered"
        raise no_research(interview.company)
    threshold = float(engine.settings["debrief"]["coverage_threshold"])
    sims = question_similarities(engine, interview.questions, passages)
    rows: list[dict[str, Any]] = []
    used: dict[str, int] = {}
    for i, question in enumerate(interview.questions):
        order = np.argsort(-sims[i])[:3]
        best = float(sims[i][order[0]])
        covered = best >= threshold
        category = categorize(question)
        kind, advice = _advice(category)
        evidence = [
            {
                "text": truncate(passages[j]["text"], 240),
                "url": passages[j]["url"],
                "kind": passages[j]["kind"],
                "similarity": round(float(sims[i][j]), 3),
                "passage_id": passages[j]["id"],
            }
            for j in order
            if float(sims[i][j]) >= threshold * 0.85
        ]
        if covered:
            used[passages[order[0]]["url"]] = used.get(passages[order[0]]["url"], 0) + 1
        rows.append(
            {
                "question": question,
                "category": category,
                "covered": covered,
                "similarity": round(best, 3),
                "evidence": evidence,
                "research": None if covered else {"page_kind": kind, "advice": advice},
            }
        )
    share = sum(r["covered"] for r in rows) / len(rows)
    return {
        "company": interview.company["name"],
        "date": interview.when.isoformat(),
        "role": interview.role,
        "outcome": interview.outcome,
        "covered_share": round(share, 3),
        "threshold": threshold,
        "questions": rows,
        "research_used": [
            {"url": u, "questions": n} for u, n in sorted(used.items(), key=lambda kv: -kv[1])
        ],
        "lessons": lessons(interview.feedback or ""),
    }


def record(engine: ValuesEngine, interview: Interview, force: bool = False) -> dict[str, Any]:
    """Store an interview and its gap report; the same debrief twice needs ``force``."""
    assert engine.db is not None
    if interview.outcome not in OUTCOMES:
        raise UsageError(f"unknown outcome {interview.outcome!r} (one of {', '.join(OUTCOMES)})")
    report = gap_report(engine, interview)
    digest = sha256_text("\n".join(interview.questions))
    with engine.db.connect() as con:
        dup = con.execute(
            "SELECT id FROM interviews WHERE company_id = ? AND date = ? AND questions_hash = ?",
            [interview.company["id"], interview.when, digest],
        ).fetchone()
        if dup and not force:
            raise AlreadyExists(
                f"this debrief ({interview.company['name']}, {interview.when}) is stored already "
                f"as interview {dup[0]}; use --force to replace it"
            )
        con.execute("BEGIN TRANSACTION")
        if dup:
            con.execute("DELETE FROM interview_questions WHERE interview_id = ?", [dup[0]])
            con.execute("DELETE FROM interviews WHERE id = ?", [dup[0]])
        row = con.execute(
            "INSERT INTO interviews (company_id, date, role, outcome, feedback, questions_hash,"
            " covered_share, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                interview.company["id"],
                interview.when,
                interview.role,
                interview.outcome,
                interview.feedback,
                digest,
                report["covered_share"],
                json.dumps(report),
            ],
        ).fetchone()
        assert row is not None
        con.executemany(
            "INSERT INTO interview_questions VALUES (?, ?, ?, ?, ?, ?)",
            [
                [row[0], i, q["question"], q["category"], q["covered"], q["similarity"]]
                for i, q in enumerate(report["questions"])
            ],
        )
        con.execute("COMMIT")
    report["interview_id"] = row[0]
    return report


def history(engine_db: Any, company: str | None = None) -> list[dict[str, Any]]:
    """Stored interviews, oldest first."""
    where, params = "", []
    if company:
        where, params = "WHERE c.name_key = ?", [company.strip().lower()]
    with engine_db.connect(read_only=True) as con:
        return fetch_dicts(
            con,
            "SELECT i.id, c.name AS company, i.date, i.role, i.outcome, i.covered_share,"
            " (SELECT count(*) FROM interview_questions q WHERE q.interview_id = i.id)"
            " AS questions, i.feedback FROM interviews i JOIN companies c ON c.id = i.company_id "
            + where
            + " ORDER BY i.date, i.id",
            params,
        )


def gaps(db: Any, company: str | None = None) -> dict[str, Any]:
    """Recurring uncovered categories, outcomes over time, the covered-share trend, next steps."""
    interviews = history(db, company)
    where, params = "", []
    if company:
        where, params = "AND c.name_key = ?", [company.strip().lower()]
    with db.connect(read_only=True) as con:
        misses = fetch_dicts(
            con,
            "SELECT q.category, count(*) AS missed, list(q.question) AS questions"
            " FROM interview_questions q JOIN interviews i ON i.id = q.interview_id"
            " JOIN companies c ON c.id = i.company_id WHERE NOT q.covered "
            + where
            + " GROUP BY q.category ORDER BY missed DESC, q.category",
            params,
        )
        totals = dict(
            con.execute(
                "SELECT q.category, count(*) FROM interview_questions q JOIN interviews i"
                " ON i.id = q.interview_id JOIN companies c ON c.id = i.company_id WHERE true "
                + where
                + " GROUP BY q.category",
                params,
            ).fetchall()
        )
    steps = []
    for miss in misses:
        kind, advice = _advice(miss["category"])
        steps.append(
            {
                "category": miss["category"],
                "missed": miss["missed"],
                "asked": totals.get(miss["category"], miss["missed"]),
                "page_kind": kind,
                "advice": advice,
            }
        )
    shares = [i["covered_share"] for i in interviews if i["covered_share"] is not None]
    trend = None
    if len(shares) >= 2:
        trend = round(float(np.polyfit(range(len(shares)), shares, 1)[0]), 3)
    outcomes: dict[str, int] = {}
    for i in interviews:
        outcomes[i["outcome"]] = outcomes.get(i["outcome"], 0) + 1
    return {
        "interviews": interviews,
        "recurring_gaps": misses,
        "next_steps": steps,
        "covered_trend_per_interview": trend,
        "outcomes": outcomes,
    }
