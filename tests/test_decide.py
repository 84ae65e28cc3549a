"""Deciding whether the sources answer: what of a question's topic a passage covers. No model needed."""

from __future__ import annotations

import pytest

from conftest import one_assistant

from assistant.answering.decide import DECISION_FEATURES

TEXT = """# Widget Watch on the lamp courts

The judicial powers of the lamp courts are too wide.

Lamplighters want better clinical representation on the board.
"""


def test_a_topic_word_is_covered_by_a_word_of_the_same_root(tmp_path, fake_embedder):
    # "judiciary" asked, "judicial" written; "clinicians" asked, "clinical" written: the wording need not match
    a = one_assistant(tmp_path, fake_embedder, "courts.md", TEXT, "Widget Watch")
    kin = a.retriever.kin.of
    assert "judici" in kin("judiciari") and "clinic" in kin("clinician")
    assert not kin("lamp")  # too short to tell a root from a word
    for question in ("What does Widget Watch think of the judiciary?", "Are clinicians represented?"):
        q = a.understand(question)
        ranked = a.retriever.rank(q, fake_embedder.encode_query(q.dense_text))
        features = a.judge.features(q, ranked, a.select(q, ranked, 3), a.retriever)
        assert features[DECISION_FEATURES.index("cover")] == 1.0, question


def test_a_misspelt_name_or_word_is_read_as_meant_or_refused_with_the_question_put_right(tmp_path, fake_embedder):
    text = "# Widget Watch on the lamp courts\n\nThe Lantern Commission wants brighter lamps in every street.\n"
    a = one_assistant(tmp_path, fake_embedder, "courts.md", text, "Widget Watch", [{"name": "Lantern Commission"}])
    answer = a.ask("What did the Lantern Comission say about lamps?")  # answered as meant, saying so
    assert answer.answered and "brighter lamps" in answer.quotes[0].text
    assert "Read “Comission” as “Commission”" in answer.message and answer.suggestion is None
    assert answer.standalone_question == "What did the Lantern Commission say about lamps?"
    answer = a.ask("What did the Lantern Comission say about taxes?")  # put right, still not answered
    assert not answer.answered
    assert "never mention Lantern Comission. Did you mean Lantern Commission?" in answer.message
    assert answer.suggestion == "What did the Lantern Commission say about taxes?"
    answer = a.ask("What did the Royal Society of Wicks say about lamps?")  # nothing like it: no guess
    assert not answer.answered and "Did you mean" not in answer.message and answer.suggestion is None
    answer = a.ask("What does Widget Watch want for every stret?")  # a misspelt word of the text
    assert answer.answered and "Read “stret” as “street”" in answer.message


LEVY = """# Widget Watch on the lamp levy

Widget Watch opposes the lamp levy because it would close small workshops across the county.

Widget Watch welcomes the new register of lamplighters in Yonkers and Kingston.
"""


def test_question_frames_and_instructions_are_not_what_a_question_is_about(tmp_path, fake_embedder):
    a = one_assistant(tmp_path, fake_embedder, "levy.md", LEVY, "Widget Watch")
    # an everyday noun that frames the question ("verdict on", "can be both referee") is no missing topic
    answer = a.ask("What is Widget Watch's overall verdict on the lamp levy?")
    assert answer.answered and "lamp levy" in answer.quotes[0].text
    said = a.ask("Does Widget Watch think the levy can be both referee and team-mate?")
    assert "referee" not in (said.message or "") and "team" not in (said.message or "")
    # a thing the corpus never names still is
    refused = a.ask("What does Widget Watch think of the dental contract?")
    assert not refused.answered and "never mention dental" in refused.message
    # a capitalised instruction opening a sentence is no name; names side by side are read one by one
    assert "Compare" not in a.judge.names(a.understand("What about the levy? Compare Widget Watch."))
    q = a.understand("lamplighters register Yonkers Kingston")
    assert a.judge.names(q) == ("Yonkers", "Kingston") and a.judge.unknown_names(q) == 0.0
    assert a.judge.names(a.understand("lamplighters register Yonkers Albany")) == ("Yonkers Albany",)


def test_a_two_part_question_answers_the_part_the_sources_hold_and_names_the_other(tmp_path, fake_embedder):
    a = one_assistant(tmp_path, fake_embedder, "levy.md", LEVY, "Widget Watch")
    answer = a.ask("When did Widget Watch publish this, and why does it oppose the lamp levy?")
    assert answer.answered and "small workshops" in answer.quotes[0].text
    assert "Not answered on its own: “When did Widget Watch publish this?”" in answer.message
    # one question with "and" inside it is not split
    from assistant.answering.answer import split_parts
    assert split_parts("Do Widget Watch and the council agree on the levy?") == [
        "Do Widget Watch and the council agree on the levy?"]
    assert split_parts("How big is the levy, and did ministers agree to rethink it?") == [
        "How big is the levy?", "Did ministers agree to rethink it?"]


