"""Main-text extraction on two public benchmarks, each beside trafilatura in the same run.

1. Zyte's article-extraction benchmark (181 news pages, ``../shared/eval``), in its own metric:
   4-gram shingles over \\w+ tokens, per-page TP/FP/FN normalised to sum 1, mean precision and
   mean recall over pages, F1 of the means.
2. trafilatura's evaluation set (300 pages of blogs, news, shops, government and company sites,
   mostly German; ``bench/data/extract-trafilatura``, Apache-2.0), in its own metric: each page
   has text that must be in the main text ("with") and boilerplate that must not ("without");
   a snippet counts when its whitespace-normalised form is a substring of the output.  The
   pages were split once into dev and test (150 each); ``--choose`` picks the one parameter
   (MIN_TRAFILATURA_SHARE) on dev; the figures reported are on test.  Caveat: trafilatura was
   developed on this collection, so its own score here is optimistic.

Speed: pages per second on one core, extraction only (files are read first).  Since main text
comes from trafilatura, the speed target is that extraction never limits a crawl: see
bench_crawl.py for pages/s against the default polite crawl.

Extractors: fitbrief (``extract``: trafilatura unless it keeps less than MIN_TRAFILATURA_SHARE
of fitbrief's own finder), fitbrief's own finder alone (the selectolax readability extractor,
the earlier default), and ``trafilatura.extract`` with its defaults.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from statistics import mean

import numpy as np
from _common import EVAL, bootstrap, gate, polite_ceiling, single_core, table
from selectolax.lexbor import LexborHTMLParser

from fitbrief.pages import extract as extract_module
from fitbrief.pages.extract import decode_html, pick_main, readability_blocks, trafilatura_blocks

# Pinned minimums: a change that lowers them fails this benchmark (the evaluation gate).
MIN_ZYTE_F1 = 0.955  # achieved 0.958 (deterministic)
MIN_SNIPPET_ACCURACY = 0.93  # test split; achieved 0.938
# The target is trafilatura's score; achieved -0.004 (within noise, see the paired interval):
# pinned so that a change cannot fall further behind.
MIN_VS_TRAFILATURA = -0.01
SNIPPETS = Path(__file__).parent / "data" / "extract-trafilatura"
SHARES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)

_TOKEN = re.compile(r"\w+")


# ------------------------------------------------------------------ Zyte: shingle metric


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def shingle_scores(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    def prec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def rec(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = mean(prec(*r) for r in rows if r[0] + r[1] > 0)
    r = mean(rec(*r) for r in rows if r[0] + r[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}


# ------------------------------------------------------------------ extractors, timed


Extractor = Callable[[str, str], str]


def extractors() -> dict[str, Extractor]:
    """Name -> function(html text, url) -> main text."""

    def ours(html: str, url: str) -> str:
        return extract_module.extract(html, url).text

    def own_finder(html: str, url: str) -> str:
        return "\n\n".join(b.text for b in readability_blocks(LexborHTMLParser(html)))

    import trafilatura

    def theirs(html: str, url: str) -> str:
        return trafilatura.extract(html, url=url) or ""

    return {
        "fitbrief": ours,
        "fitbrief own finder alone": own_finder,
        f"trafilatura {trafilatura.__version__}": theirs,
    }


def run(fn: Extractor, pages: dict[str, tuple[str, str]]) -> tuple[dict[str, str], float]:
    """Each page's text, and pages per second."""
    start = time.perf_counter()
    out = {k: fn(html, url) for k, (html, url) in pages.items()}
    return out, len(pages) / (time.perf_counter() - start)


# ------------------------------------------------------------------ trafilatura: snippets


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def snippet_counts(item: dict, text: str) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) for one page, as trafilatura's evaluation counts them."""
    found = norm(text)
    tp = sum(norm(w) in found for w in item["with"])
    fp = sum(norm(w) in found for w in item["without"])
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def snippet_scores(counts: list[tuple[int, int, int, int]]) -> dict[str, float]:
    tp, fp, fn, tn = (sum(c[i] for c in counts) for i in range(4))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "accuracy": (tp + tn) / (tp + fp + fn + tn),
        "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
    }


def interval(counts: list[tuple[int, int, int, int]], key: str) -> str:
    """95 % bootstrap interval over pages (pages resampled, snippets kept together)."""
    low, high = bootstrap(
        lambda idx: snippet_scores([counts[i] for i in idx])[key], len(counts), 2000
    )
    return f"{low:.3f}-{high:.3f}"


def paired_difference(
    a: list[tuple[int, int, int, int]], b: list[tuple[int, int, int, int]]
) -> str:
    """95 % paired bootstrap interval of accuracy(a) - accuracy(b), the same pages drawn."""

    def difference(idx: np.ndarray) -> float:
        return float(
            snippet_scores([a[i] for i in idx])["accuracy"]
            - snippet_scores([b[i] for i in idx])["accuracy"]
        )

    low, high = bootstrap(difference, len(a), 2000)
    return f"{low:+.3f} to {high:+.3f}"


