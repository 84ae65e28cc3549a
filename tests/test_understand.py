"""Reading a question once: complete questions stand alone, elliptical ones borrow from the turn before;
who is asked about, compared, or only named as part of the topic. No model needed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.language.actors import Actor, Actors
from assistant.answering.understand import understand

CAST = Actors([
    Actor("Lamplighters Union", ("the union",), (), "organisation", "catalog"),
    Actor("Ministry of Lamps", ("MoL",), ("the ministry",), "organisation", "catalog"),
    Actor("Senator Jane Roe", ("Jane Roe", "Roe"), (), "person", "catalog"),
    Actor("Covid Bereaved Families for Justice", (), (), "organisation", "catalog"),
    Actor("Association of Directors of Public Health", (), (), "organisation", "catalog"),
    Actor("HM Treasury", (), (), "organisation", "catalog"),
    Actor("Mayor Ada Quill", (), (), "person", "catalog"),
    Actor("Tom Quill", (), (), "person", "catalog"),
    Actor("Amos R. Vane", (), (), "person", "catalog"),
    Actor("Amos T. Vane", (), (), "person", "catalog"),
    Actor("Rosa Little", (), (), "person", "catalog"),
    Actor("Ben Little", (), (), "person", "catalog"),
    Actor("Highgate Parish Council", (), (), "organisation", "catalog"),
])
ACRONYMS = {"nlr": "national lantern register"}


def read(question: str, history: list[str] | None = None):
    return understand(question, history or [], CAST, ACRONYMS)


@pytest.mark.parametrize("question", [
    "What does the Lamplighters Union think about night shifts?",
    "Did the Ministry of Lamps accept the levy on lanterns?",
    "What is the capital of France?",
    "How many lamps were lit in 2024?",
    # a pronoun that means something the question itself names, or nothing at all
    "Did the Lamplighters Union get what it wanted on night shifts?",
    "Will it get easier to buy lamps at night?",
    "What did Jimmy Carter say in his address about lamps?",
    "Is the ministry going to implement NLRs?",
    "Which depots would qualify as lamp hubs under the ministry's plan, and what would they gain?",
])
def test_a_complete_question_is_read_exactly_as_if_asked_alone(question):
    alone = read(question)
    after = read(question, ["What did Senator Jane Roe say about the veterans fund?", "Why?"])
    assert after == alone and not after.followup


def test_and_x_asks_what_x_said_on_the_earlier_topic():
    q = read("And the ministry?", ["What did the Lamplighters Union say about the national lantern register?"])
    assert q.actors == ("Ministry of Lamps",) and q.followup
    assert "register" in q.topic_words and "lantern" in q.text
    assert "Lamplighters" not in q.dense_text  # the earlier actor is not what the model should look for
    # The model reads the earlier question as it read it then (the asked actor's name left out, as for any
    # question about an actor), now asked of the new actor; not a bag of its topic words.
    earlier = "What did the Lamplighters Union say about how the lamp report came to light?"
    q = read("And the ministry?", [earlier])
    assert q.dense_text == read(earlier).dense_text and "came to light" in q.dense_text


def test_the_owner_of_the_view_a_question_asks_for_is_asked_about():
    # The parser hangs "making ..." off "sector" as a clause describing it; "Roe's view" is still whose view.
    q = read("Is the public sector making good use of lamp data in Senator Jane Roe's view?")
    assert q.actors == ("Senator Jane Roe",)


def test_a_follow_up_that_names_no_thing_asks_about_the_earlier_topic():
    # Verbs and adjectives ("go along with", "missing") say what is asked of the topic; they name none.
    q = read("Did the ministry go along with it?", ["What did the union say about the national lantern register?"])
    assert q.actors == ("Ministry of Lamps",) and "register" in q.topic_words and q.followup
    q = read("Is there anything they think is missing?", ["What did the union say about the lamp levy?"])
    assert q.actors == ("Lamplighters Union",) and "levy" in q.topic_words and "missing" in q.topic_words
    # A follow-up that names its own thing keeps to it.
    q = read("What about night shifts?", ["What did the union say about the lamp levy?"])
    assert "levy" not in q.topic_words


def test_a_follow_up_asking_who_else_asks_others_not_the_earlier_actor_again():
    earlier = ["What did the union say about the lamp levy?"]
    q = read("Does anyone disagree?", earlier)
    # agreeing is relative to what the union said: every other actor's view, with its own stance
    assert q.actors == () and q.who_stance == "reports" and "Lamplighters Union" in q.topic_actors
    assert "levy" in q.topic_words and "anyone" not in q.topic_words
    # after two actors, "anyone" still asks for others, not the two side by side ("Do they agree?" does)
    two = ["What did the union say about the lamp levy?", "And the ministry?"]
    q = read("Does anyone disagree?", two)
    assert not q.comparison and q.actors == () and {"Lamplighters Union", "Ministry of Lamps"} <= set(q.topic_actors)
    assert read("Do they agree?", two).comparison
    q = read("Who else welcomed it?", earlier)
    assert q.actors == () and q.who_stance == "welcomes" and "Lamplighters Union" in q.topic_actors
    # a passive attitude asks who took it
    q = read("Was that accepted?", ["What did Senator Jane Roe propose on the lamp levy?"])
    assert q.actors == () and q.who_stance == "accepts" and "levy" in q.topic_words
    # asking the earlier actor again keeps them
    assert read("Did they welcome it?", earlier).actors == ("Lamplighters Union",)


def test_a_pronoun_holding_a_view_stands_for_the_earlier_actor():
    earlier = ["What did the union say about the lamp levy?"]
    q = read("What would they want instead when lamps get replaced in future?", earlier)
    assert q.actors == ("Lamplighters Union",)
    q = read("Why did she think it was worth the money?", ["What did Senator Jane Roe say about the veterans fund?"])
    assert q.actors == ("Senator Jane Roe",) and "veterans" in q.topic_words
    # a who-question asks for someone else: "who was in charge" is not asked of the union
    q = read("So who was actually in charge of it back then?", earlier)
    assert q.actors == () and q.answer_type == "who" and "levy" in q.topic_words
    # "she" is one person, the one asked about before; "it" with nothing before it that it could mean is
    # the earlier topic
    q = read("Would she let it be cut?", ["What did Senator Jane Roe say about the veterans fund?"])
    assert q.actors == ("Senator Jane Roe",) and "veterans" in q.topic_words
    # "she" is no body: after a question about the union it is not the union
    assert read("How many lamps did she want?", earlier).actors == ()
    # "that" as a pronoun is something said before; as a relative or a conjunction it is not
    assert "levy" in read("Did that actually happen?", earlier).topic_words
    assert not read("Did the union back the law that put lamps on every street?", earlier).followup
    # a closing "there" points back to the earlier topic
    assert "levy" in read("Did Senator Jane Roe go as far as the ministry wanted there?", ["What did the union say about the lamp levy?"]).topic_words
    # a name before "it" may be what it means
    assert not read("When was the Lamp Review published, and who was chosen to lead it?", earlier).followup
    # an acronym's plural is the thing it names ("NLRs" is "nlr")
    assert not read("Is the ministry going to implement NLRs?", earlier).followup
    # a thing named before "it" is what "it" means: a complete question stays as it is
    q = read("What does the ministry think of the night shifts, and will it end them?", earlier)
    assert not q.followup and "levy" not in q.topic_words
    # "they" that is not holding a view may be the people the topic is about
    assert read("Do they earn too little to get sick pay on night shifts?", earlier).actors == ()


def test_what_about_a_topic_keeps_the_earlier_actor():
    q = read("What about night shifts?", ["What did the Lamplighters Union say about the levy?"])
    assert q.actors == ("Lamplighters Union",) and "night" in q.topic_words and "levy" not in q.topic_words


def test_pronouns_borrow_what_they_refer_to():
    q = read("Why did she oppose it?", ["What did Senator Jane Roe say about the veterans fund?"])
    assert q.actors == ("Senator Jane Roe",) and "veterans" in q.topic_words
    q = read("How many lamps would it need?", ["What did the union say about the national lantern register?"])
    assert "lamps" in q.topic_words and "register" in q.topic_words and q.answer_type == "number"


def test_comparisons_and_who_questions():
    for text in ("How do the Lamplighters Union and the Ministry of Lamps differ on the levy?",
                 "Compare Jane Roe and the union on night shifts.",
                 "Do the union and the MoL agree about the levy?"):
        q = read(text)
        assert q.comparison and len(q.actors) == 2, text
    q = read("What did the union ask the Ministry of Lamps to do about the levy?")
    assert not q.comparison and q.actors == ("Lamplighters Union",) and q.topic_actors == ("Ministry of Lamps",)
    q = read("Which organisations opposed the levy?")
    assert q.who_stance == "opposes" and q.actors == ()
    assert read("Who called for a national lantern register?").who_stance == "recommends"
    # who spoke on a topic at all: each actor's statement on it leads ("reports"); "Who did X say ...?" asks X
    assert read("Which organisations talked about the levy?").who_stance == "reports"
    assert read("Which writers opposed the levy?").who_stance == "opposes"  # any kind of people or bodies
    assert read("Which witnesses welcomed the register?").who_stance == "welcomes"
    assert read("Who said the levy was too high?").who_stance == "reports"
    assert read("Who did Roe say should pay the levy?").who_stance is None
    # the one asked for is the object of the actor's words, not a holder of the stance a later clause names
    assert read("Who does the union say should set the levy, and does it back Roe's plan?").who_stance is None
    assert read("Which bodies did the union criticise?").who_stance is None
    assert read("Who described the levy as a tax on goodwill and will?").who_stance == "reports"  # no "willing"
    assert read("Who fought the levy?").who_stance == "opposes"  # an irregular past form
    # "Did anyone ...?" asks who did; "Did the union ...?" asks about the union
    assert read("Did anyone oppose the levy?").who_stance == "opposes"
    assert read("Has any organisation welcomed the lantern register?").who_stance == "welcomes"
    assert read("Did the union oppose the levy?").who_stance is None


def test_shortened_names_and_topics():
    assert read("What do the bereaved families think of the plan?").actors == ("Covid Bereaved Families for Justice",)
    assert read("How do directors of public health feel about it?").actors[:1] == ("Association of Directors of Public Health",)
    assert read("According to the Treasury, what matters most?").sources == ("HM Treasury",)
    # A generic phrase inside a name is not the name.
    assert read("What did Roe say about public health?").actors == ("Senator Jane Roe",)
    assert read("What did Roe say about public health?").topic_actors == ()
    # A one-word name that is also an everyday word names someone only when capitalised.
    assert read("Do they earn too little to get sick pay?", []).actors == ()


def test_answer_types_from_the_clause_opening_wh_phrase():
    assert read("How much did the ministry spend on lamps?").answer_type == "money"
    assert read("When was the levy introduced?").answer_type == "date"
    assert read("Across how many towns are lamps lit?").answer_type == "number"
    assert read("How should value for money be judged when buying lamps?").answer_type is None
    # A sum of money heading the wh-phrase asks how much; the same noun elsewhere does not.
    assert read("What salary did the council think lamplighters should be paid?").answer_type == "money"
    assert read("What annual fee would the ministry charge for a lamp?").answer_type == "money"
    assert read("What salary cuts did the union oppose?").answer_type is None
    assert read("Which fees is the council raising?").answer_type is None
    # "When does X think ...?" asks on what condition, not on what date.
    assert read("When does the union think a night shift is fair?").answer_type is None
    assert read("When is a levy on lanterns the right approach?").answer_type is None
    assert read("When does the levy come in?").answer_type == "date"
    assert read("When did the union say it would strike?").answer_type == "date"
    # a "when" clause that sets the scene for the question after the comma
    assert read("When the levy had already been cut, why did the union still oppose it?").answer_type is None
    assert read("When did the union strike, and what did it ask for?").answer_type == "date"
    # "he'd" is no topic word the corpus must hold
    assert "he'd" not in read("How much did Roe say he'd spend on lamps?").topic_words


def test_questions_are_hashable_and_equal_when_read_the_same():
    a, b = read("What did the union say?"), read("What did the union say?")
    assert a == b and hash(a) == hash(b) and replace(a, text="x") != a


def test_topic_words_are_shown_without_a_possessive():
    # "They never mention Almanac's" would name a word no source could hold.
    assert "Almanac" in read("What is the Almanac's view on the levy?").topic_words


def test_a_surname_two_people_share_asks_about_either():
    q = read("What did Quill say about the levy?")
    assert set(q.actors) == {"Mayor Ada Quill", "Tom Quill"} and not q.comparison
    assert q.topic_words == ("levy",)
    assert read("What did the union say about Quill's levy?").actors == ("Lamplighters Union",)


def test_and_the_other_namesake_turns_to_the_one_not_asked_about_before():
    q = read("And the younger Quill?", ["What did Tom Quill say about night shifts?"])
    assert q.actors == ("Mayor Ada Quill",) and q.followup
    assert "younger" not in q.topic_words and "night" in q.topic_words  # a modifier of the name, not a topic


def test_topic_lent_by_the_conversation_is_marked_as_carried():
    q = read("Why does she say it grew?", ["What did Senator Jane Roe say about the veterans fund?"])
    assert q.actors == ("Senator Jane Roe",)
    assert {"veteran", "fund"} <= set(q.carried) and "grew" not in q.carried
    assert read("What did Senator Jane Roe say about the veterans fund?").carried == ()


def test_a_word_is_known_to_a_corpus_that_has_the_word_it_derives_from():
    from assistant.answering.decide import known
    from assistant.language.terms import stem

    df = {stem("earn"): 3, stem("lantern"): 2}
    assert known(stem("earners"), df) and known(stem("lanterns"), df)
    assert not known(stem("mars"), df) and not known(stem("er"), df)
    df.update({stem("ring"): 1, stem("fenced"): 1, stem("uni"): 1, stem("form"): 1})
    assert known(stem("ringfenced"), df)  # written apart in the corpus
    assert not known(stem("uniform"), df)  # parts too short to be words of their own
    df.update({stem("vacant"): 2})
    assert known(stem("vacancies"), df) and not known(stem("absence"), df)  # the state's noun and its adjective
    df.update({stem("staff"): 4})
    assert known(stem("staffing"), df)  # stemmed "staf": the stemmer undoubles a consonant after -ing


def test_the_noun_that_names_a_source_is_no_topic():
    q = read("Does the ministry plan more night shifts, in the Lamplighters Union's reading?")
    assert q.sources == ("Lamplighters Union",) and "reading" not in q.topic_words and "night" in q.topic_words
    q = read("According to Roe's 2024 address, how many lamps were lit?")
    assert q.sources == ("Senator Jane Roe",) and "address" not in q.topic_words and "lamps" in q.topic_words


def test_a_fraction_answers_how_many_but_an_ordinal_does_not():
    from assistant.answering.decide import has_quantity
    from assistant.language.terms import stem

    counted = (stem("lamplighters"),)
    assert has_quantity("Around a third of lamplighters earn too little.", counted)
    assert has_quantity("Two thirds of lamplighters work nights.", counted)
    assert not has_quantity("The third lamplighter spoke next.", counted)
    # A figure in words answers "how many/how long" too; "one" is as often a pronoun.
    assert has_quantity("We have been promoting it for about eight years.")
    assert has_quantity("Around ten towns would be chosen first.")
    assert not has_quantity("One area we are keen on is street lighting.")
    from assistant.answering.decide import MONEY
    assert MONEY.search("I am asking for an increase of almost a billion dollars in outlays.")


def test_a_shared_given_name_and_surname_name_either_person():
    q = read("What did Amos Vane say about the levy?")
    assert set(q.actors) == {"Amos R. Vane", "Amos T. Vane"} and q.topic_words == ("levy",)
    assert CAST.namesakes("What did Amos Vane say?") == ((9, 18, ("Amos R. Vane", "Amos T. Vane")),)
    assert read("Little is known about the levy: what did the union say?").actors == ("Lamplighters Union",)
    assert set(read("What did Little say about the levy?").actors) == {"Rosa Little", "Ben Little"}


def test_what_about_an_actor_turns_to_them_on_the_earlier_topic():
    q = read("What about the ministry?", ["What did the Lamplighters Union say about night shifts?"])
    assert q.actors == ("Ministry of Lamps",) and "night" in q.topic_words
    q = read("What about the Ministry of Lamps' view on the levy?")
    assert q.actors == ("Ministry of Lamps",) and q.topic_words == ("levy",)


def test_a_text_reports_an_actor_by_any_name_a_reader_would_use():
    assert CAST.reported_in("Both Mayor Ada and the union spoke of the levy.", "Mayor Ada Quill")
    assert CAST.reported_in("Ms Roe has long argued for it.", "Senator Jane Roe")
    assert CAST.reported_in("The Ministry of Lamps disagreed.", "Ministry of Lamps")
    assert not CAST.reported_in("Lamps were lit across the city.", "Ministry of Lamps")
    assert not CAST.reported_in("Ada Lovelace wrote the first program.", "Mayor Ada Quill")


def test_the_kind_of_body_names_the_one_body_of_that_kind():
    assert read("What did the council say about the levy?").actors == ("Highgate Parish Council",)
    two = Actors([*CAST.actors, Actor("Lowgate Town Council", (), (), "organisation", "catalog")])
    assert understand("What did the council say about the levy?", [], two, ACRONYMS).actors == ()


def test_a_name_inside_a_hyphenated_word_is_a_modifier_not_an_actor():
    assert read("What did the union say about Treasury-led audits?").actors == ("Lamplighters Union",)
    assert read("What does MoL say about cross-union pay talks?").actors == ("Ministry of Lamps",)
    assert CAST.named_in("The union-wide ballot is planned.") == []
    assert CAST.named_in("HM Treasury opposes the levy.") == ["HM Treasury"]


@pytest.mark.parametrize("word", ["caveats", "misgivings", "qualms", "reservations", "concerns"])
def test_words_for_a_reservation_frame_the_question_not_its_topic(word):
    # Whether the corpus ever writes "caveats" says nothing about whether it answers the question.
    assert read(f"Does the union have any {word} about the lamp levy?").topic == ("lamp", "levi")


def test_only_what_a_question_names_must_be_in_the_corpus():
    # Verbs and predicative adjectives say something of the topic; a corpus may say it in other words.
    # Nouns, and adjectives that classify a noun, name the topic itself.
    from assistant.answering.decide import predicates
    from assistant.language.terms import stem

    assert stem("widened") in predicates("Did the union want the levy widened?")
    got = predicates("Did the ministry think the levy was affordable?")
    assert stem("affordable") in got and stem("levy") not in got
    assert stem("dental") not in predicates("What does the union say about the dental contract?")
    # a quality before a noun may be put in other words; a classifying adjective names a kind of thing
    assert stem("modest") in predicates("Would the levy hurt lamplighters of modest means?")
    assert stem("statutory") not in predicates("What did the union say about statutory lamp pay?")


def test_an_alias_inside_a_longer_capitalised_name_is_another_body():
    assert read("What did the Northern Lamplighters Union say about the levy?").actors == ()
    assert read("What did the Lamplighters Union say about the levy?").actors == ("Lamplighters Union",)
    assert read("Did Senator Jane Roe back the levy?").actors == ("Senator Jane Roe",)  # a title begins no name


def test_whose_view_a_question_asks_for():
    from assistant.answering.decide import holders

    def asks_of(text, name="Guild of Tinkers"):
        # as the decision reads it: a holder span overlapping the name (the small model may split it)
        at = text.find(name)
        return any(at < b and a < at + len(name) for a, b in holders(text))

    assert asks_of("What did the Guild of Tinkers say about the levy?")
    assert asks_of("How did the Guild of Tinkers react to the levy?")
    assert asks_of("What is the Guild of Tinkers' position on the levy?")
    assert asks_of("According to the Guild of Tinkers, who pays the levy?")
    assert not asks_of("What did the union say about the Guild of Tinkers?")
    assert not asks_of("When was the Guild of Tinkers founded?")


def test_the_possessor_of_a_view_is_asked_about_the_possessor_of_a_proposal_is_the_topic():
    assert read("What was Roe's objection to the levy?").actors == ("Senator Jane Roe",)
    assert read("What were the union's misgivings about night shifts?").actors == ("Lamplighters Union",)
    q = read("Was Roe's proposal for a levy welcomed?")
    assert q.actors == () and q.topic_actors == ("Senator Jane Roe",)


def test_an_actor_in_a_subordinate_clause_sets_the_scene_and_is_not_asked_about():
    q = read("How did the lamplighters react when the Ministry of Lamps refused to revisit the levy?")
    assert q.actors == () and q.topic_actors == ("Ministry of Lamps",)
    q = read("Were the lamplighters consulted before HM Treasury set the levy?")
    assert q.actors == () and q.topic_actors == ("HM Treasury",)
    assert read("By when did Roe want the register in place?").actors == ("Senator Jane Roe",)  # a question word
    assert read("If the union opposes the levy, what does it want instead?").actors == ("Lamplighters Union",)


def test_that_compared_with_someone_else_compares_them_with_those_asked_about_before():
    q = read("How does that compare with Roe's view?", ["What did the union say about the levy?"])
    assert q.comparison and q.actors == ("Lamplighters Union", "Senator Jane Roe") and "levy" in q.topic_words
    assert q.text == "How do the union and Roe compare on the levy?"  # shown in words: whom it compares, on what
    q = read("How does the union's view of the levy differ from Roe's position?")
    assert q.comparison and q.actors == ("Lamplighters Union", "Senator Jane Roe")
    q = read("Did Roe agree?", ["What did the union say about the levy?"])  # Roe's own view on it
    assert q.actors == ("Senator Jane Roe",) and not q.comparison and "levy" in q.topic_words
    # a view someone holds on another's plan is still only the topic
    assert read("What did the union say about Roe's view of the levy?").actors == ("Lamplighters Union",)


def test_do_they_agree_compares_those_the_conversation_turned_to():
    history = ["What did the union say about the levy?", "And Roe?"]
    q = read("Do they agree?", history)
    assert q.comparison and q.actors == ("Lamplighters Union", "Senator Jane Roe") and "levy" in q.topic_words
    assert "levi" in q.tokens and "agre" not in q.tokens  # "agree" asks how they stand: no topic word to match
    assert "agre" not in read("Do the union and Roe agree on the levy?").tokens
    q = read("Do they agree?", ["What did the union say about the levy?"])  # one actor: nobody to compare
    assert not q.comparison and q.actors == ("Lamplighters Union",)


def test_a_document_named_by_its_year_is_which_to_read_not_what_about():
    q = read("What did Roe say about lamps in her 2021 State of the Lamps address?")
    assert q.years == ("2021",) and q.actors == ("Senator Jane Roe",)
    assert "2021" not in q.tokens and "address" not in q.topic_words and "lamp" in q.tokens
    assert "2021" not in q.dense_text and "address" not in q.dense_text
    assert read("In his 1999 speech, what did Quill say about wicks?").years == ("1999",)
    assert read("How many lamps were lit in 2021?").years == ()  # a time, not a document


def test_without_the_parser_every_missing_term_counts(monkeypatch):
    from assistant.answering import decide
    from assistant.language import parse
    from assistant.errors import ModelError

    def missing():
        raise ModelError("the spaCy pipeline is not installed")

    monkeypatch.setattr(parse, "nlp", missing)
    monkeypatch.setattr(decide, "parsed", decide.parsed.__wrapped__)  # not a parse cached earlier
    assert decide.predicates.__wrapped__("Did the union want the levy widened?") == frozenset()


def test_a_comparison_compares_the_actors_named_together_and_reads_the_rest_as_topic():
    q = read("Do the union and the MoL agree on whether Roe settled the levy?")
    assert q.comparison and q.actors == ("Lamplighters Union", "Ministry of Lamps")
    assert q.topic_actors == ("Senator Jane Roe",)
    q = read("Did both the union and the MoL back the pledge to review HM Treasury lamp rules?")
    assert q.actors == ("Lamplighters Union", "Ministry of Lamps") and "HM Treasury" in q.topic_actors
    q = read("Compare the union with the Ministry of Lamps on night shifts.")
    assert q.comparison and q.actors == ("Lamplighters Union", "Ministry of Lamps")
    q = read("Did the union agree with Roe's plan for the levy?")  # a possessor after "with" is the topic
    assert q.actors == ("Lamplighters Union",) and q.topic_actors == ("Senator Jane Roe",)


def test_a_take_is_a_view_and_a_verb_is_not_a_shortened_name():
    assert read("What's the union's take on night shifts?").actors == ("Lamplighters Union",)
    cast = Actors([*CAST.actors, Actor("Lantern Quality Commission", (), (), "organisation", "catalog")])
    q = understand("Who commissioned the lamp survey, and when?", [], cast, ACRONYMS)
    assert "Lantern Quality Commission" not in q.topic_actors + q.actors
    assert understand("What did the commission say about lamps?", [], cast, ACRONYMS).actors == ("Lantern Quality Commission",)


@pytest.mark.parametrize(("question", "dense"), [
    ("According to the Lamplighters Union, what went wrong with the night shifts?", "what went wrong with the night shifts?"),
    ("Is the levy fair, in the Lamplighters Union's reading?", "Is the levy fair?"),
    ("In the view of HM Treasury, will the register pay for itself?", "will the register pay for itself?"),
])
def test_the_source_a_question_names_is_not_what_the_model_looks_for(question, dense):
    # Which documents to read is matched through their publisher; the frame's words are in no answer.
    q = read(question)
    assert q.sources and q.dense_text == dense


def test_a_follow_up_is_restated_in_words_as_it_is_read():
    before = ["What did the union say about the levy?"]
    assert read("And Roe?", before).text == "What did Roe say about the levy?"
    assert read("Why?", before).text == "Why does the union take that view on the levy?"
    assert read("What was their reason?", before).text == "Why does the union take that view on the levy?"
    assert read("Did they accept it?", before).text == "Did the union accept the levy?"
    assert read("What about the register?", before).text == "What does the union say about the register?"
    # two follow-ups in a row: each is read against the one just before it
    assert read("Why?", before + ["And Roe?"]).text == "Why does Roe take that view on the levy?"


def test_a_body_named_inside_the_topic_is_not_the_one_asked_about():
    # the parse tells a modifier of the topic from the holder of the view
    assert read("Will it get easier to set pay for senior union managers?").actors == ()
    q = read("union levy rebates - what's Roe's position")
    assert q.actors == ("Senator Jane Roe",) and "Lamplighters Union" in q.topic_actors
    assert read("What does the union think of the levy?").actors == ("Lamplighters Union",)


def test_a_when_clause_after_the_question_sets_a_time_and_asks_for_none():
    from assistant.answering.understand import answer_type
    assert answer_type("Had they raised that worry before, when the review came out?") is None
    assert answer_type("What did the union say when the levy was announced?") is None
    assert answer_type("Did the ministry reply, and when was that?") == "date"
    assert answer_type("According to the union, when did the levy start?") == "date"
    assert answer_type("When will the register be published?") == "date"


def test_a_follow_up_with_a_verb_of_its_own_does_not_inherit_the_kind_of_answer():
    history = ["How many lamps did the Ministry of Lamps want lit?"]
    assert read("And the union?", history).answer_type == "number"  # the earlier question, of the union
    assert read("was that accepted?", history).answer_type is None
    assert read("And the union, is it happy with that?", history).answer_type is None


def test_an_acronym_opening_a_name_stands_for_the_body():
    cast = Actors([Actor("WA Communications", (), (), "organisation", "catalog"),
                   Actor("NHS Providers", (), (), "organisation", "catalog"),
                   Actor("NHS England", (), (), "organisation", "catalog")])
    q = understand("WA view on the money ideas?", [], cast, {})
    assert q.actors == ("WA Communications",)
    assert understand("What did NHS say about it?", [], cast, {}).actors == ()  # two bodies open with it


def test_a_body_named_as_a_modifier_inside_the_topic_is_not_asked_about():
    cast = Actors([Actor("Care Quality Commission", ("CQC",), (), "organisation", "catalog")])
    q = understand("what's the cqc single assessment framework going to apply to?", [], cast, {})
    assert q.actors == () and q.topic_actors == ("Care Quality Commission",)


def test_a_branch_number_and_the_initials_up_to_the_kind_of_body_name_it():
    cast = Actors([Actor("Transport Workers Union Local 100", (), (), "organisation", "catalog"),
                   Actor("Amalgamated Transit Union Local 1179", (), (), "organisation", "catalog"),
                   Actor("Permanent Citizens Advisory Committee to the Port", (), (), "organisation", "catalog"),
                   Actor("Port Authority", (), (), "organisation", "catalog")])
    read_ = lambda q: understand(q, [], cast, {})  # noqa: E731
    assert read_("Does TWU Local 100 think night service can come back?").actors == ("Transport Workers Union Local 100",)
    assert read_("Why is the transit workers' union against job cuts?").actors == ("Transport Workers Union Local 100",)
    assert read_("is the PCAC ok with more borrowing?").actors == ("Permanent Citizens Advisory Committee to the Port",)
    # a body named where something happens, or in a clause that sets the scene, is not the one asked about
    q = read_("Why is the ATU angry at the Port Authority over pay?")
    assert q.actors == ("Amalgamated Transit Union Local 1179",) and q.topic_actors == ("Port Authority",)
    q = read_("If the Port Authority raises fares, should it hit drivers or riders? PCAC view")
    assert q.actors == ("Permanent Citizens Advisory Committee to the Port",) and q.topic_actors == ("Port Authority",)


def test_she_after_a_body_that_a_person_speaks_for_is_that_body():
    cast = Actors([Actor("Harbour Institute", ("Ms. Nora Vale",), (), "organisation", "catalog"),
                   Actor("Lamp Watch", (), (), "organisation", "catalog"),
                   Actor("General Lamplighters Committee", (), (), "organisation", "catalog")])
    assert cast.has_voice("Harbour Institute") and not cast.has_voice("Lamp Watch")
    assert not cast.has_voice("General Lamplighters Committee")  # "General" opens a body's name here
    q = understand("would she take the port to court?", ["What's the Harbour Institute's take on the toll?"], cast, {})
    assert q.actors == ("Harbour Institute",)
    q = understand("how many lamps did she want?", ["What does Lamp Watch think of the toll?"], cast, {})
    assert q.actors == ()  # nobody speaks for Lamp Watch by name: "she" is someone else



def test_a_sum_of_money_asked_for_by_what_it_is():
    from assistant.answering.decide import has_quantity
    from assistant.answering.understand import answer_type
    assert answer_type("How much is the lamp grant for 2024/25?") == "money"
    assert answer_type("what is the maximum salary allowed under the new pay framework") == "money"
    assert answer_type("What is the salary framework?") is None  # a framework, not a sum
    assert not has_quantity("Allocations for 2024/25 will be published later.")  # a financial year counts nothing


def test_a_body_asked_what_it_can_or_must_do_is_the_topic_not_the_holder():
    cast = Actors([Actor("Lamp Inspectorate", ("the inspectorate",), (), "organisation", "catalog"),
                   Actor("Lamplighters Union", ("the union",), (), "organisation", "catalog")])
    read_ = lambda q: understand(q, [], cast, {})  # noqa: E731
    q = read_("How is the Lamp Inspectorate supposed to rate the depots?")
    assert q.actors == () and q.topic_actors == ("Lamp Inspectorate",)
    assert read_("So can the inspectorate still step in with depots directly?").actors == ()
    # a view asked of it: an attitude verb, or no modal at all
    assert read_("Can the union support the plan?").actors == ("Lamplighters Union",)
    assert read_("Will the union fund the repairs?").actors == ("Lamplighters Union",)


def test_a_closing_there_after_a_thing_the_question_names_is_that_thing():
    history = ["How big would the levy on lanterns be?"]
    q = read("ok, night shifts. What did the union want done about staffing there?", history)
    assert "levy" not in q.topic_words and "staffing" in q.topic_words


def test_the_head_of_a_body_speaks_as_it_and_a_modal_they_holds_a_view():
    q = read("What did the head of the Lamplighters Union say about masks on night shifts?")
    assert q.actors == ("Lamplighters Union",)
    q = read("so who does he think should be enforcing it?",
             ["What did the chair of the Ministry of Lamps say about masks on night shifts?"])
    assert q.actors == ("Ministry of Lamps",) and "masks" in q.text  # the topic after "about", not after "of"
    q = read("if they can't get the full register back, what would they settle for first?",
             ["What does the Lamplighters Union think about the national lantern register?"])
    assert q.actors == ("Lamplighters Union",)


def test_read_as_puts_the_earlier_topic_for_them_and_never_an_actor_for_its_object():
    history = ["What does the Lamplighters Union think of the national lantern register?", "Why?"]
    q = read("did the ministry go for them?", history)
    assert q.text == "did the ministry go for the national lantern register?"
    q = read("did they go for them?", history)
    assert q.text == "did the Lamplighters Union go for the national lantern register?"


def test_a_body_is_named_by_who_it_gathers_when_written_as_a_name():
    """"the Thornbury beekeepers" for the Thornbury Beekeepers Association (a newcomer's first question after
    uploading its statement was refused as from an unknown "Thornbury"); "local government" stays a topic."""
    cast = Actors([*CAST.actors, Actor("Thornbury Beekeepers Association", (), (), "organisation", "catalog"),
                   Actor("Local Government Association", (), (), "organisation", "catalog")])
    for question in ("What do the Thornbury beekeepers think of spraying?", "Do the Thornbury Beekeepers back the ban?"):
        assert understand(question, [], cast, ACRONYMS).actors == ("Thornbury Beekeepers Association",), question
    assert understand("What does the Local Government think of the levy?", [], cast, ACRONYMS).actors == \
        ("Local Government Association",)
    q = understand("What does the union say about local government funding?", [], cast, ACRONYMS)
    assert q.actors == ("Lamplighters Union",) and "Local Government Association" not in q.topic_actors
    assert understand("Local government funding: what does the union say?", [], cast, ACRONYMS).actors == \
        ("Lamplighters Union",)


def test_a_follow_up_that_only_turns_to_someone_names_them_however_typed():
    """"And wood?" after a question on consent is Steve Wood's view on it, not the speaker's view of wood; and a body
    goes by the initials of all its words too ("CBFFJ" for Covid Bereaved Families for Justice)."""
    cast = Actors([*CAST.actors, Actor("Steve Wood", (), (), "person", "catalog"),
                   Actor("Dr Kevin Macnish", (), (), "person", "catalog")])
    first = "What does Macnish think people need to be told for informed consent?"
    q = understand("And wood?", [first], cast, ACRONYMS)
    assert q.actors == ("Steve Wood",) and "consent" in q.topic, (q.actors, q.topic)
    assert understand("Is wood a good material for lamp posts?", [], cast, ACRONYMS).actors == ()
    assert understand("What did CBFFJ say about the levy?", [], CAST, ACRONYMS).actors == ("Covid Bereaved Families for Justice",)
    assert understand("What did CBFJ say about the levy?", [], CAST, ACRONYMS).actors == ("Covid Bereaved Families for Justice",)
