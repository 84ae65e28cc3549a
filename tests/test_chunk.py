"""Chunks and sentences: offsets that always hold, sections from headings, nothing too long to embed."""

from __future__ import annotations

import pytest

from assistant.building.chunk import ChunkParams, chunk_document, sections, word_count
from assistant.building.ingest import load_sources, make_document, text_to_blocks


def doc_from(raw: str, publisher: str = "Org"):
    return make_document("d", "d.txt", text_to_blocks(raw), {"publisher": publisher})


def test_offsets_hold_for_every_chunk_and_sentence(tiny_settings):
    for doc in load_sources(tiny_settings.sources_dir).documents:
        c = chunk_document(doc)
        assert c.chunks and c.sentences
        for ch in c.chunks:
            assert doc.text[ch.start:ch.end] == ch.text
        for s in c.sentences:
            assert doc.text[s.start:s.end] == s.text
            ch = c.chunks[s.chunk]
            assert ch.start <= s.start and s.end <= ch.end


def test_view_headings_nest_under_the_section_they_comment_on():
    doc = doc_from("Title of the briefing\n\nTheme 1: targets\n\nHewitt proposed fewer targets.\n\n"
                   "BMA View\n\nWe welcome fewer targets.\n\nTheme 2: money\n\nFunding is short.\n\n"
                   "BMA View\n\nWe want more.")
    got = [(doc.text[b.start:b.end], sec) for b, sec in sections(doc)]
    assert got == [
        ("Hewitt proposed fewer targets.", ("Theme 1: targets",)),
        ("We welcome fewer targets.", ("Theme 1: targets", "BMA View")),
        ("Funding is short.", ("Theme 2: money",)),
        ("We want more.", ("Theme 2: money", "BMA View")),
    ]


def test_a_view_heading_that_comes_once_ends_the_section_before_it():
    # Issue 26: a closing "Lamp Guild view" and a "Press statement" were cited under the last theme before them.
    doc = doc_from("Title of the briefing\n\nTheme 1: lanterns\n\nThe review wants brighter lanterns.\n\n"
                   "Winter pavements\n\nPavements ice over.\n\nLamp Guild view\n\nWe welcome the review as a whole.\n\n"
                   "Press statement\n\nOur chair said the review is a start.")
    got = dict((doc.text[b.start:b.end], sec) for b, sec in sections(doc))
    assert got["Pavements ice over."] == ("Winter pavements",)
    assert got["We welcome the review as a whole."] == ("Lamp Guild view",)
    assert got["Our chair said the review is a start."] == ("Press statement",)


def test_the_seed_briefings_sections_end_where_the_next_heading_of_their_level_begins():
    from pathlib import Path

    docs = {d.id: d for d in load_sources(Path(__file__).resolve().parent.parent / "sources").documents}
    providers = {doc_text: sec for b, sec in sections(docs["nhs-providers-government-response"])
                 for doc_text in [docs["nhs-providers-government-response"].text[b.start:b.end]]}
    closing = [sec for text, sec in providers.items() if sec and sec[-1] in ("NHS Providers view", "Press statement")]
    assert closing and all(sec in (("NHS Providers view",), ("Press statement",)) for sec in closing)
    bma = [sec for b, sec in sections(docs["bma-government-response"]) if sec and sec[-1] == "BMA View"]
    assert len({sec[0] for sec in bma}) >= 6  # each BMA View comments on the theme before it


def test_heading_straight_after_heading_is_a_subsection():
    doc = doc_from("Title\n\nAdditional recommendations\n\nData and digital\n\nThe platform grows.")
    [(_, sec)] = sections(doc)
    assert sec == ("Additional recommendations", "Data and digital")


def test_markdown_heading_levels_make_the_path(tiny_settings):
    doc = next(d for d in load_sources(tiny_settings.sources_dir).documents if d.id == "alpha")
    c = chunk_document(doc)
    by_text = {s.text: s for s in c.sentences}
    assert by_text["We welcome the widget fund."].section == ("Alpha view",)
    item = by_text["a national widget fund worth £40 million"]
    assert item.context == "The key recommendations include:"


