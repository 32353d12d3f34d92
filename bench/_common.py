"""Shared helpers for the benchmarks: where the evaluation data lives, timing, reporting."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("FITBRIEF_EVAL_DIR", ROOT.parent / "shared" / "eval"))


def eval_dir(name: str) -> Path:
    """A folder of ../shared/eval, or exit 0 with a clear message when it is absent (only for
    a benchmark that needs it before any gate is checked: see ``have_eval``)."""
    if not have_eval(name):
        sys.exit(0)
    return EVAL / name


def have_eval(*names: str) -> bool:
    """Whether these folders of ../shared/eval are here (a SKIP line for each that is not),
    for a part of a benchmark that runs after other parts' gates: those still count."""
    missing = [EVAL / n for n in names if not (EVAL / n).exists()]
    for path in missing:
        print(f"SKIP: evaluation data {path} is not here; this part needs it")
    return not missing


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    """Wall and CPU seconds of a block: ``with timer() as t: ...; t["wall"]``."""
    result: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    yield result
    result["wall"] = time.perf_counter() - wall
    result["cpu"] = time.process_time() - cpu


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(rows: list[dict[str, Any]], title: str) -> None:
    """Print rows as an aligned plain-text table."""
    print(f"\n{title}")
    if not rows:
        return
    cols = list(rows[0])
    fmt = [[f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in cols] for r in rows]
    widths = [max(len(c), *(len(f[i]) for f in fmt)) for i, c in enumerate(cols)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    for f in fmt:
        print("  ".join(v.ljust(w) for v, w in zip(f, widths, strict=True)))


def gate(name: str, value: float, minimum: float) -> bool:
    """Print a pinned-minimum check; the caller exits non-zero when any fails."""
    ok = value >= minimum
    print(f"gate {name}: {value:.3f} >= {minimum:.3f} {'ok' if ok else 'FAILED'}")
    return ok


def single_core() -> None:
    """Pin this process to one core, as the extraction target asks (Linux only)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def polite_ceiling() -> float:
    """The most pages per second a crawl with the default politeness can fetch:
    global_concurrency requests at once, each host at most one request per min_delay."""
    from fitbrief.config import load_settings

    crawl = load_settings(environ={}).crawl
    return crawl.global_concurrency / crawl.min_delay


def bootstrap(
    stat: Callable[[np.ndarray], float], n: int, rounds: int = 1000
) -> tuple[float, float]:
    """95 % bootstrap interval of ``stat`` (a function of resampled indices into n items):
    the one interval every benchmark reports, always drawn from the same seed."""
    rng = np.random.default_rng(0)
    values = [stat(rng.integers(0, n, n)) for _ in range(rounds)]
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)
