"""Find and rank the sentences that may answer a question.

Candidates come from dense and BM25 search (in the store: FAISS and bm25s, or Milvus) over sentences and over the passages that hold
them, widened to whole paragraphs. Each candidate is described by a few signals (FEATURES) and
ranked by their weighted sum; the weights are fitted on gold questions (fit.py, data/weights.json).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..building.attribution import is_quotation
from ..building.store import Index
from ..language import terms
from ..language.actors import TITLES
from ..stores import Scores, Where, literal
from .understand import Question

# What each candidate sentence is measured by (all roughly in 0..1):
FEATURES = (
    "dense",  # cosine of the question and the sentence, read with its heading and the sentence it leans on
    "dense_passage",  # cosine of the question and the passage around it
    "bm25",  # BM25 of the sentence, over the best candidate's
    "bm25_passage",  # BM25 of its passage, over the best passage's
    "paragraph",  # the best dense + BM25 of any sentence in its paragraph: the paragraph is on the topic
    "actor",  # it states the position of an actor the question asks about
    "publisher",  # it is in a document that actor published or spoke (or the source the question names:
    # "according to X")
    "type",  # it holds the kind of answer asked for: a number, an amount, a date, a name
    "content",  # how much it says: near 0 for formulas, salutations, names and repeated lines
    "generic",  # how close it is to the corpus as a whole: summaries and openers are near everything
    "asks",  # it is a question: a rhetorical or quoted question states a view less plainly than a statement
    "procedural",  # it runs the proceedings rather than stating a view: another speaker's turn in a
    # transcript (the chair's questions), a greeting, thanks or a self-introduction
    "reason",  # it gives a reason ("because", "risks", "would mean"), for a question that asks why
)
# Words that give a reason for a view.
REASON_WORDS = re.compile(r"\b(?:because|since|as a result|due to|given (?:that|the)|owing to|so that|"
                          r"therefore|thus|otherwise|risks?|would (?:mean|lead|undermine|leave)|means that|"
                          r"the reason|this is why|which is why)\b", re.I)
ASKS_WHY = re.compile(r"^\W*(?:\w+\W+){0,3}?why\b|\b(?:reasons?|reasoning|grounds|rationale|worr(?:y|ies|ied))\b", re.I)

DENSE_K = 100
# BM25 weight of a corpus word of the same root as a question's (terms.Kin) against the word itself: half
# (chosen over 1 by cross-validation: leave-one-corpus-out hit@5 0.926 -> 0.930, 1 lost hit@1)
KIN_WEIGHT = 0.5
PASSAGE_K = 40
BM25_K = 60
ACTOR_K = 60  # best sentences of each asked actor, searched on their own
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


def among(values: np.ndarray, codes) -> np.ndarray:
    """np.isin(values, codes) for the few codes a question names: one comparison per code, a sixth of
    np.isin's time at two codes over 300 rows (2.4 against 14.4 us; it sorts), and an answer asks it a dozen times."""
    codes = np.asarray(codes).ravel()
    if len(codes) > 8:
        return np.isin(values, codes)
    out = np.zeros(np.shape(values), bool)
    for c in codes:
        out |= values == c
    return out


@dataclass(frozen=True)
class Filters:
    sources: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.sources or self.actors)


@dataclass
class Ranked:
    """Candidate sentences, best first, with the signals they were ranked by."""

    rows: np.ndarray  # sentence rows
    score: np.ndarray
    dense: np.ndarray
    actor: np.ndarray  # bool: states an asked actor's position
    features: np.ndarray  # len(rows) x len(FEATURES)

    def __len__(self) -> int:
        return len(self.rows)


class Groups:
    """The rows of each value of a label array (sentences by passage, by paragraph), so that the rows of a
    few values are found in time proportional to them, not to the corpus: np.isin over every sentence cost
    each answer a pass over the whole index, twice."""

    def __init__(self, labels: np.ndarray):
        self.order = np.argsort(labels, kind="stable").astype(np.int64)
        size = int(labels.max()) + 1 if len(labels) else 0
        self.bounds = np.searchsorted(labels[self.order], np.arange(size + 1))

    def rows(self, values: np.ndarray) -> np.ndarray:
        """The rows labelled with any of these values, ascending (as np.flatnonzero(np.isin(labels, values)))."""
        values = np.unique(np.asarray(values, np.int64))
        values = values[(values >= 0) & (values < len(self.bounds) - 1)]
        if not len(values):
            return np.zeros(0, np.int64)
        starts, lengths = self.bounds[values], self.bounds[values + 1] - self.bounds[values]
        # each value's run of `order`, laid end to end without a Python loop
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        return np.sort(self.order[at])


