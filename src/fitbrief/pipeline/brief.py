"""The brief of one company: its research, the user's fit and a posting, rendered; and its
likely questions alone, for practice and story matching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fitbrief.analysis.stories import Story, load_stories
from fitbrief.analysis.userprofile import load_profile
from fitbrief.app import App
from fitbrief.errors import NotFound, UsageError
from fitbrief.pipeline.culture import research_of
from fitbrief.pipeline.fit import fit_company
from fitbrief.pipeline.stories import match
from fitbrief.records import Company, StoredPosting
from fitbrief.render import brief as render_brief
from fitbrief.render.brief import Brief, InterviewQuestion, MatchStories
from fitbrief.store import companies as company_store
from fitbrief.store import postings as posting_store
from fitbrief.textutil import squash


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
    brief = brief_of(app, name, role, job, profile_path, stories_path)
    return render_brief.render(brief.to_dict(), fmt)


def brief_of(
    app: App,
    name: str,
    role: str | None,
    job: int | None,
    profile_path: str | None,
    stories_path: str | None,
) -> Brief:
    """The brief of company ``name``, unrendered.  Every input is read and checked before the
    research is (a bad file or --job fails at once, having computed and stored nothing)."""
    company = company_store.get_company(app.db, name)
    stories = load_stories(stories_path) if stories_path else None
    user = load_profile(profile_path, app.taxonomy) if profile_path else None
    postings = posting_store.list_postings(app.db, company.name)
    posting = pick_posting(postings, role, job)
    research = research_of(app, company)  # read once: the fit and the brief share it
    fit = fit_company(app, company, user, research) if user is not None else None
    return render_brief.build_brief(
        company,
        research.profile,
        research.passages,
        postings,
        app.taxonomy,
        app.classify,
        fit,
        posting,
        story_matcher(app, stories),
    )


@dataclass
class LikelyQuestions:
    company: Company
    questions: list[InterviewQuestion]  # each with the user's best story when stories given
    emphasised: set[str]  # the value dimensions the company stresses


def likely_questions(
    app: App,
    name: str,
    role: str | None = None,
    job: int | None = None,
    stories: list[Story] | None = None,
) -> LikelyQuestions:
    """The behavioural questions company ``name`` is likely to ask (the brief's: its stressed
    values', then the role's duties and skills), without building the rest of the brief."""
    company = company_store.get_company(app.db, name)
    posting = pick_posting(posting_store.list_postings(app.db, company.name), role, job)
    research = research_of(app, company)
    questions = render_brief.likely_questions(
        research.profile, research.passages, posting, app.taxonomy, app.classify
    )
    matcher = story_matcher(app, stories)
    if matcher is not None:
        render_brief.attach_stories(questions, matcher)
    return LikelyQuestions(company, questions, research.profile.emphasised())


def story_matcher(app: App, stories: list[Story] | None) -> MatchStories | None:
    """Questions -> each one's best story (or None) and how many stories there are."""
    if stories is None:
        return None
    found = stories
    return lambda questions: (match(app, questions, found), len(found))


def pick_posting(
    postings: Sequence[StoredPosting], role: str | None, job: int | None
) -> StoredPosting | None:
    """The posting a brief is for: by id, or the best title match for a role."""
    if job is not None:
        for p in postings:
            if p.id == job:
                return p
        raise NotFound(f"no stored posting with id {job} (see 'fitbrief jobs')")
    if role:
        wanted = squash(role.lower())
        titles = {p.id: squash(p.title.lower()) for p in postings}  # each normalised once
        matches = [p for p in postings if wanted in titles[p.id]]
        if not matches:
            words = set(wanted.split())
            shared = {p.id: len(words & set(titles[p.id].split())) for p in postings}
            best = max(shared.values(), default=0)
            matches = [p for p in postings if best and shared[p.id] == best]
        if not matches:
            raise NotFound(f"no stored posting matches role {role!r} (see 'fitbrief jobs')")
        exact = [p for p in matches if titles[p.id] == wanted]
        if len(exact) == 1 or len(matches) == 1:
            return (exact or matches)[0]
        listed = "; ".join(
            f"{p.id} {p.title!r} ({p.status}{', ' + ', '.join(p.locations[:2]) if p.locations else ''})"
            for p in sorted(matches, key=lambda p: (p.status != "open", p.id))[:8]
        )
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise UsageError(
            f"role {role!r} matches {len(matches)} stored postings: {listed}{more}; "
            "choose one with --job ID"
        )
    return None
