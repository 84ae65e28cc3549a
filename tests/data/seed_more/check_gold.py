"""Check that every gold quote is an exact substring of its source file: python3 check_gold.py SOURCES_DIR"""
import json
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "sources")
bad = 0
for line in open(Path(__file__).resolve().parent / "gold.jsonl", encoding="utf-8"):
    d = json.loads(line)
    files = d.get("gold_sources") or [d["gold_source"]] * len(d["gold_quotes"])
    for q, f in zip(d["gold_quotes"], files):
        if q not in (src / f).read_text(encoding="utf-8"):
            bad += 1
            print("MISSING", d["id"], f, q[:70])
print(f"{bad} missing")
sys.exit(1 if bad else 0)
