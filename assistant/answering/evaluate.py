"""Run a gold question file through the assistant and score it.

The metrics are computed exactly as the shared scorer (shared/eval/score.py) computes them;
tests/test_evaluate.py runs both on the same results and compares.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable
from pathlib import Path

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[a-z0-9%£]+")
FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                      "\u2013": "-", "\u2014": "-", "\u00a0": " "})
COARSE = {"supports": "positive", "welcomes": "positive", "accepts": "positive",
          "concerned": "negative", "opposes": "negative", "rejects": "negative",
          "mixed": "mixed", "recommends": "recommends", "describes": "describes"}


def words(text: str) -> list[str]:
    text = TAG.sub(" ", LINK.sub(r"\1", text)).translate(FOLD).lower()
    return WORD.findall(text.replace("'", ""))


def shares_run(a: list[str], b: list[str], n: int) -> bool:
    if n <= 0 or len(a) < n or len(b) < n:
        return False
    grams = {tuple(a[i:i + n]) for i in range(len(a) - n + 1)}
    return any(tuple(b[i:i + n]) in grams for i in range(len(b) - n + 1))


def hit_index(text: str, gold_quotes: list[str]) -> int | None:
    t = words(text)
    for i, q in enumerate(gold_quotes):
        g = words(q)
        if shares_run(t, g, min(8, len(g))):
            return i
    return None


def first_hit(results: list[dict], gold_quotes: list[str]) -> tuple[int, int] | None:
    for rank, r in enumerate(results, 1):
        i = hit_index(r.get("text", ""), gold_quotes)
        if i is not None:
            return rank, i
    return None


# The shared scorer's actor comparison (shared/eval/score.py, `actor_match`), so that `assistant eval`
# reports its figures (tests/test_answer.py checks they agree). Where the scorer has a table of the seed
# corpus's aliases, this takes the corpus's own cast: names that are one actor there are one actor here.
_TITLES = {"the", "senator", "sen", "mr", "mrs", "ms", "dr", "sir", "dame", "lady", "lord", "rt", "hon", "general", "gen"}
_GENERIC = {"government", "department", "office", "committee", "association", "review", "nhs", "council",
            "group", "union", "inquiry", "health", "public", "national", "uk", "hm"}
_SMALL = {"and", "of", "for", "the", "in", "on", "&"}


def _tokens(a: str) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9']+", a.lower().replace("\u2019", "'")) if t not in _TITLES]


def norm_actor(a, actors=None) -> str:
    """Canonical form for comparing actors: the cast's name for it, else the name's words without titles."""
    a = (a or "").strip()
    if actors is not None and a:
        a = actors.canonical(a) or a
    return " ".join(_tokens(a))


def actor_match(got, gold, actors=None) -> bool:
    """Same actor: equal canonical names; one name's words within the other's (not generic words alone:
    "Hewitt" = "Rt Hon Patricia Hewitt", but "Government" != "Government Office for Science"); or an acronym
    of the other ("LGA" = "Local Government Association", also inside "... (BMA)")."""
    g, w = norm_actor(got, actors), norm_actor(gold, actors)
    if not g or not w:
        return g == w
    if g == w:
        return True
    gt, wt = set(g.split()), set(w.split())
    small, big = (gt, wt) if len(gt) <= len(wt) else (wt, gt)
    if small <= big and small - _GENERIC:
        return True

    def initials(name: str) -> set[str]:
        """Acronyms of each multi-word name in a (possibly joint) name: "Local Government Association"."""
        out = set()
        for part in re.split(r"\(|\)|\band\b|&|,", name):
            words = [t for t in part.split() if t not in _SMALL]
            if len(words) > 1:
                out.add("".join(t[0] for t in words))
        return out

    for one, other in ((got, gold), (gold, got)):
        toks = _tokens(one or "")
        if len(toks) != 1:
            continue
        if toks[0] in initials(" ".join(_tokens(other or ""))):
            return True
        if toks[0] in {t.strip().lower() for t in re.findall(r"\(([^)]*)\)", other or "")}:
            return True
    return False


def score(gold: list[dict], runs: dict[str, dict], ks=(1, 3, 5), actors=None) -> dict:
    ans = [g for g in gold if g["answerable"]]
    una = [g for g in gold if not g["answerable"]]
    out: dict = {"n_answerable": len(ans), "n_unanswerable": len(una), "missing": 0}
    ranks: dict[str, int | None] = {}
    which: dict[str, int] = {}
    for g in ans:
        r = runs.get(g["id"])
        if r is None:
            out["missing"] += 1
            ranks[g["id"]] = None
            continue
        res = r.get("results", []) if r.get("answered", True) else []
        found = first_hit(res[:10], g["gold_quotes"])
        ranks[g["id"]] = found[0] if found else None
        if found:
            which[g["id"]] = found[1]
    for k in ks:
        out[f"hit@{k}"] = round(sum(1 for v in ranks.values() if v and v <= k) / max(len(ans), 1), 3)
    out["mrr@10"] = round(sum(1 / v for v in ranks.values() if v) / max(len(ans), 1), 3)
    by_kind: dict[str, list] = {}
    for g in ans:
        by_kind.setdefault(g.get("kind", "?"), []).append(ranks[g["id"]])
    out["hit@5_by_kind"] = {k: round(sum(1 for v in vs if v and v <= 5) / len(vs), 3)
                            for k, vs in sorted(by_kind.items())}
    answered_flags = [runs[g["id"]].get("answered") for g in gold if g["id"] in runs]
    if any(f is not None for f in answered_flags):
        out["abstain_unanswerable"] = round(
            sum(1 for g in una if runs.get(g["id"], {}).get("answered") is False) / max(len(una), 1), 3)
        out["false_abstain_answerable"] = round(
            sum(1 for g in ans if runs.get(g["id"], {}).get("answered") is False) / max(len(ans), 1), 3)
    actor_ok = stance_ok = coarse_ok = judged = 0
    for g in ans:
        rank = ranks[g["id"]]
        r = runs.get(g["id"])
        if not rank or r is None:
            continue
        top = r["results"][rank - 1]
        if "actor" in top:
            i = which[g["id"]]
            gold_actor = g["actors"][i] if "actors" in g else g.get("actor")
            gold_stance = (g["stances"][i] if "stances" in g else g.get("stance") or "").lower()
            stance = (top.get("stance") or "").lower()
            judged += 1
            actor_ok += actor_match(top.get("actor"), gold_actor, actors)
            stance_ok += stance == gold_stance
            coarse_ok += COARSE.get(stance, stance) == COARSE.get(gold_stance, gold_stance)
    if judged:
        out["actor_acc_on_hits"] = round(actor_ok / judged, 3)
        out["stance_acc_on_hits"] = round(stance_ok / judged, 3)
        out["stance_coarse_acc_on_hits"] = round(coarse_ok / judged, 3)
    lat = [r["latency_ms"] for r in runs.values() if isinstance(r.get("latency_ms"), (int, float))]
    if lat:
        lat.sort()
        out["latency_ms_p50"] = round(statistics.median(lat), 1)
        out["latency_ms_p95"] = round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 1)
    out["misses"] = sorted(k for k, v in ranks.items() if not v or v > 5)
    return out


def paragraph_hits(gold: list[dict], runs: dict[str, dict], k: int = 5) -> dict:
    """Beyond the shared scorer: how often the paragraph one of the first k quotes comes from holds a
    gold quote (did retrieval find the right paragraph, even when the quote is the wrong sentence of it?)."""
    ans = [g for g in gold if g["answerable"]]
    hit = 0
    for g in ans:
        r = runs.get(g["id"], {})
        res = r.get("results", [])[:k] if r.get("answered", True) else []
        hit += any(hit_index(x.get("passage") or x.get("text", ""), g["gold_quotes"]) is not None for x in res)
    return {f"paragraph_hit@{k}": round(hit / max(len(ans), 1), 3)}


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def has_gold(rows: list[dict]) -> bool:
    return all("answerable" in g and "gold_quotes" in g for g in rows)


def run(assistant, rows: list[dict], k: int = 10, progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Answer every question (the last turn, with the earlier turns as history); results in score.py's format."""
    out = []
    for i, row in enumerate(rows):
        turns = row["turns"] if isinstance(row["turns"], list) else [row["turns"]]
        a = assistant.ask(turns[-1], history=turns[:-1], top_k=k)
        out.append({
            "id": row["id"],
            "question": turns[-1],
            "standalone_question": a.standalone_question,
            "answered": a.answered,
            "message": a.message,
            "latency_ms": a.took_ms,
            "results": [
                {"text": q.text, "source_id": q.source_id, "start": q.start, "end": q.end, "passage": q.passage,
                 "section": q.section, "score": q.score, "actor": q.actor, "speaker": q.speaker, "stance": q.stance}
                for q in a.quotes
            ],
        })
        if progress:
            progress(i + 1, len(rows))
    return out
