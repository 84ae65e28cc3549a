"""Stance from general language, read from the parse: made-up sentences of several registers."""

from __future__ import annotations

import pytest

from assistant.language.parse import facts


@pytest.mark.parametrize("text,expected", [
    # the predicate's attitude
    ("The board accepted the recommendation in full.", "accepts"),
    # what is acted against is judged the other way: reducing harm is good, undermining trust bad
    ("The scheme will reduce fatal accidents on the coast road.", "supports"),
    ("This would undermine public trust in the council.", "concerned"),
    # a call in the form "it is time (that) ..."
    ("It is time the council scrapped the lamp tax.", "recommends"),
    ("It's high time we ended this subsidy.", "recommends"),
    ("It was time for the evening meeting.", "describes"),
    ("We strongly oppose the merger of the two trusts.", "opposes"),
    ("The council rejected the proposal for a toll road.", "rejects"),
    ("The trust is pleased that its bid was successful.", "welcomes"),
    ("Our concern is that the fund is too small to make a difference.", "concerned"),
    ("The union calls for an independent review of the rota.", "recommends"),
    # negation read from the parse
    ("We do not support the proposed merger.", "opposes"),
    ("I am not about to vote to cut off support for the veterans who served.", "opposes"),
    ("The ministry will not accept the levy.", "rejects"),
    ("It is not clear how the scheme would be paid for.", "concerned"),
    # concession and contrast
    ("Whilst we welcome the plan, its failure to fund social care is concerning.", "concerned"),
    ("We welcome the new funding, but the timetable is far too short.", "mixed"),
    ("The council supports the intent of the proposal but stops short of a commitment to fund it.", "mixed"),
    ("The plan shows that the ministry listened, even if it is not perfectly aligned with our ask.", "describes"),
    # a negative noun the clause asserts or predicates judges; as a topic it does not
    ("There is a risk that lamp budgets could be stretched thin.", "concerned"),
    ("There are inherent tensions in the new rota.", "concerned"),
    ("The levy is a threat to small firms.", "concerned"),
    ("The risk register was updated in March.", "describes"),
    # an evaluative adjective after "to be" is the verdict on its subject, whatever the subject's own words
    ("The refusal to reconsider the cut to lamp budgets is disappointing.", "concerned"),
    ("The decision to delay the toll road is sensible.", "supports"),
    # a negated verb turns its manner adverb round
    ("Our view remains that the guidance does not satisfactorily address night shifts.", "concerned"),
    # recommendations: modal, hortative, imperative
    ("Ministers should set out a ten-year plan for the workforce.", "recommends"),
    ("Let us build the bridge together.", "recommends"),
    ("Pass the bill and send it to my desk.", "recommends"),
    # a comment adverb is the speaker's verdict on the whole clause
    ("Worryingly, the waiting list has grown to four million.", "concerned"),
    ("Sadly, the night shelter closed in March.", "concerned"),
    # what the speaker did: the valence of their own action verbs is not their attitude
    ("Last year we cut the waiting list by a third.", "describes"),
    ("My government slashed the tax on small firms.", "describes"),
    ("We have built 4,000 homes, including 900 in the city alone.", "describes"),
    ("The council cut the budget for libraries, which hampered the service.", "concerned"),
    # others' lot in a relative clause is the speaker's concern, not a refusal: only the holder's own
    # predicate opposes or rejects
    ("We met nurses who were denied overtime pay and forced to work unsafe shifts.", "concerned"),
    ("I ran for this office because of the tenants who have been refused repairs and left in damp homes.", "concerned"),
    # a reporting verb passes a view on; it is no quarrel ("argue")
    ("Our members have long argued that wider access improves health.", "describes"),
    # a response's bare verdicts on numbered items
    ("Recommendation 4: Accepted.", "accepts"),
    ("Recommendation 5: Not accepted.", "rejects"),
    ("Accepted in part.", "mixed"),
    ("Recommendation 6: Under consideration.", "describes"),
    # no evaluative signal
    ("The report runs to 40 pages and was published in May.", "describes"),
    ("This echoes the early history of the scheme, when pilots ran in three towns.", "describes"),
])
def test_stance(text, expected):
    assert facts(text).stance == expected


def test_a_conditional_clause_is_not_a_judgement():
    assert facts("The plan will work well if the funding arrives on time.").stance != "concerned"