def normalised(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if len(x) else 0.0
    return x / top if top > 0 else x


def content_words(words: list[str], names: set[str]) -> int:
    """Words that carry content: not function words, not names, not forms of address."""
    return sum(1 for w in words if w not in terms.STOPWORDS and w not in names and w not in TITLES and not w.isdigit())


class Retriever:
    """Ranks sentences for a question. Everything that depends only on the index is computed once here,
    so a request does vector and BM25 lookups and array arithmetic, not text processing."""

    def __init__(self, index: Index, weights: dict[str, float]):
        self.index = index
        self.weights = np.asarray([weights.get(f, 0.0) for f in FEATURES], np.float32)
        # The part of the score that says how close a sentence is to the topic, whoever it is by.
        self.topic_weights = np.where(np.isin(FEATURES, ("actor", "publisher")), 0, self.weights)
        sents = index.sentences
        actors = index.actors
        n = len(sents)
        self.sentence_chunk = np.asarray([s.chunk for s in sents], dtype=np.int64)
        self.sentence_block = index.paragraph_of
        self.block_rows = index.paragraph_rows
        self.by_chunk = Groups(self.sentence_chunk)
        self.by_block = Groups(self.sentence_block)
        # Whose each sentence is, and whose document it is in (the publisher or speaker), as codes.
        # (the same names the store's voice and speaker fields hold: store.write_build)
        self.voice = {d.id: actors.voice_of(d.publisher, d.speaker) for d in index.documents.values()}
        self.speaker = {d.id: actors.speaker_of(d.speaker) for d in index.documents.values()}
        names = sorted({a.name for a in actors.actors} | {s.actor for s in sents if s.actor}
                       | {s.person for s in sents if s.person} | {v for v in self.voice.values() if v})
        self.code = {a: i for i, a in enumerate(names)}
        self.actor_code = np.asarray([self.code.get(s.actor, -1) for s in sents], dtype=np.int32)
        # A spokesperson's quoted words are the body's position and the person's own statement.
        self.person_code = np.asarray([self.code.get(s.person, -1) for s in sents], dtype=np.int32)
        self.voice_code = np.asarray([self.code.get(self.voice.get(s.source_id), -1) for s in sents], dtype=np.int32)
        self.speaker_code = np.asarray([self.code.get(self.speaker.get(s.source_id), -1) for s in sents], dtype=np.int32)
        # A line introducing a quotation ("Sir Julian Hartley, chief executive of NHS Providers, said:") says
        # who speaks; the quotation after it says what.
        self.introduces = np.zeros(n, bool)
        for i in range(n - 1):
            nxt = sents[i + 1]
            if (nxt.source_id == sents[i].source_id and nxt.block_start != sents[i].block_start
                    and index.text(sents[i]).rstrip().endswith(":")
                    and is_quotation(index.text(nxt))):
                self.introduces[i] = True
        self.procedural = self._procedural()
        self.asks = np.asarray([index.text(s).rstrip().rstrip("\"'”’)").endswith("?") for s in sents], bool)
        self.gives_reason = np.asarray([bool(REASON_WORDS.search(index.text(s))) for s in sents], bool)
        self.kin = terms.Kin(index.df)
        self.kinds = {k: np.asarray([k in s.kinds for s in sents], bool) for k in ("number", "money", "date", "who")}
        self.content, length = self._content()
        # Furniture is never evidence: a repeated line, or a paragraph of a couple of words that says nothing
        # ("Yes.", "Try again.", "Thank you, my Lady."): a transcript's asides, a page's labels.
        # A sentence that names its topic in a full clause ("The council has no view on compensation.") is
        # a statement however few content words it has: asides are short.
        words_in_block = np.zeros(len(self.block_rows), np.float32)
        np.add.at(words_in_block, self.sentence_block, self.content * 12)
        self.furniture = (self.content == 0) | ((self.content * 12 <= FURNITURE_WORDS) & (length <= ASIDE_WORDS) &
                                                (words_in_block[self.sentence_block] <= FURNITURE_WORDS))
        self.furniture |= self._title_lines()
        # A sentence near the centre of the corpus is near every question ("The report is a long and
        # complex document ..."): its closeness to a question says little (hubness). Computed by the build.
        self.generic = index.generic
        self.names = names
        self.rows_of_actor: dict[int, Where] = {}
        for code in (set(self.actor_code.tolist()) | set(self.person_code.tolist()) | set(self.voice_code.tolist())
                     | set(self.speaker_code.tolist())):
            if code >= 0:
                rows = np.flatnonzero(self.states(code) | (self.voice_code == code) | (self.speaker_code == code))
                self.rows_of_actor[code] = Where(rows.astype(np.int64), " or ".join(
                    f"{field} == {literal(names[code])}" for field in ("actor", "person", "voice", "speaker")))
        self.n = n

    def _procedural(self) -> np.ndarray:
        """Sentences that run the proceedings: a turn of another speaker than the document's own (a chair's or
        a member's questions in a witness's transcript: the label names no one of the document's title,
        publisher or speaker), a greeting, thanks or an introduction. (Not every question: an essay's or a
        speech's rhetorical questions state its views.)"""
        idx = self.index
        own: dict[str, set[str]] = {}
        for d in idx.documents.values():
            own[d.id] = set(terms.words(f"{d.title} {d.publisher} {d.speaker or ''}"))
        out = np.zeros(len(idx.sentences), bool)
        labels: dict[tuple[str, int], bool] = {}
        for i, s in enumerate(idx.sentences):
            key = (s.source_id, s.block_start)
            if key not in labels:
                doc = idx.documents[s.source_id].text
                m = TURN_LABEL.match(doc[s.block_start:s.block_start + 120])
                names = [w for w in terms.words(m.group(1)) if w not in TITLES] if m else []
                labels[key] = bool(names) and not set(names) & own[s.source_id]
            out[i] = labels[key] or bool(FORMULA.match(TURN_LABEL.sub("", idx.text(s), count=1)))
        return out

    def _title_lines(self) -> np.ndarray:
        """A document's opening paragraph that restates its title ("House of Commons ... committee, oral
        evidence on ...: evidence of X, Y, 18 June 2014"): a label, not a statement. Most of its words are
        the title's."""
        idx = self.index
        out = np.zeros(len(idx.sentences), bool)
        first: dict[str, int] = {}
        for i, s in enumerate(idx.sentences):
            first.setdefault(s.source_id, s.block_start)
            if s.block_start != first[s.source_id]:
                continue
            title = set(terms.words(idx.documents[s.source_id].title or ""))
            words = [w for w in terms.words(idx.text(s)) if w not in terms.STOPWORDS]
            out[i] = bool(title) and len(words) > 0 and sum(w in title for w in words) >= TITLE_SHARE * len(words)
        return out

    def _content(self) -> tuple[np.ndarray, np.ndarray]:
        """How much each sentence says (0..1), and its length in words. Formulas, salutations and lines of
        names say little; a line repeated three or more times across the corpus (a sign-off, a running
        header) says nothing."""
        idx = self.index
        names: set[str] = set()
        for a in idx.actors.actors:
            for alias in (a.name, *a.aliases):
                names.update(terms.words(alias))
        words = [terms.words(idx.text(s)) for s in idx.sentences]
        keys = [" ".join(w) for w in words]
        counts: dict[str, int] = {}
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
        out = np.zeros(len(words), np.float32)
        for i, (w, k) in enumerate(zip(words, keys)):
            if counts[k] < 3:
                out[i] = min(content_words(w, names), 12) / 12
        return out, np.asarray([len(w) for w in words], np.int32)

    def states(self, codes, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Which sentence rows state these actors' positions: attributed to them, or spoken by them for a body."""
        return among(self.actor_code[rows], codes) | among(self.person_code[rows], codes)

    def theirs(self, rows: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Which sentence rows are these actors' own: attributed to them or in their own documents (the
        same union as rows_of_actor)."""
        return self.states(codes, rows) | among(self.voice_code[rows], codes) | among(self.speaker_code[rows], codes)

    def codes(self, names: Sequence[str]) -> np.ndarray:
        return np.asarray([self.code[n] for n in names if n in self.code], dtype=np.int32)

    def allowed(self, filters: Filters) -> Where | None:
        if not filters:
            return None
        keep = np.ones(self.n, bool)
        exprs = []
        if filters.sources:
            keep &= np.isin(self.index.source_of_sentence, list(filters.sources))
            exprs.append(f"source in {literal(sorted(filters.sources))}")
        if filters.actors:
            codes = self.codes(sorted(filters.actors))
            keep &= self.states(codes)
            named = literal([self.names[c] for c in codes.tolist()])
            exprs.append(f"(actor in {named} or person in {named})")
        return Where(np.flatnonzero(keep).astype(np.int64), " and ".join(exprs))

    def rank(self, q: Question, qvec: np.ndarray, filters: Filters = Filters(),
             actors: Sequence[str] | None = None) -> Ranked:
        """Candidate sentences for a question, best first. `actors` overrides the actors it asks about
        (a comparison ranks once per actor)."""
        idx = self.index
        asked = tuple(actors) if actors is not None else q.actors
        allowed = self.allowed(filters)
        sentences, chunks_table = idx.sentence_table, idx.chunk_table
        d_ids = sentences.dense(qvec, DENSE_K, allowed)
        c_ids = chunks_table.dense(qvec, PASSAGE_K)
        # "representation" for "represented": a word of the same root counts, less
        kin = sorted({v for t in q.tokens for v in self.kin.of(t)} - set(q.tokens))
        bm_s = sentences.bm25(q.tokens, kin, KIN_WEIGHT)
        bm_c = chunks_table.bm25(q.tokens, kin, KIN_WEIGHT)
        parts = [d_ids, bm_s.top(BM25_K, allowed)]
        chunks = np.union1d(c_ids, bm_c.top(PASSAGE_K // 2))
        parts.append(self.by_chunk.rows(chunks))
        want = self.codes(asked)
        for code in want.tolist():
            # An asked actor's own statements are candidates even when others' words are closer.
            theirs = self.rows_of_actor.get(code)
            if theirs is not None and len(theirs.rows):
                theirs = theirs.both(allowed)
                if len(theirs.rows):
                    parts.append(sentences.dense(qvec, ACTOR_K, theirs))
        cand = np.concatenate(parts).astype(np.int64)
        # Whole paragraphs: a sentence is judged with its neighbours.
        rows = self.by_block.rows(self.sentence_block[cand]) if len(cand) else cand
        if allowed is not None:
            rows = np.intersect1d(rows, allowed.rows)
        rows = rows[~self.furniture[rows]]
        if q.answer_type != "who":
            rows = rows[~self.introduces[rows]]  # "X said:" tells who speaks, which only a who-question asks
        if len(rows) == 0:
            return Ranked(rows, np.zeros(0, np.float32), np.zeros(0, np.float32), np.zeros(0, bool),
                          np.zeros((0, len(FEATURES)), np.float32))
        f = self.features(q, qvec, rows, bm_s, bm_c, want, self.codes((*asked, *q.sources)))
        score = f @ self.weights
        order = np.argsort(-score, kind="stable")
        return Ranked(rows[order], score[order], f[order, 0], f[order, FEATURES.index("actor")] > 0, f[order])

    def features(self, q: Question, qvec: np.ndarray, rows: np.ndarray, bm_s: Scores, bm_c: Scores,
                 want: np.ndarray, documents_of: np.ndarray) -> np.ndarray:
        idx = self.index
        f = np.zeros((len(rows), len(FEATURES)), np.float32)
        dense = idx.sentence_table.cosine(qvec, rows)
        chunks_of = self.sentence_chunk[rows]
        uniq, inverse = np.unique(chunks_of, return_inverse=True)
        dense_chunk = idx.chunk_table.cosine(qvec, uniq)[inverse]
        bs = normalised(bm_s.at(rows))
        bc = normalised(bm_c.at(uniq)[inverse])
        # The paragraph's best sentence lifts the others: the sentence that states a view is found even
        # when the sentence before it holds the topic words.
        blocks = self.sentence_block[rows]
        base = (dense + bs) / 2
        best = np.full(int(blocks.max()) + 1, -np.inf, dtype=np.float32)
        np.maximum.at(best, blocks, base.astype(np.float32))
        f[:, 0], f[:, 1], f[:, 2], f[:, 3], f[:, 4] = dense, dense_chunk, bs, bc, best[blocks]
        if len(want):
            f[:, 5] = self.states(want, rows)
        if len(documents_of):
            f[:, 6] = among(self.voice_code[rows], documents_of) | among(self.speaker_code[rows], documents_of)
        if q.answer_type:
            f[:, 7] = self.type_mask(q, rows)
        f[:, 8] = self.content[rows]
        f[:, 9] = self.generic[rows]
        f[:, FEATURES.index("asks")] = self.asks[rows]
        f[:, FEATURES.index("procedural")] = self.procedural[rows]
        if q.why or ASKS_WHY.search(q.asked):
            f[:, FEATURES.index("reason")] = self.gives_reason[rows]
        return f

    def type_mask(self, q: Question, rows: np.ndarray) -> np.ndarray:
        kind = q.answer_type
        if kind == "number":  # a sum of money is a figure too ("how much is X asking for?": "$12 billion")
            return self.kinds["number"][rows] | self.kinds["money"][rows]
        if kind in ("money", "date"):
            return self.kinds[kind][rows]
        if kind == "who":
            named = set(self.codes((*q.actors, *q.topic_actors, *q.sources)).tolist())
            other = np.asarray([c >= 0 and c not in named for c in self.actor_code[rows].tolist()])
            return self.kinds["who"][rows] | other
        return np.zeros(len(rows), bool)

    def passages(self, q: Question, qvec: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        """Passages (chunk rows) for raw retrieval, fused by reciprocal rank of dense and BM25."""
        idx = self.index
        allowed = None
        if filters.sources:
            allowed = Where(np.flatnonzero(np.isin(idx.source_of_chunk, list(filters.sources))).astype(np.int64),
                            f"source in {literal(sorted(filters.sources))}")
        return idx.chunk_table.fused(qvec, q.tokens, k, max(k * 4, 50), allowed)
