"""Cultural fit: one company against the user's profile, and the ranking across employers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fitbrief.analysis.fit import FitResult, score_fit, statement_matches
from fitbrief.analysis.userprofile import UserProfile, load_profile
from fitbrief.app import App
from fitbrief.pipeline.culture import Research, company_research, passage_inputs, research_of
from fitbrief.records import Company
from fitbrief.store import companies as company_store


def fit_company(
    app: App, company: Company, user: UserProfile, research: Research | None = None
) -> FitResult:
    """Score one company for one user; raises InsufficientData when it was never crawled.
    ``research``: the company's profile and passages when the caller already has them."""
    research = research or research_of(app, company)
    statements = user.wants + user.avoid + user.dealbreakers
    matches = []
    if statements:
        vectors = app.vectors(statements + passage_inputs(research.passages))  # one cache read
        by_text = dict(zip(statements, vectors[: len(statements)], strict=True))
        matches = statement_matches(
            user,
            by_text,
            research.passages,
            vectors[len(statements) :],
            app.settings.fit.statement_match,
        )
    return score_fit(
        company.name,
        user,
        research.profile,
        app.taxonomy,
        matches,
        app.settings.fit.min_known_dimensions,
    )


def compare(app: App, names: Sequence[str], profile_path: str | Path) -> list[FitResult]:
    """Fit for several companies (all when none named), best first; unscored ones last."""
    user = load_profile(profile_path, app.taxonomy)
    companies = company_store.resolve_companies(app.db, names)
    research = company_research(app, companies)
    # One cache read for every statement and passage; each fit then reuses the vectors.
    app.vectors(
        user.wants
        + user.avoid
        + user.dealbreakers
        + [t for r in research.values() for t in passage_inputs(r.passages)]
    )
    results = []
    for company in companies:
        if research[company.id].passages:
            results.append(fit_company(app, company, user, research[company.id]))
        else:  # listed, unscored: every dimension unknown
            profile = research[company.id].profile
            results.append(score_fit(company.name, user, profile, app.taxonomy, [], 1))
    return sorted(results, key=lambda r: (r.score is None, -(r.score or 0), r.company.lower()))
