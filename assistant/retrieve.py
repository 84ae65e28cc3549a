"""Hybrid retrieval: dense (FAISS) and BM25, over sentences and the passages that hold them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .actors import Actors
from .query import Query, fits_type
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
    dense: float  # cosine of the sentence
    dense_chunk: float
    bm25: float  # normalised to the best BM25 score of this question
    actor_match: bool
    coverage: float  # share of the question's content tokens present in the sentence or its context


def bm25_scores(bm, tokens: Sequence[str]) -> np.ndarray:
    known = [t for t in tokens if t in bm.vocab_dict]
    n = len(bm.doc_ids) if hasattr(bm, "doc_ids") and bm.doc_ids is not None else None
    if not known:
        return np.zeros(n if n is not None else bm.scores["num_docs"], np.float32)
    return np.asarray(bm.get_scores(known), np.float32)


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
    def __init__(self, index: Index, actors: Actors):
        self.index = index
        self.actors = actors
        self.sentence_chunk = np.asarray([s.chunk for s in index.sentences], dtype=np.int64)
        self.sentence_actor = [s.actor for s in index.sentences]
        block_ids: dict[tuple[str, int], int] = {}
        self.sentence_block = np.asarray(
            [block_ids.setdefault((s.source_id, s.block_start), len(block_ids)) for s in index.sentences], dtype=np.int64)
        self.block_rows: list[list[int]] = [[] for _ in block_ids]
        for i, b in enumerate(self.sentence_block.tolist()):
            self.block_rows[b].append(i)
        self.publisher_actor = {
            d.id: actors.canonical(d.publisher) if d.publisher else None for d in index.documents.values()
        }
        from .positions import document_subject

        self.subject = {d.id: document_subject(d.title, d.text, actors, self.publisher_actor[d.id])
                        for d in index.documents.values()}

    def sentences(self, query: Query, qvec: np.ndarray, filters: Filters = Filters(), actors: Sequence[str] | None = None) -> list[Candidate]:
        """Candidate sentences, best first. `actors` overrides the actors the query asks about."""
        idx = self.index
        allowed = allowed_sentences(idx, filters)
        d_scores, d_ids = dense_search(idx.sentence_vectors, qvec, DENSE_SENT_K, allowed)
        c_scores, c_ids = dense_search(idx.chunk_vectors, qvec, DENSE_CHUNK_K)
        bm_s = bm25_scores(idx.sentence_bm25, query.tokens)
        bm_c = bm25_scores(idx.chunk_bm25, query.tokens)
        if allowed is not None:
            mask = np.zeros(len(bm_s), bool)
            mask[allowed] = True
            bm_s = np.where(mask, bm_s, 0)

        cand: set[int] = set(int(i) for i in d_ids)
        top_bm = np.argsort(-bm_s)[:BM25_K]
        cand.update(int(i) for i in top_bm if bm_s[i] > 0)
        chunk_set = set(int(c) for c in c_ids)
        cand.update(np.flatnonzero(np.isin(self.sentence_chunk, list(chunk_set))).tolist())
        # Whole paragraphs: a sentence is judged with its neighbours.
        for r in list(cand):
            cand.update(self.block_rows[self.sentence_block[r]])
        if allowed is not None:
            cand &= set(allowed.tolist())
        rows = np.asarray(sorted(cand), dtype=np.int64)
        if len(rows) == 0:
            return []

        dense = idx.sentence_vectors.reconstruct_batch(rows) @ qvec
        bare = idx.bare_vectors.reconstruct_batch(rows) @ qvec
        chunks_of = self.sentence_chunk[rows]
        uniq = np.unique(chunks_of)
        cdense = dict(zip(uniq.tolist(), (idx.chunk_vectors.reconstruct_batch(uniq) @ qvec).tolist()))
        dense_chunk = np.asarray([cdense[c] for c in chunks_of.tolist()], np.float32)
        bs = bm_s[rows]
        bs = bs / bs.max() if bs.max() > 0 else bs
        bc = bm_c[chunks_of]
        bc = bc / bc.max() if bc.max() > 0 else bc
        base = W_DENSE_SENT * dense + W_DENSE_BARE * bare + W_DENSE_CHUNK * dense_chunk + W_BM25_SENT * bs + W_BM25_CHUNK * bc

        # Paragraph relevance: the best sentence of a paragraph lifts the others, so the sentence that
        # states a view is found even when the sentence before it holds the topic words.
        block_best: dict[int, float] = {}
        blocks = self.sentence_block[rows]
        for b, v in zip(blocks.tolist(), base.tolist()):
            block_best[b] = max(block_best.get(b, -1.0), v)

        # "According to X, what does the review aim for?": X's own reading counts as much as the review's words.
        want = set(actors if actors is not None else (*query.actors, *query.sources))
        sources = set(query.sources)
        topic = set(query.topic_actors)
        named = frozenset(query.actors + query.topic_actors + query.sources)
        qtok = set(query.tokens)
        out: list[Candidate] = []
        for j, r in enumerate(rows.tolist()):
            s = idx.sentences[r]
            score = base[j] + W_PARAGRAPH * (block_best[int(blocks[j])] - base[j])
            match = bool(want) and s.actor in want
            if match:
                score += ACTOR_BONUS
            publisher = self.publisher_actor.get(s.source_id)
            if publisher in want:
                score += PUBLISHER_BONUS
            if publisher in sources:
                score += SOURCE_BONUS
            if self.subject.get(s.source_id) in topic:
                score += SUBJECT_BONUS
            text = idx.text(s)
            if query.answer_type and fits_type(query.answer_type, text, self.actors, named):
                score += TYPE_BONUS
            out.append(Candidate(r, float(score), float(dense[j]), float(dense_chunk[j]), float(bs[j]), match,
                                 self.coverage(qtok, r)))
        out.sort(key=lambda c: -c.score)
        return out

    def coverage(self, qtok: set[str], row: int) -> float:
        if not qtok:
            return 0.0
        from . import terms

        s = self.index.sentences[row]
        have = set(terms.tokens(self.index.text(s) + " " + s.context + " " + " ".join(s.section)))
        return len(qtok & have) / len(qtok)

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
        for rank, i in enumerate(np.argsort(-bm)[: max(k * 4, 50)].tolist()):
            if bm[i] > 0:
                fused[i] = fused.get(i, 0) + 1 / (60 + rank)
        return sorted(fused.items(), key=lambda x: -x[1])[:k]
