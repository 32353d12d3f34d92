"""The one place settings become the things the stages use: the database, the fetch policy,
the taxonomy, the embedder (with its cache) and the values classifier.

Each is built on first use: the model takes seconds to load, and most commands never need it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from fitbrief.config import Settings
from fitbrief.store import Database

if TYPE_CHECKING:  # imported where used: numpy, httpx and the model are slow to import
    from fitbrief.analysis.embed import Embedder, ProgressFn, Vectors
    from fitbrief.analysis.taxonomy import Taxonomy
    from fitbrief.analysis.values import ValuesClassifier
    from fitbrief.net.http import FetchPolicy


class App:
    """Settings turned into resources, each built once per process."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder
        self._progress = progress

    @cached_property
    def db(self) -> Database:
        return Database(self.settings.database, self.settings.storage.busy_timeout)

    @cached_property
    def fetch_policy(self) -> FetchPolicy:
        from fitbrief.net.http import FetchPolicy

        return FetchPolicy.from_settings(self.settings.crawl)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        from fitbrief.analysis.taxonomy import taxonomy_for

        return taxonomy_for(self.settings.values)

    @cached_property
    def vectors(self) -> Vectors:
        """Text -> vectors through the database's embedding cache."""
        from fitbrief.analysis.embed import Vectors, get_embedder
        from fitbrief.store.research import EmbeddingCache

        embedder = self._embedder or get_embedder(self.settings.embed)
        return Vectors(embedder, EmbeddingCache(self.db), self._progress)

    @cached_property
    def classifier(self) -> ValuesClassifier:
        """Trained once per taxonomy and model, then read back from the database."""
        from fitbrief.analysis.values import (
            LexicalModel,
            ValuesClassifier,
            build_classifier,
            training_fingerprint,
        )
        from fitbrief.store import research as research_store
        from fitbrief.textutil import sha256_text

        key = sha256_text(f"{self.vectors.model_id}|{training_fingerprint(self.taxonomy)}")
        stored = research_store.load_classifier(self.db, key)
        if stored is not None and stored.lexical is not None:
            lexical = LexicalModel.from_bytes(stored.lexical)
            return ValuesClassifier(
                self.taxonomy, stored.classes, stored.coef, stored.intercept, lexical
            )
        classifier = build_classifier(self.taxonomy, self.vectors)
        research_store.save_classifier(
            self.db,
            key,
            research_store.StoredClassifier(
                classifier.classes,
                classifier.coef,
                classifier.intercept,
                classifier.lexical.to_bytes() if classifier.lexical else None,
            ),
        )
        return classifier
