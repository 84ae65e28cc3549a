"""Ranking candidate sentences, on a made-up document with the stand-in model (BM25 and the other signals
decide; the stand-in's vectors carry no meaning)."""

from __future__ import annotations

import numpy as np
from conftest import one_assistant

from assistant.answering.answer import Assistant
from assistant.answering.retrieve import FEATURES
from assistant.settings import Settings

TEXT = """# Widget Watch on the lamp courts

The lamp board meets on Tuesdays and sets the levy.

Their judicial powers are too wide.
"""


def test_a_word_of_the_same_root_as_the_questions_counts_for_bm25(tmp_path, fake_embedder):
    a = one_assistant(tmp_path, fake_embedder, "courts.md", TEXT, "Widget Watch")
    index = a.index
    q = a.understand("What about the judiciary?")
    ranked = a.retriever.rank(q, fake_embedder.encode_query(q.dense_text))
    bm25 = dict(zip((index.text(index.sentences[r]) for r in ranked.rows.tolist()),
                    ranked.features[:, FEATURES.index("bm25")].tolist()))
    assert bm25["Their judicial powers are too wide."] > 0  # it shares no word with the question, only a root
    assert bm25["The lamp board meets on Tuesdays and sets the levy."] == 0


def test_a_document_named_by_its_year_is_the_one_read(tmp_path, fake_embedder):
    from assistant.building.store import build_index, load_index

    src = tmp_path / "sources"
    src.mkdir()
    for year in ("2019", "2021"):
        (src / f"roe-{year}.md").write_text(f"# Address of {year}\n\nI will light more lamps in every street. "
                                            f"Lamps keep the streets safe at night.\n")
    (src / "catalog.toml").write_text("".join(
        f'[[source]]\nfile = "roe-{y}.md"\nid = "roe-{y}"\nspeaker = "Jane Roe"\npublished = "{y}-02-01"\n\n'
        for y in ("2019", "2021")))
    settings = Settings(sources_dir=src, index_dir=tmp_path / "index", model="fake")
    build_index(settings, fake_embedder, progress=False, log=lambda m: None)
    a = Assistant(settings, load_index(settings, fake_embedder.dim), fake_embedder, None)
    answer = a.ask("What did Jane Roe say about lamps in her 2021 address?")
    assert answer.quotes and {q.source_id for q in answer.quotes} == {"roe-2021"}
    assert {q.source_id for q in a.ask("What did Jane Roe say about lamps?").quotes} == {"roe-2019", "roe-2021"}
    answer = a.ask("What did Jane Roe say about wicks in her 2021 address?")
    assert not answer.answered and answer.message.endswith("(Only the documents of 2021 were read.)")
    # a year no document of hers has reads them all
    assert {q.source_id for q in a.ask("What did Jane Roe say about lamps in her 2020 address?").quotes} == \
        {"roe-2019", "roe-2021"}


def test_the_proceedings_are_told_from_the_statements(tmp_path, fake_embedder):
    """In a witness's transcript the chair's turns and the greetings run the proceedings; the witness's
    answers, and a rhetorical question, state views."""
    from conftest import one_assistant

    text = """# Evidence of Jane Roe, Lamplighters Union

Q1 Chair: Good morning. Will you tell us what the union thinks of the lamp levy?

Jane Roe: Good morning. I'm the general secretary of the Lamplighters Union. The union opposes the lamp levy because it would close small workshops.

Q2 Mr Smith: Is the register of lamplighters working?

Jane Roe: Who could defend a register that nobody keeps up to date? It has failed the workshops.
"""
    a = one_assistant(tmp_path, fake_embedder, "roe.md", text, "Lamplighters Union")
    idx, r = a.index, a.retriever
    flagged = {idx.text(s): bool(r.procedural[i]) for i, s in enumerate(idx.sentences)}
    chair = [t for t in flagged if t.startswith("Q1 Chair")]
    assert chair and all(flagged[t] for t in chair)  # another speaker's turn
    assert flagged["Will you tell us what the union thinks of the lamp levy?"]  # still the chair's turn
    assert any(flagged[t] for t in flagged if t.startswith("Q2 Mr Smith"))
    assert not flagged["The union opposes the lamp levy because it would close small workshops."]
    assert not any(flagged[t] for t in flagged if "nobody keeps" in t)  # the witness's rhetorical question
    assert flagged["Good morning."]  # a greeting
    assert flagged["I'm the general secretary of the Lamplighters Union."]  # who speaks, not what they hold


