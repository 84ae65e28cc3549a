"""The documents a user adds, replaces and removes while the server runs.

Uploaded files live in `sources/uploads/`, under ids this module makes (a file's name is never used
as a path), described by `sources/uploads/catalog.toml`, which only this module writes. Documents a
user placed in `sources/` by hand are theirs: they are listed and answered from, never rewritten.

An upload is judged by its content, not its name: PDF and Word files by their signature and
structure, text by decoding it; it is read completely (as indexing will read it) before anything is
written, so a broken file is refused with its reason and `sources/` is untouched. Changes are
staged and renamed into place; `Change.undo()` puts every file back as it was.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UploadError
from .ingest import CATALOG, Document, check_docx, docx_to_html, read_file, slug

UPLOADS = "uploads"
KINDS = (".txt", ".md", ".html", ".pdf", ".docx", ".jsonl")
META_FIELDS = ("title", "publisher", "published", "url", "speaker")
MAX_META_CHARS = 500


def size(n: float) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} KB"


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pages: int


def sniff(data: bytes, filename: str = "") -> str:
    """The file's kind from its bytes ('.pdf', '.docx', '.html', '.jsonl', '.md' or '.txt'); the
    name only tells Markdown from plain text, which their bytes cannot."""
    if not data.strip():
        raise UploadError("the file is empty")
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as e:
            raise UploadError(f"a broken zip archive ({e})") from None
        if "word/document.xml" in names:
            return ".docx"
        raise UploadError("a zip archive that is not a Word document (.docx)")
    if b"\x00" in data[:8192]:
        raise UploadError("a binary file, not text, PDF or Word (supported: txt, md, html, pdf, docx, jsonl)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UploadError(f"not UTF-8 text (invalid byte 0x{data[e.start]:02x} at offset {e.start}), and not a "
                          "PDF or Word file") from None
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(body|p|h1|div|article)[\s>]", head):
        return ".html"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines[:20]):
        try:
            if all(isinstance(json.loads(ln), dict) for ln in lines[:20]):
                return ".jsonl"
        except json.JSONDecodeError:
            pass
    if filename.lower().endswith((".md", ".markdown")) or re.search(r"(?m)^#{1,6} \S", text) or text.startswith("---\n"):
        return ".md"
    return ".txt"


def check_pdf(data: bytes, limits: Limits) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadError("an encrypted PDF: remove the password and upload it again")
        pages = len(reader.pages)
    except UploadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise UploadError(f"a broken PDF ({type(e).__name__}: {e})") from None
    if pages > limits.max_pages:
        raise UploadError(f"a PDF of {pages} pages; the limit is {limits.max_pages} (ASSISTANT_MAX_UPLOAD_PAGES)", 413)


@dataclass(frozen=True)
class Prepared:
    """An upload judged and read: the bytes to store, their kind and the documents indexing will find."""

    data: bytes
    kind: str  # as stored: a Word file is stored as the HTML it converts to
    documents: tuple[Document, ...]
    received: str  # as it came: ".docx" for a Word file


def prepare(data: bytes, filename: str, meta: dict[str, str], limits: Limits, scratch: Path) -> Prepared:
    """Judge an upload by its content and read it the way indexing will; refuse it with a reason."""
    if len(data) > limits.max_bytes:
        raise UploadError(f"the file is {size(len(data))}; the limit is {size(limits.max_bytes)} "
                          "(ASSISTANT_MAX_SOURCE_MB)", 413)
    kind = received = sniff(data, filename)
    if kind == ".pdf":
        check_pdf(data, limits)
    elif kind == ".docx":
        try:
            check_docx(data)
            data, kind = docx_to_html(data), ".html"
        except ValueError as e:
            raise UploadError(str(e)) from None
    scratch.mkdir(parents=True, exist_ok=True)
    probe = scratch / f"probe{kind}"
    probe.write_bytes(data)
    try:
        found = list(read_file(probe, probe.name, meta, limits.max_bytes))
    finally:
        probe.unlink(missing_ok=True)
    problems = [p.reason for p in found if not isinstance(p, Document)]
    documents = tuple(d for d in found if isinstance(d, Document))
    if not documents:
        raise UploadError(f"nothing readable in the file: {'; '.join(problems) or 'no text'}")
    if kind == ".jsonl" and problems:
        raise UploadError(f"{len(problems)} line(s) of the JSONL file cannot be read: {problems[0]}")
    return Prepared(data, kind, documents, received)


def clean_meta(meta: dict[str, str | None]) -> dict[str, str]:
    out = {}
    for k in META_FIELDS:
        v = (meta.get(k) or "").strip()
        if len(v) > MAX_META_CHARS:
            raise UploadError(f"{k} is {len(v)} characters; the limit is {MAX_META_CHARS}")
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in v):  # control characters (TOML forbids DEL)
            raise UploadError(f"{k} contains control characters")
        if k == "url" and v and not v.lower().startswith(("http://", "https://")):
            raise UploadError("url must start with http:// or https://")
        if v:
            out[k] = v
    return out


def new_id(title: str, taken: set[str]) -> str:
    """A safe, readable, unused id: the title's slug and a random suffix."""
    base = slug(title.lower())[:40].strip("-._") or "document"
    while True:
        candidate = f"{base}-{secrets.token_hex(3)}"
        if candidate not in taken:
            return candidate


# -- the uploads folder and its catalog ------------------------------------------------------------

def uploads_dir(sources: Path) -> Path:
    return sources / UPLOADS


