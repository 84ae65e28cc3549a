"""What each kind of vector in the index buys: the dev corpora answered with all signals, then with
the passage vectors' signal removed, then with the sentence vectors' (the fitted weights otherwise,
not refitted, so this is what the kind adds as the engine stands). A kind that does not pay on every
corpus is not worth embedding (issue 13: embed only what ranking needs).

    .venv/bin/python bench/vector_kinds.py [--work DIR]   (indexes each corpus into DIR, reused)
"""

from __future__ import annotations

import argparse
import copy
import tempfile
from pathlib import Path

from common import ROOT, save, table

CORPORA = [("seed dev", ROOT / "sources", ROOT.parent / "shared" / "eval" / "dev.jsonl"),
           ("covid inquiry", ROOT.parent / "shared" / "eval" / "corpora" / "covid-inquiry-module1" / "sources",
            ROOT.parent / "shared" / "eval" / "corpora" / "covid-inquiry-module1" / "gold.jsonl"),
           ("speeches", ROOT / "tests" / "data" / "corpora" / "speeches" / "sources",
            ROOT / "tests" / "data" / "corpora" / "speeches" / "gold.jsonl")]
VARIANTS = [("both (as shipped)", []), ("without passage vectors", ["dense_passage"]),
            ("without sentence vectors", ["dense"])]


def main(argv=None) -> int:
    from assistant.answering import evaluate
    from assistant.answering.answer import load_weights, open_assistant
    from assistant.settings import Settings

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", type=Path, help="where the corpora are indexed (default: a temporary folder)")
    args = p.parse_args(argv)
    base = load_weights()
    rows, out = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        for name, sources, gold in CORPORA:
            questions = evaluate.load_jsonl(gold)
            settings = Settings(sources_dir=sources, index_dir=work / name.replace(" ", "-"))
            for label, dropped in VARIANTS:
                weights = copy.deepcopy(base)
                for signal in dropped:
                    weights["rank"][signal] = 0.0
                assistant = open_assistant(settings, log=lambda m: None, weights=weights)
                results = evaluate.run(assistant, questions)
                f = evaluate.score(questions, {r["id"]: r for r in results}, actors=assistant.actors)
                rows.append([name, label, f["hit@1"], f["hit@5"], f["mrr@10"]])
                out[f"{name}/{label}"] = {k: f[k] for k in ("hit@1", "hit@5", "mrr@10")}
    print(table(["corpus", "vectors", "hit@1", "hit@5", "MRR@10"], rows))
    save("vector_kinds", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
