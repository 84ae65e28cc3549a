"""Parse pypdf text of the three HC 245 oral-evidence PDFs into turns (layout only: page headers dropped, wrapped lines re-joined)."""
import re, json, sys
NAMES = ["Chair","Stephen Metcalfe","Professor Preston","Mr Vaizey","Jim Dowd","Professor Yates","Mr Heath",
 "Professor McAuley","Sir Nigel Shadbolt","Stephen Mosley","Dr Macnish","Timo Hannay","Carl Miller","Graham Stringer",
 "Sureyya Cansoy","Steve Wood","Pamela Nash","Emma Carr","Professor van Zoonen","Professor Robertson",
 "Professor De Roure","Dr McPherson","Dr Elliot","David Tredinnick","Dr d’Aquin","Dr d'Aquin"]
pat = re.compile(r"^(Q(\d+)\s+)?(" + "|".join(re.escape(n) for n in NAMES) + r"):\s")
def parse(fn):
    lines = open(fn).read().split("\n")
    out=[]; skip_next=False
    for l in lines:
        if l == "<<PAGE>>": skip_next=True; continue
        if skip_next:
            skip_next=False
            if l.startswith("Oral evidence: Social media data and real time analytics, HC 245"): continue
        out.append(l)
    # first page header line
    if out[0].startswith("Oral evidence: Social media data and real time analytics, HC 245 1"): out=out[1:]
    turns=[]; cur=None; head=[]
    for l in out:
        m = pat.match(l)
        if m:
            cur={"q":m.group(2),"speaker":m.group(3),"text":l[m.end():]}
            turns.append(cur); continue
        if cur is None: head.append(l); continue
        if l.startswith("Examination of Witness") or l.startswith("Witnesses:") or l.startswith("Witness:"):
            cur={"q":None,"speaker":"_HEAD","text":l}; turns.append(cur); continue
        t=cur["text"]
        if t.endswith("-") or t.endswith("—") or t.endswith("–"): cur["text"]=t+l.lstrip()
        else: cur["text"]=t.rstrip()+" "+l.strip()
    for t in turns: t["text"]=re.sub(r"\s+"," ",t["text"]).strip()
    return head, turns
if __name__=="__main__":
    for f in sys.argv[1:]:
        h,t=parse(f)
        json.dump({"head":h,"turns":t},open(f.replace(".txt",".json"),"w"),indent=0,ensure_ascii=False)
        print(f,len(t))
