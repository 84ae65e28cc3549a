"""Check that every gold quote is an exact substring of its source file."""
import json, os, tomllib
root = os.path.dirname(os.path.abspath(__file__))
src = os.path.join(root, "sources")
cat = {s["file"] for s in tomllib.load(open(os.path.join(src, "catalog.toml"), "rb"))["source"]}
ok = bad = 0
for line in open(os.path.join(root, "gold.jsonl"), encoding="utf-8"):
    d = json.loads(line)
    files = d.get("gold_sources") or [d["gold_source"]] * len(d["gold_quotes"])
    assert len(files) == len(d["gold_quotes"]), d["id"]
    for q, f in zip(d["gold_quotes"], files):
        assert f in cat, (d["id"], f)
        if q in open(os.path.join(src, f), encoding="utf-8").read(): ok += 1
        else: bad += 1; print("MISSING", d["id"], f, q[:70])
print(f"{ok} quotes found, {bad} missing")
