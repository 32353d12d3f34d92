"""The pre-interview research brief: assembled from stored rows only, every claim cited.

``build_brief`` returns a ``Brief`` built section by section; ``Brief.to_dict`` is its JSON
form, documented by the JSON Schema in ``schemas/brief.schema.json`` (``SCHEMA_PATH``; the
demo test validates against it).  The Markdown and HTML renderings are jinja2 templates over
that same dict, with autoescape on for HTML so scraped text can never become markup or script.
Each cited item carries ``cite`` (a list of source numbers) and ``passage_id``; ``sources`` is
a list of {n, title, url, fetched, passage_ids}.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from fitbrief.analysis.culture import CultureProfile, Evidence
from fitbrief.analysis.fit import FitResult, StatementMatch, Unknown, ValueFit
from fitbrief.analysis.stories import StoryMatch
from fitbrief.analysis.taxonomy import Taxonomy
from fitbrief.analysis.values import YEARS_OF_EXPERIENCE
from fitbrief.records import Company, Passage, StoredPosting
from fitbrief.sources.normalize import skill_phrases
from fitbrief.textutil import truncate

SCHEMA_PATH = Path(__file__).parent / "schemas" / "brief.schema.json"
STAR = ["Situation: ", "Task: ", "Action: ", "Result: "]
SOURCE_KINDS = [
    ("about", "About / mission page"),
    ("values", "values or culture page"),
    ("careers", "careers page"),
    ("post", "blog posts"),
    ("press", "press releases or news"),
    ("team", "team or leadership page"),
    ("product", "product pages"),
]
# A statement of mission or purpose (not any sentence that uses the word).
_MISSION_HEADING = re.compile(r"\b(mission|purpose|vision|why we exist)\b", re.I)
_MISSION_TEXT = re.compile(r"^(?:our|\w+'s) (?:mission|purpose) is\b|^we exist to\b", re.I)
_TITLE_SEPARATOR = re.compile(r"\s+[|·•–—-]\s+|\s*[|]\s*")

# ----------------------------------------------------------------------------- sections


@dataclass
class Source:
    n: int
    title: str
    url: str
    fetched: str
    passage_ids: list[int] = field(default_factory=list)


@dataclass
class Quote:
    """A company's own words, cited."""

    text: str
    heading: str
    cite: list[int]
    passage_id: int | None


@dataclass
class HistoryItem(Quote):
    date: str | None
    title: str
    kind: str


@dataclass
class ValueQuote(Quote):
    dimension: str
    dimension_name: str
    emphasis: float | None


@dataclass
class Snapshot:
    what: list[Quote]
    mission: list[Quote]
    facts: list[Quote]


@dataclass
class CitedValueFit(ValueFit):
    cite: list[int] = field(default_factory=list)


@dataclass
class CitedStatement(StatementMatch):
    cite: list[int] = field(default_factory=list)


@dataclass
class FitSection:
    score: float | None
    confidence: float
    verdict: str
    matches: list[CitedValueFit]
    mismatches: list[CitedValueFit]
    unknowns: list[Unknown]
    dealbreakers: list[CitedStatement]
    radar: dict[str, Any]


@dataclass
class ValuesLink:
    requirement: str
    dimension: str
    company_emphasises: bool


@dataclass
class RoleSection:
    id: int
    title: str
    department: str | None
    locations: list[str]
    workplace: str | None
    employment_type: str | None
    seniority: str | None
    url: str | None
    status: str
    requirements: list[str]
    responsibilities: list[str]
    skills: list[str]
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_interval: str | None
    cite: list[int]
    abilities: list[str]
    values_links: list[ValuesLink]


@dataclass
class InterviewQuestion:
    question: str
    why: str
    dimension: str | None
    star: list[str]
    cite: list[int]
    story: StoryMatch | None = None  # the user's best-fitting STAR story, when one fits


@dataclass
class QuestionToAsk:
    question: str
    why: str


@dataclass
class ChecklistItem:
    kind: str
    label: str
    found: bool
    pages: int


