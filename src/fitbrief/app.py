"""The one place settings become the things the stages use: the database, the fetch policy,
the taxonomy, the embedder (with its cache) and the values classifier.

Each is built on first use: the model takes seconds to load, and most commands never need it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from fitbrief.config import Settings
from fitbrief.store import Database

if TYPE_CHECKING:  # imported where used: numpy, httpx and the model are slow to import
    from fitbrief.analysis.classifier import TextModel
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
    def classifier_key(self) -> str:
        """What the values classifier depends on: the model, the taxonomy and what it learns
        from (stored profiles depend on it too)."""
        from fitbrief.analysis.values import training_fingerprint

        return f"{self.vectors.model_id}|{training_fingerprint(self.taxonomy)}"

    @cached_property
    def classifier(self) -> ValuesClassifier:
        """Trained once per taxonomy and model, then read back from the database."""
        from fitbrief.analysis.values import ValuesClassifier, build_classifier

        train = lambda: build_classifier(self.taxonomy, self.vectors).model  # noqa: E731
        return ValuesClassifier(self.taxonomy, self.text_model(self.classifier_key, train))

    def classify(self, texts: list[str]) -> list[str | None]:
        """The value dimension each text states, or None (below ``[values] min_probability``
        or no value)."""
        if not texts:
            return []
        floor = self.settings.values.min_probability
        return self.classifier.classify(self.vectors(texts), texts, floor)

    @cached_property
    def star_model(self) -> TextModel:
        """Which STAR part a sentence is: trained once, then read back from the database."""
        from fitbrief.analysis import star

        key = f"star|{self.vectors.model_id}|{star.training_fingerprint()}"
        return self.text_model(key, lambda: star.train(self.vectors))

    def text_model(self, key: str, train: Callable[[], TextModel]) -> TextModel:
        """A trained classifier stored under ``key`` (a hash of what it learns from), trained
        with ``train`` the first time and read back from the database after."""
        from fitbrief.analysis.classifier import LexicalModel, TextModel
        from fitbrief.store import research as research_store
        from fitbrief.textutil import sha256_text

        digest = sha256_text(key)
        stored = research_store.load_classifier(self.db, digest)
        if stored is not None:
            lexical = LexicalModel.from_bytes(stored.lexical) if stored.lexical else None
            return TextModel(stored.classes, stored.coef, stored.intercept, lexical, stored.weight)
        model = train()
        research_store.save_classifier(
            self.db,
            digest,
            research_store.StoredClassifier(
                model.classes,
                model.coef,
                model.intercept,
                model.lexical.to_bytes() if model.lexical else None,
                model.lexical_weight,
            ),
        )
        return model
