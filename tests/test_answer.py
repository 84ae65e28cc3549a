"""End to end on the seed corpus with the real bundled model: quotes are found, verbatim, and honest.
Questions here are worded for these tests, not copied from the dev set."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant.answering import evaluate
from assistant.errors import InvalidQuestionError

pytestmark = pytest.mark.e2e
DATA = Path(__file__).resolve().parent / "data"


def texts(answer) -> list[str]:
    return [q.text for q in answer.quotes]


def test_bma_view_on_the_buy_out_fund_is_quoted_verbatim(seed_assistant):
    a = seed_assistant.ask("What does the BMA think of the proposed GP buy-out fund?")
    assert a.answered and a.quotes
    assert any("buy-out" in t for t in texts(a)[:2])
    top = a.quotes[0]
    assert top.actor == "BMA" and top.source_id in seed_assistant.index.documents


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
    "How do I renew my passport online?",
    "What did the Bank of Canada decide about interest rates in March?",
])
def test_questions_the_sources_do_not_answer_are_declined(seed_assistant, question):
    a = seed_assistant.ask(question)
    assert not a.answered and a.quotes == [] and "do not answer" in a.message


def test_a_body_the_sources_record_no_view_of_is_said_to_be_silent(seed_assistant):
    # Named in passing as a partner, never holding a view: nothing it thinks is recorded. (Its name holds
    # "Government", an alias of another actor, which does not make it that actor.)
    a = seed_assistant.ask("How did the Local Government Association react to the Hewitt Review?")
    assert not a.answered and "Local Government Association" in a.message and "DHSC" not in a.message
    a = seed_assistant.ask("What did the Royal College of Midwives say about integrated care boards?")
    assert not a.answered and "Royal College of Midwives" in a.message


def test_a_question_naming_an_actor_puts_that_actors_view_first(seed_assistant):
    a = seed_assistant.ask("What is NHS Providers' view of the plans for HARPs?")
    assert a.quotes[0].actor == "NHS Providers"


def test_a_complete_question_is_answered_the_same_after_unrelated_history(seed_assistant):
    question = "What does NHS Providers say about national targets?"
    alone = seed_assistant.ask(question)
    after = seed_assistant.ask(question, history=["What did the BMA say about the GP buy-out fund?", "Why?"])
    assert after.standalone_question == question
    assert [(q.source_id, q.start) for q in after.quotes] == [(q.source_id, q.start) for q in alone.quotes]
    off = seed_assistant.ask("What is the capital of France?", history=["What did the BMA say about the GP buy-out fund?"])
    assert not off.answered


def test_and_x_answers_what_x_said_on_the_earlier_topic(seed_assistant):
    a = seed_assistant.ask("And NHS Providers?", history=["What did the government decide about HARPs?"])
    assert "HARP" in a.standalone_question
    assert a.answered and a.quotes[0].actor == "NHS Providers"
    assert any("HARP" in t for t in texts(a)[:3])


def test_a_publisher_describing_anothers_proposal_still_speaks_on_it(seed_assistant):
    # The briefing's sentences on prevention describe the review's proposals (attributed to the review),
    # but they are the publisher's own document: asked why, it is not "silent".
    a = seed_assistant.ask("Why?", history=["What does the King's Fund think about prevention?"])
    assert a.answered, a.message
    # its one paragraph on prevention leads, quoted from its first sentence on it
    assert a.quotes[0].publisher == "The King's Fund" and "prevention" in a.quotes[0].text


def test_comparison_shows_each_actor(seed_assistant):
    a = seed_assistant.ask("Compare WA Communications and NHS Providers on prevention.")
    assert a.answered
    assert {"WA Communications", "NHS Providers"} <= {q.actor for q in a.quotes[:4]}


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
    ours = evaluate.score(gold, runs, actors=seed_assistant.actors)
    theirs = load_score_py().score(gold, runs)
    assert ours == theirs
    # Floors under the cross-validated figures (assistant/data/weights.json): a drop is a regression.
    assert ours["hit@5"] >= 0.80 and ours["hit@1"] >= 0.60 and ours["mrr@10"] >= 0.68
    assert ours["abstain_unanswerable"] >= 0.40 and ours["false_abstain_answerable"] <= 0.07
    assert ours["actor_acc_on_hits"] >= 0.80 and ours["stance_coarse_acc_on_hits"] >= 0.60
    for r in results:
        for q in r["results"]:
            doc = seed_assistant.index.documents[q["source_id"]]
            assert doc.text[q["start"]:q["end"]] == q["text"]


def test_positions_follow_the_topic_and_the_actors_it_names(seed_assistant):
    p = seed_assistant.positions("the 1% shift of NHS budgets to prevention")
    assert p.answered and len({e.actor for e in p.entries}) == len(p.entries) >= 2
    assert "Did" not in p.topic
    named = seed_assistant.positions("What did the BMA say about the 1% shift to prevention?")
    assert [e.actor for e in named.entries] == ["BMA"] and "BMA" not in named.topic
    for e in p.entries + named.entries:
        assert all(q.actor == e.actor for q in e.quotes)


def test_positions_quote_a_passage_under_one_actor_and_name_who_is_not_heard(seed_assistant):
    stated = seed_assistant.index.summary["stated"]
    for topic in ("the 1% shift of NHS budgets to prevention", "fewer national targets", "the GP buy-out fund",
                  "neighbourhood health services"):
        p = seed_assistant.positions(topic)
        spans = [(e.actor, q.source_id, q.start, q.end) for e in p.entries for q in e.quotes]
        for a in spans:
            for b in spans:
                if a[0] != b[0] and a[1] == b[1]:
                    assert a[3] <= b[2] or b[3] <= a[2], (topic, a, b)  # no passage under two actors
        assert not set(p.silent) & {e.actor for e in p.entries}
        assert all(stated.get(a, 0) > 1 for a in p.silent)


def test_positions_call_silent_only_whom_the_chat_finds_silent(seed_assistant):
    """"No statement on this found from X" is the chat's own judgement of "What does X think of T?", not "X is not
    among the closest candidates": the BMA, whose briefing calls the refusal to reconsider the 10 percent cut to ICB
    running budgets disappointing, was named silent on the ICB running cost cuts."""
    for topic in ("the ICB running cost cuts", "the 1% prevention shift", "the GP buy-out fund"):
        p = seed_assistant.positions(topic)
        assert p.answered
        for actor in p.silent:
            a = seed_assistant.ask(f"What does {actor} think of {topic}?")
            assert not a.answered and "no statement" in a.message.lower(), (topic, actor, a.message)
    assert "BMA" not in seed_assistant.positions("the ICB running cost cuts").silent
    assert seed_assistant.ask("What does the BMA think of the ICB running cost cuts?").answered


def test_why_after_a_refused_turn_is_refused_too(seed_assistant):
    # Issue 26 (noticed): "Why?" asks the reasons for the position the turn before quoted; when the sources gave
    # none, whatever the rewritten question found was shown as the reasons.
    before = "What does WA Communications think of the GP buy-out fund?"
    assert not seed_assistant.ask(before).answered
    why = seed_assistant.ask("Why?", [before])
    assert not why.answered and not why.quotes and "no position to give the reasons for" in why.message
    answered = "What does the BMA think of the GP buy-out fund?"
    assert seed_assistant.ask(answered).answered and seed_assistant.ask("Why?", [answered]).answered


def test_who_holds_a_stance_gets_one_statement_per_actor_first(seed_assistant):
    a = seed_assistant.ask("Who welcomed fewer national targets?")
    assert a.answered
    first = [q.actor for q in a.quotes[:3]]
    assert len(set(first)) == len(first), first  # one statement per actor at the top
    assert a.quotes[0].stance in ("welcomes", "supports", "accepts")


def test_the_one_document_of_the_actor_asked_about_may_fill_the_answer(tmp_path, fake_embedder):
    # Other documents get a say (at most PER_SOURCE quotes from one) unless the question asks about the one
    # actor whose only document it is: a witness's own testimony is where their view is.
    from conftest import made_up_assistant

    from assistant.answering.quotes import PER_SOURCE

    said = ["The levy on lanterns is unfair to night workers.", "We oppose the levy on lanterns outright.",
            "A levy on lanterns would close small lamp shops.", "The lantern levy ignores rural streets.",
            "No levy on lanterns should pass without a vote.", "The levy on lanterns was never costed."]
    a = made_up_assistant(tmp_path, fake_embedder, {
        "union.md": ("# Union statement\n\n" + "\n\n".join(said) + "\n", "Lamplighters Union"),
        "ministry.md": ("# Ministry note\n\n" + "\n\n".join(s.replace("We oppose", "The ministry backs") for s in said)
                        + "\n", "Ministry of Lamps")})
    q = a.understand("What does the Lamplighters Union think about the levy on lanterns?")
    quotes = a.select(q, a.retriever.rank(q, fake_embedder.encode_query(q.dense_text)), 5)
    assert len(quotes) == 5 and sum(qt.source_id == "union" for qt in quotes) > PER_SOURCE
    # asked about nobody in particular, each document has its say
    q = a.understand("What is said about the levy on lanterns?")
    quotes = a.select(q, a.retriever.rank(q, fake_embedder.encode_query(q.dense_text)), 5)
    assert max(sum(qt.source_id == s for qt in quotes) for s in ("union", "ministry")) <= PER_SOURCE


def test_a_quotes_stance_is_toward_the_topic_asked_about(tmp_path, fake_embedder):
    # Issue 24: agreeing to delay X is against X; opposing cuts to X is for X. Without a topic in the
    # question, or when the topic is not what the predicate works against, the sentence's own attitude stays.
    from conftest import made_up_assistant

    a = made_up_assistant(tmp_path, fake_embedder, {
        "guild.md": ("# Guild statement\n\n"
                     "We agree with the council's decision to delay the introduction of the lantern levy.\n\n"
                     "We strongly oppose the cuts to the night ferry budget.\n\n"
                     "We welcome the new harbour lights.\n\n"
                     "It is time the council scrapped the lamp tax.\n", "Lamplighters Guild")})

    def stance(question: str, starts: str) -> str:
        q = a.understand(question)
        quotes = a.select(q, a.retriever.rank(q, fake_embedder.encode_query(q.dense_text)), 5)
        return next(x.stance for x in quotes if x.text.startswith(starts))

    assert stance("What does the Lamplighters Guild think of the lantern levy?", "We agree") == "opposes"
    assert stance("Is the Lamplighters Guild for the night ferry budget?", "We strongly oppose") == "supports"
    assert stance("What does the Lamplighters Guild think of the harbour lights?", "We welcome") == "welcomes"
    assert stance("Where does the Lamplighters Guild stand on the lamp tax?", "It is time") == "opposes"
    # the topic is the delay itself: the sentence's own attitude toward it
    assert stance("What does the Lamplighters Guild think of the council's decision?", "We agree") == "supports"
