"""The fit's negatives from other corpora: which questions, and how much they weigh. No model needed."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from assistant.answering.decide import DECISION_FEATURES, speaks
from assistant.answering.fit import Item, fit_decide_at, foreign_questions


def corpus(folder: str):
    return (SimpleNamespace(settings=SimpleNamespace(sources_dir=Path(folder))), [])


def item(name: str, qid: str, turns: list[str], answerable: bool = True) -> Item:
    return Item(name, {"id": qid, "turns": turns, "answerable": answerable}, np.zeros((1, 1)), np.zeros(1, bool))


def test_other_corpora_questions_are_asked_of_each_corpus_as_negatives(tmp_path):
    corpora = {"seeds": corpus("/x/seeds"), "more": corpus("/x/seeds"), "speeches": corpus("/x/speeches")}
    items = [item("seeds", "a", ["What does the BMA think of HARPs?"]),
             item("more", "b", ["Who welcomed fewer targets?"]),
             item("speeches", "c", ["What did Reagan say about taxes?"]),
             item("speeches", "d", ["What did Reagan say?", "Why?"]),  # a follow-up leans on its conversation
             item("speeches", "e", ["What did Reagan say about lamps?"], answerable=False)]
    asked = foreign_questions(corpora, items, "seeds")
    assert [g["id"] for g in asked] == ["c"]  # not the same sources' questions, no follow-ups, no negatives
    assert asked[0]["answerable"] is False and asked[0]["origin"] == "speeches"
    assert sorted(g["id"] for g in foreign_questions(corpora, items, "speeches")) == ["a", "b"]


def test_foreign_negatives_weigh_together_as_much_as_the_gold_negatives():
    # One gold unanswerable question looks answerable by every signal; 200 foreign ones look plainly
    # unanswerable. Weighed one by one, the foreign ones would swamp it; weighed as a group, the gold
    # negative still pulls the fit.
    n = len(DECISION_FEATURES)
    answerable = [(tuple([0.8] * n), True) for _ in range(20)]
    tricky = [(tuple([0.7] * n), False)]
    foreign = [tuple([0.1] * n) for _ in range(200)]
    with_group = fit_decide_at(answerable + tricky, 0.6, foreign)
    one_by_one = fit_decide_at(answerable + tricky + [(f, False) for f in foreign], 0.6)

    def p(model, x):
        z = sum(model[f] * v for f, v in zip(DECISION_FEATURES, speaks(x, 0.6))) + model["bias"]
        return 1 / (1 + math.exp(-z))

    # the gold negative keeps half the negative weight: the model leans further towards refusing it
    assert p(with_group, tricky[0][0]) < p(one_by_one, tricky[0][0])
    assert p(with_group, foreign[0]) < 0.5 and p(with_group, answerable[0][0]) > 0.5
