"""The rows of a build, as the build folder's tables and the store hold them: passages, sentences, and each
document without its text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChunkRow:
    source_id: str
    ordinal: int
    section: tuple[str, ...]
    start: int
    end: int
    key: str  # hash of the text the model embedded: equal keys may share a vector across builds


@dataclass(frozen=True)
class SentenceRow:
    source_id: str
    chunk: int  # row in the chunk table
    section: tuple[str, ...]
    start: int
    end: int
    block_start: int
    block_end: int
    context: str
    actor: str | None
    key: str  # hash of the sentence as embedded with its heading and context
    bare_key: str  # hash of the sentence alone (its parse facts are reused by it)
    item: bool = False  # a list item (its context is the list's lead-in)
    stance: str = "describes"  # the stance of its actor (stance.py)
    kinds: tuple[str, ...] = ()  # answer types it holds: number, money, date, who (from the parse)
    facts: tuple = ()  # its parse facts (facts.Facts.to_json), reused while its text is unchanged
    person: str | None = None  # who speaks, in a quotation of a spokesperson for the actor (attribution.py)
    against: tuple = ()  # character ranges (in the sentence) of what its predicates work against (facts.Facts)


@dataclass(frozen=True)
class DocInfo:
    """A document without its text: what listings, filters and citations read (catalog.json)."""

    id: str
    title: str
    publisher: str
    speaker: str
    published: str
    url: str
    file: str
    hash: str
    length: int  # characters of its text
    words: int
    at: int  # where its record starts in documents.jsonl (bytes), and how long it is
    size: int
