"""Company culture profiles: for each dimension, how much of the company's own value text is
about it, read against how much a typical company says (as Culture 500 and Li et al. 2021
score firms against other firms), with the passages it rests on.

Only the company's own voice counts.  Set aside before classification: lines of job postings
(except a posting's "About us" or "Our culture" section), requirement and qualification
lines, reported speech and news about others, legal pages, and text in a language the model
does not read (counted as "not analysed (language)").  The rest is classified; a passage that
states a value is a *value passage*.  On a values page, a short heading is a value the company
names, and its paragraph weighs more.

Per dimension, the company's *share* (the weighted fraction of its value passages that are
about it) is read against a typical company's share (``data/norms.json``): the *emphasis* is
share / (share + typical), 0.5 for a typical company.  A dimension the company never addresses
is *unknown* unless there is enough value text to say it is addressed markedly less than by a
typical company: then it is *low*, the only status a mismatch may rest on, and the judgement
names its basis ("0 of 240 value passages; a typical company 3.1 %"), never a quote.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import numpy as np

from fitbrief.analysis.values import ValuesClassifier, not_a_value
from fitbrief.records import Passage, nearest_heading
from fitbrief.textutil import sha256_text, squash

# Bump when build_profile's way of combining evidence changes, so stored profiles are redone.
# 2: a statement repeated within a company counts once.
# 3: own voice only; shares against norms; values-page headings are named values.
PROFILE_METHOD = 3

# How much a passage on each kind of page says about the company's culture.
KIND_WEIGHT = {
    "values": 1.0,
    "about": 0.85,
    "careers": 0.85,
    "text": 0.85,  # a local file given to `values profile`
    "team": 0.7,
    "home": 0.7,
    "post": 0.5,
    "job": 0.6,  # only a posting page's "About us" / "Our culture" sections are read
    "other": 0.5,
    "product": 0.3,
    "press": 0.3,
    "legal": 0.0,
}
# A value the company names (a short heading on its values, about or careers page) with its
# paragraph: the company's own statement of what it stands for.
NAMED_VALUE_WEIGHT = 3.0
_NAMED_KINDS = {"values", "about", "careers", "text"}
_CULTURE_HEADING = re.compile(
    r"\b(about us|about the company|who we are|our (?:culture|values|mission|story)|"
    r"why (?:join|work)|life at|working at|what we offer|benefits|perks)\b",
    re.I,
)
# Set by hand, then checked on the dev organisations (not swept): below these, "says little"
# flagged dimensions the dev companies name as values.
MIN_VALUE_PASSAGES = 20  # value text needed before a silence counts as "low"
LOW_EMPHASIS = 0.2  # at or below (a share under a quarter of a typical company's): "low"
MIN_EVIDENCE_WEIGHT = 0.3  # a company with less weighted value text than this: insufficient


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
    named: bool = False  # stated as a named value (a values-page heading)


@dataclass
class DimensionProfile:
    id: str
    emphasis: float | None  # share / (share + typical); 0.5: as a typical company; None: unknown
    confidence: float
    evidence_count: int
    evidence: list[Evidence]
    share: float = 0.0  # weighted fraction of the company's value passages about it
    status: str = "unknown"  # emphasised / mentioned / low / unknown
    basis: str = ""  # what the judgement rests on, in words


@dataclass
class CultureProfile(Mapping[str, DimensionProfile]):
    """Per dimension a DimensionProfile (a mapping by dimension id), plus how much of the
    company's text could be read as its own statements of value."""

    dimensions: dict[str, DimensionProfile]
    passages: int = 0  # passages read
    value_passages: int = 0  # passages that state a value of the company
    set_aside: dict[str, int] = field(default_factory=dict)  # why others were not read

    def __getitem__(self, key: str) -> DimensionProfile:
        return self.dimensions[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.dimensions)

    def __len__(self) -> int:
        return len(self.dimensions)

    @property
    def insufficient(self) -> bool:
        return self.value_passages == 0

    def emphasised(self) -> set[str]:
        """The dimensions the company stresses (more than a typical company)."""
        return {d for d, p in self.dimensions.items() if p.status == "emphasised"}

    def ranked(self) -> list[DimensionProfile]:
        """Dimensions with evidence, most emphasised first (emphasis, then share)."""
        known = [p for p in self.dimensions.values() if p.evidence_count]
        return sorted(known, key=lambda p: (-(p.emphasis or 0.0), -p.share, p.id))


