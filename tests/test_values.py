"""Values engine: the CLI with the real bundled model (a few), caching with the test embedder."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import HashEmbedder, make_app, run
from test_fit import PASSAGES, store_company

from fitbrief.analysis import values as values_module
from fitbrief.analysis.embed import embed_texts
from fitbrief.analysis.taxonomy import load_taxonomy
from fitbrief.pipeline.culture import company_research
from fitbrief.records import Passage
from fitbrief.store.companies import get_company
from fitbrief.store.research import EmbeddingCache

IDS = load_taxonomy().ids


@pytest.mark.model
def test_values_classify_json_with_the_real_model(workspace):
    lines = (
        "We obsess over our customers and start every project from their needs.\n"
        "Our office is at 221B Baker Street, London.\n"
        "Everyone gets a yearly learning budget and a mentor.\n"
    )
    result = run("values", "classify", "-", "--json", input=lines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["dimension"] for r in rows] == ["customer", None, "growth"]
    assert all(
        set(r) >= {"text", "dimension", "scores"} and set(r["scores"]) == set(IDS) for r in rows
    )


@pytest.mark.model
def test_values_profile_of_files_with_the_real_model(workspace):
    page = workspace / "values.md"
    page.write_text(
        "# Our values\n\n## Customer obsession\n\nWe start with the customer and work backwards.\n\n"
        "## Integrity\n\nWe are honest and transparent, even when it is hard.\n"
    )
    html = workspace / "about.html"
    html.write_text("<html><body><main><p>Our office is in Berlin.</p></main></body></html>")
    result = run("values", "profile", str(page), str(html), "--json")
    assert result.exit_code == 0, result.output
    dims = json.loads(result.stdout)["dimensions"]
    assert set(dims) == set(IDS)
    assert dims["customer"]["emphasis"] > 0 and dims["integrity"]["emphasis"] > 0
    assert dims["customer"]["evidence"][0]["text"].startswith("We start with the customer")
    assert dims["stability"]["emphasis"] is None  # never addressed: unknown, not zero
    assert run("values", "profile", str(workspace / "missing.md")).exit_code != 0


def test_values_dimensions_and_show_errors(workspace):
    result = run("values", "dimensions", "--json")
    assert result.exit_code == 0 and [d["id"] for d in json.loads(result.stdout)] == IDS
    result = run("values", "show", "Nobody")
    assert result.exit_code != 0 and "unknown company 'Nobody'" in result.output


def test_nothing_is_embedded_twice(db):
    embedder = HashEmbedder()
    texts = ["We value craft.", "We ship fast.", "We value craft."]
    first = embed_texts(EmbeddingCache(db), embedder, texts)
    assert embedder.encoded == 2
    again = embed_texts(EmbeddingCache(db), embedder, list(reversed(texts)))
    assert embedder.encoded == 2 and np.allclose(again[::-1], first)


def test_classifier_is_trained_once_then_read_back(settings, db, monkeypatch):
    store_company(db, "Calm Co", PASSAGES["Calm Co"])
    first = make_app(settings)
    texts = ["We care about quality and review every change."]
    vectors = first.vectors(texts)
    expected = first.classifier.probabilities(vectors, texts)

    def no_training(*args, **kwargs):
        raise AssertionError("retrained although a stored classifier exists")

    monkeypatch.setattr(values_module, "build_classifier", no_training)
    second = make_app(settings)
    assert np.array_equal(second.classifier.probabilities(vectors, texts), expected)


def test_profile_recomputed_only_when_passages_change(settings, db):
    store_company(db, "Calm Co", PASSAGES["Calm Co"])
    company = get_company(db, "Calm Co")
    embedder = HashEmbedder()

    def stored_hash() -> str:
        with db.connect(read_only=True) as con:
            return con.execute("SELECT inputs_hash FROM culture_profiles").fetchone()[0]

    profile = company_research(make_app(settings, embedder), [company])[company.id].profile
    calls, before = embedder.calls, stored_hash()
    again = company_research(make_app(settings, embedder), [company])[company.id].profile
    assert embedder.calls == calls and again == profile and stored_hash() == before
    with db.connect() as con:
        con.execute(
            "UPDATE passages SET text = 'We now work four-day weeks.', sha256 = 'x'"
            " WHERE position = 0 AND page_id = 1"
        )
    company_research(make_app(settings, embedder), [company])
    assert embedder.calls > calls and stored_hash() != before


# The ids DESIGN.md fixes; reports and other tools depend on them, in this order.
DESIGN_IDS = [
    "innovation", "agility", "collaboration", "customer", "integrity", "respect", "inclusion",
    "results", "quality", "autonomy", "growth", "rewards", "wellbeing", "impact", "stability",
]  # fmt: skip


def test_shipped_taxonomy_is_complete():
    import tomllib

    from fitbrief.resources import DATA_DIR

    taxonomy = load_taxonomy()
    frameworks = tomllib.loads((DATA_DIR / "taxonomy.toml").read_text())["frameworks"]
    assert taxonomy.ids == DESIGN_IDS
    for d in taxonomy.dimensions:
        assert d.name and d.description and d.questions and d.ask, d.id
        assert len(d.anchors) >= 8, d.id
        for framework in ("li2021", "culture500", "onet"):
            assert set(getattr(d, framework)) <= set(frameworks[framework]), (d.id, framework)
    for framework, size in (("li2021", 5), ("culture500", 9), ("onet", 6)):
        covered = {v for d in taxonomy.dimensions for v in getattr(d, framework)}
        assert len(frameworks[framework]) == size and covered == set(frameworks[framework])
    statements = [*(a for d in taxonomy.dimensions for a in d.anchors), *taxonomy.none_anchors]
    assert len(statements) == len(set(statements)), "an anchor is listed twice"


EXTENSION = """
[[dimension]]
id = "openness"
name = "Open source"
description = "Working in the open, with a community of contributors."
anchors = [
  "Our code is published under an open source licence.",
  "Community contributors review pull requests alongside our staff.",
  "We develop in public repositories that anyone can fork.",
]

