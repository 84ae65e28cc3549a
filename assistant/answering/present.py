"""Presenting an answer: viewer links, the JSON shape the API and CLI return, and citations as plain
text and Markdown (the chat's Copy buttons and the conversation export)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from ..language.lexicon import overall_stance

if TYPE_CHECKING:
    from .answer import Answer
    from .quotes import Quote


class Located(Protocol):
    """Where a quote is: all a viewer link needs of the answer's other quotes."""

    source_id: str
    start: int
    end: int


def viewer_url(source_id: str, start: int, end: int, answer: Sequence[Located] = (), back: str = "") -> str:
    """The source viewer with [start, end) highlighted. From an answer, the link also carries the
    answer's other quotes (previous/next in the viewer) and the way back to the answer."""
    params: list[tuple[str, object]] = [("start", start), ("end", end)]
    if len(answer) > 1:
        params += [("of", f"{q.source_id}:{q.start}:{q.end}") for q in answer]
    if back:
        params.append(("back", back))
    return f"/sources/{url_quote(source_id, safe='')}?{urlencode(params)}#quote"


def answer_dict(a: Answer) -> dict:
    """An answer as JSON: what `POST /api/answer` returns (api.AnswerOut documents it)."""
    return {"question": a.question, "standalone_question": a.standalone_question, "answered": a.answered,
            "message": a.message, "suggestion": a.suggestion, "took_ms": a.took_ms,
            "quotes": [{"text": q.text, "start": q.start, "end": q.end, "passage": q.passage, "source_id": q.source_id,
                        "title": q.title, "publisher": q.publisher, "published": q.published, "section": q.section,
                        "score": q.score, "actor": q.actor, "speaker": q.speaker, "stance": q.stance, "close": q.close,
                        "url": viewer_url(q.source_id, q.start, q.end)} for q in a.quotes]}


SHORT_TITLE_WORDS = 6


def short_title(title: str) -> str:
    """A title's first words, enough to tell a publisher's documents apart on a phone ("BMA Briefing - Government
    Response to the…"); the whole title is in the viewer."""
    words = title.split()
    return " ".join(words[:SHORT_TITLE_WORDS]) + ("…" if len(words) > SHORT_TITLE_WORDS else "")


def short_citation(q: Quote) -> str:
    """One compact line for narrow screens: publisher · the title's first words · section · date."""
    return " · ".join(x for x in (q.publisher, f"“{short_title(q.title or q.source_id)}”", q.section, q.published) if x)


def who(q: Quote) -> str:
    """Whose words: "NHS Providers (welcomes), Julian Hartley"."""
    held = f"{q.actor} ({q.stance})" if q.actor and q.stance and q.stance != "describes" else (q.actor or "")
    return f"{held}, {q.speaker}" if held and q.speaker else held


def citation_text(q: Quote, url: str) -> str:
    """A quote as plain text to paste anywhere: the words in quotation marks, then whose they are,
    where they were published and a link that opens the source at them."""
    # A document with no publisher is cited by its title (an upload left without one), never by its id alone.
    parts = [who(q), q.publisher, f"“{q.title or q.source_id}”",
             f"section “{q.section}”" if q.section else "", q.published]
    return f"“{q.text}”\n— {', '.join(p for p in parts if p)}. Characters {q.start}–{q.end}: {url}"


def md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def citation_markdown(q: Quote, url: str) -> str:
    """A quote as Markdown: a block quote and a citation line linking to the highlighted source."""
    lines = [f"> {md_escape(line)}" if line.strip() else ">" for line in q.text.splitlines()] or [">"]
    title = f"[{md_escape(q.title or q.source_id)}]({url})"
    parts = [md_escape(who(q)), md_escape(q.publisher), title,
             f"§ {md_escape(q.section)}" if q.section else "", md_escape(q.published)]
    return "\n".join(lines) + f"\n\n— {', '.join(p for p in parts if p)}"


def conversation_markdown(turns: Sequence, base_url: str, filters: dict[str, str], page_url: str) -> str:
    """A whole conversation as Markdown: each question, then its quotes with their citations, or why
    there was no answer. `turns` are pages.Turn (question, answer, error)."""
    out = ["# Conversation with the policy assistant", "", f"Asked at {base_url}{page_url}"]
    if filters:
        out.append("Filters: " + "; ".join(f"{k} = {md_escape(v)}" for k, v in filters.items()))
    for i, t in enumerate(turns, 1):
        out += ["", f"## {i}. {md_escape(t.question)}", ""]
        a = t.answer
        if t.error or a is None:
            out.append(f"*{md_escape(t.error or 'No answer.')}*")
            continue
        if a.message:
            out += [f"*{md_escape(a.message)}*", ""]
        line = stance_line(a.quotes) if a.answered else []
        if line:  # as the page shows it above the quotes
            out += ["Who holds what: " + " · ".join(f"{md_escape(actor)}: {word}" for actor, word, _, _ in line), ""]
        for i, q in enumerate(a.quotes):
            if not q.close and (i == 0 or a.quotes[i - 1].close):
                out += ["*Less close to the question:*", ""]
            out += [citation_markdown(q, base_url + viewer_url(q.source_id, q.start, q.end)), ""]
    return "\n".join(out).rstrip() + "\n"


