"""Hybrid retrieval: dense (FAISS) and BM25, over sentences and the passages that hold them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .actors import Actors
from .query import Query
from .store import Index

# How much each signal counts in a sentence's score. Dense similarity of the sentence (with its
# heading and antecedent) leads; the passage around it and exact term matches refine.
W_DENSE_SENT = 0.30
W_DENSE_BARE = 0.20
W_DENSE_CHUNK = 0.20
W_BM25_SENT = 0.20
W_BM25_CHUNK = 0.10
W_PARAGRAPH = 0.3  # share of the gap to the paragraph's best sentence that a sentence inherits
ACTOR_BONUS = 0.15  # the sentence states the position of an actor the question asks about
PUBLISHER_BONUS = 0.03  # the sentence is in a document that actor published
SOURCE_BONUS = 0.10  # the question asks what a publisher says ("according to X") and X published it
SUBJECT_BONUS = 0.03  # the question's topic belongs to an actor ("the government's answer") the document is about
TYPE_BONUS = 0.06  # it contains the kind of answer asked for (a number, a date, a name)

DENSE_SENT_K = 200
DENSE_CHUNK_K = 40
BM25_K = 100


@dataclass(frozen=True)
class Filters:
    sources: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.sources or self.actors)


@dataclass
class Candidate:
    row: int  # sentence row
    score: float
    dense: float  # cosine of the sentence (with its context): how close in meaning
    actor_match: bool


def bm25_scores(bm, tokens: Sequence[str]) -> np.ndarray:
    """BM25 score of every document for the query tokens (unknown tokens ignored)."""
    ids = [bm.vocab_dict[t] for t in tokens if t in bm.vocab_dict]
    if not ids:
        return np.zeros(int(bm.scores["num_docs"]), np.float32)
    return np.asarray(bm.get_scores(ids), np.float32)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest positive scores, best first. BM25 scores are zero for most documents,
    and argpartition over a mostly-zero array is slow: only the documents that matched are ranked."""
    hit = np.flatnonzero(scores > 0)
    if len(hit) > k:
        hit = hit[np.argpartition(scores[hit], -k)[-k:]]
    return hit[np.argsort(-scores[hit], kind="stable")]


def allowed_sentences(index: Index, filters: Filters) -> np.ndarray | None:
    if not filters:
        return None
    keep = [
        i for i, s in enumerate(index.sentences)
        if (not filters.sources or s.source_id in filters.sources) and (not filters.actors or s.actor in filters.actors)
    ]
    return np.asarray(keep, dtype=np.int64)


