"""The explainable fit score between a user's values profile and a company's culture profile.

Score (0-100): a profile similarity between the user's importances (1-5, centred on 3) and
the company's emphases (its share of value text against a typical company's: share / (share
+ typical), 0.5 for a typical company), so raising the importance of a dimension the company emphasises more than typical can
only raise the fit; over the rated dimensions the company's text lets us judge; plus direct
matches of the user's own "wants" and "avoid" statements with company passages; minus
dealbreaker hits.  Unknown dimensions never count; with too few known dimensions the verdict is
"insufficient evidence" instead of a score.

Listed as matches: dimensions the user rates 4-5 that the company emphasises (with its
strongest statement).  Listed as mismatches: dimensions the user rates 4-5 that the company
addresses markedly less than a typical company with enough value text to judge ("low"), and
dimensions the user rates 1-2 that the company stresses far more than typical; a mismatch
states its basis in numbers and quotes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from fitbrief.analysis.culture import CultureProfile, Evidence
from fitbrief.analysis.taxonomy import Taxonomy
from fitbrief.analysis.userprofile import UserProfile
from fitbrief.records import Passage


@dataclass
class StatementMatch:
    """The company passage closest to one of the user's own statements."""

    statement: str
    kind: str  # want / avoid / dealbreaker
    similarity: float
    text: str
    url: str
    heading: str
    passage_id: int | None = None


@dataclass
class DimensionFit:
    """One dimension of the fit: the user's importance beside the company's emphasis."""

    id: str
    name: str
    importance: int | None
    emphasis: float | None
    confidence: float
    evidence_count: int
    contribution: float | None  # points of the score (None: not rated or unknown)


@dataclass
class ValueFit:
    """A dimension that raises (match) or lowers (mismatch) the fit, with what it rests on:
    a match quotes the company's strongest statement of it; a mismatch never quotes (a quote
    would support the dimension) and says its basis in numbers instead."""

    id: str
    name: str
    importance: int
    emphasis: float | None
    evidence: Evidence | None
    status: str = ""
    basis: str = ""


@dataclass
class Unknown:
    """A dimension the user rated that the company's pages never address."""

    id: str
    name: str
    importance: int
    questions: list[str]


@dataclass
class FitResult:
    company: str
    score: float | None  # None: insufficient evidence
    confidence: float
    verdict: str
    dimensions: list[DimensionFit]
    matches: list[ValueFit]
    mismatches: list[ValueFit]
    unknowns: list[Unknown]
    statements: list[StatementMatch]
    dealbreakers: list[StatementMatch]
    similarity: float | None  # the profile similarity in [-1, 1]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        order = ["company", "score", "confidence", "verdict", "similarity", "dimensions"]
        return {k: data[k] for k in order} | {k: v for k, v in data.items() if k not in order}


def statement_matches(
    user: UserProfile,
    statement_vectors: dict[str, np.ndarray],
    passages: Sequence[Passage],
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
                        p.text,
                        p.url,
                        p.heading,
                        p.id,
                    )
                )
    return found


# A dimension a user rates 1-2 counts as a mismatch when the company's emphasis reaches this:
# a share of its value text four times a typical company's.
STRESSED = 0.8
# The score blends the profile similarity and the user's own statements in these weights (the
# per-dimension points shown use the first, so they add up to the similarity part).
SIMILARITY_WEIGHT = 0.8
_VERDICTS = [(70.0, "strong fit"), (58.0, "good fit"), (45.0, "mixed fit"), (0.0, "poor fit")]


def score_fit(
    company: str,
    user: UserProfile,
    profile: CultureProfile,
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
            DimensionFit(
                dim,
                taxonomy.get(dim).name,
                importance,
                p.emphasis if p else None,
                p.confidence if p else 0.0,
                p.evidence_count if p else 0,
                None if contribution is None else round(50 * SIMILARITY_WEIGHT * contribution, 2),
            )
        )

    def listed(dim: str, quote: bool) -> ValueFit:
        p = profile[dim]
        top = p.evidence[0] if quote and p.evidence else None
        return ValueFit(
            dim, taxonomy.get(dim).name, user.importance[dim], p.emphasis, top, p.status, p.basis
        )

    matches = [
        listed(d, quote=True)
        for d in sorted(contributions, key=contributions.__getitem__, reverse=True)
        if contributions[d] > 0 and user.importance[d] >= 4 and profile[d].status == "emphasised"
    ]
    mismatches = [
        listed(d, quote=False)
        for d in sorted(contributions, key=contributions.__getitem__)
        if contributions[d] < 0
        and (
            (user.importance[d] >= 4 and profile[d].status == "low")
            or (user.importance[d] <= 2 and (profile[d].emphasis or 0) >= STRESSED)
        )
    ]
    unknowns = [
        Unknown(
            d,
            taxonomy.get(d).name,
            v,
            taxonomy.get(d).ask
            or [f"How does the company approach {taxonomy.get(d).name.lower()}?"],
        )
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
        raw = (
            50
            + 50 * (SIMILARITY_WEIGHT * similarity + (1 - SIMILARITY_WEIGHT) * statement_term)
            - 15 * len(dealbreakers)
        )
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
