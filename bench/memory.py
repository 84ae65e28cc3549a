"""What a server holds in memory for an index, per store: its Python heap (tracemalloc) after loading a build,
and after answering the dev questions, on a small corpus and a larger one. The difference between the two,
over the difference in sentences, is what a server pays per sentence: with the embedded store the rows and
text, with Milvus nothing that grows with the sentences (building/stored.py) beyond a bounded row cache.

    .venv/bin/python bench/memory.py [--milvus]

The small corpus is the seed briefings (sources/); the large one, the seed briefings and every corpus under
tests/data/corpora/ in one folder. --milvus adds the Milvus store, on Milvus Lite's own server in a process of
its own (so that its memory is not the server's; needs the scale extra). Each measurement runs in a fresh
interpreter: the heap once the build is loaded, and what answering the dev questions then adds (caches: of
rows, of answers' per-row work), counted after a first question has loaded what does not depend on the corpus.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import PY, ROOT, dev_questions, free_port, save, table

ONE = """
import gc, json, sys, tracemalloc
from pathlib import Path
sys.path.insert(0, {root!r})
from assistant.answering.answer import open_assistant
from assistant.settings import Settings
s = Settings(index_dir=Path({index!r}), sources_dir=Path({sources!r}), milvus_uri={uri!r}, milvus_prefix={prefix!r},
             cache_size=0)
open_assistant(s, build_if_needed=True, log=lambda m: None).ask("What did they say?")  # build; load the models
gc.collect()
tracemalloc.start()
a = open_assistant(s, build_if_needed=False, log=lambda m: None)
gc.collect()
loaded = tracemalloc.get_traced_memory()[0]
a.ask("What did they say?")  # what an assistant loads on its first question, whatever the corpus
gc.collect()
warm = tracemalloc.get_traced_memory()[0]
for q, h in {questions!r}:
    a.ask(q, h)
gc.collect()
rows = getattr(a.index.sentences, "records", None)
print(json.dumps({{"sentences": len(a.index.sentences), "documents": len(a.index.catalog), "loaded_mb": loaded / 1e6,
                  "caches_mb": (tracemalloc.get_traced_memory()[0] - warm) / 1e6,
                  "rows_cached": len(rows.cache) if rows is not None else None}}))
"""


def measure(sources: Path, index: Path, uri: str | None, questions) -> dict:
    code = ONE.format(root=str(ROOT), index=str(index), sources=str(sources), uri=uri, questions=questions,
                      prefix=f"mem_{index.name.replace('-', '_')}")  # a corpus's own collections in the one Milvus
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def lite_server(data: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([PY, "-m", "milvus_lite", "server", "--data-dir", str(data), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from pymilvus import MilvusClient

    deadline = time.monotonic() + 60
    while True:
        try:
            probe = MilvusClient(uri=f"http://127.0.0.1:{port}", timeout=2, dedicated=True)
            probe.list_collections()
            probe.close()
            return proc, f"http://127.0.0.1:{port}"
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Milvus Lite's server did not start") from None
            time.sleep(0.3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--milvus", action="store_true", help="also measure the Milvus store (needs the scale extra)")
    args = ap.parse_args()
    questions = dev_questions()
    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    large = work / "large"
    shutil.copytree(ROOT / "sources", large / "seed")
    for corpus in sorted((ROOT / "tests" / "data" / "corpora").glob("*/sources")):
        shutil.copytree(corpus, large / corpus.parent.name)
    corpora = {"seed": ROOT / "sources", "large": large}
    stores: dict[str, str | None] = {"embedded": None}
    server = None
    if args.milvus:
        server, stores["milvus"] = lite_server(work / "milvus")
    try:
        got = {store: {name: measure(src, work / f"index-{store}-{name}", uri, questions)
                       for name, src in corpora.items()}
               for store, uri in stores.items()}
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    rows = []
    for store, by in got.items():
        small, big = by["seed"], by["large"]
        extra = big["sentences"] - small["sentences"]
        rows.append([store, f"{small['sentences']} -> {big['sentences']}",
                     f"{small['loaded_mb']:.1f} -> {big['loaded_mb']:.1f}",
                     f"{(big['loaded_mb'] - small['loaded_mb']) * 1e6 / extra:.0f}",
                     f"{small['caches_mb']:.1f} -> {big['caches_mb']:.1f}",
                     f"{big['rows_cached']}" if big["rows_cached"] is not None else "(all held)"])
    print(table(["store", "sentences", "heap loaded, MB", "loaded B/sentence", f"caches after {len(questions)} answers, MB",
                 "rows cached"], rows))
    print(f"saved {save('memory', {'measured': got})}")


if __name__ == "__main__":
    sys.exit(main())
