"""What each sentence is, read once by the build: the signals retrieval ranks by that depend on the corpus
alone (is it furniture, does it run the proceedings, is it a question, does it give a reason ...).

They were computed by every server process as it loaded the index, from every sentence's text. Computed
here, they are stored with the rows (signals.npz in the build folder, and as scalar fields in Milvus), so a
server reads them for its candidates only and needs no corpus text to rank.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..language import terms
from ..language.actors import TITLES, Actors
from .attribution import is_quotation

if TYPE_CHECKING:
    from .ingest import Document
    from .rows import SentenceRow

# Words that give a reason for a view.
REASON_WORDS = re.compile(r"\b(?:because|since|as a result|due to|given (?:that|the)|owing to|so that|"
                          r"therefore|thus|otherwise|risks?|would (?:mean|lead|undermine|leave)|means that|"
                          r"the reason|this is why|which is why)\b", re.I)
ASIDE_WORDS = 6  # an aside is this short at most ("Thank you very much, my Lady.")
TITLE_SHARE = 0.6  # of an opening paragraph's content words that are its document's title's: it is the title
FURNITURE_WORDS = 2  # a paragraph with no more content words than this is an aside, not a statement
# A speaker's label opening a paragraph of a transcript: "Q7 Stephen Metcalfe:", "Mr. SMITH.", "Sureyya Cansoy:".
TURN_LABEL = re.compile(r"^\s*(?:Q\d+\s+)?((?:(?:Mr|Mrs|Ms|Dr|Sir|Dame|Lord|Lady|The)\.?\s+)?[A-Z][\w'’.-]*"
                        r"(?:\s+[A-Z][\w'’.-]*){0,4})\s*:\s")
# How proceedings are run in speech and transcripts, in any genre: greetings, thanks, introductions, the floor.
FORMULA = re.compile(r"^\W*(?:good (?:morning|afternoon|"
                     r"evening)|thank you|thanks(?!\s+to\b)|my name is|i am (?-i:[A-Z])|i'm (?-i:[A-Z])|let me (?:introduce|start by)|"
                     r"i (?:rise|yield)|(?:mr|madam)\.? (?:speaker|president|chair(?:man)?)\b|"
                     # "I'm the senior research analyst for X.", "... and I'm the executive director of X": who speaks
                     r"(?:[^.]*\band )?(?:i'm|i am) (?:the|a|an) (?:[\w-]+ ){0,3}(?:" + "|".join(terms.ROLE_NOUNS) + r")s? "
                     r"(?:of|for|at|with)\b"
                     r"(?![^.]*\b(?:and|but|so) (?:we|i)\b))", re.I)  # not "..., and we oppose the cuts"

# The signals, in the order a store keeps them; `content` and `generic` are in 0..1, the rest are flags.
FLAGS = ("introduces", "procedural", "asks", "reason", "furniture")
NAMES = (*FLAGS, "content", "generic")


@dataclass(frozen=True)
class Signals:
    """Per sentence row, as arrays (row i is sentence row i)."""

    introduces: np.ndarray  # a line introducing a quotation ("X, chief executive of Y, said:"): says who speaks
    procedural: np.ndarray  # runs the proceedings: another speaker's turn, a greeting, thanks, an introduction
    asks: np.ndarray  # it is a question
    reason: np.ndarray  # it gives a reason ("because", "risks", "would mean")
    furniture: np.ndarray  # never evidence: a repeated line, an aside, a line restating the title
    content: np.ndarray  # how much it says, 0..1 (content words, up to 12)
    generic: np.ndarray  # closeness to the corpus's centre (hubness): near every question, so it says little

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in NAMES}

    @classmethod
    def from_arrays(cls, arrays) -> Signals:
        return cls(**{name: np.asarray(arrays[name]) for name in NAMES})


def content_words(words: list[str], names: set[str]) -> int:
    """Words that carry content: not function words, not names, not forms of address."""
    return sum(1 for w in words if w not in terms.STOPWORDS and w not in names and w not in TITLES and not w.isdigit())


def read_signals(docs: dict[str, Document], rows: Sequence[SentenceRow], actors: Actors, svec: np.ndarray,
                 paragraph: np.ndarray) -> Signals:
    """Every sentence's signals, from the documents' text, the rows (and their paragraph_numbers), the cast and
    the sentence vectors."""
    texts = [docs[s.source_id].text[s.start:s.end] for s in rows]
    content, length = content_of(texts, actors)
    # Furniture is never evidence: a repeated line, or a paragraph of a couple of words that says nothing
    # ("Yes.", "Try again.", "Thank you, my Lady."): a transcript's asides, a page's labels.
    # A sentence that names its topic in a full clause ("The council has no view on compensation.") is
    # a statement however few content words it has: asides are short.
    words_in_paragraph = np.zeros(int(paragraph.max()) + 1 if len(paragraph) else 0, np.float32)
    np.add.at(words_in_paragraph, paragraph, content * 12)
    furniture = (content == 0) | ((content * 12 <= FURNITURE_WORDS) & (length <= ASIDE_WORDS) &
                                  (words_in_paragraph[paragraph] <= FURNITURE_WORDS))
    furniture |= title_lines(docs, rows, texts)
    return Signals(
        introduces=introductions(rows, texts),
        procedural=procedural(docs, rows, texts),
        asks=np.asarray([t.rstrip().rstrip("\"'”’)").endswith("?") for t in texts], bool),
        reason=np.asarray([bool(REASON_WORDS.search(t)) for t in texts], bool),
        furniture=furniture,
        content=content,
        generic=generic(svec),
    )


def paragraph_numbers(rows: Sequence[SentenceRow]) -> np.ndarray:
    """Each sentence row's paragraph number (paragraphs numbered in reading order)."""
    ids: dict[tuple[str, int], int] = {}
    return np.asarray([ids.setdefault((s.source_id, s.block_start), len(ids)) for s in rows], np.int64)


