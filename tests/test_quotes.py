"""Quote spans on a made-up text (fake embedder: spans depend on the text's structure, not on scores)."""

from __future__ import annotations

from conftest import one_document

from assistant.answering.quotes import QuoteMaker

TEXT = """# Lamp levy briefing

The union backs reform of street lighting in principle. However, there are serious doubts about how the levy would work in practice.

Notably, nobody can say how much the levy would raise in a year. The union will write to the ministry about it.

The union also wants longer night shifts to end soon. The ministry has not replied to its letters.

The union met the ministry twice this spring to discuss lamps.

On the ministry's reply, Ada Quill, chair of the union, said:

"The reply is late and it is thin. We expected better."
"""


def test_a_paragraph_that_completes_the_last_sentence_joins_its_quote(tmp_path, fake_embedder):
    index = one_document(tmp_path, fake_embedder, "levy.md", TEXT, "Union of Lamplighters")
    row = {index.text(s): i for i, s in enumerate(index.sentences)}
    maker = QuoteMaker(index)

    doubts = row["However, there are serious doubts about how the levy would work in practice."]
    quote = maker.make([doubts], [1.0], 1)[0]
    assert quote.text.endswith("Notably, nobody can say how much the levy would raise in a year.")
    doc = index.documents["levy"].text
    assert doc[quote.start:quote.end] == quote.text
    assert doc[quote.passage_start:quote.passage_end] == quote.passage and quote.start >= quote.passage_start
    assert quote.passage.endswith("The union will write to the ministry about it.")

    # A paragraph that does not open by spelling out the one before stays apart.
    replied = row["The ministry has not replied to its letters."]
    assert "met the ministry" not in maker.make([replied], [1.0], 1)[0].text

    # "X said:" introduces what was said: the quote shows it.
    said = row["On the ministry's reply, Ada Quill, chair of the union, said:"]
    assert '"The reply is late and it is thin.' in maker.make([said], [1.0], 1)[0].text


def test_a_sentence_whose_neighbours_are_already_quoted_is_still_quoted(tmp_path, fake_embedder):
    # The first quote takes "The plan is late." with the sentence after it; the next best sentence would
    # be quoted with that same sentence before it and the one after, too long to join the first: it is
    # quoted without the overlap, not dropped.
    text = ("# Lamp plan\n\nThe plan is late. The ministry published it in May after long delays and much argument. "
            "It also proposes a levy on every lamp in the kingdom from next year onwards. "
            "Notably, nobody can say how much the levy would raise in a year.\n")
    index = one_document(tmp_path, fake_embedder, "plan.md", text, "Union of Lamplighters")
    row = {index.text(s): i for i, s in enumerate(index.sentences)}
    maker = QuoteMaker(index)
    late, levy = row["The plan is late."], row["It also proposes a levy on every lamp in the kingdom from next year onwards."]
    by_row = {late: 1.0, levy: 0.95}
    assert maker.span(levy, 0.95, by_row, frozenset())[0] < levy  # alone, its quote would open a sentence earlier
    quotes = maker.make([late, levy], [1.0, 0.95], 3)
    assert len(quotes) == 2
    assert quotes[0].text.startswith("The plan is late.") and "proposes" not in quotes[0].text
    assert quotes[1].text.startswith("It also proposes a levy")
