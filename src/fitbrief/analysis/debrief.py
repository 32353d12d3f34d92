"""Debrief analysis: which interview questions the research covered, what each question was
about, and the lessons feedback points at.

A question is *covered* when a stored passage of the company is similar enough to it; the
threshold comes from ``[debrief] coverage_threshold``, chosen on a labelled development set
by bench/bench_debrief.py (not by eye).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fitbrief.errors import UsageError
from fitbrief.records import Passage
from fitbrief.textutil import read_text_file, truncate

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


def advice_for(category: str) -> tuple[str, str]:
    """(page kind that would have prepared for it, advice) for a question category."""
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


@dataclass
class Lesson:
    """A preparation area the feedback points at, with the sentence that says so."""

    area: str
    feedback: str


def lessons(feedback: str) -> list[Lesson]:
    """Preparation areas the feedback points at, each once, in the order they appear."""
    found: list[Lesson] = []
    for sentence in re.split(r"(?<=[.!?;])\s+", feedback or ""):
        for area, pattern in FEEDBACK_AREAS.items():
            if pattern.search(sentence) and not any(f.area == area for f in found):
                found.append(Lesson(area, sentence.strip()))
    return found


@dataclass
class CoverageEvidence:
    text: str
    url: str
    kind: str
    similarity: float
    passage_id: int | None


@dataclass
class ResearchAdvice:
    page_kind: str
    advice: str


@dataclass
class QuestionCoverage:
    """How the research covered one interview question."""

    question: str
    category: str
    covered: bool
    similarity: float
    evidence: list[CoverageEvidence] = field(default_factory=list)
    research: ResearchAdvice | None = None


def question_coverage(
    questions: Sequence[str],
    passages: Sequence[Passage],
    sims: np.ndarray,
    threshold: float,
) -> list[QuestionCoverage]:
    """Per question (rows of ``sims``, one column per passage): covered or not, the passages
    it rests on, and what to research when it is not covered."""
    rows = []
    for i, question in enumerate(questions):
        order = np.argsort(-sims[i])[:3]
        best = float(sims[i][order[0]])
        covered = best >= threshold
        category = categorize(question)
        kind, advice = advice_for(category)
        evidence = [
            CoverageEvidence(
                truncate(passages[j].text, 240),
                passages[j].url,
                passages[j].kind,
                round(float(sims[i][j]), 3),
                passages[j].id,
            )
            for j in order
            if float(sims[i][j]) >= threshold * 0.85
        ]
        rows.append(
            QuestionCoverage(
                question,
                category,
                covered,
                round(best, 3),
                evidence,
                None if covered else ResearchAdvice(kind, advice),
            )
        )
    return rows
