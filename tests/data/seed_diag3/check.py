#!/usr/bin/env python3
"""Check gold.jsonl: every gold quote occurs verbatim in its named seed file; count kinds."""
import json, sys, collections, os
HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "sources")  # the project's copy of the seeds
KINDS = {"position", "fact", "who", "comparison", "keyword", "multiturn", "unanswerable"}
STANCES = {"supports", "welcomes", "accepts", "concerned", "opposes", "rejects", "mixed", "recommends", "describes"}
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "gold.jsonl")
errs, kinds, ids, srcs = [], collections.Counter(), set(), collections.Counter()
texts = {}
def seed(name):
    if name not in texts:
        texts[name] = open(os.path.join(SEEDS, name), encoding="utf-8").read()
    return texts[name]
n = nq = 0
for ln, line in enumerate(open(path, encoding="utf-8"), 1):
    d = json.loads(line); n += 1
    i = d.get("id")
    if i in ids: errs.append(f"{i}: duplicate id")
    ids.add(i)
    k = d.get("kind"); kinds[k] += 1
    if k not in KINDS: errs.append(f"{i}: bad kind {k}")
    t = d.get("turns")
    if not (isinstance(t, list) and t and all(isinstance(x, str) and x.strip() for x in t)):
        errs.append(f"{i}: bad turns")
    if k == "multiturn" and not 2 <= len(t) <= 3: errs.append(f"{i}: multiturn needs 2-3 turns")
    if k != "multiturn" and len(t) != 1: errs.append(f"{i}: single-turn kind with {len(t)} turns")
    gq, gs, ga, st = (d.get(x, []) for x in ("gold_quotes", "gold_sources", "actors", "stances"))
    if not (len(gq) == len(gs) == len(ga) == len(st)): errs.append(f"{i}: lists not parallel")
    if (k == "unanswerable") != (d.get("answerable") is False): errs.append(f"{i}: answerable/kind mismatch")
    if d.get("answerable"):
        if not 1 <= len(gq) <= 3: errs.append(f"{i}: needs 1-3 quotes")
    elif gq: errs.append(f"{i}: unanswerable with quotes")
    for q, s, a, sv in zip(gq, gs, ga, st):
        nq += 1; srcs[s] += 1
        if len(q.split()) < 8: errs.append(f"{i}: quote under 8 words: {q!r}")
        if not os.path.exists(os.path.join(SEEDS, s)): errs.append(f"{i}: no seed file {s}"); continue
        if q not in seed(s): errs.append(f"{i}: quote not verbatim in {s}: {q!r}")
        if sv not in STANCES: errs.append(f"{i}: bad stance {sv}")
        if not a: errs.append(f"{i}: empty actor")
print(f"questions: {n}  quotes: {nq}")
print("kinds:", dict(sorted(kinds.items())))
print("sources:", dict(sorted(srcs.items())))
for e in errs: print("ERROR", e)
print("PASS" if not errs else f"FAIL ({len(errs)} errors)")
sys.exit(1 if errs else 0)
