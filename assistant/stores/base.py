"""The store interface: what retrieval asks of a table of rows (sentences or passages)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

TABLES = ("sentences", "chunks")


def literal(values) -> str:
    """A value in a filter expression. Milvus's string syntax is JSON's (Milvus Lite takes no filter templates,
    so values are written into the expression, quoted and escaped)."""
    return json.dumps(values, ensure_ascii=False)


TIE_MARGIN = 16  # rows fetched past k, so that rows tied at the k-th score are chosen the same way in every store


def best(rows: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The k best rows, ties (to 6 decimals: stores sum floats in different orders) to the lower row: each
    store breaks ties its own way, and what is ranked must not depend on which one holds the vectors."""
    order = np.lexsort((rows, -np.round(scores.astype(np.float64), 6)))
    return rows[order][:k].astype(np.int64)


def reciprocal_rank_fusion(ranked: Sequence[np.ndarray], k: int) -> list[tuple[int, float]]:
    """Rows of several rankings fused by 1 / (60 + rank), ranks from 0, best first; a tie goes to the row met
    first, taking the rankings in order (dense before BM25). Both stores fuse with this, so raw search is the
    same whichever holds the index. (Milvus's RRFRanker gives these scores with k=59, but breaks ties its own
    way: SciFact's nDCG@10 moved by 0.002 with its ties.)"""
    fused: dict[int, float] = {}
    for ids in ranked:
        for rank, i in enumerate(ids.tolist()):
            fused[i] = fused.get(i, 0) + 1 / (60 + rank)
    return sorted(fused.items(), key=lambda x: -x[1])[:k]


@dataclass(frozen=True)
class Where:
    """A subset of a table's rows, said twice: as the rows (the embedded store selects them by number) and
    as a filter over the store's scalar fields (Milvus selects them by source and actor, not by a list of
    row numbers that grows with the corpus). Both name the same rows; tests check that they do. A server
    that holds no rows (building/stored.py) knows only the filter: `rows` is None."""

    rows: np.ndarray | None
    expr: str = ""

    def both(self, other: Where | None) -> Where:
        if other is None:
            return self
        expr = f"({self.expr}) and ({other.expr})" if self.expr and other.expr else ""
        rows = None if self.rows is None or other.rows is None else np.intersect1d(self.rows, other.rows)
        return Where(rows, expr)


class Scores(Protocol):
    """BM25 scores of one query over a table (the query's words, and at a lower weight their kin)."""

    def top(self, k: int, where: Where | None = None) -> np.ndarray:
        """Rows of the k best positive scores, best first."""

    def at(self, rows: np.ndarray) -> np.ndarray:
        """The scores of these rows (0 where nothing matched)."""


class Table(Protocol):
    size: int

    def dense(self, qvec: np.ndarray, k: int, where: Where | None = None) -> np.ndarray:
        """Rows of the k nearest vectors by inner product, best first."""

    def cosine(self, qvec: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The inner product of the query with each of these rows' vectors."""

    def bm25(self, tokens: Sequence[str], kin: Sequence[str] = (), kin_weight: float = 0.0) -> Scores: ...

    def fused(self, qvec: np.ndarray, tokens: Sequence[str], k: int, depth: int,
              where: Where | None = None) -> list[tuple[int, float]]:
        """The k best rows by dense and BM25 rank fused (reciprocal_rank_fusion; `depth` of each), with scores."""

    def holding(self, stems: Sequence[str]) -> np.ndarray:
        """Rows whose terms hold every one of these stems, ascending."""

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Every row's vector by the key of the text it embeds (`keys`, in row order): a rebuild reuses them."""


@dataclass
class Columns:
    """One table of a build as a store writes it."""

    keys: list[str]
    vectors: np.ndarray
    tokens: list[list[str]]  # BM25 terms (terms.index_tokens)
    scalars: dict[str, list] = field(default_factory=dict)  # filter fields: source, actor, kinds, date ...
    # Each row as a server reads it with its candidates (building/stored.py), where the store serves rows
    # too (Milvus); the embedded store leaves them to the build folder's files.
    records: list[dict] | None = None


class Writer(Protocol):
    def write(self, folder: Path, name: str, tables: dict[str, Columns]) -> dict | str:
        """Write a build's tables (beside or into its folder); returns the manifest's `store` entry."""

    def publish(self, entry: dict | str, previous: dict | str | None) -> None:
        """The build is now current: point the store's names at it and drop what neither it nor the
        build before it uses (a server still answering from that one keeps working)."""
