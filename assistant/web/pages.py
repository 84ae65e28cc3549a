"""HTML pages: the chat, the documents list, the source viewer and who-said-what. Every page works
without JavaScript (links and plain form posts); web/static/app.js upgrades the chat to in-place
answers, copy buttons and a URL that follows the conversation.

A conversation lives in the URL (`/?q=...&q=...&publisher=...`; see conversation.py): the server
keeps no state and a link re-asks its questions against the current index."""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from ..answering.answer import Answer, Assistant, validate_question
from ..answering.conversation import MAX_TURNS, Conversation, Scope, scope_of
from ..answering.examples import corpus_topics, example_questions
from ..answering.present import (
    POSITIONS_CSV,
    by_stance,
    citation_markdown,
    citation_text,
    conversation_markdown,
    positions_markdown,
    positions_rows,
    short_citation,
    stance_groups,
    stance_line,
    viewer_url,
)
from ..errors import InvalidQuestionError
from .serving import in_answer_pool

router = APIRouter(include_in_schema=False)


@dataclass
class Turn:
    question: str
    answer: Answer | None
    error: str | None = None


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Corpus:
    """What the pages offer about the loaded corpus: filter choices and example questions."""

    publishers: tuple[Choice, ...]
    documents: tuple[Choice, ...]
    actors: tuple[Choice, ...]
    examples: tuple[str, ...]
    loaded: str = ""  # what is loaded, for the empty chat: how many documents, from whom, of when


MAX_NAMED = 12  # publishers named in that line; past it, the documents page lists them


