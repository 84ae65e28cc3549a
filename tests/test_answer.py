"""End to end on the seed corpus with the real bundled model: quotes are found, verbatim, and honest."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant import evaluate
from assistant.errors import InvalidQuestionError

pytestmark = pytest.mark.e2e
DATA = Path(__file__).resolve().parent / "data"


def texts(answer) -> list[str]:
    return [q.text for q in answer.quotes]


def test_bma_view_on_the_buy_out_fund_is_quoted_verbatim(seed_assistant):
    a = seed_assistant.ask("What does the BMA think of the proposed GP buy-out fund?")
    assert a.answered and a.quotes
    assert any("we worry that this process may instead compromise the continuity of care" in t for t in texts(a)[:3])
    top = a.quotes[0]
    assert top.publisher == "BMA" and top.source_id in seed_assistant.index.documents


def test_every_quote_is_exactly_the_source_text_at_its_offsets(seed_assistant):
    questions = [
        "Did the government accept the 1% prevention shift?",
        "Who welcomed fewer national targets?",
        "What does NHS Providers say about capital funding?",
        "What did The King's Fund make of the Hewitt Review?",
        "How did the government respond to HARPs?",
    ]
    for question in questions:
        a = seed_assistant.ask(question, top_k=10)
        assert a.quotes, question
        for q in a.quotes:
            doc = seed_assistant.index.documents[q.source_id]
            assert doc.text[q.start:q.end] == q.text
            assert doc.text[q.passage_start:q.passage_end] == q.passage
            assert q.passage_start <= q.start and q.end <= q.passage_end


def test_quotes_do_not_repeat_each_other(seed_assistant):
    a = seed_assistant.ask("What did Hewitt recommend about national targets?", top_k=10)
    spans = [(q.source_id, q.start, q.end) for q in a.quotes]
    for i, (s1, a1, b1) in enumerate(spans):
        for s2, a2, b2 in spans[i + 1:]:
            assert s1 != s2 or b1 <= a2 or b2 <= a1, "overlapping quotes"


@pytest.mark.parametrize("question", [
    "What is the capital of France?",
    "How do I reset my NHS App password?",
    "How many integrated care systems are there in England?",
])
def test_questions_the_sources_do_not_answer_are_declined(seed_assistant, question):
    a = seed_assistant.ask(question)
    assert not a.answered and a.quotes == [] and "do not answer" in a.message


def test_a_question_naming_an_actor_puts_that_actors_view_first(seed_assistant):
    a = seed_assistant.ask("What is NHS Providers' view on the government's caution over HARPs?")
    assert a.quotes[0].actor == "NHS Providers"


def test_follow_up_carries_topic_and_actor(seed_assistant):
    first = "What did the government decide about Hewitt's HARPs proposal?"
    a = seed_assistant.ask("And how did the BMA react to that decision?", history=[first])
    assert "HARP" in a.standalone_question
    assert a.quotes[0].actor == "BMA"
    assert any("HARP" in q.text for q in a.quotes[:3])


def test_comparison_shows_each_actor(seed_assistant):
    a = seed_assistant.ask("How do the BMA and NHS Providers differ on the review of NHS capital?")
    actors = [q.actor for q in a.quotes[:4]]
    assert "BMA" in actors and "NHS Providers" in actors


def test_source_and_actor_filters(seed_assistant):
    a = seed_assistant.ask("What was said about prevention?", sources=["wa-hewitt-review-unpacked"], top_k=10)
    assert a.quotes and {q.source_id for q in a.quotes} == {"wa-hewitt-review-unpacked"}
    a = seed_assistant.ask("What was said about prevention?", actors=["bma"], top_k=10)
    assert a.quotes and {q.actor for q in a.quotes} == {"BMA"}


@pytest.mark.parametrize("bad", ["", "   ", "x" * 1001, "what\x00now"])
def test_bad_questions_are_refused_with_the_field_named(seed_assistant, bad):
    with pytest.raises(InvalidQuestionError) as e:
        seed_assistant.ask(bad)
    assert e.value.field == "question"


def load_score_py():
    spec = importlib.util.spec_from_file_location("shared_score", DATA / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_set_figures_hold_and_match_the_shared_scorer(seed_assistant):
    gold = evaluate.load_jsonl(DATA / "dev.jsonl")
    results = evaluate.run(seed_assistant, gold)
    runs = {r["id"]: r for r in results}
    ours = evaluate.score(gold, runs)
    theirs = load_score_py().score(gold, runs)
    assert ours == theirs
    # Floors a little under the figures measured when this test was written: a drop is a regression.
    assert ours["hit@5"] >= 0.92 and ours["hit@1"] >= 0.72 and ours["mrr@10"] >= 0.78
    assert ours["abstain_unanswerable"] >= 0.70 and ours["false_abstain_answerable"] <= 0.05
    assert ours["actor_acc_on_hits"] >= 0.90 and ours["stance_coarse_acc_on_hits"] >= 0.78
    for r in results:
        for q in r["results"]:
            doc = seed_assistant.index.documents[q["source_id"]]
            assert doc.text[q["start"]:q["end"]] == q["text"]


def test_an_actor_with_nothing_on_the_topic_gets_an_honest_no(seed_assistant):
    a = seed_assistant.ask("What did the RCN say about the Hewitt Review?")
    assert not a.answered and "Royal College of Nursing" in a.message


def test_a_cost_question_needs_an_amount(seed_assistant):
    a = seed_assistant.ask("How much will the NHS workforce plan cost?")
    assert not a.answered and "amount" in a.message


def test_actors_after_a_preposition_are_the_topic():
    from assistant.actors import load_actors
    from assistant.query import split_actors

    actors = load_actors()
    assert split_actors("What did the RCN say about the Hewitt Review?", actors)[:2] == (
        ["Royal College of Nursing"], ["Hewitt Review"])
    assert split_actors("What is the view of the BMA on HARPs?", actors)[0] == ["BMA"]


def test_a_name_the_sources_never_mention_is_declined(seed_assistant):
    a = seed_assistant.ask("What did the Spending Review 2025 allocate to ICSs?")
    assert not a.answered and "Spending Review" in a.message
    b = seed_assistant.ask("Who chairs the Norfolk and Waveney ICB?")
    assert b.answered  # the name is in the sources


def test_a_many_actor_comparison_gives_each_actor_on_the_topic(seed_assistant):
    a = seed_assistant.ask("What did the government, the BMA, NHS Providers, The King's Fund and WA Communications "
                           "each say about HARPs?")
    assert a.answered
    first = {}
    for q in a.quotes:
        first.setdefault(q.actor, q)
    assert {"Government (DHSC)", "BMA", "NHS Providers"} <= set(first)
    assert "HARP" in first["Government (DHSC)"].text and "HARP" in first["BMA"].text
