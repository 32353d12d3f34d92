"""The stages wired together, one function per CLI command that runs more than one stage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from fitbrief.companies import resolve_companies
from fitbrief.config import Settings
from fitbrief.crawl.crawler import Crawler, CrawlSummary, ProgressFn
from fitbrief.culture import Research, ValuesEngine, no_research
from fitbrief.db import Database
from fitbrief.documents import extract_company
from fitbrief.errors import InsufficientData
from fitbrief.fit import FitResult, UserProfile, load_profile, score_fit, statement_matches
from fitbrief.jobs import JobsSummary, update_postings
from fitbrief.values import DimensionProfile, passage_input


@dataclass
class CompanyResearch:
    crawl: CrawlSummary
    jobs: JobsSummary | None
    extracted: int


def crawl(
    db: Database,
    settings: Settings,
    names: tuple[str, ...] | list[str] = (),
    max_pages: int | None = None,
    refresh: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: ProgressFn | None = None,
) -> list[CompanyResearch]:
    """Crawl companies (all when no name is given), extract changed pages, fetch postings."""
    with db.connect(read_only=True) as con:
        companies = resolve_companies(con, names)
    summaries = Crawler(db, settings, transport, progress).run(companies, max_pages, refresh)
    results = []
    for company, summary in zip(companies, summaries, strict=True):
        extracted = len(extract_company(db, company["id"]))
        with db.connect(read_only=True) as con:
            fresh = resolve_companies(con, [company["name"]])[0]  # boards found while crawling
        jobs = update_postings(db, fresh, settings, transport)
        summary.postings = jobs.open
        results.append(CompanyResearch(summary, jobs, extracted))
    return results


def fit_company(
    engine: ValuesEngine,
    company: dict[str, Any],
    user: UserProfile,
    research: Research | None = None,
) -> tuple[FitResult, dict[str, DimensionProfile], list[dict[str, Any]]]:
    """Score one company for one user; raises InsufficientData when it was never crawled.
    ``research``: the company's profile and passages when the caller already has them."""
    profile, passages = research or engine.company_profile(company)
    if not passages:
        raise no_research(company)
    statements = user.wants + user.avoid + user.dealbreakers
    matches = []
    if statements:
        vectors = engine.embed(statements)
        by_text = dict(zip(statements, vectors, strict=True))
        passage_vectors = engine.embed(
            [passage_input(p["text"], p.get("heading")) for p in passages]
        )
        matches = statement_matches(
            user,
            by_text,
            passages,
            passage_vectors,
            float(engine.settings["fit"]["statement_match"]),
        )
    result = score_fit(
        company["name"],
        user,
        profile,
        engine.taxonomy,
        matches,
        int(engine.settings["fit"]["min_known_dimensions"]),
    )
    return result, profile, passages


def compare(
    engine: ValuesEngine, names: tuple[str, ...] | list[str], profile_path: str | Path
) -> list[FitResult]:
    """Fit for several companies (all when none named), best first; unscored ones last."""
    assert engine.db is not None
    user = load_profile(profile_path, engine.taxonomy)
    with engine.db.connect(read_only=True) as con:
        companies = resolve_companies(con, names)
    research = engine.company_profiles(companies)
    # One cache read for every statement and passage; each fit then reuses the vectors.
    engine.embed(
        user.wants
        + user.avoid
        + user.dealbreakers
        + [passage_input(p["text"], p.get("heading")) for _, ps in research.values() for p in ps]
    )
    results = []
    for company in companies:
        try:
            results.append(fit_company(engine, company, user, research[company["id"]])[0])
        except InsufficientData:  # listed, unscored: every dimension unknown
            profile = research[company["id"]][0]
            results.append(score_fit(company["name"], user, profile, engine.taxonomy, [], 1))
    return sorted(results, key=lambda r: (r.score is None, -(r.score or 0), r.company.lower()))
