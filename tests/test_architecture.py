"""The layout holds: SQL only in store/, ATS sources named only in sources/, no import cycle
between folders, config defaults generated from the registry, and a built wheel that runs
the demo from anywhere."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fitbrief"
PY_FILES = [p for p in SRC.rglob("*.py") if "data" not in p.relative_to(SRC).parts]
assert len(PY_FILES) > 20, SRC  # the checks below read these: never an empty list
_SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+"
    r"(?:TABLE|SEQUENCE|INDEX))\b",
    re.S,  # SQL keywords are written in capitals here; prose is not
)


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_no_sql_outside_the_store():
    offenders = [
        f"{p.relative_to(SRC)}: {s[:60]!r}"
        for p in PY_FILES
        if p.relative_to(SRC).parts[0] != "store"
        for s in _strings(p)
        if _SQL.search(s)
    ]
    assert offenders == []


def test_the_detector_sees_sql():  # the check above can fail
    assert _SQL.search("SELECT id FROM companies") and _SQL.search("DELETE FROM pages")
    assert not _SQL.search("Select the best story from your bank")


def test_ats_sources_are_named_only_under_sources():
    from fitbrief.sources.registry import SOURCES

    names = re.compile(r"\b(" + "|".join(SOURCES) + r")\b", re.I)
    offenders = []
    for path in PY_FILES:
        if path.relative_to(SRC).parts[0] == "sources":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if names.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_config_defaults_match_the_registry():
    from fitbrief.config import DEFAULT_CONFIG_TEXT, load_settings
    from fitbrief.sources.registry import SOURCES

    table = tomllib.loads(DEFAULT_CONFIG_TEXT)["sources"]
    assert table == {f"{s.name}_url": s.default_url for s in SOURCES.values()}
    assert dict(load_settings(environ={}).sources.urls) == {
        s.name: s.default_url for s in SOURCES.values()
    }


def test_cli_board_options_come_from_the_registry():
    from fitbrief.cli import cli
    from fitbrief.sources.registry import SOURCES

    add = cli.commands["company"].commands["add"]  # type: ignore[attr-defined]
    options = {p.name for p in add.params}
    assert set(SOURCES) <= options


def _folder(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_no_import_cycle_between_folders():
    """Folders (and top-level modules) form a directed acyclic graph of imports."""
    graph: dict[str, set[str]] = {}
    for path in PY_FILES:
        rel = path.relative_to(SRC)
        node = rel.parts[0].removesuffix(".py")
        module = "fitbrief." + ".".join(rel.with_suffix("").parts)
        for n in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(n, ast.ImportFrom) and n.module:
                base = n.module
                if n.level:  # relative import
                    base = ".".join([*module.split(".")[: -n.level], n.module])
                targets = [base]
            elif isinstance(n, ast.Import):
                targets = [a.name for a in n.names]
            for target in targets:
                if target.startswith("fitbrief.") and _folder(target) != node:
                    graph.setdefault(node, set()).add(_folder(target))
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        if seen.get(node) == 1:
            raise AssertionError("import cycle: " + " -> ".join([*path, node]))
        if seen.get(node) == 2:
            return
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*path, node])
        seen[node] = 2

    for node in sorted(graph):
        visit(node, [])
    # The base modules import no folder: everything else may build on them.
    bases = {"errors", "textutil", "tomlfile", "records", "config", "resources"}
    for base in bases:
        assert not graph.get(base, set()) - (bases - {"resources"}), base
    importers = {n for n, targets in graph.items() if "cli" in targets}
    assert importers == {"__main__"}  # the CLI is the top: nothing else imports it


@pytest.mark.model
def test_built_wheel_runs_the_demo_from_anywhere(tmp_path):
    """The wheel carries its data: installed elsewhere with --no-deps, it runs the demo from a
    folder outside the checkout."""
    dist, target, elsewhere = tmp_path / "dist", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
        ],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = dist.glob("fitbrief-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FITBRIEF_")}
    env["PYTHONPATH"] = str(target)
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import fitbrief, fitbrief.resources as r; print(fitbrief.__file__); print(r.DATA_DIR)",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(line.startswith(str(target)) for line in where), where
    result = subprocess.run(
        [sys.executable, "-m", "fitbrief", "--quiet", "demo", "--out", "out"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (elsewhere / "out" / "brief-quietloop.html").exists()
    assert (elsewhere / "out" / "compare.html").exists()
