"""End to end on a corpus of another kind: eight presidential addresses (tests/data/corpora/speeches),
each by one named speaker who says "I", with the real model. Nothing in the package knows this corpus;
its cast, attribution and answers come from the documents. Questions are worded for these tests, not
taken from the corpus's gold file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.settings import Settings

pytestmark = pytest.mark.e2e
SPEECHES = Path(__file__).resolve().parent / "data" / "corpora" / "speeches" / "sources"
SPEAKERS = {"Ronald Reagan", "George H. W. Bush", "Bill Clinton", "George W. Bush", "Barack Obama",
            "Donald J. Trump", "Joe Biden"}


@pytest.fixture(scope="module")
def speeches(tmp_path_factory, seed_assistant):
    from assistant.answering.answer import open_assistant

    settings = Settings(sources_dir=SPEECHES, index_dir=tmp_path_factory.mktemp("speeches-index"), cache_size=0)
    # The model export of the seed index is reused; the index itself is built from the speeches.
    return open_assistant(settings, embedder=seed_assistant.embedder, log=lambda m: None)


def test_the_cast_is_the_speakers_and_the_people_they_name(speeches):
    names = {a.name for a in speeches.index.actors.actors}
    assert SPEAKERS <= names
    assert not names & {"BMA", "Government (DHSC)", "Hewitt Review"}


def test_a_speakers_own_first_person_statements_are_theirs(speeches):
    idx = speeches.index
    first_person = re.compile(r"^(?:I|We|My|Our)\b")
    checked = 0
    for s in idx.sentences:
        text = idx.text(s)
        if first_person.match(text):
            assert s.actor == idx.documents[s.source_id].publisher, text
            checked += 1
    assert checked > 100


def test_and_x_gives_what_x_said_on_the_earlier_topic(speeches):
    a = speeches.ask("And Clinton?", history=["What did Obama say about health insurance?"])
    assert a.answered and "health" in a.standalone_question.lower()
    assert a.quotes[0].actor == "Bill Clinton"


def test_a_comparison_of_speakers_who_never_share_a_sentence(speeches):
    a = speeches.ask("How do Reagan and Biden differ on taxes?")
    assert a.answered
    assert {"Ronald Reagan", "Joe Biden"} <= {q.actor for q in a.quotes[:4]}


def test_that_compared_with_another_speaker_sets_the_two_side_by_side(speeches):
    a = speeches.ask("How does that compare with Reagan's view?", history=["What did Clinton propose on welfare reform?"])
    assert a.answered
    assert {"Bill Clinton", "Ronald Reagan"} <= {q.actor for q in a.quotes[:3]}
    assert all("welfare" in q.text.lower() for q in a.quotes[:3])


def test_the_opening_salutation_never_answers(speeches):
    for question in ("What did Trump say to Congress?", "What did Biden tell the country?",
                     "What did Reagan say in his address?"):
        a = speeches.ask(question)
        for q in a.quotes[:2]:
            assert not q.text.startswith(("Mr. Speaker", "Madam Speaker", "Mr. President")), (question, q.text)


def test_a_speaker_silent_on_a_topic_is_said_to_be(speeches):
    a = speeches.ask("And Reagan?", history=["What did Biden say about insulin prices?"])
    assert not a.answered and "Ronald Reagan" in a.message


def test_every_quote_is_verbatim(speeches):
    for question in ("Who wanted to balance the budget?", "What did Obama say about banks?",
                     "Compare Trump and Obama on trade."):
        for q in speeches.ask(question, top_k=10).quotes:
            assert speeches.index.documents[q.source_id].text[q.start:q.end] == q.text


def test_a_month_in_a_question_is_a_time_not_an_unknown_name(speeches):
    a = speeches.ask("How did Obama describe the economy he took over in January 2009?")
    assert a.answered and a.quotes[0].actor == "Barack Obama"


def test_a_speaker_is_silent_on_what_only_others_mention(speeches):
    # Only another speaker names this country: the one asked about says nothing on it.
    a = speeches.ask("What did Reagan say about Nicaragua?")
    assert not a.answered and "Ronald Reagan" in a.message


def test_a_speaker_whose_words_never_touch_the_topic_is_silent_on_it(speeches):
    # Only another speaker talks of insulin; the one asked about has statements close in meaning
    # (health costs) that hold none of the topic's words: they say nothing on it.
    a = speeches.ask("What did Reagan say about insulin?")
    assert not a.answered and "Ronald Reagan" in a.message
    a = speeches.ask("What did Biden say about insulin?")
    assert a.answered and a.quotes[0].actor == "Joe Biden"


def test_a_name_two_speakers_share_finds_either(speeches):
    a = speeches.ask("What did George Bush say about education?")
    assert a.answered and a.quotes[0].actor in {"George H. W. Bush", "George W. Bush"}
    a = speeches.ask("And the younger Bush?", history=["How did George H. W. Bush want to improve American schools?"])
    assert a.answered and a.quotes[0].actor == "George W. Bush"
