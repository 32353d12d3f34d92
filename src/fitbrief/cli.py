"""The command line: each command parses options, calls one library function, formats output.

Only this module turns FitbriefError into a message and an exit code; a traceback is shown
only with FITBRIEF_DEBUG=1.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from fitbrief import __version__
from fitbrief.config import DEFAULT_CONFIG_TEXT, Settings, load_settings
from fitbrief.db import Database
from fitbrief.errors import FitbriefError, UsageError
from fitbrief.textutil import decode_text, read_text_file


class State:
    """What the global options resolved to; engines are built lazily (the model is slow)."""

    def __init__(self, settings: Settings, quiet: bool) -> None:
        self.settings = settings
        self.quiet = quiet
        self._engine: Any = None

    @property
    def db(self) -> Database:
        return Database(self.settings.database, float(self.settings["storage"]["busy_timeout"]))

    def engine(self) -> Any:
        if self._engine is None:
            from fitbrief.culture import ValuesEngine

            self._engine = ValuesEngine(self.settings, self.db)
            if not self.quiet and sys.stderr.isatty():
                self._engine.progress = EmbeddingBar()
        return self._engine

    def profile_path(self, given: str | None) -> str:
        return given or str(self.settings["profile"]["path"])


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "__dict__"):
        return value.__dict__
    return str(value)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=_json_default, ensure_ascii=False))


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def print_table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    console().print(table)


def _fail(exc: FitbriefError) -> None:
    if os.environ.get("FITBRIEF_DEBUG") == "1":
        raise exc
    click.echo(f"fitbrief: error: {exc}", err=True)
    sys.exit(exc.exit_code)


class FitbriefGroup(click.Group):
    """Turns library errors into one-line messages for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FitbriefError as exc:
            _fail(exc)


