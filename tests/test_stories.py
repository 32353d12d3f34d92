"""Story bank and practice: reading stories and answers with clear errors, checking stories,
scoring answers, matching stories to questions, and the commands end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import make_app, one_line_error, run
from test_debrief import RESEARCH
from test_fit import store_company

from fitbrief.analysis import star
from fitbrief.analysis.stories import (
    STORIES_TEMPLATE,
    Answer,
    Story,
    answer_sentences,
    check_story,
    load_stories,
    read_practice_answers,
    score_answer,
)
from fitbrief.errors import UsageError
from fitbrief.pipeline.stories import match
from fitbrief.resources import DATA_DIR

DEMO_STORIES = DATA_DIR / "demo" / "stories.toml"
DEMO_ANSWERS = DATA_DIR / "demo" / "answers.toml"

FULL = Story(
    "Cut deploy time",
    situation="Our payments service took 45 minutes to deploy, so releases were batched weekly.",
    task="I owned releases and had to make deploys small and safe enough to ship every day.",
    action="I split the build into cached stages and added a canary step with rollback.",
    result="Deploys fell from 45 to 8 minutes and failed releases dropped by two thirds.",
)


# ----------------------------------------------------------------------------- stories file


def test_the_template_and_the_demo_stories_load(tmp_path):
    path = tmp_path / "stories.toml"
    path.write_text(STORIES_TEMPLATE)
    [story] = load_stories(path)
    assert story.title.startswith("Cut the deploy") and story.tags
    demo = load_stories(DEMO_STORIES)
    assert len(demo) == 4 and all(s.title for s in demo)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[story]]\ntitle = "A"\nsituation = "x"\n[[story]]\nsituation = "y"\n',
            ":4: a story needs a title",
        ),
        ('[[story]]\ntitle = "A"\nsituaton = "typo"\n', ":1: unknown key 'situaton'"),
        ('[[story]]\ntitle = "A"\nresult = 42\n', ":1: 'result' must be text"),
        ('[[story]]\ntitle = "A"\ntags = "one"\n', ":1: 'tags' must be a list of text"),
        ('[[story]]\ntitle = "A"\n', "has no situation, task, action or result"),
        (
            '[[story]]\ntitle = "A"\nresult = "r"\n[[story]]\ntitle = "a"\nresult = "s"\n',
            "two stories",
        ),
        ('title = "A"\n', ":1: unknown key 'title'"),
        ("# nothing yet\n", "no stories found"),
        ('[[story]]\ntitle = "A\n', "syntax error"),
    ],
)
def test_bad_stories_files_are_one_clear_line(tmp_path, text, message):
    path = tmp_path / "stories.toml"
    path.write_text(text)
    with pytest.raises(UsageError) as caught:
        load_stories(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_stories_file_says_how_to_make_one(tmp_path):
    with pytest.raises(UsageError, match="fitbrief init"):
        load_stories(tmp_path / "none.toml")


def test_answers_file_errors_name_the_line(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text('[[answer]]\nquestion = "Q?"\ntext = "A."\n\n[[answer]]\nquestion = "Q2?"\n')
    with pytest.raises(UsageError, match=r"answers.toml:5: an answer needs a 'text'"):
        read_practice_answers(path)
    path.write_text('[[answer]]\nquestion = "Q?"\nanswer = "A."\n')
    with pytest.raises(UsageError, match=r"answers.toml:1: unknown key 'answer'"):
        read_practice_answers(path)
    assert len(read_practice_answers(DEMO_ANSWERS)) == 2


# ----------------------------------------------------------------------------- checking


def test_a_full_story_passes_and_a_thin_one_gets_advice_per_part():
    good = check_story(FULL, ["quality"])
    assert good.complete and good.quantified and good.advice == []
    thin = check_story(Story("Kubernetes", situation="We moved.", result="It went well."), [])
    assert not thin.complete and thin.missing == ["situation", "task", "action", "result"]
    assert any(a.startswith("task: missing") for a in thin.advice)
    assert any("by how much" in a for a in thin.advice)
    team = Story(
        "Team",
        situation=FULL.situation,
        task=FULL.task,
        action="We split the build into stages and we added a canary step to our pipeline.",
        result=FULL.result,
    )
    assert any("what *you* did" in a for a in check_story(team, []).advice)


def test_a_story_part_without_a_full_stop_is_its_own_sentence():
    story = Story("T", situation="We had no tests", task="I owned quality", result="Bugs fell 40%")
    assert story.sentences == ["We had no tests", "I owned quality", "Bugs fell 40%"]


def test_answer_score_reads_parts_numbers_pronouns_and_time():
    text = "\n".join(
        [
            "Our service took 45 minutes to deploy, so we batched releases weekly.",
            "I had to make deploys safe enough to ship daily.",
            "I split the build into cached stages and I added a canary step.",
            "Deploys fell to 8 minutes.",
        ]
    )
    sentences = answer_sentences(text)
    assert len(sentences) == 4
    parts = ["situation", "task", "action", "result"]
    scored = score_answer(Answer("Q?", text, seconds=150.0), sentences, parts, [], 120)
    assert all(scored.star.values()) and scored.quantified
    assert scored.over_time and any("over the 120 s limit" in f for f in scored.feedback)
    assert scored.i_share is not None and scored.i_share > 0.5
    parts = ["situation", "situation", "action", "action"]
    half = score_answer(Answer("Q?", text), sentences, parts, [], 120)
    assert not half.star["task"] and not half.star["result"] and not half.quantified
    assert any(f.startswith("no task") for f in half.feedback)


# ----------------------------------------------------------------------------- model


@pytest.mark.model
def test_star_parts_of_a_clear_answer_and_the_model_is_stored(tmp_path, monkeypatch):
    # Written for this test (a clear answer); real held-out examples are measured by bench_star.
    from fitbrief.config import load_settings

    settings = load_settings(environ={}).replace("storage", database=str(tmp_path / "s.duckdb"))
    from fitbrief.app import App

    app = App(settings)
    sentences = [
        "Last spring our checkout page was timing out for one in ten customers during sales.",
        "As the on-call engineer, I was responsible for finding the cause before the weekend.",
        "I profiled the slow queries, added an index and moved image resizing to a queue.",
        "Timeouts dropped to zero and conversion rose by 4 percent the next weekend.",
    ]
    parts = star.parts_of(app.star_model, sentences, app.vectors(sentences))
    assert parts == ["situation", "task", "action", "result"]

    # The trained model is stored: a second App reads it back instead of training again.
    def no_training(*args, **kwargs):
        raise AssertionError("retrained although a stored model exists")

    monkeypatch.setattr(star, "train", no_training)
    again = App(settings)
    vectors = app.vectors(sentences)
    assert np.array_equal(
        again.star_model.probabilities(vectors, sentences),
        app.star_model.probabilities(vectors, sentences),
    )


def test_story_matching_takes_the_close_story_and_leaves_unrelated_questions(settings):
    app = make_app(settings.replace("stories", match_threshold=0.3))
    stories = [
        FULL,
        Story("Mentored a new hire", task="I mentored a new engineer through on-call duty."),
    ]
    found = match(
        app,
        [
            "Tell me about a time you made deploys faster and safer.",
            "Describe a time you mentored a new engineer.",
            "What is your favourite colour?",
        ],
        stories,
    )
    assert found[0] is not None and found[0].title == "Cut deploy time"
    assert found[1] is not None and found[1].title == "Mentored a new hire"
    assert found[2] is None
    assert match(app, ["Q?"], []) == [None]


# ----------------------------------------------------------------------------- commands


@pytest.mark.model
def test_stories_practice_and_progress_commands(workspace, settings, db, use_db):
    store_company(db, "Quietloop", RESEARCH)
    assert "wrote stories.toml" in run("init").output
    listed = run("stories", "list", "--json")
    assert listed.exit_code == 0 and json.loads(listed.output)[0]["title"].startswith("Cut")
    checked = run("stories", "check", "--stories", str(DEMO_STORIES))
    assert checked.exit_code == 0, checked.output
    assert "Learned Kubernetes for a migration: task: missing" in checked.output
    assert "3 of 4 stories complete with a measurable result" in checked.output
    matched = run("stories", "match", "Quietloop", "--json")
    assert matched.exit_code == 0, matched.output
    # Written answers, scored and stored; the second run is compared with the first.
    first = json.loads(
        run("practice", "Quietloop", "--answers", str(DEMO_ANSWERS), "--json").output
    )
    full, partial = first  # an array in answer order
    assert full["question"].startswith("Tell me about a time you improved")
    assert sum(full["star"].values()) >= 3 and full["quantified"]
    assert not partial["star"]["result"] and partial["feedback"]
    # Interactive: typed answers (an empty line ends one), timed.
    typed = run(
        "practice",
        "Quietloop",
        "--count",
        "1",
        input="Our deploys took an hour.\nI cut them to ten minutes by caching the build.\n\n",
    )
    assert typed.exit_code == 0, typed.output
    assert "[1/1]" in typed.output and "last time" in typed.output
    gaps = json.loads(run("gaps", "--json").output)
    assert len(gaps["practice"]) == 2 and gaps["practice_trend"] is not None
    assert "practice" in run("gaps").output and "practice" in run("interviews").output
    # Stories reach the brief and the debrief.
    brief = json.loads(run("brief", "Quietloop", "--format", "json").output)
    assert brief["story_coverage"]["stories"] == 1
    qfile = workspace / "q.txt"
    qfile.write_text("Tell me about a time you made deploys faster.\nWhat is your biggest fear?\n")
    report = json.loads(run("debrief", "Quietloop", "--questions", str(qfile), "--json").output)
    assert report["preparation_gaps"] == ["What is your biggest fear?"]
    stories_of = {q["question"]: q["story"] for q in report["questions"]}
    assert stories_of["Tell me about a time you made deploys faster."]["title"].startswith("Cut")


def test_bad_story_and_answer_files_fail_in_one_line_and_keep_what_is_stored(
    workspace, settings, db, use_db
):
    store_company(db, "Quietloop", RESEARCH)
    bad = workspace / "stories.toml"
    bad.write_text('[[story]]\ntitle = "A"\nresult = 3\n')
    for args in (["stories", "list"], ["stories", "check"], ["brief", "Quietloop"]):
        one_line_error(run(*args), f"{Path('stories.toml')}:1: 'result' must be text")
    answers = workspace / "answers.toml"
    answers.write_text("[[answer]]\nquestion = 'Q?'\n")
    result = run("practice", "Quietloop", "--answers", str(answers))
    assert result.exit_code != 0 and "answers.toml:1: an answer needs a 'text'" in result.output
    missing = run("stories", "list", "--stories", "nope.toml")
    assert missing.exit_code != 0 and "nope.toml: stories file not found" in missing.output
    both = run("practice", "Quietloop", "--role", "x", "--job", "1")
    assert both.exit_code != 0 and "not both" in both.output
    assert run("company", "list", "--json").output.count("Quietloop") == 1
