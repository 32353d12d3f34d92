"""The brief for a crawled company, once its embeddings exist (target: under 2 s).

Set-up (not timed): ``fitbrief demo`` into a temporary folder, which crawls the bundled sites
and embeds every passage with the real model.  Then, for every demo company:

  * the library call ``make_brief`` in a fresh engine (as a new process would have it), for
    HTML with fit and a role, best of 3;
  * ``fitbrief brief NAME --role ... --format html`` end to end in a new process;
  * baseline, same run: ``fitbrief company list`` in a new process -- the floor every command
    pays (interpreter start-up and imports), so the brief's own share is visible.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT, best_of, gate, table

from fitbrief.app import App
from fitbrief.config import load_settings
from fitbrief.demo import run_demo
from fitbrief.pipeline.brief import make_brief
from fitbrief.store.postings import list_postings

MAX_SECONDS = 2.0
PROFILE = ROOT / "data" / "demo" / "profile.toml"


def cli_seconds(args: list[str], env: dict[str, str]) -> float:
    exe = str(Path(sys.executable).parent / "fitbrief")

    def once() -> None:
        subprocess.run([exe, *args], env=env, check=True, capture_output=True)

    return best_of(once, 3)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        run_demo(out, load_settings(environ={}), quiet=True)
        db_path = out / "demo.duckdb"
        settings = load_settings(environ={}).replace("storage", database=str(db_path))
        env = {**os.environ, "FITBRIEF_DB": str(db_path)}
        rows, worst = [], 0.0
        floor = cli_seconds(["company", "list"], env)
        postings = list_postings(App(settings).db, None)
        for posting in {p.company: p for p in postings}.values():
            name, role = posting.company, posting.title

            def brief(name: str = name, role: str = role) -> None:
                make_brief(App(settings), name, role, None, str(PROFILE), "html")

            library = best_of(brief, 3)
            cli = cli_seconds(
                ["brief", name, "--role", role, "--profile", str(PROFILE), "--format", "html"], env
            )
            worst = max(worst, cli)
            rows.append(
                {
                    "company": name,
                    "library s": library,
                    "fitbrief brief s": cli,
                    "fitbrief company list s (baseline)": floor,
                }
            )
    table(rows, "Brief (HTML, with fit and role), embeddings cached; best of 3")
    return 0 if gate("brief headroom (2 s / slowest CLI seconds)", MAX_SECONDS / worst, 1.0) else 1


if __name__ == "__main__":
    sys.exit(main())
