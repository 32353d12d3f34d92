"""The culture-profile stage: a company's passages -> stored culture profile.

Recomputed only when the company's passages, the taxonomy or the model change (their hash is
stored with the profile); embeddings come from the cache.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import numpy as np

from fitbrief.config import Settings
from fitbrief.db import Database
from fitbrief.documents import passages_by_company
from fitbrief.embed import Embedder, ProgressFn, embed_texts, get_embedder
from fitbrief.errors import InsufficientData
from fitbrief.textutil import sha256_text
from fitbrief.values import (
    DimensionProfile,
    Taxonomy,
    ValuesClassifier,
    build_classifier,
    build_profile,
    passage_input,
    profile_from_json,
    profile_to_json,
    taxonomy_for,
)

# Bump when build_profile's way of combining evidence changes, so stored profiles are redone.
# 2: a statement repeated within a company counts once.
PROFILE_METHOD = 2

Research = tuple[dict[str, DimensionProfile], list[dict[str, Any]]]


def no_research(company: dict[str, Any]) -> InsufficientData:
    """The error every stage gives for a company with no stored passages (never crawled)."""
    name = company["name"]
    return InsufficientData(
        f"no research stored for {name!r}: run 'fitbrief crawl \"{name}\"' first"
    )


class ValuesEngine:
    """Taxonomy + embedder + classifier, built once per process."""

    def __init__(
        self, settings: Settings, db: Database | None, embedder: Embedder | None = None
    ) -> None:
        self.settings = settings
        self.db = db
        self.embedder = embedder or get_embedder(settings)
        self.taxonomy: Taxonomy = taxonomy_for(settings)
        self.min_probability = float(settings["values"]["min_probability"])
        self.keep = int(settings["values"]["evidence_per_dimension"])
        self._classifier: ValuesClassifier | None = None
        # Told of embedding progress when a call passes none (the CLI shows a bar).
        self.progress: ProgressFn | None = None
        # Vectors already read this process: fit, brief and debrief reuse the profile's.
        self._seen: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str], progress: ProgressFn | None = None) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if missing:
            vectors = embed_texts(self.db, self.embedder, missing, progress or self.progress)
            self._seen.update(zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self._seen[t] for t in texts])

    @property
    def classifier(self) -> ValuesClassifier:
        """Trained once per taxonomy and model, then read back from the database."""
        if self._classifier is None:
            key = sha256_text(
                f"{self.embedder.model_id}|{self._taxonomy_fingerprint}|C={ValuesClassifier.C}"
            )
            self._classifier = self._stored_classifier(key)
            if self._classifier is None:
                self._classifier = build_classifier(self.taxonomy, self.embed)
                self._store_classifier(key, self._classifier)
        return self._classifier

    def _stored_classifier(self, key: str) -> ValuesClassifier | None:
        if self.db is None:
            return None
        with self.db.connect(read_only=True) as con:
            row = con.execute(
                "SELECT classes, coef, intercept FROM classifiers WHERE key = ?", [key]
            ).fetchone()
        if row is None:
            return None
        classes = json.loads(row[0])
        coef = np.frombuffer(row[1], dtype=np.float64).reshape(len(classes), -1)
        return ValuesClassifier(self.taxonomy, classes, coef, np.frombuffer(row[2], np.float64))

    def _store_classifier(self, key: str, classifier: ValuesClassifier) -> None:
        if self.db is None:
            return
        with self.db.connect() as con:
            con.execute(
                "INSERT INTO classifiers (key, classes, coef, intercept) VALUES (?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [
                    key,
                    json.dumps(classifier.classes),
                    classifier.coef.astype(np.float64).tobytes(),
                    classifier.intercept.astype(np.float64).tobytes(),
                ],
            )

    def profile_passages(
        self, passages: list[dict[str, Any]], progress: ProgressFn | None = None
    ) -> dict[str, DimensionProfile]:
        vectors = self.embed(
            [passage_input(p["text"], p.get("heading")) for p in passages], progress
        )
        return build_profile(self.classifier, passages, vectors, self.min_probability, self.keep)

    def company_profile(
        self, company: dict[str, Any], progress: ProgressFn | None = None
    ) -> tuple[dict[str, DimensionProfile], list[dict[str, Any]]]:
        """The stored profile of a company, recomputed when its inputs changed.
        Also returns the company's passages (callers cite them)."""
        return self.company_profiles([company], progress)[company["id"]]

    def company_profiles(
        self, companies: list[dict[str, Any]], progress: ProgressFn | None = None
    ) -> dict[int, tuple[dict[str, DimensionProfile], list[dict[str, Any]]]]:
        """Profiles and passages of several companies: one read for all, and only the
        companies whose passages, taxonomy or model changed are recomputed (then stored)."""
        assert self.db is not None
        ids = [c["id"] for c in companies]
        with self.db.connect(read_only=True) as con:
            passages = passages_by_company(con, ids)
            stored = {
                row[0]: (row[1], row[2])
                for row in con.execute(
                    "SELECT company_id, inputs_hash, profile FROM culture_profiles"
                    " WHERE model = ? AND list_contains(?, company_id)",
                    [self.embedder.model_id, ids],
                ).fetchall()
            }
        result: dict[int, tuple[dict[str, DimensionProfile], list[dict[str, Any]]]] = {}
        stale: list[tuple[int, str]] = []
        for cid in ids:
            if not passages[cid]:  # never crawled: every dimension unknown, nothing to store
                result[cid] = (
                    {d: DimensionProfile(d, None, 0.0, 0, []) for d in self.taxonomy.ids},
                    [],
                )
                continue
            inputs = self._inputs_hash(passages[cid])
            if cid in stored and stored[cid][0] == inputs:
                result[cid] = (profile_from_json(json.loads(stored[cid][1])), passages[cid])
            else:
                stale.append((cid, inputs))
        if not stale:
            return result
        # Embed every stale company's passages in one call: one cache read, full batches.
        self.embed(
            [passage_input(p["text"], p.get("heading")) for cid, _ in stale for p in passages[cid]],
            progress,
        )
        rows = []
        for cid, inputs in stale:
            profile = self.profile_passages(passages[cid])
            result[cid] = (profile, passages[cid])
            rows.append(
                [
                    cid,
                    self.embedder.model_id,
                    inputs,
                    datetime.now(UTC),
                    json.dumps(profile_to_json(profile), default=str),
                ]
            )
        with self.db.connect() as con:
            con.executemany(
                "INSERT INTO culture_profiles VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                " inputs_hash = excluded.inputs_hash, computed_at = excluded.computed_at,"
                " profile = excluded.profile",
                rows,
            )
        return result

    @cached_property
    def _taxonomy_fingerprint(self) -> str:
        return self.taxonomy.fingerprint()

    def _inputs_hash(self, passages: list[dict[str, Any]]) -> str:
        """What a profile depends on: passages (text, kind, heading), taxonomy, decision floor,
        and the method that combines them (a stored profile from an older method is stale)."""
        return sha256_text(
            f"method {PROFILE_METHOD}|"
            + self._taxonomy_fingerprint
            + str(self.min_probability)
            + "|"
            + ",".join(f"{p['sha256']}:{p['kind']}:{p['heading']}" for p in passages)
        )
