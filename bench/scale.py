"""Scale benchmark: dense and hybrid retrieval at 100k and 1M chunks, on synthetic data.

For each corpus size N this measures, in one process and on the same machine:

* Exact baseline, ``faiss.IndexFlatIP``: build time, memory, single-query latency (p50/p95).
  Its batched top-100 is the ground truth for every recall figure.
* HNSW, ``faiss.IndexHNSWFlat(d, M, METRIC_INNER_PRODUCT)``: build time (``--build-threads``
  OpenMP threads), memory, latency and recall@10 at several efSearch values; then the index is
  written to a temporary file and read back three ways: ``faiss.read_index(path)``,
  with ``faiss.IO_FLAG_MMAP`` and with ``faiss.IO_FLAG_MMAP_IFC`` (each reported as not supported
  if faiss refuses): load time, private vs file-mapped memory, first queries, same answers.
* IVF, ``faiss.IndexIVFFlat`` with nlist ~ 4*sqrt(N): train + add time, latency, recall@10
  at several nprobe values (skip with ``--no-ivf``).
* BM25, ``bm25s.BM25`` over synthetic short texts (10-30 words drawn from a Zipf distribution
  over ~50k made-up words): build time, memory, and top-100 latency three ways: ``get_scores`` +
  ``np.argpartition``, ``retrieve(k=100)``, and the assistant's own (``get_scores`` + top-k over
  the documents that matched).
* Hybrid: HNSW top-100 + BM25 top-100 fused by reciprocal rank fusion (k=60) into a top-10,
  timed end to end per query. Its recall@10 is against the same fusion with the exact dense
  top-100 in place of HNSW's.

Vectors are 384-d, L2-normalised float32 points scattered around Gaussian cluster centres;
queries are perturbed points near the same centres. All data comes from a fixed seed.
Latency is one query at a time with one faiss thread; "x flat" is each p50 divided by the exact
flat p50 measured in the same run. Memory is the growth of the process RSS (VmRSS) over a
build; build CPU seconds (all threads) are in the JSON next to the wall-clock build time.

Run from the repository root:

    .venv/bin/python bench/scale.py            # N = 100,000 and 1,000,000 (several minutes)
    .venv/bin/python bench/scale.py --quick    # N = 20,000 and 100,000, 50 queries, efConstruction 40
                                               # (well under a minute on 2 cores)

A table per size is printed, and every figure is written as JSON to
``bench/results/scale-<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict, astuple, dataclass, field
from pathlib import Path
from typing import Callable

import bm25s
import faiss
import numpy as np
from common import RESULTS, machine, rss_mb

from assistant.building.store import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M

DIM = 384
TOP_K = 10
FUSION_DEPTH = 100  # each retriever contributes its top-100 to the fusion
RRF_K = 60
WARMUP_QUERIES = 5


# --------------------------------------------------------------------------- measurement helpers


def release_memory() -> None:
    """Collect garbage and hand freed heap back to the OS so later RSS deltas are meaningful."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


@dataclass
class Cost:
    seconds: float  # wall clock
    cpu_s: float  # process CPU time, all threads: cpu_s / seconds is the parallelism achieved
    rss_mb: float  # growth of VmRSS


def timed(fn: Callable[[], object]) -> tuple[object, Cost]:
    """Run fn; return its result and what it cost."""
    release_memory()
    before, cpu, start = rss_mb(), time.process_time(), time.perf_counter()
    result = fn()
    cost = Cost(time.perf_counter() - start, time.process_time() - cpu, rss_mb() - before)
    return result, cost


def latencies_ms(search_one: Callable[[int], object], n_queries: int) -> tuple[np.ndarray, list]:
    """Time search_one(i) for every query i, after a few untimed warm-up calls."""
    for i in range(min(WARMUP_QUERIES, n_queries)):
        search_one(i)
    times, results = [], []
    for i in range(n_queries):
        start = time.perf_counter()
        results.append(search_one(i))
        times.append((time.perf_counter() - start) * 1000)
    return np.array(times), results


def recall_at_k(found: np.ndarray, truth: np.ndarray, k: int = TOP_K) -> float:
    """Mean fraction of each row's true top-k that appears in the found top-k."""
    hits = [len(set(f[:k].tolist()) & set(t[:k].tolist())) for f, t in zip(found, truth)]
    return float(np.mean(hits)) / k


