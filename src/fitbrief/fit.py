"""The user's values profile, the explainable fit score, and comparison across employers.

Score (0-100): a profile similarity between the user's importances and the company's emphases,
both centred on their scale midpoints (so raising the importance of a dimension the company
emphasises can only raise the fit), over the rated dimensions the company addresses; plus
direct matches of the user's own "wants" and "avoid" statements with company passages; minus
dealbreaker hits.  Dimensions without evidence are unknowns, never matches; with too few known
dimensions the verdict is "insufficient evidence" instead of a score.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from fitbrief.errors import ProfileError
from fitbrief.textutil import read_text_file
from fitbrief.values import DimensionProfile, Taxonomy

PROFILE_TEMPLATE = """\
# Your values profile for fitbrief.  Rate how important each dimension is to you, 1-5
# (leave one out if you have no view).  See `fitbrief values dimensions` for what each means.
name = "Your name"

# What you look for, in your own words: matched against what companies write.
wants = [
  "A team that invests in mentoring and learning",
]
# What you would rather not have.
avoid = [
  "Long hours and weekend work as the norm",
]
# Anything here found in a company's own words is flagged loudly.
dealbreakers = []

[importance]
innovation = 3
agility = 3
collaboration = 4
customer = 3
integrity = 5
respect = 4
inclusion = 3
results = 3
quality = 4
autonomy = 4
growth = 5
rewards = 3
wellbeing = 4
impact = 3
stability = 2
"""


@dataclass
class UserProfile:
    importance: dict[str, int]
    wants: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    dealbreakers: list[str] = field(default_factory=list)
    name: str = ""
    notes: str = ""
    path: str = ""


def _line(text: str, key: str) -> str:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return f":{number}"
    return ""


def load_profile(path: str | Path, taxonomy: Taxonomy) -> UserProfile:
    """Read and validate profile.toml; errors name the file, line and problem."""
    path = Path(path)
    if not path.exists():
        raise ProfileError(
            f"{path}: profile not found (create one with 'fitbrief init' or "
            "'fitbrief profile quiz')"
        )
    text = read_text_file(path, "profile", ProfileError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: syntax error: {exc}") from None
    allowed = {"importance", "wants", "avoid", "dealbreakers", "name", "notes"}
    for key in data:
        if key not in allowed:
            raise ProfileError(
                f"{path}{_line(text, key)}: unknown key '{key}' (expected one of "
                f"{', '.join(sorted(allowed))})"
            )
    importance = data.get("importance", {})
    if not isinstance(importance, dict):
        raise ProfileError(f"{path}: 'importance' must be a table of dimension = 1..5")
    ids = set(taxonomy.ids)
    for dim, value in importance.items():
        if dim not in ids:
            raise ProfileError(
                f"{path}{_line(text, dim)}: unknown dimension '{dim}' (see "
                "'fitbrief values dimensions')"
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ProfileError(
                f"{path}{_line(text, dim)}: importance of '{dim}' must be a whole "
                f"number from 1 to 5, got {value!r}"
            )
    lists = {}
    for key in ("wants", "avoid", "dealbreakers"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ProfileError(f"{path}{_line(text, key)}: '{key}' must be a list of strings")
        lists[key] = [v.strip() for v in value if v.strip()]
    if not importance and not lists["wants"]:
        raise ProfileError(
            f"{path}: the profile is empty: rate at least one dimension in [importance]"
        )
    return UserProfile(
        dict(importance),
        lists["wants"],
        lists["avoid"],
        lists["dealbreakers"],
        str(data.get("name", "")),
        str(data.get("notes", "")),
        str(path),
    )


# ----------------------------------------------------------------------------- the score


@dataclass
class StatementMatch:
    statement: str
    kind: str  # want / avoid / dealbreaker
    similarity: float
    text: str
    url: str
    heading: str
    passage_id: int | None = None


@dataclass
class FitResult:
    company: str
    score: float | None  # None: insufficient evidence
    confidence: float
    verdict: str
    dimensions: list[dict[str, Any]]
    matches: list[dict[str, Any]]
    mismatches: list[dict[str, Any]]
    unknowns: list[dict[str, Any]]
    statements: list[StatementMatch]
    dealbreakers: list[StatementMatch]
    similarity: float | None  # the profile similarity in [-1, 1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "score": self.score,
            "confidence": self.confidence,
            "verdict": self.verdict,
            "similarity": self.similarity,
            "dimensions": self.dimensions,
            "matches": self.matches,
            "mismatches": self.mismatches,
            "unknowns": self.unknowns,
            "statements": [s.__dict__ for s in self.statements],
            "dealbreakers": [s.__dict__ for s in self.dealbreakers],
        }


def statement_matches(
    user: UserProfile,
    statement_vectors: dict[str, np.ndarray],
    passages: list[dict[str, Any]],
    passage_vectors: np.ndarray,
    threshold: float,
) -> list[StatementMatch]:
    """The best company passage for each of the user's statements, where similar enough."""
    found = []
    for kind, statements in (
        ("want", user.wants),
        ("avoid", user.avoid),
        ("dealbreaker", user.dealbreakers),
    ):
        for statement in statements:
            if not len(passages):
                continue
            sims = passage_vectors @ statement_vectors[statement]
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                p = passages[best]
                found.append(
                    StatementMatch(
                        statement,
                        kind,
                        round(float(sims[best]), 3),
                        p["text"],
                        p.get("url") or "",
                        p.get("heading") or "",
                        p.get("id"),
                    )
                )
    return found


