"""No corpus in the code: the package holds no phrase of three or more words from the seed texts or
the dev questions and their gold quotes (the idea of shared/tools/corpus_phrases.py, on the project's
own copies: sources/*.txt and tests/data/dev.jsonl), apart from a short reviewed list of general
English, and no seed actor name."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Reviewed: general English or general web furniture, not wording copied from the documents.
ALLOWED = {
    "as a result",  # a discourse connective (chunk.py, quotes.py, retrieve.py)
    "by how much", "how many more",  # question phrases asking for a figure (understand.py)
    "speak to us", "by submitting this form", "complete the form",  # website contact boilerplate (ingest.py)
}
SEED_ACTORS = ("BMA", "British Medical Association", "King's Fund", "NHS Providers", "WA Communications", "Hewitt",
               "HSCC", "DHSC", "Department of Health and Social Care", "NHS England", "Care Quality Commission")


def norm(s: str) -> str:
    s = re.sub(r"\\[bBsSwWdD]|[\\^$()\[\]{}?*+|]", " ", s)  # regex syntax, roughly
    s = s.replace("\u2019", "'").replace("\u2013", "-")
    return " ".join(re.findall(r"[a-z0-9']+", s.lower()))


def literals():
    for path in sorted((ROOT / "assistant").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                yield f"{path.name}:{node.lineno}", node.value
    for path in sorted((ROOT / "assistant").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack += [v for k, v in item.items() if k not in ("about", "command")] + list(item)
            elif isinstance(item, list):
                stack += item
            elif isinstance(item, str):
                yield path.name, item


def corpus_texts() -> tuple[str, str]:
    seeds = " ".join(norm(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "sources").glob("*.txt")))
    questions = []
    for line in (ROOT / "tests" / "data" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            questions += g.get("turns", []) + g.get("gold_quotes", [])
    return f" {seeds} ", " | ".join(f" {norm(q)} " for q in questions)


def test_the_package_holds_no_phrase_of_the_seed_corpus_or_dev_questions():
    seeds, questions = corpus_texts()
    found = set()
    for where, value in literals():
        for part in value.split("|"):
            n = norm(part)
            words = n.split()
            if len(words) < 3 or n in ALLOWED:
                continue
            if f" {n} " in seeds or f" {n} " in questions:
                found.add((where, n))
            # and every run of 6+ words, so a clause copied into a longer string is found too
            for size in range(6, len(words)):
                for i in range(len(words) - size + 1):
                    phrase = " ".join(words[i:i + size])
                    if phrase in ALLOWED:
                        continue
                    if f" {phrase} " in seeds or f" {phrase} " in questions:
                        found.add((where, phrase))
    # Only maximal phrases are worth reading.
    shown = sorted({(w, p) for w, p in found if not any(p != q and f" {p} " in f" {q} " for _, q in found)})
    assert not shown, f"phrases of the seed corpus or dev set in the package: {shown}"
    assert len(ALLOWED) <= 15


def test_the_package_names_no_seed_actor():
    for where, value in literals():
        for name in SEED_ACTORS:
            assert not re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", value), f"{where}: {name!r}"