def _progress_display(description: str = "{task.description}") -> Any:
    """The one look of fitbrief's progress bars: label, bar, done/total, on stderr, gone when
    finished."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn(description),
        BarColumn(),
        MofNCompleteColumn(),
        transient=True,
        console=Console(stderr=True),
    )


class EmbeddingBar:
    """A progress bar for embedding that appears only when there is much to embed (the first
    fit or brief after a crawl) and closes itself when done."""

    MIN_TEXTS = 200  # fewer take a couple of seconds: no bar

    def __init__(self) -> None:
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < self.MIN_TEXTS or done >= total:
                return
            self._bar = _progress_display("embedding new passages")
            self._bar.start()
            self._task = self._bar.add_task("embed", total=total)
        self._bar.update(self._task, completed=done, total=total)
        if done >= total:
            self._bar.stop()
            self._bar = None


@contextmanager
def progress_bar(state: State, label: str) -> Iterator[Callable[..., None] | None]:
    """Rich progress bars on a terminal, one per label (``update(done, total, label)``, e.g.
    one per company in a crawl); nothing when piped or --quiet."""
    if state.quiet or not sys.stderr.isatty():
        yield None
        return
    with _progress_display() as bar:
        tasks: dict[str, Any] = {}

        def update(done: int, total: int, name: str = label) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=None)
            bar.update(tasks[name], completed=done, total=total)

        yield update


@click.group(cls=FitbriefGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fitbrief")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Configuration file (default ./config.toml).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help="Database file (overrides [storage] database and FITBRIEF_DB).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, db_path: str | None, quiet: bool) -> None:
    """fitbrief: research companies, score cultural fit, learn from interviews."""
    try:
        settings = load_settings(config_path)
        if db_path:
            settings.set("storage", "database", db_path)
    except FitbriefError as exc:
        _fail(exc)
    ctx.obj = State(settings, quiet)


pass_state = click.make_pass_decorator(State)


# ----------------------------------------------------------------------------- set-up


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def init(force: bool) -> None:
    """Write a commented config.toml and a profile.toml template here."""
    from fitbrief.fit import PROFILE_TEMPLATE

    for name, text in (("config.toml", DEFAULT_CONFIG_TEXT), ("profile.toml", PROFILE_TEMPLATE)):
        path = Path(name)
        if path.exists() and not force:
            raise UsageError(f"{path} exists already; use --force to overwrite it")
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}")


@cli.group()
def company() -> None:
    """Add, list and remove the companies you research."""


@company.command("add")
@click.argument("name")
@click.option("--url", required=True, help="The company's homepage (http or https).")
@click.option("--notes", help="Free-text notes.")
@click.option("--greenhouse", help="Greenhouse board token.")
@click.option("--lever", help="Lever site name.")
@click.option("--ashby", help="Ashby job-board name.")
@click.option("--workable", help="Workable account slug.")
@click.option("--smartrecruiters", help="SmartRecruiters company id.")
@click.option("--recruitee", help="Recruitee company slug.")
@click.option("--personio", help="Personio host name.")
@pass_state
def company_add(state: State, name: str, url: str, notes: str | None, **boards: str | None) -> None:
    """Register a company by NAME and homepage URL, with optional ATS boards."""
    from fitbrief.companies import add_company

    added = add_company(state.db, name, url, {k: v for k, v in boards.items() if v}, notes)
    click.echo(f"added {added['name']} ({added['url']})")


@company.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def company_list(state: State, as_json: bool) -> None:
    """List companies with how much research is stored."""
    from fitbrief.companies import list_companies

    companies = list_companies(state.db)
    if as_json:
        emit_json(companies)
        return
    for c in companies:
        c["boards"] = ", ".join(f"{b['source']}:{b['board']}" for b in c["boards"])
    print_table(companies, ["name", "url", "pages", "open_postings", "boards", "last_crawled"])


@company.command("remove")
@click.argument("name")
@pass_state
def company_remove(state: State, name: str) -> None:
    """Delete a company and everything stored about it."""
    from fitbrief.companies import remove_company

    remove_company(state.db, name)
    click.echo(f"removed {name}")


@cli.group()
def db() -> None:
    """Inspect the database."""


@db.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def db_info(state: State, as_json: bool) -> None:
    """Path, schema version and row counts."""
    from fitbrief.db import schema_version, table_counts

    with state.db.connect(read_only=True) as con:
        info: dict[str, Any] = {
            "path": str(state.db.path),
            "schema_version": schema_version(con),
            "tables": table_counts(con),
        }
    if as_json:
        emit_json(info)
        return
    click.echo(f"database: {info['path']}\nschema version: {info['schema_version']}")
    print_table([{"table": k, "rows": v} for k, v in info["tables"].items()], ["table", "rows"])


@cli.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@pass_state
def sql(state: State, query: str, as_json: bool, as_csv: bool) -> None:
    """Run a read-only SQL QUERY against the database."""
    import duckdb

    from fitbrief.db import fetch_dicts

    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise UsageError(f"SQL error: {str(exc).splitlines()[0]}") from None
    allowed = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
    if not statements or any(s.type not in allowed for s in statements):
        raise UsageError("only read-only queries (SELECT, EXPLAIN) are allowed")
    with state.db.connect(read_only=True) as con:
        try:
            rows = fetch_dicts(con, query)
        except duckdb.Error as exc:
            raise UsageError(f"SQL error: {str(exc).splitlines()[0]}") from None
    if as_json:
        emit_json(rows)
    elif as_csv:
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
    else:
        print_table(rows, list(rows[0]) if rows else [])


# ----------------------------------------------------------------------------- research


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Crawl every company.")
@click.option("--max-pages", type=click.IntRange(1, 10000), help="Pages per company.")
@click.option("--refresh", is_flag=True, help="Fetch again even pages fetched recently.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (as 'fitbrief -q crawl').")
@pass_state
def crawl(
    state: State,
    names: tuple[str, ...],
    all_: bool,
    max_pages: int | None,
    refresh: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Crawl companies' public pages and job boards (NAME ... or --all)."""
    from fitbrief import pipeline

    state.quiet = state.quiet or quiet

    if not names and not all_:
        raise UsageError("name one or more companies, or use --all")
    with progress_bar(state, "crawling") as bar:
        results = pipeline.crawl(
            state.db,
            state.settings,
            names,
            max_pages,
            refresh,
            progress=(lambda company, d, t: bar(d, t, company)) if bar else None,
        )
    rows = []
    for r in results:
        row = r.crawl.as_dict()
        row["extracted"] = r.extracted
        row["job_errors"] = r.jobs.errors if r.jobs else []
        rows.append(row)
    if as_json:
        emit_json(rows)
    else:
        for row in rows:
            row["seconds"] = f"{row['seconds']:.1f}"
        print_table(
            rows,
            [
                "company",
                "fetched",
                "unchanged",
                "skipped",
                "robots",
                "failed",
                "postings",
                "seconds",
                "error",
            ],
            title="crawl",
        )
        for row in rows:
            for err in row["job_errors"]:
                click.echo(f"{row['company']}: job board: {err}", err=True)
    unreachable = [r["company"] for r in rows if r["error"]]
    if unreachable:
        click.echo(f"fitbrief: error: could not crawl: {', '.join(unreachable)}", err=True)
        sys.exit(1)


