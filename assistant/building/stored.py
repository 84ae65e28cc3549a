"""A build read from the store as it is needed, for a server that holds nothing corpus-sized.

With the Milvus store a server does not read the build's rows or document text into memory. Sentence and
passage rows come from Milvus with the candidates that need them (each row's record: Columns.records), a
passage's or paragraph's other rows by a filter on its number, and a document's text from the build folder
by its byte offset (the folder stands for object storage: only the documents a request quotes are read).
Each is cached, within a bound, so an answer reads each row once.

What stays in memory grows with the number of documents, names and words, not sentences: the catalog (each
document's title, publisher, date, length), the cast, BM25's document frequencies, build summaries.
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from cachetools import LRUCache

if TYPE_CHECKING:
    from .ingest import Document
    from .rows import DocInfo

ROWS_CACHED = 20_000  # rows (about 2.7 KB each as cached, bench/memory.py): the candidates of some 30 answers
DOCUMENTS_CACHED = 64  # document texts: what the quotes of a few answers are in
GROUPS_CACHED = 20_000  # a paragraph's or passage's rows


class Held:
    """A file of the build, opened when the build is loaded and read by offset for as long as the server
    answers from it: a newer build may remove the folder meanwhile (store.prune), and an open file stays
    readable. Closed when nothing refers to it any more."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self.fd)

    def read(self, at: int, size: int) -> bytes:
        return os.pread(self.fd, size, at)  # (no shared file position: safe across answer threads)

    def read_all(self) -> bytes:
        return self.read(0, os.fstat(self.fd).st_size)


class Bounded:
    """A thread-safe LRU cache that fills what is missing in one call: rows are fetched together."""

    def __init__(self, size: int, fetch: Callable[[list], dict]):
        self.cache: LRUCache = LRUCache(maxsize=size)
        self.fetch = fetch
        self.lock = threading.Lock()

    def get_many(self, keys: Sequence) -> list:
        with self.lock:
            found = {k: self.cache[k] for k in keys if k in self.cache}
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            got = self.fetch(missing)
            lost = [k for k in missing if k not in got]
            if lost:
                raise KeyError(f"the store has no record of {lost[:5]}")
            with self.lock:
                for k in missing:
                    self.cache[k] = got[k]
            found.update(got)
        return [found[k] for k in keys]

    def get(self, key):
        return self.get_many([key])[0]


class Memo(dict):
    """Values computed per row or paragraph, kept until `size` of them, then forgotten together: a memo of a
    long-running server must not grow to the corpus's size. (Reads and writes stay single dict operations,
    safe across answer threads.)"""

    def __init__(self, size: int = 200_000):
        super().__init__()
        self.size = size

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.size and key not in self:
            self.clear()
        super().__setitem__(key, value)


class StoredRows(Sequence):
    """A table's rows (SentenceRow or ChunkRow), read from the store by row number as they are asked for."""

    def __init__(self, table, size: int, make: Callable[[dict], Any]):
        self.table = table
        self.size = size
        self.make = make
        self.records = Bounded(ROWS_CACHED, table.records)
        self.built: LRUCache = LRUCache(maxsize=ROWS_CACHED)
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i):
        if isinstance(i, slice):
            raise TypeError("rows read from the store are read by number, not by slice")
        i = int(i)
        if not 0 <= i < self.size:
            raise IndexError(i)
        with self.lock:
            row = self.built.get(i)
        if row is None:
            row = self.make(self.records.get(i))
            with self.lock:
                self.built[i] = row
        return row

    def __iter__(self) -> Iterator:
        raise TypeError("a server that holds no rows does not read every row: ask for the ones needed")

    def column(self, value: Callable[[dict], Any], dtype) -> StoredColumn:
        return StoredColumn(self, value, dtype)


class StoredColumn:
    """One value of each row, computed from its record: `column[rows]` as a numpy array of those rows'
    values (rows fetched together), `column[row]` one value. The whole column is never read."""

    def __init__(self, rows: StoredRows, value: Callable[[dict], Any], dtype):
        self.rows = rows
        self.value = value
        self.dtype = dtype

    def __getitem__(self, rows):
        if isinstance(rows, slice):
            raise TypeError("a column read from the store is read for given rows, not whole")
        if np.ndim(rows) == 0:
            return self.value(self.rows.records.get(int(rows)))
        keys = [int(r) for r in np.asarray(rows).ravel()]
        return np.asarray([self.value(rec) for rec in self.rows.records.get_many(keys)], self.dtype).reshape(np.shape(rows))


class StoredGroups:
    """The rows of given passages or paragraphs (retrieve.Groups over a column of the store)."""

    def __init__(self, table, field: str, count: int):
        self.table = table
        self.field = field
        self.count = count  # passages or paragraphs, numbered 0 .. count - 1
        self.cache = Bounded(GROUPS_CACHED, self._fetch)

    def __len__(self) -> int:
        return self.count

    def _fetch(self, values: list[int]) -> dict[int, np.ndarray]:
        return self.table.rows_in(self.field, values)

    def rows(self, values) -> np.ndarray:
        values = sorted({int(v) for v in np.asarray(values).ravel() if v >= 0})
        if not values:
            return np.zeros(0, np.int64)
        return np.sort(np.concatenate(self.cache.get_many(values)))

    def __getitem__(self, value: int) -> list[int]:
        return self.rows([value]).tolist()


class StoredDocuments(Mapping):
    """The build's documents: what each is from the catalog (in memory, one entry a document), its text and
    blocks read from documents.jsonl at the byte offset the build recorded, when a quote or the viewer needs it."""

    def __init__(self, folder: Path, catalog: dict[str, DocInfo], make: Callable[[dict], Document]):
        self.file = Held(folder / "documents.jsonl")
        self.catalog = catalog
        self.make = make
        self.texts = Bounded(DOCUMENTS_CACHED, self._read)

    def _read(self, ids: list[str]) -> dict[str, Document]:
        return {i: self.make(json.loads(self.file.read(self.catalog[i].at, self.catalog[i].size))) for i in ids}

    def __getitem__(self, source_id: str) -> Document:
        if source_id not in self.catalog:
            raise KeyError(source_id)
        return self.texts.get(source_id)

    def __contains__(self, source_id) -> bool:
        return source_id in self.catalog

    def __iter__(self) -> Iterator[str]:
        return iter(self.catalog)

    def __len__(self) -> int:
        return len(self.catalog)

    def values(self):
        raise TypeError("a server that holds no document text does not read every document: use the catalog")
