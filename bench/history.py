"""Complete questions after unrelated history, over HTTP: the same figures as asked alone?

Starts `assistant serve` (answer cache off) on a corpus, asks every single-turn gold question twice,
alone and after two unrelated earlier questions (the gold questions four and eight lines further on),
and scores both runs with the shared metrics. A complete question must be answered exactly as if it
were asked alone, so the two rows should match.

    .venv/bin/python bench/history.py [--gold tests/data/dev.jsonl] [--sources sources --index DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import ROOT, Server, save, table


def run(url: str, gold: list[dict], with_history: bool) -> dict[str, dict]:
    import httpx

    single = [g for g in gold if len(g["turns"]) == 1]
    runs = {}
    with httpx.Client(base_url=url, timeout=60) as http:
        for i, g in enumerate(single):
            history = [single[(i + 4) % len(single)]["turns"][0], single[(i + 8) % len(single)]["turns"][0]]
            body = {"question": g["turns"][0], "top_k": 10,
                    "history": [{"question": h} for h in history] if with_history else []}
            a = http.post("/api/answer", json=body).json()
            runs[g["id"]] = {"answered": a["answered"], "results": a["quotes"]}
    return runs


def main() -> int:
    from assistant.answering import evaluate

    p = argparse.ArgumentParser()
    p.add_argument("--gold", type=Path, default=ROOT / "tests" / "data" / "dev.jsonl")
    p.add_argument("--sources", type=Path, default=ROOT / "sources")
    p.add_argument("--index", type=Path, default=ROOT / "index")
    args = p.parse_args()
    gold = [g for g in evaluate.load_jsonl(args.gold) if len(g["turns"]) == 1]
    with Server(env={"ASSISTANT_CACHE_SIZE": "0", "ASSISTANT_SOURCES_DIR": str(args.sources.resolve())},
                index=args.index.resolve()) as server:
        server.wait()
        alone = evaluate.score(gold, run(server.url, gold, False))
        after = evaluate.score(gold, run(server.url, gold, True))
    keys = ["hit@1", "hit@5", "mrr@10", "abstain_unanswerable", "false_abstain_answerable"]
    rows = [["alone", *[alone.get(k) for k in keys]], ["after two unrelated questions", *[after.get(k) for k in keys]],
            ["difference", *[round((after.get(k) or 0) - (alone.get(k) or 0), 3) for k in keys]]]
    print(f"{len(gold)} single-turn questions of {args.gold.name}\n")
    print(table(["", *keys], rows))
    path = save("history", {"gold": str(args.gold), "alone": alone, "after": after})
    print(f"\nwrote {path}")
    return 0 if all(abs((after.get(k) or 0) - (alone.get(k) or 0)) <= 0.02 for k in keys) else 1


if __name__ == "__main__":
    raise SystemExit(main())
