#!/usr/bin/env python3
"""Rebuild sources/*.txt from the NY Senate transcript (see README.md).

    python3 prepare.py RAW_TRANSCRIPT

Only removes layout: line numbers, page numbers, form feeds and blank lines; joins the
hard-wrapped lines of one paragraph with a single space (a paragraph starts where the
transcript indents the line further). Then cuts one section per witness. No word changes.
"""
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE = re.compile(r"^\s*(\d{1,2})( +)(\S.*)$")


def paragraphs(raw: str) -> list[str]:
    paras, cur = [], []
    for line in raw.replace("\f", "\n").splitlines():
        if not line.strip():
            continue
        if re.fullmatch(r"\s{40,}\d+\s*", line):      # page number
            continue
        m = LINE.match(line)
        if not m:
            text, indent = line.strip(), 99            # unnumbered line (cover): own paragraph
        else:
            text, indent = m.group(3).rstrip(), len(m.group(2))
        if indent > 8 and cur:
            paras.append(" ".join(cur))
            cur = []
        cur.append(text)
    if cur:
        paras.append(" ".join(cur))
    return [re.sub(r"\s+", " ", p).strip() for p in paras]


# --- sections: (file, first paragraph, last paragraph) as indices into paragraphs(raw) -------
HEARING = ("New York State Senate public hearing on the Coast Guard's plan to create commercial "
           "barge anchorages on the Hudson River from Yonkers to Kingston, Croton-on-Hudson, "
           "19 October 2016")
SECTIONS = [
    ("01_yonkers_city_council.txt", "Testimony of Liam McLaughlin, President, Yonkers City Council", 124, 170),
    ("02_westchester_county.txt", "Testimony of Robert Astorino, County Executive, Westchester County", 292, 313),
    ("03_scenic_hudson.txt", "Testimony of Ned Sullivan, President, Scenic Hudson", 315, 352),
    ("04_maritime_association.txt", "Testimony of Edward Kelly, Executive Director, Maritime Association of the Port of New York and New Jersey", 354, 480),
    ("05_pace_cronin.txt", "Testimony of John Cronin, Senior Fellow for Environmental Affairs, Pace University", 511, 574),
    ("06_clearwater.txt", "Testimony of Betsy Garthwaite, Chair of the Board, Hudson River Sloop Clearwater", 579, 600),
    ("07_riverkeeper.txt", "Testimony of John Parker, Director of Legal Programs, Riverkeeper", 601, 659),
    ("08_boat_yacht_clubs.txt", "Testimony of Frank Bergman, President, Hudson River Boat and Yacht Club Association", 661, 695),
]


def write_sections(paras: list[str]) -> None:
    src = HERE / "sources"
    src.mkdir(exist_ok=True)
    for name, title, a, b in SECTIONS:
        body = paras[a:b + 1]
        text = f"{title} -- {HEARING}\n\n" + "\n\n".join(body) + "\n"
        (src / name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(text.split())} words")


if __name__ == "__main__":
    raw = Path(sys.argv[1]).read_text(encoding="utf-8")
    paras = paragraphs(raw)
    print(len(paras), "paragraphs,", sum(len(p.split()) for p in paras), "words in the whole transcript")
    write_sections(paras)
