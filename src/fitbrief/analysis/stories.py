"""The user's STAR stories (``stories.toml``) and their practice answers: reading them with
clear errors, checking them (complete, quantified, how long), and the parts of an answer
found sentence by sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fitbrief.errors import UsageError
from fitbrief.textutil import sentences, squash
from fitbrief.tomlfile import entries_where, line_of, read_toml, where

PARTS = ("situation", "task", "action", "result")
# Fewer words than this and a part is too thin to count ("Results were good.").
MIN_PART_WORDS = 6
# Speaking pace for the time estimate: a calm interview pace, words per minute.
WORDS_PER_MINUTE = 140

STORIES_TEMPLATE = """\
# Your STAR stories for fitbrief: the situations you will draw on in interviews.  Each story
# has the four STAR parts; fitbrief matches them to each company's likely questions
# (`fitbrief brief`), checks them (`fitbrief stories check`) and shows which questions you
# were asked that no story answers (`fitbrief debrief`).  Say what changed, by how much.

[[story]]
title = "Cut the deploy time of a legacy service"
situation = "Our payments service took 45 minutes to deploy, so releases were batched weekly and risky."
task = "As the engineer on call for releases, I had to make deploys small and safe enough to ship daily."
action = "I split the build into cached stages, added a canary step with automatic rollback, and paired with two teammates so they could run it."
result = "Deploys fell to 8 minutes, we shipped daily within a month, and failed releases dropped from 6 to 1 a quarter."
tags = ["ownership", "speed", "quality"]
role = "Backend engineer"
date = "2025-03"
"""

_QUANTIFIED = re.compile(
    r"\d|%|\bpercent\b|\b(?:doubled|tripled|halved|twice|half|tenfold)\b|"
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|dozens?|hundreds?|thousands?|millions?|billions?)\b|"
    r"\b(?:thirds?|quarters?|fifths?|tenths?)\b",
    re.I,
)
_I = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b", re.I)
_WE = re.compile(r"\b(?:we|we're|we've|we'd|we'll|us|our|ours|ourselves)\b", re.I)


@dataclass
class Story:
    title: str
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    tags: list[str] = field(default_factory=list)
    role: str = ""
    date: str = ""

    def part(self, name: str) -> str:
        return str(getattr(self, name))

    @property
    def text(self) -> str:
        return " ".join(self.part(p) for p in PARTS if self.part(p))

    @property
    def sentences(self) -> list[str]:
        """The story's sentences, part by part (a part without a full stop is still its own
        sentence, never run into the next part)."""
        return [s for p in PARTS for s in answer_sentences(self.part(p))]


def words(text: str) -> int:
    return len(re.findall(r"\b[\w'’-]+\b", text))


def is_quantified(text: str) -> bool:
    """The text states a measurable outcome: a number, a share, a multiple."""
    return bool(_QUANTIFIED.search(text))


def load_stories(path: str | Path) -> list[Story]:
    """Read stories.toml; errors name the file, the line and the problem."""
    path = Path(path)
    if not path.exists():
        raise UsageError(
            f"{path}: stories file not found (write one with 'fitbrief init', or give --stories)"
        )
    data, text = read_toml(path, "stories")
    unknown = sorted(set(data) - {"story"})
    if unknown:
        at = where(path, line_of(text, unknown[0]))
        raise UsageError(f"{at}: unknown key '{unknown[0]}' (stories are [[story]] tables)")
    raw = data.get("story", [])
    if not isinstance(raw, list) or not raw:
        raise UsageError(f"{path}: no stories found (each starts with a [[story]] line)")
    allowed = {"title", *PARTS, "tags", "role", "date"}
    stories: list[Story] = []
    for item, at in zip(raw, entries_where(path, text, "story", len(raw)), strict=True):
        stories.append(_story(item, allowed, at))
    titles = [s.title.lower() for s in stories]
    for index, title in enumerate(titles):
        if title in titles[:index]:
            raise UsageError(f"{path}: two stories are titled {stories[index].title!r}")
    return stories


def _story(item: Any, allowed: set[str], at: str) -> Story:
    if not isinstance(item, dict):
        raise UsageError(f"{at}: a [[story]] must be a table")
    extra = sorted(set(item) - allowed)
    if extra:
        raise UsageError(
            f"{at}: unknown key '{extra[0]}' in [[story]] (allowed: "
            + ", ".join(sorted(allowed))
            + ")"
        )
    for key in ("title", *PARTS, "role", "date"):
        if key in item and not isinstance(item[key], str):
            raise UsageError(f"{at}: '{key}' must be text, got {item[key]!r}")
    if not str(item.get("title", "")).strip():
        raise UsageError(f"{at}: a story needs a title")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise UsageError(f"{at}: 'tags' must be a list of text")
    if not any(str(item.get(p, "")).strip() for p in PARTS):
        raise UsageError(f"{at}: story {item['title']!r} has no situation, task, action or result")

    def part(name: str) -> str:
        return squash(str(item.get(name, "")))

    return Story(
        item["title"].strip(),
        situation=part("situation"),
        task=part("task"),
        action=part("action"),
        result=part("result"),
        tags=[t.strip() for t in tags if t.strip()],
        role=part("role"),
        date=part("date"),
    )


@dataclass
class StoryMatch:
    """The story best fitted to a question, and how close it is (cosine)."""

    title: str
    similarity: float


@dataclass
class StoryCheck:
    """What a story has and lacks, and what to do about it."""

    title: str
    complete: bool
    missing: list[str]
    quantified: bool
    words: int
    dimensions: list[str]
    advice: list[str]


def check_story(story: Story, dimensions: list[str]) -> StoryCheck:
    """Check a story: every STAR part there and not too thin, a measurable result, a length
    that can be told in two minutes; ``dimensions``: the values it shows (classified)."""
    missing = [p for p in PARTS if words(story.part(p)) < MIN_PART_WORDS]
    quantified = is_quantified(story.result)
    total = words(story.text)
    advice = [
        f"{p}: {'missing' if not story.part(p) else 'too thin'}: {_PART_ADVICE[p]}" for p in missing
    ]
    if story.result and not quantified:
        advice.append("result: say what changed and by how much (a number, a share, a time)")
    if total > 2 * WORDS_PER_MINUTE:
        advice.append(f"{total} words is over two minutes spoken: cut the situation short")
    if _I.search(story.action) is None and _WE.search(story.action):
        advice.append("action: say what *you* did, not only what the team did")
    return StoryCheck(story.title, not missing, missing, quantified, total, dimensions, advice)


_PART_ADVICE = {
    "situation": "set the scene in a sentence or two: where, when, what was at stake",
    "task": "say what you were responsible for or asked to achieve",
    "action": "say the steps you took yourself, in order",
    "result": "say what changed because of it, with a number if you can",
}


# ----------------------------------------------------------------------------- practice


@dataclass
class Answer:
    question: str
    text: str
    seconds: float | None = None  # time taken to answer (interactive practice)


def read_practice_answers(path: str | Path) -> list[Answer]:
    """Practice answers: TOML ``[[answer]]`` tables with ``question`` and ``text``."""
    path = Path(path)
    data, text = read_toml(path, "answers")
    raw = data.get("answer")
    if not isinstance(raw, list) or not raw:
        raise UsageError(f"{path}: no answers found (each is an [[answer]] with question and text)")
    answers = []
    for item, at in zip(raw, entries_where(path, text, "answer", len(raw)), strict=True):
        if not isinstance(item, dict):
            raise UsageError(f"{at}: an [[answer]] must be a table")
        extra = sorted(set(item) - {"question", "text"})
        if extra:
            raise UsageError(f"{at}: unknown key '{extra[0]}' (an answer has question, text)")
        for key in ("question", "text"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise UsageError(f"{at}: an answer needs a '{key}' (text)")
        answers.append(Answer(squash(item["question"]), item["text"].strip()))
    return answers


def answer_sentences(text: str) -> list[str]:
    """An answer's sentences (lines count as breaks: people type them)."""
    found: list[str] = []
    for line in text.splitlines():
        found += [s for s in sentences(line.strip()) if words(s) >= 2]
    return found


