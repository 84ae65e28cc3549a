"""Throughput under concurrent load: 1, 8 and 32 loopback clients for a fixed time each.

Servers over the same seed index, all started at once and measured in interleaved rounds (each
round loads every server in turn, in a rotating order), so that the machine's drift hits them
alike: the naive baseline (bench/naive_server.py: sentence-transformers encode + exact search per
request), `assistant serve` as shipped (questions encoded in int8, one at a time), and with the
exact model (`ASSISTANT_RUNTIME=onnx`) with micro-batching on and off. The answer cache is off in
those, so every request does the full work; a last row shows the cache on repeated questions. Ratios to the naive server are taken within each round; the table
gives medians and the min-max over rounds. Targets at 32 clients: zero errors, >= 4x the naive
server's answers/s (>= 200/s), p99 <= 250 ms. Memory is summed over a server's processes (its workers
too): RSS, and PSS, which counts a page shared by n processes once.

    .venv/bin/python bench/load.py [--seconds 10] [--rounds 3] [--clients 1,8,32] [--previous CHECKOUT]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from common import PY, ROOT, Server, dev_questions, save, summary, table, tree_mb


class Connection:
    """A minimal keep-alive HTTP/1.1 client over asyncio streams. httpx costs about a millisecond of
    CPU per request, which on a 2-core machine would be taken from the server under test."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def post(self, path: str, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(b"POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                          % (path.encode(), self.host.encode(), len(body)) + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def run_load(url: str, questions, clients: int, seconds: float) -> dict:
    import json

    host, port = url.split("//")[1].split(":")
    bodies = [json.dumps({"question": q, "history": [{"question": x} for x in h]}).encode() for q, h in questions]
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(i: int) -> None:
        nonlocal errors
        conn = Connection(host, int(port))
        n = i
        while time.perf_counter() < stop:
            body = bodies[n % len(bodies)]
            n += clients
            t = time.perf_counter()
            try:
                ok = await conn.post("/api/answer", body) == 200
            except (OSError, asyncio.IncompleteReadError, ValueError):
                ok = False
                conn.close()
                conn = Connection(host, int(port))
            latencies.append((time.perf_counter() - t) * 1000)
            errors += not ok
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    s = summary(latencies)
    return {"clients": clients, "requests": len(latencies), "errors": errors, "per_s": len(latencies) / elapsed,
            "p50": s["p50"], "p99": s["p99"]}


def servers(previous: Path | None = None) -> dict[str, Server]:
    index = ROOT / "index"
    off = {"ASSISTANT_CACHE_SIZE": "0"}
    earlier = {}
    if previous is not None:
        # Another checkout of the project (a git worktree of an earlier commit), with its own index of the same
        # sources, served by its own code: the same machine drift hits both.
        earlier[f"previous checkout ({previous.name})"] = Server(
            command=[PY, "-m", "assistant.cli", "serve", "--index", str(previous / "index"), "--sources", str(ROOT / "sources")],
            env={**off, "PYTHONPATH": str(previous)}, cwd=previous)
    return {**earlier, **{
        "naive (ST + flat, per request)": Server(command=[PY, str(ROOT / "bench" / "naive_server.py"),
                                                          "--index", str(index)]),
        "assistant as shipped (int8 questions)": Server(env=off, index=index),
        "assistant as shipped, 2 workers": Server(env=off, command=[PY, "-m", "assistant.cli", "serve", "--index",
                                                                    str(index), "--workers", "2"]),
        "assistant, exact model, batching on": Server(env={**off, "ASSISTANT_RUNTIME": "onnx"}, index=index),
        "assistant, exact model, batching off": Server(env={**off, "ASSISTANT_RUNTIME": "onnx", "ASSISTANT_BATCHING": "false"},
                                                       index=index),
        "assistant, cache on": Server(index=index),
    }}


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    """Median with the min-max over rounds."""
    med = statistics.median(values)
    return fmt.format(med) if len(values) == 1 else f"{fmt.format(med)} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=10, help="load per server, client count and round")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clients", default="1,8,32")
    p.add_argument("--previous", type=Path, help="also load another checkout (e.g. `git worktree add /tmp/old <commit>`)")
    args = p.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    questions = dev_questions()
    running = servers(args.previous)
    results = []
    try:
        for name, server in running.items():
            server.wait()
            asyncio.run(run_load(server.url, questions, 4, 2))  # warm-up
        names = list(running)
        for rnd in range(args.rounds):
            order = names[rnd % len(names):] + names[:rnd % len(names)]
            for c in clients:
                for name in order:
                    if name.endswith("cache on") and c != clients[-1]:
                        continue
                    r = asyncio.run(run_load(running[name].url, questions, c, args.seconds))
                    rss, pss = tree_mb(running[name].proc.pid)
                    r.update(server=name, round=rnd, rss_mb=rss, pss_mb=pss)
                    results.append(r)
                    print(f"  round {rnd + 1} {name:38s} {c:3d} clients: {r['per_s']:7.1f}/s  p50 {r['p50']:6.1f} ms  "
                          f"p99 {r['p99']:6.1f} ms  errors {r['errors']}", flush=True)
    finally:
        for server in running.values():
            server.__exit__(None, None, None)

    naive = {(r["round"], r["clients"]): r["per_s"] for r in results if r["server"].startswith("naive")}
    rows = []
    for name in running:
        for c in clients:
            rs = [r for r in results if r["server"] == name and r["clients"] == c]
            if not rs:
                continue
            ratios = [r["per_s"] / naive[r["round"], c] for r in rs]
            rows.append([name, c, spread([r["per_s"] for r in rs]), spread(ratios, "{:.2f}x"),
                         spread([r["p50"] for r in rs]), spread([r["p99"] for r in rs]),
                         sum(r["errors"] for r in rs), f"{max(r['rss_mb'] for r in rs):.0f}",
                         f"{max(r['pss_mb'] for r in rs):.0f}"])
    print(f"\n{args.rounds} rounds of {args.seconds:.0f} s per row, loopback, dev questions in turn; "
          "median (min-max over rounds)\n")
    print(table(["server", "clients", "answers/s", "vs naive", "p50 ms", "p99 ms", "errors", "max RSS MB",
                 "max PSS MB"], rows))
    path = save("load", {"seconds": args.seconds, "rounds": args.rounds, "results": results})
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
