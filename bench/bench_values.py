"""Values engine: classification accuracy on real value statements, and embedding speed.

Accuracy.  Development data built from real text (read from ../shared/eval, never copied):
  * values-handbooks: PostHog's and Meltano's value paragraphs, each labelled with the dimension
    its value *heading* names (the mapping below, decided from the headings alone);
  * onet-work-values: the 21 O*NET need statements and the 21 Work Importance Profiler cards,
    labelled through fitbrief's need-level crosswalk (data/quiz.toml).
The anchor statements in data/taxonomy.toml were written before, and are never tuned on, these
texts.  Metric: macro-F1 over the gold dimensions; an abstention ("none") counts as a miss.
Baseline, same run: TF-IDF over the same anchor statements, nearest dimension centroid.

Speed.  10,000 passages of real company-profile text embedded through ``embed_texts`` into a
fresh DuckDB cache (first run), then again (re-run, all cache hits), beside the raw model's
``encode`` on the same texts.  Targets: re-run >= 100x faster; first run within 10% of raw.

Fast modes (when the ``bench`` extra is installed): a model2vec static model distilled here from
the bundled MiniLM, measured for speed and for what it does to accuracy.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _common import ROOT, eval_dir, gate, table, timer

from fitbrief.analysis.embed import Embedder, bundled_model_path, embed_texts, get_embedder
from fitbrief.analysis.values import passage_input
from fitbrief.app import App
from fitbrief.config import Settings, load_settings
from fitbrief.store import Database
from fitbrief.store.research import EmbeddingCache

# Pinned minimums (the evaluation gate).  Measured: see README "Performance".
MIN_MARGIN = 0.15  # macro-F1 points over the TF-IDF baseline, as the issue asks
MIN_RERUN_SPEEDUP = 100.0
MAX_FIRST_RUN_OVERHEAD = 0.10

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


def dev_set() -> list[tuple[str, str, str, str | None]]:
    """(subset, text, gold dimension, value heading or None) rows."""
    rows: list[tuple[str, str, str, str | None]] = []
    handbooks = eval_dir("values-handbooks")
    for line in (handbooks / "values_paragraphs_labeled_by_heading.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        text = _MD_LINK.sub(r"\1", record["text"]).replace("*", "").strip()
        heading = record["value_heading"]
        rows.append(("handbooks", text, HEADING_DIMENSION[heading], heading))
    onet = eval_dir("onet-work-values")
    need_dimension = {
        item["need"]: item["dimension"]
        for item in tomllib.loads((ROOT / "data" / "quiz.toml").read_text())["item"]
        if item["need"] != "fitbrief"
    }
    descriptors = json.loads((onet / "work_values_descriptors.json").read_text())
    for value in descriptors["values"]:
        for need in value["needs"]:
            rows.append(("onet-needs", need["statement"], need_dimension[need["name"]], None))
    cards = json.loads((onet / "work_importance_profiler_items.json").read_text())
    for item in cards["items"]:
        rows.append(("onet-cards", item["statement"], need_dimension[item["need"]], None))
    return rows


def macro_f1(gold: list[str], predicted: list[str | None]) -> float:
    from sklearn.metrics import f1_score

    labels = sorted(set(gold))
    pred = [p or "none" for p in predicted]
    return float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0))


def bootstrap_margin(
    gold: list[str], ours: list[str | None], base: list[str | None], rounds: int = 2000
) -> tuple[float, float]:
    """95% interval of the macro-F1 margin when the statements are resampled (paired: both
    systems are scored on the same resample), so a small dev set's margin shows its spread."""
    rng = np.random.default_rng(0)
    margins = []
    for _ in range(rounds):
        idx = rng.integers(0, len(gold), len(gold))
        g = [gold[i] for i in idx]
        margins.append(macro_f1(g, [ours[i] for i in idx]) - macro_f1(g, [base[i] for i in idx]))
    low, high = np.percentile(margins, [2.5, 97.5])
    return float(low), float(high)


