"""The Milvus store: each build's sentences and passages as two collections in Milvus.

Each collection holds per row: its number (the primary key, the row in the build folder's tables), the key of
the text its vector embeds, the dense vector, its BM25 terms with Milvus's own BM25 function turning them
into a sparse vector, scalar fields that filters use (source; for sentences also actor, person, voice,
speaker, kinds, date, and the passage and paragraph a sentence is in), and the row's record, which a server
reads instead of holding the build's rows (building/stored.py). A build writes new collections; once its folder is current, the aliases
<prefix>_sentences and <prefix>_chunks are switched to them, and collections that neither it nor the build
before it uses are dropped.

`ASSISTANT_MILVUS_URI` is a file path (Milvus Lite, run inside this process: a development engine, for a
small corpus and for tests) or http(s)://host:19530 (a Milvus standalone or cluster;
`ASSISTANT_MILVUS_TOKEN` is sent as its credentials).
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from ..errors import IndexMismatchError, StoreError
from ..settings import Settings
from .base import TABLES, TIE_MARGIN, Columns, Where, best, literal, reciprocal_rank_fusion
from .embedded import EMPTY_TERMS, FLAT_MAX, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M

LIMIT = 16384  # Milvus's largest topk and query limit: longer row lists go in parts
INSERT_BATCH = 1000
MAX_TEXT = 65535  # characters of a VARCHAR field
MAX_JSON = 65536  # bytes of a JSON field (https://milvus.io/docs/use-json-fields.md, "Limits")
# BM25 as bm25s computes it for the embedded store (its defaults): Milvus's scores are then the same up to
# a constant factor, which retrieval's per-query normalisation removes.
BM25_K1 = 1.5
BM25_B = 0.75
SCALARS = ("source", "actor", "person", "voice", "speaker", "date")  # VARCHAR filter fields; kinds is an array
NUMBERS = ("chunk", "paragraph")  # INT64 fields: a sentence's passage and paragraph, to find their other rows
PLAIN_TERM = re.compile(r"[a-wyz][a-z]*")


def is_local(uri: str) -> bool:
    return not re.match(r"^(?:https?|tcp|grpc|unix)://", uri)


def public_uri(uri: str) -> str:
    """The URI as a manifest or a message may show it: a file as an absolute path, a server without credentials."""
    if is_local(uri):
        return str(Path(uri).expanduser().resolve())
    parts = urlsplit(uri)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


_clients: dict[tuple[str, str], object] = {}
_clients_lock = threading.Lock()


def client(settings: Settings):
    """One client per URI and process, shared by every thread (gRPC channels are thread-safe). Milvus Lite
    serves a file to one process only: a second process gets a clear error, not a hang."""
    uri = settings.milvus_uri or ""
    token = settings.milvus_token or ""
    key = (uri, token)
    with _clients_lock:
        if key in _clients:
            return _clients[key]
        try:
            from pymilvus import MilvusClient
        except ImportError:
            raise StoreError("ASSISTANT_MILVUS_URI is set but pymilvus is not installed: "
                             "pip install -e '.[scale]'") from None
        where = public_uri(uri)
        if is_local(uri):
            Path(where).parent.mkdir(parents=True, exist_ok=True)
        # Milvus Lite logs its own traceback when a file is held by another process; the error below says it once.
        lite_log = logging.getLogger("milvus_lite.server_manager")
        level = lite_log.level
        lite_log.setLevel(logging.CRITICAL)
        try:
            # A connection of its own: pymilvus shares one per address in a process (and gRPC one TCP
            # connection per address across channels). Milvus Lite's server answers an idle client's
            # keepalive pings with a GOAWAY ("too many pings"), and a new client in a process whose earlier
            # connection had been told so failed to connect (a test that made a second client did).
            c = MilvusClient(uri=where if is_local(uri) else uri, token=token, timeout=30, dedicated=True,
                             grpc_options={"grpc.use_local_subchannel_pool": 1})
        except Exception as e:  # pymilvus raises its own exceptions and gRPC's
            hint = (" (Milvus Lite serves a file to one process at a time: is a server using it?)"
                    if is_local(uri) else "")
            raise StoreError(f"Milvus at {where} could not be opened: {reason(e)}{hint}") from None
        finally:
            lite_log.setLevel(level)
        _clients[key] = c
        return c


def reason(e: Exception) -> str:
    return getattr(e, "message", None) or str(e).splitlines()[0] or type(e).__name__


def milvus_errors(fn):
    """Whatever Milvus raises reaches the edges as a StoreError: the API answers 503 with its reason."""

    @functools.wraps(fn)
    def wrapped(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except (StoreError, IndexMismatchError):
            raise
        except Exception as e:
            raise StoreError(f"Milvus ({self.label}) failed: {reason(e)}") from None

    return wrapped


def term(token: str) -> str:
    """A BM25 term as Milvus's standard tokenizer keeps it, one token: plain words as they are, anything
    else (digits, hyphens, accents) spelt in hex behind an x, which no plain word starts with."""
    return token if PLAIN_TERM.fullmatch(token) else "x" + token.encode().hex()


def terms_text(tokens: Sequence[str]) -> str:
    return " ".join(term(t) for t in tokens)


def collection_name(prefix: str, build: str, table: str) -> str:
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', build)}_{table}"


def alias_name(prefix: str, table: str) -> str:
    return f"{prefix}_{table}"


class MilvusScores:
    """BM25 scores of a query, fetched as asked: the top rows, or the scores of given rows. Every score Milvus
    returns is exact for its row, so each is kept: retrieval asks for the top and then for its candidates'
    scores, and the rows it already has are not searched again."""

    def __init__(self, table: MilvusTable, tokens: Sequence[str], kin: Sequence[str], kin_weight: float):
        self.table = table
        self.queries = [(terms_text(tokens), 1.0)] if tokens else []
        if kin:
            self.queries.append((terms_text(kin), kin_weight))
        self.known: list[dict[int, float]] = [{} for _ in self.queries]  # per query: row -> its exact score

    def top(self, k: int, where: Where | None = None) -> np.ndarray:
        if not self.queries or k <= 0:
            return np.zeros(0, np.int64)
        expr, rows = (where.expr, where.rows) if where is not None else ("", None)
        found = []
        for (text, _), known in zip(self.queries, self.known):
            got = self.table.bm25_search(text, k + TIE_MARGIN, expr, rows)
            known.update(got)
            found.append(got)
        if len(found) == 1:
            got = found[0]
            return best(np.asarray(list(got), np.int64), np.asarray(list(got.values()), np.float32), k)
        # The best of the weighted sum are among the best of each part: those are scored in full.
        cand = np.asarray(sorted(set().union(*found)), np.int64)
        scores = self.at(cand)
        keep = scores > 0
        return best(cand[keep], scores[keep], k)

    def at(self, rows: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows), np.float32)
        if not self.queries or len(rows) == 0:
            return out
        wanted = [int(r) for r in rows]
        for (text, weight), known in zip(self.queries, self.known):
            missing = np.asarray(sorted({r for r in wanted if r not in known}), np.int64)
            if len(missing):
                got = self.table.bm25_search(text, len(missing), "", missing)
                known.update((r, got.get(r, 0.0)) for r in missing.tolist())  # not returned: nothing matched
            out += weight * np.asarray([known[r] for r in wanted], np.float32)
        return out


class MilvusTable:
    def __init__(self, c, name: str, size: int, label: str):
        self.c = c
        self.name = name
        self.size = size
        self.label = label

    def _filter(self, expr: str, rows: np.ndarray | None) -> str:
        if expr:
            return expr
        if rows is not None:
            return f"row in {literal([int(r) for r in rows])}"
        return ""

    @milvus_errors
    def dense(self, qvec: np.ndarray, k: int, where: Where | None = None) -> np.ndarray:
        k = min(k, self.size if where is None or where.rows is None else len(where.rows), LIMIT)
        if k <= 0:
            return np.zeros(0, np.int64)
        n = min(k + TIE_MARGIN, LIMIT)
        res = self.c.search(self.name, data=[qvec.astype(np.float32).tolist()], anns_field="dense", limit=n,
                            filter=self._filter(where.expr, where.rows) if where is not None else "",
                            output_fields=["row"], search_params={"metric_type": "IP", "params": {"ef": max(HNSW_EF_SEARCH, n)}})
        hits = res[0]
        return best(np.asarray([h["entity"]["row"] for h in hits], np.int64),
                    np.asarray([h["distance"] for h in hits], np.float32), k)

    @milvus_errors
    def cosine(self, qvec: np.ndarray, rows: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows), np.float32)
        if len(rows) == 0:
            return out
        pos = {int(r): i for i, r in enumerate(rows)}
        ids = list(pos)
        for i in range(0, len(ids), LIMIT):
            for rec in self.c.query(self.name, ids=ids[i:i + LIMIT], output_fields=["row", "dense"]):
                out[pos[int(rec["row"])]] = np.asarray(rec["dense"], np.float32) @ qvec
        return out

    @milvus_errors
    def bm25_search(self, text: str, k: int, expr: str = "", rows: np.ndarray | None = None) -> dict[int, float]:
        """Row -> BM25 score of the best k rows (within `rows`, or the filter, when given)."""
        out: dict[int, float] = {}
        parts = [rows[i:i + LIMIT] for i in range(0, len(rows), LIMIT)] if rows is not None and not expr else [None]
        for part in parts:
            limit = min(k if part is None else len(part), LIMIT)
            if limit <= 0:
                continue
            res = self.c.search(self.name, data=[text], anns_field="sparse", limit=limit,
                                filter=self._filter(expr, part), output_fields=["row"],
                                search_params={"metric_type": "BM25"})
            # Milvus Lite reports BM25 as a negative distance, a server as a positive score: the size is the score.
            out.update((int(h["entity"]["row"]), abs(float(h["distance"]))) for h in res[0])
        return out

    def bm25(self, tokens: Sequence[str], kin: Sequence[str] = (), kin_weight: float = 0.0) -> MilvusScores:
        return MilvusScores(self, tokens, kin, kin_weight)

    def fused(self, qvec: np.ndarray, tokens: Sequence[str], k: int, depth: int,
              where: Where | None = None) -> list[tuple[int, float]]:
        """Dense and BM25 fused by reciprocal rank, from the two searches, as the embedded store fuses them
        (base.reciprocal_rank_fusion): one hybrid_search call gives the same scores but orders ties its own way."""
        return reciprocal_rank_fusion([self.dense(qvec, depth, where), self.bm25(tokens).top(depth, where)], k)

    def holding(self, stems: Sequence[str]) -> np.ndarray:
        if not stems:
            return np.zeros(0, np.int64)
        return self.rows_where(" and ".join(f"TEXT_MATCH(terms, '{term(s)}')" for s in stems))

    @milvus_errors
    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        page = 4096
        for start in range(0, self.size, page):  # rows are numbered 0..size-1: pages by primary key
            got = self.c.query(self.name, filter=f"row >= {start} and row < {start + page}",
                               output_fields=["key", "dense"], limit=page)
            out.update((r["key"], np.asarray(r["dense"], np.float32)) for r in got)
        return out

    @milvus_errors
    def records(self, rows: Sequence[int]) -> dict[int, dict]:
        """The records of these rows (Columns.records), by row."""
        out: dict[int, dict] = {}
        ids = list(rows)
        for i in range(0, len(ids), LIMIT):
            for rec in self.c.query(self.name, ids=ids[i:i + LIMIT], output_fields=["row", "rec"]):
                out[int(rec["row"])] = rec["rec"]
        return out

    @milvus_errors
    def rows_in(self, name: str, values: Sequence[int]) -> dict[int, np.ndarray]:
        """The rows holding each of these values in the integer field `name`, ascending (a value no row holds
        has none)."""
        out: dict[int, list[int]] = {int(v): [] for v in values}
        values = sorted(out)
        for i in range(0, len(values), 1024):  # a passage or paragraph has few rows: well under LIMIT per part
            got = self.c.query(self.name, filter=f"{name} in {literal(values[i:i + 1024])}",
                               output_fields=["row", name], limit=LIMIT)
            for r in got:
                out[int(r[name])].append(int(r["row"]))
        return {v: np.asarray(sorted(rows), np.int64) for v, rows in out.items()}

    @milvus_errors
    def rows_where(self, expr: str) -> np.ndarray:
        """The rows a filter selects, ascending, up to LIMIT of them. (Callers ask whether a few rows hold
        something; Milvus Lite lacks what a query iterator needs to page past the cap.)"""
        got = self.c.query(self.name, filter=expr, output_fields=["row"], limit=LIMIT)
        return np.asarray(sorted(int(r["row"]) for r in got), np.int64)


class MilvusWriter:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.prefix = settings.milvus_prefix
        self.label = public_uri(settings.milvus_uri or "")

    @milvus_errors
    def write(self, folder: Path, name: str, tables: dict[str, Columns]) -> dict:
        c = client(self.settings)
        entry = {"kind": "milvus", "uri": self.label, "prefix": self.prefix, "collections": {}}
        for table, cols in tables.items():
            cname = collection_name(self.prefix, name, table)
            if c.has_collection(cname):
                c.drop_collection(cname)
            c.create_collection(cname, schema=schema(c, cols), index_params=index_params(c, len(cols.keys)))
            for i in range(0, len(cols.keys), INSERT_BATCH):
                c.insert(cname, [record(cols, j) for j in range(i, min(i + INSERT_BATCH, len(cols.keys)))])
            c.flush(cname)
            entry["collections"][table] = cname
        return entry

    @milvus_errors
    def publish(self, entry: dict, previous) -> None:
        c = client(self.settings)
        aliases = set(c.list_aliases().get("aliases", []))
        for table, cname in entry["collections"].items():
            alias = alias_name(self.prefix, table)
            if alias in aliases:
                c.alter_alias(cname, alias)
            else:  # the first build
                c.create_alias(cname, alias)
        keep = set(entry["collections"].values())
        if isinstance(previous, dict) and previous.get("prefix") == self.prefix:
            keep |= set(previous.get("collections", {}).values())
        for cname in self.orphans(keep):
            c.drop_collection(cname)

    def orphans(self, keep: set[str]) -> list[str]:
        """Collections of this prefix's builds that no kept build uses (an interrupted build's among them)."""
        pattern = re.compile(rf"^{re.escape(self.prefix)}_build_.*_(?:{'|'.join(TABLES)})$")
        return [n for n in client(self.settings).list_collections() if pattern.match(n) and n not in keep]


def schema(c, cols: Columns):
    from pymilvus import DataType, Function, FunctionType

    s = c.create_schema(auto_id=False)
    s.add_field("row", DataType.INT64, is_primary=True)
    s.add_field("key", DataType.VARCHAR, max_length=64)
    s.add_field("terms", DataType.VARCHAR, max_length=MAX_TEXT, enable_analyzer=True, enable_match=True,
                analyzer_params={"tokenizer": "standard"})
    for name in cols.scalars:
        if name == "kinds":
            s.add_field(name, DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=16, max_length=32)
        elif name in NUMBERS:
            s.add_field(name, DataType.INT64)
        else:
            s.add_field(name, DataType.VARCHAR, max_length=1024, nullable=True)
    if cols.records is not None:
        s.add_field("rec", DataType.JSON)
    s.add_field("dense", DataType.FLOAT_VECTOR, dim=int(cols.vectors.shape[1]) if cols.vectors.ndim == 2 else 1)
    s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    s.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["terms"],
                            output_field_names=["sparse"]))
    return s


def index_params(c, n: int):
    p = c.prepare_index_params()
    if n <= FLAT_MAX:  # the same choice as the embedded store's: exact below, HNSW above
        p.add_index("dense", index_type="FLAT", metric_type="IP")
    else:
        p.add_index("dense", index_type="HNSW", metric_type="IP",
                    params={"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION})
    p.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                params={"bm25_k1": BM25_K1, "bm25_b": BM25_B})
    return p


def record(cols: Columns, i: int) -> dict:
    text = terms_text(cols.tokens[i]) or term(EMPTY_TERMS)
    rec = {"row": i, "key": cols.keys[i], "terms": text[:MAX_TEXT].rsplit(" ", 1)[0] if len(text) > MAX_TEXT else text,
           "dense": cols.vectors[i].astype(np.float32).tolist()}
    for name, values in cols.scalars.items():
        v = values[i]
        rec[name] = list(v) if name == "kinds" else int(v) if name in NUMBERS else (v or None)
    if cols.records is not None:
        size = len(json.dumps(cols.records[i], ensure_ascii=False).encode("utf-8"))
        if size > MAX_JSON:  # (a sentence is cut to what the model reads, so this is a damaged source, not prose)
            raise StoreError(f"row {i} of {cols.records[i].get('source_id', 'a source')} is {size:,} bytes as a record; "
                             f"Milvus holds at most {MAX_JSON:,}")
        rec["rec"] = cols.records[i]
    return rec


def open_milvus(settings: Settings, entry: dict, manifest: dict) -> dict[str, MilvusTable]:
    if not settings.milvus_uri or public_uri(settings.milvus_uri) != entry.get("uri"):
        raise IndexMismatchError(f"the index was built into Milvus at {entry.get('uri')}; the settings say "
                                 f"{settings.milvus_uri or 'the embedded store'}; run `assistant index`")
    c = client(settings)
    label = public_uri(settings.milvus_uri)
    out = {}
    counts = manifest.get("counts", {})
    try:
        present = set(c.list_collections())
    except Exception as e:
        raise StoreError(f"Milvus at {label} could not be reached: {reason(e)}") from None
    for table in TABLES:
        cname = entry["collections"][table]
        if cname not in present:
            raise IndexMismatchError(f"collection {cname} is not in Milvus at {label}; run `assistant index`")
        try:  # a Milvus started again holds its collections released: searches need them loaded
            c.load_collection(cname)
        except Exception as e:
            raise StoreError(f"Milvus at {label} could not load {cname}: {reason(e)}") from None
        out[table] = MilvusTable(c, cname, int(counts.get(table, 0)), label)
    return out
