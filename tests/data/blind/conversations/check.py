"""Check conversations.json against the seed briefings in ../../../../sources."""
import json, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "sources")
data = json.load(open(os.path.join(HERE, "conversations.json"), encoding="utf-8"))
errs = []
texts = {}
def seed(name):
    if name not in texts:
        p = os.path.join(SEEDS, name)
        texts[name] = open(p, encoding="utf-8").read() if os.path.isfile(p) else None
    return texts[name]
convs = data["conversations"]
if len(convs) != 2: errs.append(f"expected 2 conversations, got {len(convs)}")
for c in convs:
    ts = c["turns"]
    if len(ts) != 16: errs.append(f"{c['id']}: {len(ts)} turns, expected 16")
    nu = sum(1 for t in ts if not t["answerable"])
    if nu != 3: errs.append(f"{c['id']}: {nu} unanswerable turns, expected 3")
    for i, t in enumerate(ts, 1):
        tag = f"{c['id']} turn {i}"
        if not t["question"].strip(): errs.append(f"{tag}: empty question")
        q, s, a = t["gold_quotes"], t["gold_sources"], t["actors"]
        if not t["answerable"]:
            if q or s or a is not None: errs.append(f"{tag}: unanswerable must have [] quotes and null actors")
            continue
        if not 1 <= len(q) <= 3: errs.append(f"{tag}: {len(q)} quotes, expected 1-3")
        if not (isinstance(a, list) and len(q) == len(s) == len(a)): errs.append(f"{tag}: quotes/sources/actors not parallel")
        for j, (quote, src) in enumerate(zip(q, s)):
            txt = seed(src)
            if txt is None: errs.append(f"{tag} q{j}: no seed file {src}"); continue
            if quote not in txt: errs.append(f"{tag} q{j}: not an exact substring of {src}: {quote[:70]!r}")
            if len(quote.split()) < 8: errs.append(f"{tag} q{j}: only {len(quote.split())} words")
        for actor in a or []:
            if not actor: errs.append(f"{tag}: empty actor")
for e in errs: print("FAIL", e)
n = sum(len(c["turns"]) for c in convs); ng = sum(len(t["gold_quotes"]) for c in convs for t in c["turns"])
print(f"{'OK' if not errs else 'FAILED'}: {len(convs)} conversations, {n} turns, {ng} gold quotes, {len(errs)} problems")
sys.exit(1 if errs else 0)
