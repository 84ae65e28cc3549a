"""Split documents along their structure: sections, passages (chunks) and sentences.

Every chunk and sentence records the offsets of its text in the document text, so
`doc.text[start:end] == text` always holds and any quote can be checked.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .ingest import SUBJECT_PRONOUNS, Block, Document

CountTokens = Callable[[str], int]

# Headings that announce whose view follows ("BMA view", "Our response", "NHS Providers view"):
# they nest under the section they comment on.
VIEW_HEADING = re.compile(r"\b(view|views|response|reaction|reactions|comment|comments|position|verdict|take|statement)\b", re.I)
# Sentences that lean on the one before: the quote needs its antecedent to be understood and found.
ANAPHORIC = re.compile(
    r"^(?:[\"“‘']?)(?:this|these|those|that|it|its|they|their|them|she|he|her|his|such|both|also|however|but|"
    r"instead|likewise|similarly|furthermore|moreover|in addition|additionally|in particular|as a result|"
    r"consequently|therefore|thus|meanwhile|nonetheless|nevertheless|despite this|that said|notably|"
    r"for example|for instance|specifically|chiefly|"
    r"the department|the review|the committee|the government|the report|the proposals?)\b",
    re.I,
)


ITEM_MARKER = re.compile(r"^(?:[-*+•·▪◦–]|\d{1,3}[.)]|[a-z][.)]|\([a-z0-9]{1,3}\))\s+")


# A transcript turn: "Mr Stanton: My Lady, ...", "Lady Hallett: Thank you." A label counts when it has a form of
# address or labels two or more paragraphs of the document.
# "MS. FAUSS: ...", and a turn that opens with the speaker's role in capitals ("MS. RACHAEL FAUSS, SENIOR
# RESEARCH ANALYST, REINVENT ALBANY: Good afternoon"): the label is the name; the role is not what was said.
SPEAKER_LABEL = re.compile(r"((?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’.-]*)(?:,\s+[^a-z:\n]{2,160}?)?:\s+(?=\S)")
ADDRESS = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Baroness|Baron|Senator|Sen|Rep|"
                     r"President|Chair|Chairman|Chairwoman|Madam|Judge|Justice|Councillor|Cllr)\.?\s", re.I)


def speaker_labels(doc: Document) -> set[str]:
    """Labels that mark transcript turns in this document."""
    counts: dict[str, int] = {}
    for b in doc.blocks:
        if b.kind == "paragraph" and (m := SPEAKER_LABEL.match(doc.text, b.start, b.end)):
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return {label for label, n in counts.items() if n >= 2 or ADDRESS.match(label + " ")}


def same_speaker(a: str, b: str) -> bool:
    """Two labels of one speaker in a transcript: the same name in another case or with the given name
    ("Mr. UTANO", "MS. RACHAEL FAUSS" / "MS. FAUSS"), or misspelt once ("MR. DEJESU"). Not another
    form of address ("CHAIR KENNEDY" / "MR. KENNEDY" may be two people)."""
    wa, wb = a.upper().split(), b.upper().split()
    if not wa or not wb or (len(wa) > 1 and len(wb) > 1 and ADDRESS.match(a + " ") and ADDRESS.match(b + " ")
                            and wa[0].rstrip(".") != wb[0].rstrip(".")):
        return False
    x, y = wa[-1].strip(".,'’"), wb[-1].strip(".,'’")
    return x == y or min(len(x), len(y)) >= 5 and difflib.SequenceMatcher(None, x, y).ratio() >= 0.85


def one_label_each(sentences: list[Sentence]) -> list[Sentence]:
    """Each speaker's turns under one label, the one most used: a transcript writes one speaker's label
    several ways, and who speaks most is who the document's "I" and "we" are."""
    counts: dict[str, int] = {}
    for s in sentences:
        if s.speaker:
            counts[s.speaker] = counts.get(s.speaker, 0) + 1
    as_: dict[str, str] = {}
    for label in sorted(counts, key=lambda k: -counts[k]):
        as_[label] = next((head for head in dict.fromkeys(as_.values()) if same_speaker(label, head)), label)
    return [replace(s, speaker=as_[s.speaker]) if s.speaker and as_[s.speaker] != s.speaker else s for s in sentences]


ELABORATION = re.compile(r"^(?:notably|for example|for instance|specifically|in particular|consequently|as a result)\b", re.I)


@dataclass(frozen=True)
class ChunkParams:
    """Chunking settings; recorded in the index manifest so a change forces a rebuild."""

    max_tokens: int = 250  # the model reads 256 word pieces including [CLS] and [SEP]
    target_tokens: int = 160  # passages are grown up to about this size


