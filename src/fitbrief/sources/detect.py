"""Spotting a company's ATS board in a crawled page (links and embeds)."""

from __future__ import annotations

import re

_BOARD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "greenhouse",
        re.compile(
            r"(?:boards|job-boards)(?:\.eu)?\.greenhouse\.io/(?:embed/job_board(?:/js)?\?for=)?"
            r"([A-Za-z0-9_-]+)"
        ),
    ),
    ("lever", re.compile(r"jobs(?:\.eu)?\.lever\.co/([A-Za-z0-9_.-]+)")),
    ("ashby", re.compile(r"jobs\.ashbyhq\.com/([A-Za-z0-9_.%-]+)")),
    ("workable", re.compile(r"apply\.workable\.com/([A-Za-z0-9_-]+)")),
    ("smartrecruiters", re.compile(r"(?:careers|jobs)\.smartrecruiters\.com/([A-Za-z0-9_-]+)")),
    ("recruitee", re.compile(r"//([a-z0-9-]+)\.recruitee\.com")),
    ("personio", re.compile(r"//([a-z0-9-]+)\.jobs\.personio\.(?:de|com)")),
]
_NOT_BOARDS = {"embed", "api", "v1", "js", "jobs", "www", "j", "o", "widget", "careers"}


def detect_boards(html: str) -> list[tuple[str, str]]:
    """(source, board) for every known job board a page links to or embeds."""
    found: list[tuple[str, str]] = []
    for source, pattern in _BOARD_PATTERNS:
        for match in pattern.finditer(html):
            board = match.group(1).strip("/.")
            if board.lower() in _NOT_BOARDS or (source, board) in found:
                continue
            found.append((source, board))
    return found
