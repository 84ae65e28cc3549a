"""From ranked sentences to quotes: verbatim spans with citations, without near-duplicates, each
with whose position it states and how (its focus sentence's actor; the stance of that actor's
sentences in it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..building.store import Index
from ..building.stored import Memo
from ..language import terms
from ..language.lexicon import sign

SHORT_WORDS = 8  # a sentence this short rarely stands alone as a quote
MAX_QUOTE_SENTENCES = 3
WHOLE_PARAGRAPH = 90  # words: a paragraph of at most this many words and MAX_QUOTE_SENTENCES sentences is quoted whole
NEAR_DUPLICATE = 0.6
# Openers of a sentence that spells out the one before it.
ELABORATES = re.compile(
    r"^[\"“‘']?(notably|for example|for instance|in particular|particularly|specifically|chiefly|namely|firstly|"
    r"first,|this is because|that is|e\.g\.|i\.e\.|consequently|as a result)\b", re.I)
PER_SOURCE = 3  # at most this many quotes from one document, so other documents get a say
NEIGHBOUR_MARGIN = 0.5  # a neighbour scoring within this of the sentence joins the quote (fitted scores run ~1-2.5;
# 0.04 was the margin of the old hand-set scores and no longer merged anything: cross-validated, 0.5 lifts dev
# hit@1 0.646 -> 0.688 and leaves the other corpora as they were)
CONTRAST = re.compile(r"^[\"“‘']?(however|but|yet|nevertheless|nonetheless|that said|even so|on the other hand)\b", re.I)


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
    speaker: str | None = None  # the person whose words these are, when they speak for the actor
    close: bool = True  # near the best quote; False: shown apart as "less close", never as an equal answer


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


class QuoteMaker:
    def __init__(self, index: Index):
        self.index = index
        self._tokens: dict[int, frozenset[str]] = Memo()
        self._against: dict[int, tuple[frozenset[str], ...]] = Memo()

    def tokens(self, row: int) -> frozenset[str]:
        """A sentence's content tokens, computed once (they decide which quotes repeat each other)."""
        toks = self._tokens.get(row)
        if toks is None:
            toks = self._tokens[row] = frozenset(terms.tokens(self.index.text(self.index.sentences[row])))
        return toks

    def against(self, row: int) -> tuple[frozenset[str], ...]:
        """The tokens of each thing a sentence's predicates work against, computed once."""
        got = self._against.get(row)
        if got is None:
            s = self.index.sentences[row]
            text = self.index.text(s)
            got = self._against[row] = tuple(frozenset(terms.tokens(text[a:b])) for a, b in s.against)
        return got

    def span(self, row: int, score: float, scores: dict[int, float], want: frozenset[str]) -> tuple[int, int, int]:
        """First and last sentence row of the quote built around sentence `row`, within its paragraph,
        and the row whose position the quote states (its actor's)."""
        idx = self.index
        s = idx.sentences[row]
        rows = idx.paragraph_rows[idx.paragraph_of[row]]
        pos = rows.index(row)
        first = last = focus = pos

        def wanted(i: int) -> bool:
            one = idx.sentences[rows[i]]
            return one.actor in want or one.person in want

        neighbours = [i for i in (pos + 1, pos - 1) if 0 <= i < len(rows)]
        if want and not wanted(pos):
            # "Hewitt proposed X." then "We are concerned...": the asked actor's view completes the quote.
            for i in (pos + 1, pos - 1, pos + 2, pos - 2):
                if 0 <= i < len(rows) and wanted(i):
                    first, last, focus = min(first, i), max(last, i), i
                    break
        if first == last:
            # A neighbour that scores nearly as well belongs to the same answer.
            for i in neighbours:
                if scores.get(rows[i], -1e9) >= score - NEIGHBOUR_MARGIN:
                    first, last = min(first, i), max(last, i)
                    break
        if last == pos and pos + 1 < len(rows) and self.continued(rows[pos]):
            last = pos + 1  # "There are questions... Notably, ...": the detail is the answer
        if first == pos and pos > 0 and s.context and s.context == idx.text(idx.sentences[rows[pos - 1]]):
            first = pos - 1  # "This is a source of unease": show what "this" is
        if len(rows) <= MAX_QUOTE_SENTENCES and sum(len(idx.text(idx.sentences[r]).split()) for r in rows) <= WHOLE_PARAGRAPH:
            first, last = 0, len(rows) - 1  # a short paragraph is quoted whole: its sentences make one point
        if first == last and len(idx.text(s).split()) < SHORT_WORDS:
            if last + 1 < len(rows):
                last += 1  # a very short sentence rarely says anything alone
            elif first > 0:
                first -= 1
        end = rows[last]
        if last == len(rows) - 1 and last - first + 1 < MAX_QUOTE_SENTENCES and self.continued(end):
            end += 1  # the next paragraph completes the quote's last sentence
        return rows[first], end, rows[focus]

    def continued(self, row: int) -> bool:
        """The sentence after this one, in its paragraph or opening the next, completes it: it was introduced
        by it ("Sir Julian said:") or spells it out ("... would work in practice." then "Notably, ...")."""
        idx = self.index
        nxt = row + 1
        if nxt >= len(idx.sentences) or idx.sentences[nxt].source_id != idx.sentences[row].source_id \
                or idx.paragraph_of[nxt] - idx.paragraph_of[row] not in (0, 1):
            return False
        return idx.text(idx.sentences[row]).rstrip().endswith(":") or bool(ELABORATES.match(idx.text(idx.sentences[nxt])))

    def make(self, rows: list[int], scores: list[float], k: int, want: frozenset[str] = frozenset(),
             uncapped: frozenset[str] = frozenset(), topic: Sequence[str] = ()) -> list[Quote]:
        """Quotes from the best sentences (rows, best first, with their scores). `want`: actors asked
        about; `uncapped`: source ids the question asks to read, which may fill the answer on their own;
        `topic`: the question's stemmed topic terms, toward which each quote's stance is read."""
        idx = self.index
        by_row = dict(zip(rows, scores))
        picks: list[Pick] = []
        count: dict[str, int] = {}
        for row, score in zip(rows, scores):
            if len(picks) >= k:
                break
            first, last, focus = self.span(row, score, by_row, want)
            sid = idx.sentences[row].source_id
            clash = next((p for p in picks if p.source_id == sid and first <= p.last and p.first <= last), None)
            if clash is not None and not clash.first <= row <= clash.last:
                # Its sentence is not in the chosen quote, only some of its neighbours are: when the two cannot
                # become one, it is quoted without them.
                lo, hi = min(first, clash.first), max(last, clash.last)
                if not (idx.sentences[lo].block_start == idx.sentences[hi].block_start and hi - lo < MAX_QUOTE_SENTENCES):
                    first, last = (clash.last + 1, last) if row > clash.last else (first, clash.first - 1)
                    focus = focus if first <= focus <= last else row
                    clash = None
            if clash is not None:
                # Runs into a quote already chosen: in the same paragraph and short enough, the two
                # become one quote; otherwise this one is dropped.
                lo, hi = min(first, clash.first), max(last, clash.last)
                same_block = idx.sentences[lo].block_start == idx.sentences[hi].block_start
                if same_block and hi - lo < MAX_QUOTE_SENTENCES:
                    clash.first, clash.last = lo, hi
                    for other in [p for p in picks if p is not clash and p.source_id == sid and lo <= p.last and p.first <= hi]:
                        # The widened quote now holds another chosen one: keep the better position and score.
                        clash.first, clash.last = min(clash.first, other.first), max(clash.last, other.last)
                        clash.score = max(clash.score, other.score)
                        picks.remove(other)
                        count[sid] -= 1
                continue
            if count.get(sid, 0) >= PER_SOURCE and sid not in uncapped:
                continue
            toks = set().union(*(self.tokens(r) for r in range(first, last + 1)))
            if any(p.source_id == sid and jaccard(toks, p.tokens) >= NEAR_DUPLICATE for p in picks):
                continue
            picks.append(Pick(sid, first, last, focus, score, toks))
            count[sid] = count.get(sid, 0) + 1
        return [self.quote(p, frozenset(topic)) for p in picks]

    def stance(self, p: Pick) -> str:
        """The stance of the quote's actor: its focus sentence's, read with that actor's other sentences in
        the quote. A report of Hewitt's proposal before "We are concerned" does not colour the BMA's stance;
        "We support X. However, Y is a worry" is mixed; a description leaning on a stated view takes it."""
        idx = self.index
        focus = idx.sentences[p.focus]
        own = [r for r in range(p.first, p.last + 1) if idx.sentences[r].actor == focus.actor]
        found = focus.stance
        if found == "describes":
            found = next((idx.sentences[r].stance for r in own if idx.sentences[r].stance != "describes"), found)
        direction = sign(found)
        for r in own:
            if r <= p.focus:
                continue
            other = idx.sentences[r].stance
            if direction and sign(other) == -direction and CONTRAST.match(idx.text(idx.sentences[r])):
                return "mixed"
        return found

    def toward(self, row: int, stance: str, topic: frozenset[str]) -> str:
        """A sentence's stance toward the topic asked about: turned around when the topic is what its predicate
        works against. "We agree with the decision to delay X" is against X; "we oppose the cuts to X" is for X;
        "it's time we ended X" calls for action against X. Without a topic, or when the topic is not what is
        worked against, the sentence's own attitude."""
        if not topic or stance in ("describes", "mixed"):
            return stance
        # The whole topic inside what is worked against: "the levy" in "delay [the introduction of the levy]". A
        # topic with more ("holding off the levy", "preventing ill health") asks about the act itself.
        if not any(topic <= span for span in self.against(row)):
            return stance
        return "supports" if sign(stance) < 0 else "opposes"

    def quote(self, p: Pick, topic: frozenset[str] = frozenset()) -> Quote:
        idx = self.index
        doc = idx.documents[p.source_id]
        s = idx.sentences[p.focus]
        start, end = idx.sentences[p.first].start, idx.sentences[p.last].end
        # The passage is the focus sentence's paragraph, and the next one when the quote runs into it.
        p_start, p_end = s.block_start, max(s.block_end, idx.sentences[p.last].block_end)
        return Quote(
            text=doc.text[start:end], start=start, end=end,
            passage=doc.text[p_start:p_end], passage_start=p_start, passage_end=p_end,
            source_id=p.source_id, title=doc.title, publisher=doc.publisher, published=doc.published,
            section=" > ".join(s.section), score=round(p.score, 4), actor=s.actor,
            stance=self.toward(p.focus, self.stance(p), topic), row=p.focus,
            speaker=s.person,
        )


@dataclass
class Pick:
    """A quote being assembled: sentence rows first..last (inclusive) of one paragraph (and the first
    sentence of the next, when that one completes it: QuoteMaker.continued)."""

    source_id: str
    first: int
    last: int
    focus: int
    score: float
    tokens: set[str]
