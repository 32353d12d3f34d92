"""Rendering what the engines compute: the brief for a company and the comparison page."""

from __future__ import annotations

from typing import Any

from fitbrief.brief import _env, build_brief, render
from fitbrief.companies import get_company
from fitbrief.culture import ValuesEngine
from fitbrief.fit import FitResult, load_profile
from fitbrief.jobs import list_postings
from fitbrief.pipeline import fit_company
from fitbrief.values import Taxonomy


def make_brief(
    engine: ValuesEngine,
    name: str,
    role: str | None,
    job: int | None,
    profile_path: str | None,
    fmt: str,
) -> str:
    """The brief of company ``name`` rendered as md, html or json."""
    assert engine.db is not None
    with engine.db.connect(read_only=True) as con:
        company = get_company(con, name)
    research = engine.company_profile(company)  # read once: the fit and the brief share it
    fit = None
    if profile_path:
        user = load_profile(profile_path, engine.taxonomy)
        fit = fit_company(engine, company, user, research)[0]
    postings = list_postings(engine.db, company["name"])
    return render(build_brief(engine, company, postings, fit, role, job, research), fmt)


def compare_rows(results: list[FitResult]) -> list[dict[str, Any]]:
    """One row per company in rank order (unscored last)."""
    return [
        {
            "rank": i,
            "name": r.company,
            "score": r.score,
            "confidence": r.confidence,
            "verdict": r.verdict,
            "top_match": r.matches[0]["name"] if r.matches else None,
            "top_mismatch": r.mismatches[0]["name"] if r.mismatches else None,
        }
        for i, r in enumerate(results, 1)
    ]


def render_compare_html(results: list[FitResult], taxonomy: Taxonomy) -> str:
    """A self-contained page: the ranking and a per-dimension heatmap of emphasis."""
    return (
        _env()
        .get_template("compare.html")
        .render(rows=compare_rows(results), results=results, dims=taxonomy.ids)
    )
