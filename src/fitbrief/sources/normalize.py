"""The parsing every source shares to fill a ``Posting``: HTML to text, sections, salary,
skills, seniority and workplace."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from html import escape
from typing import Any

from fitbrief.records import Posting
from fitbrief.resources import DATA_DIR
from fitbrief.sources.html import (
    BULLET,
    blocks_to_html,
    blocks_to_text,
    html_blocks,
    unescape_markup,
)
from fitbrief.textutil import squash

# ----------------------------------------------------------------------------- HTML

_REQ_HEAD = re.compile(
    r"requirement|qualification|what you(?:'|’)?ll bring|what you bring|who you are|"
    r"about you|you have|you(?:'|’)?re|must have|nice to have|skills|experience|"
    r"looking for|we(?:'|’)?d love|bonus points|ideal candidate|profile|competenc",
    re.I,
)
_RESP_HEAD = re.compile(
    r"responsibilit|what you(?:'|’)?ll do|what you will do|the role|your role|day[- ]to[- ]day|"
    r"you will|duties|your mission|in this role|what you(?:'|’)?ll be doing|your impact|"
    r"the job|tasks|key accountabilities",
    re.I,
)


def text_blocks(text: str) -> list[tuple[str, str]]:
    """(tag, text) blocks of a plain-text posting: bullet lines are list items ("li"); short
    lines ending in ':' or in title case are headings ("h4"); the rest are plain "line"s."""
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if BULLET.match(line):
            blocks.append(("li", BULLET.sub("", line)))
        elif len(line) < 60 and (
            line.endswith(":")
            or (line.istitle() and len(line.split()) <= 6)
            or (_REQ_HEAD.search(line) and len(line.split()) <= 6)
            or (_RESP_HEAD.search(line) and len(line.split()) <= 6)
        ):
            blocks.append(("h4", line.rstrip(":")))
        else:
            blocks.append(("line", line))  # a plain line: maybe a bullet that lost its mark
    return blocks


# A sub-heading that qualifies the section it is in rather than starting another.
_QUALIFIER = re.compile(
    r"^\W*(?:required|preferred|minimum|basic|bonus|plus|must|essential|desirable|additional|"
    r"technical|core|optional|mandatory)\b",
    re.I,
)


def plain_to_html(text: str) -> str:
    """A plain-text field as HTML with the structure ``text_blocks`` reads in it (headings,
    list items, other lines as <div>s), for feeds that mix HTML and plain-text fields."""
    return blocks_to_html(text_blocks(text))


def _level(tag: str) -> int:
    return int(tag[1]) if len(tag) == 2 and tag[1].isdigit() else 4


def sections(blocks: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """(requirements, responsibilities): the list items (or short lines) under headings that
    name them.  A deeper heading that only qualifies its section ("Required", "Preferred",
    "Bonus") stays in it; any other heading ends it ("Benefits" under "What you'll bring").  Short paragraphs count only in a section without list items (some feeds
    write one <p> per requirement; after a list, a paragraph is the section's coda)."""
    found: dict[str, list[str]] = {"req": [], "resp": []}
    target: str | None = None
    target_level = 0
    items: list[str] = []
    paragraphs: list[str] = []

    def close() -> None:
        if target is not None:
            found[target].extend(items or paragraphs)
        items.clear()
        paragraphs.clear()

    for tag, text in blocks:
        if tag.startswith("h"):
            level = _level(tag)
            if _RESP_HEAD.search(text) or _REQ_HEAD.search(text):
                close()
                target = "resp" if _RESP_HEAD.search(text) else "req"
                target_level = level
            elif target is None or level <= target_level or not _QUALIFIER.search(text):
                close()
                target = None
            continue
        if target is None:
            continue
        # Plain-text postings often lose their bullet marks: a short line under a
        # requirements heading is a requirement.
        if tag == "li" or (tag == "line" and len(text) <= 250):
            items.append(text)
        elif tag == "p" and len(text) <= 200:
            paragraphs.append(text)
    close()
    return found["req"], found["resp"]


# ----------------------------------------------------------------------------- salary

_CURRENCY = {
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "C$": "CAD",
    "A$": "AUD",
    "CA$": "CAD",
    "AU$": "AUD",
}
_CODES = "USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR|JPY|SGD|NZD|BRL|MXN|ZAR"
_AMOUNT = r"(\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d+)?)\s*([kK])?"
_SALARY = re.compile(
    rf"(?P<cur>C\$|CA\$|A\$|AU\$|[$€£¥₹]|\b(?:{_CODES})\b)\s?{_AMOUNT}"
    rf"(?:\s*(?:-|–|—|to)\s*(?:C\$|CA\$|A\$|AU\$|[$€£¥₹]|\b(?:{_CODES})\b)?\s?{_AMOUNT})?"
    rf"(?:\s*(?P<code>{_CODES}))?"
    r"(?:\s*(?:/|per|an|a)\s*(?P<per>hour|hr|year|yr|annum|month|mo|week|day))?",
    re.I,
)
_INTERVALS = {
    "hour": "hour",
    "hr": "hour",
    "year": "year",
    "yr": "year",
    "annum": "year",
    "month": "month",
    "mo": "month",
    "week": "week",
    "day": "day",
}


def titled_html(sections: Iterable[tuple[str, str]]) -> str:
    """A feed's (title, HTML) sections as one body, each under an <h3> of its title, so the
    section splitter finds requirements and responsibilities by their headings.  Each body
    sits in its own <div>: a section cut off mid-list cannot swallow the next one."""
    return "".join(
        f"<h3>{escape(title)}</h3><div>{unescape_markup(body)}</div>" for title, body in sections
    )


def place(*parts: Any) -> str:
    """A location from its parts ("Athens", "Greece" -> "Athens, Greece"); parts that are
    missing, empty or not text are left out."""
    return ", ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())


def as_object(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one: feeds are untrusted, and a field
    documented as an object may be missing, null, a string or a list."""
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "", True, False) else None
    except (TypeError, ValueError):
        return None


def set_structured_salary(
    posting: Posting, low: Any, high: Any, currency: Any, interval: Any
) -> None:
    """A salary from a feed's own fields (not parsed from text): numbers as floats, the
    interval as hour/day/week/month/year whatever the feed calls it ("per-year-salary",
    "1 YEAR", "YEAR"); nothing is set when the minimum is not a number."""
    minimum = _number(low)
    if minimum is None:
        return
    unit = str(interval or "").lower()
    posting.salary_min = minimum
    posting.salary_max = _number(high) or minimum
    posting.salary_currency = str(currency) if currency else None
    posting.salary_interval = next(
        (_INTERVALS[k] for k in ("hour", "day", "week", "month", "year", "annum") if k in unit),
        unit or None,
    )
    posting.salary_origin = "structured"


def _amount(number: str, k: str | None) -> float:
    digits = re.sub(r"[,.\s](?=\d{3}\b)", "", number)
    value = float(digits.replace(",", ""))
    return value * 1000 if k else value


def parse_salary(text: str) -> tuple[float, float, str, str] | None:
    """(min, max, currency, interval) from salary text such as "$120,000 – $150,000 a year"
    or "€50k-70k"; None when no plausible salary is stated."""
    for m in _SALARY.finditer(text):
        symbol = m.group("cur")
        currency = _CURRENCY.get(symbol, symbol.upper())
        if m.group("code"):
            currency = m.group("code").upper()
        low = _amount(m.group(2), m.group(3))
        high = _amount(m.group(4), m.group(5) or m.group(3)) if m.group(4) else low
        if m.group(4) and not m.group(3) and m.group(5) and low < 1000:
            low *= 1000  # "$90-120k"
        interval = _INTERVALS.get((m.group("per") or "").lower())
        if interval is None:
            interval = "year" if high >= 1000 else "hour" if high < 500 else None
        if interval is None or high < low or high <= 0:
            continue
        if interval == "year" and high < 5000:
            continue
        return low, high, currency, interval
    return None


# ----------------------------------------------------------------------------- skills


@lru_cache(maxsize=1)
def _skill_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for line in (DATA_DIR / "skills.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            canonical, *aliases = [p.strip() for p in line.split("|")]
            for name in (canonical, *aliases):
                names[name.lower()] = canonical
    alternatives = sorted(names, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w+#.])(" + "|".join(re.escape(n) for n in alternatives) + r")(?![\w+#]|\.\w)",
        re.I,
    )
    return pattern, names


def skill_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical skill) for each skill named in ``text``."""
    pattern, names = _skill_pattern()
    return [(m.start(), m.end(), names[m.group(1).lower()]) for m in pattern.finditer(text)]


def find_skills(text: str) -> list[str]:
    """The distinct skills a posting names, in order of first mention."""
    seen: dict[str, None] = {}
    for _, _, skill in skill_mentions(text):
        seen.setdefault(skill, None)
    return list(seen)


# Skill phrases: what a requirement asks the candidate to be able to do, in the ad's words
# ("ability to <influence cross-functional teams>", "experience of <managing budgets>").
# The cues are the stock phrases of English job ads; a phrase runs to the end of its clause.
_CUE = re.compile(
    r"\b(?:(?:the\s+)?ability\s+to|able\s+to|capable\s+of|willing\s+to|"
    r"(?:proven\s+|strong\s+|solid\s+|good\s+|excellent\s+|demonstrable\s+|hands-on\s+)?"
    r"(?:experience|expertise|background|track\s+record)\s+(?:of|in|with|on)|"
    r"(?:knowledge|understanding|command|awareness)\s+of|"
    r"(?:skills?|proficiency|proficient|competence|fluency|fluent|expert|skilled)\s+(?:in|with|at)|"
    r"responsible\s+for|responsibilities\s+(?:will\s+)?include|"
    r"duties\s+(?:will\s+)?include|a\s+passion\s+for)\s+",
    re.I,
)
# A requirement or duty that starts with a gerund ("Managing the budget ...").
_VERB_START = re.compile(r"(?:^|(?<=[.;:•]\s))[A-Z][a-z]+ing\s+", re.M)
# Where a phrase ends: punctuation, a new gerund clause, or the ad's stock qualifiers
# ("... is essential", "... in a timely manner").
_CLAUSE_END = re.compile(
    r"[.;:!?()\n•/]|,\s*(?:and\s+|or\s+)?(?=\w+ing\b)|\s+and\s+(?=\w+ing\b)|\s-\s|"
    r"\s+(?:to\s+ensure|in\s+order|as\s+required|where\s+required|within|whilst|while|during|"
    r"is\s+(?:essential|desirable|required|preferred|an\s+advantage|a\s+plus)|essential|"
    r"desirable|preferred|would\s+be|ideally|in\s+a\s+\w+\s+manner)\b",
    re.I,
)
_MAX_PHRASE_WORDS = 12


def skill_phrases(text: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase) for each skill phrase a requirement text asks for."""
    found: list[tuple[int, int, str]] = []
    starts = [m.end() for m in _CUE.finditer(text)]
    starts += [m.start() for m in _VERB_START.finditer(text)]
    taken = -1
    for start in sorted(set(starts)):
        if start < taken:
            continue
        stop = _CLAUSE_END.search(text, start)
        end = stop.start() if stop else len(text)
        words = list(re.finditer(r"\S+", text[start:end]))
        if not words:
            continue
        words = words[:_MAX_PHRASE_WORDS]
        end = start + words[-1].end()
        phrase = text[start:end].strip(" ,")
        if len(phrase) <= 2:
            continue
        taken = end
        named = [m for m in skill_mentions(phrase)]
        if len(named) >= 2:  # a list of named technologies: each is its own skill
            found.extend((start + a, start + b, name) for a, b, name in named)
        else:
            found.append((start, start + len(phrase), phrase))
    return found


# ----------------------------------------------------------------------------- the rest

_SENIORITY = [
    ("intern", re.compile(r"\bintern(ship)?\b|\btrainee\b|\bapprentice", re.I)),
    ("executive", re.compile(r"\b(chief|cto|ceo|cfo|coo|vp|vice president|svp|evp)\b", re.I)),
    ("director", re.compile(r"\b(director|head of)\b", re.I)),
    ("manager", re.compile(r"\bmanager\b", re.I)),
    ("principal", re.compile(r"\b(principal|distinguished|fellow)\b", re.I)),
    ("staff", re.compile(r"\bstaff\b", re.I)),
    ("lead", re.compile(r"\b(lead|tech lead)\b", re.I)),
    ("senior", re.compile(r"\b(senior|sr\.?|snr)\b|\bIII\b", re.I)),
    ("junior", re.compile(r"\b(junior|jr\.?|entry[- ]level|graduate|new grad)\b|\bI\b", re.I)),
]


def seniority_of(title: str) -> str | None:
    """A seniority level read from a job title, or None."""
    for level, pattern in _SENIORITY:
        if pattern.search(title):
            return level
    return None


def workplace_of(*texts: str | None) -> str | None:
    """remote / hybrid / on-site from location and type fields."""
    joined = " ".join(t for t in texts if t).lower()
    if "hybrid" in joined:
        return "hybrid"
    if "remote" in joined or "anywhere" in joined or "distributed" in joined:
        return "remote"
    if "on-site" in joined or "onsite" in joined or "in office" in joined or "in-office" in joined:
        return "on-site"
    return None


def parse_time(value: Any) -> datetime | None:
    """ISO strings and epoch milliseconds (Lever) to aware datetimes."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10_000_000_000 else value
        return datetime.fromtimestamp(seconds, UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def finish(posting: Posting, html: str | None = None) -> Posting:
    """Fill the derived fields every source shares from the description."""
    # One place listed per office, or per entry of a job, is one place.
    posting.locations = list(dict.fromkeys(x for x in posting.locations if x))
    if html:
        blocks = html_blocks(html)  # parsed once: the safe HTML and the text both come from it
        posting.description_html = blocks_to_html(blocks)
        if not posting.description:
            posting.description = blocks_to_text(blocks)
    else:
        blocks = text_blocks(posting.description)
        posting.description_html = posting.description_html or ""
    if not posting.requirements and not posting.responsibilities:
        posting.requirements, posting.responsibilities = sections(blocks)
    if posting.salary_min is None:
        salary = parse_salary(posting.description)
        if salary:
            (
                posting.salary_min,
                posting.salary_max,
                posting.salary_currency,
                posting.salary_interval,
            ) = salary
            posting.salary_origin = "text"
    posting.skills = posting.skills or find_skills(
        " ".join([posting.title, *posting.requirements, *posting.responsibilities])
        if posting.requirements or posting.responsibilities
        else posting.description
    )
    posting.seniority = posting.seniority or seniority_of(posting.title)
    posting.workplace = posting.workplace or workplace_of(
        *posting.locations, posting.employment_type
    )
    posting.title = squash(posting.title)
    return posting
