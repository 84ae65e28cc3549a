"""Check switch_covid/gold.jsonl: every gold quote is an exact substring of its gold_source."""
import json, collections, pathlib, sys
HERE = pathlib.Path(__file__).resolve().parent
SRC = pathlib.Path("/work/shared/eval/corpora/covid-inquiry-module1/sources")
rows = [json.loads(l) for l in open(HERE / "gold.jsonl") if l.strip()]
errs, ids, counts = [], set(), collections.Counter()
for r in rows:
    assert r["id"] not in ids, f"duplicate id {r['id']}"; ids.add(r["id"])
    assert r["kind"] in ("position", "actor_switch", "why"), r["id"]
    assert isinstance(r["turns"], list) and r["turns"], r["id"]
    text = (SRC / r["gold_source"]).read_text(encoding="utf-8")
    if r["answerable"]:
        if not r["gold_quotes"]: errs.append(f"{r['id']}: answerable but no quotes")
        for q in r["gold_quotes"]:
            if q not in text: errs.append(f"{r['id']}: quote not in {r['gold_source']}: {q[:70]!r}")
    else:
        if r["gold_quotes"]: errs.append(f"{r['id']}: unanswerable but has quotes")
        if not r.get("why"): errs.append(f"{r['id']}: unanswerable without 'why'")
    counts[(r["kind"], r["answerable"])] += 1
print(f"lines: {len(rows)}  answerable: {sum(r['answerable'] for r in rows)}  unanswerable: {sum(not r['answerable'] for r in rows)}")
for kind in ("position", "actor_switch", "why"):
    print(f"  {kind:13s} answerable={counts[(kind, True)]:3d} unanswerable={counts[(kind, False)]:3d}")
for e in errs: print("ERROR", e)
sys.exit(1 if errs else 0)