def tfidf_baseline(engine: App, texts: list[str]) -> list[str | None]:
    """Nearest dimension by TF-IDF cosine to the centroid of its anchor statements."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    dims = engine.taxonomy.dimensions
    anchors = [a for d in dims for a in d.anchors]
    owner = np.array([i for i, d in enumerate(dims) for _ in d.anchors])
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2))
    anchor_matrix = vectorizer.fit_transform(anchors)
    centroids = normalize(
        np.vstack([np.asarray(anchor_matrix[owner == i].mean(axis=0)) for i in range(len(dims))])
    )
    sims = vectorizer.transform(texts) @ centroids.T
    result: list[str | None] = []
    for row in np.asarray(sims):
        best = int(np.argmax(row))
        result.append(dims[best].id if row[best] > 0 else None)
    return result


def classify(app: App, texts: list[str]) -> list[str | None]:
    return app.classifier.classify(app.vectors(texts), app.settings.values.min_probability)


def news_sentences(n: int = 200) -> list[str]:
    """Sentences of real news articles (Zyte benchmark ground truth): mostly no stated value,
    so a good classifier abstains on them.  A fixed sample, so runs compare."""
    import random

    truth = json.loads((eval_dir("extraction-zyte") / "ground-truth.json").read_text())
    sentences = [
        s
        for key in sorted(truth)
        for s in re.split(r"(?<=[.!?])\s+", truth[key].get("articleBody") or "")
        if 60 < len(s) < 300
    ]
    return random.Random(0).sample(sentences, min(n, len(sentences)))


def accuracy(settings: Settings, fast: dict[str, Embedder]) -> tuple[bool, float]:
    rows = dev_set()
    texts = [t for _, t, _, _ in rows]
    with_heading = [passage_input(t, heading) for _, t, _, heading in rows]
    news = news_sentences()
    engine = App(settings)
    systems: dict[str, Callable[[list[str]], list[str | None]]] = {
        "fitbrief (MiniLM + classifier)": lambda xs: classify(engine, xs),
        "TF-IDF over anchors (baseline)": lambda xs: tfidf_baseline(engine, xs),
    }
    for name, embedder in fast.items():
        fast_engine = App(settings, embedder=embedder)
        systems[f"fast mode: {name}"] = lambda xs, e=fast_engine: classify(e, xs)
    report = []
    gold = [g for _, _, g, _ in rows]
    predictions = []
    for name, predict in systems.items():
        preds = predict(texts)
        predictions.append(preds)
        row: dict[str, object] = {"system": name}
        for subset in ("handbooks", "onet-needs", "onet-cards"):
            idx = [i for i, r in enumerate(rows) if r[0] == subset]
            row[subset] = macro_f1([gold[i] for i in idx], [preds[i] for i in idx])
        row["all"] = macro_f1(gold, preds)
        # The product classifies a page passage with its heading (values.passage_input).
        row["all, with headings"] = macro_f1(gold, predict(with_heading))
        row["abstained"] = f"{sum(p is None for p in preds) / len(rows):.0%}"
        row["abstains on news"] = f"{sum(p is None for p in predict(news)) / len(news):.0%}"
        report.append(row)
    table(
        report,
        f"Values classification, macro-F1 ({len(rows)} real value statements; "
        f"abstention on {len(news)} news sentences)",
    )
    ours, base = float(report[0]["all"]), float(report[1]["all"])  # type: ignore[arg-type]
    low, high = bootstrap_margin(gold, predictions[0], predictions[1])
    print(
        f"margin over baseline: {100 * (ours - base):+.1f} points "
        f"(paired bootstrap 95% interval {100 * low:+.1f} to {100 * high:+.1f})"
    )
    return gate("values macro-F1 margin over TF-IDF", ours - base, MIN_MARGIN), ours


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
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(environ={}).replace(
            "storage", database=str(Path(tmp) / "values.duckdb")
        )
        fast = fast_modes(settings, n, Path(tmp))
        ok, _ = accuracy(settings, fast)
        results = [ok, *speed(settings, n)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