@cli.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def extract(state: State, source: str, as_json: bool) -> None:
    """Extract the main text of a local HTML file (.gz too) or a URL."""
    from fitbrief.errors import ExtractionError
    from fitbrief.extract import extract as run_extract
    from fitbrief.extract import read_source

    content_type = None
    if source.startswith(("http://", "https://")):
        import asyncio

        from fitbrief.crawl.http import FetchPolicy, fetch, make_client

        policy = FetchPolicy.from_settings(state.settings)

        async def get() -> Any:
            async with make_client(policy) as client:
                return await fetch(client, source, policy)

        response = asyncio.run(get())
        if not response.ok:
            raise ExtractionError(f"{source}: {response.error or response.status}")
        data, content_type = response.body, response.content_type
    else:
        data, _ = read_source(source)
    doc = run_extract(data, source if "://" in source else None, content_type)
    if as_json:
        emit_json(doc.to_dict())
        return
    if not doc.text:
        raise ExtractionError(f"{source}: no main text could be extracted")
    click.echo(doc.text)


@cli.command()
@click.argument("name", required=False)
@click.option("--open-only", is_flag=True, help="Only postings still listed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def jobs(state: State, name: str | None, open_only: bool, as_json: bool) -> None:
    """List stored job postings (of one company with NAME)."""
    from fitbrief.companies import get_company
    from fitbrief.jobs import list_postings

    if name:
        with state.db.connect(read_only=True) as con:
            get_company(con, name)
    rows = list_postings(state.db, name, open_only)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["locations"] = ", ".join(r["locations"])
        r["salary"] = (
            f"{r['salary_min']:,.0f}-{r['salary_max']:,.0f} {r['salary_currency'] or ''}"
            if r["salary_min"]
            else ""
        )
    print_table(
        rows, ["id", "company", "source", "title", "locations", "workplace", "salary", "status"]
    )


# ----------------------------------------------------------------------------- values & fit


@cli.group()
def values() -> None:
    """The values taxonomy and company culture profiles."""


@values.command("dimensions")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def values_dimensions(state: State, as_json: bool) -> None:
    """Show the taxonomy's dimensions."""
    from fitbrief.values import taxonomy_for

    taxonomy = taxonomy_for(state.settings)
    if as_json:
        emit_json([d.__dict__ for d in taxonomy.dimensions])
        return
    print_table(
        [
            {
                "id": d.id,
                "name": d.name,
                "anchors": len(d.anchors),
                "Li 2021": ", ".join(d.li2021),
                "Culture 500": ", ".join(d.culture500),
                "O*NET": ", ".join(d.onet),
            }
            for d in taxonomy.dimensions
        ],
        ["id", "name", "anchors", "Li 2021", "Culture 500", "O*NET"],
    )


@values.command("classify")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), default="-")
@click.option("--json", "as_json", is_flag=True, help="JSON lines.")
@pass_state
def values_classify(state: State, file: str, as_json: bool) -> None:
    """Classify each line of FILE (or stdin) into a value dimension, or none."""
    if file == "-":
        text = decode_text(sys.stdin.buffer.read(), "standard input")
    else:
        text = read_text_file(file, "input")
    texts = [line.strip() for line in text.splitlines() if line.strip()]
    engine = state.engine()
    vectors = engine.embed(texts)
    probs = engine.classifier.probabilities(vectors)
    labels = engine.classifier.labels(probs, engine.min_probability)
    for text, label, row in zip(texts, labels, probs, strict=True):
        scores = {d: round(float(p), 4) for d, p in zip(engine.taxonomy.ids, row, strict=True)}
        if as_json:
            click.echo(json.dumps({"text": text, "dimension": label, "scores": scores}))
        else:
            top = max(scores, key=scores.__getitem__)
            click.echo(f"{label or 'none':<14} {scores[top]:.2f}  {text}")


