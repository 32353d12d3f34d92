"""Company culture profiles: per dimension an emphasis, a confidence and the evidence
passages, from a company's classified passages.

A company's emphasis on a dimension combines its evidence by noisy-OR, so a few strong,
specific passages count more than many weak ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from fitbrief.analysis.values import ValuesClassifier
from fitbrief.records import Passage
from fitbrief.textutil import sha256_text

# Bump when build_profile's way of combining evidence changes, so stored profiles are redone.
# 2: a statement repeated within a company counts once.
PROFILE_METHOD = 2

# How much a passage on each kind of page says about the company's culture.
KIND_WEIGHT = {
    "values": 1.0,
    "about": 0.85,
    "careers": 0.85,
    "team": 0.7,
    "home": 0.7,
    "post": 0.55,
    "press": 0.45,
    "job": 0.6,
    "product": 0.35,
    "other": 0.5,
    "legal": 0.0,
    "text": 0.8,
}


@dataclass
class Evidence:
    text: str
    heading: str
    url: str
    kind: str
    probability: float
    weight: float
    passage_id: int | None = None
    title: str = ""


@dataclass
class DimensionProfile:
    id: str
    emphasis: float | None  # None: the company never addresses it (unknown)
    confidence: float
    evidence_count: int
    evidence: list[Evidence]


Profile = dict[str, DimensionProfile]


def empty_profile(dimension_ids: Sequence[str]) -> Profile:
    """A profile with every dimension unknown (a company never crawled)."""
    return {d: DimensionProfile(d, None, 0.0, 0, []) for d in dimension_ids}


def build_profile(
    classifier: ValuesClassifier,
    passages: Sequence[Passage],
    vectors: np.ndarray,
    min_probability: float,
    keep: int = 5,
) -> Profile:
    """A company's culture profile from its passages and their vectors."""
    probs = classifier.probabilities(vectors)
    ids = classifier.taxonomy.ids
    per_dim: dict[str, list[Evidence]] = {d: [] for d in ids}
    decisions = classifier.decide(probs, min_probability)
    for passage, row, best in zip(passages, probs, decisions, strict=True):
        if best is None:
            continue
        p = float(row[best])
        kind = passage.kind or "other"
        weight = KIND_WEIGHT.get(kind, 0.5)
        if weight <= 0:
            continue
        dim = ids[best]
        per_dim[dim].append(
            Evidence(
                passage.text,
                passage.heading,
                passage.url,
                kind,
                p,
                weight,
                passage.id,
                passage.title,
            )
        )
    profile = {}
    for dim in ids:
        evidence = _distinct(
            sorted(per_dim[dim], key=lambda e: e.probability * e.weight, reverse=True)
        )
        if not evidence:
            profile[dim] = DimensionProfile(dim, None, 0.0, 0, [])
            continue
        # Noisy-OR over the strongest pieces: a few strong, specific passages dominate, and
        # many weak mentions cannot add up to a strong emphasis.
        miss = 1.0
        for e in evidence[:8]:
            miss *= 1.0 - 0.9 * e.probability * e.weight
        emphasis = 1.0 - miss
        spread = len({e.url for e in evidence})
        confidence = 1.0 - math.exp(-(len(evidence) + 2 * (spread - 1)) / 3.0)
        profile[dim] = DimensionProfile(
            dim, round(emphasis, 4), round(confidence, 3), len(evidence), evidence[:keep]
        )
    return profile


def _distinct(evidence: list[Evidence]) -> list[Evidence]:
    """Drop a statement that repeats a stronger one (a standfirst repeated in the body, a
    footer on every page): said twice, it is still one piece of evidence."""
    kept: list[Evidence] = []
    seen: list[str] = []
    for e in evidence:
        key = " ".join(e.text.lower().split())
        if any(key in other or other in key for other in seen):
            continue
        kept.append(e)
        seen.append(key)
    return kept


def inputs_hash(
    passages: Sequence[Passage], taxonomy_fingerprint: str, min_probability: float
) -> str:
    """What a profile depends on: passages (text, kind, heading), taxonomy, decision floor,
    and the method that combines them (a stored profile from an older method is stale)."""
    return sha256_text(
        f"method {PROFILE_METHOD}|"
        + taxonomy_fingerprint
        + str(min_probability)
        + "|"
        + ",".join(f"{p.sha256}:{p.kind}:{p.heading}" for p in passages)
    )


def profile_to_json(profile: Profile) -> dict[str, Any]:
    return {
        "dimensions": {
            dim: {
                "emphasis": p.emphasis,
                "confidence": p.confidence,
                "evidence_count": p.evidence_count,
                "evidence": [asdict(e) for e in p.evidence],
            }
            for dim, p in profile.items()
        }
    }


def profile_from_json(data: dict[str, Any]) -> Profile:
    return {
        dim: DimensionProfile(
            dim,
            d["emphasis"],
            d["confidence"],
            d["evidence_count"],
            [Evidence(**e) for e in d["evidence"]],
        )
        for dim, d in data["dimensions"].items()
    }
