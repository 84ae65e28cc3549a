#!/usr/bin/env python3
"""Check the blind conversation set: every gold quote must be an exact substring
of its named seed file (or of any seed file when "source" is absent)."""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = "/work/shared/seeds"

def main():
    data = json.load(open(os.path.join(HERE, "conversations.json"), encoding="utf-8"))
    seeds = {f: open(os.path.join(SEEDS, f), encoding="utf-8").read()
             for f in sorted(os.listdir(SEEDS)) if f.endswith(".txt")}
    convs = data["conversations"]
    n_turns = n_ans = n_unans = n_switch_refuse = n_quotes = 0
    failures = []
    ids = set()
    for c in convs:
        assert c["id"] not in ids, "duplicate id %s" % c["id"]
        ids.add(c["id"])
        assert 3 <= len(c["turns"]) <= 5, "%s has %d turns" % (c["id"], len(c["turns"]))
        for i, t in enumerate(c["turns"]):
            n_turns += 1
            assert t["question"].strip()
            if t["answerable"]:
                n_ans += 1
                assert 1 <= len(t["gold_quotes"]) <= 3, "%s turn %d: need 1-3 quotes" % (c["id"], i + 1)
                src = t.get("source")
                if src is not None:
                    assert src in seeds, "%s turn %d: unknown source %s" % (c["id"], i + 1, src)
                pool = [seeds[src]] if src else list(seeds.values())
                for q in t["gold_quotes"]:
                    n_quotes += 1
                    if not any(q in text for text in pool):
                        failures.append("%s turn %d: quote not found in %s: %r" % (c["id"], i + 1, src or "any seed", q[:90]))
            else:
                n_unans += 1
                assert t["gold_quotes"] == [], "%s turn %d: unanswerable with quotes" % (c["id"], i + 1)
                assert t.get("why", "").strip(), "%s turn %d: missing why" % (c["id"], i + 1)
                if t["why"].startswith("Actor switch:"):
                    n_switch_refuse += 1
    for f in failures:
        print("FAIL", f)
    print("conversations: %d" % len(convs))
    print("turns: %d" % n_turns)
    print("answerable: %d (gold quotes: %d)" % (n_ans, n_quotes))
    print("unanswerable: %d" % n_unans)
    print("actor-switch refusals: %d" % n_switch_refuse)
    if failures:
        print("FAILED: %d quote(s)" % len(failures))
        sys.exit(1)
    print("OK: all gold quotes are exact substrings")

if __name__ == "__main__":
    main()
