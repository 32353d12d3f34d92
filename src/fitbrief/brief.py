"""The pre-interview research brief: assembled from stored rows only, every claim cited.

``build_brief`` returns one JSON-ready dict (the documented schema below); the Markdown and
HTML renderings are jinja2 templates over that same dict, with autoescape on for HTML so
scraped text can never become markup or script.

JSON: documented by the JSON Schema in ``schemas/brief.schema.json`` (``SCHEMA_PATH``; the
demo test validates against it).  Top-level keys: company, url, generated_at, snapshot,
products, history, values, fit, role, interview_questions, questions_to_ask, checklist,
sources.  Each cited item carries ``cite`` (a list of source numbers) and ``passage_id``;
``sources`` is a list of {n, title, url, fetched, passage_ids}.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from fitbrief.culture import Research, ValuesEngine, no_research
from fitbrief.errors import NotFound
from fitbrief.fit import FitResult
from fitbrief.sources.normalize import skill_phrases
from fitbrief.textutil import truncate

SCHEMA_PATH = Path(__file__).parent / "schemas" / "brief.schema.json"
STAR = ["Situation: ", "Task: ", "Action: ", "Result: "]
SOURCE_KINDS = [
    ("about", "an About / mission page"),
    ("values", "a values or culture page"),
    ("careers", "a careers page"),
    ("post", "blog posts"),
    ("press", "press releases or news"),
    ("team", "a team or leadership page"),
    ("product", "product pages"),
]


class _Sources:
    """Numbers sources (pages) in order of first citation."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def cite(self, passage: dict[str, Any]) -> list[int]:
        url = passage.get("url") or ""
        if url not in self.items:
            fetched = passage.get("fetched_at")
            self.items[url] = {
                "n": len(self.items) + 1,
                "title": passage.get("title") or url,
                "url": url,
                "fetched": fetched.date().isoformat()
                if isinstance(fetched, datetime)
                else str(fetched or "")[:10],
                "passage_ids": [],
            }
        source = self.items[url]
        if passage.get("id") is not None and passage["id"] not in source["passage_ids"]:
            source["passage_ids"].append(passage["id"])
        return [source["n"]]


def _item(
    sources: _Sources, passage: dict[str, Any], limit: int = 400, **extra: Any
) -> dict[str, Any]:
    return {
        "text": truncate(passage["text"], limit),
        "heading": passage.get("heading") or "",
        "cite": sources.cite(passage),
        "passage_id": passage.get("id"),
        **extra,
    }


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


def _pick_posting(
    postings: list[dict[str, Any]], role: str | None, job: int | None
) -> dict[str, Any] | None:
    if job is not None:
        for p in postings:
            if p["id"] == job:
                return p
        raise NotFound(f"no stored posting with id {job} (see 'fitbrief jobs')")
    if role:
        wanted = role.lower()
        matches = [p for p in postings if wanted in p["title"].lower()]
        if not matches:
            words = set(wanted.split())
            matches = sorted(postings, key=lambda p: -len(words & set(p["title"].lower().split())))
            matches = [m for m in matches if words & set(m["title"].lower().split())]
        if not matches:
            raise NotFound(f"no stored posting matches role {role!r} (see 'fitbrief jobs')")
        return sorted(matches, key=lambda p: p["status"] != "open")[0]
    return None