@values.command("profile")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def values_profile(state: State, files: tuple[str, ...], as_json: bool) -> None:
    """Culture profile of FILES (text, Markdown or HTML) read as one company's pages."""
    from fitbrief.documents import passages_from_files
    from fitbrief.values import profile_to_json

    passages = passages_from_files(files)
    profile = state.engine().profile_passages(passages)
    if as_json:
        emit_json(profile_to_json(profile))
        return
    _print_profile(profile)


def _print_profile(profile: dict[str, Any]) -> None:
    rows = []
    for dim, p in sorted(profile.items(), key=lambda kv: -(kv[1].emphasis or -1)):
        rows.append(
            {
                "dimension": dim,
                "emphasis": "unknown" if p.emphasis is None else f"{p.emphasis:.2f}",
                "confidence": f"{p.confidence:.2f}",
                "evidence": p.evidence_count,
                "top evidence": (p.evidence[0].text[:90] if p.evidence else ""),
            }
        )
    print_table(rows, ["dimension", "emphasis", "confidence", "evidence", "top evidence"])


@values.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def values_show(state: State, name: str, as_json: bool) -> None:
    """The stored culture profile of a crawled company."""
    from fitbrief.companies import get_company
    from fitbrief.errors import InsufficientData
    from fitbrief.values import profile_to_json

    with state.db.connect(read_only=True) as con:
        company = get_company(con, name)
    profile, passages = state.engine().company_profile(company)
    if not passages:
        raise InsufficientData(f"no research stored for {name!r}: run 'fitbrief crawl' first")
    if as_json:
        emit_json(profile_to_json(profile))
    else:
        _print_profile(profile)


@cli.group()
def profile() -> None:
    """Your values profile (profile.toml)."""


@profile.command("check")
@click.option("--profile", "path", help="Profile file (default from config).")
@pass_state
def profile_check(state: State, path: str | None) -> None:
    """Validate a profile file."""
    from fitbrief.fit import load_profile
    from fitbrief.values import taxonomy_for

    user = load_profile(state.profile_path(path), taxonomy_for(state.settings))
    click.echo(
        f"{user.path}: ok ({len(user.importance)} dimensions rated, {len(user.wants)} "
        f"wants, {len(user.avoid)} avoid, {len(user.dealbreakers)} dealbreakers)"
    )


