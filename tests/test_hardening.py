"""What a new user's first hour broke: one regression test per defect, at the CLI where the
user meets it.  Every error is one line naming the file, key, path or company, with a
non-zero exit, and nothing stored is lost or half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import make_app, one_line_error, run
from test_fit import PASSAGES, store_company

from fitbrief.store import Database

# 1 --------------------------------------------------------------------- quiz -> profile


def test_the_quiz_writes_a_profile_fitbrief_accepts(workspace):
    result = run("profile", "quiz", "-o", "q.toml", input="4\n" * 30)
    assert result.exit_code == 0, result.output
    checked = run("profile", "check", "--profile", "q.toml")
    assert checked.exit_code == 0, checked.output
    assert "dimensions rated" in checked.output
    # Keys put after [importance] by hand: a message that says what to do.
    Path("bad.toml").write_text('[importance]\ngrowth = 4\nwants = ["mentoring"]\n')
    one_line_error(run("profile", "check", "--profile", "bad.toml"), "bad.toml:3", "move it")


# 2 --------------------------------------------------------------------- markup is text

EVIL = "[bold red]Evil[/] Co :x: [/]"


def test_text_that_looks_like_rich_markup_is_printed_as_text(workspace, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # a wide table: nothing wrapped
    assert run("company", "add", EVIL, "--url", "https://evil.example").exit_code == 0
    listed = run("company", "list")
    assert listed.exit_code == 0, listed.output
    assert "[bold red]Evil[/]" in listed.output and ":x:" in listed.output
    sql = run("sql", "SELECT ':x:' AS face, name FROM companies")
    assert ":x:" in sql.output and "❌" not in sql.output
    assert "[bold red]Evil[/]" in run("sql", "SELECT name FROM companies", "--csv").output


@pytest.mark.model
def test_markup_in_passages_postings_and_questions_is_text(workspace, use_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    store_company(
        use_db, "Marked", [("Values > [/]", "We value [/] craft and [bold]care[/].", "values")]
    )
    from datetime import UTC, datetime

    from fitbrief.records import Board, Posting
    from fitbrief.store.companies import get_company
    from fitbrief.store.postings import BoardResult, save_board_results

    company = get_company(use_db, "Marked")
    posting = Posting("lever", "1", "Engineer [/] [bold]II[/]")
    save_board_results(
        use_db, company.id, [BoardResult(Board("lever", "m"), [posting])], datetime.now(UTC)
    )
    jobs = run("jobs", "Marked")
    assert jobs.exit_code == 0 and "Engineer [/] [bold]II[/]" in jobs.output, jobs.output
    shown = run("values", "show", "Marked")
    assert shown.exit_code == 0 and "[/]" in shown.output, shown.output
    q = workspace / "q.txt"
    q.write_text("What does [/] mean for [red]your team[/]?\n")
    debrief = run("debrief", "Marked", "--questions", str(q))
    assert debrief.exit_code == 0 and "[red]your team[/]" in debrief.output, debrief.output


# 3 --------------------------------------------------------------------- remove asks first


def test_company_remove_says_what_it_deletes_and_needs_confirmation(workspace, settings, use_db):
    db = use_db
    store_company(db, "Calm Co", PASSAGES["Calm Co"])
    from datetime import date

    from fitbrief.pipeline.debrief import Interview, record
    from fitbrief.store.companies import get_company

    record(
        make_app(settings),
        Interview(get_company(db, "Calm Co"), ["What do you build?"], "rejected", date.today()),
    )
    refused = run("company", "remove", "calm co")
    line = one_line_error(refused, "Calm Co", "1 interviews", "--yes", "nothing was deleted")
    assert "4 pages" in line
    assert json.loads(run("interviews", "--json").output)[0]["company"] == "Calm Co"
    done = run("company", "remove", "calm co", "--yes")
    assert done.exit_code == 0 and "removed 'Calm Co'" in done.output
    assert json.loads(run("interviews", "--json").output) == []
    with duckdb.connect(str(db.path), read_only=True) as con:
        for table in ("pages", "passages", "documents", "interviews", "interview_questions"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


# 4 --------------------------------------------------------------------- init in a checkout


def test_init_writes_what_is_missing_and_never_writes_through_a_link(workspace):
    target = workspace / "packaged.toml"
    target.write_text("# packaged defaults\n")
    (workspace / "config.toml").symlink_to(target)
    result = run("init")
    assert result.exit_code == 0, result.output
    assert "left config.toml alone" in result.output and "wrote profile.toml" in result.output
    assert run("init", "--force").exit_code == 0
    assert target.read_text() == "# packaged defaults\n"  # the link's target is untouched
    assert run("profile", "check").exit_code == 0
    again = run("init")
    assert again.exit_code == 0 and "left profile.toml alone" in again.output


# 5 --------------------------------------------------------------------- output paths


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["profile", "quiz", "-o", "/missing/dir/q.toml"], "/missing/dir/q.toml"),
        (["profile", "quiz", "-o", "afolder", "--force"], "afolder: is a folder"),
        (["demo", "--out", "afile"], "afile: --out must be a folder"),
        (["demo", "--out", "/proc/x"], "/proc/x"),
    ],
)
def test_unwritable_output_paths_are_one_line(workspace, args, needle):
    (workspace / "afolder").mkdir()
    (workspace / "afile").write_text("x")
    one_line_error(run(*args, input="3\n" * 30), needle)


@pytest.mark.model
def test_brief_and_compare_outputs_to_missing_folders(workspace, use_db):
    store_company(use_db, "Calm Co", PASSAGES["Calm Co"])
    (workspace / "profile.toml").write_text("[importance]\ngrowth = 5\n")
    one_line_error(
        run("brief", "Calm Co", "-o", "/missing/dir/x.md"), "/missing/dir/x.md", "does not exist"
    )
    one_line_error(run("compare", "--html", "/missing/x.html"), "/missing/x.html")


# 6 --------------------------------------------------------------------- --db


def test_a_mistyped_db_creates_nothing(workspace):
    result = run("--db", str(workspace / "missing" / "dir" / "x.duckdb"), "company", "list")
    one_line_error(result, "missing/dir", "does not exist")
    assert not (workspace / "missing").exists()


def test_another_applications_duckdb_is_refused_and_left_as_it_was(workspace):
    other = workspace / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE companies (ticker TEXT)")  # would clash with migration 1
        con.execute("CREATE TABLE prices (ticker TEXT, price DOUBLE)")
    for args in (["company", "list"], ["company", "add", "X", "--url", "https://x.example"]):
        one_line_error(run("--db", str(other), *args), "other.duckdb", "not a fitbrief database")
    with duckdb.connect(str(other), read_only=True) as con:
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    assert tables == {"companies", "prices"}  # no stray schema_migrations, nothing added


def test_a_failed_migration_leaves_nothing_behind(workspace, monkeypatch):
    from fitbrief.store import database

    broken = [*database.MIGRATIONS[:1], (2, "broken", "CREATE TABLE x (; nonsense")]
    monkeypatch.setattr(database, "MIGRATIONS", broken)
    path = workspace / "half.duckdb"
    with pytest.raises(duckdb.Error), Database(path).connect():
        pass
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 1
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    assert "x" not in tables


# 7 --------------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ("[crawl]\nmax_pages = -5\n", "config.toml:2: [crawl] max_pages must be at least 1"),
        ("[crawl]\nmax_body_bytes = 0\n", "[crawl] max_body_bytes must be at least"),
        ("[crawl]\ntotal_timeout = 0\n", "[crawl] total_timeout must be more than 0"),
        ("[debrief]\ncoverage_threshold = 7\n", "coverage_threshold must be at most 1"),
        ("[storage]\nbusy_timeout = -1\n", "busy_timeout must be at least 0"),
        (
            '[crawl]\nmax_pages = "many"\n',
            "config.toml:2: [crawl] max_pages must be a whole number",
        ),
        ("[crawl]\nmax_pages = true\n", "config.toml:2: [crawl] max_pages must be a whole number"),
    ],
)
def test_settings_are_range_and_type_checked_with_their_line(workspace, config, needle):
    Path("config.toml").write_text(config)
    one_line_error(run("company", "list"), "config.toml", needle)


def test_environment_variables_are_checked(workspace, monkeypatch):
    monkeypatch.setenv("FITBRIEF_CRAWL_MAX_PAGEZ", "3")
    one_line_error(run("company", "list"), "FITBRIEF_CRAWL_MAX_PAGEZ", "not a fitbrief setting")
    monkeypatch.delenv("FITBRIEF_CRAWL_MAX_PAGEZ")
    monkeypatch.setenv("FITBRIEF_DEBUG", "0")  # not a setting, but fitbrief's own: allowed
    monkeypatch.setenv("FITBRIEF_DB", "")
    one_line_error(run("company", "list"), "FITBRIEF_DB", "must not be empty")
    monkeypatch.setenv("FITBRIEF_DB", "ok.duckdb")
    monkeypatch.setenv("FITBRIEF_CRAWL_MAX_PAGES", "-1")
    one_line_error(run("company", "list"), "FITBRIEF_CRAWL_MAX_PAGES", "at least 1")
    monkeypatch.delenv("FITBRIEF_CRAWL_MAX_PAGES")
    monkeypatch.setenv("FITBRIEF_CRAWL_MIN_DELAY", "nan")  # nan passes every range check
    one_line_error(run("company", "list"), "FITBRIEF_CRAWL_MIN_DELAY", "finite number")
    monkeypatch.delenv("FITBRIEF_CRAWL_MIN_DELAY")
    monkeypatch.setenv("FITBRIEF_PROFILE", "mine.toml")  # the short name of [profile] path
    assert run("company", "list").exit_code == 0
    one_line_error(run("--db", "", "company", "list"), "--db", "must not be empty")


# 8 --------------------------------------------------------------------- consistent commands


def test_gaps_of_an_unknown_company_is_an_error(workspace):
    one_line_error(run("gaps", "Nope"), "unknown company 'Nope'")
    assert run("gaps").exit_code == 0


def test_compare_help_says_how_to_compare_all(workspace):
    help_text = run("compare", "--help").output
    assert "every company" in help_text and "or all)" not in help_text


@pytest.mark.model
def test_brief_with_an_ambiguous_role_lists_the_postings(workspace, use_db):
    from datetime import UTC, datetime

    from fitbrief.records import Board, Posting
    from fitbrief.store.postings import BoardResult, save_board_results

    db = use_db
    store_company(db, "Calm Co", PASSAGES["Calm Co"])
    postings = [
        Posting("greenhouse", str(i), title, locations=[city])
        for i, (title, city) in enumerate(
            [
                ("Data Scientist", "Berlin"),
                ("Data Scientist", "Paris"),
                ("Senior Data Scientist", "Rome"),
                ("Designer", "Rome"),
            ]
        )
    ]
    save_board_results(
        db, 1, [BoardResult(Board("greenhouse", "calm"), postings)], datetime.now(UTC)
    )
    line = one_line_error(run("brief", "Calm Co", "--role", "data scientist"), "--job")
    assert "matches 3 stored postings" in line and "Berlin" in line and "Paris" in line
    for role in ("Designer", "senior data scientist"):  # one match, or one exact title
        ok = run("brief", "Calm Co", "--role", role, "--format", "json")
        assert ok.exit_code == 0 and json.loads(ok.output)["role"]["title"].lower() == role.lower()


def test_values_classify_on_an_empty_file_says_so_before_loading_the_model(workspace):
    (workspace / "empty.txt").write_text("\n  \n")
    one_line_error(run("values", "classify", "empty.txt"), "empty.txt", "nothing to classify")


def test_piping_into_head_exits_zero(workspace):
    env = {**os.environ, "FITBRIEF_DB": str(workspace / "p.duckdb")}
    for name in [f"Company {i}" for i in range(3)]:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fitbrief",
                "company",
                "add",
                name,
                "--url",
                "https://x.example",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    script = f'{sys.executable} -m fitbrief sql "SELECT range FROM range(200000)" | head -n 2'
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr


def test_crawl_all_with_nothing_stored_is_an_error(workspace):
    one_line_error(run("crawl", "--all"), "no companies stored yet", "company add")


@pytest.mark.parametrize(
    ("name", "needle"),
    [("Tab\tCo", "tabs, line breaks"), ("Two\nLines", "tabs, line breaks"), ("x" * 5000, "5000")],
)
def test_company_names_must_be_one_printable_line(workspace, name, needle):
    one_line_error(run("company", "add", name, "--url", "https://x.example"), needle)
    assert json.loads(run("company", "list", "--json").output) == []


def test_profile_name_must_be_text(workspace):
    Path("p.toml").write_text("name = 42\n[importance]\ngrowth = 4\n")
    one_line_error(run("profile", "check", "--profile", "p.toml"), "p.toml:1", "'name' must be")


# 9 --------------------------------------------------------------------- brief text


@pytest.mark.model
def test_brief_text_is_clean(workspace, use_db):
    db = use_db
    from fitbrief.render.brief import clean_title

    assert clean_title("Launch week… | Rocketly:", "Rocketly") == "Launch week…"
    assert clean_title("Rocketly – Launch week", "Rocketly") == "Launch week"
    assert clean_title("Q&A: how we hire", "Rocketly") == "Q&A: how we hire"
    store_company(
        db,
        "Mission Co",
        [
            ("About", "We build maps for hikers. Founded in 2019, 40 employees.", "about"),
            ("Our mission", "Our mission is to get everyone outdoors safely.", "about"),
            ("Values > Integrity", "Integrity is part of our mission statement.", "values"),
        ],
    )
    brief = json.loads(run("brief", "Mission Co", "--format", "json").output)
    snapshot = brief["snapshot"]
    ids = [i["passage_id"] for part in snapshot.values() for i in part]
    assert ids and len(ids) == len(set(ids))  # no passage twice
    assert [m["heading"] for m in snapshot["mission"]] == []  # both are in "what" already
    md = run("brief", "Mission Co").output
    assert "no a " not in md and "no an " not in md


@pytest.mark.model
def test_debrief_table_marks_cut_questions(workspace, use_db):
    store_company(use_db, "Calm Co", PASSAGES["Calm Co"])
    q = workspace / "q.txt"
    q.write_text("How would you " + "really " * 20 + "improve our onboarding?\n")
    result = run("debrief", "Calm Co", "--questions", str(q))
    assert result.exit_code == 0, result.output
    assert "…" in result.output


def test_every_toml_file_points_at_the_line_of_its_key_or_table():
    """One reader for config, profile, stories and answers: the line a key sets, inside its
    table or at the top, a table's own header, each [[entry]]'s header; quoted keys too."""
    from fitbrief.tomlfile import line_of, table_lines, where

    text = 'name = "x"\n\n[crawl]\nmax_pages = 3\n"quoted" = 1\n[[story]]\ntitle = "A"\n[[story]]\n'
    assert line_of(text, "name") == 1
    assert line_of(text, "max_pages") is None  # not at the top
    assert line_of(text, "max_pages", "crawl") == 4
    assert line_of(text, "quoted", "crawl") == 5
    assert line_of(text, "crawl") == 3 and line_of(text, "story") == 6
    assert table_lines(text, "story") == [6, 8]
    assert where("a.toml", 4) == "a.toml:4" and where("a.toml", None) == "a.toml"