def test_anaphoric_sentence_carries_the_one_before_as_context(tiny_settings):
    doc = next(d for d in load_sources(tiny_settings.sources_dir).documents if d.id == "alpha")
    s = next(s for s in chunk_document(doc).sentences if s.text.startswith("However"))
    assert s.context == "We welcome the widget fund."


def test_long_paragraphs_are_split_to_fit_the_budget():
    sentence = "The integrated care board agreed a long and detailed plan for local services. "
    doc = doc_from("Title\n\nSection\n\n" + sentence * 40)
    params = ChunkParams(max_tokens=60, target_tokens=50)
    c = chunk_document(doc, word_count, params)
    assert len(c.chunks) > 5
    for ch in c.chunks:
        assert word_count(ch.embed_text) <= 60
        assert doc.text[ch.start:ch.end] == ch.text


def test_an_overlong_sentence_is_cut_at_clause_boundaries():
    doc = doc_from("Title\n\nSection\n\n" + ", ".join(["the board agreed another item"] * 60) + ".")
    c = chunk_document(doc, word_count, ChunkParams(max_tokens=40, target_tokens=30))
    assert all(word_count(s.text) <= 40 for s in c.sentences)
    assert "".join(s.text for s in c.sentences).replace(" ", "") == doc.text.split("\n\n")[-1].replace(" ", "")


@pytest.mark.e2e
def test_no_seed_chunk_or_sentence_is_truncated_by_the_model(real_embedder):
    from pathlib import Path

    from assistant.building.store import sentence_embed_text

    limit = real_embedder.max_tokens
    for doc in load_sources(Path(__file__).resolve().parent.parent / "sources").documents:
        c = chunk_document(doc, real_embedder.count_tokens)
        for ch in c.chunks:
            assert real_embedder.count_tokens(ch.embed_text) <= limit, ch.text[:80]
        for s in c.sentences:
            assert real_embedder.count_tokens(sentence_embed_text(doc, s.section, s.context, s.text)) <= limit


def test_list_items_that_are_only_links_are_not_quotable():
    doc = doc_from("Title\n\nStakeholder reactions\n\n- [Org A: Org A responds to the review](#)\n"
                   "- Org B says the review is welcome.")
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["heading", "heading", "link", "item"]
    c = chunk_document(doc)
    assert [s.text for s in c.sentences] == ["Org B says the review is welcome."]
    assert "Org A responds" in doc.text  # still in the text the viewer shows


def test_one_speaker_written_several_ways_is_one_label():
    """A transcript writes a witness's label in another case, with the given name and role on the first
    turn, or misspelt once: all are the witness's turns (whose "I" and "we" the document's voice is)."""
    raw = ("MS. ADA QUILL, CHAIR, LAMPLIGHTERS UNION: Good afternoon. We oppose the levy on lanterns.\n\n"
           "MS. QUILL: The levy was never costed.\n\nMs. QUILL: Night shifts come first.\n\n"
           "MS. QUILLL: We will say so again.\n\nCHAIR OAK: Thank you.\n\nCHAIR OAK: Next witness.\n")
    c = chunk_document(doc_from(raw, "Lamplighters Union"))
    speakers = {s.text: s.speaker for s in c.sentences}
    assert speakers["Good afternoon."] == speakers["We will say so again."] == speakers["Night shifts come first."]
    assert speakers["Thank you."] == "CHAIR OAK" != speakers["Good afternoon."]
    assert not any("LAMPLIGHTERS" in s.text for s in c.sentences)  # the role is the label's, not what was said


def test_labels_of_other_people_stay_apart():
    from assistant.building.chunk import same_speaker
    assert same_speaker("MR. UTANO", "Mr. UTANO") and same_speaker("MS. RICHARDON", "MS. RICHARDSON")
    assert same_speaker("MS. RACHAEL FAUSS", "MS. FAUSS")
    assert not same_speaker("CHAIR KENNEDY", "MR. KENNEDY")  # another form of address: maybe two people
    assert not same_speaker("MR. FOYE", "MR. ROE") and not same_speaker("MS. FAUSS", "MS. GAUSS")
