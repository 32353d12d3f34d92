"""The one way commands print results: a table on a terminal, ``--json`` or ``--csv``.

Text from the web and from users is always printed as text: rich markup (``[bold]``), emoji
codes (``:x:``) and highlighting are off, so a company name or a crawled sentence can neither
crash a table nor change how it looks.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from fitbrief.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])


def check_output(path: str | Path) -> Path:
    """A result file's path if it can be written there, else one clear UsageError naming it
    (a missing folder, a folder in the way, a link): checked before a command does its work."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name")
    if path.is_symlink():
        raise UsageError(f"{path}: is a link; fitbrief does not write through links")
    if not path.parent.is_dir():
        raise UsageError(f"{path}: the folder {path.parent} does not exist")
    return path


def write_output(path: str | Path, text: str) -> Path:
    """Write a result file, or one clear UsageError naming the path (as ``check_output``, or
    no permission)."""
    path = check_output(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(value)
    return str(value)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=_json_default, ensure_ascii=False))


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False, soft_wrap=False)


def _cell(value: Any) -> Any:
    from rich.text import Text

    return Text("" if value is None else str(value))


def print_table(
    rows: Sequence[dict[str, Any]], columns: list[str], title: str | None = None
) -> None:
    """Rows as a rich table (cells are plain text, never markup)."""
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    console().print(table)


def emit_csv(rows: Sequence[dict[str, Any]], columns: list[str]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(out.getvalue(), nl=False)


def emit(
    rows: Sequence[dict[str, Any]],
    columns: list[str],
    fmt: str,
    title: str | None = None,
    data: Any = None,
) -> None:
    """Print ``rows`` as a table, JSON (``data`` when given, else the rows) or CSV."""
    if fmt == "json":
        emit_json(rows if data is None else data)
    elif fmt == "csv":
        emit_csv(rows, columns)
    else:
        print_table(rows, columns, title)


def output_options(csv_too: bool = True) -> Callable[[F], F]:
    """``--json`` (and ``--csv``) flags that set a ``fmt`` argument: table, json or csv."""

    def decorate(f: F) -> F:
        f = click.option("--json", "fmt", flag_value="json", help="Print JSON.")(f)
        if csv_too:
            f = click.option("--csv", "fmt", flag_value="csv", help="Print CSV.")(f)
        return click.option("--table", "fmt", flag_value="table", default=True, hidden=True)(f)

    return decorate


# ----------------------------------------------------------------------------- progress


def progress_display(description: str = "{task.description}") -> Any:
    """The one look of fitbrief's progress bars: label, bar, done/total, on stderr, gone when
    finished."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn(description, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        transient=True,
        console=console(stderr=True),
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
            self._bar = progress_display("embedding new passages")
            self._bar.start()
            self._task = self._bar.add_task("embed", total=total)
        self._bar.update(self._task, completed=done, total=total)
        if done >= total:
            self._bar.stop()
            self._bar = None


@contextmanager
def progress_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """Rich progress bars on a terminal, one per label (``update(label, done, total)``, e.g.
    one per company in a crawl); None when disabled."""
    if not enabled:
        yield None
        return
    with progress_display() as bar:
        tasks: dict[str, Any] = {}

        def update(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=None)
            bar.update(tasks[name], completed=done, total=total)

        yield update


def profile_option(f: F) -> F:
    """``--profile FILE``: the user's values profile (default ``[profile] path``)."""
    return click.option("--profile", "path", help="Profile file (default from config).")(f)


def posting_options(f: F) -> F:
    """``--role TITLE`` and ``--job ID``: which stored posting a command is about (one at most;
    see ``one_posting``)."""
    f = click.option("--job", type=int, help="A stored posting id (see 'fitbrief jobs').")(f)
    return click.option("--role", help="A job title among the stored postings.")(f)


def one_posting(role: str | None, job: int | None) -> None:
    if role and job is not None:
        raise UsageError("give --role or --job, not both")
