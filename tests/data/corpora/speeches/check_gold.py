#!/usr/bin/env python3
"""Check gold.jsonl and sources/catalog.toml of the speeches corpus (standard library only).

    python3 check_gold.py               # format of every line; every gold quote is a substring of its source file
    python3 check_gold.py --api URL     # ... and of the text served at URL/api/sources/{id}
                                        #     (a running assistant that indexes this sources/ folder)

Checks:
  - catalog.toml: one [[source]] per .txt file, fields file/id/title/publisher/published/url,
    ids lowercase letters, digits and hyphens, dates YYYY-MM-DD;
  - source files: UTF-8, plain ASCII, paragraphs separated by exactly one blank line;
  - gold.jsonl: unique ids, required fields, kind and stance vocabularies, turns a non-empty list of
    strings; answerable lines have quotes, a source for each quote (gold_source, or gold_sources
    parallel to the quotes) and actor/stance (or actors/stances parallel to the quotes); every quote
    has at least 8 words and is a verbatim substring of its source file; unanswerable lines have
    no quotes, no actor/stance and a note.
Exits 1 on any problem.
"""
import argparse
import json
import re
import sys
import tomllib
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
STANCES = {"supports", "welcomes", "accepts", "concerned", "opposes", "rejects", "mixed", "recommends", "describes"}
KINDS = {"position", "fact", "who", "comparison", "keyword", "multiturn", "unanswerable"}
REQUIRED = ("id", "turns", "answerable", "gold_quotes", "gold_source", "actor", "stance", "topic", "kind")
CATALOG_FIELDS = ("file", "id", "title", "publisher", "published", "url")


def check_catalog(problems: list[str]) -> dict:
    catalog = tomllib.loads((HERE / "sources" / "catalog.toml").read_text(encoding="utf-8"))
    entries = catalog.get("source", [])
    files = sorted(p.name for p in (HERE / "sources").glob("*.txt"))
    if sorted(e.get("file") for e in entries) != files:
        problems.append(f"catalog files {sorted(e.get('file') for e in entries)} != sources {files}")
    ids = [e.get("id") for e in entries]
    if len(set(ids)) != len(ids):
        problems.append("catalog: duplicate ids")
    for e in entries:
        for k in CATALOG_FIELDS:
            if not isinstance(e.get(k), str) or not e.get(k):
                problems.append(f"catalog {e.get('file')}: missing {k}")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e.get("id", "")):
            problems.append(f"catalog {e.get('file')}: bad id {e.get('id')!r}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", e.get("published", "")):
            problems.append(f"catalog {e.get('file')}: bad date {e.get('published')!r}")
    return {e.get("file"): e for e in entries}


def check_sources(problems: list[str]) -> dict[str, str]:
    texts = {}
    for p in sorted((HERE / "sources").glob("*.txt")):
        raw = p.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{p.name}: not UTF-8")
            continue
        if not text.isascii():
            problems.append(f"{p.name}: non-ASCII characters")
        if "\n\n\n" in text or "\r" in text or "\t" in text:
            problems.append(f"{p.name}: paragraphs not separated by exactly one blank line")
        if any(line != line.strip() for line in text.split("\n")):
            problems.append(f"{p.name}: leading or trailing spaces on a line")
        texts[p.name] = text
    return texts


def served_texts(api: str, catalog: dict) -> dict[str, str]:
    out = {}
    for f, e in catalog.items():
        with urllib.request.urlopen(f"{api.rstrip('/')}/api/sources/{e['id']}") as r:
            out[f] = json.load(r)["text"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(HERE / "gold.jsonl"))
    ap.add_argument("--api", help="base URL of a running assistant serving this corpus")
    args = ap.parse_args()
    problems: list[str] = []
    catalog = check_catalog(problems)
    files = check_sources(problems)
    served = served_texts(args.api, catalog) if args.api else {}

    lines = []
    for n, raw in enumerate(open(args.gold, encoding="utf-8"), 1):
        if raw.strip():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError as e:
                problems.append(f"line {n}: not JSON ({e})")
    ids = [g.get("id") for g in lines]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    n_quotes = 0
    for g in lines:
        gid = g.get("id")
        missing = [k for k in REQUIRED if k not in g]
        if missing:
            problems.append(f"{gid}: missing {missing}")
            continue
        if g["kind"] not in KINDS:
            problems.append(f"{gid}: kind {g['kind']}")
        turns = g["turns"]
        if not (isinstance(turns, list) and turns and all(isinstance(t, str) and t.strip() for t in turns)):
            problems.append(f"{gid}: turns must be a non-empty list of strings")
        if g["kind"] == "multiturn" and len(turns) < 2:
            problems.append(f"{gid}: multiturn line with one turn")
        if not g["answerable"]:
            if g["gold_quotes"] or g["actor"] or g["stance"] or g["gold_source"] or g["kind"] != "unanswerable":
                problems.append(f"{gid}: unanswerable line with gold")
            if not g.get("note"):
                problems.append(f"{gid}: unanswerable line without a note")
            continue
        if g["kind"] == "unanswerable":
            problems.append(f"{gid}: kind unanswerable but answerable is true")
        quotes = g["gold_quotes"]
        if not quotes:
            problems.append(f"{gid}: no gold quotes")
        if g["gold_source"] is None and "gold_sources" not in g:
            problems.append(f"{gid}: neither gold_source nor gold_sources")
        srcs = g.get("gold_sources") or [g["gold_source"]] * len(quotes)
        if len(srcs) != len(quotes):
            problems.append(f"{gid}: gold_sources length")
        for key in ("actors", "stances"):
            if key in g and len(g[key]) != len(quotes):
                problems.append(f"{gid}: {key} length")
        if not g["actor"]:
            problems.append(f"{gid}: no actor")
        for s in g.get("stances", [g["stance"]]):
            if s not in STANCES:
                problems.append(f"{gid}: stance {s}")
        for q, src in zip(quotes, srcs):
            n_quotes += 1
            if src not in files:
                problems.append(f"{gid}: unknown source {src}")
            elif q not in files[src]:
                problems.append(f"{gid}: not in file {src}: {q[:60]}...")
            if served and q not in served.get(src, ""):
                problems.append(f"{gid}: not in served text of {src}: {q[:60]}...")
            if len(q.split()) < 8:
                problems.append(f"{gid}: quote under 8 words: {q}")
    kinds = Counter(g.get("kind") for g in lines)
    print(f"{len(lines)} lines ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}), "
          f"{n_quotes} quotes checked against files" + (" and served text" if served else "")
          + f", {len(files)} sources: {len(problems)} problems")
    for pr in problems:
        print("  " + pr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