@dataclass
class StoryCoverage:
    """How many likely questions one of the user's stories answers."""

    with_story: int
    questions: int
    stories: int


@dataclass
class Brief:
    company: str
    url: str
    generated_at: str
    snapshot: Snapshot
    products: list[Quote]
    history: list[HistoryItem]
    values: list[ValueQuote]
    fit: FitSection | None
    role: RoleSection | None
    interview_questions: list[InterviewQuestion]
    story_coverage: StoryCoverage | None
    questions_to_ask: list[QuestionToAsk]
    checklist: list[ChecklistItem]
    sources: list[Source]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Sources:
    """Numbers sources (pages) in order of first citation."""

    def __init__(self) -> None:
        self.items: dict[str, Source] = {}

    def cite(
        self, url: str, title: str, fetched: datetime | None, passage_id: int | None = None
    ) -> list[int]:
        if url not in self.items:
            self.items[url] = Source(
                len(self.items) + 1,
                title or url,
                url,
                fetched.date().isoformat() if isinstance(fetched, datetime) else "",
            )
        source = self.items[url]
        if passage_id is not None and passage_id not in source.passage_ids:
            source.passage_ids.append(passage_id)
        return [source.n]

    def passage(self, p: Passage) -> list[int]:
        return self.cite(p.url, p.title, p.fetched_at, p.id)

    def quote(self, p: Passage, limit: int = 400) -> Quote:
        return Quote(truncate(p.text, limit), p.heading, self.passage(p), p.id)

    def sorted(self) -> list[Source]:
        return sorted(self.items.values(), key=lambda s: s.n)


def radar_svg_points(
    axes: list[tuple[str, float | None, float | None]], size: int = 320
) -> dict[str, Any]:
    """Coordinates for an inline-SVG radar chart (user importance vs company emphasis)."""
    centre, radius = size / 2, size / 2 - 60
    n = max(1, len(axes))
    spokes, user, company = [], [], []
    for i, (label, importance, emphasis) in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        spokes.append(
            {
                "x": round(centre + radius * cos, 1),
                "y": round(centre + radius * sin, 1),
                "lx": round(centre + (radius + 30) * cos, 1),
                "ly": round(centre + (radius + 30) * sin, 1),
                "label": label,
            }
        )
        u = ((importance or 0) - 1) / 4 if importance else 0.0
        c = emphasis or 0.0
        user.append(f"{centre + radius * u * cos:.1f},{centre + radius * u * sin:.1f}")
        company.append(f"{centre + radius * c * cos:.1f},{centre + radius * c * sin:.1f}")
    rings = [round(radius * f, 1) for f in (0.25, 0.5, 0.75, 1.0)]
    return {
        "size": size,
        "centre": centre,
        "spokes": spokes,
        "rings": rings,
        "user": " ".join(user),
        "company": " ".join(company),
    }


# ----------------------------------------------------------------------------- builders

Classify = Callable[[list[str]], list[str | None]]
# Questions -> (the best story for each, or None; how many stories the user has).
MatchStories = Callable[[list[str]], tuple[list[StoryMatch | None], int]]


def _by_kind(passages: Sequence[Passage]) -> dict[str, list[Passage]]:
    by_kind: dict[str, list[Passage]] = {}
    for p in passages:
        by_kind.setdefault(p.kind or "other", []).append(p)
    return by_kind


def clean_title(title: str, company: str) -> str:
    """A page title without the site's name ("Launch week | Rocketly" -> "Launch week")."""
    parts = [p.strip(" :") for p in _TITLE_SEPARATOR.split(title) if p.strip(" :")]
    if len(parts) > 1:
        name = company.lower()
        kept = [p for p in parts if p.lower() not in name and name not in p.lower()]
        if kept:
            return " – ".join(kept)
    return title.strip(" :")


