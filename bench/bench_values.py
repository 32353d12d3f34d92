"""Values engine: how well statements are classified, how well a company's named values rise
to the top of its profile, and embedding speed.  Every figure beside baselines from the same run.

Accuracy, on fitbrief's labelled set of real text (tests/real/values: 1,503 statements from 37
organisations' pages, labelled twice by written rules, split once by organisation into dev,
test and extra; methods are chosen on dev only, the figures below are test's and extra's):
  * accuracy: share of value statements whose predicted dimension is one their label accepts
    (an abstention counts as wrong);
  * macro-F1 over the 15 dimensions (a prediction is right when the item's label set holds it;
    "none" items predicted as a dimension are false positives);
  * abstention: share of items that state no value on which it says "none", for news sentences
    and, separately, for requirement and duty lines of real postings (the test split's, and
    those of the real ATS captures in tests/real/ats);
  * named values recall@5: of the values each organisation names on its values page, the share
    whose dimension is among the top five of the profile built from that page.
Baselines, same run: naive cosine to each dimension's definition; TF-IDF over the anchors.
The extra split of the same set (645 items from 20 further organisations, never trained on) is
reported the same way.  Extra test (read from ../shared/eval when present): PostHog/Meltano
values paragraphs and O*NET need statements.  95 % intervals: bootstrap over items (or named values), 1,000 rounds.

``--choose``: leave-one-organisation-out cross-validation on the dev split for the classifier's
settings (C, the weight of the word model), as used to choose them.  ``--explore``: what else
was tried the same way (a two-stage classifier; the extra split as more training data) and the
ceiling the choice of dimension sets on the held-out splits.

Speed: 10,000 passages of real company-profile text through the embedding cache (first run and
re-run) beside the raw model's ``encode``.  Targets: re-run >= 100x faster; first run within
10 % of raw.  ``--fast-modes`` also measures model2vec and int8 ONNX (the ``bench`` extra).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import EVAL, ROOT, bootstrap, eval_dir, gate, have_eval, table, timer

from fitbrief.analysis.culture import build_profile
from fitbrief.analysis.embed import Embedder, bundled_model_path, embed_texts, get_embedder
from fitbrief.analysis.taxonomy import NONE
from fitbrief.analysis.values import ValuesClassifier, passage_input
from fitbrief.app import App
from fitbrief.config import Settings, load_settings
from fitbrief.records import Passage
from fitbrief.store import Database
from fitbrief.store.research import EmbeddingCache

REAL = ROOT / "tests" / "real"
# Pinned minimums (the evaluation gate): the goals are printed beside them.
GOALS = {"accuracy": 0.90, "macro-F1": 0.88, "abstains on news": 0.90,
         "abstains on requirement lines": 0.90, "named values recall@5": 0.90}  # fmt: skip
# Regression floors pinned a little under today's test-split figures (0.724 accuracy, 0.670
# macro-F1, 0.800 news, 0.703 requirement lines, 0.800 recall@5): the goals are not met.
FLOORS = {"accuracy": 0.70, "macro-F1": 0.64, "on news": 0.75, "on requirement lines": 0.65,
          "named values recall@5": 0.75}  # fmt: skip
EXTRA_FLOOR = 0.45  # the extra split's accuracy today is 0.483
MIN_RERUN_SPEEDUP = 100.0
MAX_FIRST_RUN_OVERHEAD = 0.10

Predict = Callable[[list[str]], list[str | None]]


def load(split: str) -> list[dict[str, Any]]:
    rows = [json.loads(x) for x in (REAL / "values" / "statements.jsonl").open(encoding="utf-8")]
    return [r for r in rows if r["split"] == split]


def values_pages(split: str) -> list[dict[str, Any]]:
    rows = [json.loads(x) for x in (REAL / "values" / "values_pages.jsonl").open(encoding="utf-8")]
    return [r for r in rows if r["split"] == split]


def requirement_lines() -> list[str]:
    """Requirement and responsibility lines of the real ATS captures, as fitbrief parses them."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_real_inputs import CAPTURES, parse_capture

    lines: list[str] = []
    for entry in CAPTURES:
        for posting in parse_capture(entry)[1]:
            lines += posting.requirements + posting.responsibilities
    return list(dict.fromkeys(lines))


