"""The brief of one company: its research, the user's fit and a posting, rendered."""

from __future__ import annotations

from fitbrief.analysis.userprofile import load_profile
from fitbrief.app import App
from fitbrief.pipeline.culture import research_of
from fitbrief.pipeline.fit import fit_company
from fitbrief.render.brief import build_brief, pick_posting, render
from fitbrief.store import companies as company_store
from fitbrief.store import postings as posting_store


def make_brief(
    app: App,
    name: str,
    role: str | None,
    job: int | None,
    profile_path: str | None,
    fmt: str,
) -> str:
    """The brief of company ``name`` rendered as md, html or json."""
    company = company_store.get_company(app.db, name)
    research = research_of(app, company)  # read once: the fit and the brief share it
    fit = None
    if profile_path:
        user = load_profile(profile_path, app.taxonomy)
        fit = fit_company(app, company, user, research)
    postings = posting_store.list_postings(app.db, company.name)
    posting = pick_posting(postings, role, job)

    def classify(texts: list[str]) -> list[str | None]:
        min_probability = app.settings.values.min_probability
        return app.classifier.classify(app.vectors(texts), texts, min_probability)

    brief = build_brief(
        company,
        research.profile,
        research.passages,
        postings,
        app.taxonomy,
        classify,
        fit,
        posting,
    )
    return render(brief.to_dict(), fmt)
