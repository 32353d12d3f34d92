"""A user's TOML file (config, profile, stories, answers, taxonomy extension): one way to read
it with one clear error, and the line a key or table sits on, so each file's errors can name
their line (TOML's parser gives lines only for syntax errors)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from fitbrief.errors import FitbriefError, UsageError
from fitbrief.textutil import read_text_file

# "[name]" or "[[name]]" (a table or an array-of-tables entry).
_HEADER = re.compile(r"\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


def read_toml(
    path: str | Path, what: str, error: type[FitbriefError] = UsageError
) -> tuple[dict[str, Any], str]:
    """The parsed file and its text; ``error`` naming the file when it is missing, not text,
    or not TOML (with the parser's line and column)."""
    text = read_text_file(path, what, error)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: syntax error: {exc}") from None


def line_of(text: str, name: str, table: str | None = None) -> int | None:
    """The line that sets ``name`` inside ``[table]`` (``table`` None: at the top, before any
    table), or that opens a table called ``name`` when no table is given; None if no line
    does (a key written as part of a dotted key or inline table, say)."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            if table is None and current == name:
                return number
            continue
        if current == table and re.match(rf"\s*[\"']?{re.escape(name)}[\"']?\s*=", line):
            return number
    return None


def table_lines(text: str, name: str) -> list[int]:
    """The line of each ``[[name]]`` header, in order: where each entry of that array starts."""
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == f"[[{name}]]"]


def where(path: str | Path, line: int | None) -> str:
    """``path:line`` (or the path alone): how errors point into a file, as compilers do."""
    return f"{path}:{line}" if line else str(path)


def entries_where(path: str | Path, text: str, name: str, count: int) -> list[str]:
    """``where`` each of ``count`` ``[[name]]`` entries starts (the path alone for entries the
    text does not spell as a header, an inline array say)."""
    lines = table_lines(text, name)
    return [where(path, lines[i] if i < len(lines) else None) for i in range(count)]
