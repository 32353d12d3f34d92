"""`fitbrief profile quiz`: a short questionnaire modelled on the O*NET Work Importance
Profiler (its 21 need statements, credit USDOL/ETA, CC BY 4.0) plus the dimensions it lacks."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fitbrief.errors import UsageError
from fitbrief.resources import DATA_DIR
from fitbrief.textutil import read_text_file


def quiz_items() -> list[dict[str, Any]]:
    return list(tomllib.loads((DATA_DIR / "quiz.toml").read_text(encoding="utf-8"))["item"])


def read_answers(path: str | Path) -> dict[str, int]:
    """Answers as ``CARD = 1..5`` lines (TOML) or a JSON object of card -> 1..5."""
    path = Path(path)
    text = read_text_file(path, "answers")
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot parse answers: {exc}") from None
    cards = {i["card"] for i in quiz_items()}
    answers = {}
    for card, value in data.items():
        if card not in cards:
            raise UsageError(f"{path}: unknown card {card!r} (cards are A-U and X1-X9)")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise UsageError(f"{path}: card {card} must be a whole number 1-5, got {value!r}")
        answers[card] = value
    return answers


def importance_from_answers(answers: dict[str, int]) -> dict[str, int]:
    """Each dimension's importance: the rounded mean of the answers to its items."""
    sums: dict[str, list[int]] = {}
    for item in quiz_items():
        if item["card"] in answers:
            sums.setdefault(item["dimension"], []).append(answers[item["card"]])
    return {dim: round(sum(v) / len(v) + 1e-9) for dim, v in sums.items()}


def profile_toml(importance: dict[str, int], name: str = "") -> str:
    """A profile.toml for the answers.  Top-level keys come before the [importance] table:
    in TOML, a key written after a table header belongs to that table."""
    lines = [
        "# Written by `fitbrief profile quiz` (items from the O*NET Work Importance Profiler,",
        "# USDOL/ETA, CC BY 4.0, plus fitbrief's own).  Edit freely.",
        f"name = {json.dumps(name)}",
        "",
        "# What you look for and would rather not have, in your own words; dealbreakers are",
        "# flagged loudly when a company's own words match them.",
        "wants = []",
        "avoid = []",
        "dealbreakers = []",
        "",
        "[importance]",
    ]
    lines += [f"{dim} = {value}" for dim, value in sorted(importance.items())]
    return "\n".join(lines) + "\n"


def run_quiz(ask: Callable[[str], int]) -> dict[str, int]:
    """Ask every item through ``ask`` (returns 1-5) and return the answers by card."""
    return {item["card"]: ask(item["statement"]) for item in quiz_items()}
