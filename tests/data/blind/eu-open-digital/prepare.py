#!/usr/bin/env python3
"""Rebuild sources/*.txt from the raw PDF-to-text files of nine responses to the European
Commission's call for evidence "Towards European open digital ecosystems" (see README.md).

    python3 prepare.py RAW_DIR

RAW_DIR holds the files of output/extracted_text/ from OpenDigitalCC/documented-insights at
commit ed502ae0dc18cefdde7447e6ec8bee03a832cfd8 (only the nine named in DOCS are read).

Only layout is changed: the double-encoded UTF-8 is decoded, typographic ligatures (ff, fi)
are spelled out, zero-width spaces removed, non-breaking hyphens and spaces made plain,
Unicode put in NFC; running headers and footers, page numbers,
footnotes, contact lines and letterhead are dropped; hard-wrapped lines are joined into
paragraphs, and a word split across two lines by the PDF's hyphenation is rejoined when it is
listed in JOIN. No other word is changed. Deterministic: same input, same output.
"""
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CFE = ("response to the European Commission's call for evidence \"Towards European open digital "
       "ecosystems\" (European Open Digital Ecosystem Strategy, Ares(2026)69111)")

# Line-end hyphenations that are PDF word breaks, rejoined without the hyphen. Any other
# "word-\nword" keeps its hyphen (open-source, long-term, start-ups, e-government, ...).
JOIN = set("""
Addition-ally Febru-ary Janu-ary Mad-rid Of-fices adminis-trations ca-talogues charac-terised
con-tribute coopera-tion de-fault de-pends differ-ent es-tablishment ex-ample fol-lowing
in-creased in-novators insti-tutionalising integ-ration mak-ing ne-cessary organisa-tions
pat-ents pre-sent re-present re-search recom-mends se-curity so-lutions stand-ards suc-cess
sus-tainability tech-nology ver-sion Applica-tions Soft-ware Stu-dents act-ive
administra-tions avail-able collabora-tion com-monly commu-nication con-trary con-trol
coun-teract cre-ate distribu-tions eco-nomy ecosys-tem ecosys-tems encour-aged estab-lished
hes-itant incor-porating inde-pendently inter-national inter-operability interoper-ability
main-tainer manu-facturer migra-tion modific-ations modifica-tions parti-cipants
parti-cipate per-sonal per-spective pos-sible prac-tices pre-vents precari-ous pro-curing
pro-grammes pro-jects propri-etary propriet-ary pub-lic pur-poses situ-ations smart-phone
soft-ware sov-ereign sover-eignty stake-holders sup-port sup-porting target-ing
televi-sions whis-tleblowing enter-prises
""".split())

