"""Which STAR part each sentence of an answer is: situation, task, action or result.

A ``TextModel`` (sentence embeddings and words) trained on labelled STAR sentences shipped as
data (``data/star_examples.jsonl``: real public STAR examples whose authors marked the parts,
origin per row, plus answers written for fitbrief and marked so); measured on held-out real
examples by bench/bench_star.py beside a keyword baseline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from fitbrief.analysis.classifier import TextModel
from fitbrief.analysis.stories import PARTS
from fitbrief.analysis.values import ValuesClassifier

# The values classifier's settings, taken over as they are (not tuned for STAR parts).
C = ValuesClassifier.C
LEXICAL_WEIGHT = ValuesClassifier.LEXICAL_WEIGHT


@cache  # read once a process: the fingerprint and the training both need the rows
def examples() -> list[dict[str, str]]:
    from fitbrief.resources import read_jsonl

    return read_jsonl("star_examples.jsonl")


def training_fingerprint() -> str:
    rows = [(e["text"], e["label"]) for e in examples()]
    return TextModel.fingerprint("star", rows, C, LEXICAL_WEIGHT)


def train(embed: Callable[[list[str]], np.ndarray]) -> TextModel:
    rows = examples()
    texts = [r["text"] for r in rows]
    return TextModel.train(texts, [r["label"] for r in rows], embed(texts), C, LEXICAL_WEIGHT)


def parts_of(model: TextModel, sentences: Sequence[str], vectors: np.ndarray) -> list[str]:
    """The STAR part of each sentence."""
    if not sentences:
        return []
    probs = model.probabilities(vectors, sentences)
    order = [model.classes.index(p) for p in PARTS]
    return [PARTS[int(np.argmax(row[order]))] for row in probs]
