"""Check gold.jsonl: every gold quote is an exact substring of its gold_source file."""
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE.parent / "corpora" / "speeches" / "sources"
KINDS = {"position", "actor_switch", "why"}

rows = [json.loads(l) for l in (HERE / "gold.jsonl").read_text().splitlines() if l.strip()]
ids = [r["id"] for r in rows]
assert len(ids) == len(set(ids)), "duplicate ids"
counts = Counter()
for r in rows:
    assert r["kind"] in KINDS, (r["id"], r["kind"])
    path = SOURCES / r["gold_source"]
    assert path.is_file(), (r["id"], r["gold_source"])
    text = path.read_text()
    if r["answerable"]:
        assert r["gold_quotes"], (r["id"], "answerable without quotes")
        for q in r["gold_quotes"]:
            assert q in text, (r["id"], "quote not in source", q)
    else:
        assert r["gold_quotes"] == [], (r["id"], "unanswerable with quotes")
        assert r.get("why"), (r["id"], "unanswerable without why")
    if r["kind"] == "position":
        assert len(r["turns"]) == 1 and r["answerable"], r["id"]
    counts[(r["kind"], r["answerable"])] += 1

print(f"lines: {len(rows)}")
print(f"answerable: {sum(r['answerable'] for r in rows)}  unanswerable: {sum(not r['answerable'] for r in rows)}")
for kind in ("position", "actor_switch", "why"):
    print(f"  {kind:13s} answerable={counts[(kind, True)]:2d}  unanswerable={counts[(kind, False)]:2d}")
print("OK")