def news_sentences(n: int = 200) -> list[str]:
    """Sentences of real news articles (Zyte benchmark ground truth), when ../shared/eval is
    here: a fixed sample, so runs compare."""
    import random

    path = EVAL / "extraction-zyte" / "ground-truth.json"
    if not path.exists():
        return []
    truth = json.loads(path.read_text())
    sentences = [
        s
        for key in sorted(truth)
        for s in re.split(r"(?<=[.!?])\s+", truth[key].get("articleBody") or "")
        if 60 < len(s) < 300
    ]
    return random.Random(0).sample(sentences, min(n, len(sentences)))


def item_text(row: dict[str, Any]) -> str:
    return passage_input(row["text"], row.get("heading"))


# ----------------------------------------------------------------------------- metrics


def accuracy(rows: Sequence[dict[str, Any]], pred: Sequence[str | None]) -> float:
    values = [(p, r) for p, r in zip(pred, rows, strict=True) if r["labels"][0] != NONE]
    return sum(p in r["labels"] for p, r in values) / max(1, len(values))


def macro_f1(rows: Sequence[dict[str, Any]], pred: Sequence[str | None], ids: list[str]) -> float:
    scores = []
    for d in ids:
        tp = sum(1 for p, r in zip(pred, rows, strict=True) if p == d and d in r["labels"])
        fp = sum(1 for p, r in zip(pred, rows, strict=True) if p == d and d not in r["labels"])
        fn = sum(
            1
            for p, r in zip(pred, rows, strict=True)
            if r["labels"][0] == d and p not in r["labels"]
        )
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores)) if scores else 0.0


def abstention(pred: Sequence[str | None]) -> float:
    return sum(p is None for p in pred) / max(1, len(pred))


def split_measures(
    rows: Sequence[dict[str, Any]], pred: Sequence[str | None], ids: list[str]
) -> dict[str, object]:
    """The measures every split reports: accuracy over its value statements, macro-F1 over
    all items, and how often it abstains on the items that state no value."""
    nones = [p for p, r in zip(pred, rows, strict=True) if r["labels"][0] == NONE]
    return {
        "accuracy": accuracy(rows, pred),
        "macro-F1": macro_f1(rows, pred, ids),
        "abstains on none items": abstention(nones),
    }


def accuracy_interval(
    rows: Sequence[dict[str, Any]], pred: Sequence[str | None]
) -> tuple[float, float]:
    """95 % bootstrap interval of accuracy, value statements resampled."""
    values = [i for i, r in enumerate(rows) if r["labels"][0] != NONE]
    return bootstrap(
        lambda idx: accuracy([rows[values[i]] for i in idx], [pred[values[i]] for i in idx]),
        len(values),
    )


# ----------------------------------------------------------------------------- systems


def fitbrief_system(app: App) -> Predict:
    floor = app.settings.values.min_probability
    return lambda texts: app.classifier.classify(app.vectors(texts), texts, floor)


