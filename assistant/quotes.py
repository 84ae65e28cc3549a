"""From scored sentences to quotes: verbatim spans with citations, without near-duplicates."""

from __future__ import annotations

from dataclasses import dataclass

from . import terms
from .retrieve import Candidate
from .store import Index

SHORT_WORDS = 8  # a sentence this short rarely stands alone as a quote
MAX_QUOTE_SENTENCES = 3
NEAR_DUPLICATE = 0.6  # token overlap above which two quotes say the same thing


@dataclass(frozen=True)
class Quote:
    text: str
    start: int
    end: int
    passage: str
    passage_start: int
    passage_end: int
    source_id: str
    title: str
    publisher: str
    published: str
    section: str
    score: float
    actor: str | None
    stance: str | None
    row: int  # the sentence row the quote was built around


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


class QuoteMaker:
    def __init__(self, index: Index):
        self.index = index
        # Sentences by paragraph, to extend a quote to its neighbours without searching.
        self.by_block: dict[tuple[str, int], list[int]] = {}
        for i, s in enumerate(index.sentences):
            self.by_block.setdefault((s.source_id, s.block_start), []).append(i)

    def span(self, c: Candidate, scores: dict[int, float]) -> tuple[int, int]:
        """First and last sentence row of the quote around candidate `c`."""
        s = self.index.sentences[c.row]
        rows = self.by_block[(s.source_id, s.block_start)]
        pos = rows.index(c.row)
        first = last = pos
        # A neighbour that scores nearly as well belongs to the same answer.
        for nxt in (pos + 1, pos - 1):
            if 0 <= nxt < len(rows) and scores.get(rows[nxt], -1) >= c.score - 0.04:
                first, last = min(first, nxt), max(last, nxt)
                break
        # A very short sentence needs the one after it (or before it) to say anything.
        if len(self.index.text(s).split()) < SHORT_WORDS and first == last:
            if last + 1 < len(rows):
                last += 1
            elif first > 0:
                first -= 1
        return rows[first], rows[last]

    def make(self, candidates: list[Candidate], k: int, per_source: int = 3) -> list[Quote]:
        idx = self.index
        scores = {c.row: c.score for c in candidates}
        chosen: list[Quote] = []
        token_sets: list[tuple[str, set[str]]] = []
        used: dict[str, list[tuple[int, int]]] = {}
        count: dict[str, int] = {}
        for c in candidates:
            if len(chosen) >= k:
                break
            a, b = self.span(c, scores)
            first, last = idx.sentences[a], idx.sentences[b]
            sid = first.source_id
            start, end = first.start, last.end
            if any(start < e and s < end for s, e in used.get(sid, [])):
                continue
            if count.get(sid, 0) >= per_source:
                continue
            doc = idx.documents[sid]
            text = doc.text[start:end]
            toks = set(terms.tokens(text))
            if any(src == sid and jaccard(toks, t) >= NEAR_DUPLICATE for src, t in token_sets):
                continue
            s = idx.sentences[c.row]
            chosen.append(Quote(
                text=text, start=start, end=end,
                passage=doc.text[s.block_start:s.block_end], passage_start=s.block_start, passage_end=s.block_end,
                source_id=sid, title=doc.title, publisher=doc.publisher, published=doc.published,
                section=" > ".join(s.section), score=round(c.score, 4), actor=s.actor, stance=None, row=c.row,
            ))
            used.setdefault(sid, []).append((start, end))
            token_sets.append((sid, toks))
            count[sid] = count.get(sid, 0) + 1
        return chosen