def snapshot_section(by_kind: dict[str, list[Passage]], sources: _Sources) -> Snapshot:
    """What the company does, its mission and a few facts, in its own words; each passage
    appears once across the three."""
    intro = by_kind.get("home", []) + by_kind.get("about", [])
    what = intro[:2]
    mission = [
        p
        for p in by_kind.get("about", []) + by_kind.get("values", []) + by_kind.get("home", [])
        if (_MISSION_HEADING.search(p.heading) or _MISSION_TEXT.search(p.text)) and p not in what
    ][:2]
    facts = [
        p
        for p in intro
        if p not in what
        and p not in mission
        and any(
            w in p.text.lower()
            for w in ("employees", "founded", "offices", "headquarter", "people in")
        )
    ][:3]
    return Snapshot(
        [sources.quote(p) for p in what],
        [sources.quote(p) for p in mission],
        [sources.quote(p, 300) for p in facts],
    )


def history_section(
    by_kind: dict[str, list[Passage]], sources: _Sources, company: str
) -> list[HistoryItem]:
    """Dated posts and press, newest first, one item per page."""
    dated: dict[str, Passage] = {}
    for p in by_kind.get("post", []) + by_kind.get("press", []):
        dated.setdefault(p.url, p)
    newest = sorted(
        dated.values(),
        key=lambda p: (p.published is None, -(p.published.toordinal() if p.published else 0)),
    )[:8]
    items = []
    for p in newest:
        quote = sources.quote(p, 280)
        items.append(
            HistoryItem(
                **asdict(quote),
                date=p.published.isoformat() if p.published else None,
                title=clean_title(p.title, company),
                kind=p.kind,
            )
        )
    return items


def values_section(
    profile: CultureProfile, by_id: dict[int, Passage], taxonomy: Taxonomy, sources: _Sources
) -> list[ValueQuote]:
    """The company's own statements, tagged with their dimension, most emphasised first."""
    quotes = []
    for dim in profile.ranked():
        for e in dim.evidence[:2]:
            passage = by_id.get(e.passage_id) if e.passage_id is not None else None
            if passage is None:
                continue
            quote = sources.quote(passage, 350)
            quotes.append(
                ValueQuote(
                    **asdict(quote),
                    dimension=dim.id,
                    dimension_name=taxonomy.get(dim.id).name,
                    emphasis=dim.emphasis,
                )
            )
    return quotes


def fit_section(fit: FitResult, by_id: dict[int, Passage], sources: _Sources) -> FitSection:
    def cite_id(passage_id: int | None) -> list[int]:
        passage = by_id.get(passage_id) if passage_id is not None else None
        return sources.passage(passage) if passage else []

    def cited(m: ValueFit) -> CitedValueFit:
        evidence: Evidence | None = m.evidence
        return CitedValueFit(
            m.id,
            m.name,
            m.importance,
            m.emphasis,
            evidence,
            m.status,
            m.basis,
            cite_id(evidence.passage_id if evidence else None),
        )

    return FitSection(
        fit.score,
        fit.confidence,
        fit.verdict,
        [cited(m) for m in fit.matches[:4]],
        [cited(m) for m in fit.mismatches[:4]],
        fit.unknowns[:5],
        [CitedStatement(**asdict(d), cite=cite_id(d.passage_id)) for d in fit.dealbreakers],
        radar_svg_points([(d.id, d.importance, d.emphasis) for d in fit.dimensions]),
    )


def role_section(
    posting: StoredPosting, profile: CultureProfile, classify: Classify, sources: _Sources
) -> RoleSection:
    """The posting's requirements, the abilities it asks for and the values they speak to."""
    emphasised = profile.emphasised()
    reqs = posting.requirements + posting.responsibilities
    links = []
    if reqs:
        for text, dim in zip(reqs, classify(reqs), strict=True):
            if dim is not None:
                links.append(ValuesLink(text, dim, dim in emphasised))
    return RoleSection(
        id=posting.id,
        title=posting.title,
        department=posting.department,
        locations=posting.locations,
        workplace=posting.workplace,
        employment_type=posting.employment_type,
        seniority=posting.seniority,
        url=posting.url,
        status=posting.status,
        requirements=posting.requirements,
        responsibilities=posting.responsibilities,
        skills=posting.skills,
        salary_min=posting.salary_min,
        salary_max=posting.salary_max,
        salary_currency=posting.salary_currency,
        salary_interval=posting.salary_interval,
        cite=sources.cite(posting.url or "", posting.title, posting.last_seen),
        # What the role asks the candidate to be able to do, in the posting's own words.
        abilities=list(dict.fromkeys(p for r in reqs for _, _, p in skill_phrases(r)))[:10],
        values_links=links[:6],
    )


