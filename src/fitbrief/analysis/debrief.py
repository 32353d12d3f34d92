"""Debrief analysis: which interview questions the research covered, what each question was
about, and the lessons feedback points at.

A question is *covered* when a sentence of the company's research says something about it
(``[debrief] coverage_threshold``) and every specific object it names (a product, technology
or programme: "Kubernetes operators") is in the research; *partly* when only its topic is
there (``[debrief] topic_threshold``); *not* otherwise.  Questions about the candidate are
*about you*: preparation, not research.  The coverage threshold is chosen on the dev split of
a labelled set of real questions against real research by bench/bench_debrief.py --choose; the
topic threshold (partly against not, which that benchmark does not score) is set by hand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fitbrief.analysis.stories import StoryMatch
from fitbrief.errors import UsageError
from fitbrief.records import Passage, nearest_heading
from fitbrief.textutil import read_text_file, sentences, truncate

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


# Questions about the candidate: their stories, skills, plans and exercises.  Research on the
# company cannot answer them; they are preparation, kept apart from research gaps.
_ABOUT_YOU = re.compile(
    r"\b(?:tell me about (?:a time|yourself|your)|(?:describe|speak about|talk about) (?:a|an) "
    r"(?:time|situation|moment|project|occasion)|a time when you|give (?:me )?an example|"
    r"share an example|walk me through (?:your|a time)|have you (?:ever|had)|how have you|"
    r"what would you|how would you|how did you|what did you|if you could|imagine you|"
    r"what do you think you|how do you (?:handle|deal|cope|react|respond|stay|keep up|"
    r"motivate|prioriti[sz]e|learn|grow|give|receive|take)|"
    r"(?:what|which) (?:is|was|are|were) your (?:experience|strengths?|weakness(?:es)?|"
    r"background|greatest|biggest|proudest|ideal|salary|expectations|career|goals?|"
    r"previous|current|last)|your (?:experience|strengths?|weakness(?:es)?|background|resume|"
    r"résumé|cv|salary expectations)|why (?:are|did) you (?:leav|look|want to leave)|why "
    r"should we hire you|where do you see yourself|what motivates you|what are you (?:most )?"
    r"proud|what makes you|are you (?:comfortable|familiar|willing)|disagree with you|"
    r"(?:that|what) you can teach|what happens when you|what is the difference between|"
    r"explain (?:what|how|the)|write (?:a|an|code)|implement (?:a|an)|design (?:a|an)\b)",
    re.I,
)
# "What is DevOps?", "What is CI/CD?": a knowledge check of the candidate.
_DEFINITION = re.compile(r"^what (?:is|are) (?:a |an |the )?[\w/+.-]+\??$", re.I)
# Words that shape a question but name nothing an answer must state.
_SCAFFOLD = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "her",
        "here",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "company",
        "team",
        "teams",
        "work",
        "working",
        "job",
        "role",
        "like",
        "look",
        "describe",
        "tell",
        "think",
        "typical",
        "way",
        "ways",
        "use",
        "used",
        "get",
        "make",
        "much",
        "many",
        "well",
        "also",
        "really",
        "know",
        "want",
        "one",
        "day",
        "days",
        "people",
        "person",
    ]
)
_CAPITALISED = re.compile(
    r"(?<![.!?]\s)(?<!^)\b([A-Z][A-Za-z0-9+#.-]*[A-Za-z0-9+#])(?:\s+([a-z]{3,}))?"
)
_DIGITS = re.compile(r"\b\w*\d\w*\b")


def is_about_you(question: str) -> bool:
    """True when the question asks about the candidate (stories, skills, plans, exercises)."""
    asks_you = _ABOUT_YOU.search(question) or _DEFINITION.match(question.strip())
    return bool(asks_you) and not re.search(
        r"\bwhy (?:do you want to|would you) (?:work|join)|\bwhy (?:us|here)\b", question, re.I
    )


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ers", "er", "ed",
                   "es", "s"):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def specific_terms(question: str, company: str = "") -> list[str]:
    """The question's specific object, when it names one: proper names and technologies
    (capitalised words after the first, with the noun that follows them: "Kubernetes
    operators") and anything with digits ("Series B", "SOC 2", "401k").  The company's own
    name is not specific: every page carries it."""
    own = {_stem(w) for w in re.findall(r"\w+", company)}
    found: list[str] = []
    for match in _CAPITALISED.finditer(question):
        name, noun = match.groups()
        if name.lower() in _SCAFFOLD or _stem(name) in own:
            continue  # the company's own name, or "I"/"What" and the like
        found.append(name)
        if noun and noun not in _SCAFFOLD:
            found.append(noun)  # "Kubernetes operators": the name and what of it
    found += [w for w in _DIGITS.findall(question) if _stem(w) not in own]
    return list(dict.fromkeys(found))


def word_stems(text: str) -> set[str]:
    """The stems of the words of ``text`` (stemmed once, then looked up per term)."""
    return {_stem(w) for w in re.findall(r"[\w+#.-]+", text.lower())}


def present(term: str, stems: set[str]) -> bool:
    """``term`` (or its stem) is a word of the text whose ``word_stems`` these are."""
    stem = _stem(term)
    return stem in stems or any(s.startswith(stem) for s in stems)


@dataclass
class CoverageEvidence:
    """A passage a judgement rests on, with the sentence that matched the question best."""

    text: str
    url: str
    kind: str
    similarity: float
    passage_id: int | None
    sentence: str = ""


@dataclass
class ResearchAdvice:
    page_kind: str
    advice: str


# The four answers to "did the research cover this question?"
COVERED, PARTLY, NOT, ABOUT_YOU = "covered", "partly", "not", "about you"


@dataclass
class QuestionCoverage:
    """How the research covered one interview question, and what the judgement rests on."""

    question: str
    category: str
    coverage: str  # covered / partly / not / about you
    covered: bool  # coverage == "covered"
    similarity: float  # the best sentence's cosine to the question
    evidence: list[CoverageEvidence] = field(default_factory=list)
    research: ResearchAdvice | None = None
    terms_matched: list[str] = field(default_factory=list)
    terms_missing: list[str] = field(default_factory=list)
    story: StoryMatch | None = None  # for a question about you: the story that answers it


@dataclass(frozen=True)
class Sentences:
    """The research split into sentences (with their passage's heading), for matching a
    question to the sentence that answers it rather than to a long passage's average."""

    texts: list[str]
    owner: list[int]  # index of the passage each sentence comes from

    @classmethod
    def of(cls, passages: Sequence[Passage]) -> Sentences:
        texts, owner = [], []
        for i, p in enumerate(passages):
            heading = nearest_heading(p.heading)
            for sentence in sentences(p.text) or [p.text]:
                if len(sentence.split()) >= 3:
                    texts.append(f"{heading}: {sentence}" if heading else sentence)
                    owner.append(i)
        return cls(texts, owner)


def question_coverage(
    questions: Sequence[str],
    passages: Sequence[Passage],
    units: Sentences,
    sims: np.ndarray,
    cover: float,
    topic: float,
    company: str = "",
) -> list[QuestionCoverage]:
    """Per question (rows of ``sims``, one column per sentence of ``units``): covered when
    a sentence says something about it (cosine >= ``cover``) and every specific object it
    names is in the research; partly when the topic is there (cosine >= ``topic``) but not
    that; not otherwise.  Questions about the candidate are "about you", not research."""
    research_stems = word_stems(" ".join(f"{p.heading} {p.text}" for p in passages))
    rows = []
    for i, question in enumerate(questions):
        category = categorize(question)
        kind, advice = advice_for(category)
        if is_about_you(question):
            rows.append(QuestionCoverage(question, category, ABOUT_YOU, False, 0.0))
            continue
        row = sims[i] if len(units.texts) else np.zeros(1)
        order: list[int] = [int(j) for j in np.argsort(-row)[:3]] if len(units.texts) else []
        best = float(row[order[0]]) if len(order) else 0.0
        terms = specific_terms(question, company)
        matched = [t for t in terms if present(t, research_stems)]
        missing = [t for t in terms if t not in matched]
        if best >= cover and not missing:
            coverage = COVERED
        elif best >= topic:
            coverage = PARTLY
        else:
            coverage = NOT
        evidence, seen = [], set()
        for j in order:
            owner = units.owner[int(j)]
            if float(row[j]) < topic or owner in seen:
                continue
            seen.add(owner)
            p = passages[owner]
            evidence.append(
                CoverageEvidence(
                    truncate(p.text, 240),
                    p.url,
                    p.kind,
                    round(float(row[j]), 3),
                    p.id,
                    truncate(units.texts[int(j)], 200),
                )
            )
        rows.append(
            QuestionCoverage(
                question,
                category,
                coverage,
                coverage == COVERED,
                round(best, 3),
                evidence,
                None if coverage == COVERED else ResearchAdvice(kind, advice),
                matched,
                missing,
            )
        )
    return rows
