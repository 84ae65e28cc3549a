"""Verify /work/seedset/gold.jsonl: every gold quote is an exact substring of its seed file, 8+ words, fields consistent."""
import json, os, sys
from collections import Counter
SEEDS = str(__import__("pathlib").Path(__file__).resolve().parents[3] / "sources")
STANCES = {"supports", "welcomes", "accepts", "concerned", "opposes", "rejects", "mixed", "recommends", "describes"}
KINDS = {"position", "fact", "who", "comparison", "keyword", "multiturn", "unanswerable"}
texts = {f: open(os.path.join(SEEDS, f), encoding="utf-8").read() for f in os.listdir(SEEDS) if f.endswith(".txt")}
bad = 0
rows = [json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else str(__import__("pathlib").Path(__file__).resolve().parent / "gold.jsonl"), encoding="utf-8")]
ids = [r["id"] for r in rows]
assert len(ids) == len(set(ids)), "duplicate ids"
for r in rows:
    def err(m):
        global bad; bad += 1; print(r["id"], "ERROR:", m)
    if r["kind"] not in KINDS: err("kind " + r["kind"])
    if not r["turns"] or not all(isinstance(t, str) and t.strip() for t in r["turns"]): err("turns")
    if r["kind"] == "multiturn" and not 2 <= len(r["turns"]) <= 4: err("multiturn length")
    if not r["answerable"]:
        if r["gold_quotes"]: err("unanswerable with quotes")
        if r["kind"] != "unanswerable": err("unanswerable kind")
        continue
    qs = r["gold_quotes"]
    if not 1 <= len(qs) <= 3: err("quote count")
    srcs = r.get("gold_sources") or [r["gold_source"]] * len(qs)
    if len(srcs) != len(qs): err("sources not parallel")
    for q, s in zip(qs, srcs):
        if s not in texts: err(f"unknown source {s}"); continue
        if q not in texts[s]: err(f"quote not in {s}: {q[:80]}")
        if len(q.split()) < 8: err(f"quote under 8 words: {q}")
    if "actors" in r:
        if len(r["actors"]) != len(qs) or len(r["stances"]) != len(qs): err("actors/stances not parallel")
        st = r["stances"]
    else:
        if not r.get("actor"): err("no actor")
        st = [r.get("stance")]
    for s in st:
        if s not in STANCES: err(f"stance {s}")
print(len(rows), "questions;", dict(Counter(r["kind"] for r in rows)), ";", bad, "errors")
sys.exit(1 if bad else 0)
