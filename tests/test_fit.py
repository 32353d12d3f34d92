"""Cultural fit: properties of the score, the stored-research path, and bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import HashEmbedder, make_app, one_line_error, run
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from fitbrief.analysis.culture import LOW_EMPHASIS, CultureProfile, DimensionProfile
from fitbrief.analysis.fit import score_fit
from fitbrief.analysis.taxonomy import load_taxonomy
from fitbrief.analysis.userprofile import UserProfile
from fitbrief.pipeline.fit import compare
from fitbrief.store import Database
from fitbrief.store.companies import add_company
from fitbrief.store.research import SeedPage, seed_research

TAXONOMY = load_taxonomy()
IDS = TAXONOMY.ids

importances = st.dictionaries(st.sampled_from(IDS), st.integers(1, 5), min_size=3)
emphases = st.dictionaries(st.sampled_from(IDS), st.floats(0.0, 1.0), min_size=1)


def status(emphasis: float | None) -> str:
    if emphasis is None:
        return "unknown"
    return "emphasised" if emphasis >= 0.5 else "low" if emphasis <= LOW_EMPHASIS else "mentioned"


def company(emphasis: dict[str, float | None], confidence: float = 0.8) -> CultureProfile:
    """A profile as build_profile would give: each dimension's emphasis and its status."""
    return CultureProfile(
        {
            d: DimensionProfile(
                d,
                emphasis.get(d),
                confidence if d in emphasis else 0.0,
                3 if d in emphasis else 0,
                [],
                status=status(emphasis.get(d)),
            )
            for d in IDS
        }
    )


def fit(user: dict[str, int], emphasis: dict[str, float | None], min_known: int = 3):
    return score_fit("Co", UserProfile(dict(user)), company(emphasis), TAXONOMY, [], min_known)


@given(importances)
def test_mirror_scores_high_and_reverse_low(user):
    mirror = fit(user, {d: (v - 1) / 4 for d, v in user.items()})
    reverse = fit(user, {d: (5 - v) / 4 for d, v in user.items()})
    if all(v == 3 for v in user.values()):
        assert mirror.score == reverse.score == 50
        return
    assert mirror.score > 50 > reverse.score
    if all(v != 3 for v in user.values()):  # every rating says something
        assert mirror.score >= 60 and reverse.score <= 40
        assert mirror.verdict in ("good fit", "strong fit") and reverse.verdict == "poor fit"


@given(importances)
def test_no_evidence_never_gets_a_score(user):
    result = fit(user, {})
    assert result.score is None and result.verdict == "insufficient evidence"
    assert result.dimensions and all(row.emphasis is None for row in result.dimensions)
    assert {u.id for u in result.unknowns} == {d for d, v in user.items() if v >= 3}


@given(importances, emphases, st.sampled_from(IDS))
def test_raising_importance_of_an_emphasised_dimension_never_lowers_fit(user, emphasis, dim):
    emphasis = {**emphasis, dim: max(emphasis.get(dim, 0.0), 0.5)}
    before = user.get(dim, 1)
    for higher in range(before + 1, 6):
        low = fit({**user, dim: before}, emphasis, min_known=1)
        high = fit({**user, dim: higher}, emphasis, min_known=1)
        assert high.score >= low.score


@given(importances, emphases)
@examples(max_examples=30)
def test_scores_are_deterministic(user, emphasis):
    assert fit(user, emphasis).to_dict() == fit(dict(reversed(user.items())), emphasis).to_dict()


@given(importances, emphases)
def test_thin_evidence_is_insufficient_not_middling(user, emphasis):
    known = [d for d in user if d in emphasis]
    result = fit(user, emphasis)
    assert (result.score is None) == (len(known) < 3)


# ----------------------------------------------------------------------------- stored research

PASSAGES = {
    "Calm Co": [
        ("Our values > Balance", "We protect evenings and weekends; nobody works late.", "values"),
        ("Our values > Learning", "Every engineer has a learning budget and a mentor.", "values"),
        (
            "Our values > Craft",
            "We care about quality and review every change carefully.",
            "values",
        ),
        ("About", "We build accounting software for small firms.", "about"),
    ],
    "Rush Inc": [
        ("Values > Speed", "We move fast and ship every day, priorities change weekly.", "values"),
        ("Values > Win", "We are relentless about results and hitting targets.", "values"),
        ("Values > Hustle", "Long hours are part of winning big.", "values"),
    ],
    "Unrelated Ltd": [
        ("Culture", "We celebrate diversity and inclusion in every team we hire.", "values"),
        ("Culture", "Customers come first; we obsess over their success.", "values"),
    ],
}


def store_company(db: Database, name: str, passages: list[tuple[str, str, str]]) -> None:
    """A company with one stored page per passage, as crawl + extract would leave it."""
    host = f"https://{name.split()[0].lower()}.example"
    company = add_company(db, name, host)
    pages = [
        SeedPage(f"{host}/{kind}/{position}", kind, heading, [(heading, text)])
        for position, (heading, text, kind) in enumerate(passages)
    ]
    seed_research(db, {company.id: pages}, datetime.now(UTC))


@pytest.fixture
def research(settings, db, tmp_path) -> Path:
    profile = tmp_path / "profile.toml"
    profile.write_text(
        'wants = ["A learning budget and mentoring"]\navoid = ["Long hours"]\n'
        "[importance]\nwellbeing = 5\ngrowth = 5\nquality = 4\nagility = 1\nresults = 1\n"
    )
    for name in ("Calm Co", "Rush Inc"):
        store_company(db, name, PASSAGES[name])
    return profile


