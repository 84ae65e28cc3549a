"""IBM Claim Stance test topics through the real HTTP API: `POST /api/stance`, as many claims a request as it
takes (MAX_STATEMENTS).

Starts `assistant serve` on loopback and sends each test topic's claims (never the train topics, which
the model was fitted on), once as a caller who allows `neutral` and once with `"neutral": false` (every
IBM claim takes a side). Prints accuracy over every claim (neutral counted wrong) and the time taken, and
checks it agrees with `assistant fit-stance`'s own figures (assistant/data/topic_stance.json).

    .venv/bin/python bench/ibm_stance.py [--claims ../shared/eval/external/ibm-claim-stance/claims.jsonl]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from common import ROOT, Server, save, table

from assistant.web.api import MAX_STATEMENTS as BATCH  # the API's limit of statements a request



def run(url: str, claims: list[dict], neutral: bool) -> tuple[float, float, dict]:
    import httpx

    by_topic = defaultdict(list)
    for c in claims:
        by_topic[c["topic"]].append(c)
    right, seen, labels = 0, 0, defaultdict(int)
    started = time.perf_counter()
    with httpx.Client(base_url=url, timeout=600) as http:
        for topic, group in by_topic.items():
            for i in range(0, len(group), BATCH):
                part = group[i:i + BATCH]
                r = http.post("/api/stance", json={"topic": topic, "statements": [c["claim"] for c in part],
                                                   "neutral": neutral})
                r.raise_for_status()
                for c, got in zip(part, r.json()["results"]):
                    labels[got["stance"]] += 1
                    right += got["stance"] == c["stance"].lower()
                    seen += 1
    return right / seen, time.perf_counter() - started, dict(labels)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--claims", type=Path, default=ROOT.parent / "shared/eval/external/ibm-claim-stance/claims.jsonl")
    args = p.parse_args()
    claims = [json.loads(line) for line in args.claims.read_text(encoding="utf-8").splitlines() if line.strip()]
    test = [c for c in claims if c["split"] == "test"]
    shipped = json.loads((ROOT / "assistant/data/topic_stance.json").read_text(encoding="utf-8"))["figures"]["test"]
    rows, out = [], {"claims": len(test)}
    with Server() as server:
        server.wait()
        for neutral in (True, False):
            acc, took, labels = run(server.url, test, neutral)
            key = "accuracy_every_claim" if neutral else "accuracy_every_claim_without_neutral"
            out[key] = {"http": round(acc, 3), "fit_stance": shipped[key], "seconds": round(took, 1), "labels": labels}
            rows.append([f"neutral={'allowed' if neutral else 'false'}", f"{acc:.3f}", f"{shipped[key]:.3f}",
                         f"{took:.0f} s", f"{1000 * took / len(test):.0f} ms"])
    print(table(["request", "accuracy, every claim", "fit-stance says", "time", "per claim"], rows))
    print(f"saved {save('ibm_stance', out)}")


if __name__ == "__main__":
    main()
