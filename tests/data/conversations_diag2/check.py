#!/usr/bin/env python3
"""Check conversations.json: gold quotes verbatim in their seed files, counts."""
import json, os, re, sys
HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "sources")  # the project's copy of the seeds
data = json.load(open(os.path.join(HERE, "conversations.json"), encoding="utf-8"))
errors = []; cache = {}
def seed(name):
    if name not in cache:
        cache[name] = open(os.path.join(SEEDS, name), encoding="utf-8").read()
    return cache[name]
tot = ans = unans = quotes = 0
for conv in data["conversations"]:
    turns = conv["turns"]; ca = cu = 0
    if len(turns) != 14:
        errors.append(f"{conv['id']}: {len(turns)} turns, expected 14")
    for i, t in enumerate(turns, 1):
        tid = f"{conv['id']}#{i}"
        q, s, a = t.get("gold_quotes", []), t.get("gold_sources", []), t.get("actors", [])
        if not t.get("question", "").strip():
            errors.append(f"{tid}: empty question")
        if t["answerable"]:
            ca += 1
            if not 1 <= len(q) <= 3: errors.append(f"{tid}: {len(q)} gold quotes")
            if not (len(q) == len(s) == len(a)): errors.append(f"{tid}: quotes/sources/actors not parallel")
            for quote, src in zip(q, s):
                quotes += 1
                if not os.path.exists(os.path.join(SEEDS, src)):
                    errors.append(f"{tid}: no seed file {src}"); continue
                if quote not in seed(src):
                    errors.append(f"{tid}: quote not verbatim in {src}: {quote[:70]!r}")
                if len(re.findall(r"\S+", quote)) < 8:
                    errors.append(f"{tid}: quote under 8 words: {quote!r}")
        else:
            cu += 1
            if q or s or a: errors.append(f"{tid}: unanswerable turn carries gold")
    if not 2 <= cu <= 3: errors.append(f"{conv['id']}: {cu} unanswerable turns, expected 2-3")
    print(f"{conv['id']}: {len(turns)} turns, {ca} answerable, {cu} unanswerable")
    tot += len(turns); ans += ca; unans += cu
print(f"total: {len(data['conversations'])} conversations, {tot} turns, {ans} answerable, {unans} unanswerable, {quotes} gold quotes")
for e in errors: print("ERROR", e)
print("FAIL" if errors else "PASS"); sys.exit(1 if errors else 0)
