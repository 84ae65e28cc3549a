"""The JSON API: answers, sources, raw search and health. Pydantic models are the contract.

`make_router(settings)` makes the routes of one app: the request models take their limits and defaults
from the settings (question length, quotes per answer), and with an API key set every /api route
declares it, so the OpenAPI says exactly what this server accepts and answers.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations, and the request
# models they name are made inside make_router, where a string annotation could not be resolved.

import time
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, HTTPException, Query, Request, Response, Security
from fastapi.security import APIKeyHeader, HTTPBearer
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from ..answering.answer import Assistant
from ..answering.present import answer_dict, viewer_url
from ..answering.quotes import Quote
from ..answering.topic_stance import classify
from ..building.jobs import Job
from ..building.store import Index
from ..errors import InvalidQuestionError
from ..settings import Settings
from .serving import in_answer_pool, in_stance_process

MAX_TURNS = 20
MAX_FILTERS = 50


# Text fields: at least one visible character, no control characters (tabs and newlines are fine).
# Whitespace is spelled out as str.strip() sees it: `\s` means different sets in the schema's regex
# dialect (ECMAScript), in pydantic's (Rust) and in Python's, and a schema-valid "\x85" was refused.
CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
SPACE = r"\x09-\x0d\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT = f"^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$"
# A source id or actor name in a filter: text as above. One the index does not know is a 404.
Name = Annotated[str, Field(min_length=1, pattern=TEXT)]


def not_bool_or_text(value: object) -> object:
    if isinstance(value, (bool, str)):
        raise ValueError("Input should be a valid integer")  # noqa: TRY004 (pydantic reports ValueErrors only)
    return value


# JSON Schema's integer: a number without a fraction (3 or 3.0), never true or "3" (which pydantic takes).
Integer = Annotated[int, BeforeValidator(not_bool_or_text)]


class Citation(BaseModel):
    text: str = Field(..., description="Verbatim: exactly text[start:end] of the source served at /api/sources/{source_id}.")
    start: int
    end: int
    source_id: str
    title: str
    publisher: str
    published: str
    section: str
    score: float
    url: str = Field(..., description="The source viewer, with this range highlighted.")


class QuoteOut(Citation):
    passage: str = Field(..., description="The paragraph the quote sits in.")
    actor: str | None = Field(None, description="Whose position the quote states.")
    speaker: str | None = Field(None, description="Who speaks, when the quote is a spokesperson's words for the actor.")
    close: bool = Field(True, description="False for a quote far below the best one (or another actor's words "
                        "far from it when actors are asked about): less close, shown apart, not an equal answer.")
    stance: str | None = Field(None, description="supports, welcomes, concerned, opposes, accepts, rejects, mixed, recommends or describes.")


class AnswerOut(BaseModel):
    question: str
    standalone_question: str = Field(..., description="The question as read, with what a follow-up inherits from earlier turns.")
    answered: bool = Field(..., description="False when the sources do not answer the question.")
    message: str | None = Field(None, description="Why there is no answer, when answered is false.")
    suggestion: str | None = Field(None, description="When the question was refused over a name or word no source "
                                   "holds but one close to it does: the question with it put right, to ask instead.")
    quotes: list[QuoteOut]
    took_ms: float


class SourceOut(BaseModel):
    id: str
    title: str
    publisher: str
    published: str
    url: str = Field(..., description="Where the source was published, when known.")
    characters: int
    chunks: int
    state: Literal["indexed", "indexing"] = Field(
        "indexed", description="indexing: a change to the document was accepted and its job (job_url) is queued or "
        "running. Until it is done, answers quote the document as it was, and a new one not at all (chunks 0). A "
        "document whose removal was accepted is not listed, and GET answers 404 for it.")
    job_url: str | None = Field(None, description="The job changing the document, while it is indexing.")


class SourceText(SourceOut):
    text: str = Field(..., description="The normalised text that every quote's offsets refer to.")


class SearchHit(Citation):
    """A passage from raw retrieval."""


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHit]
    took_ms: float


class PositionOut(BaseModel):
    actor: str = Field(..., description="Whose position this is.")
    stance: str = Field(..., description="Their stance on the topic, over their quotes.")
    quotes: list[QuoteOut]


class PositionsOut(BaseModel):
    topic: str
    answered: bool = Field(..., description="False when the sources say nothing on the topic.")
    message: str | None = None
    positions: list[PositionOut] = Field(..., description="One entry per actor, the closest to the topic first; "
                                                       "a passage is quoted under one actor only.")
    silent: list[str] = Field([], description="Actors who state positions in these documents and of whom no "
                                              "statement on the topic was found, as the chat finds none for \"What "
                                              "does <actor> think of <topic>?\" (without filters).")
    took_ms: float


# Statements a stance request may send. Each takes about 0.15 s (the pair model reads it alone, four sentences as
# one batch), and the stance process reads one request at a time: 25 keep a full request near 4 s, and
# another caller's wait behind it as short (100 took 13-16 s, longer than many clients wait by default).
MAX_STATEMENTS = 25
MAX_STATEMENT_CHARS = 2000
MAX_TOPIC_CHARS = 500


class StanceResultOut(BaseModel):
    statement: str
    stance: Literal["pro", "con", "neutral"] = Field(..., description="For the topic, against it, or neither "
                                                      "(nothing in the statement leans either way).")
    confidence: float = Field(..., ge=0, le=1, description="How far the statement's lean is from even: 0 for "
                              "neutral. On IBM Claim Stance's test topics, labels at confidence >= 0.4 are right "
                              "more often than the rest (README: Stance toward a topic).")


class StanceOut(BaseModel):
    topic: str
    results: list[StanceResultOut] = Field(..., description="One per statement, in the order sent.")
    took_ms: float


class Health(BaseModel):
    status: str
    model: str
    sources: int
    chunks: int
    sentences: int
    index_built_at: str
    index_version: str


class Problem(BaseModel):
    field: str = Field(..., description="The request field, dotted for nested ones (`history.0.question`).")
    problem: str


class ErrorOut(BaseModel):
    error: str
    detail: list[Problem] | str | None = None


def error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


# Every status a route can answer besides 200 (and 500, an unexpected failure), in its OpenAPI entry.
UNREADABLE = {400: error("The body is not readable as JSON text (not UTF-8).")}
TOO_LARGE = {413: error("The body is over the size limit (ASSISTANT_MAX_BODY_KB).")}
INVALID = {422: error("Invalid input; `detail` names each field and its problem.")}
UNKNOWN_FILTER = {404: error("A filter names a source id or actor the index does not know; `detail` names the "
                             "field and the unknown values.")}
UNAVAILABLE = {503: error("The index or model could not be used; `detail` says why.")}
UNAUTHORISED = {401: error("The API key is missing or wrong: send it as `Authorization: Bearer <key>` or `X-API-Key`.")}
# The API key as the OpenAPI declares it (either header will do). The Guard in app.py checks it,
# before any route runs; these only document it and let /docs send it.
KEY_SCHEMES = [Security(HTTPBearer(auto_error=False, scheme_name="bearer")),
               Security(APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="apiKey"))]


def quote_out(q: Quote) -> QuoteOut:
    return QuoteOut(text=q.text, start=q.start, end=q.end, passage=q.passage, source_id=q.source_id, title=q.title,
                    publisher=q.publisher, published=q.published, section=q.section, score=q.score, actor=q.actor,
                    speaker=q.speaker, stance=q.stance, url=viewer_url(q.source_id, q.start, q.end))


def source_out(index: Index, counts: dict[str, int], source_id: str) -> SourceOut:
    d = index.catalog[source_id]
    return SourceOut(id=d.id, title=d.title, publisher=d.publisher, published=d.published, url=d.url,
                     characters=d.length, chunks=counts.get(d.id, 0))


def pending_of(request: Request) -> dict[str, Job]:
    """The documents that accepted changes are about, each with its job (none with uploads and watch off)."""
    jobs = getattr(request.app.state, "jobs", None)
    return jobs.pending() if jobs is not None else {}


def being_removed(source_id: str, job: Job) -> str:
    return f"{source_id!r} is being removed (job {job.id}: /api/jobs/{job.id})"


def source_text(assistant: Assistant, pending: dict[str, Job], source_id: str, text: bool = False) -> SourceText | None:
    """A source as the API serves it: indexed, or accepted and on its way in; None when there is none or its
    removal was accepted. Its text only when asked for (a listing leaves it out)."""
    job = pending.get(source_id)
    if job is not None and not job.expect[source_id]:
        return None
    d = job.documents.get(source_id) if job is not None else None  # read once: a finished job lets go of it
    if source_id in assistant.index.documents:
        base = source_out(assistant.index, assistant.chunk_counts, source_id)
        body = assistant.index.documents[source_id].text if text else ""
    elif d is not None:
        base = SourceOut(id=source_id, title=d.title, publisher=d.publisher, published=d.published, url=d.url,
                         characters=len(d.text), chunks=0)
        body = d.text if text else ""
    else:
        return None
    if job is not None:
        base.state, base.job_url = "indexing", f"/api/jobs/{job.id}"
    return SourceText(**base.model_dump(), text=body)


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


class FilterError(ValueError):
    """A filter names a source or actor the index does not know (a 404 naming the field)."""

    def __init__(self, field: str, problem: str):
        super().__init__(problem)
        self.field = field
        self.problem = problem


def check_filters(assistant: Assistant, sources: list[str], actors: list[str]) -> None:
    unknown = [s for s in sources if s not in assistant.index.documents or s in assistant.withheld]
    if unknown:
        raise FilterError("sources", f"unknown source id(s): {', '.join(unknown[:5])}; see /api/sources")
    bad = [a for a in actors if assistant.actors.canonical(a) is None]
    if bad:
        known = ", ".join(a.name for a in assistant.actors.actors)
        raise FilterError("actors", f"unknown actor(s): {', '.join(bad[:5])}; known: {known}")


def make_router(settings: Settings) -> APIRouter:
    """The JSON routes of an app with these settings."""
    chars = settings.max_question_chars
    Text = Annotated[str, Field(min_length=1, max_length=chars, pattern=TEXT)]

    class Turn(BaseModel):
        model_config = ConfigDict(extra="forbid")
        question: Text = Field(..., description="An earlier question of the conversation.")

    class AnswerRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")

        question: Text = Field(..., description=f"The question to answer (1 to {chars:,} characters).",
                               examples=["What does the union think of the proposed ward closures?"])
        history: list[Turn] = Field(default_factory=list, max_length=MAX_TURNS,
                                    description="Earlier questions, oldest first; follow-ups are read against them.")
        top_k: Integer = Field(settings.top_k, ge=1, le=20,
                           description=f"How many quotes to return (default {settings.top_k}: ASSISTANT_TOP_K).")
        sources: list[Name] = Field(default_factory=list, max_length=MAX_FILTERS, description="Only quote these source ids.")
        actors: list[Name] = Field(default_factory=list, max_length=MAX_FILTERS,
                                   description="Only quote sentences stating these actors' positions (names or aliases).")

    class StanceRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")

        topic: Annotated[str, Field(min_length=1, max_length=MAX_TOPIC_CHARS, pattern=TEXT)] = Field(
            ..., description=f"What the statements are for or against (1 to {MAX_TOPIC_CHARS} characters).",
            examples=["The sale of violent video games to minors should be banned"])
        statements: list[Annotated[str, Field(min_length=1, max_length=MAX_STATEMENT_CHARS, pattern=TEXT)]] = Field(
            ..., min_length=1, max_length=MAX_STATEMENTS,
            description=f"1 to {MAX_STATEMENTS} statements of 1 to {MAX_STATEMENT_CHARS:,} characters each.",
            examples=[["Exposure to violent video games causes at least a temporary increase in aggression."]])
        neutral: StrictBool = Field(True, description="Whether a statement may be neutral (it leans no way: \"The library "
                              "opened in 1962\"). false when every statement is known to take a side, as in a "
                              "set of arguments: each then gets the model's pro or con.")

    keyed = bool(settings.api_key)
    api = APIRouter(dependencies=KEY_SCHEMES if keyed else [], responses=UNAUTHORISED if keyed else {})

    @api.post("/api/answer", response_model=AnswerOut, tags=["answers"],
              responses={**UNREADABLE, **UNKNOWN_FILTER, **TOO_LARGE, **INVALID, **UNAVAILABLE})
    async def answer(body: AnswerRequest, request: Request) -> Response:
        """Answer a question with verbatim quotes. Each quote satisfies
        `GET /api/sources/{source_id}`.text[start:end] == quote.text."""
        assistant = get_assistant(request)
        check_filters(assistant, body.sources, body.actors)
        a = await in_answer_pool(request, assistant.ask, body.question, history=[t.question for t in body.history],
                                 top_k=body.top_k, sources=body.sources, actors=body.actors)
        # The hot path: serialise the answer directly instead of validating it back through the model
        # (tests check the shape against AnswerOut).
        return Response(orjson.dumps(answer_dict(a)), media_type="application/json")

    @api.post("/api/stance", response_model=StanceOut, tags=["stance"],
              responses={**UNREADABLE, **TOO_LARGE, **INVALID, **UNAVAILABLE})
    async def stance(body: StanceRequest, request: Request) -> StanceOut:
        """The stance of each statement toward the topic: pro, con or neutral, with a confidence. The topic is
        read as a claim ("ban X": "We should ban X"); each statement by a sentence-pair model (does it
        contradict the claim, its denial, "X is good", "X is bad"?) and by its words; needs no index. About
        0.15 s a statement on two cores."""
        started = time.perf_counter()
        results = await in_stance_process(request, classify, body.topic, body.statements, None, body.neutral)
        return StanceOut(topic=body.topic, took_ms=round((time.perf_counter() - started) * 1000, 1),
                         results=[StanceResultOut(statement=r.statement, stance=r.stance, confidence=r.confidence)
                                  for r in results])

    @api.get("/api/sources", response_model=list[SourceOut], tags=["sources"])
    def sources(request: Request) -> list[SourceOut]:
        """Every source: the indexed ones and those whose upload was accepted (state "indexing"), not those whose
        removal was."""
        pending = pending_of(request)  # before the build: a change done in between is then in the build read
        assistant = get_assistant(request)
        listed = (source_text(assistant, pending, sid) for sid in sorted({*assistant.index.documents, *pending}))
        return [SourceOut(**s.model_dump(exclude={"text"})) for s in listed if s is not None]

    @api.get("/api/sources/{source_id}", response_model=SourceText, tags=["sources"],
             responses={404: error("No source has this id."), **INVALID})
    def source(source_id: str, request: Request) -> SourceText:
        """One source with its normalised text: the text that quote offsets refer to."""
        pending = pending_of(request)  # before the build: a change done in between is then in the build read
        assistant = get_assistant(request)
        out = source_text(assistant, pending, source_id, text=True)
        if out is None:
            job = pending.get(source_id)
            raise HTTPException(404, being_removed(source_id, job) if job else f"no source with id {source_id!r}")
        return out

    @api.get("/api/search", response_model=SearchOut, tags=["answers"],
             responses={**UNKNOWN_FILTER, **INVALID, **UNAVAILABLE})
    def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=chars, pattern=TEXT, description="Search text.")],
        k: Annotated[int, Query(ge=1, le=50, description="How many passages.")] = 10,
        sources: Annotated[list[Name], Query(description="Only these source ids (repeatable).")] = [],  # noqa: B006
    ) -> SearchOut:
        """Ranked passages (retrieval only, no quote selection), with the same citation fields."""
        assistant = get_assistant(request)
        if not q.strip():
            raise InvalidQuestionError("q", "must not be empty")
        check_filters(assistant, sources, [])
        started = time.perf_counter()
        hits = assistant.search(q, k, sources=sources)
        idx = assistant.index
        out = []
        for row, score in hits:
            c = idx.chunks[row]
            d = idx.documents[c.source_id]
            out.append(SearchHit(text=idx.text(c), start=c.start, end=c.end, source_id=c.source_id, title=d.title,
                                 publisher=d.publisher, published=d.published, section=" > ".join(c.section),
                                 score=round(score, 4), url=viewer_url(c.source_id, c.start, c.end)))
        return SearchOut(query=q, hits=out, took_ms=round((time.perf_counter() - started) * 1000, 1))

    @api.get("/api/positions", response_model=PositionsOut, tags=["answers"],
             responses={**UNKNOWN_FILTER, **INVALID, **UNAVAILABLE})
    def positions(
        request: Request,
        topic: Annotated[str, Query(min_length=1, max_length=chars, pattern=TEXT,
                                    description="What the positions are about.")],
        sources: Annotated[list[Name], Query(description="Only these source ids (repeatable).")] = [],  # noqa: B006
        actors: Annotated[list[Name], Query(description="Only these actors (repeatable).")] = [],  # noqa: B006
    ) -> PositionsOut:
        """Who said what on a topic: for each actor, their stance and best quotes, side by side. When the topic
        names actors ("the BMA on HARPs"), only they are shown; actors with nothing on the topic are left out;
        `topic` in the answer is what the positions are about."""
        assistant = get_assistant(request)
        check_filters(assistant, sources, actors)
        p = assistant.positions(topic, sources=sources, actors=actors)
        return PositionsOut(topic=p.topic, answered=p.answered, message=p.message, took_ms=p.took_ms, silent=p.silent,
                            positions=[PositionOut(actor=e.actor, stance=e.stance,
                                                   quotes=[quote_out(q) for q in e.quotes]) for e in p.entries])

    router = APIRouter()
    router.include_router(api)

    @router.get("/healthz", response_model=Health, tags=["health"])
    def healthz(request: Request) -> Health:
        assistant = get_assistant(request)
        m = assistant.index.manifest
        return Health(status="ok", model=assistant.settings.model, sources=len(assistant.index.documents),
                      chunks=len(assistant.index.chunks), sentences=len(assistant.index.sentences),
                      index_built_at=m.get("built_at", ""), index_version=assistant.index.version)

    return router
