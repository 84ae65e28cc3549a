"""Normalisation: what the text served and quoted from looks like, and how bad files are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.building.ingest import clean_inline, load_sources, text_to_blocks, finish, assemble


def render(raw: str) -> str:
    return assemble(finish(text_to_blocks(raw)))[0]


def test_markdown_links_bold_and_html_tags_become_plain_text():
    assert clean_inline("See [the review](#) and **this** <u>Committee</u> &amp; [x](http://a.b/(c))") == \
        "See the review and this Committee & x"


def test_sentence_broken_across_page_break_is_rejoined():
    text = render("Enabling ICBs to set targets should encourage them to become\n\n\n\nmore responsive to need.")
    assert text == "Enabling ICBs to set targets should encourage them to become more responsive to need."


def test_heading_followed_by_capitalised_paragraph_is_not_joined():
    text, blocks = assemble(finish(text_to_blocks("BMA view\n\nWe welcome this.")))
    assert [b.kind for b in blocks] == ["heading", "paragraph"]
    assert text == "BMA view\n\nWe welcome this."


def test_a_line_introducing_a_quotation_is_a_paragraph_not_a_heading():
    text, blocks = assemble(finish(text_to_blocks("Key findings\n\nThe plan works.\n\nHe said:\n\n\"It works.\"")))
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph", "paragraph"]
    assert "He said:" in text


def test_a_title_set_in_title_case_is_a_heading_even_with_a_full_stop():
    raw = ("The Lamp Courts Continued, and the Powers of the Lantern Board.\n\n"
           "Mr Quill: Thank you.\n\nLady Roe: Mr Quill.\n\nThe Lamp Board Meets Today.\n\nIt meets at noon.")
    _, blocks = assemble(finish(text_to_blocks(raw)))
    # a speaker's turn and a sentence stay paragraphs
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph", "heading", "paragraph"]
    _, blocks = assemble(finish(text_to_blocks("We welcome the Lantern Board.\n\nIt meets at noon.")))
    assert [b.kind for b in blocks] == ["paragraph", "paragraph"]


def test_repeated_page_header_and_newsletter_footer_are_dropped():
    raw = ("Site banner: the first 100 days\nSite banner: the first 100 days\n\nThe real title\n\n"
           "Words by:\nApril 5, 2023\n\nA real paragraph of the article that says something useful.\n\n"
           "Share this content:\n\nRegister for insights\n\nSpeak to us\n020 7222 9500\n\n"
           "Sign Up\nComplete the form below to sign up to our newsletter:\n\n"
           "By submitting this form you agree to the Privacy Policy.")
    text = render(raw)
    assert "Site banner" not in text and "Words by" not in text
    assert "newsletter" not in text and "020 7222" not in text and "Privacy" not in text
    assert text.startswith("The real title") and "A real paragraph" in text


def test_a_paragraph_that_mentions_sharing_is_kept():
    text = render("Title line\n\nWe share this view with the council.\n\nThe end of the article is here.")
    assert "We share this view" in text


def test_list_items_are_blocks_of_their_own():
    _, blocks = assemble(finish(text_to_blocks("The key points:\n\n- one thing\n- another thing\n1. numbered")))
    assert [b.kind for b in blocks] == ["paragraph", "item", "item", "item"]


def test_seed_texts_are_clean(tmp_path):
    loaded = load_sources(Path(__file__).resolve().parent.parent / "sources")
    assert not loaded.problems
    assert len(loaded.documents) == 5
    for d in loaded.documents:
        assert "](#)" not in d.text and "<u>" not in d.text and "**" not in d.text
        assert "\n\n\n" not in d.text
        for b in d.blocks:
            assert d.text[b.start:b.end].strip() == d.text[b.start:b.end] != ""
    wa = next(d for d in loaded.documents if d.publisher == "WA Communications")
    assert "newsletter" not in wa.text and "Hitting the ground running" not in wa.text
    assert wa.text.rstrip().endswith("remains to be seen.")
    bma = next(d for d in loaded.documents if d.id == "bma-government-response")
    assert "should encourage them to become more responsive" in bma.text


def test_catalog_and_front_matter_give_metadata(tiny_settings):
    loaded = load_sources(tiny_settings.sources_dir)
    by_id = {d.id: d for d in loaded.documents}
    assert set(by_id) == {"alpha", "beta-response"}
    assert by_id["alpha"].publisher == "Alpha Health Trust"
    assert by_id["alpha"].title == "Alpha Health Trust briefing on the Widget Review"
    assert by_id["beta-response"].publisher == "Beta Council"
    assert by_id["beta-response"].title == "Beta Council response to the Widget Review"
    assert "closure without new money" in by_id["beta-response"].text
    assert "rural clinics, which face closure" in by_id["beta-response"].text


def write(folder: Path, name: str, data: bytes | str) -> None:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def test_bad_files_are_reported_by_name_and_reason_and_the_rest_indexed(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("Top secret text that must never be indexed.")
    write(src, "good.txt", "Good title\n\nA perfectly good paragraph about widgets.")
    write(src, "latin1.txt", "Caf\xe9 au lait".encode("latin-1"))
    write(src, "binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(src, "empty.txt", b"")
    write(src, "blank.txt", "   \n\n  ")
    write(src, "slides.pptx", b"PK\x03\x04")
    write(src, "broken.pdf", b"%PDF-1.4 this is not really a pdf")
    write(src, "broken.docx", b"PK\x03\x04 not really a zip")
    write(src, "bulk.jsonl", "\n".join([
        json.dumps({"id": "j1", "title": "One", "text": "First bulk document text."}),
        "{not json",
        json.dumps({"id": "j2", "title": "Two"}),
        json.dumps({"id": "good", "text": "Same id as good.txt."}),
    ]))
    (src / "link.txt").symlink_to(outside)
    big = "word " * 300_000
    write(src, "huge.txt", big)
    loaded = load_sources(src, max_bytes=1_000_000)
    assert sorted(d.id for d in loaded.documents) == ["good", "j1"]
    assert next(d for d in loaded.documents if d.id == "good").file == "bulk.jsonl:4"
    reasons = {p.file: p.reason for p in loaded.problems}
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "binary" in reasons["binary.md"]
    assert "empty" in reasons["empty.txt"] and "empty" in reasons["blank.txt"]
    assert "unsupported" in reasons["slides.pptx"]
    assert "PDF" in reasons["broken.pdf"]
    assert "broken Word file" in reasons["broken.docx"]
    assert "not valid JSON" in reasons["bulk.jsonl:2"]
    assert "text" in reasons["bulk.jsonl:3"]
    # Files are read in name order: the first to claim an id keeps it, the later one is reported.
    assert "duplicate source id 'good'" in reasons["good.txt"]
    assert "outside" in reasons["link.txt"]
    assert "too large" in reasons["huge.txt"]
    assert all("secret" not in d.text.lower() for d in loaded.documents)


def test_html_source_is_rendered_to_text_with_headings(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write(src, "page.html", """<html><head><title>Gamma page</title><meta property="og:site_name" content="Gamma Org">
    <script>alert('x')</script><style>p{}</style></head><body><nav>Home | About</nav>
    <h1>Gamma view on widgets</h1><p>We <b>support</b> the <a href="#">widget fund</a>.</p>
    <ul><li>First point</li><li>Second point</li></ul><footer>Copyright Gamma</footer></body></html>""")
    [doc] = load_sources(src).documents
    assert doc.title == "Gamma page" and doc.publisher == "Gamma Org"
    assert doc.text == "Gamma view on widgets\n\nWe support the widget fund .\n\nFirst point\n\nSecond point" or \
        doc.text == "Gamma view on widgets\n\nWe support the widget fund.\n\nFirst point\n\nSecond point"
    assert "alert" not in doc.text and "Home" not in doc.text and "Copyright" not in doc.text


def minimal_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF with the given text lines (Helvetica), built by hand."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({ln}) Tj T*" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def test_pdf_source_is_read(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write(src, "report.pdf", minimal_pdf(["Delta report", "The delta board welcomes the plan.", "It was agreed in May."]))
    [doc] = load_sources(src).documents
    assert "The delta board welcomes the plan." in doc.text


def test_a_word_file_in_the_sources_is_read_with_its_headings_and_properties(tmp_path):
    docx = pytest.importorskip("docx")  # python-docx writes a real .docx for the test
    d = docx.Document()
    d.core_properties.title = "Lantern review"
    d.core_properties.author = "Guild of Lamplighters"
    d.add_heading("Guild view", level=1)
    d.add_paragraph("We oppose the levy on lanterns. It would leave the streets too dim.")
    d.save(tmp_path / "review.docx")
    loaded = load_sources(tmp_path)
    assert not loaded.problems
    (doc,) = loaded.documents
    assert doc.title == "Lantern review" and doc.publisher == "Guild of Lamplighters"
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "heading"] == ["Guild view"]
    assert "We oppose the levy on lanterns." in doc.text
