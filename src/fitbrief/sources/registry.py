"""The one list of job-board sources.  CLI options, config defaults (checked by a test) and
board detection in crawled pages are all generated from it.

A source's module is imported only when its board is fetched, so commands that never fetch
(``company list``) start without httpx and selectolax.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fitbrief.records import Posting
    from fitbrief.sources.base import SourceContext


@dataclass(frozen=True)
class Source:
    """One job-board source: everything the rest of fitbrief needs to know of it."""

    name: str  # also the CLI option (--greenhouse) and the config key ([sources] <name>_url)
    board_help: str  # what the board id is, for --help
    default_url: str  # the public API's base URL; {slug}/{host} are filled with the board id
    detect: re.Pattern[str]  # finds the board id in a crawled page (group 1)

    @property
    def fetch(self) -> Callable[[SourceContext], Awaitable[list[Posting]]]:
        fetch_board: Callable[[SourceContext], Awaitable[list[Posting]]] = importlib.import_module(
            f"fitbrief.sources.{self.name}"  # defines ``async fetch_board(ctx)``
        ).fetch_board
        return fetch_board


# name (also the CLI option and config key), what the board id is, API base URL, and
# the pattern that finds the board id in a crawled page.  A source's module has its name.
# fmt: off
_TABLE = [
    ("greenhouse", "Greenhouse board token.", "https://boards-api.greenhouse.io",
     r"(?:boards|job-boards)(?:\.eu)?\.greenhouse\.io/(?:embed/job_board(?:/js)?\?for=)?([A-Za-z0-9_-]+)"),
    ("lever", "Lever site name.", "https://api.lever.co",
     r"jobs(?:\.eu)?\.lever\.co/([A-Za-z0-9_.-]+)"),
    ("ashby", "Ashby job-board name.", "https://api.ashbyhq.com",
     r"jobs\.ashbyhq\.com/([A-Za-z0-9_.%-]+)"),
    ("workable", "Workable account slug.", "https://apply.workable.com",
     r"apply\.workable\.com/([A-Za-z0-9_-]+)"),
    ("smartrecruiters", "SmartRecruiters company id.", "https://api.smartrecruiters.com",
     r"(?:careers|jobs)\.smartrecruiters\.com/([A-Za-z0-9_-]+)"),
    ("recruitee", "Recruitee company slug.", "https://{slug}.recruitee.com",
     r"//([a-z0-9-]+)\.recruitee\.com"),
    ("personio", "Personio host name.", "https://{host}.jobs.personio.de",
     r"//([a-z0-9-]+)\.jobs\.personio\.(?:de|com)"),
]
# fmt: on
SOURCES: dict[str, Source] = {
    name: Source(name, help_, url, re.compile(pattern)) for name, help_, url, pattern in _TABLE
}
# Path segments that follow a board host but are not board ids.
_NOT_BOARDS = {"embed", "api", "v1", "js", "jobs", "www", "j", "o", "widget", "careers"}


def detect_boards(html: str) -> list[tuple[str, str]]:
    """(source, board) for every known job board a page links to or embeds."""
    found: list[tuple[str, str]] = []
    for source in SOURCES.values():
        for match in source.detect.finditer(html):
            board = match.group(1).strip("/.")
            if board.lower() in _NOT_BOARDS or (source.name, board) in found:
                continue
            found.append((source.name, board))
    return found