@dataclass
class Row:
    method: str
    setting: str
    build_s: float | None = None
    memory_mb: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    recall_at_10: float | None = None
    vs_flat_p50: float | None = None
    extra: dict = field(default_factory=dict)


def latency_row(method: str, setting: str, times_ms: np.ndarray, **kwargs) -> Row:
    p50, p95 = np.percentile(times_ms, [50, 95])
    return Row(method, setting, p50_ms=float(p50), p95_ms=float(p95), **kwargs)


def add_build_cost(row: Row, cost: Cost) -> Row:
    row.build_s, row.memory_mb = cost.seconds, cost.rss_mb
    row.extra["build_cpu_s"] = cost.cpu_s
    return row


# --------------------------------------------------------------------------- synthetic data


def cluster_centres(n_clusters: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit-norm Gaussian centres, and a noise scale per cluster (some tight, some loose)."""
    rng = np.random.default_rng([seed, 0])
    centres = normalise(rng.standard_normal((n_clusters, DIM), dtype=np.float32))
    spread = rng.uniform(0.3, 0.9, n_clusters).astype(np.float32)
    return centres, spread


def normalise(x: np.ndarray) -> np.ndarray:
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def clustered_points(n: int, centres: np.ndarray, spread: np.ndarray, rng, chunk: int = 100_000) -> np.ndarray:
    """n normalised points, each a random centre plus isotropic noise of that cluster's scale."""
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        labels = rng.integers(len(centres), size=m)
        noise = rng.standard_normal((m, DIM), dtype=np.float32)
        noise *= (spread[labels] / np.sqrt(DIM))[:, None]
        out[start : start + m] = normalise(centres[labels] + noise)
    return out


def made_up_vocabulary(size: int) -> np.ndarray:
    """Deterministic pronounceable non-words: each index spelled as three base-48 digits, one syllable each."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"][:48]
    words = []
    for i in range(size):
        parts, x = [], i
        for _ in range(3):
            x, r = divmod(x, len(syllables))
            parts.append(syllables[r])
        words.append("".join(parts) + ("x" * x))  # x > 0 only past 48**3 words
    return np.array(words, dtype=object)


def zipf_probabilities(size: int, exponent: float = 1.1) -> np.ndarray:
    p = 1.0 / np.arange(1, size + 1) ** exponent
    return p / p.sum()


def synthetic_corpus(n_docs: int, vocab: np.ndarray, rng) -> list[list[str]]:
    """n_docs texts of 10-30 tokens each, words drawn from a Zipf distribution over vocab."""
    lengths = rng.integers(10, 31, size=n_docs)
    word_ids = rng.choice(len(vocab), size=int(lengths.sum()), p=zipf_probabilities(len(vocab)))
    words = vocab[word_ids].tolist()
    bounds = np.concatenate([[0], np.cumsum(lengths)]).tolist()
    return [words[bounds[i] : bounds[i + 1]] for i in range(n_docs)]


def text_queries(corpus: list[list[str]], n_queries: int, rng) -> list[list[str]]:
    """3-6 distinct words taken from a random document, so every query matches something."""
    queries = []
    for doc in rng.choice(len(corpus), size=n_queries, replace=False):
        words = sorted(set(corpus[doc]))
        size = min(len(words), int(rng.integers(3, 7)))
        queries.append([words[j] for j in rng.choice(len(words), size=size, replace=False)])
    return queries


# --------------------------------------------------------------------------- dense indexes


def bench_flat(xb: np.ndarray, xq: np.ndarray, build_threads: int) -> tuple[Row, np.ndarray]:
    """Exact baseline row, and the exact top-FUSION_DEPTH ids of every query (ground truth)."""
    def build():
        index = faiss.IndexFlatIP(DIM)
        index.add(xb)
        return index

    index, cost = timed(build)
    faiss.omp_set_num_threads(1)
    times, results = latencies_ms(lambda i: index.search(xq[i : i + 1], TOP_K)[1][0], len(xq))
    faiss.omp_set_num_threads(build_threads)
    _, truth = index.search(xq, FUSION_DEPTH)  # batched: this is the ground truth, not timed
    row = add_build_cost(latency_row("flat (exact)", "IndexFlatIP", times), cost)
    row.recall_at_10 = recall_at_k(np.array(results), truth)
    return row, truth


def search_rows(index, method: str, settings: list[tuple[str, Callable[[], None]]], xq, truth) -> list[Row]:
    """One latency/recall row per setting; each setting is a label and a function applying it."""
    rows = []
    faiss.omp_set_num_threads(1)
    for label, apply in settings:
        apply()
        times, results = latencies_ms(lambda i: index.search(xq[i : i + 1], TOP_K)[1][0], len(xq))
        rows.append(latency_row(method, label, times, recall_at_10=recall_at_k(np.array(results), truth)))
    return rows


def bench_hnsw(xb, xq, truth, args) -> tuple[list[Row], faiss.Index]:
    def build():
        index = faiss.IndexHNSWFlat(DIM, args.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = args.ef_construction
        index.add(xb)
        return index

    faiss.omp_set_num_threads(args.build_threads)
    index, cost = timed(build)

    def set_ef(ef):
        return lambda: setattr(index.hnsw, "efSearch", ef)

    settings = [(f"M={args.hnsw_m} efC={args.ef_construction} efSearch={ef}", set_ef(ef)) for ef in args.ef_search]
    rows = search_rows(index, "hnsw", settings, xq, truth)
    add_build_cost(rows[0], cost)
    return rows, index


def bench_ivf(xb, xq, truth, args) -> list[Row]:
    n = len(xb)
    nlist = max(1, int(round(4 * np.sqrt(n))))
    sample = xb[np.random.default_rng([args.seed, 3, n]).choice(n, size=min(n, 39 * nlist), replace=False)]
    quantizer = faiss.IndexFlatIP(DIM)
    index = faiss.IndexIVFFlat(quantizer, DIM, nlist, faiss.METRIC_INNER_PRODUCT)

    faiss.omp_set_num_threads(args.build_threads)
    _, train = timed(lambda: index.train(sample))
    _, add = timed(lambda: index.add(xb))

    def set_nprobe(nprobe):
        return lambda: setattr(index, "nprobe", nprobe)

    settings = [(f"nlist={nlist} nprobe={p}", set_nprobe(p)) for p in args.nprobe]
    rows = search_rows(index, "ivf", settings, xq, truth)
    add_build_cost(rows[0], Cost(*(a + b for a, b in zip(astuple(train), astuple(add)))))
    rows[0].extra.update(train_s=train.seconds, add_s=add.seconds, train_points=min(n, 39 * nlist))
    return rows


# How the saved HNSW index is read back: a label and the name of the faiss IO flag (None: plain read).
# IO_FLAG_MMAP is the historical flag (it maps on-disk IVF lists); IO_FLAG_MMAP_IFC maps the file's
# contents in place, so storage and graph are paged in from the file as searches touch them.
READ_MODES = (("read_index", None), ("IO_FLAG_MMAP", "IO_FLAG_MMAP"), ("IO_FLAG_MMAP_IFC", "IO_FLAG_MMAP_IFC"))


def bench_save_load(index: faiss.Index, xq: np.ndarray, tmp_root: str | None) -> dict:
    """Write the index, read it back in each READ_MODES way, check each answers like the original."""
    faiss.omp_set_num_threads(1)
    probe = xq[:10]
    expected = index.search(probe, TOP_K)[1]
    report: dict = {}
    with tempfile.TemporaryDirectory(dir=tmp_root) as tmp:
        path = os.path.join(tmp, "hnsw.faiss")
        start = time.perf_counter()
        faiss.write_index(index, path)
        report["write_s"] = time.perf_counter() - start
        report["file_mb"] = os.path.getsize(path) / 2**20
        for label, flag_name in READ_MODES:
            release_memory()
            report[label] = read_index_report(path, flag_name, probe, expected, index.hnsw.efSearch)
    return report


def read_index_report(path: str, flag_name: str | None, probe, expected, ef_search: int) -> dict:
    """Load time, then private (anon) and file-backed memory after the load and after 10 queries."""
    flags = 0 if flag_name is None else getattr(faiss, flag_name, None)
    if flags is None:
        return {"supported": False, "error": f"this faiss has no {flag_name}"}
    anon, mapped = rss_mb(key="RssAnon"), rss_mb(key="RssFile")
    try:
        start = time.perf_counter()
        loaded = faiss.read_index(path, flags)
        load_s = time.perf_counter() - start
    except Exception as exc:  # faiss raises RuntimeError for an index type it cannot read this way
        return {"supported": False, "error": str(exc).strip().splitlines()[-1][:200]}
    report = {"supported": True, "load_s": load_s, "anon_mb_after_load": rss_mb(key="RssAnon") - anon,
              "file_mb_after_load": rss_mb(key="RssFile") - mapped}
    faiss.downcast_index(loaded).hnsw.efSearch = ef_search
    start = time.perf_counter()
    found = np.array([loaded.search(q[None], TOP_K)[1][0] for q in probe])
    report["first_10_queries_ms"] = (time.perf_counter() - start) * 1000
    report["anon_mb_after_queries"] = rss_mb(key="RssAnon") - anon
    report["file_mb_after_queries"] = rss_mb(key="RssFile") - mapped
    report["same_results"] = bool(np.array_equal(found, expected))
    del loaded
    return report


# --------------------------------------------------------------------------- BM25 and hybrid


def bm25_top_by_scores(retriever: bm25s.BM25, tokens: list[str], k: int = FUSION_DEPTH):
    """Score every document, then take the top-k with argpartition and sort it."""
    scores = retriever.get_scores(tokens)
    top = np.argpartition(scores, -k)[-k:]
    top = top[np.argsort(-scores[top])]
    return top, scores[top]


def bm25_top_by_retrieve(retriever: bm25s.BM25, tokens: list[str], k: int = FUSION_DEPTH):
    docs, scores = retriever.retrieve([tokens], k=k, show_progress=False, n_threads=0)
    return docs[0], scores[0]




def bm25_top_assistant(retriever: bm25s.BM25, tokens: list[str], k: int = FUSION_DEPTH):
    """The assistant's own scoring (assistant.stores.embedded.bm25_scores and top_k): exact BM25 scores, then
    only the documents that matched are ranked (argpartition over a mostly-zero array is slow)."""
    from assistant.stores.embedded import bm25_scores, top_k

    scores = bm25_scores(retriever, tokens)
    top = top_k(scores, k)
    return top, scores[top]


BM25_METHODS = {
    "get_scores + argpartition": bm25_top_by_scores,
    "retrieve(k=100)": bm25_top_by_retrieve,
    "assistant: get_scores + top_k of matches": bm25_top_assistant,
}


def bench_bm25(corpus, queries) -> tuple[list[Row], bm25s.BM25, str]:
    """BM25 rows (one per top-100 method), the retriever, and the name of the faster method."""
    def build():
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        return retriever

    retriever, cost = timed(build)
    rows = []
    reference = None
    for name, top in BM25_METHODS.items():
        times, results = latencies_ms(lambda i: top(retriever, queries[i]), len(queries))
        found = [set(np.asarray(ids).tolist()) for ids, _ in results]
        reference = reference or found
        overlap = float(np.mean([len(a & b) / max(1, len(b)) for a, b in zip(found, reference)]))
        rows.append(latency_row("bm25", f"top-100 via {name} (top-100 overlap with full BM25 {overlap:.2f})", times,
                                extra={"overlap_top100": overlap}))
    add_build_cost(rows[0], cost)
    fastest = min(zip(rows, BM25_METHODS), key=lambda pair: pair[0].p50_ms)[1]
    return rows, retriever, fastest


def rrf(rankings: list[np.ndarray], k: int = RRF_K, top: int = TOP_K) -> list[int]:
    """Reciprocal rank fusion: each list adds 1/(k + rank) to its documents; best `top` ids."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking.tolist(), start=1):
            if doc >= 0:  # faiss pads missing results with -1
                fused[doc] = fused.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(fused, key=fused.__getitem__, reverse=True)[:top]


def bench_hybrid(hnsw, retriever, bm25_method: str, xq, queries, truth, ef_search: int) -> Row:
    """HNSW top-100 + BM25 top-100, RRF into a top-10; recall against fusion with exact dense."""
    bm25_top = BM25_METHODS[bm25_method]
    hnsw.hnsw.efSearch = ef_search
    faiss.omp_set_num_threads(1)

    def hybrid(i):
        dense = hnsw.search(xq[i : i + 1], FUSION_DEPTH)[1][0]
        lexical, _ = bm25_top(retriever, queries[i])
        return rrf([dense, lexical]), lexical

    times, results = latencies_ms(hybrid, len(xq))
    found = np.array([fused for fused, _ in results])
    exact = np.array([rrf([truth[i], lexical]) for i, (_, lexical) in enumerate(results)])
    setting = f"hnsw efSearch={ef_search} + bm25 {bm25_method}, RRF k={RRF_K}"
    return latency_row("hybrid", setting, times, recall_at_10=recall_at_k(found, exact))


# --------------------------------------------------------------------------- one size, output


def run_size(n: int, args, centres, spread, vocab) -> dict:
    print(f"\n== N = {n:,} ==", flush=True)
    wall = time.perf_counter()
    rng = np.random.default_rng([args.seed, 1, n])
    xb, data = timed(lambda: clustered_points(n, centres, spread, rng))
    xq = clustered_points(args.queries, centres, spread, np.random.default_rng([args.seed, 2, n]))
    log(f"vectors: {data.seconds:.1f}s, {data.rss_mb:.0f} MB")

    flat_row, truth = bench_flat(xb, xq, args.build_threads)
    log(f"flat: p50 {flat_row.p50_ms:.2f} ms")
    release_memory()
    rows = [flat_row]

    hnsw_rows, hnsw = bench_hnsw(xb, xq, truth, args)
    rows += hnsw_rows
    log(f"hnsw: built in {hnsw_rows[0].build_s:.1f}s ({hnsw_rows[0].extra['build_cpu_s']:.1f} CPU s)")
    save_load = bench_save_load(hnsw, xq, args.tmp_dir)
    log("hnsw: save/load done")

    if args.ivf:
        rows += bench_ivf(xb, xq, truth, args)
        log(f"ivf: built in {rows[-len(args.nprobe)].build_s:.1f}s")
    del xb
    release_memory()

    text_rng = np.random.default_rng([args.seed, 4, n])
    corpus, texts = timed(lambda: synthetic_corpus(n, vocab, text_rng))
    queries = text_queries(corpus, args.queries, text_rng)
    log(f"texts: {texts.seconds:.1f}s, {texts.rss_mb:.0f} MB as Python token lists")
    bm25_rows, retriever, bm25_method = bench_bm25(corpus, queries)
    del corpus
    rows += bm25_rows
    log(f"bm25: built in {bm25_rows[0].build_s:.1f}s")
    rows.append(bench_hybrid(hnsw, retriever, bm25_method, xq, queries, truth, args.hybrid_ef))
    del hnsw, retriever
    release_memory()

    for row in rows:
        row.vs_flat_p50 = row.p50_ms / flat_row.p50_ms if row.p50_ms is not None else None
    return {
        "n": n,
        "queries": args.queries,
        "wall_s": time.perf_counter() - wall,
        "data": {"vectors": asdict(data), "texts": asdict(texts)},
        "bm25_method_in_hybrid": bm25_method,
        "rows": [asdict(row) for row in rows],
        "hnsw_save_load": save_load,
    }


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_table(result: dict) -> None:
    headers = ("method", "setting", "build s", "mem MB", "p50 ms", "p95 ms", "recall@10", "x flat p50")
    lines = [
        (r["method"], r["setting"], fmt(r["build_s"], ".1f"), fmt(r["memory_mb"], ".0f"), fmt(r["p50_ms"], ".3f"),
         fmt(r["p95_ms"], ".3f"), fmt(r["recall_at_10"], ".3f"), fmt(r["vs_flat_p50"], ".3f"))
        for r in result["rows"]
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *lines)]
    print(f"\nN = {result['n']:,}, {result['queries']} queries, wall {result['wall_s']:.0f}s")
    for i, line in enumerate([headers, *lines]):
        print("  ".join(str(x).ljust(w) if j < 2 else str(x).rjust(w) for j, (x, w) in enumerate(zip(line, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    sl = result["hnsw_save_load"]
    print(f"HNSW file {sl['file_mb']:.0f} MB, written in {sl['write_s']:.2f}s; read back (warm page cache):")
    for label, _ in READ_MODES:
        print(f"  {label:<17} {describe_read(sl[label])}")


def describe_read(report: dict) -> str:
    if not report["supported"]:
        return f"not supported ({report['error']})"
    return (f"load {report['load_s']:.3f}s, +{report['anon_mb_after_load']:.0f} MB private "
            f"+{report['file_mb_after_load']:.0f} MB mapped; first 10 queries {report['first_10_queries_ms']:.1f} ms, "
            f"then +{report['anon_mb_after_queries']:.0f} MB private +{report['file_mb_after_queries']:.0f} MB mapped; "
            f"same results: {report['same_results']}")


def machine_info() -> dict:
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {**machine(), "cpu_affinity": len(os.sched_getaffinity(0)), "memory_gb": round(mem_kb / 2**20, 1),
            "processor": platform.processor() or platform.machine(), "faiss": faiss.__version__,
            "numpy": np.__version__, "bm25s": getattr(bm25s, "__version__", "unknown")}


# --------------------------------------------------------------------------- command line


def int_list(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int_list, default=[100_000, 1_000_000], help="corpus sizes, comma-separated")
    p.add_argument("--queries", type=int, default=200, help="queries per size")
    p.add_argument("--quick", action="store_true", help="smoke run: sizes 20000,100000, 50 queries, efConstruction 40")
    p.add_argument("--clusters", type=int, default=3000, help="Gaussian cluster centres")
    p.add_argument("--vocab", type=int, default=50_000, help="made-up words in the BM25 vocabulary")
    p.add_argument("--hnsw-m", type=int, default=HNSW_M, help="default: the assistant's")
    p.add_argument("--ef-construction", type=int, default=None,
                   help=f"HNSW efConstruction (the assistant's {HNSW_EF_CONSTRUCTION}; 40 with --quick)")
    p.add_argument("--ef-search", type=int_list, default=sorted({64, 128, HNSW_EF_SEARCH, 256}))
    p.add_argument("--hybrid-ef", type=int, default=HNSW_EF_SEARCH, help="HNSW efSearch for the hybrid top-100 "
                   "(default: the assistant's)")
    p.add_argument("--nprobe", type=int_list, default=[16, 32])
    p.add_argument("--no-ivf", dest="ivf", action="store_false", help="skip the IVF index")
    p.add_argument("--build-threads", type=int, default=2, help="faiss threads for building (search uses 1)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--tmp-dir", default=None, help="where the HNSW index file is written for save/load")
    p.add_argument("--out", type=Path, default=None, help="JSON path (default bench/results/scale-<timestamp>.json)")
    args = p.parse_args(argv)
    if args.quick:
        args.sizes, args.queries = [20_000, 100_000], min(args.queries, 50)
    if args.ef_construction is None:
        args.ef_construction = 40 if args.quick else HNSW_EF_CONSTRUCTION
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    out = args.out or RESULTS / f"scale-{time.strftime('%Y%m%dT%H%M%S')}.json"  # as common.save, rewritten per size
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "note": "Latency is single-query, one faiss thread. vs_flat_p50 is each p50 divided by the exact "
                "IndexFlatIP p50 measured in the same run on the same machine and data. memory_mb is VmRSS "
                "growth over the build; extra.build_cpu_s / build_s is the parallelism the build achieved with "
                "config.build_threads. Hybrid recall_at_10 is against the same RRF with exact dense top-100.",
        "machine": machine_info(),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "sizes": [],
    }
    print(f"faiss {faiss.__version__}, bm25s {report['machine']['bm25s']}, {os.cpu_count()} CPUs; "
          f"sizes {args.sizes}, {args.queries} queries, {DIM}-d")
    centres, spread = cluster_centres(args.clusters, args.seed)
    vocab = made_up_vocabulary(args.vocab)
    for n in args.sizes:
        result = run_size(n, args, centres, spread, vocab)
        report["sizes"].append(result)
        out.write_text(json.dumps(report, indent=2))  # rewritten after each size: partial runs keep results
        print_table(result)
        release_memory()
    print(f"\nWrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
