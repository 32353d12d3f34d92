import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import one_line_error, run

from fitbrief.cli import cli
from fitbrief.store.database import LATEST_VERSION, Database, migrate, schema_version


def test_version_and_help_on_every_command():
    assert "fitbrief" in run("--version").output

    def walk(group, path):
        for name, command in group.commands.items():
            result = run(*path, name, "--help")
            assert result.exit_code == 0, (path, name)
            assert (command.help or "").strip(), f"{' '.join([*path, name])} has no help text"
            if hasattr(command, "commands"):
                walk(command, [*path, name])

    walk(cli, [])


def test_company_add_then_list_in_a_new_process(workspace):
    assert (
        run(
            "company", "add", "Acme", "--url", "https://acme.example", "--greenhouse", "acme"
        ).exit_code
        == 0
    )
    out = subprocess.run(
        [sys.executable, "-m", "fitbrief", "company", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    companies = json.loads(out)
    assert companies[0]["name"] == "Acme" and companies[0]["url"] == "https://acme.example"
    assert companies[0]["boards"] == [{"source": "greenhouse", "board": "acme", "origin": "user"}]


@pytest.mark.parametrize(
    "args, message",
    [
        (["company", "add", "X", "--url", "ftp://x.example"], "not an http(s) URL"),
        (["company", "add", "X", "--url", "https://"], "not an http(s) URL"),
        (["company", "remove", "Nobody"], "unknown company"),
        (["sql", "DELETE FROM companies"], "read-only"),
        (["sql", "SELECT 1; DROP TABLE companies"], "read-only"),
    ],
)
def test_bad_input_is_one_clear_line(workspace, args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_duplicate_name_is_case_insensitive_and_keeps_data(workspace):
    run("company", "add", "Acme", "--url", "https://acme.example")
    result = run("company", "add", "ACME", "--url", "https://other.example")
    assert result.exit_code != 0 and "already exists" in result.output
    assert json.loads(run("company", "list", "--json").output)[0]["url"] == "https://acme.example"


def test_not_a_database_and_newer_schema(workspace):
    bad = workspace / "bad.duckdb"
    bad.write_text("not a database")
    result = run("--db", str(bad), "company", "list")
    assert result.exit_code != 0 and "not a DuckDB database" in result.output
    newer = workspace / "newer.duckdb"
    con = duckdb.connect(str(newer))
    migrate(con)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    con.close()
    result = run("--db", str(newer), "company", "list")
    assert result.exit_code != 0 and "newer than this fitbrief" in result.output


def test_migrations_twice_are_a_no_op_and_schema_is_final(workspace):
    path = workspace / "m.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con) == list(range(1, LATEST_VERSION + 1))
    assert migrate(con) == []
    assert schema_version(con) == LATEST_VERSION
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {
        "companies",
        "boards",
        "pages",
        "crawl_runs",
        "documents",
        "passages",
        "postings",
        "source_fetches",
        "embeddings",
        "culture_profiles",
        "interviews",
        "interview_questions",
        "schema_migrations",
    } <= tables
    columns = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'companies'"
        ).fetchall()
    }
    assert {"id", "name", "name_key", "url", "added_at", "notes"} <= columns
    assert (
        con.execute(
            "SELECT count(*) FROM schema_migrations WHERE applied_at IS NOT NULL"
        ).fetchone()[0]
        == LATEST_VERSION
    )


def test_busy_database_is_named(workspace):
    path = workspace / "busy.duckdb"
    Database(path).connect().__enter__()  # migrate and hold it in this process
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
            "print('ready', flush=True); time.sleep(20)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = subprocess.run(
            [sys.executable, "-m", "fitbrief", "--db", str(path), "company", "list"],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "FITBRIEF_STORAGE_BUSY_TIMEOUT": "1"},
        )
        assert result.returncode != 0
        assert "in use by another process" in result.stderr and str(path) in result.stderr
    finally:
        holder.kill()


def test_config_errors_name_file_line_and_key(workspace):
    Path("config.toml").write_text("[crawl]\nmax_pages = \n")
    result = run("company", "list")
    assert result.exit_code != 0 and "config.toml" in result.output and "line 2" in result.output
    Path("config.toml").write_text("[crawl]\nmax_pagez = 3\n")
    result = run("company", "list")
    assert "config.toml:2: unknown key 'max_pagez'" in result.output