PAGENO = r"^\s*\d{1,2}(/\d)?\s*$"
DOCS = [
    dict(out="01_fsfe.txt", raw="Statement_FSFE_European_Open_Digital_Ecosystem_Strategy.pdf.txt",
         title="Statement of the Free Software Foundation Europe (FSFE) on the European Open Digital Ecosystem Strategy",
         date="29 January 2026",
         start=r"^WHAT IS FREE SOFTWARE\?", end=None, foot=None,
         drop=[r"^Free Software Foundation Europe e\.V\. \(FSFE\) . Head office", r"^Phone: \+49/30/27595290",
               r"^\s*17030, AG Hamburg", r"^\d{1,2}\s+https?://"]),
    dict(out="02_apell.txt", raw="2026-02-03_Feedback_APELL_Open_Digital_Ecosystems.pdf.txt",
         title="Feedback by APELL - The European Open Source Software Business Association",
         date="3 February 2026",
         start=r"^APELL . The European Open Source Software Business Association and its members",
         end=r"^Members\s*$", foot=r"^\d{1,2} \S",
         drop=[r"^On behalf of\s*$", r"^APELL . Association Professionnelle Europ.enne du Logiciel Libre ASBL\s*$",
               r"^Sebastian Raible", r"^Director EU Government Affairs"]),
    dict(out="03_bsa.txt", raw="BSA_-_EU_-_Call_for_Evidence_-_European_Open_Digital_Ecosystems.pdf.txt",
         title="BSA | The Software Alliance (Business Software Alliance): contribution on the European Open Digital Ecosystems Strategy",
         date="3 February 2026",
         start=r"^The Business Software Alliance1 welcomes", end=r"^\s*\*\*\*\s*$", foot=r"^\d{1,2}\s*$",
         drop=[r"^BSA.s contribution on the European Open Digital Ecosystems Strategy\s*$"]),
    dict(out="04_iti.txt", raw="Final_-_ITI_Response_to_European_Open_Digital_Ecosystems_Call_for_Evidence.pdf.txt",
         title="ITI (Information Technology Industry Council): response to the call for evidence on European Open Digital Ecosystems",
         date="3 February 2026",
         start=r"^Introduction\s*$", end=None, foot=r"^\d{1,2}\s*$", drop=[]),
    dict(out="05_github.txt", raw="European_Open_Digital_Ecosystem_Strategy_call_for_evidence_-_GitHub_response.pdf.txt",
         title="GitHub contribution to the call for evidence: Towards European Open Digital Ecosystems",
         date="26 January 2026",
         start=r"^GitHub welcomes the opportunity", end=None, foot=r"^\d{1,2}\s*$", drop=[]),
    dict(out="06_ovhcloud.txt", raw="OVHcloud_Call_for_Evidence_TowardsEuropeanOpenDigitalEcosystems.pdf.txt",
         title="OVHcloud contribution to the call for evidence for the initiative \"Towards European open digital ecosystems\"",
         date="3 February 2026",
         start=r"^\s*INTRODUCTION\s*$", end=None, foot=r"^\d{1,2}\s*$", drop=[]),
    dict(out="07_digital_sme.txt", raw="European_DIGITAL_SME_Alliance_Open_Digital_Ecosystems.pdf.txt",
         title="European DIGITAL SME Alliance: call for evidence, Towards European Open Digital Ecosystems",
         date="3 February 2026",
         start=r"^The European DIGITAL SME Alliance, representing", end=None, foot=None,
         drop=[r"^\s*\+32 2893 0235", r"^\s*https://digitalsme\.eu", r"^\s*Rue Marie Th.r.se 21"]),
    dict(out="08_eurocities.txt", raw="Eurocities_response_Call_for_evidence_on_the_European_Open_Digital_Ecosystem_Strategy.pdf.txt",
         title="Eurocities contribution to the European Commission's call for evidence on the upcoming European Open Digital Ecosystem Strategy",
         date="3 February 2026",
         start=r"^Eurocities welcomes this opportunity", end=r"^i For more information about Eurocities", foot=None,
         drop=[r"^\s*Eurocities contribution to the European Commission.s call for evidence on the\s*$",
               r"^\s*upcoming European Open Digital Ecosystem Strategy\s*$", r"^\s*_{20,}\s*$"],
         strip=[r" ?The contact person for this consultation is \S+@\S+\."]),
    dict(out="09_vng.txt", raw="VNG_input_Call_for_Evidence_Open_digital_ecosystems.pdf.txt",
         title="VNG (Association of Netherlands Municipalities) input on the European Open Digital Ecosystem Strategy consultation",
         date="2 February 2026",
         start=r"^About the VNG", end=None, foot=None,
         drop=[r"^Vereniging van Nederlandse Gemeenten\s+\d/3", r"^Nassaulaan 12 Den Haag", r"^070 - 373 83 93"]),
]

BULLET = re.compile(r"^(?:[•▪●\uf0b7\uf0a7]|[–-](?=\s)|o(?=\s{2,})|\d{1,2}[.)](?=\s)|[ivx]{1,4}\.(?=\s))")
END_PUNCT = tuple(".!?:;)\"”’")
FUNC = ("the", "of", "to", "a", "an", "and", "in", "for", "with", "by", "on", "or")


def decode(raw: bytes) -> str:
    s = raw.decode("utf-8")
    try:
        s = s.encode("latin-1").decode("utf-8")     # the extractor wrote UTF-8 read as Latin-1
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    for a, b in (("\ufb00", "ff"), ("\ufb01", "fi"), ("\ufb02", "fl"), ("\ufb03", "ffi"), ("\ufb04", "ffl"),
                 ("\u200b", ""), ("\u00a0", " "), ("\u2011", "-"), ("\r", "")):
        s = s.replace(a, b)
    return unicodedata.normalize("NFC", s)


