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
import zlib
from datetime import UTC, datetime
from pathlib import Path

from _common import ROOT, eval_dir, gate, table, timer

from fitbrief.companies import resolve_companies
from fitbrief.config import Settings
from fitbrief.culture import ValuesEngine
from fitbrief.db import Database
from fitbrief.errors import InsufficientData
from fitbrief.fit import load_profile
from fitbrief.pipeline import compare, fit_company
from fitbrief.textutil import sha256_text
from fitbrief.values import passage_input

N_COMPANIES = 1000
PASSAGES_PER_COMPANY = 8
PROFILE = ROOT / "data" / "demo" / "profile.toml"
MAX_COMPARE_SECONDS = 1.0
MAX_FIT_SECONDS = 0.5


def generate(db: Database, n: int) -> int:
    """Store ``n`` companies with one page each; returns the number of passages."""
    rows = [
        json.loads(line)
        for line in (eval_dir("company-profiles-remoteintech") / "company_profiles.jsonl").open()
    ]
    now = datetime.now(UTC)
    companies, pages, documents, passages = [], [], [], []
    for i in range(n):
        record = rows[i % len(rows)]
        name = record["front_matter"].get("title") or record["file"]
        if i >= len(rows):
            name = f"{name} ({i // len(rows) + 1})"
        cid = i + 1
        url = f"https://company{cid}.example/about"
        paragraphs = [
            (heading, " ".join(text.split()))
            for heading, body in record.get("sections", {}).items()
            for text in str(body).split("\n\n")
            if len(text.split()) >= 6
        ][:PASSAGES_PER_COMPANY]
        body = "\n\n".join(t for _, t in paragraphs)
        companies.append([cid, name, name.lower(), url])
        pages.append(
            [
                cid,
                cid,
                url,
                url,
                200,
                now,
                "text/html",
                sha256_text(body),
                zlib.compress(body.encode()),
            ]
        )
        documents.append([cid, sha256_text(body), name, "about", body])
        passages.extend(
            [cid, pos, heading, text, sha256_text(text)]
            for pos, (heading, text) in enumerate(paragraphs)
        )
    with db.connect() as con:
        con.executemany(
            "INSERT INTO companies (id, name, name_key, url) VALUES (?, ?, ?, ?)", companies
        )
        con.executemany(
            "INSERT INTO pages (id, company_id, url, final_url, status, fetched_at, content_type,"
            " sha256, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            pages,
        )
        con.executemany(
            "INSERT INTO documents (page_id, sha256, title, kind, text) VALUES (?, ?, ?, ?, ?)",
            documents,
        )
        con.executemany(
            "INSERT INTO passages (page_id, position, heading, text, sha256) VALUES (?, ?, ?, ?, ?)",
            passages,
        )
    return len(passages)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N_COMPANIES
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fit.duckdb"
        settings = Settings()
        settings.set("storage", "database", str(path))
        db = Database(path)
        count = generate(db, n)
        user = load_profile(PROFILE, ValuesEngine(settings, db).taxonomy)
        with timer() as t_embed:  # embeddings exist before the timed runs
            engine = ValuesEngine(settings, db)
            with db.connect(read_only=True) as con:
                texts = [
                    passage_input(t, h)
                    for t, h in con.execute("SELECT text, heading FROM passages").fetchall()
                ]
            engine.embed(texts + user.wants + user.avoid + user.dealbreakers)
            _ = engine.classifier
        print(f"set-up: {n} companies, {count} passages embedded in {t_embed['wall']:.1f} s")

        with timer() as t_first:
            ranked = compare(ValuesEngine(settings, db), [], PROFILE)
        with timer() as t_warm:
            ranked_again = compare(ValuesEngine(settings, db), [], PROFILE)
        assert [r.score for r in ranked] == [r.score for r in ranked_again]

        def one_at_a_time() -> list[float | None]:
            fresh = ValuesEngine(settings, db)
            with db.connect(read_only=True) as con:
                companies = resolve_companies(con, [])
            scores = []
            for company in companies:
                try:
                    scores.append(fit_company(fresh, company, user)[0].score or -1.0)
                except InsufficientData:  # never crawled: compare lists it unscored
                    scores.append(-1.0)
            return sorted(scores, reverse=True)

        with timer() as t_base:
            baseline = one_at_a_time()
        assert baseline == sorted((r.score or -1.0 for r in ranked), reverse=True)

        target = ranked[len(ranked) // 2].company
        with timer() as t_fit:
            fresh = ValuesEngine(settings, db)
            with db.connect(read_only=True) as con:
                company = resolve_companies(con, [target])[0]
            fit_company(fresh, company, user)
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
