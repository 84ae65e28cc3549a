"""Routes that change the documents while the server runs: add, replace, edit and remove, through the
JSON API and the documents page, and the jobs that index each change (jobs.py).

Off unless ASSISTANT_UPLOADS=true. When an API key is set, every change needs it (the API: a header,
which the Guard checks; the page: a form field). A change posted from another site's page is refused
(its Origin differs from this server's), so a page a user visits cannot change their documents.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from ..building import library
from ..building.ingest import CONFIG_FILES
from ..building.jobs import Job, Jobs
from ..building.library import Limits
from ..errors import UploadError
from ..language.parse import proposed_publisher
from .api import being_removed, error, pending_of
from .serving import key_matches

pages = APIRouter(include_in_schema=False)


class JobOut(BaseModel):
    id: str
    kind: str = Field(..., description="add, replace, edit, remove or rescan")
    source_id: str | None
    title: str = Field("", description="The document's title (several documents of a JSONL file: how many).")
    state: str = Field(..., description="queued, running, done or failed")
    stage: str = Field(..., description="queued, reading, parsing, embedding, writing, loading or done")
    progress: float = Field(..., ge=0, le=1)
    error: str | None = Field(None, description="Why the change failed; sources/ and the index are as before it.")
    took_s: float | None = None
    stages: dict[str, float] = Field(default_factory=dict, description="When each stage began, in seconds after the job was queued.")


class Accepted(BaseModel):
    id: str = Field(..., description="The document's id (generated for a new document).")
    job: JobOut
    job_url: str


class Inspected(BaseModel):
    kind: str = Field(..., description="The file's kind, judged by its content: txt, md, html, pdf, docx or jsonl.")
    documents: int
    words: int
    title: str = ""
    publisher: str = Field("", description="As the file states it, else the body its opening statements or title "
                           "name as the author (\"The X Association welcomes ...\"); empty when neither does.")
    published: str = ""
    url: str = ""


LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def job_out(job: Job) -> JobOut:
    return JobOut(id=job.id, kind=job.kind, source_id=job.source_id, title=job.title, state=job.state, stage=job.stage,
                  progress=job.progress, error=job.error, took_s=job.took_s, stages=dict(job.stages))


def jobs_of(request: Request) -> Jobs:
    return request.app.state.jobs


def limits(request: Request) -> Limits:
    s = request.app.state.settings
    return Limits(int(s.max_source_mb * 1_000_000), s.max_upload_pages)


def allowed(request: Request) -> None:
    """Uploads on, and the request from this site's pages (or from no page at all: curl, a program).
    A browser names the page's origin on every post; another site's page shows as another origin,
    or as "null" (these pages' Referrer-Policy withholds it from other sites)."""
    settings = request.app.state.settings
    if not settings.uploads:
        raise HTTPException(403, "changing documents is off; start the server with ASSISTANT_UPLOADS=true")
    # A server on the loopback address answers changes only to loopback names: a hostile page whose
    # own name was re-pointed at 127.0.0.1 (DNS rebinding) would otherwise pass the Origin check below.
    if settings.host in LOOPBACK and (request.url.hostname or "") not in LOOPBACK:
        raise HTTPException(403, f"changes are taken only at a loopback address, not {request.url.hostname!r}")
    origin = request.headers.get("origin")
    if origin is not None and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise HTTPException(403, f"a change posted from another site ({origin}) is refused")


async def read_upload(request: Request, file: UploadFile) -> tuple[bytes, str]:
    cap = limits(request).max_bytes
    data = await file.read(cap + 1)
    if len(data) > cap:
        raise UploadError(f"the file is over the limit of {library.size(cap)} (ASSISTANT_MAX_SOURCE_MB)", 413)
    return data, file.filename or ""


async def prepared(request: Request, data: bytes, filename: str, meta: dict[str, str]) -> library.Prepared:
    """Read the file as indexing will, on a worker thread: a long PDF or Word file takes seconds."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(prepare_now, request, data, filename, meta)


def prepare_now(request: Request, data: bytes, filename: str, meta: dict[str, str]) -> library.Prepared:
    # Reading the file as indexing will needs it on disk for a moment: in the index folder, so that
    # nothing is written outside sources/ and index/.
    index_dir = request.app.state.settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".upload-", dir=index_dir) as scratch:
        return library.prepare(data, filename, meta, limits(request), Path(scratch))


def documents(request: Request) -> dict:
    return request.app.state.assistant.index.documents


def uploaded(request: Request, source_id: str) -> dict[str, str]:
    """The catalog entry of a document added here; 404 unknown or being removed, 409 placed in sources/ by hand
    or still being added."""
    job = pending_of(request).get(source_id)
    if job is not None and not job.expect[source_id]:
        raise HTTPException(404, being_removed(source_id, job))
    entries = library.read_uploads(request.app.state.settings.sources_dir)
    if source_id in entries:
        return entries[source_id]
    for entry in entries.values():  # a document of an uploaded JSONL file: the file is what changes
        if source_id in entry.get("members", "").split(","):
            return entry
    if source_id in documents(request):
        raise HTTPException(409, f"{source_id!r} was placed in sources/ by hand; change it there")
    if job is not None:
        raise HTTPException(409, f"{source_id!r} is still being added (job {job.id}: /api/jobs/{job.id}); "
                                 "change it once that job is done")
    raise HTTPException(404, f"no source with id {source_id!r}")


def accepted(job: Job, source_id: str) -> JSONResponse:
    body = Accepted(id=source_id, job=job_out(job), job_url=f"/api/jobs/{job.id}")
    return JSONResponse(body.model_dump(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


def taken_ids(request: Request) -> set[str]:
    sources = request.app.state.settings.sources_dir
    uploads = library.read_uploads(sources)
    members = {m for e in uploads.values() for m in e.get("members", "").split(",") if m}
    return set(documents(request)) | set(uploads) | members


def check_new_ids(request: Request, ids: set[str]) -> None:
    """Ids a new document would take: free now (checked again on the worker, just before writing,
    so two uploads queued together cannot both take one id)."""
    clash = sorted(ids & taken_ids(request))
    if clash:
        raise UploadError(f"duplicate id: {', '.join(clash[:5])} already a document", 409)


def safe_id(wanted: str) -> str:
    if library.slug(wanted) != wanted:
        raise UploadError("id may use only letters, digits, '.', '_' and '-'")
    if any(wanted.lower() + kind in CONFIG_FILES for kind in library.KINDS):
        raise UploadError(f"{wanted!r} is the name of a configuration file; choose another id")
    return wanted


async def add(request: Request, data: bytes, filename: str, meta: dict[str, str], wanted_id: str = "") -> tuple[Job, str]:
    sources = request.app.state.settings.sources_dir
    meta = library.clean_meta(meta)
    prep = await prepared(request, data, filename, meta)
    if prep.kind == ".jsonl":
        # One file, several documents: each keeps the id its line gives; the upload is managed by the first.
        ids = [d.id for d in prep.documents]
        check_new_ids(request, set(ids))
        upload_id, members, shown = library.new_id("jsonl-" + ids[0], taken_ids(request)), ",".join(ids), ids[0]
    else:
        upload_id = safe_id(wanted_id) if wanted_id else library.new_id(
            meta.get("title") or prep.documents[0].title or filename, taken_ids(request))
        ids, members, shown = [upload_id], "", upload_id
        check_new_ids(request, {upload_id})

    def stage() -> library.Change:
        check_new_ids(request, set(ids))  # again, now that the changes queued before have run
        return library.stage_add(sources, upload_id, prep, meta, members)

    title = (f"{len(prep.documents)} documents" if len(prep.documents) > 1
             else meta.get("title") or stated_title(prep.documents[0]) or filename)
    found = dict(zip(ids, prep.documents))  # a single document is indexed under the id given here
    job = jobs_of(request).submit("add", shown, stage, expect={i: True for i in ids}, title=title, documents=found)
    return job, shown


# -- JSON API ----------------------------------------------------------------------------------------

# A file part is any bytes, whatever they spell: "format: binary" says so beside OpenAPI 3.1's contentMediaType,
# so that no client or tool takes a file holding "true" or "42" for a boolean or a number. What the bytes must
# be (a readable document, with words) is judged from the content, and a file that is not is a 422 naming why.
BINARY = {"format": "binary"}

# Whether changes are allowed is decided before the request's body is looked at.
router = APIRouter(dependencies=[Depends(allowed)])

# Each with the error body every route answers with (api.error).
ERRORS = {400: error("A body that is not multipart form data."),
          403: error("Uploads are off, or the request came from another site's page or host name."),
          404: error("Unknown source or job, or a source being removed."),
          409: error("Duplicate id, a document placed in sources/ by hand, or one still being added."),
          413: error("File too large or too many pages."),
          422: error("A file that cannot be used (wrong kind, empty, broken, encrypted), with the reason.")}


@router.post("/api/sources", status_code=202, response_model=Accepted, responses=ERRORS, tags=["documents"])
async def upload(
    request: Request,
    file: Annotated[UploadFile, File(description="txt, md, html, pdf, docx or jsonl (judged by content).",
                                                json_schema_extra=BINARY)],
    title: Annotated[str, Form(max_length=500)] = "",
    publisher: Annotated[str, Form(max_length=500)] = "",
    published: Annotated[str, Form(max_length=500)] = "",
    url: Annotated[str, Form(max_length=500)] = "",
    speaker: Annotated[str, Form(max_length=500)] = "",
    id: Annotated[str, Form(max_length=80, description="Optional id; generated when absent.")] = "",
) -> JSONResponse:
    """Add a document. Returns its id and a job to poll (`GET /api/jobs/{id}`): when the job is done
    the document is answerable. Empty metadata fields are taken from the file where it says them."""
    data, filename = await read_upload(request, file)
    meta = {"title": title, "publisher": publisher, "published": published, "url": url, "speaker": speaker}
    job, doc_id = await add(request, data, filename, meta, id.strip())
    return accepted(job, doc_id)


@router.post("/api/sources/inspect", response_model=Inspected, responses=ERRORS, tags=["documents"])
async def inspect(request: Request, file: Annotated[UploadFile, File(json_schema_extra=BINARY)]) -> Inspected:
    """What a file would add, without adding it: its kind and the metadata it states (the page
    prefills its fields with these)."""
    data, filename = await read_upload(request, file)
    prep = await prepared(request, data, filename, {})
    d = prep.documents[0]
    publisher = d.publisher or await asyncio.get_running_loop().run_in_executor(
        None, proposed_publisher, d.title, d.text)  # the body it names as itself ("The X Association welcomes ...")
    return Inspected(kind=prep.received.lstrip("."), documents=len(prep.documents),
                     words=sum(len(x.text.split()) for x in prep.documents),
                     title=stated_title(d), publisher=publisher, published=d.published, url=d.url)


@router.put("/api/sources/{source_id}", status_code=202, response_model=Accepted, responses=ERRORS,
            tags=["documents"])
async def replace(
    request: Request,
    source_id: str,
    file: Annotated[UploadFile, File(description="A new file for the document (optional).", json_schema_extra=BINARY)] = None,  # type: ignore[assignment]
    title: Annotated[str | None, Form(max_length=500)] = None,
    publisher: Annotated[str | None, Form(max_length=500)] = None,
    published: Annotated[str | None, Form(max_length=500)] = None,
    url: Annotated[str | None, Form(max_length=500)] = None,
    speaker: Annotated[str | None, Form(max_length=500)] = None,
) -> JSONResponse:
    """Replace a document's file, change its metadata, or both (fields left out stay as they are)."""
    entry = uploaded(request, source_id)
    sources = request.app.state.settings.sources_dir
    given = {k: v for k, v in (("title", title), ("publisher", publisher), ("published", published), ("url", url),
                               ("speaker", speaker)) if v is not None}
    meta = library.clean_meta(given)
    upload_id = entry["id"]
    if entry.get("members"):
        raise UploadError("a document of an uploaded JSONL file: remove the file and upload it again", 409)
    if file is not None and (file.filename or file.size):
        data, filename = await read_upload(request, file)
        keep = {k: v for k, v in entry.items() if k in library.META_FIELDS}
        prep = await prepared(request, data, filename, {**keep, **meta, "id": source_id})
        if prep.kind == ".jsonl" or len(prep.documents) != 1:
            raise UploadError("a document is replaced by a file holding one document (not JSONL)")

        def stage() -> library.Change:
            uploaded(request, source_id)  # still there, now that the changes queued before have run
            return library.stage_add(sources, upload_id, prep, meta)

        job = jobs_of(request).submit("replace", source_id, stage, expect={source_id: True},
                                      title=meta.get("title") or title_of(request, source_id))
    elif given:
        job = jobs_of(request).submit("edit", source_id, lambda: library.stage_meta(sources, upload_id, meta),
                                      expect={source_id: True}, title=meta.get("title") or title_of(request, source_id))
    else:
        raise UploadError("send a file, metadata fields, or both")
    return accepted(job, source_id)


@router.delete("/api/sources/{source_id}", status_code=202, response_model=Accepted, responses=ERRORS,
               tags=["documents"])
def remove(request: Request, source_id: str) -> JSONResponse:
    """Remove a document added here. From now on answers do not quote it and `GET /api/sources/{id}` answers
    404; the job takes it out of the index (if that fails, it is back as it was)."""
    job = remove_job(request, source_id)
    return accepted(job, source_id)


UNDO_SECONDS = 600  # how long a removed upload can be put back (from this server's memory)


@dataclass
class Removed:
    """An upload as it was before its removal: its file and metadata, to add again on Undo."""

    id: str
    title: str
    data: bytes
    filename: str
    meta: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class Removals:
    """Uploads removed in the last UNDO_SECONDS, by id: the documents page offers to put them back."""

    def __init__(self):
        self.items: dict[str, Removed] = {}
        self.lock = threading.Lock()

    def keep(self, r: Removed) -> None:
        with self.lock:
            self.items = {k: v for k, v in self.items.items() if time.monotonic() - v.at < UNDO_SECONDS}
            self.items[r.id] = r

    def recent(self) -> list[Removed]:
        with self.lock:
            return [r for r in self.items.values() if time.monotonic() - r.at < UNDO_SECONDS]

    def take(self, source_id: str) -> Removed | None:
        with self.lock:
            r = self.items.pop(source_id, None)
        return r if r is not None and time.monotonic() - r.at < UNDO_SECONDS else None


def removals_of(request: Request) -> Removals:
    state = request.app.state
    if getattr(state, "removals", None) is None:
        state.removals = Removals()
    return state.removals


def remove_job(request: Request, source_id: str) -> Job:
    entry = uploaded(request, source_id)
    sources = request.app.state.settings.sources_dir
    gone = [m for m in entry.get("members", "").split(",") if m] or [entry["id"]]
    title = title_of(request, source_id)
    kept = Removed(entry["id"], title, (library.uploads_dir(sources) / entry["file"]).read_bytes(), Path(entry["file"]).name,
                   {k: v for k, v in entry.items() if k not in ("file", "id", "members")})
    job = jobs_of(request).submit("remove", source_id, lambda: library.stage_remove(sources, entry["id"]),
                                  expect={m: False for m in gone}, title=title)
    removals_of(request).keep(kept)
    return job


def stated_title(doc) -> str:
    """The title a document states; reading falls back to its id when it states none."""
    return doc.title if doc.title != doc.id else ""


def title_of(request: Request, source_id: str) -> str:
    """The title the serving index gives a document, or its id when it has none."""
    doc = documents(request).get(source_id)
    return (doc.title if doc and doc.title else "") or source_id


@router.get("/api/jobs/{job_id}", response_model=JobOut, responses=ERRORS, tags=["documents"])
def job_status(request: Request, job_id: str) -> JobOut:
    """How far a change is: state, stage, progress (0 to 1) and, when it failed, why."""
    job = jobs_of(request).get(job_id)
    if job is None:
        raise HTTPException(404, f"no job with id {job_id!r}")
    return job_out(job)


# -- the documents page's forms ------------------------------------------------------------------------

def page_key_ok(request: Request, key: str) -> bool:
    """The page forms send the key as a field (a browser cannot add the header to a form post)."""
    want = request.app.state.settings.api_key
    return not want or key_matches(key, want)


async def page_change(request: Request, key: str, act, what: str = "") -> HTMLResponse | RedirectResponse:
    """Run a change posted by a page's form; a refusal is shown on the documents page, naming `what` (the file)."""
    from .pages import sources_page

    try:
        allowed(request)
        if not page_key_ok(request, key):
            raise HTTPException(401, "the API key is missing or wrong")
        job = await act()
    except (UploadError, HTTPException) as e:
        status = e.status if isinstance(e, UploadError) else e.status_code
        message = e.problem if isinstance(e, UploadError) else str(e.detail)
        said = f"{what} was not added: {message}." if what else f"Not changed: {message}."
        return sources_page(request, error=said, status=status)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@pages.post("/sources/upload")
async def upload_form(request: Request, file: Annotated[UploadFile, File()], title: Annotated[str, Form()] = "",
                      publisher: Annotated[str, Form()] = "", published: Annotated[str, Form()] = "",
                      url: Annotated[str, Form()] = "", key: Annotated[str, Form()] = ""):
    async def act():
        data, filename = await read_upload(request, file)
        meta = {"title": title, "publisher": publisher, "published": published, "url": url}
        return (await add(request, data, filename, meta))[0]

    return await page_change(request, key, act, what=file.filename or "The file")


@pages.get("/sources/{source_id}/remove", response_class=HTMLResponse)
def remove_confirm(request: Request, source_id: str) -> HTMLResponse:
    """Remove asks first: what goes, and that it can be put back for a while."""
    from .pages import error_page

    try:
        allowed(request)
        uploaded(request, source_id)
    except HTTPException as e:
        return error_page(request, e.status_code, f"This document cannot be removed here: {e.detail}.")
    return request.app.state.templates.TemplateResponse(request, "remove.html", {
        "id": source_id, "title": title_of(request, source_id), "needs_key": bool(request.app.state.settings.api_key),
        "minutes": UNDO_SECONDS // 60})


@pages.post("/sources/{source_id}/remove")
async def remove_form(request: Request, source_id: str, key: Annotated[str, Form()] = ""):
    async def act():
        return remove_job(request, source_id)

    return await page_change(request, key, act)


@pages.post("/sources/{source_id}/undo")
async def undo_form(request: Request, source_id: str, key: Annotated[str, Form()] = ""):
    """Put a removed upload back: its file and metadata added again, under its id."""
    async def act():
        r = removals_of(request).take(source_id)
        if r is None:
            raise HTTPException(410, f"{source_id!r} can no longer be put back (a removal can be undone for "
                                     f"{UNDO_SECONDS // 60} minutes, by the server that removed it)")
        try:
            return (await add(request, r.data, r.filename, r.meta, wanted_id=r.id))[0]
        except Exception:
            removals_of(request).keep(r)  # refused (an id taken again meanwhile): it can still be tried
            raise

    return await page_change(request, key, act)


@pages.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    """A change's progress: refreshes itself without JavaScript; app.js updates it in place."""
    job = jobs_of(request).get(job_id)
    if job is None:
        from .pages import error_page

        return error_page(request, 404, "There is no such job (finished jobs are kept for a while only).")
    return request.app.state.templates.TemplateResponse(request, "job.html", {
        "job": job, "needs_key": bool(request.app.state.settings.api_key)})
