"""Check switch_hearing/gold.jsonl: every gold quote is an exact substring of its gold_source file."""
import json, collections, pathlib, sys
HERE = pathlib.Path(__file__).resolve().parent
SRC = HERE.parent / "corpora" / "hearing" / "sources"
rows = [json.loads(l) for l in (HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
errors, ids = [], set()
counts = collections.Counter()
for r in rows:
    assert r["id"] not in ids, f"duplicate id {r['id']}"; ids.add(r["id"])
    for k in ("turns", "answerable", "gold_quotes", "gold_source", "actor", "kind"):
        assert k in r, f"{r['id']}: missing {k}"
    assert r["kind"] in ("position", "actor_switch", "why"), r["id"]
    path = SRC / r["gold_source"]
    assert path.is_file(), f"{r['id']}: no such source {r['gold_source']}"
    text = path.read_text(encoding="utf-8")
    if r["answerable"]:
        if not r["gold_quotes"]:
            errors.append(f"{r['id']}: answerable but no gold quotes")
        for q in r["gold_quotes"]:
            if q not in text:
                errors.append(f"{r['id']}: quote not in {r['gold_source']}: {q[:70]!r}")
    else:
        if r["gold_quotes"]:
            errors.append(f"{r['id']}: unanswerable but has gold quotes")
        if not r.get("why"):
            errors.append(f"{r['id']}: unanswerable without 'why'")
    counts[(r["kind"], r["answerable"])] += 1
for e in errors:
    print("ERROR", e)
print(f"lines: {len(rows)}  conversations: {len({r['id'][:-1] for r in rows})}")
print(f"answerable: {sum(r['answerable'] for r in rows)}  unanswerable: {sum(not r['answerable'] for r in rows)}")
for kind in ("position", "actor_switch", "why"):
    print(f"  {kind:13s} answerable={counts[(kind, True)]:3d}  unanswerable={counts[(kind, False)]:3d}")
sys.exit(1 if errors else 0)
