"""What the analysis keeps: passages as research, the embedding cache, culture profiles and
the trained values classifier.

Embeddings are keyed by (model id, sha256 of the text): nothing is embedded twice, across
runs and companies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import numpy as np

from fitbrief.records import Passage
from fitbrief.store.database import Database, fetch_dicts
from fitbrief.store.pages import ExtractedPage, encode_body, save_extracted
from fitbrief.textutil import sha256_text


def passages_by_company(db: Database, company_ids: Sequence[int]) -> dict[int, list[Passage]]:
    """Passages of several companies in one query (``compare`` reads hundreds at once)."""
    with db.connect(read_only=True) as con:
        return _passages(con, company_ids)


def _passages(
    con: duckdb.DuckDBPyConnection, company_ids: Sequence[int]
) -> dict[int, list[Passage]]:
    rows = fetch_dicts(
        con,
        """
        SELECT p.company_id, s.id, s.heading, s.text, s.sha256,
               coalesce(p.final_url, p.url) AS url, d.title, d.kind, d.published,
               p.fetched_at
        FROM passages s JOIN pages p ON p.id = s.page_id JOIN documents d ON d.page_id = p.id
        WHERE p.company_id IN (SELECT unnest(?::INTEGER[]))
        ORDER BY p.company_id, s.page_id, s.position
        """,
        [list(company_ids)],
    )
    result: dict[int, list[Passage]] = {cid: [] for cid in company_ids}
    for r in rows:
        result[r["company_id"]].append(
            Passage(
                text=r["text"],
                heading=r["heading"] or "",
                url=r["url"] or "",
                kind=r["kind"] or "other",
                id=r["id"],
                title=r["title"] or "",
                published=r["published"],
                fetched_at=r["fetched_at"],
                sha256=r["sha256"],
            )
        )
    return result


# ----------------------------------------------------------------------------- embeddings


def cached_vectors(db: Database, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
    """The stored vectors of the given text hashes (those not stored are absent)."""
    import pyarrow as pa

    with db.connect(read_only=True) as con:
        con.register("wanted", pa.table({"sha256": list(keys)}))
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


def store_vectors(db: Database, model_id: str, keys: Sequence[str], vectors: np.ndarray) -> None:
    """Store vectors under their text hashes (a hash stored already is left alone)."""
    import pyarrow as pa

    batch = pa.table(
        {
            "model": [model_id] * len(keys),
            "sha256": list(keys),
            "vector": pa.array(list(vectors.astype(np.float32)), type=pa.list_(pa.float32())),
        }
    )
    with db.connect() as con:
        con.register("batch", batch)
        con.execute(
            "INSERT INTO embeddings SELECT model, sha256, vector FROM batch ON CONFLICT DO NOTHING"
        )


# ----------------------------------------------------------------------------- profiles


@dataclass
class StoredProfile:
    inputs_hash: str
    profile: dict[str, Any]  # the profile's JSON form (analysis.culture reads it)


def research_rows(
    db: Database, model_id: str, company_ids: Sequence[int]
) -> tuple[dict[int, list[Passage]], dict[int, StoredProfile]]:
    """Passages and stored culture profiles of several companies, read together."""
    with db.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT company_id, inputs_hash, profile FROM culture_profiles"
            " WHERE model = ? AND list_contains(?, company_id)",
            [model_id, list(company_ids)],
        ).fetchall()
        passages = _passages(con, company_ids)
    profiles = {cid: StoredProfile(digest, json.loads(data)) for cid, digest, data in rows}
    return passages, profiles


def save_profiles(
    db: Database, model_id: str, profiles: dict[int, StoredProfile], now: datetime
) -> None:
    if not profiles:
        return
    with db.connect() as con:
        con.executemany(
            "INSERT INTO culture_profiles VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
            " inputs_hash = excluded.inputs_hash, computed_at = excluded.computed_at,"
            " profile = excluded.profile",
            [
                [cid, model_id, p.inputs_hash, now, json.dumps(p.profile, default=str)]
                for cid, p in profiles.items()
            ],
        )


# ----------------------------------------------------------------------------- classifier


@dataclass
class StoredClassifier:
    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    lexical: bytes | None  # the word model, as analysis.classifier.LexicalModel wrote it
    weight: float = 0.5  # the word model's share of the probabilities


def load_classifier(db: Database, key: str) -> StoredClassifier | None:
    """A stored classifier, or None."""
    with db.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT classes, coef, intercept, lexical FROM classifiers WHERE key = ?", [key]
        ).fetchall()
    if not rows:
        return None
    meta = json.loads(rows[0][0])  # {"classes": [...], "weight": w}
    classes, weight = meta["classes"], float(meta["weight"])
    coef = np.frombuffer(rows[0][1], dtype=np.float64).reshape(len(classes), -1)
    intercept = np.frombuffer(rows[0][2], dtype=np.float64)
    return StoredClassifier(classes, coef, intercept, rows[0][3], weight)


def save_classifier(db: Database, key: str, classifier: StoredClassifier) -> None:
    with db.connect() as con:
        con.execute(
            "INSERT INTO classifiers (key, classes, coef, intercept, lexical)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                key,
                json.dumps({"classes": classifier.classes, "weight": classifier.weight}),
                np.asarray(classifier.coef, dtype=np.float64).tobytes(),
                np.asarray(classifier.intercept, dtype=np.float64).tobytes(),
                classifier.lexical,
            ],
        )


@dataclass
class SeedPage:
    """A page of research given directly: its passages as (heading, text)."""

    url: str
    kind: str
    title: str
    passages: list[tuple[str, str]]


def seed_research(
    db: Database, pages_by_company: Mapping[int, Sequence[SeedPage]], when: datetime
) -> None:
    """Store research directly, as crawl + extraction would leave it: for tests, benchmarks
    and imports (the crawler stores through PageWriter and extraction)."""
    extracted = []
    with db.connect() as con:
        con.execute("BEGIN TRANSACTION")
        for company_id, pages in pages_by_company.items():
            for page in pages:
                text = "\n\n".join(t for _, t in page.passages)
                digest = sha256_text(text)
                row = con.execute(
                    "INSERT INTO pages (company_id, url, final_url, status, fetched_at,"
                    " content_type, sha256, body) VALUES (?, ?, ?, 200, ?, 'text/html', ?, ?)"
                    " RETURNING id",
                    [company_id, page.url, page.url, when, digest, encode_body(text)],
                ).fetchone()
                assert row is not None
                extracted.append(
                    ExtractedPage(
                        row[0],
                        digest,
                        page.title,
                        "",
                        "en",
                        "",
                        None,
                        page.kind,
                        1.0,
                        text,
                        [],
                        page.passages,
                    )
                )
        con.execute("COMMIT")
    save_extracted(db, extracted)


class EmbeddingCache:
    """The embedding cache over one database (``analysis.embed.VectorCache``)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def cached_vectors(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return cached_vectors(self.db, model_id, keys)

    def store_vectors(self, model_id: str, keys: Sequence[str], vectors: np.ndarray) -> None:
        store_vectors(self.db, model_id, keys, vectors)
