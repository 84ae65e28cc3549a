#!/usr/bin/env python3
"""Rebuild sources/*.txt and sources/catalog.toml from the NY Senate transcript (see README.md).

    python3 prepare.py [RAW_TRANSCRIPT]

RAW_TRANSCRIPT defaults to raw/8-25-20 MTA Transcript Test.txt, a byte copy of
src/test/resources/hearingTranscripts/8-25-20 MTA Transcript Test.txt in nysenate/OpenLegislation
(git blob 8155a636...; checked below).

Only layout is removed: form feeds, page headers ("Page N", "Joint Hearing Impact of COVID-19 on
MTA, 8-25-20"), the stenographer's footer, line numbers, blank lines and runs of spaces. Hard-wrapped
lines of one paragraph are joined with one space (a paragraph starts where the transcript indents the
line 17+ columns after its line number); a line ending in a single hyphen after a letter or digit
("Metro-" / "North") is joined without the space. No word is changed.

Each turn is attributed to the speaker named in the label that opens it ("MR. FOYE: ..."); a file per
witness holds every turn of that witness, in transcript order (opening testimony, then answers to
questions), each turn starting with its speaker label as printed. Legislators' questions are left out.
"""
import hashlib
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw" / "8-25-20 MTA Transcript Test.txt"
BLOB = "8155a63681a4d072ad317c2267bbd780f47a3ce0"
COMMIT = "7a98f5a5c70c535e16f11f41dce663381bb2766f"
URL = ("https://github.com/nysenate/OpenLegislation/blob/" + COMMIT +
       "/src/test/resources/hearingTranscripts/8-25-20%20MTA%20Transcript%20Test.txt")
HEARING = ("Joint public hearing of the New York State Senate Standing Committees on Transportation and on "
           "Corporations, Authorities and Commissions and the Assembly Standing Committee on Corporations, "
           "Authorities and Commissions on the impact of COVID-19 on the Metropolitan Transportation Authority")
PLACE = "videoconference (virtual hearing)"
DATE = "2020-08-25"
DATE_TEXT = "25 August 2020"

# file, id, label pattern (surname as printed, typos included), name, role, organisation, publisher
WITNESSES = [
    ("01_mta_foye.txt", "mta-foye", r"FOYE", "Patrick J. Foye", "Chairman & CEO",
     "Metropolitan Transportation Authority", "Metropolitan Transportation Authority"),
    ("02_twu_local100_utano.txt", "twu-local-100-utano", r"UTANO", "Anthony Utano", "President",
     "Transport Workers Union Local 100", "Transport Workers Union Local 100"),
    ("03_smart_lirr_simon.txt", "smart-td-simon", r"SIMON", "Anthony Simon",
     "Chairman, Long Island Rail Road", "SMART Transportation Division (Sheet Metal, Air, Rail and Transportation Union)",
     "SMART Transportation Division"),
    ("04_atu_local1179_dejesus.txt", "atu-local-1179-dejesus", r"DEJESUS?", "Jose DeJesus", "President",
     "Amalgamated Transit Union Local 1179", "Amalgamated Transit Union Local 1179"),
    ("05_transitcenter_wright.txt", "transitcenter-wright", r"WRIGHT", "Colin Wright",
     "Senior Advocacy Associate", "TransitCenter", "TransitCenter"),
    ("06_reinvent_albany_fauss.txt", "reinvent-albany-fauss", r"FAUSS", "Rachael Fauss",
     "Senior Research Analyst", "Reinvent Albany", "Reinvent Albany"),
    ("07_pcac_daglian.txt", "pcac-daglian", r"DAGLIAN", "Lisa Daglian", "Executive Director",
     "Permanent Citizens Advisory Committee to the MTA (PCAC)", "Permanent Citizens Advisory Committee to the MTA"),
    ("08_riders_alliance_pearlstein.txt", "riders-alliance-pearlstein", r"PEARLSTEIN", "Danny Pearlstein",
     "Policy and Communications Director", "Riders Alliance", "Riders Alliance"),
    ("09_manhattan_institute_gelinas.txt", "manhattan-institute-gelinas", r"GELINAS", "Nicole Gelinas",
     "Senior Fellow", "Manhattan Institute", "Manhattan Institute"),
    ("10_cbc_richardson.txt", "cbc-richardson", r"RICHARDS?ON", "Denise M. Richardson",
     "Vice President of Research", "Citizens Budget Commission", "Citizens Budget Commission"),
]