def lines_of(doc: dict, text: str) -> list:
    """(indent, text, after_page_break) for the kept lines; '' marks a blank line."""
    out = []
    drop = [re.compile(p) for p in doc["drop"] + [PAGENO, r"^Ref\. Ares\(2026\)"]]
    foot = re.compile(doc["foot"]) if doc["foot"] else None
    for pno, page in enumerate(text.split("\f")):
        lines = page.split("\n")
        if foot:
            for i, l in enumerate(lines):
                if i > 0 and foot.match(l):
                    lines = lines[:i]                   # footnotes run to the end of the page
                    break
        first = True
        for l in lines:
            if any(p.search(l) for p in drop):
                continue
            for pat in doc.get("strip", []):            # a personal contact sentence inside a line
                l = re.sub(pat, "", l)
            if not l.strip():
                out.append((0, "", False))
                continue
            out.append((len(l) - len(l.lstrip()), l.strip(), first and pno > 0))
            first = False
    # trim to the document's body
    start = re.compile(doc["start"])
    i0 = next(i for i, (_, t, _) in enumerate(out) if start.search(t))
    out = out[i0:]
    if doc["end"]:
        end = re.compile(doc["end"])
        out = out[:next(i for i, (_, t, _) in enumerate(out) if end.search(t))]
    return out


def join(a: str, b: str) -> str:
    m = re.search(r"([A-Za-z]+)-$", a)
    if m and re.match(r"[a-z]", b):
        w2 = re.match(r"[a-z]+", b).group(0)
        if f"{m.group(1)}-{w2}" in JOIN:
            return a[:-1] + b
        return a + b
    if re.search(r"[A-Za-z0-9]-$", a) and re.match(r"[A-Za-z0-9]", b):
        return a + b                                 # "made-in-" + "Europe", "non-" + "European"
    return a + " " + b


def paragraphs(lines: list) -> list:
    lens = sorted(len(t) for _, t, _ in lines if t)
    width = lens[int(0.9 * (len(lens) - 1))]       # the page's full line length
    paras = []          # [text, starts_after_page_break, last_indent]
    cur = None
    prev_indent = 0
    for indent, t, brk in lines:
        if not t:
            cur = None
            continue
        new = cur is None or BULLET.match(t)
        if cur is not None and not new:
            ended = cur[0].endswith(END_PUNCT)
            if ended and indent >= prev_indent + 3 and not re.match(r"[a-z]", t):
                new = True                           # indented first line of a paragraph
            elif not ended and len(cur[0]) < 0.85 * width and (cur[0] == cur[3] or cur[0].isupper()) \
                    and re.match(r"[A-Z]", t) and not brk \
                    and not (cur[0].isupper() and t.isupper()) and not re.search(r"[a-z][.!?] ", cur[0]) \
                    and cur[0].split()[-1] not in FUNC and not (len(t) < 25 and not t.endswith(END_PUNCT)):
                new = True                           # a short heading line on its own
        if brk and cur is not None and not new and cur[0].endswith(END_PUNCT) and re.match(r"[A-Z]", t):
            new = True
        if new:
            cur = [t, brk, indent, t]
            paras.append(cur)
        else:
            cur[0] = join(cur[0], t)
        prev_indent = indent
    # merge a paragraph that a page break (and its footnotes) cut in two
    merged = []
    for p in paras:
        prev = merged[-1][0] if merged else ""
        if merged and p[1] and re.match(r"[a-z(]", p[0]) and not BULLET.match(p[0]):
            merged[-1][0] = join(merged[-1][0], p[0])
        elif merged and p[1] and not prev.endswith(END_PUNCT) and (
                re.match(r"[a-z(]", p[0]) or (len(prev) > 150 and not BULLET.match(p[0]))
                or prev.split()[-1] in FUNC):
            merged[-1][0] = join(merged[-1][0], p[0])
        else:
            merged.append(p)
    return [re.sub(r"\s+", " ", p[0]).strip() for p in merged]


def main(raw_dir: Path) -> None:
    src = HERE / "sources"
    src.mkdir(exist_ok=True)
    total = 0
    for doc in DOCS:
        text = decode((raw_dir / doc["raw"]).read_bytes())
        body = paragraphs(lines_of(doc, text))
        title = f"{doc['title']} -- {CFE}, {doc['date']}"
        out = title + "\n\n" + "\n\n".join(body) + "\n"
        (src / doc["out"]).write_text(out, encoding="utf-8")
        n = len(out.split())
        total += n
        print(f"{doc['out']}: {n} words")
    print(f"total: {total} words")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
