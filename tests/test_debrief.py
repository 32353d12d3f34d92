"""Debrief: coverage against stored research, duplicates, and bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import make_app, run
from test_fit import store_company

from fitbrief.errors import AlreadyExists
from fitbrief.pipeline.debrief import Interview, gaps, history, record
from fitbrief.store.companies import get_company

RESEARCH = [
    ("About", "Quietloop builds offline-first note taking apps for field researchers.", "about"),
    ("News", "In March we raised a Series B of 40 million to expand into Asia.", "press"),
    ("Values > Calm", "We protect focus time and never schedule meetings on Fridays.", "values"),
]


def interview(db, questions, outcome="rejected", when=date(2026, 11, 1)):
    company = get_company(db, "Quietloop")
    return Interview(company, questions, outcome, when, feedback="Answers lacked structure.")


def test_verbatim_question_is_covered_and_untouched_topic_is_not(settings, db):
    store_company(db, "Quietloop", RESEARCH)
    app = make_app(settings)
    report = record(
        app,
        interview(
            db,
            [
                "How big was the Series B you raised in March to expand into Asia?",
                "Explain eventual consistency in distributed Postgres clusters.",
            ],
        ),
    )
    first, second = report.questions
    assert first.covered is True and first.evidence[0].url.endswith("/press/1")
    assert second.covered is False and second.research.page_kind
    assert report.covered_share == 0.5
    assert any(lesson.area == "STAR structure" for lesson in report.lessons)
    assert [h.outcome for h in history(app)] == ["rejected"]
    assert len(gaps(app).interviews) == 1


def test_same_debrief_twice_needs_force(settings, db):
    store_company(db, "Quietloop", RESEARCH)
    app = make_app(settings)
    questions = ["What do you know about our Series B?"]
    record(app, interview(db, questions))
    with pytest.raises(AlreadyExists, match="--force"):
        record(app, interview(db, questions))
    record(app, interview(db, questions, outcome="offer"), force=True)
    assert [h.outcome for h in history(app)] == ["offer"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "no questions found"),
        (b"# only a comment\n\n   \n", "no questions found"),
        (b"\xff\xfe\x00W\x00h\x00y", "not UTF-8 text"),
        (b"Why us?\n" + b"x" * 1200 + b"\n", "q.txt:2: not a question"),
    ],
)
def test_malformed_question_files_are_clear(workspace, content, message):
    qfile = workspace / "q.txt"
    qfile.write_bytes(content)
    run("company", "add", "Quietloop", "--url", "https://quietloop.example")
    result = run("debrief", "Quietloop", "--questions", str(qfile))
    assert result.exit_code != 0 and message in result.output and "q.txt" in result.output
    assert "Traceback" not in result.output


def test_missing_file_unknown_outcome_and_no_research(workspace):
    qfile = workspace / "q.txt"
    qfile.write_text("Why do you want to work here?\n")
    run("company", "add", "Quietloop", "--url", "https://quietloop.example")
    result = run("debrief", "Quietloop", "--questions", str(workspace / "nope.txt"))
    assert result.exit_code != 0 and "nope.txt" in result.output
    result = run("debrief", "Quietloop", "--questions", str(qfile), "--outcome", "ghosted")
    assert result.exit_code != 0 and "ghosted" in result.output
    result = run("debrief", "Quietloop", "--questions", str(qfile))
    assert result.exit_code != 0
    assert (
        "no research stored for 'Quietloop'" in result.output and "fitbrief crawl" in result.output
    )
    assert "nothing covered" not in result.output.lower()
    result = run("debrief", "Nobody", "--questions", str(qfile))
    assert result.exit_code != 0 and "unknown company 'Nobody'" in result.output


@pytest.mark.model
def test_a_specific_object_the_research_lacks_is_not_covered_and_a_paraphrase_is(settings, db):
    """The research says Rocketly runs Kubernetes, never "operators": the question about
    operators is at most partly covered; a question a passage answers in other words is."""
    store_company(
        db,
        "Rocketly",
        [
            (
                "How we ship",
                "We deploy to production dozens of times a day with a continuous "
                "delivery pipeline.",
                "post",
            ),
            (
                "Infrastructure",
                "Our team runs everything on Kubernetes clusters in two regions.",
                "post",
            ),
            (
                "Benefits",
                "New parents take sixteen weeks of paid time off after a birth or adoption.",
                "careers",
            ),
        ],
    )
    from fitbrief.app import App

    app = App(settings)  # the real bundled model
    company = get_company(db, "Rocketly")
    report = record(
        app,
        Interview(
            company,
            [
                "How does Rocketly use Kubernetes operators in production?",
                "What do you know about our parental leave policy?",
                "Tell me about a time you failed.",
            ],
            "rejected",
            date(2026, 11, 2),
        ),
    )
    operators, leave, failed = report.questions
    assert operators.coverage in ("partly", "not") and not operators.covered
    assert operators.terms_missing == ["operators"] and "Kubernetes" in operators.terms_matched
    assert leave.coverage == "covered" and leave.evidence[0].url.endswith("/careers/2")
    assert failed.coverage == "about you"
    assert report.covered_share == 0.5  # the question about you is not research


@pytest.mark.model
def test_json_keeps_covered_and_adds_coverage(workspace, settings, db, use_db):
    store_company(db, "Quietloop", RESEARCH)
    qfile = workspace / "q.txt"
    qfile.write_text("Tell me about a time you disagreed with your manager.\n")
    result = run("debrief", "Quietloop", "--questions", str(qfile), "--json")
    assert result.exit_code == 0, result.output
    [q] = json.loads(result.output)["questions"]
    assert q["covered"] is False and q["coverage"] == "about you"
    gaps = json.loads(run("gaps", "--json").output)
    assert gaps["about_you"] == ["Tell me about a time you disagreed with your manager."]
    again = json.loads(run("gaps", "--recompute", "--json").output)
    assert again["recomputed"] == 1


def test_recompute_judges_each_stored_interview_as_it_would_be_judged_alone(settings, db):
    """Interviews of one company are judged in one pass; each gets its own questions back,
    in order, with the coverage a fresh assessment gives them."""
    from fitbrief.pipeline.debrief import assess, recompute, research_share
    from fitbrief.store import interviews as interview_store

    store_company(db, "Quietloop", RESEARCH)
    app = make_app(settings)
    asked = [
        ["How big was the Series B you raised in March?", "Tell me about a time you failed."],
        ["Explain eventual consistency.", "Which day has no meetings?", "What do you build?"],
    ]
    for day, questions in enumerate(asked, 1):
        record(app, interview(db, questions, when=date(2026, 11, day)))
    stored = interview_store.stored_interviews(db)
    for s in stored:  # forget how they were judged
        rows = [interview_store.QuestionRow(q, "x", False, 0.0, "not") for q in s.questions]
        interview_store.update_coverage(db, s.id, rows, 0.0)
    assert recompute(app) == 2
    company = get_company(db, "Quietloop")
    assert [s.questions for s in interview_store.stored_interviews(db)] == asked
    alone = [research_share(assess(app, company, questions)) for questions in asked]
    assert [h.covered_share for h in history(app)] == alone
    assert alone[0] != alone[1]  # the two interviews are told apart
