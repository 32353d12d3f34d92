"""The culture-profile stage: a company's passages -> stored culture profile.

Recomputed only when the company's passages, the taxonomy or the model change (their hash is
stored with the profile); embeddings come from the cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fitbrief.analysis.culture import (
    CultureProfile,
    build_profile,
    empty_profile,
    inputs_hash,
    profile_from_json,
    profile_to_json,
)
from fitbrief.analysis.embed import ProgressFn
from fitbrief.analysis.values import passage_input
from fitbrief.app import App
from fitbrief.errors import InsufficientData
from fitbrief.records import Company, Passage
from fitbrief.store import research as research_store


@dataclass
class Research:
    """A company's culture profile and the passages it rests on (callers cite them)."""

    profile: CultureProfile
    passages: list[Passage]


def no_research(company: Company) -> InsufficientData:
    """The error every stage gives for a company with no stored passages (never crawled)."""
    return InsufficientData(
        f"no research stored for {company.name!r}: run 'fitbrief crawl \"{company.name}\"' first"
    )


def passage_inputs(passages: Sequence[Passage]) -> list[str]:
    """What is embedded for each passage (the same text everywhere, so it is cached once)."""
    return [passage_input(p.text, p.heading) for p in passages]


def profile_passages(
    app: App, passages: Sequence[Passage], progress: ProgressFn | None = None
) -> CultureProfile:
    """The culture profile of any passages (a company's, or local files')."""
    texts = passage_inputs(passages)
    vectors = app.vectors(texts, progress)
    values = app.settings.values
    return build_profile(
        app.classifier,
        passages,
        vectors,
        texts,
        values.min_probability,
        values.evidence_per_dimension,
    )


def company_research(
    app: App, companies: Sequence[Company], progress: ProgressFn | None = None
) -> dict[int, Research]:
    """Profiles and passages of several companies: one read for all, and only the companies
    whose passages, taxonomy or model changed are recomputed (then stored)."""
    ids = [c.id for c in companies]
    model = app.vectors.model_id
    passages, stored = research_store.research_rows(app.db, model, ids)
    fingerprint = app.classifier_key  # taxonomy, training rows and model
    floor = app.settings.values.min_probability
    result: dict[int, Research] = {}
    stale: dict[int, str] = {}
    for cid in ids:
        if not passages[cid]:  # never crawled: every dimension unknown, nothing to store
            result[cid] = Research(empty_profile(app.taxonomy.ids), [])
            continue
        digest = inputs_hash(passages[cid], fingerprint, floor)
        if cid in stored and stored[cid].inputs_hash == digest:
            result[cid] = Research(profile_from_json(stored[cid].profile), passages[cid])
        else:
            stale[cid] = digest
    if not stale:
        return result
    # Embed every stale company's passages in one call: one cache read, full batches.
    app.vectors([t for cid in stale for t in passage_inputs(passages[cid])], progress)
    fresh = {}
    for cid, digest in stale.items():
        profile = profile_passages(app, passages[cid])
        result[cid] = Research(profile, passages[cid])
        fresh[cid] = research_store.StoredProfile(digest, profile_to_json(profile))
    research_store.save_profiles(app.db, model, fresh, datetime.now(UTC))
    return result


def research_of(app: App, company: Company) -> Research:
    """One company's research, or InsufficientData when it was never crawled."""
    research = company_research(app, [company])[company.id]
    if not research.passages:
        raise no_research(company)
    return research
