"""Soak: 32 loopback clients for 60 s against `assistant serve`, sampling the server's memory.
Passes when there are zero errors and RSS grows less than 10% after the warm-up (the first 10 s).
The cache is off so every request does the full work; the baseline is the RSS at the end of warm-up.

    .venv/bin/python bench/soak.py [--seconds 60] [--clients 32] [--warmup 10]
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time

from common import ROOT, Server, dev_questions, rss_mb, save, table
from load import run_load


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--warmup", type=float, default=10)
    args = p.parse_args(argv)
    if args.seconds <= args.warmup:
        p.error("--seconds must be longer than --warmup")
    samples: list[tuple[float, float]] = []
    with Server(env={"ASSISTANT_CACHE_SIZE": "0"}, index=ROOT / "index") as srv:
        srv.wait()
        stop = threading.Event()
        started = time.perf_counter()

        def sample() -> None:
            while not stop.is_set():
                samples.append((time.perf_counter() - started, rss_mb(srv.proc.pid)))
                stop.wait(2)

        t = threading.Thread(target=sample, daemon=True)
        t.start()
        result = asyncio.run(run_load(srv.url, dev_questions(), args.clients, args.seconds))
        stop.set()
        t.join()
    base = next((m for s, m in samples if s >= args.warmup), samples[0][1])
    peak = max(m for s, m in samples if s >= args.warmup)
    end = samples[-1][1]
    growth = (end - base) / base * 100
    rows = [[f"{s:5.0f}", f"{m:.1f}"] for s, m in samples[:: max(1, len(samples) // 12)]]
    print(table(["second", "RSS MB"], rows))
    print(f"\n{result['requests']} answers in {args.seconds:.0f} s ({result['per_s']:.1f}/s), errors {result['errors']}, "
          f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms")
    print(f"RSS after warm-up {base:.1f} MB, peak {peak:.1f} MB, end {end:.1f} MB: growth {growth:+.1f}% (limit +10%)")
    path = save("soak", {"load": result, "rss_samples": samples, "rss_base": base, "rss_end": end, "growth_pct": growth})
    print(f"\nwrote {path}")
    return 0 if result["errors"] == 0 and growth < 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
