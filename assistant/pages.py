"""HTML pages: the chat and the source viewer. They work without JavaScript (plain form posts);
web/static/app.js upgrades the chat to in-place updates."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .answer import Answer, Assistant
from .app import in_answer_pool
from .present import viewer_url
from .errors import InvalidQuestionError

router = APIRouter(include_in_schema=False)
MAX_TURNS = 20


@dataclass
class Turn:
    question: str
    answer: Answer | None
    error: str | None = None


def templates(request: Request):
    return request.app.state.templates


def assistant_of(request: Request) -> Assistant:
    return request.app.state.assistant


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return templates(request).TemplateResponse(request, "error.html", {"status": status, "message": message},
                                               status_code=status)


def run_turns(assistant: Assistant, questions: list[str]) -> list[Turn]:
    """Answer each question with the ones before it as history. Answers are deterministic, so the
    conversation can be rebuilt from its questions alone and the server keeps no state."""
    turns = []
    for i, q in enumerate(questions):
        try:
            turns.append(Turn(q, assistant.ask(q, history=questions[:i])))
        except InvalidQuestionError as e:
            turns.append(Turn(q, None, f"Your question {e.problem}."))
    return turns


async def form_questions(request: Request) -> tuple[list[str], str]:
    form = await request.form()
    history = [str(h) for h in form.getlist("history") if str(h).strip()][-MAX_TURNS:]
    return history, str(form.get("question", ""))


def context(request: Request, turns: list[Turn], history: list[str], error: str | None = None, draft: str = "") -> dict:
    return {"turns": turns, "history": history, "error": error, "draft": draft, "url_for_quote": viewer_url}


@router.get("/", response_class=HTMLResponse)
def chat(request: Request) -> HTMLResponse:
    return templates(request).TemplateResponse(request, "chat.html", context(request, [], []))


@router.post("/", response_class=HTMLResponse)
async def chat_post(request: Request) -> HTMLResponse:
    """The no-JavaScript path: the whole conversation, rendered on the server."""
    history, question = await form_questions(request)
    assistant = assistant_of(request)
    turns = await in_answer_pool(request, run_turns, assistant, history)
    error = None
    try:
        turns.append(Turn(question, await in_answer_pool(request, assistant.ask, question, history=history)))
        history = history + [question]
        draft = ""
    except InvalidQuestionError as e:
        error, draft = f"Your question {e.problem}.", question
    status = 422 if error else 200
    return templates(request).TemplateResponse(request, "chat.html", context(request, turns, history, error, draft),
                                               status_code=status)


@router.post("/chat/turn", response_class=HTMLResponse)
async def chat_turn(request: Request) -> HTMLResponse:
    """The JavaScript path: one answered turn as an HTML fragment, inserted in place by app.js."""
    history, question = await form_questions(request)
    try:
        turn = Turn(question, await in_answer_pool(request, assistant_of(request).ask, question, history=history))
    except InvalidQuestionError as e:
        return HTMLResponse(f"Your question {e.problem}.", status_code=422)
    return templates(request).TemplateResponse(
        request, "_turn.html", {"turn": turn, "number": len(history) + 1, "url_for_quote": viewer_url})


@router.get("/positions", response_class=HTMLResponse)
def positions_page(request: Request, topic: str = "") -> HTMLResponse:
    """Who said what: actors against their stance, with their quotes."""
    result, error = None, None
    if topic.strip():
        try:
            result = assistant_of(request).positions(topic)
        except InvalidQuestionError as e:
            error = f"The topic {e.problem}."
    return templates(request).TemplateResponse(
        request, "positions.html", {"topic": topic, "result": result, "error": error, "url_for_quote": viewer_url},
        status_code=422 if error else 200)


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


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: str, start: int | None = None, end: int | None = None) -> HTMLResponse:
    index = assistant_of(request).index
    doc = index.documents.get(source_id)
    if doc is None:
        return error_page(request, 404, "There is no source with that id.")
    if start is not None and end is not None and not (0 <= start < end <= len(doc.text)):
        start = end = None  # a range outside the text highlights nothing rather than failing
    views = block_views(doc.text, doc.blocks, start, end)
    return templates(request).TemplateResponse(request, "source.html", {
        "doc": doc, "blocks": views, "start": start, "end": end, "link": safe_link(doc.url),
        "quoted": doc.text[start:end] if start is not None and end is not None else None,
    })