def test_why_after_an_answer_reads_around_it_for_the_reasons(tmp_path, fake_embedder):
    text = """# Widget Watch on the lamp levy

Widget Watch opposes the new lamp levy on workshops.

The lamp levy would close small workshops because their margins on lamps are already thin.

Widget Watch also welcomes the register of lamplighters in every county.
"""
    a = one_assistant(tmp_path, fake_embedder, "levy.md", text, "Widget Watch")
    first = a.ask("What does Widget Watch think of the lamp levy?")
    assert first.answered and "opposes" in first.quotes[0].text
    why = a.ask("Why?", history=["What does Widget Watch think of the lamp levy?"])
    assert why.answered and why.standalone_question == "Why does Widget Watch take that view on the lamp levy?"
    assert "because their margins" in why.quotes[0].text  # the reason given next to the statement
    assert all("opposes" not in x.text for x in why.quotes)  # not the same statement again


def test_a_short_form_is_read_as_the_word_it_abbreviates():
    from assistant.answering.decide import abbreviates
    assert abbreviates("govt", "government") and abbreviates("dept", "department")
    assert not abbreviates("dept", "debt")  # the letters must run through it in order
    assert not abbreviates("tax", "taxation")  # a word of its own, not a short form
    assert not abbreviates("feds", "friends")  # a short form keeps its word's start
    assert abbreviates("natl", "national") and abbreviates("intl", "international")


def test_the_topic_as_phrased_is_held_only_by_words_together(tmp_path, fake_embedder):
    from conftest import one_assistant

    text = ("# Budget speech\n\nFamilies across the country are tightening their belts this winter.\n\n"
            "We will tighten gun laws before the summer recess.\n")
    a = one_assistant(tmp_path, fake_embedder, "speech.md", text, "Governor Sam Poe")
    rows = {a.index.text(s): i for i, s in enumerate(a.index.sentences)}
    belts = a.quotes.make([rows["Families across the country are tightening their belts this winter."]], [1.0], 1)
    laws = a.quotes.make([rows["We will tighten gun laws before the summer recess."]], [1.0], 1)
    q = a.understand("What did the governor say about tightening gun laws?")
    assert a.judge.phrase(q, belts) == 0.0  # "tightening" alone, in another phrase
    assert a.judge.phrase(q, laws) == 1.0  # "tighten gun laws": both pairs, a word apart at most
    assert a.judge.phrase(a.understand("What did the governor say about guns?"), belts) == 1.0  # no pair asked


def test_a_word_written_as_a_name_is_not_read_as_a_common_word():
    from assistant.answering.decide import named
    assert named("LinkedIn", "Did any witness talk about LinkedIn selling user data?")
    assert named("Brexit", "What did the union say about Brexit?")  # capitalised inside a sentence
    assert not named("Prevntion", "Prevntion funding: who backs it?")  # capitalised as the question opens
    assert not named("prevntion", "what about prevntion funding?")


def test_two_letters_typed_the_wrong_way_round_are_read_as_meant():
    from assistant.answering.decide import transposes
    assert transposes("helath", "health") and transposes("vacnat", "vacant")
    assert not transposes("health", "health") and not transposes("hewit", "hewitt")
    assert transposes("form", "from")  # a swap; whether it is a typo is for the corpus and English to say


def test_a_short_form_stands_for_a_common_word_never_for_a_name(tmp_path, fake_embedder):
    from conftest import one_assistant

    text = "# Note\n\nMr Jacobs said the government will publish the plan.\n\nThe government agrees.\n"
    a = one_assistant(tmp_path, fake_embedder, "note.md", text, "Lamplighters Union")
    assert a.judge.respelling(a.understand("what did the govt say about the plan?")) == "what did the government say about the plan?"
    assert a.judge.respelling(a.understand("did anyone talk about jabs?")) is None  # not "Jacobs"


def test_an_earlier_turn_is_read_with_its_spelling_put_right(tmp_path, fake_embedder):
    """"did the govt keep it?" then "so what are they doing instead?": what the follow-up leans on is read in
    the sources' words, not in a short form they never use."""
    from conftest import one_assistant

    text = ("# Note\n\nThe union wants the lamp levy scrapped.\n\nThe government will keep the lamp levy and "
            "review it next year.\n")
    a = one_assistant(tmp_path, fake_embedder, "note.md", text, "Lamplighters Union")
    assert a.spelt("did the govt keep the lamp levy?") == "did the government keep the lamp levy?"
    assert a.spelt("what does the union want?") == "what does the union want?"
    answer = a.ask("so what are they doing instead?", ["what does the union want?", "did the govt keep the lamp levy?"])
    assert "government" in answer.topic.split() and "govt" not in answer.topic.split()