@dataclass
class AnswerScore:
    """One practice answer, scored."""

    question: str
    star: dict[str, bool]
    parts: list[str]  # the STAR part of each sentence
    words: int
    speaking_seconds: int
    seconds: float | None
    over_time: bool
    quantified: bool
    i_share: float | None  # "I" among "I" and "we" (None when neither is said)
    values: list[str]
    feedback: list[str]


def score_answer(
    answer: Answer,
    sentences: list[str],
    parts: list[str],
    values: list[str],
    time_limit: float,
) -> AnswerScore:
    """Score an answer from its sentences (``answer_sentences``), the STAR part of each
    (``parts``) and the values it touches."""
    star = {p: p in parts for p in PARTS}
    count = words(answer.text)
    speaking = round(count / WORDS_PER_MINUTE * 60)
    taken = answer.seconds if answer.seconds is not None else speaking
    result_text = " ".join(s for s, p in zip(sentences, parts, strict=True) if p == "result")
    quantified = is_quantified(result_text) if result_text else False
    mine, ours = len(_I.findall(answer.text)), len(_WE.findall(answer.text))
    i_share = round(mine / (mine + ours), 2) if mine + ours else None
    feedback = [f"no {p}: {_PART_ADVICE[p]}" for p in PARTS if not star[p]]
    if star["result"] and not quantified:
        feedback.append("the result has no number: say what changed, by how much")
    if i_share is not None and i_share < 0.4:
        feedback.append("mostly 'we': say what you did yourself")
    if taken > time_limit:
        feedback.append(
            f"{taken:.0f} s is over the {time_limit:.0f} s limit: tighten the situation"
        )
    if count < 60:
        feedback.append(f"{count} words is short for a behavioural answer: aim for 150-300")
    return AnswerScore(
        answer.question,
        star,
        parts,
        count,
        speaking,
        answer.seconds,
        taken > time_limit,
        quantified,
        i_share,
        values,
        feedback,
    )