def read_uploads(sources: Path) -> dict[str, dict[str, str]]:
    """id -> entry ({"file", "id", "title", ...}) of every uploaded document."""
    path = uploads_dir(sources) / CATALOG
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(e["id"]): {k: str(v) for k, v in e.items()} for e in data.get("source", []) if e.get("id")}


def toml_string(value: str) -> str:
    # A JSON string without ASCII escaping is a valid TOML basic string (same escapes; no surrogates).
    return json.dumps(value, ensure_ascii=False)


def catalog_text(entries: dict[str, dict[str, str]]) -> str:
    out = ["# Written by the assistant for documents added through the web page or the API.",
           "# Edit documents there (or move a file out of uploads/ to manage it by hand).", ""]
    for entry in entries.values():
        out.append("[[source]]")
        out += [f"{k} = {toml_string(v)}" for k, v in entry.items()]
        out.append("")
    return "\n".join(out)


@dataclass
class Change:
    """Files written into sources/uploads/ for one change, with what they replaced, so that a
    failed build can put everything back."""

    folder: Path
    made_folder: bool = False  # the uploads folder did not exist before this change
    backups: dict[Path, Path] = field(default_factory=dict)  # target -> its old copy, or a marker that it was new

    def write(self, target: Path, data: bytes) -> None:
        self._keep(target)
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)  # atomic: readers see the old file or the new one
        finally:
            tmp.unlink(missing_ok=True)

    def remove(self, target: Path) -> None:
        self._keep(target)
        target.unlink(missing_ok=True)

    def _keep(self, target: Path) -> None:
        """Before a file changes: a copy of it (`.bak`), or a marker that it did not exist (`.new`).
        Both stay on disk until the change is confirmed, so a process killed half way is undone on
        the next start (clean_leftovers)."""
        if target in self.backups:
            return
        token = secrets.token_hex(4)
        if target.exists():
            backup = self.folder / f".{target.name}.{token}.bak"
            shutil.copy2(target, backup)  # keeps the modification time: the index's file signatures match again
        else:
            backup = self.folder / f".{target.name}.{token}.new"
            backup.touch()
        self.backups[target] = backup

    def undo(self) -> None:
        for target, backup in self.backups.items():
            if backup.name.endswith(".new"):
                target.unlink(missing_ok=True)
                backup.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        self.backups.clear()
        if self.made_folder and not any(self.folder.iterdir()):
            self.folder.rmdir()

    def done(self) -> None:
        # The catalog's backup goes first: a crash part way then leaves only file markers, whose undo
        # on the next start removes a file the confirmed catalog no longer lists (never the reverse).
        for target in sorted(self.backups, key=lambda t: t.name != CATALOG):
            self.backups[target].unlink(missing_ok=True)
        self.backups.clear()


def file_name(doc_id: str, kind: str) -> str:
    return f"{doc_id}{kind}"


def stage(sources: Path, doc_id: str, edit: Callable[[Change, Path, dict], None], existing: bool = True) -> Change:
    """One change to sources/uploads/: `edit(change, folder, entries)` writes files through `change` and
    edits the catalog's entries, which are then written too. If any write fails, the ones made are
    undone, so sources/ is as it was. `existing`: the document must still be there (a change queued
    behind its removal fails)."""
    folder = uploads_dir(sources)
    change = Change(folder, made_folder=not folder.exists())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entries = read_uploads(sources)
        if existing and doc_id not in entries:
            raise UploadError(f"{doc_id!r} was removed meanwhile", 404)
        edit(change, folder, entries)
        change.write(folder / CATALOG, catalog_text(entries).encode())
    except BaseException:
        change.undo()
        raise
    return change


def stage_add(sources: Path, doc_id: str, prepared: Prepared, meta: dict[str, str], members: str = "") -> Change:
    """A new document, or a new file for one (its metadata kept unless `meta` changes it)."""
    def edit(change: Change, folder: Path, entries: dict) -> None:
        old = entries.get(doc_id)
        name = file_name(doc_id, prepared.kind)
        if old and old["file"] != name:
            change.remove(folder / old["file"])
        change.write(folder / name, prepared.data)
        kept = {k: v for k, v in (old or {}).items() if k in META_FIELDS}
        entries[doc_id] = {"file": name, "id": doc_id, **kept, **meta, **({"members": members} if members else {})}

    return stage(sources, doc_id, edit, existing=False)


def stage_meta(sources: Path, doc_id: str, meta: dict[str, str]) -> Change:
    def edit(change: Change, folder: Path, entries: dict) -> None:
        entries[doc_id] = {**entries[doc_id], **meta}

    return stage(sources, doc_id, edit)


def stage_remove(sources: Path, doc_id: str) -> Change:
    def edit(change: Change, folder: Path, entries: dict) -> None:
        change.remove(folder / entries.pop(doc_id)["file"])

    return stage(sources, doc_id, edit)


def clean_leftovers(sources: Path) -> None:
    """Undo a change the process did not live to confirm or undo: its backups are put back, files
    it added are removed, half-written files deleted. `sources/` is then as it was before it."""
    folder = uploads_dir(sources)
    if not folder.is_dir():
        return
    for p in sorted(folder.iterdir()):
        if not p.name.startswith("."):
            continue
        original = folder / p.name[1:].rsplit(".", 2)[0]
        if p.name.endswith(".tmp"):
            p.unlink(missing_ok=True)
        elif p.name.endswith(".bak"):
            os.replace(p, original)
        elif p.name.endswith(".new"):
            original.unlink(missing_ok=True)
            p.unlink(missing_ok=True)
    if not any(folder.iterdir()):
        folder.rmdir()  # made by the change that was undone