def interview_questions_section(
    profile: CultureProfile,
    by_id: dict[int, Passage],
    taxonomy: Taxonomy,
    role: RoleSection | None,
    sources: _Sources,
) -> list[InterviewQuestion]:
    """The behavioural questions the company's most stressed values invite, then the role's."""
    questions: list[InterviewQuestion] = []
    for ranked in profile.ranked()[:4]:
        dim_id = ranked.id
        dimension = taxonomy.get(dim_id)
        # Only a dimension stressed more than a typical company's is "stressed".
        said = "stresses" if ranked.status == "emphasised" else "mentions"
        evidence = profile[dim_id].evidence[0] if profile[dim_id].evidence else None
        passage = (
            by_id.get(evidence.passage_id) if evidence and evidence.passage_id is not None else None
        )
        for q in dimension.questions[:1]:
            questions.append(
                InterviewQuestion(
                    q,
                    f"the company {said} {dimension.name.lower()}",
                    dim_id,
                    STAR,
                    sources.passage(passage) if passage else [],
                )
            )
    if role is not None:
        # From what the job does and the skills it names, never from years of experience,
        # degrees or credentials (nothing to tell a story about).
        duties = [r for r in role.responsibilities if not _CREDENTIAL.search(r)][:2]
        for duty in duties:
            questions.append(
                InterviewQuestion(
                    f"Tell me about a time you did this: \u201c{truncate(duty, 140)}\u201d",
                    "a responsibility of the role",
                    None,
                    STAR,
                    role.cite,
                )
            )
        skills = role.skills or [a for a in role.abilities if not _CREDENTIAL.search(a)]
        for skill in skills[: 3 - len(duties)]:
            questions.append(
                InterviewQuestion(
                    f"Tell me about a project where you used {skill}.",
                    "a skill the posting names",
                    None,
                    STAR,
                    role.cite,
                )
            )
    return questions


def checklist_section(
    by_kind: dict[str, list[Passage]], postings: Sequence[StoredPosting]
) -> list[ChecklistItem]:
    """Which kinds of page the research found, and whether open postings were found."""
    items = [
        ChecklistItem(k, label, k in by_kind, len({p.url for p in by_kind.get(k, [])}))
        for k, label in SOURCE_KINDS
    ]
    open_postings = sum(1 for p in postings if p.status == "open")
    items.append(ChecklistItem("postings", "open job postings", open_postings > 0, open_postings))
    return items


# Requirement lines with no story in them: years of experience, degrees, credentials.
_CREDENTIAL = re.compile(
    YEARS_OF_EXPERIENCE + r"|\b(?:bachelor|master|ph\.?d|mba|"
    r"degree|diploma|certif|licen[cs]|citizen|clearance|eligib|authori[sz]ed to work)",
    re.I,
)

_ASK_WHEN_MISSING = {
    "values": "How would you describe the culture here in your own words?",
    "press": "What have been the most important recent developments for the company?",
    "postings": "How is the team expected to grow over the next year?",
    "team": "Who would I work with most closely, and how is the team organised?",
}