[[dimension]]
id = "customer"
anchors = ["Our support engineers answer every ticket within an hour."]

[none]
anchors = ["The parking garage closes at midnight."]
"""


def test_taxonomy_extension_adds_dimensions_and_anchors(workspace, settings, db):
    (workspace / "mine.toml").write_text(EXTENSION)
    (workspace / "config.toml").write_text('[values]\ntaxonomy_extra = "mine.toml"\n')
    result = run("values", "dimensions", "--json")
    assert result.exit_code == 0, result.output
    dims = {d["id"]: d for d in json.loads(result.stdout)}
    assert list(dims) == [*IDS, "openness"]
    assert len(dims["customer"]["anchors"]) == len(load_taxonomy().get("customer").anchors) + 1

    app = make_app(settings.replace("values", taxonomy_extra="mine.toml"))
    assert app.taxonomy.none_anchors[-1] == "The parking garage closes at midnight."
    text = "Community contributors fork our open source repositories and review pull requests."
    assert app.classifier.classify(app.vectors([text]), [text], 0.0) == ["openness"]
    # A different taxonomy is a different classifier: the shipped one is untouched.
    shipped = make_app(settings.replace("values", taxonomy_extra=""))
    assert "openness" not in shipped.classifier.classes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[dimension]]\nname = 'x'\n", "mine.toml:1: [[dimension]] #1 has no id"),
        ("[[dimension]]\nid = 'x'\nname = 'X'\ndescription = 'd'\n", "needs anchors"),
        (
            "[[dimension]]\nid = 'growth'\n\n[[dimension]]\nid = 'y'\n",
            "mine.toml:4: [[dimension]] y",
        ),
        ("[[dimension]]\nid = 'x'\ndescription = 'd'\nanchors = ['a']\n", "needs a name"),
        ("[[dimension]]\nid = 'customer'\nname = 'Clients'\n", "unexpected key 'name'"),
        ("[[dimension]]\nid = 'customer'\nanchors = 'one'\n", "anchors must be a list"),
        ("[[dimension]\nid = 'x'\n", "syntax error"),
        ("[none]\nanchors = [1, 2]\n", "[none] anchors must be a list of strings"),
    ],
)
def test_taxonomy_extension_errors_name_the_file(workspace, text, message):
    (workspace / "mine.toml").write_text(text)
    (workspace / "config.toml").write_text('[values]\ntaxonomy_extra = "mine.toml"\n')
    result = run("values", "dimensions")
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "mine.toml" in result.output and message in result.output


def test_missing_taxonomy_extension_is_named(workspace):
    (workspace / "config.toml").write_text('[values]\ntaxonomy_extra = "nowhere.toml"\n')
    result = run("values", "dimensions")
    assert result.exit_code == 2 and "nowhere.toml: cannot read taxonomy extension" in result.output


def test_cache_is_read_first_by_a_new_process(settings, db):
    """A new process opens an up-to-date database read-only first; its cache lookup must work
    (DuckDB 2 refused register() after the schema check left a result half-fetched)."""
    from fitbrief.store import Database

    first = embed_texts(EmbeddingCache(db), HashEmbedder(), ["We value craft."])
    fresh = Database(settings.database, 2.0)  # as a new process sees it: schema not checked
    embedder = HashEmbedder()
    again = embed_texts(EmbeddingCache(fresh), embedder, ["We value craft.", "We ship fast."])
    assert embedder.encoded == 1 and np.allclose(again[0], first[0])


def test_a_repeated_statement_is_one_piece_of_evidence(settings):
    from fitbrief.analysis.culture import build_profile

    app = make_app(settings)
    statement = "We review every change carefully and sweat the details of quality."
    passages = [Passage(statement, "", f"https://x.example/{i}", "values") for i in range(3)] + [
        Passage(statement + " More soon.", "", "https://x.example/b", "post")
    ]
    texts = [p.text for p in passages]
    vectors = app.vectors(texts)
    once = build_profile(app.classifier, passages[:1], vectors[:1], texts[:1], 0.0)
    repeated = build_profile(app.classifier, passages, vectors, texts, 0.0)
    dim = next(d for d, p in once.items() if p.evidence_count)
    assert repeated[dim].evidence_count == 1
    assert repeated[dim].emphasis == once[dim].emphasis
    assert repeated[dim].confidence == once[dim].confidence


def test_embedding_progress_runs_from_zero_to_total_and_the_bar_closes(db):
    from fitbrief.cli.output import EmbeddingBar

    seen: list[tuple[int, int]] = []
    texts = [f"statement number {i}" for i in range(600)]
    cache = EmbeddingCache(db)
    embed_texts(cache, HashEmbedder(), texts, lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 600) and seen[-1] == (600, 600)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    bar = EmbeddingBar()
    for done, total in seen:
        bar(done, total)
        assert (bar._bar is None) == (done == total)
    embed_texts(cache, HashEmbedder(), texts, bar)  # all cached: nothing to report, no bar
    assert bar._bar is None


@pytest.mark.model
def test_values_classify_abstains_on_requirement_lines_and_news(workspace):
    lines = (
        "5+ years of full-cycle recruitment experience\n"
        "Excellent written and verbal communication skills\n"
        "Bachelor's degree in Computer Science or equivalent\n"
        "The minister said the deal would be signed next week.\n"
        "We are honest with each other and with our customers, even when it is hard.\n"
    )
    result = run("values", "classify", "-", "--json", input=lines)
    assert result.exit_code == 0, result.output
    labels = [json.loads(line)["dimension"] for line in result.stdout.splitlines()]
    assert labels[:4] == [None, None, None, None]
    assert labels[4] == "integrity"


def test_only_the_company_own_voice_counts(settings):
    """Posting lines, requirement lines, news and text in another language are set aside
    and counted; a site of news only gets no emphasis anywhere."""
    from fitbrief.analysis.culture import build_profile
    from fitbrief.records import Passage

    app = make_app(settings)
    passages = [
        Passage("Design and build scalable data pipelines.", "What you'll do", "u1", "job"),
        Passage("5+ years of Python experience", "Requirements", "u2", "careers"),
        Passage(
            "Die Regierung sagte am Montag, dass der Vertrag bald unterzeichnet wird, "
            "und die Opposition kritisierte das Vorgehen scharf.",
            "",
            "u3",
            "press",
        ),
        Passage("The minister said the deal would be signed next week.", "", "u4", "press"),
    ]
    texts = [p.text for p in passages]
    profile = build_profile(app.classifier, passages, app.vectors(texts), texts, 0.1)
    assert profile.value_passages == 0 and profile.insufficient
    assert profile.set_aside == {"posting": 1, "requirement": 1, "language": 1, "reported": 1}
    assert all(p.emphasis is None and p.status == "unknown" for p in profile.values())


def test_a_brief_says_stressed_only_of_a_dimension_stressed_more_than_typical():
    """The value questions come from the dimensions with evidence, most emphasised first; a
    dimension the company only mentions is not called stressed, one without evidence is left."""
    from fitbrief.analysis.culture import CultureProfile, DimensionProfile, Evidence
    from fitbrief.render.brief import _Sources, interview_questions_section

    def dim(d: str, emphasis: float, status: str, evidence: int) -> DimensionProfile:
        quote = Evidence(f"We value {d}.", "", "https://x.example/values", "values", 0.9, 1.0)
        return DimensionProfile(d, emphasis, 0.8, evidence, [quote] * evidence, 0.1, status)

    profile = CultureProfile(
        {
            "growth": dim("growth", 0.8, "emphasised", 3),
            "customer": dim("customer", 0.4, "mentioned", 1),
            "stability": dim("stability", 0.0, "low", 0),
        }
    )
    questions = interview_questions_section(profile, {}, load_taxonomy(), None, _Sources())
    assert [(q.dimension, q.why.split()[2]) for q in questions] == [
        ("growth", "stresses"),
        ("customer", "mentions"),
    ]
