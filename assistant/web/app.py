"""The web application: the app factory, the lifespan that loads the assistant, and error handling.

JSON routes live in api.py, HTML pages in pages.py; both call the same Assistant.ask().
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException

from ..answering.answer import Assistant
from ..errors import AssistantError, InvalidQuestionError, UploadError
from ..settings import Settings
from .serving import StanceProcess, has_key

log = logging.getLogger("assistant")
WEB = Path(__file__).resolve().parents[2] / "web"  # the checkout's web/: templates and static files

SECURITY_HEADERS = {
    # No inline script anywhere: app.js is a file, so a script injected through a source cannot run.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: nothing leaks to other sites, and a form post from these pages
    # carries its real Origin, which the document-changing routes compare (another site's shows as null).
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# The interactive API docs start from an inline script (their bundle is served locally): a looser policy there only.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'")


WORKER_SETTINGS = "ASSISTANT_WORKER_SETTINGS"  # `serve --workers N` hands its settings to each worker in this


def serving_assistant(settings: Settings, log) -> Assistant:
    """The assistant a server process answers with: the question encoder on one thread (batched when that
    helps), and the index, built first when missing or stale."""
    from ..answering.answer import open_assistant
    from ..language.batching import BatchingEncoder
    from ..language.embed import load_embedder

    embedder = load_embedder(settings, threads=1, log=log)
    # Only a batch-invariant model gains from shared calls; int8 questions go one by one anyway
    # (batching.py), and a batching front would only add a thread hand-off (bench/README.md).
    if settings.batching and getattr(embedder, "batch_invariant", True):
        embedder = BatchingEncoder(embedder)
    return open_assistant(settings, embedder=embedder, log=log)


def worker_app() -> FastAPI:
    """The app of one `serve --workers N` process (uvicorn's factory): the parent built the index; each
    worker opens it with the parent's settings."""
    import os

    settings = Settings.model_validate_json(os.environ[WORKER_SETTINGS])
    return create_app(settings, serving_assistant(settings, lambda m: log.info(m)))


def one_faiss_thread() -> None:
    try:
        import faiss

        faiss.omp_set_num_threads(1)
    except ImportError:
        pass


class Guard:
    """ASGI middleware in front of every route: refuses oversized bodies and requests without the
    API key before any work is done, and puts the security headers on every response. A body
    without a Content-Length (chunked) is read up to the limit first and handed on buffered.
    (Plain ASGI: `@app.middleware("http")` wraps every request in extra tasks and streams.)"""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings
        self.max_body = settings.max_body_kb * 1024
        # A document upload may be as large as a source file (plus the form's own bytes).
        self.max_upload = int(settings.max_source_mb * 1_000_000) + 64 * 1024 if settings.uploads else self.max_body

    def limit(self, scope) -> int:
        uploading = scope["method"] in ("POST", "PUT") and (
            scope["path"] in ("/api/sources", "/api/sources/inspect", "/sources/upload")
            or (scope["method"] == "PUT" and scope["path"].startswith("/api/sources/")))
        return self.max_upload if uploading else self.max_body

    def too_large(self, limit: int) -> JSONResponse:
        return JSONResponse({"error": "request too large", "detail": f"the body is limited to {limit // 1024} KiB"},
                            status_code=413)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        path = scope["path"]
        docs = path in ("/docs", "/redoc")

        async def send_secured(message):
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    out.setdefault(k, v)
                if docs:
                    out["Content-Security-Policy"] = DOCS_CSP
            await send(message)

        length = headers.get("content-length")
        limit = self.limit(scope)
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await self.too_large(limit)(scope, receive, send_secured)
        if self.settings.api_key and path.startswith("/api/") and not has_key(headers, self.settings.api_key):
            response = JSONResponse({"error": "unauthorised", "detail": "send the API key as `Authorization: Bearer <key>`"},
                                    status_code=401, headers={"WWW-Authenticate": "Bearer"})
            return await response(scope, receive, send_secured)
        if length is None and scope["method"] not in ("GET", "HEAD"):
            messages, seen = [], 0
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request":
                    break
                seen += len(message.get("body", b""))
                if seen > limit:
                    return await self.too_large(limit)(scope, receive, send_secured)
                if not message.get("more_body"):
                    break

            async def replay():
                return messages.pop(0) if messages else await receive()

            return await self.app(scope, replay, send_secured)
        await self.app(scope, receive, send_secured)


def field_errors(exc: RequestValidationError) -> list[dict]:
    out = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path")]
        problem = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "string_pattern_mismatch":
            problem = "must contain text and no control characters"
        out.append({"field": ".".join(loc) or "body", "problem": problem})
    return out


def flat_routes(routes) -> Iterator:
    """Every route by itself: FastAPI (0.16x) keeps an included router as one entry holding its own."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from flat_routes(inner.routes) if inner is not None else (route,)


def methods_at(routes, scope) -> list[str]:
    """The methods routed at a request's path, whatever its own method (the Allow header of a 405). A
    concrete path is matched before the templates that also match it, as OpenAPI reads paths:
    /api/sources/inspect is itself (POST), not /api/sources/{source_id}."""
    from starlette.routing import Match

    matching = [r for r in routes if getattr(r, "methods", None) and r.matches(scope)[0] is not Match.NONE]
    concrete = [r for r in matching if not getattr(r, "param_convertors", None)]
    return sorted({m for r in concrete or matching for m in r.methods})


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """The ASGI app. With `assistant` given (tests), nothing is loaded; otherwise the lifespan
    loads the index and model named by `settings` once, before the first request."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if assistant is None:
            from ..answering.answer import open_assistant
            from ..building.library import clean_leftovers

            clean_leftovers(settings.sources_dir)  # a change the last process did not finish is undone
            app.state.assistant = open_assistant(settings, build_if_needed=True, log=log.info)
            from threading import Thread

            from ..language.parse import nlp

            # The parser reads a question only when it has a term the corpus lacks (decide.predicates):
            # loaded now, in the background, that first question does not wait a second for it.
            def load_parser() -> None:
                try:
                    nlp()
                except Exception as e:  # then the question that needs it says why (a ModelError)
                    log.warning("parser not loaded: %s", e)

            Thread(target=load_parser, name="load-parser", daemon=True).start()
        else:
            app.state.assistant = assistant
        from concurrent.futures import ThreadPoolExecutor

        # Answers run on a few threads of their own, in arrival order (see Settings.answer_threads),
        # each with one OpenMP thread for FAISS (a per-thread setting): one short query gains
        # nothing from more, and many collide.
        app.state.answer_pool = ThreadPoolExecutor(settings.answer_threads, thread_name_prefix="answer",
                                                   initializer=one_faiss_thread)
        app.state.stance_process = StanceProcess()
        from ..building.jobs import Jobs

        def swap(new: Assistant) -> None:
            app.state.assistant = new  # one assignment: requests in flight keep the build they started on

        app.state.jobs = Jobs(settings, lambda: app.state.assistant, swap)
        watcher = None
        if settings.watch:
            from ..building.watch import watch_sources

            watcher = watch_sources(settings, app.state.jobs)
        try:
            yield
        finally:
            if watcher is not None:
                watcher.set()
            app.state.jobs.close()
            app.state.answer_pool.shutdown(wait=False, cancel_futures=True)
            app.state.stance_process.shutdown()

    # FastAPIOffline serves the /docs and /redoc pages' scripts itself: no CDN, works offline.
    app = FastAPIOffline(
        title="Policy assistant",
        summary="Answers questions about policy documents with verbatim, cited quotes.",
        version="1",
        lifespan=lifespan,
    )
    app.state.settings = settings
    if settings.uploads:
        # Uploaded files stay in memory up to the size cap instead of spilling into the system's
        # temporary folder: nothing is written outside sources/ and index/.
        from starlette.formparsers import MultiPartParser

        MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, int(settings.max_source_mb * 1_000_000) + 1)
    app.state.templates = Jinja2Templates(directory=str(WEB / "templates"))

    from . import api, manage, pages

    app.include_router(api.make_router(settings))
    keyed = bool(settings.api_key)  # the key as the OpenAPI declares it (the Guard checks it)
    app.include_router(manage.router, dependencies=api.KEY_SCHEMES if keyed else [],
                       responses=api.UNAUTHORISED if keyed else {})
    app.include_router(manage.pages)
    app.include_router(pages.router)
    routed = list(flat_routes(app.router.routes))  # for the Allow header of a 405
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

    app.add_middleware(Guard, settings=settings)

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"])

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/healthz"

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        if wants_json(request):
            return JSONResponse({"error": "invalid request", "detail": field_errors(exc)}, status_code=422)
        return pages.error_page(request, 422, "That request was not valid.")

    @app.exception_handler(api.FilterError)
    async def unknown_filter(request: Request, exc: api.FilterError):
        # A well-formed name the index does not know: not found, like an unknown source id in a path.
        return JSONResponse({"error": "not found", "detail": [{"field": exc.field, "problem": exc.problem}]},
                            status_code=404)

    @app.exception_handler(InvalidQuestionError)
    async def invalid_question(request: Request, exc: InvalidQuestionError):
        return JSONResponse({"error": "invalid request", "detail": [{"field": exc.field, "problem": exc.problem}]},
                            status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if exc.status_code == 405:
            # Starlette names the methods of the first route at the path only: /api/sources said
            # "Allow: GET" though POST is routed there too. Every route at the path counts.
            exc = HTTPException(405, exc.detail, {**(exc.headers or {}), "Allow": ", ".join(methods_at(routed, request.scope))})
        if wants_json(request):
            label = {400: "bad request", 404: "not found"}.get(exc.status_code, "error")  # 400: a body that is not text
            return JSONResponse({"error": label, "detail": exc.detail},
                                status_code=exc.status_code, headers=getattr(exc, "headers", None))
        return pages.error_page(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(UploadError)
    async def upload_refused(request: Request, exc: UploadError):
        return JSONResponse({"error": "upload refused", "detail": exc.problem}, status_code=exc.status)

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError):
        log.error("request failed: %s", exc)
        if wants_json(request):
            return JSONResponse({"error": "unavailable", "detail": str(exc)}, status_code=503)
        return pages.error_page(request, 503, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        if wants_json(request):
            return JSONResponse({"error": "internal error", "detail": "the server could not complete this request"},
                                status_code=500)
        return pages.error_page(request, 500, "Something went wrong on our side.")

    return app
