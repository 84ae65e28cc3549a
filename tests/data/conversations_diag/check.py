"""Check conversations.json against the seed briefings in ../../../sources: verbatim gold quotes of 8+ words."""
import json,os,sys
HERE=os.path.dirname(os.path.abspath(__file__))
S=os.path.join(HERE,"..","..","..","sources")+os.sep
d=json.load(open(os.path.join(HERE,"conversations.json")))
bad=0
for c in d["conversations"]:
    assert len(c["turns"])==12,c["id"]
    assert sum(not t["answerable"] for t in c["turns"])==2,c["id"]
    for i,t in enumerate(c["turns"],1):
        if not t["answerable"]:
            assert t["gold_quotes"]==[] and t["actors"] is None; continue
        assert 1<=len(t["gold_quotes"])<=3 and len(t["gold_quotes"])==len(t["gold_sources"])==len(t["actors"])
        for q,s in zip(t["gold_quotes"],t["gold_sources"]):
            txt=open(S+s,encoding="utf-8").read()
            if q not in txt or len(q.split())<8:
                bad+=1; print("FAIL",c["id"],i,s,len(q.split()),q[:80])
print("OK" if not bad else f"{bad} failures"); sys.exit(1 if bad else 0)
