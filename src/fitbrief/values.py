"""The values taxonomy, passage classification and company culture profiles.

Classification: a logistic-regression classifier trained on the taxonomy's anchor statements
(plus "none" anchors that state no value) gives calibrated per-dimension probabilities for a
passage embedded together with its nearest heading, so "Customer obsession > We start with
the customer" carries its heading's signal.  A company's emphasis on a dimension combines its
evidence by noisy-OR, so a few strong, specific passages count more than many weak ones.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from fitbrief.config import Settings
from fitbrief.errors import ConfigError
from fitbrief.paths import DATA_DIR
from fitbrief.textutil import read_text_file, sha256_text

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
NONE = "none"


@dataclass
class Dimension:
    id: str
    name: str
    description: str
    anchors: list[str]
    questions: list[str] = field(default_factory=list)
    ask: list[str] = field(default_factory=list)
    li2021: list[str] = field(default_factory=list)
    culture500: list[str] = field(default_factory=list)
    onet: list[str] = field(default_factory=list)


@dataclass
class Taxonomy:
    dimensions: list[Dimension]
    none_anchors: list[str]

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    def get(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def fingerprint(self) -> str:
        return sha256_text(
            json.dumps([d.__dict__ for d in self.dimensions] + self.none_anchors, sort_keys=True)
        )[:12]


# What a user's extension file may say about a built-in dimension: more examples and questions,
# never a new name or description (ids and names are stable; reports depend on them).
_EXTENDABLE = ("anchors", "questions", "ask")
_TEXT_LISTS = ("anchors", "questions", "ask", "li2021", "culture500", "onet")


def load_taxonomy(extra: str | Path | None = None) -> Taxonomy:
    """The shipped taxonomy, extended by a user file (new dimensions or more anchors)."""
    data = tomllib.loads((DATA_DIR / "taxonomy.toml").read_text(encoding="utf-8"))
    dims = {d["id"]: Dimension(**d) for d in data["dimension"]}
    none = list(data.get("none", {}).get("anchors", []))
    if extra:
        path = Path(extra)
        text = read_text_file(path, "taxonomy extension", ConfigError)
        try:
            more = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: cannot read taxonomy extension: {exc}") from None
        for position, d in enumerate(more.get("dimension", []), 1):
            _check_extension(path, position, d, d.get("id") in dims)
            if d["id"] in dims:
                for key in _EXTENDABLE:
                    getattr(dims[d["id"]], key).extend(d.get(key, []))
            else:
                dims[d["id"]] = Dimension(**d)
        extra_none = more.get("none", {}).get("anchors", [])
        if not _is_text_list(extra_none):
            raise ConfigError(f"{path}: [none] anchors must be a list of strings")
        none.extend(extra_none)
    return Taxonomy(list(dims.values()), none)


def taxonomy_for(settings: Settings) -> Taxonomy:
    """The taxonomy the settings name: the shipped one plus ``[values] taxonomy_extra``."""
    return load_taxonomy(settings["values"].get("taxonomy_extra") or None)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_extension(path: Path, position: int, d: Any, built_in: bool) -> None:
    """One clear error per mistake in a user's [[dimension]] entry (named by id or position)."""
    where = f"{path}: [[dimension]] {d.get('id') or f'#{position}'}"
    if not isinstance(d.get("id"), str) or not d["id"].strip():
        raise ConfigError(f"{path}: [[dimension]] #{position} has no id")
    allowed = {"id", *_EXTENDABLE} if built_in else {"id", "name", "description", *_TEXT_LISTS}
    unknown = sorted(set(d) - allowed)
    if unknown:
        why = (
            "a built-in dimension can only gain " + ", ".join(_EXTENDABLE)
            if built_in
            else "allowed: " + ", ".join(sorted(allowed))
        )
        raise ConfigError(f"{where}: unexpected key {unknown[0]!r} ({why})")
    if not built_in:
        for key in ("name", "description"):
            if not isinstance(d.get(key), str) or not d[key].strip():
                raise ConfigError(f"{where}: a new dimension needs a {key}")
        if not d.get("anchors"):
            raise ConfigError(f"{where}: a new dimension needs anchors (example statements)")
    for key in _TEXT_LISTS:
        if key in d and not _is_text_list(d[key]):
            raise ConfigError(f"{where}: {key} must be a list of non-empty strings")


def passage_input(text: str, heading: str | None) -> str:
    """What is embedded for a passage: its nearest heading, then its text."""
    last = (heading or "").split(" > ")[-1].strip()
    return f"{last}: {text}" if last and last.lower() not in text.lower()[:80] else text


