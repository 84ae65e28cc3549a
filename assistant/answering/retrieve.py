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

from ..building.signals import FLAGS
from ..building.store import Index
from ..language import terms
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
ASKS_WHY = re.compile(r"^\W*(?:\w+\W+){0,3}?why\b|\b(?:reasons?|reasoning|grounds|rationale|worr(?:y|ies|ied))\b", re.I)

DENSE_K = 100
# BM25 weight of a corpus word of the same root as a question's (terms.Kin) against the word itself: half
# (chosen over 1 by cross-validation: leave-one-corpus-out hit@5 0.926 -> 0.930, 1 lost hit@1)
KIN_WEIGHT = 0.5
PASSAGE_K = 40
BM25_K = 60
ACTOR_K = 60  # best sentences of each asked actor, searched on their own
KINDS = ("number", "money", "date", "who")  # answer types a sentence holds (SentenceRow.kinds)


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


class Retriever:
    """Ranks sentences for a question. What depends only on the index is read by the build (signals.py) or
    once here, so a request does vector and BM25 lookups and array arithmetic, not text processing."""

    def __init__(self, index: Index, weights: dict[str, float]):
        self.index = index
        self.withheld: frozenset[str] = frozenset()  # documents never to quote (Assistant.withhold)
        self.weights = np.asarray([weights.get(f, 0.0) for f in FEATURES], np.float32)
        # The part of the score that says how close a sentence is to the topic, whoever it is by.
        self.topic_weights = np.where(np.isin(FEATURES, ("actor", "publisher")), 0, self.weights)
        sents = index.sentences
        actors = index.actors
        # Whose each sentence is, and whose document it is in (the publisher or speaker), as codes.
        # (the same names the store's voice and speaker fields hold: store.write_build)
        self.voice = {sid: actors.voice_of(d.publisher, d.speaker) for sid, d in index.catalog.items()}
        self.speaker = {sid: actors.speaker_of(d.speaker) for sid, d in index.catalog.items()}
        names = index.summary["names"]
        self.code = {a: i for i, a in enumerate(names)}
        self.names = names
        self.kin = terms.Kin(index.df)
        self.n = len(sents)
        if index.stored:
            self._stored()
            return
        self.sentence_chunk = np.asarray([s.chunk for s in sents], dtype=np.int64)
        self.sentence_block = index.paragraph_of
        self.by_chunk = Groups(self.sentence_chunk)
        self.by_block = Groups(self.sentence_block)
        self.actor_code = np.asarray([self.code.get(s.actor, -1) for s in sents], dtype=np.int32)
        # A spokesperson's quoted words are the body's position and the person's own statement.
        self.person_code = np.asarray([self.code.get(s.person, -1) for s in sents], dtype=np.int32)
        self.voice_code = np.asarray([self.code.get(self.voice.get(s.source_id), -1) for s in sents], dtype=np.int32)
        self.speaker_code = np.asarray([self.code.get(self.speaker.get(s.source_id), -1) for s in sents], dtype=np.int32)
        self.source_of = index.source_of_sentence
        # What each sentence is (a question, furniture, the proceedings ...): read by the build (signals.py).
        sig = index.signals
        self.introduces, self.procedural, self.asks = sig.introduces, sig.procedural, sig.asks
        self.gives_reason, self.furniture, self.content, self.generic = sig.reason, sig.furniture, sig.content, sig.generic
        self.kinds = {k: np.asarray([k in s.kinds for s in sents], bool) for k in KINDS}
        self.rows_of_actor: dict[int, Where] = {}
        for code in (set(self.actor_code.tolist()) | set(self.person_code.tolist()) | set(self.voice_code.tolist())
                     | set(self.speaker_code.tolist())):
            if code >= 0:
                rows = np.flatnonzero(self.states(code) | (self.voice_code == code) | (self.speaker_code == code))
                self.rows_of_actor[code] = Where(rows.astype(np.int64), self.expr_of(code))

    def _stored(self) -> None:
        """The same columns, read from the store for the rows a question needs (building/stored.py): a
        server that holds no rows. `column[rows]` reads as an array does; no column is read whole."""
        from ..building.stored import StoredGroups

        idx, code, voice, speaker = self.index, self.code, self.voice, self.speaker
        column = idx.sentences.column
        self.sentence_chunk = column(lambda r: r["chunk"], np.int64)
        self.sentence_block = idx.paragraph_of
        self.by_chunk = StoredGroups(idx.sentence_table, "chunk", len(idx.chunks))
        self.by_block = idx.paragraph_rows
        self.actor_code = column(lambda r: code.get(r["actor"], -1), np.int32)
        self.person_code = column(lambda r: code.get(r["person"], -1), np.int32)
        self.voice_code = column(lambda r: code.get(voice.get(r["source_id"]), -1), np.int32)
        self.speaker_code = column(lambda r: code.get(speaker.get(r["source_id"]), -1), np.int32)
        self.source_of = column(lambda r: r["source_id"], object)
        self.introduces, self.procedural, self.asks, self.gives_reason, self.furniture = (
            column(lambda r, name=name: r[name], bool) for name in FLAGS)
        self.content = column(lambda r: r["content"], np.float32)
        self.generic = column(lambda r: r["generic"], np.float32)
        self.kinds = {k: column(lambda r, k=k: k in r["kinds"], bool) for k in KINDS}
        self.rows_of_actor = {code[n]: Where(None, self.expr_of(code[n])) for n in idx.summary["holders"]}

    def expr_of(self, code: int) -> str:
        """The store's filter for the rows of an actor (as rows_of_actor holds them)."""
        return " or ".join(f"{field} == {literal(self.names[code])}" for field in ("actor", "person", "voice", "speaker"))

    def states(self, codes, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Which sentence rows state these actors' positions: attributed to them, or spoken by them for a body."""
        return among(self.actor_code[rows], codes) | among(self.person_code[rows], codes)

    def theirs(self, rows: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Which sentence rows are these actors' own: attributed to them or in their own documents (the
        same union as rows_of_actor)."""
        return self.states(codes, rows) | among(self.voice_code[rows], codes) | among(self.speaker_code[rows], codes)

    def codes(self, names: Sequence[str]) -> np.ndarray:
        return np.asarray([self.code[n] for n in names if n in self.code], dtype=np.int32)

    def source_exprs(self, filters: Filters) -> list[str]:
        """The store's filters for the documents that may be quoted: those asked for, less those withheld."""
        return ([f"source in {literal(sorted(filters.sources))}"] * bool(filters.sources)
                + [f"source not in {literal(sorted(self.withheld))}"] * bool(self.withheld))

    def keeps_source(self, source_of: np.ndarray, filters: Filters) -> np.ndarray:
        """Which rows (sentences or passages, by their source ids) those filters let through."""
        keep = np.ones(len(source_of), bool)
        if filters.sources:
            keep &= np.isin(source_of, list(filters.sources))
        if self.withheld:
            keep &= ~np.isin(source_of, list(self.withheld))
        return keep

    def allowed(self, filters: Filters) -> Where | None:
        if not filters and not self.withheld:
            return None
        exprs = self.source_exprs(filters)
        if filters.actors:
            named = literal([self.names[c] for c in self.codes(sorted(filters.actors)).tolist()])
            exprs.append(f"(actor in {named} or person in {named})")
        if self.index.stored:
            return Where(None, " and ".join(exprs))
        return Where(np.flatnonzero(self.admits(filters, np.arange(self.n))).astype(np.int64), " and ".join(exprs))

    def admits(self, filters: Filters, rows: np.ndarray) -> np.ndarray:
        """Which of these rows the filters let through (the rows `allowed` stands for)."""
        keep = self.keeps_source(self.source_of[rows].astype(str), filters) if filters.sources or self.withheld \
            else np.ones(len(rows), bool)
        if filters.actors:
            keep &= self.states(self.codes(sorted(filters.actors)), rows)
        return keep

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
            if theirs is not None and (theirs.rows is None or len(theirs.rows)):
                theirs = theirs.both(allowed)
                if theirs.rows is None or len(theirs.rows):
                    parts.append(sentences.dense(qvec, ACTOR_K, theirs))
        cand = np.concatenate(parts).astype(np.int64)
        # Whole paragraphs: a sentence is judged with its neighbours.
        rows = self.by_block.rows(self.sentence_block[cand]) if len(cand) else cand
        if allowed is not None:
            rows = rows[self.admits(filters, rows)] if allowed.rows is None else np.intersect1d(rows, allowed.rows)
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
        paragraphs, of = np.unique(self.sentence_block[rows], return_inverse=True)
        base = (dense + bs) / 2
        best = np.full(len(paragraphs), -np.inf, dtype=np.float32)
        np.maximum.at(best, of, base.astype(np.float32))
        f[:, 0], f[:, 1], f[:, 2], f[:, 3], f[:, 4] = dense, dense_chunk, bs, bc, best[of]
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
        if filters.sources or self.withheld:
            rows = None if idx.stored else np.flatnonzero(self.keeps_source(idx.source_of_chunk, filters)).astype(np.int64)
            allowed = Where(rows, " and ".join(self.source_exprs(filters)))
        return idx.chunk_table.fused(qvec, q.tokens, k, max(k * 4, 50), allowed)