def introductions(rows: Sequence[SentenceRow], texts: list[str]) -> np.ndarray:
    """A line introducing a quotation ("Sir Julian Hartley, chief executive of NHS Providers, said:") says
    who speaks; the quotation after it says what."""
    out = np.zeros(len(rows), bool)
    for i in range(len(rows) - 1):
        nxt = rows[i + 1]
        if (nxt.source_id == rows[i].source_id and nxt.block_start != rows[i].block_start
                and texts[i].rstrip().endswith(":") and is_quotation(texts[i + 1])):
            out[i] = True
    return out


def procedural(docs: dict[str, Document], rows: Sequence[SentenceRow], texts: list[str]) -> np.ndarray:
    """Sentences that run the proceedings: a turn of another speaker than the document's own (a chair's or
    a member's questions in a witness's transcript: the label names no one of the document's title,
    publisher or speaker), a greeting, thanks or an introduction. (Not every question: an essay's or a
    speech's rhetorical questions state its views.)"""
    own = {d.id: set(terms.words(f"{d.title} {d.publisher} {d.speaker or ''}")) for d in docs.values()}
    out = np.zeros(len(rows), bool)
    labels: dict[tuple[str, int], bool] = {}
    for i, s in enumerate(rows):
        key = (s.source_id, s.block_start)
        if key not in labels:
            doc = docs[s.source_id].text
            m = TURN_LABEL.match(doc[s.block_start:s.block_start + 120])
            names = [w for w in terms.words(m.group(1)) if w not in TITLES] if m else []
            labels[key] = bool(names) and not set(names) & own[s.source_id]
        out[i] = labels[key] or bool(FORMULA.match(TURN_LABEL.sub("", texts[i], count=1)))
    return out


def title_lines(docs: dict[str, Document], rows: Sequence[SentenceRow], texts: list[str]) -> np.ndarray:
    """A document's opening paragraph that restates its title ("House of Commons ... committee, oral
    evidence on ...: evidence of X, Y, 18 June 2014"): a label, not a statement. Most of its words are
    the title's."""
    out = np.zeros(len(rows), bool)
    first: dict[str, int] = {}
    for i, s in enumerate(rows):
        first.setdefault(s.source_id, s.block_start)
        if s.block_start != first[s.source_id]:
            continue
        title = set(terms.words(docs[s.source_id].title or ""))
        words = [w for w in terms.words(texts[i]) if w not in terms.STOPWORDS]
        out[i] = bool(title) and len(words) > 0 and sum(w in title for w in words) >= TITLE_SHARE * len(words)
    return out


def content_of(texts: list[str], actors: Actors) -> tuple[np.ndarray, np.ndarray]:
    """How much each sentence says (0..1), and its length in words. Formulas, salutations and lines of
    names say little; a line repeated three or more times across the corpus (a sign-off, a running
    header) says nothing."""
    names: set[str] = set()
    for a in actors.actors:
        for alias in (a.name, *a.aliases):
            names.update(terms.words(alias))
    words = [terms.words(t) for t in texts]
    keys = [" ".join(w) for w in words]
    counts: dict[str, int] = {}
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    out = np.zeros(len(words), np.float32)
    for i, (w, k) in enumerate(zip(words, keys)):
        if counts[k] < 3:
            out[i] = min(content_words(w, names), 12) / 12
    return out, np.asarray([len(w) for w in words], np.int32)


def generic(svec: np.ndarray) -> np.ndarray:
    """How close each sentence is to the corpus's centre: a sentence near everything is near every question
    (hubness), so its closeness to one says little (retrieve.py)."""
    if not len(svec):
        return np.zeros(0, np.float32)
    centre = svec.mean(0)
    centre /= np.linalg.norm(centre) or 1.0
    return (svec @ centre).astype(np.float32)