def test_settings_precedence(workspace, monkeypatch):
    from fitbrief.config import load_settings

    Path("config.toml").write_text("[crawl]\nmax_pages = 7\n")
    assert load_settings().crawl.max_pages == 7
    monkeypatch.setenv("FITBRIEF_CRAWL_MAX_PAGES", "9")
    monkeypatch.setenv("FITBRIEF_DB", "env.duckdb")
    settings = load_settings()
    assert settings.crawl.max_pages == 9 and str(settings.database) == "env.duckdb"
    settings = settings.replace("crawl", max_pages=11)
    assert settings.crawl.max_pages == 11


def test_init_never_overwrites_without_force(workspace):
    assert run("init").exit_code == 0
    assert Path("config.toml").exists() and Path("profile.toml").exists()
    Path("profile.toml").write_text("[importance]\ngrowth = 5\n")
    again = run("init")  # what exists is left alone, with a note; nothing is an error
    assert again.exit_code == 0 and "left profile.toml alone" in again.output
    assert Path("profile.toml").read_text() == "[importance]\ngrowth = 5\n"
    assert run("init", "--force").exit_code == 0
    assert "wants" in Path("profile.toml").read_text()
    assert run("profile", "check").exit_code == 0


def test_top_level_config_is_the_packaged_default():
    root = Path(__file__).resolve().parents[1]
    from fitbrief.config import DEFAULT_CONFIG_TEXT

    assert (root / "config.toml").read_text() == DEFAULT_CONFIG_TEXT


def test_sql_and_db_info(workspace):
    run("company", "add", "Acme", "--url", "https://acme.example")
    rows = json.loads(run("sql", "SELECT name FROM companies", "--json").output)
    assert rows == [{"name": "Acme"}]
    assert "name\nAcme" in run("sql", "SELECT name FROM companies", "--csv").output
    info = json.loads(run("db", "info", "--json").output)
    assert info["schema_version"] == LATEST_VERSION and info["tables"]["companies"] == 1


@pytest.mark.parametrize("content", [b"\xff\xfe\x00\x01 not UTF-8", b"valid UTF-8 \x00 with NUL"])
@pytest.mark.parametrize(
    "args",
    [
        ["values", "classify", "bin.dat"],
        ["values", "profile", "bin.dat"],
        ["debrief", "Acme", "--questions", "bin.dat"],
        ["debrief", "Acme", "--questions", "q.txt", "--feedback-file", "bin.dat"],
        ["profile", "check", "--profile", "bin.dat"],
        ["profile", "quiz", "--answers", "bin.dat", "-o", "new.toml"],
        ["--config", "bin.dat", "company", "list"],
    ],
)
def test_a_binary_input_file_is_named_in_one_line(workspace, args, content):
    (workspace / "bin.dat").write_bytes(content)
    (workspace / "q.txt").write_text("Why do you want to work here?\n")
    result = run(*args)
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1, result.output
    assert "bin.dat" in lines[0] and "text" in lines[0], lines[0]


def test_binary_standard_input_is_one_line(workspace):
    result = CliRunner().invoke(cli, ["values", "classify", "-"], input=b"\xff\xfe\x00 binary")
    assert result.exit_code == 2
    assert result.output.strip() == "fitbrief: error: standard input is not UTF-8 text (byte 0)"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://acme example.com", "spaces"),
        ("https://acme.example:99999", "port must be a number from 1 to 65535"),
        ("https://-acme-.example", "not a valid host name"),
        ("https://user:secret@acme.example", "no user name or password"),
    ],
)
def test_company_add_checks_the_url(workspace, url, message):
    one_line_error(run("company", "add", "Acme", "--url", url), message)


def test_company_add_writes_an_international_host_in_ascii(workspace):
    assert run("company", "add", "Bücher", "--url", "https://Bücher.example/").exit_code == 0
    [company] = json.loads(run("company", "list", "--json").output)
    assert company["url"] == "https://xn--bcher-kva.example/"


def test_every_table_is_deleted_with_its_company_or_shared(workspace):
    """Removing a company reaches every table that holds its rows (one transaction)."""
    from fitbrief.store.companies import SHARED_TABLES, _dependents

    db = Database(workspace / "t.duckdb")
    with db.connect() as con:
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        dependents = {t for t, _ in _dependents(con)}
    assert tables == dependents | SHARED_TABLES and not dependents & SHARED_TABLES
