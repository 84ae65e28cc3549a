#!/usr/bin/env python3
"""Check an everyday-wording gold.jsonl against its corpus's sources/ (exact quotes, ids, parallel lists, no
question copying 8 words of the documents, 50 questions). Each set's check.py calls check()."""
import json, os, re, sys, tomllib
from collections import Counter

KINDS = {"position", "fact", "who", "comparison", "keyword", "multiturn", "unanswerable"}
STANCES = {"supports", "welcomes", "concerned", "opposes", "accepts", "rejects", "mixed", "recommends", "describes"}

def check(HERE: str, SRC: str, PREFIX: str) -> None:  # noqa: N803
    with open(os.path.join(SRC, "catalog.toml"), "rb") as f:
        files = [s["file"] for s in tomllib.load(f)["source"]]
    text = {fn: open(os.path.join(SRC, fn), encoding="utf-8").read() for fn in files}
    prefix = PREFIX
    words = lambda s: re.findall(r"[a-z0-9']+", s.lower())
    doc_ngrams = set()
    for t in text.values():
        w = words(t)
        doc_ngrams.update(tuple(w[i:i + 8]) for i in range(len(w) - 7))

    errs, ids, kinds = [], set(), Counter()
    rows = [json.loads(l) for l in open(os.path.join(HERE, "gold.jsonl"), encoding="utf-8") if l.strip()]
    for n, r in enumerate(rows, 1):
        e = lambda m: errs.append(f"line {n} {r.get('id')}: {m}")
        for k in ("id", "turns", "answerable", "gold_quotes", "topic", "kind"):
            if k not in r: e(f"missing key {k}")
        if not re.fullmatch(prefix + r"\d\d", r.get("id", "")): e("bad id")
        if r.get("id") in ids: e("duplicate id")
        ids.add(r.get("id"))
        kinds[r.get("kind")] += 1
        if r.get("kind") not in KINDS: e("bad kind")
        turns = r.get("turns")
        if not (isinstance(turns, list) and turns and all(isinstance(t, str) and t.strip() for t in turns)): e("bad turns")
        if r.get("kind") == "multiturn" and not 2 <= len(turns) <= 4: e("multiturn needs 2-4 turns")
        if r.get("kind") != "multiturn" and len(turns) != 1: e("non-multiturn should have 1 turn")
        for t in turns:
            w = words(t)
            if any(tuple(w[i:i + 8]) in doc_ngrams for i in range(len(w) - 7)): e(f"question copies document wording: {t!r}")
        q = r.get("gold_quotes")
        if not r.get("answerable"):
            if q != [] or r.get("kind") != "unanswerable": e("unanswerable must have [] quotes and kind unanswerable")
            continue
        if r.get("kind") == "unanswerable": e("kind unanswerable but answerable true")
        if not (isinstance(q, list) and 1 <= len(q) <= 3): e("need 1-3 gold quotes")
        if r.get("kind") == "comparison":
            srcs, acts, sts = r.get("gold_sources"), r.get("actors"), r.get("stances")
            if not all(isinstance(x, list) and len(x) == len(q) for x in (srcs, acts, sts)): e("comparison lists not parallel to quotes"); continue
            if len(set(srcs)) < 2: e("comparison needs 2+ sources")
        else:
            srcs, sts = [r.get("gold_source")] * len(q), [r.get("stance")] * len(q)
            if not r.get("actor"): e("missing actor")
        for quote, fn, st in zip(q, srcs, sts):
            if fn not in text: e(f"unknown source {fn}"); continue
            if st not in STANCES: e(f"bad stance {st}")
            if len(quote.split()) < 8: e(f"quote under 8 words: {quote!r}")
            if quote not in text[fn]: e(f"quote not verbatim in {fn}: {quote!r}")

    if len(rows) != 50: errs.append(f"expected 50 rows, got {len(rows)}")
    print(dict(kinds))
    if errs:
        print("\n".join(errs)); sys.exit(1)
    print(f"PASS: {len(rows)} questions")
