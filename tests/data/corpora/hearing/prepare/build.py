"""Cut one file per witness from the parsed HC 245 turns: for each question block in which the witness speaks,
keep the member's opening question, any member turn directly followed by the witness, and the witness's answers;
other witnesses' answers are cut. Words unchanged."""
import json, os
MEMBERS={"Chair","Stephen Metcalfe","Jim Dowd","Mr Heath","Stephen Mosley","Graham Stringer","Pamela Nash","David Tredinnick"}
DATES={"Oral_20140618":"Wednesday 18 June 2014","Oral_20140623":"Monday 23 June 2014","Oral_20140708":"Tuesday 8 July 2014"}
def blocks(turns):
    bl=[];cur=None
    for t in turns:
        if t["speaker"]=="_HEAD": continue
        if t["q"]: cur={"q":t["q"],"turns":[]}; bl.append(cur)
        cur["turns"].append(t)
    return bl
def cut(raw, speaker, witness_line, title, fn, qrange=None):
    d=json.load(open(f"/work/devset2/raw/{raw}.json"))
    out=[title,"","Science and Technology Committee","Oral evidence: Social media data and real time analytics, HC 245",DATES[raw],"",witness_line,""]
    for b in blocks(d["turns"]):
        if qrange and not (qrange[0]<=int(b["q"])<=qrange[1]): continue
        ts=b["turns"]
        if not any(t["speaker"]==speaker for t in ts): continue
        first=True
        for i,t in enumerate(ts):
            keep = t["speaker"]==speaker or (t["speaker"] in MEMBERS and (i==0 or (i+1<len(ts) and ts[i+1]["speaker"]==speaker)))
            if not keep: continue
            pre = f"Q{b['q']} " if first else ""
            first=False
            out.append(f"{pre}{t['speaker']}: {t['text']}")
            out.append("")
    txt="\n".join(out).rstrip()+"\n"
    open(fn,"w").write(txt)
    return len(txt.split())