@profile.command("show")
@click.option("--profile", "path", help="Profile file (default from config).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def profile_show(state: State, path: str | None, as_json: bool) -> None:
    """Show a profile."""
    from fitbrief.fit import load_profile
    from fitbrief.values import taxonomy_for

    taxonomy = taxonomy_for(state.settings)
    user = load_profile(state.profile_path(path), taxonomy)
    if as_json:
        emit_json(user.__dict__)
        return
    print_table(
        [
            {"dimension": d.id, "importance": user.importance.get(d.id, "not rated")}
            for d in taxonomy.dimensions
        ],
        ["dimension", "importance"],
        title=user.name or user.path,
    )
    for key in ("wants", "avoid", "dealbreakers"):
        for item in getattr(user, key):
            click.echo(f"{key}: {item}")


@profile.command("quiz")
@click.option("--answers", type=click.Path(dir_okay=False), help="Answer file: CARD = 1..5.")
@click.option("-o", "--output", default="profile.toml", show_default=True, help="Where to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--name", default="", help="Your name for the profile.")
def profile_quiz(answers: str | None, output: str, force: bool, name: str) -> None:
    """A short questionnaire (O*NET Work Importance Profiler items) that writes profile.toml."""
    from fitbrief.quiz import importance_from_answers, profile_toml, read_answers, run_quiz

    out = Path(output)
    if out.exists() and not force:
        raise UsageError(f"{out} exists already; use --force to overwrite it")
    if answers:
        given = read_answers(answers)
    else:
        click.echo(
            "On my ideal job it is important that ... (1 = not important, 5 = essential)\n"
            "Items A-U: O*NET Work Importance Profiler, USDOL/ETA, CC BY 4.0."
        )
        given = run_quiz(lambda s: click.prompt(f"  {s}", type=click.IntRange(1, 5)))
    out.write_text(profile_toml(importance_from_answers(given), name), encoding="utf-8")
    click.echo(f"wrote {out}")


@cli.command()
@click.argument("name")
@click.option("--profile", "path", help="Profile file (default from config).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def fit(state: State, name: str, path: str | None, as_json: bool) -> None:
    """How well a company's stated culture fits your values profile, and why."""
    from fitbrief.companies import get_company
    from fitbrief.fit import load_profile
    from fitbrief.pipeline import fit_company

    engine = state.engine()
    user = load_profile(state.profile_path(path), engine.taxonomy)
    with state.db.connect(read_only=True) as con:
        company = get_company(con, name)
    result, _, _ = fit_company(engine, company, user)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_fit(result)


def _print_fit(result: Any) -> None:
    score = "insufficient evidence" if result.score is None else f"{result.score:.0f}/100"
    click.echo(f"{result.company}: {score} — {result.verdict} (confidence {result.confidence:.2f})")
    rows = [
        {**d, "emphasis": "unknown" if d["emphasis"] is None else f"{d['emphasis']:.2f}"}
        for d in result.dimensions
    ]
    print_table(rows, ["id", "importance", "emphasis", "evidence_count", "contribution"])
    for label, items in (("match", result.matches[:3]), ("mismatch", result.mismatches[:3])):
        for m in items:
            ev = m["evidence"]
            click.echo(
                f"{label}: {m['name']} — “{(ev or {}).get('text', '')[:160]}” "
                f"{(ev or {}).get('url', '')}"
            )
    for u in result.unknowns:
        click.echo(f"unknown: {u['name']} — ask: {u['questions'][0]}")
    for s in result.statements:
        click.echo(f"{s.kind}: “{s.statement}” ~ “{s.text[:120]}” ({s.similarity:.2f}) {s.url}")
    for s in result.dealbreakers:
        click.echo(f"DEALBREAKER: “{s.statement}” ~ “{s.text[:120]}” {s.url}")


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--profile", "path", help="Profile file (default from config).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Also write a page with a per-dimension heatmap.",
)
@pass_state
def compare(
    state: State,
    names: tuple[str, ...],
    path: str | None,
    as_json: bool,
    as_csv: bool,
    html_path: str | None,
) -> None:
    """Rank employers (NAME ... or all) by fit with your profile."""
    from fitbrief.pipeline import compare as run_compare
    from fitbrief.report import compare_rows, render_compare_html

    results = run_compare(state.engine(), names, state.profile_path(path))
    rows = compare_rows(results)
    if html_path:
        Path(html_path).write_text(
            render_compare_html(results, state.engine().taxonomy), encoding="utf-8"
        )
    if as_json:
        emit_json(rows)
    elif as_csv:
        out = io.StringIO()
        writer = csv.DictWriter(
            out,
            fieldnames=[
                "rank",
                "name",
                "score",
                "confidence",
                "verdict",
                "top_match",
                "top_mismatch",
            ],
        )
        writer.writeheader()
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
    else:
        print_table(
            rows,
            ["rank", "name", "score", "confidence", "verdict", "top_match", "top_mismatch"],
            title="fit ranking",
        )


@cli.command()
@click.argument("name")
@click.option("--role", help="A job title among the stored postings.")
@click.option("--job", type=int, help="A stored posting id (see 'fitbrief jobs').")
@click.option("--profile", "path", help="Profile file (default from config).")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file.")
@pass_state
def brief(
    state: State,
    name: str,
    role: str | None,
    job: int | None,
    path: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Write the pre-interview research brief for a company."""
    from fitbrief.report import make_brief

    if role and job is not None:
        raise UsageError("give --role or --job, not both")
    text = make_brief(
        state.engine(),
        name,
        role,
        job,
        path or (state.profile_path(None) if Path(state.profile_path(None)).exists() else None),
        fmt,
    )
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text)


# ----------------------------------------------------------------------------- debrief


@cli.command()
@click.argument("name")
@click.option(
    "--questions",
    "questions_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="The questions asked, one per line.",
)
@click.option("--feedback", help="Feedback you received.")
@click.option("--feedback-file", type=click.Path(dir_okay=False), help="Feedback from a file.")
@click.option(
    "--outcome", default="pending", show_default=True, help="rejected, offer, pending or withdrew."
)
@click.option("--date", "when", help="Interview date YYYY-MM-DD (default today).")
@click.option("--role", help="The role interviewed for.")
@click.option("--force", is_flag=True, help="Replace the same debrief if stored already.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def debrief(
    state: State,
    name: str,
    questions_file: str,
    feedback: str | None,
    feedback_file: str | None,
    outcome: str,
    when: str | None,
    role: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Record an interview and show which questions your research did not cover."""
    from fitbrief.companies import get_company
    from fitbrief.debrief import OUTCOMES, Interview, read_questions, record

    if outcome not in OUTCOMES:
        raise UsageError(f"unknown outcome {outcome!r} (one of {', '.join(OUTCOMES)})")
    if feedback and feedback_file:
        raise UsageError("give --feedback or --feedback-file, not both")
    if feedback_file:
        feedback = read_text_file(feedback_file, "feedback")
    try:
        day = date.fromisoformat(when) if when else date.today()
    except ValueError:
        raise UsageError(f"--date {when!r} is not YYYY-MM-DD") from None
    questions = read_questions(questions_file)
    with state.db.connect(read_only=True) as con:
        company = get_company(con, name)
    report = record(
        state.engine(), Interview(company, questions, outcome, day, role, feedback), force
    )
    if as_json:
        emit_json(report)
        return
    click.echo(
        f"{report['company']} {report['date']} ({report['outcome']}): "
        f"{report['covered_share']:.0%} of questions covered by your research"
    )
    rows = [
        {
            "question": q["question"][:70],
            "category": q["category"],
            "covered": "yes" if q["covered"] else "NO",
            "similarity": q["similarity"],
            "research": (q["research"] or {}).get("advice", ""),
        }
        for q in report["questions"]
    ]
    print_table(rows, ["question", "category", "covered", "similarity", "research"])
    for lesson in report["lessons"]:
        click.echo(f"lesson ({lesson['area']}): {lesson['feedback']}")


@cli.command()
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def gaps(state: State, name: str | None, as_json: bool) -> None:
    """Recurring research gaps and progress across interviews."""
    from fitbrief.debrief import gaps as run_gaps

    report = run_gaps(state.db, name)
    if as_json:
        emit_json(report)
        return
    print_table(
        report["interviews"],
        ["date", "company", "role", "outcome", "covered_share"],
        title="interviews",
    )
    print_table(
        report["next_steps"],
        ["category", "missed", "asked", "advice"],
        title="recurring gaps and next steps",
    )
    if report["covered_trend_per_interview"] is not None:
        click.echo(
            f"covered share trend: {report['covered_trend_per_interview']:+.3f} per interview"
        )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def interviews(state: State, as_json: bool) -> None:
    """Your interview history."""
    from fitbrief.debrief import history

    rows = history(state.db)
    if as_json:
        emit_json(rows)
        return
    print_table(rows, ["id", "date", "company", "role", "outcome", "questions", "covered_share"])


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="fitbrief-demo",
    show_default=True,
    help="Folder for the demo database and outputs.",
)
@click.option(
    "--fresh/--reuse",
    default=False,
    help="Start from an empty database (default reuses it, so nothing is "
    "fetched or embedded twice).",
)
@pass_state
def demo(state: State, out_dir: str, fresh: bool) -> None:
    """Run everything on the bundled demo companies, served on loopback."""
    from fitbrief.demo import run_demo

    run_demo(Path(out_dir), state.settings, fresh=fresh, quiet=state.quiet)


def main() -> None:
    cli(prog_name="fitbrief")
