"""Who says it, on corpora the rules were never fitted to: made-up documents by a new publisher,
people who say "I", a report and a response, a transcript. The parse is the real spaCy pipeline;
the embedder is the fake one (attribution does not depend on it)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import one_document

from assistant.answering.retrieve import Retriever
from assistant.settings import Settings
from assistant.building.store import build_index, load_index
from assistant.answering.understand import understand

GAMMA = """---
title: Gamma Nurses Union briefing on the ward closure plan
publisher: Gamma Nurses Union
published: 2025-01-10
---

# Gamma Nurses Union briefing on the ward closure plan

## Background

The Delta Agency published its ward closure plan in December. The agency recommends closing three rural wards by 2026.

Delta Agency rejected the union's proposal for a phased approach in January. Delta Agency also rejected a second proposal in March.

## Our view

We strongly oppose the closure plan. Our members are worried about patient safety on the remaining wards.

We welcome the agency's commitment to consult staff, but the timetable is far too short.

## Pay

The union has no view on pay.
"""

ROE = """Madam President, I rise today to speak about the veterans fund.

I am not about to vote to cut off support for the veterans who served this country.

My colleague Governor Sam Poe argues that the fund should be closed next year. I could not disagree more.

The fund paid out 4,000 grants last year.
"""

POE = """Friends, thank you for coming tonight.

I believe the veterans fund has served its purpose, and I will ask the legislature to wind it down.

Senator Jane Roe has said she will fight this. She is wrong about the cost.

We sent the legislature a plan that both parties should back, one where nobody gets everything they want.
"""

RESPONSE = """# Widget Watch on the Ministry of Lamps response to the Lantern Commission

The Ministry of Lamps (MoL) accepted two of the Lantern Commission's recommendations. The Ministry of Lamps also rejected a levy on lanterns.

The response rejects the call for a national lantern register, citing its cost. It will come as no surprise that the levy was dropped.

It is not clear how the Ministry will fund the new inspections.
"""

TRANSCRIPT = """Submissions on behalf of the Union of Lamplighters by Ms Vale

Ms Vale: My Lady, I appear for the Union of Lamplighters. We say that the night shifts were unsafe.

Lady Oak: Ms Vale, could you slow down for the transcriber?

Ms Vale: Of course, my Lady. We invite the Inquiry to find that the rota was unlawful.

Lady Oak: Thank you.

Ms Vale: Yes.
"""

CATALOG = """
[[source]]
file = "gamma.md"
id = "gamma"

[[source]]
file = "roe.txt"
id = "roe-speech"
title = "Senator Jane Roe on the veterans fund"
publisher = "Senator Jane Roe"

[[source]]
file = "poe.txt"
id = "poe-speech"
title = "Governor Sam Poe at the town hall"
publisher = "Governor Sam Poe"

[[source]]
file = "response.md"
id = "widget-watch"
publisher = "Widget Watch"

