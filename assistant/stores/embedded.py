"""The embedded store: FAISS vectors and bm25s postings as files in the build folder.

build-.../chunks.faiss, sentences.faiss     row i is vector i
build-.../bm25_chunks/, bm25_sentences/     BM25 (bm25s) over the same rows
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .base import TABLES, TIE_MARGIN, Columns, Where, best, reciprocal_rank_fusion

# Exact search is about 9 ms at 100k vectors and 65 ms at 1M on this kind of machine: below the
# threshold flat is right; above it HNSW answers in about a millisecond at recall@10 ~0.95+.
FLAT_MAX = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 192
BM25_MMAP_BYTES = 32_000_000  # a BM25 matrix larger than this is mapped from disk, not read into memory
EMPTY_TERMS = "\u2205"  # what a row with no terms is indexed as: bm25s cannot index an empty document


def quiet_bm25s():
    """bm25s, imported lazily (it is slow to import); it sets its own logger to DEBUG on import,
    which would print a line per index in any process that logs at INFO."""
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def vector_index(mat: np.ndarray):
    """An inner-product FAISS index over normalised vectors, its type chosen by size."""
    import faiss

    dim = mat.shape[1] if mat.ndim == 2 and mat.shape[1] else 1
    if len(mat) <= FLAT_MAX:
        idx = faiss.IndexFlatIP(dim)
    else:
        idx = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        idx.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    if len(mat):
        idx.add(mat)
    return idx


def read_vector_index(path: Path):
    """Read a FAISS index; a big one is memory-mapped where FAISS allows, not copied into memory."""
    import faiss

    big = path.stat().st_size > FLAT_MAX * 384 * 4
    idx = None
    # IO_FLAG_MMAP_IFC maps the file (pages come in as queries touch them; 1M vectors load in 0.05 s);
    # plain IO_FLAG_MMAP still copies an HNSW index into memory (bench/scale.py measures both).
    flag = getattr(faiss, "IO_FLAG_MMAP_IFC", None)
    if big and flag is not None:
        try:
            idx = faiss.read_index(str(path), flag)
        except RuntimeError:
            idx = None
    if idx is None:
        idx = faiss.read_index(str(path))
    if hasattr(idx, "hnsw"):
        idx.hnsw.efSearch = HNSW_EF_SEARCH
    return idx


def read_bm25(folder: Path):
    """Read a bm25s index; a big one's score matrix is memory-mapped, so the pages come in as queries touch
    them and `serve --workers N` processes share one copy through the page cache."""
    bm25s = quiet_bm25s()

    data = folder / "data.csc.index.npy"
    big = data.exists() and data.stat().st_size > BM25_MMAP_BYTES
    return bm25s.BM25.load(str(folder), mmap=big)


class EmptyBM25:
    """The BM25 index of a corpus with no text yet (sources that are all empty, or none): matches nothing."""

    vocab_dict: dict[str, int] = {}
    scores = {"num_docs": 0}


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


class ArrayScores:
    """Scores of every row, computed at once: a request asks for the top and for its candidates' scores."""

    def __init__(self, scores: np.ndarray):
        self.scores = scores

    def top(self, k: int, where: Where | None = None) -> np.ndarray:
        scores = self.scores
        if where is not None:
            mask = np.zeros(len(scores), bool)
            mask[where.rows] = True
            scores = np.where(mask, scores, 0)
        hit = top_k(scores, k + TIE_MARGIN)
        return best(hit, scores[hit], k)

    def at(self, rows: np.ndarray) -> np.ndarray:
        return self.scores[rows]


class EmbeddedTable:
    def __init__(self, vectors, bm25):
        self.index = vectors
        self.bm = bm25
        self.size = vectors.ntotal

    def dense(self, qvec: np.ndarray, k: int, where: Where | None = None) -> np.ndarray:
        import faiss

        k = min(k, self.size if where is None else len(where.rows))
        if k <= 0:
            return np.zeros(0, np.int64)
        params = None
        if where is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(where.rows))
        n = min(k + TIE_MARGIN, self.size if where is None else len(where.rows))
        scores, ids = self.index.search(qvec.reshape(1, -1), n, params=params)
        found = ids[0] >= 0
        return best(ids[0][found], scores[0][found], k)

    def cosine(self, qvec: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0, np.float32)
        return self.index.reconstruct_batch(rows) @ qvec

    def bm25(self, tokens: Sequence[str], kin: Sequence[str] = (), kin_weight: float = 0.0) -> ArrayScores:
        scores = bm25_scores(self.bm, tokens)
        if kin:
            scores += kin_weight * bm25_scores(self.bm, kin)
        return ArrayScores(scores)

    def fused(self, qvec: np.ndarray, tokens: Sequence[str], k: int, depth: int,
              where: Where | None = None) -> list[tuple[int, float]]:
        """Dense and BM25 fused by reciprocal rank (base.reciprocal_rank_fusion)."""
        return reciprocal_rank_fusion([self.dense(qvec, depth, where), self.bm25(tokens).top(depth, where)], k)

    def holding(self, stems: Sequence[str]) -> np.ndarray:
        """From the BM25 postings: nothing is read again."""
        bm = self.bm
        if not stems or any(st not in bm.vocab_dict for st in stems):
            return np.zeros(0, np.int64)
        indptr, indices = bm.scores["indptr"], bm.scores["indices"]
        rows = None
        for st in stems:
            t = bm.vocab_dict[st]
            got = np.asarray(indices[indptr[t]:indptr[t + 1]], np.int64)
            rows = got if rows is None else np.intersect1d(rows, got)
        return rows

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        if self.size != len(keys):
            return {}
        mat = self.index.reconstruct_n(0, self.size) if self.size else np.zeros((0, self.index.d), np.float32)
        return dict(zip(keys, mat))


class EmbeddedWriter:
    def write(self, folder: Path, name: str, tables: dict[str, Columns]) -> str:
        import faiss

        bm25s = quiet_bm25s()
        for table, cols in tables.items():
            faiss.write_index(vector_index(cols.vectors), str(folder / f"{table}.faiss"))
            if not cols.tokens:
                continue  # bm25s cannot index nothing; an empty corpus loads an EmptyBM25 (a folder with no text yet)
            bm = bm25s.BM25()
            bm.index([t or [EMPTY_TERMS] for t in cols.tokens], show_progress=False)
            bm.save(str(folder / f"bm25_{table}"))
        return "embedded"

    def publish(self, entry, previous) -> None:
        """The folder's `current` link is the whole switch."""


def open_embedded(folder: Path) -> dict[str, EmbeddedTable]:
    out = {}
    for table in TABLES:
        vectors = read_vector_index(folder / f"{table}.faiss")
        bm = read_bm25(folder / f"bm25_{table}") if (folder / f"bm25_{table}").exists() else EmptyBM25()
        out[table] = EmbeddedTable(vectors, bm)
    return out
