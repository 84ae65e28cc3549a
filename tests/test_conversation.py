"""Follow-ups become standalone questions without a model."""

from __future__ import annotations

from assistant.actors import load_actors
from assistant.conversation import resolve_followup

ACTORS = load_actors()


def test_a_follow_up_that_refers_back_inherits_the_topic():
    r = resolve_followup("And how did the BMA react to that decision?",
                         ["What did the government decide about Hewitt's HARPs proposal?"], ACTORS)
    assert "HARPs" in r.text and "Hewitt's" in r.text
    assert r.actors is None  # it names its own actor
    assert "government" not in r.dense_text.lower().split("?")[0]  # the earlier asked actor is not re-read


def test_a_follow_up_without_an_actor_inherits_the_earlier_one():
    r = resolve_followup("Has a pilot ever been run that way before?",
                         ["What did The King's Fund say about Hewitt's plan for the most advanced systems?"], ACTORS)
    assert "The King's Fund" in (r.actors or ())
    assert "advanced systems" in r.text


def test_a_self_contained_question_is_left_alone():
    r = resolve_followup("What did NHS Providers say about capital funding reviews in detail?",
                         ["What did the BMA say about HARPs?"], ACTORS)
    assert r.text == "What did NHS Providers say about capital funding reviews in detail?"


def test_no_history_no_change():
    r = resolve_followup("What is a HARP?", [], ACTORS)
    assert r.text == r.dense_text == "What is a HARP?" and r.actors is None