class ValuesClassifier:
    """Calibrated per-dimension probabilities for embedded passages.

    A multinomial logistic regression: trained with scikit-learn (``train``), applied with
    numpy from its weights, so a stored classifier needs neither the import nor the training.
    """

    # Strong regularisation would flatten the probabilities.  6-fold cross-validation on the
    # anchors themselves (never on evaluation data) gives macro-F1 0.73-0.75 for any C from 1
    # to 100, so C=10 sits on a plateau.  Balanced: every dimension has a fair prior.
    C = 10.0

    def __init__(
        self, taxonomy: Taxonomy, classes: list[str], coef: np.ndarray, intercept: np.ndarray
    ) -> None:
        self.taxonomy = taxonomy
        self.classes = classes
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)

    @classmethod
    def train(
        cls, taxonomy: Taxonomy, anchor_vectors: np.ndarray, none_vectors: np.ndarray
    ) -> ValuesClassifier:
        from sklearn.linear_model import LogisticRegression

        labels = [d.id for d in taxonomy.dimensions for _ in d.anchors] + [NONE] * len(none_vectors)
        features = (
            np.vstack([anchor_vectors, none_vectors]) if len(none_vectors) else anchor_vectors
        )
        model = LogisticRegression(C=cls.C, max_iter=2000, class_weight="balanced")
        model.fit(features, labels)
        return cls(taxonomy, list(model.classes_), model.coef_, model.intercept_)

    @cached_property
    def _columns(self) -> list[int]:
        return [self.classes.index(d) for d in self.taxonomy.ids]

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, dimensions) probabilities in taxonomy order (the "none" share is the rest)."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.taxonomy.ids)))
        logits = np.asarray(vectors, dtype=np.float64) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs[:, self._columns]

    @staticmethod
    def decide(probs: np.ndarray, min_probability: float) -> list[int | None]:
        """Per row, the index of the most probable dimension, or None when "none" (the rest of
        the probability) is more probable or the best is below the floor.

        Why "none" is a class rather than an absolute cut-off: with 16 classes trained on a few
        anchors each, a real value statement's top probability is typically 0.15-0.4, so a high
        absolute threshold abstains on most of them; "none" competing directly keeps addresses,
        product specs and news out while letting value statements through.
        """
        result: list[int | None] = []
        for row in probs:
            best = int(np.argmax(row))
            p = float(row[best])
            result.append(best if p >= min_probability and p > 1.0 - float(row.sum()) else None)
        return result

    def classify(self, vectors: np.ndarray, min_probability: float) -> list[str | None]:
        """Top dimension per vector, or None when the vector states no value."""
        return self.labels(self.probabilities(vectors), min_probability)

    def labels(self, probs: np.ndarray, min_probability: float) -> list[str | None]:
        """``classify`` for probabilities already computed (callers that also show them)."""
        ids = self.taxonomy.ids
        return [None if best is None else ids[best] for best in self.decide(probs, min_probability)]


def build_classifier(taxonomy: Taxonomy, embed: Any) -> ValuesClassifier:
    """Train the classifier; ``embed`` maps a list of texts to vectors (cached by the caller)."""
    anchors = [a for d in taxonomy.dimensions for a in d.anchors]
    vectors = embed(anchors + taxonomy.none_anchors)
    return ValuesClassifier.train(taxonomy, vectors[: len(anchors)], vectors[len(anchors) :])


# ----------------------------------------------------------------------------- profiles


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


def build_profile(
    classifier: ValuesClassifier,
    passages: Sequence[dict[str, Any]],
    vectors: np.ndarray,
    min_probability: float,
    keep: int = 5,
) -> dict[str, DimensionProfile]:
    """A company's culture profile from its passages (dicts with text, heading, url, kind)."""
    probs = classifier.probabilities(vectors)
    ids = classifier.taxonomy.ids
    per_dim: dict[str, list[Evidence]] = {d: [] for d in ids}
    decisions = classifier.decide(probs, min_probability)
    for passage, row, best in zip(passages, probs, decisions, strict=True):
        if best is None:
            continue
        p = float(row[best])
        kind = passage.get("kind") or "other"
        weight = KIND_WEIGHT.get(kind, 0.5)
        if weight <= 0:
            continue
        dim = ids[best]
        per_dim[dim].append(
            Evidence(
                passage["text"],
                passage.get("heading") or "",
                passage.get("url") or "",
                kind,
                p,
                weight,
                passage.get("id"),
                passage.get("title") or "",
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


def profile_to_json(profile: dict[str, DimensionProfile]) -> dict[str, Any]:
    return {
        "dimensions": {
            dim: {
                "emphasis": p.emphasis,
                "confidence": p.confidence,
                "evidence_count": p.evidence_count,
                "evidence": [e.__dict__ for e in p.evidence],
            }
            for dim, p in profile.items()
        }
    }


def profile_from_json(data: dict[str, Any]) -> dict[str, DimensionProfile]:
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