def questions_to_ask_section(
    fit: FitResult | None, checklist: list[ChecklistItem]
) -> list[QuestionToAsk]:
    """Questions for the interviewer: the user's unknowns first, then the research's gaps."""
    to_ask: list[QuestionToAsk] = []
    if fit is not None:
        for unknown in fit.unknowns[:4]:
            to_ask.extend(
                QuestionToAsk(
                    q,
                    f"your importance {unknown.importance}/5 on {unknown.name.lower()}, and the "
                    "research found nothing",
                )
                for q in unknown.questions[:1]
            )
    for item in checklist:
        if not item.found and item.kind in _ASK_WHEN_MISSING:
            to_ask.append(
                QuestionToAsk(_ASK_WHEN_MISSING[item.kind], f"the research found no {item.label}")
            )
    return to_ask


def build_brief(
    company: Company,
    profile: CultureProfile,
    passages: Sequence[Passage],
    postings: Sequence[StoredPosting],
    taxonomy: Taxonomy,
    classify: Classify,
    fit: FitResult | None = None,
    posting: StoredPosting | None = None,
    match_stories: MatchStories | None = None,
) -> Brief:
    """Assemble the brief for one company from its stored research (``classify`` maps texts
    to value dimensions, for the role's requirements; ``match_stories`` gives the user's best
    story for each likely question, and how many stories there are)."""
    sources = _Sources()
    by_id = {p.id: p for p in passages if p.id is not None}
    by_kind = _by_kind(passages)
    snapshot = snapshot_section(by_kind, sources)
    products = [sources.quote(p) for p in by_kind.get("product", [])[:4]]
    history = history_section(by_kind, sources, company.name)
    values = values_section(profile, by_id, taxonomy, sources)
    fit_part = fit_section(fit, by_id, sources) if fit is not None else None
    role = role_section(posting, profile, classify, sources) if posting is not None else None
    questions = interview_questions_section(profile, by_id, taxonomy, role, sources)
    coverage = attach_stories(questions, match_stories) if match_stories is not None else None
    checklist = checklist_section(by_kind, postings)
    return Brief(
        company=company.name,
        url=company.url,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        snapshot=snapshot,
        products=products,
        history=history,
        values=values,
        fit=fit_part,
        role=role,
        interview_questions=questions,
        story_coverage=coverage,
        questions_to_ask=questions_to_ask_section(fit, checklist),
        checklist=checklist,
        sources=sources.sorted(),
    )


def likely_questions(
    profile: CultureProfile,
    passages: Sequence[Passage],
    posting: StoredPosting | None,
    taxonomy: Taxonomy,
    classify: Classify,
) -> list[InterviewQuestion]:
    """The brief's likely questions alone (its stressed values', then the role's), for
    practice and story matching."""
    sources = _Sources()
    role = role_section(posting, profile, classify, sources) if posting is not None else None
    by_id = {p.id: p for p in passages if p.id is not None}
    return interview_questions_section(profile, by_id, taxonomy, role, sources)


def attach_stories(
    questions: list[InterviewQuestion], match_stories: MatchStories
) -> StoryCoverage:
    """Give each question the user's best story (or None); how many have one."""
    found, count = match_stories([q.question for q in questions])
    for question, story in zip(questions, found, strict=True):
        question.story = story
    return StoryCoverage(sum(s is not None for s in found), len(questions), count)


# ----------------------------------------------------------------------------- rendering

_ENV: Environment | None = None


def template_env() -> Environment:
    """The one jinja2 environment of the brief and the comparison page (autoescaped HTML)."""
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=PackageLoader("fitbrief.render", "templates"),
            autoescape=select_autoescape(["html", "j2html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _ENV.filters["cites"] = lambda ns: "".join(f"[{n}]" for n in ns or [])
        # Markdown renderers pass raw HTML through: neutralise it in untrusted text.
        _ENV.filters["mdsafe"] = lambda s: str(s).replace("<", "&lt;").replace(">", "&gt;")
    return _ENV


def render(brief: dict[str, Any], fmt: str) -> str:
    """The brief (its dict form) as ``md``, ``html`` or ``json`` text."""
    if fmt == "json":
        return json.dumps(brief, indent=2, default=str)
    template = {"md": "brief.md.j2", "html": "brief.html"}[fmt]
    return template_env().get_template(template).render(b=brief)
