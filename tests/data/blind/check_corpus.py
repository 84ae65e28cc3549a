#!/usr/bin/env python3
"""Check a held-out corpus's gold.jsonl against its sources/ (rebuilt by its prepare.py): every gold quote is
an exact substring of its file and at least 8 words; line format as ../../../shared/eval/dev.jsonl; parallel
lists line up; catalog.toml lists every file. Exits 1 on any problem. Each set's check.py calls main() with
its own folder.
"""
import argparse
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

STANCES = {"supports", "welcomes", "concerned", "opposes", "accepts", "rejects", "mixed", "recommends", "describes"}
KINDS = {"position", "fact", "who", "comparison", "keyword", "multiturn", "unanswerable"}
KEYS = ("id", "turns", "answerable", "gold_quotes", "gold_source", "actor", "stance", "topic", "kind")


def main(HERE: Path) -> int:  # noqa: N803 (the set's folder, as each script's own HERE was)
    p = argparse.ArgumentParser()
    p.add_argument("--gold", default=str(HERE / "gold.jsonl"))
    args = p.parse_args()
    files = {f.name: f.read_text(encoding="utf-8") for f in (HERE / "sources").glob("*.txt")}
    catalog = tomllib.loads((HERE / "sources" / "catalog.toml").read_text(encoding="utf-8"))["source"]
    problems = []
    if sorted(s["file"] for s in catalog) != sorted(files):
        problems.append("catalog.toml files differ from sources/*.txt")
    for s in catalog:
        for k in ("file", "id", "title", "publisher", "published", "url"):
            if not s.get(k):
                problems.append(f"catalog: {s.get('file')}: missing {k}")
        first = files.get(s["file"], "").split("\n", 1)[0]
        if not first.strip():
            problems.append(f"{s['file']}: first line is not a title")
    lines = [json.loads(l) for l in open(args.gold, encoding="utf-8") if l.strip()]
    ids = [g["id"] for g in lines]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    n_quotes = 0
    for g in lines:
        gid = g.get("id")
        for k in KEYS:
            if k not in g:
                problems.append(f"{gid}: missing {k}")
        if not isinstance(g["turns"], list) or not g["turns"] or not all(isinstance(t, str) and t.strip() for t in g["turns"]):
            problems.append(f"{gid}: bad turns")
        if g["kind"] not in KINDS:
            problems.append(f"{gid}: kind {g['kind']}")
        if g["kind"] == "multiturn" and not 2 <= len(g["turns"]) <= 4:
            problems.append(f"{gid}: multiturn needs 2-4 turns")
        if g["kind"] != "multiturn" and len(g["turns"]) != 1:
            problems.append(f"{gid}: several turns but kind {g['kind']}")
        if not g["answerable"]:
            if g["gold_quotes"] or g["actor"] or g["stance"] or g["gold_source"] or g["kind"] != "unanswerable":
                problems.append(f"{gid}: unanswerable line with gold")
            continue
        quotes = g["gold_quotes"]
        if not quotes:
            problems.append(f"{gid}: answerable without quotes")
        if g.get("gold_sources") is not None and g["gold_source"] is not None:
            problems.append(f"{gid}: both gold_source and gold_sources")
        srcs = g.get("gold_sources") or [g["gold_source"]] * len(quotes)
        if len(srcs) != len(quotes):
            problems.append(f"{gid}: gold_sources length")
        for key in ("actors", "stances"):
            if key in g and len(g[key]) != len(quotes):
                problems.append(f"{gid}: {key} length")
        for s in g.get("stances", [g["stance"]]):
            if s not in STANCES:
                problems.append(f"{gid}: stance {s}")
        for q, src in zip(quotes, srcs):
            n_quotes += 1
            if src not in files:
                problems.append(f"{gid}: unknown source {src}")
            elif files[src].count(q) == 0:
                problems.append(f"{gid}: not in file {src}: {q[:70]}...")
            if len(q.split()) < 8:
                problems.append(f"{gid}: quote under 8 words: {q}")
    kinds = Counter(g["kind"] for g in lines)
    print(f"{len(lines)} lines, {n_quotes} quotes checked: {len(problems)} problems")
    print("by kind:", dict(sorted(kinds.items())))
    for pr in problems:
        print("  " + pr)
    return 1 if problems else 0


