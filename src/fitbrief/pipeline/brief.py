"""The brief of one company: its research, the user's fit and a posting, rendered."""

from __future__ import annotations

from fitbrief.analysis.stories import StoryMatch, load_stories
from fitbrief.analysis.userprofile import load_profile
from fitbrief.app import App
from fitbrief.pipeline.culture import research_of
from fitbrief.pipeline.fit import fit_company
from fitbrief.pipeline.stories import match
from fitbrief.render.brief import Brief, InterviewQuestion, build_brief, pick_posting, render
from fitbrief.store import companies as company_store
from fitbrief.store import postings as posting_store


def make_brief(
    app: App,
    name: str,
    role: str | None,
    job: int | None,
    profile_path: str | None,
    fmt: str,
    stories_path: str | None = None,
) -> str:
    """The brief of company ``name`` rendered as md, html or json (with the user's stories
    matched to its likely questions when ``stories_path`` is given)."""
    return render(brief_of(app, name, role, job, profile_path, stories_path).to_dict(), fmt)


def likely_questions(
    app: App, name: str, role: str | None = None, job: int | None = None
) -> list[InterviewQuestion]:
    """The behavioural questions company ``name`` is likely to ask (its stressed values, then
    the role's duties and skills): the brief's questions, which practice and story matching
    use too."""
    return brief_of(app, name, role, job, None, None).interview_questions


def brief_of(
    app: App,
    name: str,
    role: str | None,
    job: int | None,
    profile_path: str | None,
    stories_path: str | None,
) -> Brief:
    """The brief of company ``name``, unrendered."""
    company = company_store.get_company(app.db, name)
    stories = load_stories(stories_path) if stories_path else None  # bad file: fail first
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

    match_stories = None
    if stories is not None:
        found_stories = stories

        def match_stories(questions: list[str]) -> tuple[list[StoryMatch | None], int]:
            return match(app, questions, found_stories), len(found_stories)

    return build_brief(
        company,
        research.profile,
        research.passages,
        postings,
        app.taxonomy,
        classify,
        fit,
        posting,
        match_stories,
    )