LINE = re.compile(r"^(\d+)( +)(\S.*)$")
LABEL = re.compile(r"^([^:]{2,200}):\s")


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def paragraphs(raw: str) -> list[str]:
    paras: list[str] = []
    for line in raw.replace("\f", "\n").split("\n"):
        m = LINE.match(line)
        if not m:                       # blank lines, cover and index pages, page numbers, footer
            continue
        text = re.sub(r" {2,}", " ", m.group(3).rstrip())
        if text.startswith("Joint Hearing Impact of COVID-19 on MTA"):   # running page header
            continue
        indent = len(m.group(1)) + len(m.group(2))
        if indent >= 17 or not paras:
            paras.append(text)
        elif re.search(r"[A-Za-z0-9]-$", paras[-1]) and not paras[-1].endswith("--"):
            paras[-1] += text           # word hyphenated across a line break
        else:
            paras[-1] += " " + text
    return paras


def speaker(label: str) -> str | None:
    """Label text when it is a speaker label (upper case apart from Mr./Ms.), else None."""
    if re.sub(r"\b(Mr|Ms)\.", "", label) != re.sub(r"\b(Mr|Ms)\.", "", label).upper():
        return None
    return label


def turns(paras: list[str]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for p in paras:
        m = LABEL.match(p)
        who = speaker(m.group(1)) if m else None
        if who:
            out.append((who, [p]))
        elif out:
            out[-1][1].append(p)
        else:
            out.append(("", [p]))
    return out


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    raw_path = Path(sys.argv[1]) if len(sys.argv) > 1 else RAW
    data = raw_path.read_bytes()
    if git_blob_sha1(data) != BLOB:
        print(f"warning: {raw_path} is not blob {BLOB}", file=sys.stderr)
    all_turns = turns(paragraphs(data.decode("utf-8")))
    src = HERE / "sources"
    src.mkdir(exist_ok=True)
    for old in src.glob("*.txt"):
        old.unlink()
    cat = ["# Joint public hearing of the New York State Senate and Assembly, 25 August 2020: impact of COVID-19",
           "# on the Metropolitan Transportation Authority (federal aid, fare hikes, service cuts, layoffs, debt,",
           "# congestion pricing, overnight subway closure, masks). Ten witnesses. Origin and cleaning: ../README.md.",
           "# Generated by ../prepare.py. Fields: file, id, title, publisher, published, url.", ""]
    for file, sid, pat, name, role, org, publisher in WITNESSES:
        rx = re.compile(r"^(MR|MS|Mr|Ms)\.\s.*\b" + pat + r"\b")
        body = [p for who, ps in all_turns if rx.match(who) for p in ps]
        if not body:
            raise SystemExit(f"no turns for {name}")
        title = f"Testimony of {name}, {role}, {org} -- {HEARING}, {PLACE}, {DATE_TEXT}"
        (src / file).write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        cat += ["[[source]]", f"file = {toml_str(file)}", f"id = {toml_str(sid)}", f"title = {toml_str(title)}",
                f"publisher = {toml_str(publisher)}", f"published = {toml_str(DATE)}", f"url = {toml_str(URL)}", ""]
        print(f"{file}: {len(body)} paragraphs, {sum(len(p.split()) for p in body)} words")
    (src / "catalog.toml").write_text("\n".join(cat), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