def loaded_line(documents) -> str:
    """"3 documents loaded, from Lamp Guild and Jane Roe, dated 2021 to 2023.": every publisher (the most documents
    first), up to MAX_NAMED; the years the documents' dates give."""
    docs = list(documents)
    if not docs:
        return "No documents are loaded yet."
    count = Counter(d.publisher for d in docs if d.publisher)
    names = sorted(count, key=lambda p: (-count[p], p.lower()))
    shown = names[:MAX_NAMED] + ([f"{len(names) - MAX_NAMED} more"] if len(names) > MAX_NAMED else [])
    line = f"{len(docs)} document{'' if len(docs) == 1 else 's'} loaded"
    if shown:
        line += ", from " + (", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0])
        unnamed = len(docs) - sum(count.values())
        if unnamed:
            line += f", and {unnamed} with no publisher"
    years = sorted(int(m.group()) for d in docs if (m := re.search(r"\b(?:1[5-9]|20)\d\d\b", d.published or "")))
    if years:
        line += f", dated {years[0]}" + (f" to {years[-1]}" if years[-1] != years[0] else "")
    return line + "."


_corpora: weakref.WeakKeyDictionary[Assistant, Corpus] = weakref.WeakKeyDictionary()


def corpus_of(assistant: Assistant) -> Corpus:
    """Computed once per loaded index (a new build makes a new Assistant)."""
    found = _corpora.get(assistant)
    if found is None:
        docs = assistant.index.catalog
        found = _corpora[assistant] = Corpus(
            publishers=tuple(Choice(p, p) for p in sorted({d.publisher for d in docs.values() if d.publisher})),
            documents=tuple(Choice(d.id, d.title or d.id) for d in sorted(docs.values(), key=lambda d: d.title.lower())),
            actors=tuple(Choice(a, a) for a in sorted(assistant.index.vocal, key=str.lower)),
            examples=tuple(example_questions(assistant)),
            loaded=loaded_line(docs.values()),
        )
    return found


def templates(request: Request):
    return request.app.state.templates


def assistant_of(request: Request) -> Assistant:
    return request.app.state.assistant


def error_page(request: Request, status: int, message: str, headers: dict | None = None) -> HTMLResponse:
    return templates(request).TemplateResponse(request, "error.html", {"status": status, "message": message},
                                               status_code=status, headers=headers)


def ask_all(assistant: Assistant, conv: Conversation, scope: Scope) -> list[Turn]:
    """Answer each question with the ones before it as history. Answers are deterministic, so the
    conversation is rebuilt from its questions alone."""
    turns = []
    for i, q in enumerate(conv.questions):
        try:
            turns.append(Turn(q, assistant.ask(q, history=conv.questions[:i], sources=scope.sources,
                                               actors=scope.actors)))
        except InvalidQuestionError as e:
            turns.append(Turn(q, None, f"Your question {e.problem}."))
    return turns


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def quote_views(request: Request, answer: Answer, back: str) -> list[dict]:
    """Each quote with its viewer link (carrying the answer's other quotes and the way back) and its
    citation as plain text and Markdown for the Copy buttons."""
    root = base_url(request)
    out = []
    for q in answer.quotes:
        link = viewer_url(q.source_id, q.start, q.end, answer.quotes, back)
        plain = root + viewer_url(q.source_id, q.start, q.end)
        out.append({"q": q, "n": len(out) + 1, "link": link, "short": short_citation(q),
                    "copy_text": citation_text(q, plain), "copy_md": citation_markdown(q, plain)})
    return out


FOLD_AFTER = 3  # quotes shown of an answer; the rest fold behind "Show n more" (two answers on a phone were 4,900 px)


def turn_context(request: Request, turn: Turn, number: int, conv: Conversation) -> dict:
    """What _turn.html needs; `conv` is the conversation this turn belongs to (its last turn or later)."""
    permalink = conv.url(turn=number)
    # Back from a quote: the whole conversation, at this turn (the permalink would drop the turns after it)
    back = conv.url() + f"#turn-{number}"
    quotes = quote_views(request, turn.answer, back) if turn.answer else []
    suggestion = turn.answer.suggestion if turn.answer else None
    stances = stance_line(turn.answer.quotes) if turn.answer and turn.answer.answered else []
    return {"turn": turn, "number": number, "permalink": permalink, "quotes": quotes, "stances": stances,
            "fold_after": FOLD_AFTER,
            "export": "/export.md?" + conv.upto(number).query(),
            # the same conversation with this question put right ("Did you mean ...?")
            "suggest": conv.upto(number - 1).asking(suggestion).url(turn=number) if suggestion else None}


def chat_page(request: Request, conv: Conversation, scope: Scope, turns: list[Turn], error: str | None = None,
              draft: str = "", status: int = 200) -> HTMLResponse:
    assistant = assistant_of(request)
    corpus = corpus_of(assistant)
    chips = [{"name": name, "label": label, "remove": conv.without(name).url()} for name, label in scope.labels.items()]
    # The form's selects carry the filters to the next question: each shows the value in force (an
    # actor by its canonical name), listed even when the corpus's short list leaves it out.
    selected = {"publisher": conv.publisher if "publisher" in scope.labels else "",
                "source": conv.source if "source" in scope.labels else "",
                "actor": scope.labels.get("actor", "")}
    options = {"publisher": list(corpus.publishers), "source": list(corpus.documents), "actor": list(corpus.actors)}
    for name, value in selected.items():
        if value and value not in {c.value for c in options[name]}:
            options[name].append(Choice(value, scope.labels.get(name, value)))
    return templates(request).TemplateResponse(request, "chat.html", {
        "conv": conv, "turns": [turn_context(request, t, i, conv) for i, t in enumerate(turns, 1)],
        "error": error, "draft": draft, "options": options, "selected": selected, "chips": chips,
        "dropped": scope.dropped,
        "max_chars": assistant.settings.max_question_chars, "max_turns": MAX_TURNS,
        "fresh": Conversation(publisher=conv.publisher, source=conv.source, actor=conv.actor).url(),
        "export": "/export.md?" + conv.query() if conv.questions else "",
        "examples": [(q, conv.asking(q).url(turn=len(conv.questions) + 1)) for q in corpus.examples],
        "loaded": corpus.loaded,
    }, status_code=status)


def scope_for(request: Request, conv: Conversation) -> Scope:
    assistant = assistant_of(request)
    return scope_of(conv, assistant.index.catalog, assistant.actors.canonical)


@router.get("/", response_class=HTMLResponse)
async def chat(request: Request) -> HTMLResponse:
    """The chat, showing the conversation its URL holds."""
    conv = Conversation.from_params(request.query_params)
    scope = scope_for(request, conv)
    turns = await in_answer_pool(request, ask_all, assistant_of(request), conv, scope)
    # The first page after a (re)load makes the example questions, by asking them: off the event loop.
    await in_answer_pool(request, corpus_of, assistant_of(request))
    return chat_page(request, conv, scope, turns)


async def posted(request: Request) -> tuple[Conversation, str]:
    form = await request.form()
    return Conversation.from_params(form, questions_key="history"), str(form.get("question", ""))


@router.post("/", response_class=HTMLResponse)
async def chat_post(request: Request):
    """The no-JavaScript path: a valid question is added to the conversation's URL and the browser is
    sent there, to the new answer (post, redirect, get: reload and Back do not post again)."""
    conv, question = await posted(request)
    try:
        question = validate_question(question, assistant_of(request).settings.max_question_chars)
    except InvalidQuestionError as e:
        scope = scope_for(request, conv)
        turns = await in_answer_pool(request, ask_all, assistant_of(request), conv, scope)
        await in_answer_pool(request, corpus_of, assistant_of(request))
        return chat_page(request, conv, scope, turns, f"Your question {e.problem}.", question, 422)
    conv = conv.asking(question)
    return RedirectResponse(conv.url(turn=len(conv.questions)), status_code=303)


@router.post("/chat/turn", response_class=HTMLResponse)
async def chat_turn(request: Request) -> HTMLResponse:
    """The JavaScript path: one answered turn as an HTML fragment, inserted in place by app.js. The
    fragment carries the conversation's new URL (data-url) for the address bar."""
    conv, question = await posted(request)
    scope = scope_for(request, conv)
    try:
        answer = await in_answer_pool(request, assistant_of(request).ask, question, history=conv.questions,
                                      sources=scope.sources, actors=scope.actors)
    except InvalidQuestionError as e:
        return HTMLResponse(f"Your question {e.problem}.", status_code=422)
    conv = conv.asking(answer.question)
    ctx = turn_context(request, Turn(answer.question, answer), len(conv.questions), conv)
    return templates(request).TemplateResponse(request, "_turn.html", ctx)


@router.get("/export.md", response_class=PlainTextResponse)
async def export(request: Request) -> PlainTextResponse:
    """The conversation in the URL as Markdown, every quote with its citation and a link to it."""
    conv = Conversation.from_params(request.query_params)
    scope = scope_for(request, conv)
    turns = await in_answer_pool(request, ask_all, assistant_of(request), conv, scope)
    text = conversation_markdown(turns, base_url(request), scope.labels, conv.url())
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="conversation.md"'})


_topics: weakref.WeakKeyDictionary[Assistant, tuple[str, ...]] = weakref.WeakKeyDictionary()


def topics_of(assistant: Assistant) -> tuple[str, ...]:
    """The corpus's topics to compare positions on (examples.corpus_topics), once per loaded index."""
    found = _topics.get(assistant)
    if found is None:
        found = _topics[assistant] = tuple(corpus_topics(assistant))
    return found


def overview(assistant: Assistant) -> list[tuple[str, int, int]]:
    """Who states positions in these documents: (actor, statements of a position, documents in their own
    name), the most vocal first; actors who state one only once are left to the filters."""
    own = Counter(v for v in assistant.retriever.voice.values() if v)
    return [(a, n, own.get(a, 0)) for a, n in assistant.index.vocal.items()]


@router.get("/positions", response_class=HTMLResponse)
def positions_page(request: Request, topic: str = "") -> HTMLResponse:
    """Who said what: without a topic, the corpus's topics and who states positions; with one, a summary of
    stances, then each actor's stance and quotes, and exports."""
    assistant = assistant_of(request)
    result, error = None, None
    if topic.strip():
        try:
            result = assistant.positions(topic)
        except InvalidQuestionError as e:
            error = f"The topic {e.problem}."
    views, ctx = [], {}
    if result is not None:
        entries = by_stance(result.entries)
        views = [(e, quote_views(request, Answer("", "", True, None, e.quotes), "")) for e in entries]
        ctx = {"summary": stance_groups(entries), "anchor": {e.actor: f"actor-{i}" for i, e in enumerate(entries, 1)},
               "exports": {k: f"/positions.{k}?{urlencode({'topic': topic})}" for k in ("md", "csv")}}
    elif not error:
        ctx = {"topics": [(t, f"/positions?{urlencode({'topic': t})}") for t in topics_of(assistant)],
               "overview": overview(assistant)}
    return templates(request).TemplateResponse(
        request, "positions.html", {"topic": topic, "result": result, "entries": views, "error": error,
                                    "max_chars": assistant.settings.max_question_chars, **ctx},
        status_code=422 if error else 200)


def positions_for_export(request: Request, topic: str):
    """The positions an export holds, or the reason there are none to export (a 422, as text)."""
    if not topic.strip():
        return None, PlainTextResponse("Give a topic: /positions.md?topic=...\n", status_code=422)
    try:
        p = assistant_of(request).positions(topic)
        return replace(p, entries=by_stance(p.entries)), None
    except InvalidQuestionError as e:
        return None, PlainTextResponse(f"The topic {e.problem}.\n", status_code=422)


@router.get("/positions.md", response_class=PlainTextResponse)
def positions_markdown_export(request: Request, topic: str = "") -> PlainTextResponse:
    """Who said what on a topic as Markdown, every quote with its citation and a link to it."""
    p, refused = positions_for_export(request, topic)
    if refused is not None:
        return refused
    text = positions_markdown(p, base_url(request), f"/positions?{urlencode({'topic': topic})}")
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="positions.md"'})


@router.get("/positions.csv", response_class=PlainTextResponse)
def positions_csv_export(request: Request, topic: str = "") -> PlainTextResponse:
    """Who said what on a topic as CSV: one row per quote, verbatim, with its citation and a link to it."""
    import csv
    import io

    p, refused = positions_for_export(request, topic)
    if refused is not None:
        return refused
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(POSITIONS_CSV)
    w.writerows(positions_rows(p, base_url(request)))
    return PlainTextResponse(out.getvalue(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="positions.csv"'})


@router.get("/sources", response_class=HTMLResponse)
def documents_page(request: Request) -> HTMLResponse:
    return sources_page(request)


def sources_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    """Every loaded document, with what it is and a way to read it or ask within it; with uploads on,
    forms to add one and to remove the ones added here."""
    from ..building.library import read_uploads

    assistant = assistant_of(request)
    settings = request.app.state.settings
    added = set(read_uploads(settings.sources_dir)) if settings.uploads else set()
    # (not those whose removal was accepted: the API no longer serves them either)
    docs = sorted((d for d in assistant.index.catalog.values() if d.id not in assistant.withheld),
                  key=lambda d: (d.publisher.lower(), d.title.lower()))
    # Back from an upload (/sources?added=<id>): the new document is said and its row marked.
    new = assistant.index.catalog.get(request.query_params.get("added", ""))
    rows = [{"doc": d, "words": d.words, "passages": assistant.chunk_counts.get(d.id, 0),
             "ask": Conversation(source=d.id).url(), "added": d.id in added, "new": new is d} for d in docs]
    # Uploads removed a moment ago (manage.Removals), which an Undo puts back, once they are out of the index
    removals = getattr(request.app.state, "removals", None)
    removed = [r for r in removals.recent() if r.id not in assistant.index.catalog] if removals and settings.uploads else []
    return templates(request).TemplateResponse(request, "sources.html", {
        "rows": rows, "uploads": settings.uploads, "needs_key": bool(settings.api_key), "error": error,
        "max_mb": settings.max_source_mb, "new": new, "removed": removed}, status_code=status)


# -- the source viewer ---------------------------------------------------------------------------

@dataclass
class Piece:
    text: str
    marked: bool
    anchor: bool = False  # the first highlighted piece: the link's #quote target


@dataclass
class BlockView:
    kind: str
    level: int
    pieces: list[Piece]
    marked: bool


def block_views(text: str, blocks, start: int | None, end: int | None) -> list[BlockView]:
    """The document's blocks, each split where the highlighted range [start, end) begins and ends."""
    views = []
    for b in blocks:
        pieces: list[Piece] = []
        if start is not None and end is not None and start < b.end and b.start < end:
            s, e = max(start, b.start), min(end, b.end)
            for a, z, marked in ((b.start, s, False), (s, e, True), (e, b.end, False)):
                if z > a:
                    pieces.append(Piece(text[a:z], marked))
        else:
            pieces.append(Piece(text[b.start:b.end], False))
        views.append(BlockView(b.kind, b.level, pieces, any(p.marked for p in pieces)))
    first = next((p for v in views for p in v.pieces if p.marked), None)
    if first is not None:
        first.anchor = True
    return views


def safe_link(url: str) -> str | None:
    """Only web addresses become links: a `javascript:` URL in a source's metadata stays text."""
    return url if url.lower().startswith(("https://", "http://")) else None


def local_path(url: str) -> str:
    """A `back` link is followed only within this site (never `//elsewhere` or `https://...`)."""
    parts = urlsplit(url)
    ok = url.startswith("/") and not url.startswith("//") and not parts.scheme and not parts.netloc and "\\" not in url
    return url if ok else ""


def answer_ranges(values: list[str], documents) -> list[tuple[str, int, int]]:
    """The quotes of the answer a viewer link came from ("source:start:end"), those that are valid."""
    out = []
    for v in values[:20]:
        sid, _, rest = v.rpartition(":")
        sid, _, start = sid.rpartition(":")
        try:
            s, e = int(start), int(rest)
        except ValueError:
            continue
        if sid in documents and 0 <= s < e <= documents[sid].length:
            out.append((sid, s, e))
    return out


@dataclass(frozen=True)
class Place:
    """Just where a quote is: what viewer_url needs to link the answer's other quotes."""

    source_id: str
    start: int
    end: int


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: str, start: int | None = None, end: int | None = None,
                back: str = "") -> HTMLResponse:
    index = assistant_of(request).index
    doc = index.documents.get(source_id)
    if doc is None:
        return error_page(request, 404, "There is no source with that id.")
    if start is not None and end is not None and not (0 <= start < end <= len(doc.text)):
        start = end = None  # a range outside the text highlights nothing rather than failing
    views = block_views(doc.text, doc.blocks, start, end)
    back = local_path(back)
    ranges = answer_ranges(request.query_params.getlist("of"), index.catalog)
    here = (source_id, start, end)
    prev_link = next_link = None
    position = None
    if here in ranges:
        i = ranges.index(here)
        position = (i + 1, len(ranges))

        def link(r: tuple[str, int, int]) -> str:
            return viewer_url(*r, [Place(*x) for x in ranges], back)

        prev_link = link(ranges[i - 1]) if i > 0 else None
        next_link = link(ranges[i + 1]) if i + 1 < len(ranges) else None
        if re.search(r"#turn-\d+$", back):  # back to this quote of that turn, not the top of the turn
            back += f"-q-{i + 1}"
    return templates(request).TemplateResponse(request, "source.html", {
        "doc": doc, "blocks": views, "start": start, "end": end, "link": safe_link(doc.url),
        "quoted": doc.text[start:end] if start is not None and end is not None else None,
        "where": location_of(doc, start) if start is not None else None,
        "back": back, "prev": prev_link, "next": next_link, "position": position,
    })


def location_of(doc, start: int) -> str:
    """The section and paragraph of an offset, from the document's blocks."""
    section = ""
    paragraph = 0
    top = min((b.level for b in doc.blocks if b.kind == "heading"), default=1)
    for b in doc.blocks:
        if b.start > start:
            break
        if b.kind == "heading":
            if b.level > top or b.start > 0:
                section = doc.text[b.start:b.end].strip()
            paragraph = 0
        else:
            paragraph += 1
    return f"Section “{section}”, paragraph {paragraph}" if section else f"Paragraph {paragraph}"
