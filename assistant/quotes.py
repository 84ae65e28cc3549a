"""From scored sentences to quotes: verbatim spans with citations, without near-duplicates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import terms
from .retrieve import Candidate
from .store import Index

SHORT_WORDS = 8  # a sentence this short rarely stands alone as a quote
MAX_QUOTE_SENTENCES = 3
NEAR_DUPLICATE = 0.6
# Openers of a sentence that spells out the one before it.
ELABORATES = re.compile(
    r"^[\"“‘']?(notably|for example|for instance|in particular|particularly|specifically|chiefly|namely|firstly|"
    r"first,|this is because|that is|e\.g\.|i\.e\.|consequently|as a result)\b", re.I)
PER_SOURCE = 3  # at most this many quotes from one document, so other documents get a say
NEIGHBOUR_MARGIN = 0.04  # a neighbour scoring within this of the best sentence joins the quote  # token overlap above which two quotes say the same thing


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

    def span(self, c: Candidate, scores: dict[int, float], want: frozenset[str]) -> tuple[int, int, int]:
        """First and last sentence row of the quote built around candidate `c`, within its paragraph,
        and the row whose position the quote states (its actor's)."""
        idx = self.index
        s = idx.sentences[c.row]
        rows = self.by_block[(s.source_id, s.block_start)]
        pos = rows.index(c.row)
        first = last = focus = pos

        def actor(i: int) -> str | None:
            return idx.sentences[rows[i]].actor

        neighbours = [i for i in (pos + 1, pos - 1) if 0 <= i < len(rows)]
        if want and actor(pos) not in want:
            # "Hewitt proposed X." then "We are concerned...": the asked actor's view completes the quote.
            for i in (pos + 1, pos - 1, pos + 2, pos - 2):
                if 0 <= i < len(rows) and actor(i) in want:
                    first, last, focus = min(first, i), max(last, i), i
                    break
        if first == last:
            # A neighbour that scores nearly as well belongs to the same answer.
            for i in neighbours:
                if scores.get(rows[i], -1.0) >= c.score - NEIGHBOUR_MARGIN:
                    first, last = min(first, i), max(last, i)
                    break
        if last == pos and pos + 1 < len(rows) and ELABORATES.match(idx.text(idx.sentences[rows[pos + 1]])):
            last = pos + 1  # "There are questions... Notably, ...": the detail is the answer
        if first == pos and pos > 0 and s.context and s.context == idx.text(idx.sentences[rows[pos - 1]]):
            first = pos - 1  # "This is a source of unease": show what "this" is
        if first == last and len(idx.text(s).split()) < SHORT_WORDS:
            if last + 1 < len(rows):
                last += 1  # a very short sentence rarely says anything alone
            elif first > 0:
                first -= 1
        return rows[first], rows[last], rows[focus]

    def make(self, candidates: list[Candidate], k: int, want: frozenset[str] = frozenset(),
             uncapped: frozenset[str] = frozenset()) -> list[Quote]:
        """Quotes from the best candidates. `want`: actors asked about; `uncapped`: source ids the
        question asks to read, which may fill the answer on their own."""
        idx = self.index
        scores = {c.row: c.score for c in candidates}
        chosen: list[Quote] = []
        token_sets: list[tuple[str, set[str]]] = []
        used: dict[str, list[tuple[int, int]]] = {}
        count: dict[str, int] = {}
        for c in candidates:
            if len(chosen) >= k:
                break
            a, b, focus = self.span(c, scores, want)
            sid = idx.sentences[c.row].source_id
            start, end = idx.sentences[a].start, idx.sentences[b].end
            def clashes(start: int, end: int) -> bool:
                return any(start < e and s < end for s, e in used.get(sid, []))

            if clashes(start, end):
                # The widened quote runs into one already chosen: drop what comes before the sentence,
                # then what comes after it.
                focus = c.row
                start = idx.sentences[c.row].start
                if clashes(start, end):
                    end = idx.sentences[c.row].end
                    if clashes(start, end):
                        continue
            if count.get(sid, 0) >= PER_SOURCE and sid not in uncapped:
                continue
            doc = idx.documents[sid]
            text = doc.text[start:end]
            toks = set(terms.tokens(text))
            if any(src == sid and jaccard(toks, t) >= NEAR_DUPLICATE for src, t in token_sets):
                continue
            s = idx.sentences[focus]
            chosen.append(Quote(
                text=text, start=start, end=end,
                passage=doc.text[s.block_start:s.block_end], passage_start=s.block_start, passage_end=s.block_end,
                source_id=sid, title=doc.title, publisher=doc.publisher, published=doc.published,
                section=" > ".join(s.section), score=round(c.score, 4), actor=s.actor, stance=None, row=focus,
            ))
            used.setdefault(sid, []).append((start, end))
            token_sets.append((sid, toks))
            count[sid] = count.get(sid, 0) + 1
        return chosen
