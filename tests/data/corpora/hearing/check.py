#!/usr/bin/env python3
"""Check gold.jsonl against sources/: every gold quote is an exact substring of its source file,
has 8+ words, sources exist in catalog.toml, and kinds/fields are well formed."""
import json, sys, tomllib
from pathlib import Path
from collections import Counter
HERE = Path(__file__).parent
SRC = HERE / "sources"
cat = tomllib.loads((SRC / "catalog.toml").read_text())["source"]
files = {s["file"] for s in cat}
assert files == {p.name for p in SRC.glob("*.txt")}, "catalog and files differ"
texts = {f: (SRC / f).read_text(encoding="utf-8") for f in files}
STANCES = {"supports","welcomes","accepts","concerned","opposes","rejects","mixed","recommends","describes"}
KINDS = {"position","fact","who","comparison","keyword","multiturn","unanswerable"}
bad = 0; ids = set(); kinds = Counter()
for n, line in enumerate((HERE / "gold.jsonl").read_text().splitlines(), 1):
    d = json.loads(line)
    def err(msg):
        global bad; bad += 1; print(f"line {n} {d.get('id')}: {msg}")
    if d["id"] in ids: err("duplicate id")
    ids.add(d["id"]); kinds[d["kind"]] += 1
    if d["kind"] not in KINDS: err("bad kind")
    if not d["turns"] or not all(isinstance(t, str) and t.strip() for t in d["turns"]): err("bad turns")
    if d["kind"] == "multiturn" and not 2 <= len(d["turns"]) <= 4: err("multiturn needs 2-4 turns")
    if not d["answerable"]:
        if d["gold_quotes"] or d.get("actor"): err("unanswerable with quotes/actor")
        continue
    q = d["gold_quotes"]
    if not 1 <= len(q) <= 3: err("need 1-3 quotes")
    srcs = d["gold_sources"] if d.get("gold_source") is None else [d["gold_source"]] * len(q)
    if len(srcs) != len(q): err("gold_sources not parallel")
    for quote, f in zip(q, srcs):
        if f not in texts: err(f"unknown source {f}"); continue
        if quote not in texts[f]: err(f"quote not in {f}: {quote[:70]!r}")
        if len(quote.split()) < 8: err(f"quote under 8 words: {quote!r}")
    if d.get("stance") not in STANCES: err("bad stance")
    if d.get("actors") is not None:
        if len(d["actors"]) != len(q) or len(d["stances"]) != len(q): err("actors/stances not parallel")
        if any(s not in STANCES for s in d["stances"]): err("bad stances")
    if not d.get("actor"): err("no actor")
print(dict(kinds), "total", sum(kinds.values()))
print("OK" if not bad else f"{bad} problems")
sys.exit(1 if bad else 0)