# ----------------------------------------------------------------------------- norms


@dataclass(frozen=True)
class Norms:
    """How much of a typical company's value text is about each dimension: the pooled share
    over reference companies (``data/norms.json``, built by bench/build_norms.py; numbers
    only, no text)."""

    companies: int
    value_passages: int
    typical: dict[str, float]  # pooled share of value text about each dimension

    def typical_share(self, dimension: str) -> float:
        # A dimension of a user's extension has no norm: an even share of the dimensions.
        return self.typical.get(dimension) or 1 / (len(self.typical) + 1)

    def emphasis(self, dimension: str, share: float) -> float:
        """share / (share + typical): 0.5 for a typical company, 0 for silence, towards 1
        as the company says far more about it than a typical company."""
        typical = self.typical_share(dimension)
        return share / (share + typical) if share > 0 else 0.0


@cache
def load_norms() -> Norms:
    from fitbrief.resources import DATA_DIR

    data = json.loads((DATA_DIR / "norms.json").read_text(encoding="utf-8"))
    return Norms(
        data["companies"],
        data["value_passages"],
        {d: v["typical"] for d, v in data["dimensions"].items()},
    )


# ----------------------------------------------------------------------------- profiles


def set_aside_reason(passage: Passage) -> str | None:
    """Why a passage is not read as the company's statement of value, or None."""
    kind = passage.kind or "other"
    if KIND_WEIGHT.get(kind, 0.5) <= 0:
        return "legal"
    if kind == "job" and not _CULTURE_HEADING.search(passage.heading):
        return "posting"
    return not_a_value(f"{passage.heading}: {passage.text}" if passage.heading else passage.text)


def is_named_value(passage: Passage) -> bool:
    """A short heading on a values, about or careers page: a value the company names."""
    last = nearest_heading(passage.heading)
    return (
        (passage.kind or "") in _NAMED_KINDS
        and 0 < len(last) <= 60
        and len(last.split()) <= 6
        and not last.endswith("?")
    )


def empty_profile(dimension_ids: Sequence[str]) -> CultureProfile:
    """A profile with every dimension unknown (a company never crawled)."""
    return CultureProfile({d: DimensionProfile(d, None, 0.0, 0, []) for d in dimension_ids})