def load_snippet_set(split: str) -> tuple[dict[str, dict], dict[str, tuple[str, str]]]:
    data = json.loads((SNIPPETS / "evaldata.json").read_text())
    items = {u: v for u, v in data.items() if v["split"] == split}
    pages = {
        u: (decode_html(gzip.decompress((SNIPPETS / "pages" / v["file"]).read_bytes())), u)
        for u, v in items.items()
    }
    return items, pages


def choose() -> int:
    """Pick MIN_TRAFILATURA_SHARE on the dev split (the test split is never read)."""
    items, pages = load_snippet_set("dev")
    both = {
        u: (readability_blocks(LexborHTMLParser(html)), trafilatura_blocks(html, u))
        for u, (html, _) in pages.items()
    }
    rows = []
    for share in SHARES:
        counts = [
            snippet_counts(items[u], "\n\n".join(b.text for b in pick_main(ours, theirs, share)))
            for u, (ours, theirs) in both.items()
        ]
        rows.append({"min_share": share, **snippet_scores(counts)})
    table(rows, f"MIN_TRAFILATURA_SHARE on the dev split ({len(items)} pages)")
    best = max(rows, key=lambda r: (round(r["accuracy"], 3), -abs(r["min_share"] - 0.5)))
    print(f"best on dev: {best['min_share']} (in use: {extract_module.MIN_TRAFILATURA_SHARE})")
    return 0


def snippet_benchmark() -> bool:
    items, pages = load_snippet_set("test")
    rows, ok, all_counts = [], True, []
    for name, fn in extractors().items():
        out, speed = run(fn, pages)
        counts = [snippet_counts(items[u], out[u]) for u in items]
        all_counts.append(counts)
        scores = snippet_scores(counts)
        rows.append(
            {
                "extractor": name,
                **scores,
                "accuracy 95% CI": interval(counts, "accuracy"),
                "pages_per_s": speed,
            }
        )
    snippets = sum(len(v["with"]) + len(v["without"]) for v in items.values())
    table(
        rows,
        f"trafilatura's evaluation set, untuned test split: {len(items)} pages, "
        f"{snippets} snippets, one core",
    )
    difference = rows[0]["accuracy"] - rows[2]["accuracy"]
    print(
        f"fitbrief - trafilatura accuracy: {difference:+.3f} "
        f"(paired 95% interval {paired_difference(all_counts[0], all_counts[2])})"
    )
    ok &= gate("snippet accuracy (test)", rows[0]["accuracy"], MIN_SNIPPET_ACCURACY)
    ok &= keeps_up_with_a_crawl(rows[0]["pages_per_s"])
    ok &= gate("accuracy vs trafilatura (test)", difference, MIN_VS_TRAFILATURA)
    return ok


def zyte_benchmark() -> bool:
    data = EVAL / "extraction-zyte"
    if not data.exists():
        print(f"SKIP Zyte benchmark: {data} is not here")
        return True
    truth = json.loads((data / "ground-truth.json").read_text())
    pages = {
        k: (decode_html(gzip.decompress((data / "html" / f"{k}.html.gz").read_bytes())), v["url"])
        for k, v in truth.items()
    }
    rows = []
    for name, fn in extractors().items():
        out, speed = run(fn, pages)
        scores = shingle_scores([tp_fp_fn(truth[k]["articleBody"], out[k]) for k in truth])
        rows.append({"extractor": name, **scores, "pages_per_s": speed})
    table(
        rows,
        f"Zyte article-extraction benchmark: {len(pages)} pages, one core (the earlier "
        "extractor was tuned on this set)",
    )
    ok = gate("Zyte F1", rows[0]["f1"], MIN_ZYTE_F1)
    ok &= gate("Zyte F1 vs trafilatura", rows[0]["f1"] - rows[2]["f1"], 0.0)
    return ok & keeps_up_with_a_crawl(rows[0]["pages_per_s"])


def keeps_up_with_a_crawl(pages_per_s: float) -> bool:
    """Extraction of real pages on one core never limits a crawl with default politeness."""
    ceiling = polite_ceiling()
    print(f"extraction {pages_per_s:.0f} pages/s; a polite crawl fetches at most {ceiling:.0f}")
    return gate("real-page extraction / polite crawl ceiling", pages_per_s / ceiling, 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--choose", action="store_true", help="Tune on the dev split only.")
    args = parser.parse_args()
    single_core()
    if args.choose:
        return choose()
    ok = zyte_benchmark()
    ok &= snippet_benchmark()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