def build_brief(
    engine: ValuesEngine,
    company: dict[str, Any],
    postings: list[dict[str, Any]],
    fit: FitResult | None = None,
    role: str | None = None,
    job: int | None = None,
    research: Research | None = None,
) -> dict[str, Any]:
    """Assemble the brief for one company from stored research (``research``: its profile
    and passages when the caller has read them already)."""
    profile, passages = research or engine.company_profile(company)
    if not passages:
        raise no_research(company)
    sources = _Sources()
    by_id = {p["id"]: p for p in passages}

    def cite_id(passage_id: int | None) -> list[int]:
        passage = by_id.get(passage_id) if passage_id is not None else None
        return sources.cite(passage) if passage else []

    by_kind: dict[str, list[dict[str, Any]]] = {}
    for p in passages:
        by_kind.setdefault(p["kind"] or "other", []).append(p)

    # 1. Snapshot: what the company does and its mission, in its own words.
    intro = by_kind.get("home", []) + by_kind.get("about", [])
    mission = [
        p
        for p in by_kind.get("about", []) + by_kind.get("values", []) + by_kind.get("home", [])
        if "mission" in (p["heading"] or "").lower()
        or "mission" in p["text"].lower()
        or "purpose" in (p["heading"] or "").lower()
    ]
    snapshot = {
        "what": [_item(sources, p) for p in intro[:2]],
        "mission": [_item(sources, p) for p in mission[:2]],
        "facts": [
            _item(sources, p, 300)
            for p in intro
            if any(
                w in p["text"].lower()
                for w in ("employees", "founded", "offices", "headquarter", "people in")
            )
        ][:3],
    }
    # 2. Products and services.
    products = [_item(sources, p) for p in by_kind.get("product", [])[:4]]
    # 3. History and recent developments: dated posts and press, newest first.
    dated: dict[str, dict[str, Any]] = {}
    for p in by_kind.get("post", []) + by_kind.get("press", []):
        if p["url"] not in dated:
            dated[p["url"]] = p
    history = [
        _item(
            sources,
            p,
            280,
            date=p["published"].isoformat() if p["published"] else None,
            title=p["title"],
            kind=p["kind"],
        )
        for p in sorted(
            dated.values(),
            key=lambda p: (
                p["published"] is None,
                -(p["published"].toordinal() if p["published"] else 0),
            ),
        )[:8]
    ]
    # 4. Stated values: the company's own statements, tagged with their dimension.
    values = []
    for dim_id, dim in sorted(profile.items(), key=lambda kv: -(kv[1].emphasis or 0)):
        if dim.emphasis is None:
            continue
        for e in dim.evidence[:2]:
            passage = by_id.get(e.passage_id) if e.passage_id is not None else None
            if passage is None:
                continue
            values.append(
                _item(
                    sources,
                    passage,
                    350,
                    dimension=dim_id,
                    dimension_name=engine.taxonomy.get(dim_id).name,
                    emphasis=dim.emphasis,
                )
            )
    # 5. Cultural fit.
    fit_section = None
    if fit is not None:
        fit_section = {
            "score": fit.score,
            "confidence": fit.confidence,
            "verdict": fit.verdict,
            "matches": [
                {**m, "cite": cite_id((m["evidence"] or {}).get("passage_id"))}
                for m in fit.matches[:4]
            ],
            "mismatches": [
                {**m, "cite": cite_id((m["evidence"] or {}).get("passage_id"))}
                for m in fit.mismatches[:4]
            ],
            "unknowns": fit.unknowns[:5],
            "dealbreakers": [
                {
                    **d.__dict__,
                    "cite": cite_id(d.passage_id),
                }
                for d in fit.dealbreakers
            ],
            "radar": radar_svg_points(
                [(d["id"], d["importance"], d["emphasis"]) for d in fit.dimensions]
            ),
        }
    # 6. The role.
    posting = _pick_posting(postings, role, job)
    role_section = None
    if posting is not None:
        role_section = {
            k: posting.get(k)
            for k in (
                "id",
                "title",
                "department",
                "locations",
                "workplace",
                "employment_type",
                "seniority",
                "url",
                "status",
                "requirements",
                "responsibilities",
                "skills",
                "salary_min",
                "salary_max",
                "salary_currency",
                "salary_interval",
            )
        }
        role_section["cite"] = sources.cite(
            {
                "url": posting["url"],
                "title": posting["title"],
                "fetched_at": posting.get("last_seen"),
            }
        )
        emphasised = {d for d, p in profile.items() if p.emphasis is not None}
        reqs = posting["requirements"] + posting["responsibilities"]
        # What the role asks the candidate to be able to do, in the posting's own words.
        role_section["abilities"] = list(
            dict.fromkeys(phrase for r in reqs for _, _, phrase in skill_phrases(r))
        )[:10]
        links = []
        if reqs:
            req_classes = engine.classifier.classify(engine.embed(reqs), engine.min_probability)
            for text, req_dim in zip(reqs, req_classes, strict=True):
                if req_dim is not None:
                    links.append(
                        {
                            "requirement": text,
                            "dimension": req_dim,
                            "company_emphasises": req_dim in emphasised,
                        }
                    )
        role_section["values_links"] = links[:6]
    # 7. Likely interview questions.
    top_dims = [
        d
        for d, p in sorted(profile.items(), key=lambda kv: -(kv[1].emphasis or 0))
        if p.emphasis is not None
    ][:4]
    questions: list[dict[str, Any]] = []
    for dim_id in top_dims:
        dimension = engine.taxonomy.get(dim_id)
        evidence = profile[dim_id].evidence[0] if profile[dim_id].evidence else None
        for q in dimension.questions[:1]:
            questions.append(
                {
                    "question": q,
                    "why": f"the company stresses {dimension.name.lower()}",
                    "dimension": dim_id,
                    "star": STAR,
                    "cite": cite_id(evidence.passage_id if evidence else None),
                }
            )
    if posting is not None:
        for req in posting["requirements"][:3]:
            questions.append(
                {
                    "question": f"Walk me through a time you applied this: "
                    f"\u201c{truncate(req, 140)}\u201d",
                    "why": "a stated requirement of the role",
                    "dimension": None,
                    "star": STAR,
                    "cite": role_section["cite"] if role_section else [],
                }
            )
    # 8. Questions to ask, and 9. the research checklist.
    kinds_found = {k for k in by_kind}
    checklist = [
        {
            "kind": k,
            "label": label,
            "found": k in kinds_found,
            "pages": len({p["url"] for p in by_kind.get(k, [])}),
        }
        for k, label in SOURCE_KINDS
    ]
    checklist.append(
        {
            "kind": "postings",
            "label": "open job postings",
            "found": any(p["status"] == "open" for p in postings),
            "pages": sum(1 for p in postings if p["status"] == "open"),
        }
    )
    to_ask: list[dict[str, Any]] = []
    if fit is not None:
        for unknown in fit.unknowns[:4]:
            to_ask.extend(
                {
                    "question": q,
                    "why": f"your importance {unknown['importance']}/5 on "
                    f"{unknown['name'].lower()}, and the research "
                    f"found nothing",
                }
                for q in unknown["questions"][:1]
            )
    for item in checklist:
        if not item["found"] and item["kind"] in ("values", "press", "postings", "team"):
            to_ask.append(
                {
                    "question": {
                        "values": "How would you describe the culture here in your own words?",
                        "press": "What have been the most important recent developments for the "
                        "company?",
                        "postings": "How is the team expected to grow over the next year?",
                        "team": "Who would I work with most closely, and how is the team organised?",
                    }[item["kind"]],
                    "why": f"no {item['label']} found in the research",
                }
            )
    return {
        "company": company["name"],
        "url": company["url"],
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "snapshot": snapshot,
        "products": products,
        "history": history,
        "values": values,
        "fit": fit_section,
        "role": role_section,
        "interview_questions": questions,
        "questions_to_ask": to_ask,
        "checklist": checklist,
        "sources": sorted(sources.items.values(), key=lambda s: s["n"]),
    }


_ENV: Environment | None = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=PackageLoader("fitbrief", "templates"),
            autoescape=select_autoescape(["html", "j2html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _ENV.filters["cites"] = lambda ns: "".join(f"[{n}]" for n in ns or [])
        # Markdown renderers pass raw HTML through: neutralise it in untrusted text.
        _ENV.filters["mdsafe"] = lambda s: str(s).replace("<", "&lt;").replace(">", "&gt;")
    return _ENV


def render(brief: dict[str, Any], fmt: str) -> str:
    """The brief as ``md``, ``html`` or ``json`` text."""
    if fmt == "json":
        import json

        return json.dumps(brief, indent=2, default=str)
    template = {"md": "brief.md.j2", "html": "brief.html"}[fmt]
    return _env().get_template(template).render(b=brief)
