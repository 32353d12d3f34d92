"""A text classifier from which fitbrief's classifiers are made: a logistic regression over
sentence embeddings averaged with one over words (TF-IDF of words and word pairs).  Trained with
scikit-learn, applied with numpy from stored weights, so a command that only classifies needs
neither the import nor the training."""

from __future__ import annotations

import io
import itertools
import json
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


class LexicalModel:
    """TF-IDF over words and word pairs with a linear layer: the words a statement uses
    ("inclusive", "benefits", "5+ years") add what the sentence embedding smooths over.
    Applied with plain Python and numpy (no scikit-learn needed once trained)."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        stop_words: frozenset[str],
    ) -> None:
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.stop_words = stop_words

    @staticmethod
    def terms(text: str, stop_words: frozenset[str]) -> list[str]:
        words = [w for w in _TOKEN.findall(text.lower()) if w not in stop_words]
        return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]

    def features(self, texts: Sequence[str]) -> list[dict[int, float]]:
        """Sparse rows: sublinear term frequency times idf, L2-normalised."""
        rows = []
        for text in texts:
            counts: dict[int, int] = {}
            for term in self.terms(text, self.stop_words):
                index = self.vocabulary.get(term)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            weights = {i: (1.0 + math.log(c)) * self.idf[i] for i, c in counts.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            rows.append({i: w / norm for i, w in weights.items()})
        return rows

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        out = np.tile(self.intercept, (len(texts), 1))
        for r, row in enumerate(self.features(texts)):
            if row:
                index = np.fromiter(row.keys(), dtype=np.int64)
                weight = np.fromiter(row.values(), dtype=np.float64)
                out[r] += self.coef[:, index] @ weight
        return out

    @classmethod
    def train(
        cls, texts: Sequence[str], labels: Sequence[str], classes: list[str], c: float
    ) -> LexicalModel:
        from scipy.sparse import csr_matrix
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
        from sklearn.linear_model import LogisticRegression

        stop = frozenset(ENGLISH_STOP_WORDS)
        docs = [cls.terms(t, stop) for t in texts]
        vocabulary: dict[str, int] = {}
        df: dict[int, int] = {}
        for doc in docs:
            for term in set(doc):
                index = vocabulary.setdefault(term, len(vocabulary))
                df[index] = df.get(index, 0) + 1
        n = len(docs)
        idf = np.array([math.log((1 + n) / (1 + df[i])) + 1.0 for i in range(len(vocabulary))])
        model = cls(
            vocabulary, idf, np.zeros((len(classes), len(vocabulary))), np.zeros(len(classes)), stop
        )
        rows = model.features(texts)
        indptr: list[int] = [0]
        indices: list[int] = []
        data: list[float] = []
        for row in rows:
            indices.extend(row.keys())
            data.extend(row.values())
            indptr.append(len(indices))
        matrix = csr_matrix((data, indices, indptr), shape=(n, len(vocabulary)))
        fitted = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        fitted.fit(matrix, labels)
        order = [list(fitted.classes_).index(k) for k in classes]
        model.coef = fitted.coef_[order]
        model.intercept = fitted.intercept_[order]
        return model

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez(
            buffer,
            terms=np.array(terms, dtype=str),
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
            stop_words=np.array(sorted(self.stop_words), dtype=str),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LexicalModel:
        arrays = np.load(io.BytesIO(data), allow_pickle=False)
        terms = [str(t) for t in arrays["terms"]]
        return cls(
            {t: i for i, t in enumerate(terms)},
            arrays["idf"],
            arrays["coef"],
            arrays["intercept"],
            frozenset(str(w) for w in arrays["stop_words"]),
        )


class TextModel:
    """Probabilities over ``classes`` for texts and their embeddings."""

    METHOD = "embeddings+words-1"  # bump when training changes, so stored models are redone

    @classmethod
    def fingerprint(cls, tag: str, rows: Any, c: float, lexical_weight: float) -> str:
        """A short hash of what a model learns from (``rows``) and how: the key it is stored
        under, so it is trained again whenever either changes."""
        from fitbrief.textutil import sha256_text

        method = f"{tag}|{cls.METHOD}|C={c}|w={lexical_weight}"
        return sha256_text(json.dumps([method, rows], ensure_ascii=False))[:16]

    def __init__(
        self,
        classes: list[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        lexical: LexicalModel | None = None,
        lexical_weight: float = 0.5,
    ) -> None:
        self.classes = classes
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.lexical = lexical
        self.lexical_weight = lexical_weight

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        vectors: np.ndarray,
        c: float,
        lexical_weight: float,
    ) -> TextModel:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        model.fit(vectors, list(labels))
        classes = [str(k) for k in model.classes_]
        lexical = LexicalModel.train(texts, labels, classes, c)
        return cls(classes, model.coef_, model.intercept_, lexical, lexical_weight)

    @staticmethod
    def softmax(logits: np.ndarray) -> np.ndarray:
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return np.asarray(probs / probs.sum(axis=1, keepdims=True))

    def probabilities(self, vectors: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """(n, classes) probabilities; ``texts`` (what was embedded) for the word model."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.classes)))
        probs = self.softmax(np.asarray(vectors, dtype=np.float64) @ self.coef.T + self.intercept)
        if self.lexical is not None and texts is not None:
            words = self.softmax(self.lexical.logits(texts))
            probs = (1 - self.lexical_weight) * probs + self.lexical_weight * words
        return probs