def test_a_question_in_the_text_is_marked_as_one(tmp_path, fake_embedder):
    # Gold answers are statements: the ranking reads a sentence that asks ("What will the guidance be?") apart.
    from conftest import one_document

    from assistant.answering.retrieve import Retriever

    text = ("# Lamp plan\n\nWhat will the guidance on lantern safety be next winter? We want a plan for every street.\n\n"
            "He asked: \"Who pays for the lamps?\"\n")
    index = one_document(tmp_path, fake_embedder, "plan.md", text, "Lamplighters Union")
    r = Retriever(index, {})
    asks = {index.text(s): bool(a) for s, a in zip(index.sentences, r.asks)}
    assert asks["What will the guidance on lantern safety be next winter?"]
    assert not asks["We want a plan for every street."]
    assert any(a for t, a in asks.items() if "Who pays for the lamps?" in t)  # a quoted question, its quote mark after


def test_a_sentence_that_gives_a_reason_is_marked_for_a_question_that_asks_why(tmp_path, fake_embedder):
    text = ("# Widget Watch on the lamp levy\n\nWe oppose the lamp levy the council set in the spring.\n\n"
            "The lamp levy would mean higher bills for every shop on the street.\n")
    a = one_assistant(tmp_path, fake_embedder, "levy.md", text, "Widget Watch")

    def reason(question: str) -> dict[str, float]:
        q = a.understand(question)
        ranked = a.retriever.rank(q, fake_embedder.encode_query(q.dense_text))
        return dict(zip((a.index.text(a.index.sentences[r]) for r in ranked.rows.tolist()),
                        ranked.features[:, FEATURES.index("reason")].tolist()))

    why = reason("Why does Widget Watch oppose the lamp levy?")
    assert why["The lamp levy would mean higher bills for every shop on the street."] == 1
    assert why["We oppose the lamp levy the council set in the spring."] == 0
    assert set(reason("What does Widget Watch think of the lamp levy?").values()) == {0}  # asks no reason
    assert reason("What worries Widget Watch about the lamp levy?")[
        "The lamp levy would mean higher bills for every shop on the street."] == 1


def test_a_sum_of_money_is_a_figure_for_how_much(tmp_path, fake_embedder):
    text = ("# Widget Watch on the lamp levy\n\nThe union is asking the ministry for $12 million for repairs.\n\n"
            "The union is asking the ministry for help with repairs soon.\n")
    a = one_assistant(tmp_path, fake_embedder, "levy.md", text, "Widget Watch")
    q = a.understand("How much is the union asking the ministry for?")
    assert q.answer_type == "number"
    ranked = a.retriever.rank(q, fake_embedder.encode_query(q.dense_text))
    kind = dict(zip((a.index.text(a.index.sentences[r]) for r in ranked.rows.tolist()),
                    ranked.features[:, FEATURES.index("type")].tolist()))
    assert kind["The union is asking the ministry for $12 million for repairs."] == 1
    assert kind["The union is asking the ministry for help with repairs soon."] == 0


def test_the_rows_of_a_few_labels_are_the_rows_isin_finds():
    from assistant.answering.retrieve import Groups

    rng = np.random.default_rng(7)
    for labels in (rng.integers(0, 40, 500), np.sort(rng.integers(0, 40, 500)), np.array([3, 3, 0]), np.zeros(0, np.int64)):
        groups = Groups(labels)
        for values in (rng.integers(-2, 45, 6), np.array([], np.int64), np.array([3, 3])):
            want = np.flatnonzero(np.isin(labels, values))
            assert np.array_equal(groups.rows(values), want)
