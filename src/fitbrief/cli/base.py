"""The click group, the state its global options resolve to, and the one place library
errors become one-line messages and exit codes (a traceback only with FITBRIEF_DEBUG=1)."""

from __future__ import annotations

import os
import sys
from functools import cached_property
from typing import Any

import click

from fitbrief import __version__
from fitbrief.config import Settings, load_settings
from fitbrief.errors import FitbriefError


class State:
    """What the global options resolved to; the App (and its model) is built on first use."""

    def __init__(self, settings: Settings, quiet: bool) -> None:
        self.settings = settings
        self.quiet = quiet

    @property
    def bars(self) -> bool:
        """Whether progress bars may be drawn: a terminal, and not --quiet."""
        return not self.quiet and sys.stderr.isatty()

    @cached_property
    def app(self) -> Any:
        from fitbrief.app import App
        from fitbrief.cli.output import EmbeddingBar

        return App(self.settings, progress=EmbeddingBar() if self.bars else None)

    @property
    def db(self) -> Any:
        return self.app.db

    def profile_path(self, given: str | None) -> str:
        return given or self.settings.profile.path

    def stories_path(self, given: str | None) -> str | None:
        """The stories file: the one given (which must exist), else the configured one when
        it exists (stories are optional everywhere but ``fitbrief stories``)."""
        if given:
            return given
        default = self.settings.stories.path
        return default if os.path.exists(default) else None

    def stories(self, given: str | None, required: bool = False) -> Any:
        """The user's stories (a list), or None when there is no stories file and they are
        not ``required`` (a missing required file is one clear error)."""
        from fitbrief.analysis.stories import load_stories

        path = self.stories_path(given) or (self.settings.stories.path if required else None)
        return load_stories(path) if path else None


def fail(exc: FitbriefError) -> None:
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
            fail(exc)
        except BrokenPipeError:
            # The reader went away (`fitbrief jobs | head`): not an error.  Point stdout at
            # devnull so the interpreter's last flush does not raise again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)


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
        if db_path is not None:
            settings = settings.replace("storage", origin="--db", database=db_path)
    except FitbriefError as exc:
        fail(exc)
    ctx.obj = State(settings, quiet)


pass_state = click.make_pass_decorator(State)
