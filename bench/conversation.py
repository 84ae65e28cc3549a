"""Conversations typed into the real page, turn by turn, scored as the issue asks.

Starts `assistant serve` (answer cache off) and Debian's chromium (Playwright), types each turn of each
conversation into the chat, and after every turn reads the page: the first quote of the turn, whether
it was refused, and the questions the address bar holds. Reports, over all conversations: the share of
answerable turns whose first quote is a gold quote (shares a run of 8 words with one, as score.py
counts it), the share of unanswerable turns refused, answerable turns refused, and whether the URL kept
the order asked after every turn.

    .venv/bin/python bench/conversation.py FILE [--sources S --index I]

FILE: {"conversations": [{"id", "turns": [{"question", "answerable", "gold_quotes": [...]}, ...]}, ...]}
(`tests/data/blind/conversations/` holds such a file, written blind).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from common import ROOT, Server, save, table

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def replay(url: str, conversations: list[dict]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from assistant.answering.fit import is_gold

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for conv in conversations:
            page = browser.new_context(base_url=url).new_page()
            page.goto("/")
            asked: list[str] = []
            for i, turn in enumerate(conv["turns"], 1):
                page.locator("#question").fill(turn["question"])
                page.get_by_role("button", name="Ask", exact=True).click()
                box = page.locator(f"#turn-{i}")
                box.locator(".quote, .abstain, .error").first.wait_for()
                asked.append(turn["question"])
                refused = box.locator(".abstain").count() > 0
                first = box.locator("blockquote").first.inner_text() if box.locator("blockquote").count() else ""
                rows.append({
                    "conversation": conv["id"], "turn": i, "question": turn["question"],
                    "answerable": turn["answerable"], "refused": refused, "first": first[:300],
                    "first_right": bool(first) and not refused and is_gold(first, turn.get("gold_quotes", [])),
                    "url_in_order": parse_qs(urlsplit(page.url).query).get("q", []) == asked,
                })
            page.context.close()
        browser.close()
    return rows


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("file", type=Path)
    p.add_argument("--sources", type=Path, default=ROOT / "sources")
    p.add_argument("--index", type=Path, default=ROOT / "index")
    args = p.parse_args()
    conversations = json.loads(args.file.read_text(encoding="utf-8"))["conversations"]
    with Server(env={"ASSISTANT_CACHE_SIZE": "0", "ASSISTANT_SOURCES_DIR": str(args.sources.resolve())},
                index=args.index.resolve()) as server:
        server.wait()
        rows = replay(server.url, conversations)
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    figures = {
        "turns": len(rows),
        "first_quote_right": round(sum(r["first_right"] for r in answerable) / max(1, len(answerable)), 3),
        "unanswerable_refused": round(sum(r["refused"] for r in unanswerable) / max(1, len(unanswerable)), 3),
        "answerable_refused": round(sum(r["refused"] for r in answerable) / max(1, len(answerable)), 3),
        "url_in_order": all(r["url_in_order"] for r in rows),
    }
    print(table(list(figures), [list(figures.values())]))
    path = save("conversation", {"file": str(args.file), "figures": figures, "turns": rows})
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
