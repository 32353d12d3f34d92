"""Small text helpers shared by every stage."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from pathlib import Path

from fitbrief.errors import FitbriefError, UsageError

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")


def read_text_file(path: str | Path, what: str, error: type[FitbriefError] = UsageError) -> str:
    """A user's UTF-8 text file (a BOM is allowed), or one clear ``error`` that names it:
    missing, unreadable, not UTF-8, or binary."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    return decode_text(raw, f"{path}: {what}", error)


def decode_text(raw: bytes, label: str, error: type[FitbriefError] = UsageError) -> str:
    """UTF-8 bytes (a BOM is allowed) as text, or ``error`` starting with ``label``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{label} is not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise error(f"{label} is not text (it has NUL bytes)")
    return text


def sha256_text(text: str) -> str:
    """Hex sha256 of UTF-8 text: the content key for caches."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def squash(text: str) -> str:
    """Collapse runs of white space to one space and strip."""
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """Split prose into sentences (good enough for passages and summaries)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def truncate(text: str, limit: int) -> str:
    """Shorten to ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


_ISH_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}
_TEXT_DATE = re.compile(
    r"\b(?:(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})|([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b"
)


def parse_date(value: str | None) -> date | None:
    """Parse ISO-ish or written dates ("March 3, 2024", "3 Mar 2024"); None when unsure."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = _ISH_DATE.search(value)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _TEXT_DATE.search(value)
    if m:
        if m.group(1):
            day, month, year = m.group(1), m.group(2), m.group(3)
        else:
            month, day, year = m.group(4), m.group(5), m.group(6)
        number = _MONTHS.get(month.lower())
        if number:
            return _safe_date(int(year), number, int(day))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
