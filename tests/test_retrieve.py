"""Ranking candidate sentences, on a made-up document with the stand-in model (BM25 and the other signals
decide; the stand-in's vectors carry no meaning)."""

from __future__ import annotations

from conftest import one_document

from assistant.answer import Assistant
from assistant.retrieve import FEATURES
from assistant.settings import Settings

TEXT = """# Widget Watch on the lamp courts

The lamp board meets on Tuesdays and sets the levy.

Their judicial powers are too wide.
"""


def test_a_word_of_the_same_root_as_the_questions_counts_for_bm25(tmp_path, fake_embedder):
    index = one_document(tmp_path, fake_embedder, "courts.md", TEXT, "Widget Watch")
    a = Assistant(Settings(sources_dir=tmp_path / "sources", index_dir=tmp_path / "index", model="fake"),
                  index, fake_embedder, None)
    q = a.understand("What about the judiciary?")
    ranked = a.retriever.rank(q, fake_embedder.encode_query(q.dense_text))
    bm25 = dict(zip((index.text(index.sentences[r]) for r in ranked.rows.tolist()),
                    ranked.features[:, FEATURES.index("bm25")].tolist()))
    assert bm25["Their judicial powers are too wide."] > 0  # it shares no word with the question, only a root
    assert bm25["The lamp board meets on Tuesdays and sets the levy."] == 0