def naive_system(app: App, dev: Sequence[dict[str, Any]]) -> Predict:
    """Cosine to each dimension's "name: description"; "none" below a cut-off chosen on dev
    (the best dev accuracy + abstention, the same criterion fitbrief is read by)."""
    dims = app.taxonomy.dimensions
    centres = app.vectors([f"{d.name}: {d.description}" for d in dims])

    def scores(texts: list[str]) -> np.ndarray:
        return app.vectors(texts) @ centres.T

    dev_scores = scores([item_text(r) for r in dev])
    best_cut, best = 0.0, -1.0
    for cut in np.linspace(0.0, 0.6, 61):
        pred = [dims[int(np.argmax(s))].id if s.max() >= cut else None for s in dev_scores]
        nones = [p for p, r in zip(pred, dev, strict=True) if r["labels"][0] == NONE]
        value = accuracy(dev, pred) + abstention(nones)
        if value > best:
            best_cut, best = float(cut), value

    def predict(texts: list[str]) -> list[str | None]:
        return [dims[int(np.argmax(s))].id if s.max() >= best_cut else None for s in scores(texts)]

    return predict


def tfidf_system(app: App) -> Predict:
    """Nearest dimension by TF-IDF cosine to the centroid of its anchor statements ("none"
    when nothing is shared)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    dims = app.taxonomy.dimensions
    anchors = [a for d in dims for a in d.anchors]
    owner = np.array([i for i, d in enumerate(dims) for _ in d.anchors])
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2))
    matrix = vectorizer.fit_transform(anchors)
    centroids = normalize(
        np.vstack([np.asarray(matrix[owner == i].mean(axis=0)) for i in range(len(dims))])
    )

    def predict(texts: list[str]) -> list[str | None]:
        sims = np.asarray(vectorizer.transform(texts) @ centroids.T)
        return [dims[int(np.argmax(r))].id if r.max() > 0 else None for r in sims]

    return predict


# ----------------------------------------------------------------------------- named values


def named_values_recall(
    app: App, pages: Sequence[dict[str, Any]], top: int = 5
) -> tuple[float, list[int]]:
    """Recall@top of named values, and the per-value hits (1/0) for an interval."""
    hits: list[int] = []
    floor = app.settings.values.min_probability
    for page in pages:
        passages = [Passage(v["text"], v["name"], page["url"], "values") for v in page["values"]]
        texts = [passage_input(p.text, p.heading) for p in passages]
        profile = build_profile(app.classifier, passages, app.vectors(texts), texts, floor)
        ranked = [p.id for p in profile.ranked()][:top]
        for value in page["values"]:
            if value["labels"][0] != NONE:
                hits.append(int(any(label in ranked for label in value["labels"])))
    return (sum(hits) / len(hits) if hits else 0.0), hits


def named_values_recall_baseline(
    predict: Predict, pages: Sequence[dict[str, Any]], top: int = 5
) -> float:
    """The same for a statement classifier alone: the page's dimensions by how many of its
    paragraphs each gets."""
    hits: list[int] = []
    for page in pages:
        pred = predict([passage_input(v["text"], v["name"]) for v in page["values"]])
        counts: dict[str, int] = {}
        for p in pred:
            if p:
                counts[p] = counts.get(p, 0) + 1
        ranked = sorted(counts, key=lambda d: -counts[d])[:top]
        hits += [
            int(any(x in ranked for x in v["labels"]))
            for v in page["values"]
            if v["labels"][0] != NONE
        ]
    return sum(hits) / len(hits) if hits else 0.0


# Handbook value heading -> fitbrief dimension, from the heading's meaning alone.
HEADING_DIMENSION = {
    "We are open source": "integrity",  # "we default to transparency"
    "We haven't built our defining feature yet": "agility",  # never stop iterating, ship early
    "Everyone codes": "growth",  # build your technical skill
    "Step on toes": "autonomy",  # work on what matters, not what your title allows
    "Bias for action": "agility",
    "Talent compounds": "results",  # extremely demanding of performance
    "Empathy": "respect",
    "Community": "inclusion",
    "Sustainability": "wellbeing",
    "Transparency": "integrity",
    "Iteration": "agility",
    "Ambition": "results",
    "Accountability": "autonomy",
}

_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def extra_test() -> list[tuple[str, str, str]]:
    """(subset, text, gold) from ../shared/eval: PostHog and Meltano values paragraphs and the
    O*NET need statements (as before: an extra test, never tuned on)."""
    if not have_eval("values-handbooks", "onet-work-values"):
        return []
    rows: list[tuple[str, str, str]] = []
    handbooks = eval_dir("values-handbooks")
    for line in (handbooks / "values_paragraphs_labeled_by_heading.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        text = _MD_LINK.sub(r"\1", record["text"]).replace("*", "").strip()
        rows.append(
            (
                "handbooks",
                passage_input(text, record["value_heading"]),
                HEADING_DIMENSION[record["value_heading"]],
            )
        )
    onet = eval_dir("onet-work-values")
    need_dimension = {
        item["need"]: item["dimension"]
        for item in tomllib.loads((ROOT / "data" / "quiz.toml").read_text())["item"]
        if item["need"] != "fitbrief"
    }
    descriptors = json.loads((onet / "work_values_descriptors.json").read_text())
    for value in descriptors["values"]:
        for need in value["needs"]:
            rows.append(("onet-needs", need["statement"], need_dimension[need["name"]]))
    return rows


def accuracy_report(app: App) -> list[bool]:
    dev, test = load("dev"), load("test")
    ids = app.taxonomy.ids
    systems: dict[str, Predict] = {
        "fitbrief (MiniLM + words, trained on anchors and dev)": fitbrief_system(app),
        "naive cosine to definitions (baseline)": naive_system(app, dev),
        "TF-IDF over anchors (baseline)": tfidf_system(app),
    }
    texts = [item_text(r) for r in test]
    news_rows = [r for r in test if r["collected_as"] == "news"]
    req_rows = [r for r in test if r["collected_as"] in ("requirement", "duty")]
    zyte = news_sentences()
    ats_lines = requirement_lines()
    pages = values_pages("test")
    extra = extra_test()
    rows, preds = [], {}
    for name, predict in systems.items():
        pred = predict(texts)
        preds[name] = pred
        row: dict[str, object] = {
            "system": name,
            **split_measures(test, pred, ids),
            "on news": abstention(predict([item_text(r) for r in news_rows])),
            "on Zyte news": abstention(predict(zyte)) if zyte else float("nan"),
            "on requirement lines": abstention(predict([item_text(r) for r in req_rows])),
            "on ATS requirement lines": abstention(predict(ats_lines)),
        }
        if name.startswith("fitbrief"):
            row["named values recall@5"] = named_values_recall(app, pages)[0]
        else:
            row["named values recall@5"] = named_values_recall_baseline(predict, pages)
        if extra:
            extra_pred = predict([t for _, t, _ in extra])
            row["extra: handbooks+O*NET acc"] = float(
                np.mean([p == g for p, (_, _, g) in zip(extra_pred, extra, strict=True)])
            )
        rows.append(row)
    table(
        rows,
        f"Values on the test split ({len(test)} items from {len({r['company'] for r in test})} "
        f"organisations; {len(news_rows)} news, {len(req_rows)} requirement/duty lines; "
        f"{len(ats_lines)} ATS requirement lines; {len(zyte)} Zyte news sentences; "
        f"{sum(len(p['values']) for p in pages)} named values on {len(pages)} values pages)",
    )
    print("95 % intervals (bootstrap over items):")
    for name, pred in preds.items():
        low, high = accuracy_interval(test, pred)
        f_low, f_high = bootstrap(
            lambda idx, p=pred: macro_f1([test[i] for i in idx], [p[i] for i in idx], ids),
            len(test),
        )
        print(f"  {name}: accuracy {low:.3f}-{high:.3f}; macro-F1 {f_low:.3f}-{f_high:.3f}")
    recall, hits = named_values_recall(app, pages)
    r_low, r_high = bootstrap(lambda idx: float(np.mean([hits[i] for i in idx])), len(hits))
    print(
        f"  named values recall@5 (fitbrief): {recall:.3f}, {r_low:.3f}-{r_high:.3f} over {len(hits)} values"
    )
    dev_recall = named_values_recall(app, values_pages("dev"))[0]
    print(f"  named values recall@5 on the dev pages: {dev_recall:.3f}")
    for goal, target in GOALS.items():
        key = {
            "abstains on news": "on news",
            "abstains on requirement lines": "on requirement lines",
        }.get(goal, goal)
        value = rows[0][key]
        print(
            f"goal {goal}: {value:.3f} (goal {target:.2f}) {'met' if value >= target else 'NOT met'}"
        )  # type: ignore[str-format]
    best_baseline = max(float(r["accuracy"]) for r in rows[1:])  # type: ignore[arg-type]
    margin = float(rows[0]["accuracy"]) - best_baseline  # type: ignore[arg-type]
    print(f"accuracy over the better baseline: {margin:+.3f}")
    extra_gates = extra_split_report(systems, ids)
    gates = [gate(name, float(rows[0][name]), floor) for name, floor in FLOORS.items()]  # type: ignore[arg-type]
    return gates + extra_gates


def extra_split_report(systems: dict[str, Predict], ids: list[str]) -> list[bool]:
    """The same measures on the extra split: 20 further organisations, labelled the same way,
    never trained on nor used to choose anything (a second, larger held-out set)."""
    extra = load("extra")
    if not extra:
        return []
    texts = [item_text(r) for r in extra]
    kinds = {"news": ("news",), "requirement lines": ("requirement", "duty")}
    rows = []
    for name, predict in systems.items():
        pred = predict(texts)
        row: dict[str, object] = {"system": name, **split_measures(extra, pred, ids)}
        for label, collected in kinds.items():
            row[f"on {label}"] = abstention(
                [p for p, r in zip(pred, extra, strict=True) if r["collected_as"] in collected]
            )
        if name.startswith("fitbrief"):
            low, high = accuracy_interval(extra, pred)
            row["accuracy 95%"] = f"{low:.3f}-{high:.3f}"
        rows.append(row)
    for row in rows:
        row.setdefault("accuracy 95%", "")
    n_values = sum(r["labels"][0] != NONE for r in extra)
    table(
        rows,
        f"Extra split ({len(extra)} items, {n_values} value statements, from "
        f"{len({r['company'] for r in extra})} further organisations; never trained on)",
    )
    return [gate("extra split accuracy", float(rows[0]["accuracy"]), EXTRA_FLOOR)]  # type: ignore[arg-type]


Fit = Callable[
    [list[str], list[str], np.ndarray], Callable[[list[str], np.ndarray], list[str | None]]
]


def leave_one_organisation_out(
    app: App, dev: list[dict[str, Any]], fit: Fit, more: Sequence[dict[str, Any]] = ()
) -> list[str | None]:
    """Each dev organisation predicted by a classifier ``fit`` on the anchors, the other dev
    organisations and ``more`` rows (never the held-out organisation's)."""
    from fitbrief.analysis.values import training_examples

    seen = {r["text"] for r in [*dev, *more]}
    base = [e for e in training_examples(app.taxonomy) if e.text not in seen]
    base_texts = [passage_input(e.text, e.heading) for e in base]
    pred: list[str | None] = [None] * len(dev)
    for company in sorted({r["company"] for r in dev}):
        rows = [r for r in [*dev, *more] if r["company"] != company]
        held = [i for i, r in enumerate(dev) if r["company"] == company]
        texts = base_texts + [item_text(r) for r in rows]
        labels = [e.label for e in base] + [r["labels"][0] for r in rows]
        predict = fit(texts, labels, app.vectors(texts))
        held_texts = [item_text(dev[i]) for i in held]
        for i, p in zip(held, predict(held_texts, app.vectors(held_texts)), strict=True):
            pred[i] = p
    return pred


def one_stage(app: App, c: float, weight: float) -> Fit:
    """fitbrief's classifier with these settings."""
    from fitbrief.analysis.classifier import TextModel

    floor = app.settings.values.min_probability

    def fit(texts: list[str], labels: list[str], vectors: np.ndarray):  # type: ignore[no-untyped-def]
        clf = ValuesClassifier(app.taxonomy, TextModel.train(texts, labels, vectors, c, weight))
        return lambda held, held_vectors: clf.classify(held_vectors, held, floor)

    return fit


def two_stage(app: App, cut: float = 0.5) -> Fit:
    """Value or not first (embeddings and words, averaged), then which dimension among the
    value statements only."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from fitbrief.analysis.classifier import TextModel
    from fitbrief.analysis.values import not_a_value

    c, weight = ValuesClassifier.C, ValuesClassifier.LEXICAL_WEIGHT

    def fit(texts: list[str], labels: list[str], vectors: np.ndarray):  # type: ignore[no-untyped-def]
        is_value = np.array([label != NONE for label in labels])
        by_vector = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        by_vector.fit(vectors, is_value)
        tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
        by_words = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        by_words.fit(tfidf.fit_transform(texts), is_value)
        keep = np.flatnonzero(is_value)
        dims = TextModel.train(
            [texts[i] for i in keep], [labels[i] for i in keep], vectors[keep], c, weight
        )

        def predict(held: list[str], held_vectors: np.ndarray) -> list[str | None]:
            p_value = (1 - weight) * by_vector.predict_proba(held_vectors)[:, 1]
            p_value += weight * by_words.predict_proba(tfidf.transform(held))[:, 1]
            best = dims.probabilities(held_vectors, held).argmax(axis=1)
            return [
                dims.classes[int(b)] if p >= cut and not not_a_value(t) else None
                for b, p, t in zip(best, p_value, held, strict=True)
            ]

        return predict

    return fit


def split_line(rows: list[dict[str, Any]], pred: Sequence[str | None], ids: list[str]) -> str:
    m = split_measures(rows, pred, ids)
    return (
        f"accuracy {m['accuracy']:.3f}, macro-F1 {m['macro-F1']:.3f}, "
        f"abstains on none {m['abstains on none items']:.3f}"
    )


def choose(app: App) -> None:
    """Leave-one-organisation-out cross-validation on dev for C and the word-model weight."""
    dev, ids = load("dev"), app.taxonomy.ids
    print(f"choosing on dev: {len(dev)} items, {len({r['company'] for r in dev})} organisations")
    for c in (3.0, 10.0, 30.0):
        for weight in (0.0, 0.3, 0.5, 0.6):
            pred = leave_one_organisation_out(app, dev, one_stage(app, c, weight))
            print(f"  C={c:<5g} words={weight:.1f}: {split_line(dev, pred, ids)}")


def explore(app: App) -> None:
    """What else was tried, leave-one-organisation-out on dev, and the ceiling the choice of
    dimension sets on the held-out splits (read, not chosen on)."""
    dev, ids = load("dev"), app.taxonomy.ids
    configured = one_stage(app, ValuesClassifier.C, ValuesClassifier.LEXICAL_WEIGHT)
    print(f"leave one organisation out on dev ({len(dev)} items):")
    tried = {
        "fitbrief as configured": leave_one_organisation_out(app, dev, configured),
        "two-stage (value or not, then which)": leave_one_organisation_out(
            app, dev, two_stage(app)
        ),
        "trained on the extra split too": leave_one_organisation_out(
            app, dev, configured, load("extra")
        ),
    }
    for name, pred in tried.items():
        print(f"  {name}: {split_line(dev, pred, ids)}")
    print("ceiling of the shipped classifier: its top dimension, abstention ignored,")
    for split in ("test", "extra"):
        rows = [r for r in load(split) if r["labels"][0] != NONE]
        texts = [item_text(r) for r in rows]
        top = app.classifier.probabilities(app.vectors(texts), texts).argmax(axis=1)
        right = np.mean([ids[int(t)] in r["labels"] for t, r in zip(top, rows, strict=True)])
        print(f"  {split}: accepted on {right:.3f} of {len(rows)} value statements")


def corpus(n: int) -> list[str]:
    """``n`` distinct passages of real text: company-profile paragraphs, then sentences."""
    profiles = eval_dir("company-profiles-remoteintech")
    paragraphs: list[str] = []
    for line in (profiles / "company_profiles.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        body = "\n\n".join(str(v) for v in record.get("sections", {}).values())
        for para in re.split(r"\n\s*\n", body):
            para = " ".join(para.split())
            if 40 <= len(para) <= 1200 and not para.startswith(("#", "|", "-", "!")):
                paragraphs.append(para)
    seen = dict.fromkeys(paragraphs)
    notes = eval_dir("interview") / "companies_interview_process.jsonl"
    for line in notes.open(encoding="utf-8"):
        seen.setdefault(" ".join((json.loads(line).get("interview_process") or "").split()))
    if len(seen) < n:  # top up with single sentences of the same text
        for para in paragraphs:
            for sentence in re.split(r"(?<=[.!?])\s+", para):
                if len(sentence) > 30:
                    seen.setdefault(sentence)
    texts = list(seen)[:n]
    if len(texts) < n:
        print(f"note: only {len(texts)} distinct passages available")
    return texts


def speed(settings: Settings, n: int) -> list[bool]:
    if not have_eval("company-profiles-remoteintech", "interview"):
        return []  # the accuracy gates above still decide
    texts = corpus(n)
    embedder = get_embedder(settings.embed)
    embedder.encode(texts[:64])  # load the model and warm up before either timing
    with timer() as raw:
        embedder.encode(texts)
    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(Database(Path(tmp) / "bench.duckdb"))
        with timer() as first:
            embed_texts(cache, embedder, texts)
        with timer() as again:
            embed_texts(cache, embedder, texts)
    rows = [
        {
            "run": "raw model.encode (baseline)",
            "seconds": raw["wall"],
            "passages/s": n / raw["wall"],
        },
        {
            "run": "embed_texts, first run",
            "seconds": first["wall"],
            "passages/s": n / first["wall"],
        },
        {"run": "embed_texts, re-run", "seconds": again["wall"], "passages/s": n / again["wall"]},
    ]
    table(
        rows, f"Embedding {len(texts)} passages (mean {np.mean([len(t) for t in texts]):.0f} chars)"
    )
    overhead = first["wall"] / raw["wall"] - 1
    print(
        f"first-run overhead vs raw: {overhead:+.1%}; re-run speed-up: {first['wall'] / again['wall']:.0f}x"
    )
    return [
        gate("re-run speed-up (x)", first["wall"] / again["wall"], MIN_RERUN_SPEEDUP),
        gate("first-run throughput / raw", raw["wall"] / first["wall"], 1 - MAX_FIRST_RUN_OVERHEAD),
    ]


class Model2VecEmbedder:
    """A static model distilled from the bundled MiniLM (bench only: the fast-mode candidate)."""

    def __init__(self) -> None:
        from model2vec.distill import distill

        start = time.perf_counter()
        self.model = distill(model_name=str(bundled_model_path()), pca_dims=256)
        self.distill_seconds = time.perf_counter() - start
        self.model_id = "model2vec-minilm"

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray(self.model.encode(list(texts)), dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


class OnnxInt8Embedder:
    """The bundled MiniLM exported to ONNX and int8-quantized, run with onnxruntime (bench
    only: the other fast-mode candidate).  Mean pooling and L2 norm, as sentence-transformers."""

    def __init__(self, workdir: Path) -> None:
        import onnxruntime as ort
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from sentence_transformers import SentenceTransformer

        start = time.perf_counter()
        st = SentenceTransformer(str(bundled_model_path()), device="cpu")
        bert, self.tokenizer = st[0].auto_model.eval(), st.tokenizer

        class Hidden(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.bert = bert

            def forward(self, ids, mask, types):  # type: ignore[no-untyped-def]
                return self.bert(
                    input_ids=ids, attention_mask=mask, token_type_ids=types
                ).last_hidden_state

        sample = self.tokenizer(["warm up"], return_tensors="pt")
        names = ["input_ids", "attention_mask", "token_type_ids"]
        full, quantized = workdir / "minilm.onnx", workdir / "minilm.int8.onnx"
        torch.onnx.export(
            Hidden(),
            tuple(sample[n] for n in names),
            str(full),
            input_names=names,
            output_names=["hidden"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(full), str(quantized), weight_type=QuantType.QInt8)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        self.session = ort.InferenceSession(
            str(quantized), options, providers=["CPUExecutionProvider"]
        )
        self.names = names
        self.build_seconds = time.perf_counter() - start
        self.model_id = "minilm-onnx-int8"

    def encode(self, texts: list[str], batch: int = 64) -> np.ndarray:
        order = np.argsort([-len(t) for t in texts])
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i in range(0, len(texts), batch):
            idx = order[i : i + batch]
            enc = self.tokenizer(
                [texts[j] for j in idx],
                padding=True,
                truncation=True,
                max_length=256,
                return_tensors="np",
            )
            hidden = self.session.run(None, {n: enc[n].astype(np.int64) for n in self.names})[0]
            mask = enc["attention_mask"][..., None]
            vectors = (hidden * mask).sum(1) / mask.sum(1)
            out[idx] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return out


def fast_modes(settings: Settings, n: int, workdir: Path) -> dict[str, Embedder]:
    """The fast-mode candidates that can be built here, with their speed and agreement."""
    modes: dict[str, Embedder] = {}
    for name, build in (
        ("model2vec distilled", Model2VecEmbedder),
        ("ONNX int8 (onnxruntime)", lambda: OnnxInt8Embedder(workdir)),
    ):
        try:
            modes[name] = build()
        except ImportError as exc:
            print(
                f"\nfast mode {name}: not installed ({exc.name}; pip install -e '.[bench]'); skipped"
            )
    if not modes:
        return modes
    texts = corpus(n)[:2000]
    accurate = get_embedder(settings.embed)
    with timer() as t_acc:
        reference = accurate.encode(texts)
    rows = [
        {
            "model": "MiniLM, sentence-transformers (default)",
            "passages/s": len(texts) / t_acc["wall"],
            "cosine to default": 1.0,
        }
    ]
    for name, embedder in modes.items():
        with timer() as t:
            vectors = embedder.encode(texts)
        agreement = (
            float(np.mean(np.sum(vectors * reference, axis=1)))
            if vectors.shape == reference.shape
            else float("nan")
        )
        rows.append(
            {"model": name, "passages/s": len(texts) / t["wall"], "cosine to default": agreement}
        )
    table(rows, f"Fast-mode candidates on {len(texts)} passages (built from the bundled model)")
    return modes


def main() -> int:
    args = sys.argv[1:]
    n = next((int(a) for a in args if a.isdigit()), 10_000)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}).replace(
            "storage", database=str(Path(tmp) / "values.duckdb")
        )
        app = App(settings)
        if "--choose" in args:
            choose(app)
            return 0
        if "--explore" in args:
            explore(app)
            return 0
        results = accuracy_report(app)
        if "--fast-modes" in args:
            fast = fast_modes(settings, n, Path(tmp))
            for name, embedder in fast.items():
                fast_app = App(settings, embedder=embedder)
                test = load("test")
                pred = fitbrief_system(fast_app)([item_text(r) for r in test])
                print(f"fast mode {name}: accuracy {accuracy(test, pred):.3f}")
        if "--no-speed" not in args:
            results += speed(settings, n)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