[[source]]
file = "transcript.txt"
id = "lamplighters"
publisher = "Union of Lamplighters"
"""


def build(tmp_path, fake_embedder, actors: list | None = None):
    src = tmp_path / "sources"
    src.mkdir(exist_ok=True)
    for name, text in (("gamma.md", GAMMA), ("roe.txt", ROE), ("poe.txt", POE), ("response.md", RESPONSE),
                       ("transcript.txt", TRANSCRIPT), ("catalog.toml", CATALOG)):
        (src / name).write_text(text)
    if actors is not None:
        (src / "actors.json").write_text(json.dumps(actors))
    settings = Settings(sources_dir=src, index_dir=tmp_path / "index", model="fake")
    build_index(settings, fake_embedder, progress=False, log=lambda m: None)
    return load_index(settings, fake_embedder.dim)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("made-up"), FakeEmbedder())


def said(index) -> dict[str, tuple[str | None, str]]:
    return {index.text(s): (s.actor, s.stance) for s in index.sentences}


def test_a_publisher_no_list_knows_holds_its_first_person_statements(index):
    got = said(index)
    assert got["We strongly oppose the closure plan."] == ("Gamma Nurses Union", "opposes")
    assert got["Our members are worried about patient safety on the remaining wards."] == ("Gamma Nurses Union", "concerned")
    assert got["We welcome the agency's commitment to consult staff, but the timetable is far too short."] == (
        "Gamma Nurses Union", "mixed")


def test_a_body_the_text_shows_holding_a_view_is_found_by_named_entity_recognition(index):
    got = said(index)
    assert got["Delta Agency rejected the union's proposal for a phased approach in January."] == ("Delta Agency", "rejects")
    # Without an alias for "the agency", a view it holds is the author describing it, not recommending.
    assert got["The agency recommends closing three rural wards by 2026."] == ("Gamma Nurses Union", "describes")


def test_people_who_say_i_hold_their_own_statements(index):
    got = said(index)
    assert got["I am not about to vote to cut off support for the veterans who served this country."] == (
        "Senator Jane Roe", "opposes")
    assert got["I believe the veterans fund has served its purpose, and I will ask the legislature to wind it down."][0] == (
        "Governor Sam Poe")
    # Someone the speaker reports holds what is reported; a pronoun takes the sentence before's actor.
    assert got["My colleague Governor Sam Poe argues that the fund should be closed next year."][0] == "Governor Sam Poe"
    assert got["Senator Jane Roe has said she will fight this."][0] == "Senator Jane Roe"
    # ... but what a pronoun is or has is the speaker's description of them, not their view
    assert got["She is wrong about the cost."][0] == "Governor Sam Poe"
    # "they" in a relative clause of the speaker's own sentence is not whom the sentence is by
    assert got["We sent the legislature a plan that both parties should back, one where nobody gets everything "
               "they want."][0] == "Governor Sam Poe"


def test_a_response_and_its_acronym(index):
    got = said(index)
    assert got["The Ministry of Lamps also rejected a levy on lanterns."] == ("Ministry of Lamps", "rejects")
    # "the response" in a piece on the Ministry's response is the Ministry's.
    assert got["The response rejects the call for a national lantern register, citing its cost."] == (
        "Ministry of Lamps", "rejects")
    assert got["It is not clear how the Ministry will fund the new inspections."] == ("Widget Watch", "concerned")
    # an extraposed "it" frames the author's claim; it is not the Ministry the sentence before reported
    assert got["It will come as no surprise that the levy was dropped."][0] == "Widget Watch"
    ministry = index.actors.by_name["Ministry of Lamps"]
    assert "MoL" in ministry.aliases


def test_a_transcript_turn_by_another_speaker_is_theirs(index):
    got = said(index)
    chair = [k for k in got if k.startswith("Ms Vale, could you slow down")]
    assert chair and got[chair[0]][0] == "Lady Oak"
    assert got["We say that the night shifts were unsafe."][0] == "Union of Lamplighters"
    assert got["We invite the Inquiry to find that the rota was unlawful."] == ("Union of Lamplighters", "recommends")
    # Quotes hold what was said, not the speaker's label.
    assert not any(k.startswith("Ms Vale:") for k in got)


def test_the_cast_comes_only_from_the_corpus(index):
    names = {a.name for a in index.actors.actors}
    assert {"Gamma Nurses Union", "Senator Jane Roe", "Governor Sam Poe", "Widget Watch", "Union of Lamplighters"} <= names
    assert not names & {"BMA", "Government (DHSC)", "Hewitt Review", "NHS Providers"}


def test_the_one_who_speaks_a_bodys_transcript_names_that_body(index):
    # Ms Vale holds nearly all the turns of the Union's submissions: "What did Vale say?" asks the Union's view.
    union = index.actors.by_name["Union of Lamplighters"]
    assert {"Ms Vale", "Vale"} <= set(union.aliases)
    # the chair, who only puts questions, is no one's spokesperson
    assert not any("Oak" in a for a in union.aliases)


def test_an_opening_line_that_restates_the_title_is_no_statement(tmp_path, fake_embedder):
    text = ("Lamps Committee oral evidence on lantern safety: evidence of Ada Quill, Lamplighters Union, "
            "3 May 2024, as given in the committee room.\n\n"
            "Ada Quill: We oppose the lantern levy, which the committee heard about at length.\n\n"
            "Ada Quill: Lantern safety on night shifts is our first concern.\n")
    index = one_document(tmp_path, fake_embedder, "quill.txt", text, "Lamplighters Union")
    r = Retriever(index, {})
    furniture = {index.text(s) for s, f in zip(index.sentences, r.furniture) if f}
    assert any(t.startswith("Lamps Committee oral evidence") for t in furniture), index.documents["quill"].title
    assert not any("We oppose" in t or "first concern" in t for t in furniture)


def test_a_users_actors_file_adds_aliases_and_weak_subjects(tmp_path, fake_embedder):
    index = build(tmp_path, fake_embedder, [{"name": "Delta Agency", "aliases": ["DA"], "weak_aliases": ["the agency"]}])
    got = said(index)
    assert got["The agency recommends closing three rural wards by 2026."] == ("Delta Agency", "recommends")
    assert "DA" in index.actors.by_name["Delta Agency"].aliases


def test_a_broken_actors_file_is_reported(tmp_path, fake_embedder):
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError, match="actors"):
        build(tmp_path, fake_embedder, {"name": "not a list"})  # type: ignore[arg-type]


def test_asides_and_repeated_lines_are_furniture_never_evidence(index):
    from assistant.answering.retrieve import Retriever

    r = Retriever(index, {})
    flagged = {index.text(s) for s, f in zip(index.sentences, r.furniture) if f}
    assert {"Thank you.", "Yes."} <= flagged
    assert not flagged & {"We say that the night shifts were unsafe.", "We strongly oppose the closure plan.",
                          "The union has no view on pay."}  # short, but a statement in a full clause


def test_a_bare_verdict_in_a_response_is_its_publishers(tmp_path, fake_embedder):
    # "Recommendation 2: Not accepted." names no holder: the response's publisher gives the verdict, not the
    # body whose recommendation it is (the one other actor the title names).
    text = ("# Ministry of Lamps response to the Lantern Commission\n\n"
            "Recommendation 1: Accepted. The ministry will fund new lamps.\n\n"
            "Recommendation 2: Not accepted. A levy would cost too much.\n")
    actors = [{"name": "Lantern Commission"}]
    got = said(one_document(tmp_path, fake_embedder, "reply.md", text, "Ministry of Lamps", actors))
    assert got["Recommendation 1: Accepted."] == ("Ministry of Lamps", "accepts")
    assert got["Recommendation 2: Not accepted."] == ("Ministry of Lamps", "rejects")


def test_a_verdict_on_an_actor_or_a_thing_it_owns_is_the_authors(tmp_path, fake_embedder):
    text = ("# Widget Watch on the lamp plan\n\n"
            "Several parts of the Ministry of Lamps' plan are broadly positive.\n\n"
            "The Ministry of Lamps is sorely lacking in ambition.\n\n"
            "The Ministry of Lamps retains its interest in lamps and is keen to see brighter streets.\n\n"
            "The Ministry of Lamps' view is that lamps are safe.\n\n"
            "The opinions of the Ministry of Lamps will have the force of law, a grave danger.\n\n"
            "The Ministry of Lamps' commitment to brighter streets is welcome.\n")
    actors = [{"name": "Ministry of Lamps", "aliases": ["the ministry"]}]
    got = said(one_document(tmp_path, fake_embedder, "note.md", text, "Widget Watch", actors))
    assert got["Several parts of the Ministry of Lamps' plan are broadly positive."] == ("Widget Watch", "supports")
    # a verdict on the actor itself is the author's too: its subject holds no view in it
    assert got["The Ministry of Lamps is sorely lacking in ambition."] == ("Widget Watch", "concerned")
    # an attitude in a predicate sharing the subject is the subject's
    assert got["The Ministry of Lamps retains its interest in lamps and is keen to see brighter streets."][0] == \
        "Ministry of Lamps"
    # a view noun's owner holds what the view is, not what it has
    assert got["The Ministry of Lamps' view is that lamps are safe."][0] == "Ministry of Lamps"
    assert got["The opinions of the Ministry of Lamps will have the force of law, a grave danger."][0] == "Widget Watch"
    # "X is welcome" judges X: the author welcomes it
    assert got["The Ministry of Lamps' commitment to brighter streets is welcome."] == ("Widget Watch", "welcomes")


def briefing_on_the_report(tmp_path, embedder, body: str) -> dict:
    """What each sentence of Widget Watch's briefing on the Lantern Commission's report is attributed to."""
    text = "# Widget Watch briefing on the Lantern Commission report\n\n" + body
    actors = [{"name": "Lantern Commission"}]
    return said(one_document(tmp_path, embedder, "brief.md", text, "Widget Watch", actors))


def test_a_briefing_on_a_report_gives_the_report_its_proposals_and_keeps_its_own_points(tmp_path, fake_embedder):
    got = briefing_on_the_report(tmp_path, fake_embedder, "The recommendations include a national register of lanterns.\n\n"
                                 "The key point is that the register will cost too much.\n\n"
                                 "One challenge is the pay of lamplighters.\n")
    assert got["The recommendations include a national register of lanterns."][0] == "Lantern Commission"
    assert got["The key point is that the register will cost too much."][0] == "Widget Watch"
    assert got["One challenge is the pay of lamplighters."][0] == "Widget Watch"


def test_it_is_never_the_person_the_sentence_before_reported(tmp_path, fake_embedder):
    text = ("# Widget Watch on the lamp plan\n\n"
            "Dr Ada Quill warned that the plan came too late. "
            "Even then it was focused on managing the dark, rather than lighting the streets.\n")
    actors = [{"name": "Ada Quill", "kind": "person"}]
    got = said(one_document(tmp_path, fake_embedder, "note.md", text, "Widget Watch", actors))
    assert got["Dr Ada Quill warned that the plan came too late."][0] == "Ada Quill"
    assert got["Even then it was focused on managing the dark, rather than lighting the streets."][0] == "Widget Watch"


def test_a_pronoun_refers_to_the_first_actor_the_authors_sentence_before_named(tmp_path, fake_embedder):
    # the sentence's subject side comes first ("the ministry's commitment to a review of the Lamp Fund"):
    # "it" is the ministry, not the fund the phrase ends with
    text = ("# Widget Watch on the lamp plan\n\n"
            "Other points include the Ministry of Lamps' commitment to a review of the Lamp Fund. "
            "It also commits to brighter lamps.\n")
    actors = [{"name": "Ministry of Lamps"}, {"name": "Lamp Fund"}]
    got = said(one_document(tmp_path, fake_embedder, "note.md", text, "Widget Watch", actors))
    assert got["It also commits to brighter lamps."][0] == "Ministry of Lamps"


def test_a_publisher_named_by_its_kind_holds_its_own_view(tmp_path, fake_embedder):
    text = ("# Consultation response\n\nThe council welcomes the new street lamps.\n\n"
            "The union opposes night shifts.\n")
    got = said(one_document(tmp_path, fake_embedder, "council.md", text, "Highgate Parish Council"))
    assert got["The council welcomes the new street lamps."] == ("Highgate Parish Council", "welcomes")
    # another kind of body is not the publisher: the author describes its view
    assert got["The union opposes night shifts."] == ("Highgate Parish Council", "describes")


@pytest.mark.parametrize(("name", "kind"), [
    ("Amos Vane (Publius)", "person"),  # a pen name in brackets: still a person, so "Vane" names him
    ("Senator Jane Roe", "person"),
    ("Ministry of Lamps (MoL)", "organisation"),
])
def test_a_bracketed_pen_name_or_acronym_does_not_hide_what_kind_of_name_it_is(name, kind):
    from assistant.language.parse import entity_kind

    assert entity_kind(name) == kind


PRESS = """# Lamp Society statement on the lantern levy

