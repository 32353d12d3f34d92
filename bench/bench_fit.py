"""Cultural fit at scale: ``compare`` over 1,000 stored companies and ``fit`` for one, warm.

Companies are generated from real text: the 882 remoteintech company profiles (read from
../shared/eval, never copied), their sections as passages on a page each, reused with a suffix
to reach 1,000.  Embeddings are made once with the real model (not timed: the targets hold
"once their embeddings exist").  Then, each in a fresh engine as a new process would be:

  * compare, first  -- culture profiles computed from cached vectors and stored;
  * compare, warm   -- profiles read back (target: under 1 s);
  * baseline        -- the same ranking done the straightforward way, one company at a time
                       (fit_company per company, its own reads), measured in the same run;
  * fit, warm       -- one company (target: under 0.5 s), and the ``fitbrief fit`` command
                       end to end in a subprocess (Python start-up and imports included).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from _common import ROOT, eval_dir, gate, table, timer

from fitbrief.analysis.userprofile import load_profile
from fitbrief.app import App
from fitbrief.config import load_settings
from fitbrief.errors import InsufficientData
from fitbrief.pipeline.culture import passage_inputs
from fitbrief.pipeline.fit import compare, fit_company
from fitbrief.store import Database
from fitbrief.store.companies import add_company, resolve_companies
from fitbrief.store.research import SeedPage, passages_by_company, seed_research

N_COMPANIES = 1000
PASSAGES_PER_COMPANY = 8
PROFILE = ROOT / "data" / "demo" / "profile.toml"
MAX_COMPARE_SECONDS = 1.0
MAX_FIT_SECONDS = 0.5


def generate(db: Database, n: int) -> int:
    """Store ``n`` companies with one page each, through the store; returns the number of
    passages."""
    rows = [
        json.loads(line)
        for line in (eval_dir("company-profiles-remoteintech") / "company_profiles.jsonl").open()
    ]
    pages = {}
    count = 0
    for i in range(n):
        record = rows[i % len(rows)]
        name = record["front_matter"].get("title") or record["file"]
        if i >= len(rows):
            name = f"{name} ({i // len(rows) + 1})"
        url = f"https://company{i + 1}.example/about"
        paragraphs = [
            (heading, " ".join(text.split()))
            for heading, body in record.get("sections", {}).items()
            for text in str(body).split("\n\n")
            if len(text.split()) >= 6
        ][:PASSAGES_PER_COMPANY]
        company = add_company(db, name, url)
        pages[company.id] = [SeedPage(url, "about", name, paragraphs)]
        count += len(paragraphs)
    seed_research(db, pages, datetime.now(UTC))
    return count


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N_COMPANIES
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fit.duckdb"
        settings = load_settings(environ={}).replace("storage", database=str(path))
        db = Database(path)
        count = generate(db, n)
        user = load_profile(PROFILE, App(settings).taxonomy)
        with timer() as t_embed:  # embeddings exist before the timed runs
            app = App(settings)
            stored = passages_by_company(db, [c.id for c in resolve_companies(db)])
            texts = [t for ps in stored.values() for t in passage_inputs(ps)]
            app.vectors(texts + user.wants + user.avoid + user.dealbreakers)
            _ = app.classifier
        print(f"set-up: {n} companies, {count} passages embedded in {t_embed['wall']:.1f} s")

        with timer() as t_first:
            ranked = compare(App(settings), [], PROFILE)
        with timer() as t_warm:
            ranked_again = compare(App(settings), [], PROFILE)
        assert [r.score for r in ranked] == [r.score for r in ranked_again]

        def one_at_a_time() -> list[float | None]:
            fresh = App(settings)
            scores = []
            for company in resolve_companies(fresh.db):
                try:
                    scores.append(fit_company(fresh, company, user).score or -1.0)
                except InsufficientData:  # never crawled: compare lists it unscored
                    scores.append(-1.0)
            return sorted(scores, reverse=True)

        with timer() as t_base:
            baseline = one_at_a_time()
        assert baseline == sorted((r.score or -1.0 for r in ranked), reverse=True)

        target = ranked[len(ranked) // 2].company
        with timer() as t_fit:
            fresh = App(settings)
            fit_company(fresh, resolve_companies(fresh.db, [target])[0], user)
        env = {**os.environ, "FITBRIEF_DB": str(path)}
        cmd = [
            str(Path(sys.executable).parent / "fitbrief"),
            "fit",
            target,
            "--profile",
            str(PROFILE),
        ]
        with timer() as t_cli:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"fitbrief fit failed: {done.stderr.strip()}")
            return 1

    scored = sum(r.score is not None for r in ranked)
    table(
        [
            {"operation": f"compare {n}, first (profiles computed)", "seconds": t_first["wall"]},
            {"operation": f"compare {n}, warm (profiles stored)", "seconds": t_warm["wall"]},
            {"operation": f"baseline: {n} x fit_company, one at a time", "seconds": t_base["wall"]},
            {"operation": "fit one company, warm (library)", "seconds": t_fit["wall"]},
            {"operation": "fitbrief fit (new process, end to end)", "seconds": t_cli["wall"]},
        ],
        f"Fit and compare ({scored} of {n} companies scored; the rest: insufficient evidence)",
    )
    print(f"warm compare vs one-at-a-time baseline: {t_base['wall'] / t_warm['wall']:.1f}x")
    ok = [
        gate("compare headroom (1 s / warm seconds)", MAX_COMPARE_SECONDS / t_warm["wall"], 1.0),
        gate("fit headroom (0.5 s / warm seconds)", MAX_FIT_SECONDS / t_fit["wall"], 1.0),
    ]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
