"""The command line: a thin click layer whose commands mirror library functions.

Each command parses options, calls one function of ``fitbrief.pipeline`` (or the store), and
prints through ``cli.output`` (a table, ``--json`` or ``--csv``).  Only ``cli.base`` turns
FitbriefError into a message and an exit code.
"""

from fitbrief.cli import company, debrief, demo, fit, prepare, research, values  # noqa: F401
from fitbrief.cli.base import cli


def main() -> None:
    cli(prog_name="fitbrief")


__all__ = ["cli", "main"]