def build_profile(
    classifier: ValuesClassifier,
    passages: Sequence[Passage],
    vectors: np.ndarray,
    texts: Sequence[str],
    min_probability: float,
    keep: int = 5,
    norms: Norms | None = None,
) -> CultureProfile:
    """A company's culture profile from its passages, their vectors and the texts embedded."""
    norms = norms or load_norms()
    ids = classifier.taxonomy.ids
    set_aside: dict[str, int] = {}
    readable = []
    for i, passage in enumerate(passages):
        reason = set_aside_reason(passage)
        if reason:
            set_aside[reason] = set_aside.get(reason, 0) + 1
        else:
            readable.append(i)
    probs = classifier.probabilities(vectors[readable], [texts[i] for i in readable])
    decisions = classifier.decide(probs, min_probability)
    per_dim: dict[str, list[Evidence]] = {d: [] for d in ids}
    for i, row, best in zip(readable, probs, decisions, strict=True):
        if best is None:
            continue
        passage = passages[i]
        named = is_named_value(passage)
        weight = KIND_WEIGHT.get(passage.kind or "other", 0.5) * (
            NAMED_VALUE_WEIGHT if named else 1
        )
        per_dim[ids[best]].append(
            Evidence(
                passage.text,
                passage.heading,
                passage.url,
                passage.kind or "other",
                float(row[best]),
                weight,
                passage.id,
                passage.title,
                named,
            )
        )
    evidence = {
        d: _distinct(sorted(per_dim[d], key=lambda e: e.probability * e.weight, reverse=True))
        for d in ids
    }
    value_passages = sum(len(e) for e in evidence.values())
    total = sum(e.weight * e.probability for es in evidence.values() for e in es)
    # How well the company's own value text lets anything be judged.
    coverage = 1.0 - math.exp(-value_passages / 15.0)
    if total < MIN_EVIDENCE_WEIGHT:  # no value text to judge anything by
        unknown = {
            d: DimensionProfile(d, None, 0.0, 0, [], 0.0, "unknown", "no value text") for d in ids
        }
        return CultureProfile(unknown, len(passages), value_passages, set_aside)
    enough = value_passages >= MIN_VALUE_PASSAGES  # enough to call a dimension low
    profile = {}
    for d in ids:
        found = evidence[d]
        share = sum(e.weight * e.probability for e in found) / total
        typical = norms.typical_share(d)
        said = (
            f"{len(found)} of {value_passages} value passages ({share:.1%} of the weight); "
            f"a typical company {typical:.1%}"
        )
        emphasis = norms.emphasis(d, share)
        if found:
            spread = len({e.url for e in found})
            confidence = coverage * (1.0 - math.exp(-(len(found) + 2 * (spread - 1)) / 3.0))
            status = "emphasised" if emphasis >= 0.5 else "mentioned"
            if enough and emphasis <= LOW_EMPHASIS:
                status = "low"
            profile[d] = DimensionProfile(
                d,
                round(emphasis, 4),
                round(confidence, 3),
                len(found),
                found[:keep],
                round(share, 4),
                status,
                said,
            )
        elif enough:  # silent, with enough value text to judge: addressed less than typical
            profile[d] = DimensionProfile(d, 0.0, round(coverage, 3), 0, [], 0.0, "low", said)
        else:
            basis = f"too little value text to judge ({value_passages})"
            profile[d] = DimensionProfile(d, None, 0.0, 0, [], 0.0, "unknown", basis)
    return CultureProfile(profile, len(passages), value_passages, set_aside)


def _distinct(evidence: list[Evidence]) -> list[Evidence]:
    """Drop a statement that repeats a stronger one (a standfirst repeated in the body, a
    footer on every page): said twice, it is still one piece of evidence."""
    kept: list[Evidence] = []
    seen: list[str] = []
    for e in evidence:
        key = squash(e.text.lower())
        if any(key in other or other in key for other in seen):
            continue
        kept.append(e)
        seen.append(key)
    return kept


def inputs_hash(passages: Sequence[Passage], classifier_key: str, min_probability: float) -> str:
    """What a profile depends on: passages (text, kind, heading), the classifier (its model,
    taxonomy and training rows), decision floor, norms, and the method that combines them (a
    stored profile from an older method is stale)."""
    norms = load_norms()
    return sha256_text(
        f"method {PROFILE_METHOD}|norms {norms.value_passages}:{sorted(norms.typical.items())}|"
        + classifier_key
        + str(min_probability)
        + "|"
        + ",".join(f"{p.sha256}:{p.kind}:{p.heading}" for p in passages)
    )


def profile_to_json(profile: CultureProfile) -> dict[str, Any]:
    return {
        "passages": profile.passages,
        "value_passages": profile.value_passages,
        "set_aside": profile.set_aside,
        "dimensions": {
            dim: {
                "emphasis": p.emphasis,
                "confidence": p.confidence,
                "evidence_count": p.evidence_count,
                "share": p.share,
                "status": p.status,
                "basis": p.basis,
                "evidence": [asdict(e) for e in p.evidence],
            }
            for dim, p in profile.items()
        },
    }


def profile_from_json(data: dict[str, Any]) -> CultureProfile:
    return CultureProfile(
        {
            dim: DimensionProfile(
                dim,
                d["emphasis"],
                d["confidence"],
                d["evidence_count"],
                [Evidence(**e) for e in d["evidence"]],
                d.get("share", 0.0),
                d.get("status", "unknown"),
                d.get("basis", ""),
            )
            for dim, d in data["dimensions"].items()
        },
        data.get("passages", 0),
        data.get("value_passages", 0),
        data.get("set_aside", {}),
    )
