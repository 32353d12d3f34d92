"""Preparation: the user's STAR stories checked and matched to questions, and practice answers
scored and stored so progress shows over time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np

from fitbrief.analysis import star
from fitbrief.analysis.stories import (
    Answer,
    AnswerScore,
    Story,
    StoryCheck,
    StoryMatch,
    answer_sentences,
    check_story,
    score_answer,
)
from fitbrief.app import App
from fitbrief.records import Company
from fitbrief.store import practice as practice_store

T = TypeVar("T")


def _regroup(groups: Sequence[Sequence[str]], flat: Sequence[T]) -> list[list[T]]:
    """``flat`` (one result per text of all ``groups`` in order) split back per group."""
    out, start = [], 0
    for group in groups:
        out.append(list(flat[start : start + len(group)]))
        start += len(group)
    return out


def _dimensions(app: App, groups: Sequence[Sequence[str]]) -> list[list[str]]:
    """The value dimensions each group of sentences states, in one classifier pass for all."""
    found = _regroup(groups, app.classify([t for g in groups for t in g]))
    return [list(dict.fromkeys(d for d in ds if d)) for ds in found]


def story_dimensions(app: App, stories: Sequence[Story]) -> list[list[str]]:
    """The values each story shows: the dimensions its sentences are classified as."""
    return _dimensions(app, [s.sentences for s in stories])


def check(app: App, stories: Sequence[Story]) -> list[StoryCheck]:
    """Each story checked: complete, quantified, length, the values it shows, advice."""
    return [check_story(s, d) for s, d in zip(stories, story_dimensions(app, stories), strict=True)]


def similarities(app: App, questions: Sequence[str], stories: Sequence[Story]) -> np.ndarray:
    """Cosine of each question (rows) to each story (columns): to the story's closest part,
    its title or one of its sentences (a story answers a question through one of its
    moments, and a whole story's vector blurs them)."""
    parts = [[s.title, *s.sentences] for s in stories]
    vectors = app.vectors([text for texts in parts for text in texts])
    sims = app.vectors(list(questions)) @ vectors.T
    out = np.empty((len(questions), len(stories)), dtype=np.float32)
    start = 0
    for j, texts in enumerate(parts):
        out[:, j] = sims[:, start : start + len(texts)].max(axis=1)
        start += len(texts)
    return out


def match(app: App, questions: Sequence[str], stories: Sequence[Story]) -> list[StoryMatch | None]:
    """For each question, the most similar story when it reaches ``[stories]
    match_threshold`` (chosen on real STAR examples by bench/bench_star.py), else None."""
    if not questions or not stories:
        return [None] * len(questions)
    threshold = app.settings.stories.match_threshold
    found: list[StoryMatch | None] = []
    for row in similarities(app, questions, stories):
        best = int(np.argmax(row))
        found.append(
            StoryMatch(stories[best].title, round(float(row[best]), 3))
            if row[best] >= threshold
            else None
        )
    return found


def score(
    app: App,
    answers: Sequence[Answer],
    emphasised: set[str],
    time_limit: float,
) -> list[AnswerScore]:
    """Score answers: the STAR part of each sentence, the values they touch (the company's
    stressed values marked with a *), length, time and feedback."""
    groups = [answer_sentences(a.text) for a in answers]
    flat = [t for g in groups for t in g]  # embedded and classified once for all answers
    parts = _regroup(groups, star.parts_of(app.star_model, flat, app.vectors(flat)))
    scored = []
    for answer, sentences, its_parts, found in zip(
        answers, groups, parts, _dimensions(app, groups), strict=True
    ):
        values = [f"{d}*" if d in emphasised else d for d in found]
        scored.append(score_answer(answer, sentences, its_parts, values, time_limit))
    return scored


def record(app: App, company: Company, role: str | None, answers: list[AnswerScore]) -> int:
    """Store a practice run (so interviews and gaps show progress over time); its id."""
    return practice_store.save_run(
        app.db, company.id, datetime.now(UTC), role, [asdict(a) for a in answers]
    )