_VERDICTS = [(70.0, "strong fit"), (58.0, "good fit"), (45.0, "mixed fit"), (0.0, "poor fit")]


def score_fit(
    company: str,
    user: UserProfile,
    profile: dict[str, DimensionProfile],
    taxonomy: Taxonomy,
    statements: list[StatementMatch],
    min_known: int,
) -> FitResult:
    """Combine the profile similarity, statement matches and dealbreakers into a fit."""
    rated = {d: v for d, v in user.importance.items() if d in profile}
    known = {d: v for d, v in rated.items() if profile[d].emphasis is not None}
    rows, contributions = [], {}
    n = max(1, len(known))
    for dim in taxonomy.ids:
        p = profile.get(dim)
        importance = user.importance.get(dim)
        contribution = None
        if importance is not None and p is not None and p.emphasis is not None:
            centred = (importance - 3) / 2  # -1 .. 1
            contribution = 2 * centred * (p.emphasis - 0.5) / n  # sums to -1 .. 1
            contributions[dim] = contribution
        rows.append(
            {
                "id": dim,
                "name": taxonomy.get(dim).name,
                "importance": importance,
                "emphasis": p.emphasis if p else None,
                "confidence": p.confidence if p else 0.0,
                "evidence_count": p.evidence_count if p else 0,
                "contribution": None if contribution is None else round(50 * 0.8 * contribution, 2),
            }
        )

    def cite(dim: str) -> dict[str, Any]:
        top = profile[dim].evidence[0] if profile[dim].evidence else None
        return {
            "id": dim,
            "name": taxonomy.get(dim).name,
            "importance": user.importance[dim],
            "emphasis": profile[dim].emphasis,
            "evidence": top.__dict__ if top else None,
        }

    matches = [
        cite(d)
        for d in sorted(contributions, key=contributions.__getitem__, reverse=True)
        if contributions[d] > 0
    ]
    mismatches = [
        cite(d)
        for d in sorted(contributions, key=contributions.__getitem__)
        if contributions[d] < 0
    ]
    unknowns = [
        {
            "id": d,
            "name": taxonomy.get(d).name,
            "importance": v,
            "questions": taxonomy.get(d).ask
            or [f"How does the company approach {taxonomy.get(d).name.lower()}?"],
        }
        # Most important first; ties in taxonomy order, so the output never depends on the
        # order the profile file lists its dimensions.
        for d, v in sorted(rated.items(), key=lambda kv: (-kv[1], taxonomy.ids.index(kv[0])))
        if profile[d].emphasis is None and v >= 3
    ]
    dealbreakers = [s for s in statements if s.kind == "dealbreaker"]
    plain = [s for s in statements if s.kind != "dealbreaker"]
    coverage = len(known) / max(1, len(rated))
    confidences = [profile[d].confidence for d in known]
    confidence = round(coverage * (sum(confidences) / len(confidences) if confidences else 0), 3)
    score: float | None = None
    similarity: float | None = None
    verdict = "insufficient evidence"
    if len(known) >= min(min_known, max(1, len(rated))):
        similarity = sum(contributions.values())
        wants = [s for s in plain if s.kind == "want"]
        avoids = [s for s in plain if s.kind == "avoid"]
        statement_term = (len(wants) / max(1, len(user.wants)) if user.wants else 0.0) - (
            len(avoids) / max(1, len(user.avoid)) if user.avoid else 0.0
        )
        raw = 50 + 50 * (0.8 * similarity + 0.2 * statement_term) - 15 * len(dealbreakers)
        score = round(min(100.0, max(0.0, raw)), 1)
        verdict = next(v for floor, v in _VERDICTS if score >= floor)
        if dealbreakers:
            verdict += ", dealbreaker found"
    return FitResult(
        company,
        score,
        confidence,
        verdict,
        rows,
        matches,
        mismatches,
        unknowns,
        plain,
        dealbreakers,
        None if similarity is None else round(similarity, 4),
    )