@dataclass(frozen=True)
class Chunk:
    """A passage: whole paragraphs (or list items) of one section, contiguous in the text."""

    source_id: str
    ordinal: int
    section: tuple[str, ...]
    start: int
    end: int
    text: str
    embed_text: str


@dataclass(frozen=True)
class Sentence:
    """A sentence or list item: the unit quotes are made from."""

    source_id: str
    ordinal: int
    chunk: int  # ordinal of the chunk that holds it
    section: tuple[str, ...]
    start: int
    end: int
    text: str
    block_start: int  # the paragraph (or list item) it sits in
    block_end: int
    context: str  # what the sentence leans on: a list lead-in or the sentence before
    item: bool = False  # a list item rather than a sentence of a paragraph
    speaker: str = ""  # the label of the transcript turn it is in ("Lady Hallett"), if any


@dataclass
class Chunked:
    chunks: list[Chunk] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)


def word_count(text: str) -> int:
    """A stand-in token counter for tests; the real one is the model's tokenizer."""
    return len(text.split())


def sections(doc: Document) -> list[tuple[Block, tuple[str, ...]]]:
    """Each non-heading block with its section path (heading titles, outermost first)."""
    out: list[tuple[Block, tuple[str, ...]]] = []
    stack: list[tuple[int, str]] = []  # (level, title)
    prev_heading = False
    # A view heading that recurs ("BMA view" after each theme, "Our response" after each question) comments on
    # the section before it; one that comes once ("NHS Providers view" closing a briefing, "Press statement")
    # is a section of its own, and the section before it ends there.
    said = Counter(" ".join(doc.text[b.start:b.end].lower().split()) for b in doc.blocks if b.kind == "heading")
    for i, b in enumerate(doc.blocks):
        if b.kind != "heading":
            out.append((b, tuple(t for _, t in stack)))
            prev_heading = False
            continue
        title = doc.text[b.start:b.end]
        if i == 0 and b.level == 1:
            prev_heading = False
            continue  # the document title is not a section
        if b.level >= 1:
            level = b.level
        elif VIEW_HEADING.search(title) and len(title.split()) <= 6 and stack and said[" ".join(title.lower().split())] > 1:
            level = stack[0][0] + 1  # "BMA view" comments on the section it follows
        elif prev_heading and stack:
            level = stack[-1][0] + 1  # a heading straight after a heading is its subsection
        else:
            level = 2
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        prev_heading = True
    return out


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence boundaries inside text[start:end], as absolute offsets with whitespace trimmed."""
    import sentencex  # rule-based, fast, and keeps every character so offsets add up

    spans: list[tuple[int, int]] = []
    pos = start
    for piece in sentencex.segment("en", text[start:end]):
        s, e = pos, pos + len(piece)
        pos = e
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    assert pos == end, "sentence segmenter dropped characters"
    return merge_fragments(text, spans)


STAGE_DIRECTION = re.compile(r"^\([A-Z][^()]{0,30}\)\s+(?=[A-Z\"“‘'])")
# "He said:" is short but a sentence: it introduces the quotation that follows (attribution reads it).
INTRODUCTION = re.compile(rf"(?:{'|'.join(SUBJECT_PRONOUNS)})\s+[a-z]+:", re.I)


def merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Glue pieces that are not sentences on their own (e.g. "e.g." splits, a lone bracket) to their neighbour.
    A transcript's stage direction opening a sentence ("(Applause.) We need ...") ends the one before."""
    split: list[tuple[int, int]] = []
    for s, e in spans:
        m = STAGE_DIRECTION.match(text[s:e])
        if m and split:
            split.append((s, s + len(m.group(0).rstrip())))
            s += m.end()
        split.append((s, e))
    out: list[tuple[int, int]] = []
    for s, e in split:
        piece = text[s:e]
        if out and (len(piece.split()) < 3 and not INTRODUCTION.fullmatch(piece) or piece[:1].islower()):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def split_long(text: str, s: int, e: int, fits: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Cut an over-long sentence at clause boundaries (or words) so each piece fits the model."""
    if fits(text[s:e]):
        return [(s, e)]
    cut = None
    mid = (s + e) // 2
    for m in re.finditer(r"[;,–—:]\s+|\s+", text[s:e]):
        pos = s + m.end()
        if cut is None or abs(pos - mid) < abs(cut - mid) or (m.group().strip() and abs(pos - mid) < (e - s) // 4):
            cut = pos
    if cut is None or cut <= s or cut >= e:
        return [(s, e)]
    left_end = cut
    while left_end > s and text[left_end - 1].isspace():
        left_end -= 1
    return split_long(text, s, left_end, fits) + split_long(text, cut, e, fits)


def header(doc: Document, section: Sequence[str]) -> str:
    parts = [p for p in (doc.publisher, " > ".join(section) or doc.title) if p]
    return " | ".join(parts)


def chunk_document(doc: Document, count_tokens: CountTokens = word_count, params: ChunkParams = ChunkParams()) -> Chunked:
    """Passages that follow paragraph boundaries within a section, and the sentences inside them."""
    out = Chunked()
    budget = params.max_tokens

    def fits(text: str) -> bool:
        return count_tokens(text) <= budget

    # Group blocks by section, then into passages no bigger than the target.
    groups: list[tuple[tuple[str, ...], list[Block]]] = []
    for block, section in sections(doc):
        if block.kind == "link":
            continue
        if groups and groups[-1][0] == section:
            groups[-1][1].append(block)
        else:
            groups.append((section, [block]))

    for section, blocks in groups:
        head = header(doc, section)
        # Units: whole blocks, or sentence runs for blocks too big to embed whole.
        units: list[tuple[int, int]] = []
        for b in blocks:
            if fits(head + "\n" + doc.text[b.start:b.end]):
                units.append((b.start, b.end))
            else:
                units.extend(split_to_fit(doc.text, b, head, fits, params.target_tokens, count_tokens))
        current: list[tuple[int, int]] = []
        for u in units:
            if current:
                candidate = head + "\n" + doc.text[current[0][0]:u[1]]
                if count_tokens(candidate) > params.target_tokens or not fits(candidate):
                    add_chunk(out, doc, section, head, current[0][0], current[-1][1])
                    current = []
            current.append(u)
        if current:
            add_chunk(out, doc, section, head, current[0][0], current[-1][1])

    add_sentences(out, doc, fits)
    out.sentences[:] = one_label_each(out.sentences)
    return out


def split_to_fit(text: str, b: Block, head: str, fits: Callable[[str], bool], target: int, count: CountTokens) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, b.start, b.end):
        for ps, pe in split_long(text, s, e, lambda t: fits(head + "\n" + t)):
            if pieces and fits(head + "\n" + text[pieces[-1][0]:pe]) and count(head + "\n" + text[pieces[-1][0]:pe]) <= target:
                pieces[-1] = (pieces[-1][0], pe)
            else:
                pieces.append((ps, pe))
    return pieces


def add_chunk(out: Chunked, doc: Document, section: tuple[str, ...], head: str, start: int, end: int) -> None:
    text = doc.text[start:end]
    out.chunks.append(Chunk(doc.id, len(out.chunks), section, start, end, text, head + "\n" + text))


def add_sentences(out: Chunked, doc: Document, fits: Callable[[str], bool]) -> None:
    lead_in = ""
    last_sentence = ""
    chunk_i = 0
    last_section: tuple[str, ...] | None = None
    labels = speaker_labels(doc)
    speaker = ""
    for block, section in sections(doc):
        if block.kind == "link":
            continue  # navigation, not statements
        body = doc.text[block.start:block.end]
        if section != last_section:
            last_sentence = ""  # a new section does not lean on the one before
        if block.kind == "paragraph" or section != last_section:
            lead_in = body if block.kind == "paragraph" and body.endswith(":") else ""
        last_section = section
        prev = ""
        start = block.start
        if block.kind == "item":
            marker = ITEM_MARKER.match(body)
            start += marker.end() if marker else 0  # quotes hold the item's words, not its bullet
        label = SPEAKER_LABEL.match(body) if labels else None
        if label and label.group(1) in labels:
            speaker = label.group(1)  # a turn lasts until the next label
            start += label.end()  # quotes hold what was said, not who is speaking
        for s, e in sentence_spans(doc.text, start, block.end):
            for ps, pe in split_long(doc.text, s, e, fits):
                while chunk_i + 1 < len(out.chunks) and out.chunks[chunk_i].end <= ps:
                    chunk_i += 1
                text = doc.text[ps:pe]
                if block.kind == "item" and lead_in:
                    context = lead_in
                elif prev and ANAPHORIC.match(text):
                    context = prev
                elif not prev and last_sentence and block.kind == "paragraph" and ELABORATION.match(text):
                    context = last_sentence  # "Notably, ..." opening a paragraph spells out the one before
                else:
                    context = ""
                out.sentences.append(Sentence(doc.id, len(out.sentences), chunk_i, section, ps, pe, text,
                                              block.start, block.end, context, block.kind == "item", speaker))
                prev = text
                last_sentence = text