def dense_search(faiss_index, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    import faiss

    k = min(k, faiss_index.ntotal if allowed is None else len(allowed))
    if k <= 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    params = None
    if allowed is not None:
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
    scores, ids = faiss_index.search(qvec.reshape(1, -1), k, params=params)
    mask = ids[0] >= 0
    return scores[0][mask], ids[0][mask]


class Retriever:
    """Scores sentences for a query. Everything that depends only on the index is computed once here,
    so a request does vector and BM25 lookups and array arithmetic, not text processing."""

    def __init__(self, index: Index, actors: Actors):
        from .positions import document_subject
        from .query import DATE, NUMBER, PERSON

        self.index = index
        self.actors = actors
        sents = index.sentences
        self.sentence_chunk = np.asarray([s.chunk for s in sents], dtype=np.int64)
        block_ids: dict[tuple[str, int], int] = {}
        self.sentence_block = np.asarray(
            [block_ids.setdefault((s.source_id, s.block_start), len(block_ids)) for s in sents], dtype=np.int64)
        self.block_rows: list[list[int]] = [[] for _ in block_ids]
        for i, b in enumerate(self.sentence_block.tolist()):
            self.block_rows[b].append(i)
        self.publisher_actor = {
            d.id: actors.canonical(d.publisher) if d.publisher else None for d in index.documents.values()
        }
        self.subject = {d.id: document_subject(d.title, d.text, actors, self.publisher_actor[d.id])
                        for d in index.documents.values()}
        # Per-sentence facts as arrays: whose it is, whose document, and what kind of answer it holds.
        self.actor_names = sorted({a for a in (s.actor for s in sents) if a} | {a.name for a in actors.actors})
        code = {a: i for i, a in enumerate(self.actor_names)}
        self.actor_code = np.asarray([code.get(s.actor, -1) for s in sents], dtype=np.int32)
        self.publisher_code = np.asarray([code.get(self.publisher_actor.get(s.source_id), -1) for s in sents], dtype=np.int32)
        self.subject_code = np.asarray([code.get(self.subject.get(s.source_id), -1) for s in sents], dtype=np.int32)
        texts = [index.text(s) for s in sents]
        self.has_number = np.asarray([bool(NUMBER.search(t)) for t in texts])
        self.has_date = np.asarray([bool(DATE.search(t)) for t in texts])
        self.has_person = np.asarray([bool(PERSON.search(t)) for t in texts])
        self.mentions = [frozenset(actors.named_in(t)) for t in texts]

    def codes(self, names) -> np.ndarray:
        known = {a: i for i, a in enumerate(self.actor_names)}
        return np.asarray([known[n] for n in names if n in known], dtype=np.int32)

    def type_mask(self, kind: str | None, rows: np.ndarray, named: frozenset[str]) -> np.ndarray:
        if kind == "number":
            return self.has_number[rows]
        if kind == "date":
            return self.has_date[rows]
        if kind == "who":
            return self.has_person[rows] | np.asarray([bool(self.mentions[r] - named) for r in rows.tolist()])
        return np.zeros(len(rows), dtype=bool)

    def sentences(self, query: Query, qvec: np.ndarray, filters: Filters = Filters(), actors: Sequence[str] | None = None) -> list[Candidate]:
        """Candidate sentences, best first. `actors` overrides the actors the query asks about."""
        idx = self.index
        allowed = allowed_sentences(idx, filters)
        _, d_ids = dense_search(idx.sentence_vectors, qvec, DENSE_SENT_K, allowed)
        _, c_ids = dense_search(idx.chunk_vectors, qvec, DENSE_CHUNK_K)
        bm_s = bm25_scores(idx.sentence_bm25, query.tokens)
        bm_c = bm25_scores(idx.chunk_bm25, query.tokens)
        if allowed is not None:
            mask = np.zeros(len(bm_s), bool)
            mask[allowed] = True
            bm_s = np.where(mask, bm_s, 0)

        cand: set[int] = set(d_ids.tolist())
        cand.update(top_k(bm_s, BM25_K).tolist())
        cand.update(np.flatnonzero(np.isin(self.sentence_chunk, c_ids)).tolist())
        # Whole paragraphs: a sentence is judged with its neighbours.
        for b in set(self.sentence_block[list(cand)].tolist()) if cand else ():
            cand.update(self.block_rows[b])
        if allowed is not None:
            cand &= set(allowed.tolist())
        rows = np.asarray(sorted(cand), dtype=np.int64)
        if len(rows) == 0:
            return []

        dense = idx.sentence_vectors.reconstruct_batch(rows) @ qvec
        bare = idx.bare_vectors.reconstruct_batch(rows) @ qvec
        chunks_of = self.sentence_chunk[rows]
        uniq, inverse = np.unique(chunks_of, return_inverse=True)
        dense_chunk = (idx.chunk_vectors.reconstruct_batch(uniq) @ qvec)[inverse]
        bs = bm_s[rows]
        bs = bs / bs.max() if bs.max() > 0 else bs
        bc = bm_c[chunks_of]
        bc = bc / bc.max() if bc.max() > 0 else bc
        base = W_DENSE_SENT * dense + W_DENSE_BARE * bare + W_DENSE_CHUNK * dense_chunk + W_BM25_SENT * bs + W_BM25_CHUNK * bc

        # Paragraph relevance: the best sentence of a paragraph lifts the others, so the sentence that
        # states a view is found even when the sentence before it holds the topic words.
        blocks = self.sentence_block[rows]
        best = np.full(int(blocks.max()) + 1, -np.inf, dtype=np.float32)
        np.maximum.at(best, blocks, base.astype(np.float32))
        score = base + W_PARAGRAPH * (best[blocks] - base)

        # "According to X, what does the review aim for?": X's own reading counts as much as the review's words.
        want = self.codes(actors if actors is not None else (*query.actors, *query.sources))
        match = np.isin(self.actor_code[rows], want) if len(want) else np.zeros(len(rows), dtype=bool)
        publisher = self.publisher_code[rows]
        score = (score + ACTOR_BONUS * match
                 + PUBLISHER_BONUS * np.isin(publisher, want)
                 + SOURCE_BONUS * np.isin(publisher, self.codes(query.sources))
                 + SUBJECT_BONUS * np.isin(self.subject_code[rows], self.codes(query.topic_actors)))
        if query.answer_type:
            named = frozenset(query.actors + query.topic_actors + query.sources)
            score = score + TYPE_BONUS * self.type_mask(query.answer_type, rows, named)
        order = np.argsort(-score, kind="stable")
        # Plain Python values in one go: converting numpy scalars one by one costs more than the scoring.
        return list(map(Candidate, rows[order].tolist(), score[order].tolist(), dense[order].tolist(),
                        match[order].tolist()))

    def chunks(self, query: Query, qvec: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        """Passages for raw retrieval, fused by reciprocal rank of dense and BM25."""
        idx = self.index
        allowed = None
        if filters.sources:
            allowed = np.asarray([i for i, c in enumerate(idx.chunks) if c.source_id in filters.sources], np.int64)
        d_scores, d_ids = dense_search(idx.chunk_vectors, qvec, max(k * 4, 50), allowed)
        bm = bm25_scores(idx.chunk_bm25, query.tokens)
        if allowed is not None:
            mask = np.zeros(len(bm), bool)
            mask[allowed] = True
            bm = np.where(mask, bm, 0)
        fused: dict[int, float] = {}
        for rank, i in enumerate(d_ids.tolist()):
            fused[i] = fused.get(i, 0) + 1 / (60 + rank)
        for rank, i in enumerate(top_k(bm, max(k * 4, 50)).tolist()):
            fused[i] = fused.get(i, 0) + 1 / (60 + rank)
        return sorted(fused.items(), key=lambda x: -x[1])[:k]
