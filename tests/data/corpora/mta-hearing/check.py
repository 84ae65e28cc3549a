#!/usr/bin/env python3
"""Check gold.jsonl against sources/ and count the kinds. Exits 1 on any problem.

Checks: every gold quote occurs verbatim in its gold source file and has at least 8 words;
gold_sources / actors / stances are parallel to gold_quotes; kinds and stances are from the
allowed sets; multiturn lines have 2-3 turns, others 1; unanswerable lines carry no gold;
ids are unique; catalog.toml lists exactly the .txt files, each with all fields, and every
actor is the publisher of its source.

    python3 check.py [--gold gold.jsonl]
"""
import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
STANCES = {"supports", "welcomes", "accepts", "concerned", "opposes", "rejects", "mixed", "recommends", "describes"}
KINDS = {"position", "fact", "who", "comparison", "keyword", "multiturn", "unanswerable"}
KEYS = ("id", "turns", "answerable", "gold_quotes", "gold_sources", "actors", "stances", "kind", "topic")
TARGET = {"unanswerable": 12, "multiturn": 10, "comparison": 6, "who": 6}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(HERE / "gold.jsonl"))
    args = ap.parse_args()
    files = {f.name: f.read_text(encoding="utf-8") for f in sorted((HERE / "sources").glob("*.txt"))}
    catalog = tomllib.loads((HERE / "sources" / "catalog.toml").read_text(encoding="utf-8"))["source"]
    problems: list[str] = []
    if sorted(s.get("file", "") for s in catalog) != sorted(files):
        problems.append("catalog.toml files differ from sources/*.txt")
    publisher = {}
    for s in catalog:
        for k in ("file", "id", "title", "publisher", "published", "url"):
            if not s.get(k):
                problems.append(f"catalog: {s.get('file')}: missing {k}")
        publisher[s.get("file")] = s.get("publisher")
    if len({s.get("id") for s in catalog}) != len(catalog):
        problems.append("catalog: duplicate ids")

    lines = [json.loads(l) for l in open(args.gold, encoding="utf-8") if l.strip()]
    ids = [g.get("id") for g in lines]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    n_quotes = 0
    for g in lines:
        gid = g.get("id")
        missing = [k for k in KEYS if k not in g]
        if missing:
            problems.append(f"{gid}: missing {missing}")
            continue
        turns = g["turns"]
        if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            problems.append(f"{gid}: bad turns")
        if g["kind"] not in KINDS:
            problems.append(f"{gid}: kind {g['kind']}")
        if g["kind"] == "multiturn" and not 2 <= len(turns) <= 3:
            problems.append(f"{gid}: multiturn needs 2-3 turns")
        if g["kind"] != "multiturn" and len(turns) != 1:
            problems.append(f"{gid}: {len(turns)} turns but kind {g['kind']}")
        quotes, srcs, actors, stances = g["gold_quotes"], g["gold_sources"], g["actors"], g["stances"]
        if not g["answerable"]:
            if quotes or srcs or actors or stances or g["kind"] != "unanswerable":
                problems.append(f"{gid}: unanswerable line with gold or wrong kind")
            continue
        if g["kind"] == "unanswerable":
            problems.append(f"{gid}: answerable but kind unanswerable")
        if not 1 <= len(quotes) <= 3:
            problems.append(f"{gid}: needs 1-3 quotes, has {len(quotes)}")
        if not (len(srcs) == len(actors) == len(stances) == len(quotes)):
            problems.append(f"{gid}: gold_sources/actors/stances not parallel to gold_quotes")
        for q, src, actor, stance in zip(quotes, srcs, actors, stances):
            n_quotes += 1
            if stance not in STANCES:
                problems.append(f"{gid}: stance {stance}")
            if src not in files:
                problems.append(f"{gid}: unknown source {src}")
                continue
            if q not in files[src]:
                problems.append(f"{gid}: not verbatim in {src}: {q[:70]}...")
            if len(q.split()) < 8:
                problems.append(f"{gid}: quote under 8 words: {q}")
            if actor != publisher.get(src):
                problems.append(f"{gid}: actor {actor!r} is not the publisher of {src} ({publisher.get(src)!r})")
        if g["kind"] == "comparison" and len(set(actors)) < 2:
            problems.append(f"{gid}: comparison with one actor")

    kinds = Counter(g.get("kind") for g in lines)
    for k, n in TARGET.items():
        if kinds.get(k, 0) != n:
            problems.append(f"expected {n} {k}, found {kinds.get(k, 0)}")
    if len(lines) != 64:
        problems.append(f"expected 64 lines, found {len(lines)}")
    print(f"{len(lines)} lines, {n_quotes} quotes checked against {len(files)} source files: {len(problems)} problems")
    print("by kind:", dict(sorted(kinds.items())))
    print("answerable:", sum(1 for g in lines if g.get("answerable")), "unanswerable:",
          sum(1 for g in lines if not g.get("answerable")))
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
