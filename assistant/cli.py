"""The `assistant` command: a thin shell over the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path

from .errors import AssistantError


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--sources", type=Path, help="sources folder (ASSISTANT_SOURCES_DIR, default: sources)")
    common.add_argument("--index", type=Path, help="index folder (ASSISTANT_INDEX_DIR, default: index)")
    common.add_argument("--model", help="embedding model (ASSISTANT_MODEL, default: the bundled all-MiniLM-L6-v2)")

    p = argparse.ArgumentParser(
        prog="assistant",
        description="Answer questions about policy documents with verbatim, cited quotes. Offline.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("index", parents=[common], help="build or update the index from the sources folder")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--ray", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="chunk, parse and embed in Ray Data tasks: on the Ray cluster at ADDRESS (ray://host:10001 "
                   "or host:6379), or on a local Ray started here without one (needs the scale extra)")

    s = sub.add_parser("ask", parents=[common], help="answer one question")
    s.add_argument("question")
    s.add_argument("-k", type=int, default=None, help="number of quotes (default 5)")
    s.add_argument("--json", action="store_true", help="print the answer as JSON")
    s.add_argument("--history", action="append", default=[], help="an earlier question (repeatable, oldest first)")
    s.add_argument("--source", action="append", default=[], help="only quote this source id (repeatable)")
    s.add_argument("--actor", action="append", default=[], help="only quote this actor (repeatable)")

    s = sub.add_parser("eval", parents=[common], help="answer a JSONL question file; score it when it has gold answers")
    s.add_argument("gold", type=Path)
    s.add_argument("--out", type=Path, help="write results (JSONL) here")
    s.add_argument("-k", type=int, default=10, help="quotes per question (default 10)")

    s = sub.add_parser("fit", help="fit the ranking weights and the abstention model on gold questions; "
                       "report in-sample and cross-validated figures")
    s.add_argument("--corpus", nargs=2, action="append", metavar=("SOURCES", "GOLD"), required=True,
                   help="a sources folder and its gold questions (JSONL); repeat for each corpus")
    s.add_argument("--work", type=Path, help="where each corpus is indexed (default: a temporary folder)")
    s.add_argument("--out", type=Path, help="write the weights and figures here (e.g. assistant/data/weights.json)")
    s.add_argument("--folds", type=int, default=5, help="k of the k-fold cross-validation (default 5)")
    s.add_argument("--ablate", action="store_true", help="also measure, cross-validated, each ranking signal left out")

    s = sub.add_parser("stance", help="the stance (pro, con or neutral) of each statement of a file toward a topic")
    s.add_argument("--topic", required=True, help='what the statements are for or against ("ban boxing")')
    s.add_argument("file", type=Path, help="statements, one a line (UTF-8); - reads standard input")
    s.add_argument("--json", action="store_true", help="print JSON lines")
    s.add_argument("--no-neutral", action="store_true",
                   help="every statement takes a side (a set of arguments): pro or con, never neutral")

    s = sub.add_parser("fit-stance", help="fit the stance model on IBM Claim Stance's train topics; report its test topics")
    s.add_argument("claims", type=Path, help="claims.jsonl (shared/eval/external/ibm-claim-stance)")
    s.add_argument("--out", type=Path, help="write the weights and figures here (assistant/data/topic_stance.json)")

    s = sub.add_parser("serve", parents=[common], help="build the index if needed and serve the web chat and API")
    s.add_argument("--host", help="bind address (ASSISTANT_HOST, default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (ASSISTANT_PORT, default 8000)")
    s.add_argument("--watch", action="store_const", const=True, default=None,
                   help="index files dropped into the sources folder while serving (ASSISTANT_WATCH)")
    s.add_argument("--uploads", action="store_const", const=True, default=None,
                   help="let users add, replace and remove documents from the page and the API (ASSISTANT_UPLOADS)")
    s.add_argument("--workers", type=int, help="server processes on the one port (ASSISTANT_WORKERS, default 1; "
                   "uploads and watch need 1)")
    return p


def make_settings(args: argparse.Namespace):
    from pydantic import ValidationError

    from .settings import Settings

    overrides = {}
    for flag, field in (("sources", "sources_dir"), ("index", "index_dir"), ("model", "model"),
                        ("host", "host"), ("port", "port"), ("watch", "watch"), ("uploads", "uploads"),
                        ("workers", "workers")):
        value = getattr(args, flag, None)
        if value is not None:
            overrides[field] = value
    try:
        return Settings(**overrides)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc'])) or 'settings'}: {err['msg']}" for err in e.errors())
        raise AssistantError(f"invalid settings ({problems}); see the settings table in README.md") from None


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_index(args, settings) -> int:
    from .building.store import build_index
    from .language.embed import load_embedder

    # Indexing may use every core; serving uses one thread per request.
    report = build_index(settings, load_embedder(settings, threads=None, log=log),
                         progress=not args.quiet, log=log, ray=args.ray)
    print(f"indexed {report.documents} documents: {report.chunks} passages, {report.sentences} sentences "
          f"({report.embedded_sources} embedded, {report.reused_sources} unchanged) in {report.seconds:.1f}s -> {report.path}")
    if report.problems:
        print(f"{len(report.problems)} file(s) skipped:")
        for p in report.problems:
            print(f"  {p}")
    return 0


def format_answer(answer) -> str:
    lines = []
    if answer.standalone_question != answer.question:
        lines.append(f"(read as: {answer.standalone_question})")
    if not answer.answered:
        lines.append(answer.message or "The sources do not answer this question.")
        return "\n".join(lines)
    if answer.message:
        lines.append(f"({answer.message})")  # e.g. an actor of a comparison who says nothing on the topic
    for i, q in enumerate(answer.quotes, 1):
        body = textwrap.fill(q.text, width=88, initial_indent="    “", subsequent_indent="     ") + "”"
        who = f" [{q.actor}{', ' + q.stance if q.stance else ''}{'; ' + q.speaker if q.speaker else ''}]" if q.actor else ""
        lines.append(f"{i}. {q.publisher + ' — ' if q.publisher else ''}{q.title or q.source_id}{who}")
        if q.section:
            lines.append(f"   § {q.section}")
        lines.append(body)
        lines.append(f"   {q.source_id} [{q.start}:{q.end}]  score {q.score:.3f}")
        lines.append("")
    return "\n".join(lines).rstrip()


def cmd_ask(args, settings) -> int:
    from .answering.answer import open_assistant

    assistant = open_assistant(settings, log=log)
    answer = assistant.ask(args.question, history=args.history, top_k=args.k, sources=args.source, actors=args.actor)
    if args.json:
        from .answering.present import answer_dict

        print(json.dumps(answer_dict(answer), ensure_ascii=False, indent=1))
    else:
        print(format_answer(answer))
    return 0


def cmd_eval(args, settings) -> int:
    from .answering import evaluate
    from .answering.answer import open_assistant

    try:
        rows = evaluate.load_jsonl(args.gold)
    except (OSError, json.JSONDecodeError) as e:
        raise AssistantError(f"{args.gold}: cannot read question file ({e})") from None
    if not all(isinstance(r, dict) and "id" in r and "turns" in r for r in rows):
        raise AssistantError(f"{args.gold}: every line needs 'id' and 'turns'")
    assistant = open_assistant(settings, log=log)
    results = evaluate.run(assistant, rows, k=args.k)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for r in results:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        log(f"wrote {len(results)} results to {args.out}")
    if evaluate.has_gold(rows):
        runs = {r["id"]: r for r in results}
        figures = evaluate.score(rows, runs, actors=assistant.actors)  # the shared scorer's figures
        print(json.dumps({**figures, "extra": evaluate.paragraph_hits(rows, runs)}, indent=1))
    elif not args.out:
        for r in results:
            print(json.dumps(r, ensure_ascii=False))
    return 0


def cmd_fit(args, settings) -> int:
    import shlex
    import tempfile

    from .answering import fit

    specs = [(Path(a), Path(b)) for a, b in args.corpus]
    for sources, gold in specs:
        if not sources.is_dir() or not gold.is_file():
            raise AssistantError(f"--corpus {sources} {gold}: needs a sources folder and a gold JSONL file")
    command = "assistant fit " + " ".join(f"--corpus {shlex.quote(str(a))} {shlex.quote(str(b))}" for a, b in specs)
    with tempfile.TemporaryDirectory(prefix="assistant-fit-") as tmp:
        report = fit.run(specs, args.work or Path(tmp), args.out, args.folds, command, log=log, ablate=args.ablate)
    print(json.dumps({k: report[k] for k in ("rank", "decide", "figures")}, indent=1))
    return 0


MAX_STANCE_STATEMENTS = 10_000  # a file of statements; the API takes far fewer per request


def cmd_stance(args, settings) -> int:
    from .answering.topic_stance import classify

    topic = args.topic.strip()
    if not topic:
        raise AssistantError("--topic is empty: say what the statements are for or against")
    try:
        text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise AssistantError(f"{args.file}: cannot read the statements ({e}); a UTF-8 text file, one statement a line") from None
    statements = [line.strip() for line in text.splitlines() if line.strip()]
    if not statements:
        raise AssistantError(f"{args.file}: no statements (one a line)")
    if len(statements) > MAX_STANCE_STATEMENTS:
        raise AssistantError(f"{args.file}: {len(statements)} statements; at most {MAX_STANCE_STATEMENTS} at once")
    for r in classify(topic, statements, neutral=not args.no_neutral):
        if args.json:
            print(json.dumps({"statement": r.statement, "stance": r.stance, "confidence": r.confidence}, ensure_ascii=False))
        else:
            print(f"{r.stance:7s} {r.confidence:.2f}  {r.statement}")
    return 0


def cmd_fit_stance(args, settings) -> int:
    from .answering import topic_stance

    try:
        claims = [json.loads(line) for line in args.claims.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as e:
        raise AssistantError(f"{args.claims}: cannot read the claims ({e})") from None
    keys = ("claim", "topic", "stance", "topic_sentiment", "split")
    if not claims or not all(isinstance(c, dict) and all(k in c for k in keys) for c in claims):
        raise AssistantError(f"{args.claims}: every line needs {', '.join(keys)} (IBM Claim Stance, claims.jsonl)")
    report = {"about": "Stance toward a topic (topic_stance.py): weights fitted on IBM Claim Stance's train topics "
              "only; figures on its test topics, which the fit never saw.",
              "command": f"assistant fit-stance {args.claims.name}", **topic_stance.fit(claims)}
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        log(f"wrote {args.out}")
    print(json.dumps(report["figures"], indent=1))
    return 0


def cmd_serve(args, settings) -> int:
    import logging

    import uvicorn

    from .building.library import clean_leftovers
    from .web.app import WORKER_SETTINGS, create_app, serving_assistant

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("faiss", "faiss.loader"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if settings.workers > 1 and (settings.uploads or settings.watch):
        raise AssistantError(f"--workers {settings.workers} needs uploads and watch off: each worker holds its own "
                             "copy of the index, and a document added through one would not reach the others")
    if settings.workers > 1 and settings.milvus_uri:
        from .stores.milvus import is_local

        if is_local(settings.milvus_uri):
            raise AssistantError(f"--workers {settings.workers} cannot share a Milvus Lite file, which one process "
                                 "opens at a time: serve one worker, or use a Milvus server (http://host:19530)")
    clean_leftovers(settings.sources_dir)  # an upload the last server did not live to finish is undone
    serve = dict(host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=5)
    if settings.workers > 1:
        from .answering.answer import ensure_index

        ensure_index(settings, log=log)  # built once, here, before the workers open it
        # uvicorn's supervisor spawns the workers on one shared socket and restarts one that dies; each opens
        # the index itself (app.worker_app), from the settings this process was given.
        os.environ[WORKER_SETTINGS] = settings.model_dump_json()
        log(f"serving on http://{settings.host}:{settings.port} with {settings.workers} workers")
        uvicorn.run("assistant.web.app:worker_app", factory=True, workers=settings.workers, **serve)
        return 0
    assistant = serving_assistant(settings, log)  # builds the index first when missing or stale
    log(f"serving {len(assistant.index.documents)} sources on http://{settings.host}:{settings.port}")
    uvicorn.run(create_app(settings, assistant), **serve)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = make_settings(args)
        commands = {"index": cmd_index, "ask": cmd_ask, "eval": cmd_eval, "fit": cmd_fit, "serve": cmd_serve,
                    "stance": cmd_stance, "fit-stance": cmd_fit_stance}
        return commands[args.command](args, settings)
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