def scores(settings, profile) -> dict[str, float | None]:
    app = make_app(settings.replace("fit", min_known_dimensions=1))
    return {r.company: r.score for r in compare(app, [], profile)}


def test_adding_an_unrelated_company_changes_no_other_score(settings, db, research):
    before = scores(settings, research)
    assert any(v is not None for v in before.values())
    store_company(db, "Unrelated Ltd", PASSAGES["Unrelated Ltd"])
    after = scores(settings, research)
    assert {k: after[k] for k in before} == before
    assert scores(settings, research) == after  # stored profiles give the same answer


def test_compare_stores_profiles_once_and_lists_uncrawled_last(settings, db, research):
    add_company(db, "Empty", "https://e.example")
    settings = settings.replace("fit", min_known_dimensions=1)
    ranked = compare(make_app(settings), [], research)
    assert ranked[-1].company == "Empty" and ranked[-1].score is None
    with db.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM culture_profiles").fetchone()[0] == 2
    again = HashEmbedder()
    compare(make_app(settings, again), [], research)
    assert again.encoded == 0  # profiles and vectors all came from the database


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "profile not found"),
        ("[importance\ngrowth = 5", "syntax error"),
        ("", "the profile is empty"),
        ("[importance]\ngrowth = 9\n", "profile.toml:2: importance of 'growth' must be"),
        ("[importance]\ncourage = 4\n", "profile.toml:2: unknown dimension 'courage'"),
        ('wants = "calm"\n[importance]\ngrowth = 4\n', "profile.toml:1: 'wants' must be a list"),
    ],
)
def test_bad_profiles_are_one_clear_line(workspace, content, message):
    profile = workspace / "profile.toml"
    if content is not None:
        profile.write_text(content)
    run("company", "add", "Acme", "--url", "https://acme.example")
    for args in (
        ["profile", "check", "--profile", str(profile)],
        ["fit", "Acme", "--profile", str(profile)],
    ):
        one_line_error(run(*args), message, str(profile))


def test_unknown_and_uncrawled_companies_are_clear(workspace):
    profile = workspace / "profile.toml"
    profile.write_text("[importance]\ngrowth = 5\n")
    result = run("fit", "Nobody", "--profile", str(profile))
    assert result.exit_code != 0 and "unknown company 'Nobody'" in result.output
    run("company", "add", "Acme", "--url", "https://acme.example")
    result = run("fit", "Acme", "--profile", str(profile))
    assert result.exit_code != 0 and "no research stored for 'Acme'" in result.output
    assert "fitbrief crawl" in result.output
    result = run("compare", "--profile", str(profile), "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)[0] == {
        **json.loads(result.output)[0],
        "name": "Acme",
        "score": None,
    }


# ----------------------------------------------------------------------------- the new meaning


@given(importances, emphases, st.sampled_from(IDS), st.integers(1, 5))
def test_an_unknown_dimension_never_counts(user, emphasis, dim, rating):
    """Rating a dimension the company's text does not let us judge changes no score."""
    emphasis = {k: v for k, v in emphasis.items() if k != dim}
    without = fit({k: v for k, v in user.items() if k != dim}, emphasis, min_known=1)
    with_it = fit({**user, dim: rating}, emphasis, min_known=1)
    assert with_it.score == without.score
    assert dim not in {m.id for m in with_it.matches + with_it.mismatches}


def test_a_mismatch_never_quotes_a_passage():
    from fitbrief.analysis.culture import DimensionProfile, Evidence

    supporting = Evidence(
        "Everyone gets a yearly learning budget and a mentor.", "", "u", "values", 0.6, 1.0
    )
    profile = company({"wellbeing": 0.8, "quality": 0.7, "results": 0.9})
    profile.dimensions["growth"] = DimensionProfile(
        "growth",
        0.1,
        0.9,
        1,
        [supporting],
        0.01,
        "low",
        "1 of 240 value passages (1.0%); a typical company 8.1%",
    )
    result = score_fit(
        "Co", UserProfile({"growth": 5, "wellbeing": 5, "results": 1}), profile, TAXONOMY, [], 1
    )
    [low] = [m for m in result.mismatches if m.id == "growth"]
    assert low.evidence is None and "1 of 240 value passages" in low.basis
    from fitbrief.render.brief import render

    section = {
        "score": result.score,
        "confidence": 0.5,
        "verdict": result.verdict,
        "matches": [],
        "mismatches": [{**low.__dict__, "cite": []}],
        "unknowns": [],
        "dealbreakers": [],
        "radar": {"size": 1, "centre": 0, "spokes": [], "rings": [], "user": "", "company": ""},
    }
    md = render({**EMPTY_BRIEF, "fit": section}, "md")
    line = next(x for x in md.splitlines() if x.startswith("- ✗"))
    assert "learning budget" not in line and "1 of 240 value passages" in line


EMPTY_BRIEF = {
    "company": "Co", "url": "https://co.example", "generated_at": "now",
    "snapshot": {"what": [], "mission": [], "facts": []}, "products": [], "history": [],
    "values": [], "fit": None, "role": None, "interview_questions": [], "questions_to_ask": [],
    "checklist": [], "sources": [],
}  # fmt: skip


def test_matches_are_what_you_care_about_and_the_company_stresses():
    result = fit(
        {"agility": 1, "growth": 5, "quality": 4},
        {"agility": 0.2, "growth": 0.9, "quality": 0.8},
        1,
    )
    assert [m.id for m in result.matches] == ["growth", "quality"]  # not "speed (you 1/5)"
