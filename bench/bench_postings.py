"""Job-posting parsing on real data (read from ../shared/eval, never copied).

1. Skills: entity-level precision/recall/F1 of Skill spans on the gold test set of Green, Maynard
   & Lin (LREC 2022, 336 sentences of real UK job ads).  A predicted span counts only when its
   token boundaries equal a gold Skill span (exact); the token-overlap figure is printed beside.
   Systems, same run:
     * baseline: lexicon lookup (data/skills.txt) -- the technology names postings list;
     * fitbrief: skill phrases (normalize.skill_phrases: the stock cues of job ads) + lexicon.
2. Requirement sections on a fixed random sample of the Glassdoor 2020 data-science postings
   (no section gold exists): how often a requirements section is found, its size, that every
   item is the posting's own text, and a few samples printed to read.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from statistics import median

from _common import eval_dir, gate, have_eval, table

from fitbrief.sources.normalize import sections, skill_mentions, skill_phrases, text_blocks

# Pinned minimums, a little under what was measured (exact +0.026, token F1 0.300).
MIN_F1_MARGIN = 0.02  # fitbrief's exact-span F1 over the lexicon baseline
MIN_TOKEN_F1 = 0.28
SAMPLE = 100
DEV_SENTENCES = 40


def conll() -> list[tuple[list[str], list[tuple[int, int]]]]:
    """Sentences as (tokens, gold Skill spans as [start, end) token indices)."""
    path = eval_dir("job-postings/skills-green2022") / "testset_gold_conll.txt"
    sentences, tokens, tags = [], [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if tokens:
                sentences.append((tokens, _spans(tags)))
            tokens, tags = [], []
            continue
        word, tag = line.strip().rsplit(" ", 1)
        tokens.append(word.strip())
        tags.append(tag.strip())
    return sentences


def _spans(tags: list[str]) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and tag != "I-Skill":
            spans.append((start, i))
            start = None
        if tag == "B-Skill" or (tag == "I-Skill" and start is None):
            start = i
    return spans


def predict(tokens: list[str], finder) -> list[tuple[int, int]]:
    """Run a character-span finder on the sentence text; map its spans to token spans."""
    offsets, text = [], ""
    for token in tokens:
        offsets.append((len(text), len(text) + len(token)))
        text += token + " "
    spans = []
    for start, end, _ in finder(text):
        inside = [i for i, (a, b) in enumerate(offsets) if a >= start and b <= end]
        if inside:
            spans.append((inside[0], inside[-1] + 1))
    return spans


def score(gold: list[list[tuple[int, int]]], pred: list[list[tuple[int, int]]]) -> dict[str, float]:
    tp = sum(len(set(g) & set(p)) for g, p in zip(gold, pred, strict=True))
    n_pred, n_gold = sum(map(len, pred)), sum(map(len, gold))
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    tokens_g = [{i for a, b in g for i in range(a, b)} for g in gold]
    tokens_p = [{i for a, b in s for i in range(a, b)} for s in pred]
    ttp = sum(len(g & s) for g, s in zip(tokens_g, tokens_p, strict=True))
    tp_, tg = sum(map(len, tokens_p)), sum(map(len, tokens_g))
    tprec, trec = (ttp / tp_ if tp_ else 0.0), (ttp / tg if tg else 0.0)
    return {
        "precision": p,
        "recall": r,
        "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "token F1": 2 * tprec * trec / (tprec + trec) if tprec + trec else 0.0,
    }


def skills() -> bool:
    data = conll()
    gold = [spans for _, spans in data]

    def combined(text: str):
        phrases = skill_phrases(text)
        covered = {i for a, b, _ in phrases for i in range(a, b)}
        return phrases + [m for m in skill_mentions(text) if m[0] not in covered]

    rows = []
    for name, finder in (
        ("lexicon lookup (baseline)", skill_mentions),
        ("fitbrief skill phrases + lexicon", combined),
    ):
        pred = [predict(t, finder) for t, _ in data]
        rows.append({"system": name, "sentences": "all", **score(gold, pred)})
        # The cue list was checked by eye against the first DEV_SENTENCES sentences; the rest
        # were never looked at while writing it.
        held = slice(DEV_SENTENCES, None)
        rows.append(
            {"system": name, "sentences": f"{DEV_SENTENCES + 1}-", **score(gold[held], pred[held])}
        )
    table(
        rows,
        f"Skill entities, Green et al. 2022 gold test set ({sum(map(len, gold))} Skill spans, exact match)",
    )
    return all(
        [
            gate(
                "exact-span F1 margin over lexicon (unseen sentences)",
                rows[3]["F1"] - rows[1]["F1"],
                MIN_F1_MARGIN,
            ),
            gate("token F1 (unseen sentences)", rows[3]["token F1"], MIN_TOKEN_F1),
        ]
    )


def requirement_sections() -> None:
    if not have_eval("job-postings/glassdoor-ds-2020"):
        return  # the skill gates above still decide
    path = eval_dir("job-postings/glassdoor-ds-2020") / "glassdoor_jobs.csv"
    with path.open(encoding="utf-8") as handle:
        texts = list(dict.fromkeys(r["Job Description"] for r in csv.DictReader(handle)))
    sample = random.Random(7).sample(texts, min(SAMPLE, len(texts)))
    found, sizes, verbatim, heading_like = 0, [], 0, 0
    examples = []
    for text in sample:
        requirements, _ = sections(text_blocks(text))
        heading_like += bool(re.search(r"(?im)^\W*(requirements|qualifications)\W*$", text))
        if requirements:
            found += 1
            sizes.append(len(requirements))
            verbatim += all(item in text for item in requirements)
            if len(examples) < 3:
                examples.append(requirements[:3])
    table(
        [
            {
                "postings": len(sample),
                "with a bare 'Requirements'/'Qualifications' line": heading_like,
                "requirements found": found,
                "median items": median(sizes) if sizes else 0,
                "all items verbatim": verbatim,
            }
        ],
        f"Requirement sections, Glassdoor 2020 sample of {len(sample)} distinct postings",
    )
    for items in examples:
        print("  e.g. " + " | ".join(i[:70] for i in items))


def main() -> int:
    ok = skills()
    requirement_sections()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
