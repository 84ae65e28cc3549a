#!/usr/bin/env python3
"""Check gold.jsonl: quotes are exact substrings of their seed file and 8+ words, ids unique,
parallel lists aligned, required keys and allowed values present. Exit 1 on any problem."""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "gold.jsonl")
SEEDS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "sources")

KINDS = {"position", "fact", "who", "comparison", "keyword", "multiturn", "unanswerable"}
STANCES = {"supports", "welcomes", "concerned", "opposes", "accepts", "rejects", "mixed", "recommends", "describes"}
KEYS = {"id", "turns", "answerable", "gold_quotes", "topic", "kind"}
WORD = re.compile(r"[A-Za-z0-9%£]+")

texts = {}


def seed(name):
    if name not in texts:
        with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
            texts[name] = f.read()
    return texts[name]


errors = []
ids = collections.Counter()
kinds = collections.Counter()
n = 0
with open(GOLD, encoding="utf-8") as f:
    for ln, line in enumerate(f, 1):
        if not line.strip():
            continue
        n += 1
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {ln}: bad JSON: {e}")
            continue
        qid = d.get("id", f"line{ln}")
        ids[qid] += 1
        err = lambda m: errors.append(f"{qid}: {m}")
        missing = KEYS - d.keys()
        if missing:
            err(f"missing keys {sorted(missing)}")
            continue
        if not re.fullmatch(r"sb\d{2}", qid):
            err("id not of the form sbNN")
        kinds[d["kind"]] += 1
        if d["kind"] not in KINDS:
            err(f"bad kind {d['kind']}")
        turns = d["turns"]
        if not (isinstance(turns, list) and turns and all(isinstance(t, str) and t.strip() for t in turns)):
            err("turns must be a non-empty list of strings")
        elif d["kind"] == "multiturn" and not 2 <= len(turns) <= 4:
            err("multiturn needs 2-4 turns")
        elif d["kind"] != "multiturn" and len(turns) != 1:
            err("only multiturn questions have several turns")
        quotes = d["gold_quotes"]
        if not d["answerable"]:
            if quotes:
                err("unanswerable question with gold quotes")
            if d["kind"] != "unanswerable":
                err("answerable false but kind is not unanswerable")
            continue
        if d["kind"] == "unanswerable":
            err("kind unanswerable but answerable true")
        if not 1 <= len(quotes) <= 3:
            err(f"{len(quotes)} gold quotes (want 1-3)")
        if "gold_sources" in d:
            srcs = d["gold_sources"]
            if not isinstance(srcs, list) or len(srcs) != len(quotes):
                err("gold_sources not parallel to gold_quotes")
                continue
        else:
            srcs = [d.get("gold_source")] * len(quotes)
        for key in ("actors", "stances"):
            if key in d and (not isinstance(d[key], list) or len(d[key]) != len(quotes)):
                err(f"{key} not parallel to gold_quotes")
        if ("actors" in d) != ("stances" in d):
            err("actors and stances must come together")
        if d["kind"] == "comparison" and "actors" not in d:
            err("comparison without actors/stances lists")
        stances = d["stances"] if "stances" in d else [d.get("stance")]
        actors = d["actors"] if "actors" in d else [d.get("actor")]
        for s in stances:
            if s not in STANCES:
                err(f"bad stance {s!r}")
        for a in actors:
            if not a:
                err("empty actor")
        if d["kind"] == "comparison" and len(set(actors)) < 2:
            err("comparison with a single actor")
        for q, s in zip(quotes, srcs):
            if not s or not os.path.exists(os.path.join(SEEDS, s)):
                err(f"missing seed file {s!r}")
                continue
            if q not in seed(s):
                err(f"quote not verbatim in {s}: {q[:70]!r}")
            if len(WORD.findall(q)) < 8:
                err(f"quote under 8 words: {q!r}")
            if len(quotes) != len(set(quotes)):
                err("duplicate gold quotes")

for qid, c in ids.items():
    if c > 1:
        errors.append(f"{qid}: id used {c} times")

for e in errors:
    print("FAIL", e)
print(f"{n} questions; by kind: {dict(sorted(kinds.items()))}")
print("OK" if not errors else f"{len(errors)} problem(s)")
sys.exit(1 if errors else 0)
