#!/usr/bin/env python3
"""Rebuild sources/ from the raw opinion files.

Origin: GitHub repository rosthalken/Supreme-Court (thesis corpus of U.S. Supreme
Court opinions, one file per opinion per justice), commit
0310d65a47969e79f560f7c74207d11c3f8ff62d, folder SupremeCourtCorpusFinalEncoded/*Original/.
Raw copies are kept in raw/ (byte-for-byte from that commit); if raw/ is missing
they are read from a local git mirror with `git show COMMIT:PATH` (set MIRROR).

Cleaning is layout only: byte-order mark dropped; the reporter caption lines
before the opinion's first line ("JUSTICE X, ...") dropped; star-paging markers
(Westlaw "902 *902", "*909", "**2370"; Lexis "[*936]", "[**2402]", "[****65]")
and Westlaw headnote keys ("[1] [2]") removed; runs of spaces collapsed; blank
lines collapsed. No word is changed. A title line is put first.
"""
import os, re, subprocess, sys

REPO = "rosthalken/Supreme-Court"
COMMIT = "0310d65a47969e79f560f7c74207d11c3f8ff62d"
BASE = "SupremeCourtCorpusFinalEncoded/"
MIRROR = os.environ.get("MIRROR", "/work/.mirror/rosthalken+Supreme-Court/repo")
HERE = os.path.dirname(os.path.abspath(__file__))
CASE = "Printz v. United States, 521 U.S. 898 (1997)"

DOCS = [  # (output file, raw path in repo, title)
    ("01_scalia_majority.txt", "ScaliaOriginal/Printz v US.txt",
     f"{CASE}: Opinion of the Court, delivered by Justice Scalia"),
    ("02_oconnor_concurrence.txt", "OConnorOriginal/Printz v US.txt",
     f"{CASE}: Justice O'Connor, concurring"),
    ("03_thomas_concurrence.txt", "ThomasOriginal/Printz v US.txt",
     f"{CASE}: Justice Thomas, concurring"),
    ("04_stevens_dissent.txt", "StevensOriginal/Printz v US.txt",
     f"{CASE}: Justice Stevens, with whom Justices Souter, Ginsburg and Breyer join, dissenting"),
    ("05_souter_dissent.txt", "SouterOriginal/Printz v. United States.txt",
     f"{CASE}: Justice Souter, dissenting"),
    ("06_breyer_dissent.txt", "BreyerOriginal/Printz v US.txt",
     f"{CASE}: Justice Breyer, with whom Justice Stevens joins, dissenting"),
]

def raw_text(path):
    local = os.path.join(HERE, "raw", path.replace("/", "__"))
    if os.path.exists(local):
        return open(local, encoding="utf-8").read()
    data = subprocess.run(["git", "-C", MIRROR, "show", f"{COMMIT}:{BASE}{path}"],
                          check=True, capture_output=True).stdout.decode("utf-8")
    os.makedirs(os.path.dirname(local), exist_ok=True)
    open(local, "w", encoding="utf-8").write(data)
    return data

def clean(text):
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\xa0", " ")
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines)
                 if re.match(r"\s*(\d+ \*\d+ )?JUSTICE\b", l, re.I))
    text = "\n".join(lines[start:])
    text = re.sub(r"\s*\[\*{1,4}\d+\]\s*", " ", text)          # Lexis star paging
    text = re.sub(r"\b(\d+) \*\1\b ?", "", text)                # Westlaw "902 *902"
    text = re.sub(r"(?<![\w*])\*{1,2}\d{3,4}\b ?", "", text)    # Westlaw "*909", "**2370"
    text = re.sub(r"^(\[\d+\] ?)+", "", text, flags=re.M)      # Westlaw headnote keys
    text = re.sub(r"[ \t]+", " ", text)
    text = "\n".join(l.strip() for l in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text

def main():
    out = os.path.join(HERE, "sources")
    os.makedirs(out, exist_ok=True)
    for name, path, title in DOCS:
        body = clean(raw_text(path))
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(title + "\n\n" + body + "\n")
        print(f"{name}: {len((title + ' ' + body).split())} words")

if __name__ == "__main__":
    main()
