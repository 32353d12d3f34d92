"""Passage classification into the taxonomy's dimensions.

A ``TextModel`` (a logistic regression over the sentence embedding, averaged with one over the
words) trained on the taxonomy's anchor statements, its "none" anchors that state no value,
and the dev split of real labelled company statements (``data/values_examples.jsonl``) gives
per-dimension probabilities for a passage embedded together with its nearest heading, so
"Customer obsession > We start with the customer" carries its heading's signal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from fitbrief.analysis.classifier import TextModel
from fitbrief.analysis.taxonomy import NONE, Taxonomy
from fitbrief.records import nearest_heading


def passage_input(text: str, heading: str | None) -> str:
    """What is embedded for a passage: its nearest heading, then its text."""
    last = nearest_heading(heading)
    return f"{last}: {text}" if last and last.lower() not in text.lower()[:80] else text


@dataclass(frozen=True)
class Example:
    """A labelled statement the classifier learns from: an anchor or a real page's line."""

    text: str
    label: str  # a dimension id, or NONE
    heading: str = ""


# "5+ years", "3-5 yrs", "2 to 4 years": a requirement's years of experience.
YEARS_OF_EXPERIENCE = r"\b\d+\s*\+?\s*(?:-|–|to)?\s*\d*\s*\+?\s*(?:years?|yrs)\b"
# Lines that state no value of the company whatever they say: what a posting asks of a
# candidate, reported speech, text in a language the model does not read.  They are set aside
# before classification (and counted: "not analysed (language)").
_REQUIREMENT = re.compile(
    YEARS_OF_EXPERIENCE
    + r"|\b(?:bachelor|master|ph\.?d|mba|degree|diploma|certification|certified)\b"
    r"|\b(?:experience|proficiency|proficient|familiarity|familiar|fluency|fluent|expertise|"
    r"skilled|competence)\s+(?:with|in|of|at|using)\b"
    r"|\b(?:knowledge|understanding|command)\s+of\b"
    r"|^(?:the\s+)?(?:ability|able)\s+to\b"
    r"|^(?:strong|excellent|proven|solid|demonstrated|demonstrable|deep|hands-on|good|basic|"
    r"advanced|extensive|previous|prior|relevant)\b[^.]*\b(?:experience|skills?|knowledge|"
    r"understanding|background|track record|abilit(?:y|ies))\b"
    r"|^(?:nice to have|bonus points?|preferred|required|must have|a plus)\b",
    re.I,
)
# The headings a job posting puts over what it asks and what the job does: a line under one of
# them describes the role or the candidate, not the company.
_POSTING_SECTION = re.compile(
    r"\b(?:requirements?|qualifications?|responsibilit(?:y|ies)|duties|what you(?:'|’)?ll "
    r"(?:do|bring|need)|what you will (?:do|bring|need)|what we(?:'|’)?re looking for|"
    r"who you are|about you|you have|you(?:'|’)ll|you will|key objectives?|role summary|"
    r"specialized experience|nice to have|bonus points?|preferred|must have|skills|"
    r"(?:basic|minimum) (?:requirements|qualifications))\b",
    re.I,
)
_REPORTED = re.compile(
    r"\b(?:said|says|told|according to|announced|announces|reported|reports|stated|"
    r"wrote|tweeted)\b",
    re.I,
)
_OUR_VOICE = re.compile(r"\b(?:we|we're|we've|we'll|our|ours|us)\b", re.I)
# The commonest words of English: a passage in another language has almost none of them.
_ENGLISH_WORDS = (
    "the and of to a in is we our you for with that are on as be it at by this from or an "
    "your not all have will can us they their more who what how when about which has also "
    "do if so but one there was into than its out them people work team"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_LATIN_WORD = re.compile(r"[A-Za-z][a-z']+")


def is_english(text: str) -> bool:
    """True unless the text is clearly in another language (MiniLM reads English)."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isascii() for c in letters) / len(letters) < 0.8:
        return False  # another script, or heavy diacritics
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    if len(words) < 12:
        return True  # too short to tell by its common words: headings, lists, names
    return sum(w in _ENGLISH for w in words) / len(words) >= 0.12


def not_a_value(text: str) -> str | None:
    """Why a line states no value of the company, or None: "requirement" (a posting's
    requirement or qualification), "reported" (news, quotes of others) or "language"."""
    if not is_english(text):
        return "language"
    head, _, rest = text.partition(": ")
    body = rest if rest and len(head) < 60 else text
    if body is rest and _POSTING_SECTION.search(head) and not _OUR_VOICE.search(body):
        return "requirement"  # a line under a posting's requirements or duties heading
    if not _OUR_VOICE.search(body):
        if _REQUIREMENT.search(body):
            return "requirement"
        if _REPORTED.search(body):
            return "reported"
    return None


class ValuesClassifier:
    """Calibrated per-dimension probabilities for passages.

    Two multinomial logistic regressions, both trained with scikit-learn (``train``) and
    applied with numpy from their weights, so a stored classifier needs neither the import nor
    the training: one over sentence embeddings, one over the words (``LexicalModel``); their
    probabilities are averaged.
    """

    # Chosen by leave-one-organisation-out cross-validation on the dev split of the labelled
    # real statements (bench_values --choose): with the word model weighted 0.3-0.6 and C from
    # 3 to 30, accuracy runs 0.70-0.75 (words alone help; the rest is within noise on 269 value
    # statements); these sit in the middle of that range (0.736).
    C = 10.0
    LEXICAL_WEIGHT = 0.5

    def __init__(self, taxonomy: Taxonomy, model: TextModel) -> None:
        self.taxonomy = taxonomy
        self.model = model

    @property
    def classes(self) -> list[str]:
        return self.model.classes

    @classmethod
    def train(
        cls, taxonomy: Taxonomy, examples: Sequence[Example], vectors: np.ndarray
    ) -> ValuesClassifier:
        texts = [passage_input(e.text, e.heading) for e in examples]
        labels = [e.label for e in examples]
        return cls(taxonomy, TextModel.train(texts, labels, vectors, cls.C, cls.LEXICAL_WEIGHT))

    @cached_property
    def _columns(self) -> list[int]:
        return [self.classes.index(d) for d in self.taxonomy.ids]

    def probabilities(self, vectors: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """(n, dimensions) probabilities in taxonomy order (the "none" share is the rest).
        ``texts``: what was embedded, for the word model (without them, embeddings alone)."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.taxonomy.ids)))
        return self.model.probabilities(vectors, texts)[:, self._columns]

    @staticmethod
    def decide(probs: np.ndarray, min_probability: float) -> list[int | None]:
        """Per row, the index of the most probable dimension, or None when "none" (the rest of
        the probability) is more probable or the best is below the floor.

        Why "none" is a class rather than an absolute cut-off: with 16 classes a real value
        statement's top probability is typically 0.15-0.4, so a high absolute threshold abstains
        on most of them; "none" competing directly keeps addresses, product specs and news out
        while letting value statements through.
        """
        result: list[int | None] = []
        for row in probs:
            best = int(np.argmax(row))
            p = float(row[best])
            result.append(best if p >= min_probability and p > 1.0 - float(row.sum()) else None)
        return result

    def classify(
        self, vectors: np.ndarray, texts: Sequence[str], min_probability: float
    ) -> list[str | None]:
        """Top dimension per text, or None when it states no value (``not_a_value`` lines
        included)."""
        return self.labels(self.probabilities(vectors, texts), texts, min_probability)

    def labels(
        self, probs: np.ndarray, texts: Sequence[str], min_probability: float
    ) -> list[str | None]:
        """``classify`` for probabilities already computed (callers that also show them)."""
        ids = self.taxonomy.ids
        return [
            None if best is None or not_a_value(text) else ids[best]
            for best, text in zip(self.decide(probs, min_probability), texts, strict=True)
        ]


def training_examples(taxonomy: Taxonomy) -> list[Example]:
    """What the classifier learns from: the taxonomy's anchor statements (and "none" anchors),
    plus the labelled real statements shipped as data (the dev split of fitbrief's labelled
    set: real companies' pages, origin per row), for the dimensions the taxonomy has."""
    examples = [Example(a, d.id) for d in taxonomy.dimensions for a in d.anchors]
    examples += [Example(a, NONE) for a in taxonomy.none_anchors]
    known = set(taxonomy.ids)
    for row in real_examples():
        label = row["label"]
        if label == NONE or label in known:
            examples.append(Example(row["text"], label, row.get("heading") or ""))
    return examples


def training_fingerprint(taxonomy: Taxonomy) -> str:
    """Changes whenever what the classifier learns from or how it learns changes."""
    rows = [(e.text, e.label, e.heading) for e in training_examples(taxonomy)]
    return TextModel.fingerprint(
        f"values|{taxonomy.fingerprint}",
        rows,
        ValuesClassifier.C,
        ValuesClassifier.LEXICAL_WEIGHT,
    )


@cache  # read once a process: the fingerprint and the training both need the rows
def real_examples() -> list[dict[str, str]]:
    from fitbrief.resources import read_jsonl

    return read_jsonl("values_examples.jsonl")


def build_classifier(
    taxonomy: Taxonomy, embed: Callable[[list[str]], np.ndarray]
) -> ValuesClassifier:
    """Train the classifier; ``embed`` maps a list of texts to vectors (cached by the caller)."""
    examples = training_examples(taxonomy)
    vectors = embed([passage_input(e.text, e.heading) for e in examples])
    return ValuesClassifier.train(taxonomy, examples, vectors)