def by_stance(entries: Sequence) -> list:
    """Who-said-what's entries (answer.PositionEntry) by their stance, in STANCE_ORDER (for, qualified,
    against, the rest), keeping their order (the closest to the topic first) within each."""
    rank = {s: i for i, s in enumerate(STANCE_ORDER)}
    return sorted(entries, key=lambda e: rank.get(e.stance, len(rank)))


def stance_groups(entries: Sequence) -> list[tuple[str, str, list[str]]]:
    """Who-said-what's summary: (the stance in a word, the stance, its actors), stances in STANCE_ORDER and
    actors in the order they are listed. `entries` are answer.PositionEntry."""
    by: dict[str, tuple[str, list[str]]] = {}  # a word ("for") may stand for several stances (supports, welcomes)
    for e in by_stance(entries):
        by.setdefault(STANCE_WORDS.get(e.stance, e.stance), (e.stance, []))[1].append(e.actor)
    return [(word, stance, actors) for word, (stance, actors) in by.items()]


def positions_markdown(p, base_url: str, page_url: str) -> str:
    """Who said what on a topic as Markdown: the summary, who was not found saying anything on it, then each
    actor's stance and quotes with their citations. `p` is answer.Positions."""
    out = [f"# Who said what: {md_escape(p.topic)}", "", f"From {base_url}{page_url}", ""]
    if not p.answered:
        return "\n".join(out + [f"*{md_escape(p.message or 'No positions in the sources.')}*"]) + "\n"
    out += [f"- **{md_escape(word)}**: {', '.join(md_escape(a) for a in actors)}" for word, _, actors in stance_groups(p.entries)]
    if p.silent:
        out += ["", f"No statement on this found from {', '.join(md_escape(a) for a in p.silent)}."]
    for e in p.entries:
        out += ["", f"## {md_escape(e.actor)}: {md_escape(STANCE_WORDS.get(e.stance, e.stance))}", ""]
        for q in e.quotes:
            out += [citation_markdown(q, base_url + viewer_url(q.source_id, q.start, q.end)), ""]
    return "\n".join(out).rstrip() + "\n"


POSITIONS_CSV = ("topic", "actor", "stance", "quote", "publisher", "title", "section", "published", "source_id",
                 "start", "end", "url")


def positions_rows(p, base_url: str) -> list[tuple]:
    """Who said what on a topic as table rows (POSITIONS_CSV): one row per quote, verbatim, with its citation."""
    return [(p.topic, e.actor, e.stance, q.text, q.publisher, q.title, q.section, q.published, q.source_id, q.start,
             q.end, base_url + viewer_url(q.source_id, q.start, q.end)) for e in p.entries for q in e.quotes]


# How a stance reads in a one-line summary of who holds what ("Guild: against · Council: cautious").
STANCE_WORDS = {"supports": "for", "welcomes": "for", "accepts": "accepts", "opposes": "against",
                "rejects": "against", "concerned": "cautious", "mixed": "mixed", "recommends": "calls for action",
                "describes": "describes"}
# The order the who-said-what page lists actors in: for, then qualified, then against, then the rest.
STANCE_ORDER = ("supports", "welcomes", "accepts", "mixed", "concerned", "opposes", "rejects", "recommends", "describes")


def stance_line(quotes: Sequence[Quote]) -> list[tuple[str, str, str, int]]:
    """One entry per actor of an answer's close quotes, in the order they first come: (actor, their stance in
    a word, the stance, the number of the quote that states it). Their stance is that of their closest
    statement on the topic (lexicon.overall_stance). Empty when no quote states a stance: a line of
    "describes" says nothing."""
    by_actor: dict[str, list[tuple[str | None, int]]] = {}
    for n, q in enumerate(quotes, 1):
        if q.actor and q.close:
            by_actor.setdefault(q.actor, []).append((q.stance, n))
    line = []
    for actor, said in by_actor.items():
        s = overall_stance([stance for stance, _ in said])
        first = next(n for stance, n in said if stance == s)  # the quote that states it
        line.append((actor, STANCE_WORDS.get(s, s), s, first))
    return line if any(s != "describes" for _, _, s, _ in line) else []