## Press statement

Responding to the ministry's levy plan, Dr Ada Quill, chair of the Lamp Society, said:

"We cannot support a levy that falls on the smallest workshops. I urge ministers to think again.

"The Lantern Commission proposed a lighter levy, and that proposal deserved a hearing."

The statement was issued on 3 May.

Professor Ivo Stern gave evidence to the committee in March. He said:

"I think the levy will close half the workshops."

A witness told the Lantern Commission about the cost. She said:

"We will have to close by June."
"""


def test_quoted_paragraphs_after_an_introduction_are_the_speakers_words(tmp_path, fake_embedder):
    # A press statement: the chair's quoted words are the society's position and hers; a quotation of a
    # witness the society reports ("He said:") is not the society's first person.
    actors = [{"name": "Ada Quill", "kind": "person"}, {"name": "Ivo Stern", "kind": "person"},
              {"name": "Lantern Commission"}]
    index = one_document(tmp_path, fake_embedder, "press.md", PRESS, "Lamp Society", actors)
    got = {index.text(s): (s.actor, s.stance, s.person) for s in index.sentences}
    assert got['"We cannot support a levy that falls on the smallest workshops.'] == ("Lamp Society", "opposes", "Ada Quill")
    assert got["I urge ministers to think again."][::2] == ("Lamp Society", "Ada Quill")
    # inside the quotation, a view the speaker reports stays its holder's
    assert got['"The Lantern Commission proposed a lighter levy, and that proposal deserved a hearing."'][0] == "Lantern Commission"
    # the quotation ends with the first paragraph that is not one
    assert got["The statement was issued on 3 May."][2] is None
    assert got['"I think the levy will close half the workshops."'][::2] == ("Ivo Stern", None)
    # "she" is no body the sentence before names: an unknown witness, whose "we" the society only reports
    assert got['"We will have to close by June."'] == ("Lamp Society", "describes", None)
    # her words (and the line introducing them) are found when she is asked about, though the society
    # is their actor
    r = Retriever(index, {"actor": 1.0})
    assert r.states(r.codes(["Ada Quill"])).sum() == 3
    # the lines introducing a quotation say who speaks: only a who-question reads them
    intro = [index.text(index.sentences[i]) for i in np.flatnonzero(r.introduces)]
    assert intro == ["Responding to the ministry's levy plan, Dr Ada Quill, chair of the Lamp Society, said:",
                     "He said:", "She said:"]
    first = next(i for i, s in enumerate(index.sentences) if index.text(s) == intro[0])
    for question, kept in (("What did Ada Quill say about the levy?", False), ("Who spoke for the Lamp Society?", True)):
        q = understand(question, [], index.actors, index.acronyms)
        assert (first in r.rank(q, fake_embedder.encode_query(q.dense_text)).rows.tolist()) is kept


def test_a_person_named_with_their_post_is_asked_after_by_name():
    from assistant.language.actors import Actor, derived_aliases

    def aliases(name):
        return derived_aliases(Actor(name, (), (), "organisation", "catalog"), {})

    assert {"Ed Vaizey", "Vaizey"} <= aliases("Ed Vaizey MP, Department for Culture, Media and Sport")
    assert {"Kevin Macnish", "Macnish"} <= aliases("Dr Kevin Macnish, University of Leeds")
    assert not aliases("Government Office for Science")  # no post: no person
    assert "Council" not in aliases("Lamp Council, Northern Region")  # a body's name before the comma


def test_a_view_reported_with_a_light_verb_is_the_reported_bodys(tmp_path, fake_embedder):
    # Issue 24: "HSCC had expressed concerns about X" in another body's briefing is the committee's concern;
    # the briefing describes it. The verb only carries the attitude its object names.
    text = ("# Widget Watch briefing on the lamp plan\n\n"
            "The Lantern Committee had expressed concerns about whether the lamp budget was sufficient. "
            "The Guild of Wicks raised objections to the night tariff. "
            "The plan was published in May.\n")
    actors = [{"name": "Lantern Committee"}, {"name": "Guild of Wicks"}]
    got = said(one_document(tmp_path, fake_embedder, "brief.md", text, "Widget Watch", actors))
    assert got["The Lantern Committee had expressed concerns about whether the lamp budget was sufficient."] \
        == ("Lantern Committee", "concerned")
    assert got["The Guild of Wicks raised objections to the night tariff."][0] == "Guild of Wicks"
    assert got["The plan was published in May."][0] == "Widget Watch"


def test_a_document_without_a_publisher_names_its_own_body(tmp_path, fake_embedder):
    # Issue 24: a statement uploaded without a publisher takes the body it names as itself in its opening (or
    # its title); "the Association" in it is that body, not another document's "(the Association)"; a short
    # form and the full name are one actor; a person introduced by their post in it speaks for it.
    from conftest import made_up_index

    index = made_up_index(tmp_path, fake_embedder, {
        "doctors.md": ("# Doctors' Association briefing on rota reform\n\nThe Doctors' Association (the Association) "
                       "supports the new rota. The Association is worried about night cover.\n", "Doctors' Association"),
        "bees.md": ("# Statement on the meadow decision\n\nThe Thornbury Beekeepers' Association welcomes the council's "
                    "decision to protect Long Meadow. The Association is concerned, however, that the mowing plan will "
                    "harm wildflowers.\n\nDr Jane Pollen, chair of the Association, said the decision was overdue.\n", ""),
        "guild.md": ("# Lamplighters' Guild response\n\nThe Guild rejects the night tariff. "
                     "The Guild believes the tariff will close small workshops.\n", ""),
    })
    got = said(index)
    bees = "Thornbury Beekeepers' Association"
    assert got["The Thornbury Beekeepers' Association welcomes the council's decision to protect Long Meadow."] \
        == (bees, "welcomes")
    assert got["The Association is concerned, however, that the mowing plan will harm wildflowers."] == (bees, "concerned")
    assert got["The Association is worried about night cover."][0] == "Doctors' Association"
    pollen = next(s for s in index.sentences if index.text(s).startswith("Dr Jane Pollen"))
    assert (pollen.actor, pollen.person) == (bees, "Jane Pollen")
    assert {index.documents["bees"].publisher, index.documents["guild"].publisher} == {bees, "Lamplighters' Guild"}
    assert got["The Guild rejects the night tariff."][0] == "Lamplighters' Guild"  # named by its title
    names = [a.name for a in index.actors.actors]
    assert "Guild" not in names and "Association" not in names  # a kind of body alone is no one


def test_a_document_that_names_no_body_keeps_no_publisher(tmp_path, fake_embedder):
    from conftest import made_up_index

    index = made_up_index(tmp_path, fake_embedder, {
        "note.md": ("# Notes on the meadow\n\nThe meadow was mown in June. Dr Jane Pollen said it was too early.\n", "")})
    assert index.documents["note"].publisher == ""


def test_a_footnote_between_list_items_does_not_end_the_list(tmp_path, fake_embedder):
    # A numbered list of a report's recommendations, a footnote line in the middle (as PDFs lay them out):
    # the items after it are still the report's recommendations, not the briefing author's.
    got = briefing_on_the_report(tmp_path, fake_embedder, "The recommendations for this chapter include:\n\n"
                                 "1. councils should publish a register of lanterns\n"
                                 "2. the lamp levy should be reviewed under section 9¹\n\n"
                                 "¹ This refers to section 9 of the Lighting Act, which sets the levy.\n\n"
                                 "3. there should be a national review of lamp safety\n")
    assert got["there should be a national review of lamp safety"][0] == "Lantern Commission"
    assert got["councils should publish a register of lanterns"][0] == "Lantern Commission"
    assert got["¹ This refers to section 9 of the Lighting Act, which sets the levy."][0] == "Widget Watch"