def test_an_actor_who_never_names_the_thing_asked_about_says_nothing_on_it(tmp_path, fake_embedder):
    """"Does the union support reviewing Lampwatch's funding?": only the ministry ever names Lampwatch, so the
    union's closest words (on funding) are no answer; a thing both name, or one named by a common word ("the
    Minister"), is not held against them."""
    from conftest import made_up_assistant

    union = ("# Union statement\n\nWe support more funding for lamp repairs.\n\n"
             "The lantern levy must be reviewed before the winter.\n", "Lamplighters Union")
    ministry = "# Ministry note\n\nThe ministry will review the funding of Lampwatch.\n\n"
    a = made_up_assistant(tmp_path, fake_embedder, {"union.md": union, "ministry.md": (
        ministry + "The lantern levy stays, the ministry says.\n", "Ministry of Lamps")})
    silent = a.ask("Does the Lamplighters Union support reviewing Lampwatch's funding?")
    assert not silent.answered and "no statement by Lamplighters Union" in silent.message
    q = a.understand("Does the Ministry of Lamps support reviewing Lampwatch's funding?")
    assert a.judge.named_things(q) == {("lampwatch",)}
    assert a.retriever.theirs(a.judge.rows_holding(("lampwatch",)), a.retriever.codes(["Ministry of Lamps"])).any()
    assert a.judge.named_things(a.understand("Does the Lamplighters Union agree with the Minister on funding?")) == set()
    # a run of capitalised common words is one name: the union never writes "Wick Repair Scheme"
    a = made_up_assistant(tmp_path, fake_embedder, {"union.md": union, "ministry.md": (
        ministry + "The Wick Repair Scheme opens in May, the ministry says.\n", "Ministry of Lamps")})
    q = a.understand("What does the Lamplighters Union say about the Wick Repair Scheme?")
    assert ("wick", "repair", "scheme") in a.judge.named_things(q)
    assert not a.ask("What does the Lamplighters Union say about the Wick Repair Scheme?").answered


def test_initials_of_a_name_the_texts_spell_out_are_a_word_they_hold():
    from assistant.language.terms import initialisms
    text = ("The Long Island Rail Road runs late. Riders of the Long Island Rail Road complain. "
            "Social Security and Medicare matter. Social Security and Medicare are safe. "
            "Dame Sally Davies spoke. Dame Sally Davies spoke again. The Port Authority met.")
    found = initialisms(text, {})
    assert found == {"lirr": "long island rail road"}  # not a list of two names, a person, nor a one-off


def test_a_verb_and_its_particle_written_as_one_word_is_known():
    from assistant.answering.decide import known
    df = {"shut": 3, "cut": 2}
    assert known("shutdown", df) and known("cutback", df)
    assert not known("bailout", df)  # the corpus never says "bail"


def test_a_word_the_corpus_never_writes_weighs_by_how_rare_it_is_in_english(tmp_path, fake_embedder):
    """Absent from the texts, "bosses" (everyday English: the texts may say "managers") counts for less
    against answering than "lampwrightry" (which they would have to name)."""
    from conftest import one_assistant

    text = "# Note\n\nThe managers of the depot want longer night shifts.\n"
    a = one_assistant(tmp_path, fake_embedder, "note.md", text, "Lamplighters Union")
    everyday = a.judge.salience(a.understand("What about the bosses and night shifts?"))
    rare = a.judge.salience(a.understand("What about lampwrightry and night shifts?"))
    from assistant.language import terms
    from assistant.answering.decide import specificity
    # both never written, so of equal idf: weighed by specificity squared, not once
    assert everyday[terms.stem("bosses")] / rare[terms.stem("lampwrightry")] == pytest.approx(specificity("bosses") ** 2)
    assert specificity("bosses") < 1 and specificity("lampwrightry") == 1


def test_a_body_asked_which_side_it_took_is_asked_for_a_view(tmp_path, fake_embedder):
    """"Did X come out for or against Y?" asks X's view: X, which the text names but records no view of,
    is silent (not answered with others' words on Y)."""
    from conftest import one_assistant

    text = ("# Widget Watch on the lamp levy\n\nWidget Watch opposes the lamp levy because it would close small "
            "workshops across the county.\n\nThe Royal Society of Wicks published its lamp survey in May.\n")
    a = one_assistant(tmp_path, fake_embedder, "levy.md", text, "Widget Watch")
    answer = a.ask("Did the Royal Society of Wicks come out for or against the lamp levy?")
    assert not answer.answered and "no statement by" in answer.message
    assert a.ask("Did Widget Watch come out for or against the lamp levy?").answered
