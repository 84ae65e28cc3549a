"""Read source files into clean plain-text documents.

Every format is rendered to a list of blocks (headings, paragraphs, list items);
the blocks joined by blank lines are the document's text, the text that quote
offsets refer to and that the API serves. Files that cannot be read are reported
with a reason and skipped; the rest are still indexed.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import tomllib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jsonl")
CATALOG = "catalog.toml"
# Files in the sources folder that configure it rather than being sources.
CONFIG_FILES = {CATALOG, "actors.json", "readme.md", ".gitkeep"}


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "paragraph" | "item" | "link" (a list item that is only a link)
    start: int
    end: int
    level: int = 0  # headings: 1 is the document title, deeper numbers nest


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    publisher: str
    published: str
    url: str
    file: str  # path relative to the sources folder (plus ":line" for JSONL documents)
    text: str
    blocks: tuple[Block, ...]
    speaker: str = ""  # who says "I" when it is not the publisher (a speech by one person for a body)

    @property
    def content_hash(self) -> str:
        meta = json.dumps([self.id, self.title, self.publisher, self.published, self.url, self.speaker])
        return hashlib.sha256((meta + "\0" + self.text).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Problem:
    """A source that was skipped, and why."""

    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass
class RawBlock:
    kind: str
    text: str
    level: int = 0


@dataclass
class Loaded:
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Inline markup
# ---------------------------------------------------------------------------

IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
CODE = re.compile(r"`([^`]*)`")
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
COMMENT = re.compile(r"<!--.*?-->", re.S)
SPACES = re.compile(r"[ \t\u00a0\u2009\u200a\u202f]+")
# A word: two or more letters in a row, in any script. A text without one states no position ("1.5e-308",
# "G¥", a table of figures alone) and is refused with that reason rather than indexed as a document.
A_WORD = re.compile(r"[^\W\d_]{2}")
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\ufeff\u00ad]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_inline(text: str) -> str:
    """Markdown and HTML markup to plain text, whitespace collapsed to single spaces."""
    text = COMMENT.sub("", text)
    text = IMAGE.sub(r"\1", text)
    text = LINK.sub(r"\1", text)
    text = REF_LINK.sub(r"\1", text)
    text = TAG.sub("", text)
    text = html.unescape(text)
    text = BOLD.sub(r"\2", text)
    text = ITALIC.sub(lambda m: m.group(1) or m.group(2), text)
    text = CODE.sub(r"\1", text)
    text = ZERO_WIDTH.sub("", CONTROL.sub(" ", text))
    return SPACES.sub(" ", text.replace("\n", " ")).strip()


# ---------------------------------------------------------------------------
# Plain text and markdown to blocks
# ---------------------------------------------------------------------------

MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪◦–]|\d{1,3}[.)]|[a-z][.)]|\([a-z0-9]{1,3}\))\s+\S")
LINK_ONLY = re.compile(r"^\s*(?:[-*+•·▪◦–]|\d{1,3}[.)])\s+\[[^\]]+\]\([^)]*\)\s*[.;,]?\s*$")
BOLD_LINE = re.compile(r"^\s*(\*\*|__)([^*_].*?)\1\s*:?\s*$")
SETEXT = re.compile(r"^\s*(=+|-+)\s*$")
HR = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
DATE_LINE = re.compile(
    r"^(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+\d{4}|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})$",
    re.I,
)
TERMINAL = tuple('.!?:;"”’)')
FOOTNOTE_MARK = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s")

# Website residue: navigation, sharing, newsletter and contact boilerplate.
BOILERPLATE = re.compile(
    r"\b(share this|share on|register for|sign up|signup|subscribe|newsletter|privacy policy|cookie|"
    r"contact us|speak to us|get in touch|follow us|all rights reserved|terms of use|terms and conditions|"
    r"by submitting this form|complete the form|back to top|related articles|read more|skip to)\b|©|copyright",
    re.I,
)
PHONE = re.compile(r"^\+?[\d\s()-]{7,}$")


def words(text: str) -> int:
    return len(text.split())


SUBJECT_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "it"})


def title_case(text: str) -> bool:
    """Every word of four letters or more capitalised, and three or more of them: how titles are set,
    not sentences."""
    long = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) >= 4]
    return len(long) >= 3 and all(w[0].isupper() for w in long)


def is_heading_line(text: str) -> bool:
    """A short, title-like line: no sentence punctuation, starts with a capital or number."""
    t = text.strip()
    if not t or words(t) > 14 or len(t) > 120:
        return False
    if LIST_ITEM.match(t) and not re.match(r"^\d{1,2}[.)]\s+[A-Z]", t):
        return False
    if t.endswith("?"):
        return words(t) <= 8
    if t.endswith(".") and ". " not in t and ": " not in t and title_case(t):
        return True  # "The Judiciary Continued, and the Distribution of the Judicial Authority."
    if t.endswith(TERMINAL) or t.endswith(","):
        return False
    if t.endswith(":") and t.split()[0].lower() in SUBJECT_PRONOUNS:
        return False  # "He said:", "We recommend:": a sentence introducing what follows, not a title
    if DATE_LINE.match(t) or PHONE.match(t):
        return False
    first = t.lstrip("\"'“‘(")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def is_label(text: str) -> bool:
    """"Words by:", "Share:": a page's label. "He said:" is a sentence introducing a quotation."""
    t = text.strip()
    return t.endswith(":") and words(t) <= 3 and t.split()[0].lower() not in SUBJECT_PRONOUNS


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """`---` key: value lines `---` at the top of a text file."""
    m = re.match(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*\n", raw, re.S)
    if not m:
        return {}, raw
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, raw[m.end():]


def text_to_blocks(raw: str) -> list[RawBlock]:
    """Markdown or plain text (blank-line separated paragraphs) to blocks."""
    blocks: list[RawBlock] = []
    for para in re.split(r"\n[ \t]*\n", raw.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        # Setext headings: a line underlined with === or ---.
        if len(lines) == 2 and SETEXT.match(lines[1]) and not HR.match(lines[0]):
            level = 1 if lines[1].strip().startswith("=") else 2
            blocks.append(RawBlock("heading", clean_inline(lines[0]), level))
            continue
        pending: list[str] = []

        def flush(pending: list[str] = pending) -> None:
            if pending:
                blocks.append(RawBlock("paragraph", clean_inline(" ".join(pending))))
                pending.clear()

        for line in lines:
            if HR.match(line):
                flush()
                continue
            m = MD_HEADING.match(line)
            if m:
                flush()
                blocks.append(RawBlock("heading", clean_inline(m.group(2)), len(m.group(1))))
            elif BOLD_LINE.match(line) and len(lines) == 1:
                blocks.append(RawBlock("heading", clean_inline(line).rstrip(":"), 0))
            elif LIST_ITEM.match(line):
                flush()
                # An item that is nothing but a link ("- [X responds to Y](url)") is navigation: it stays
                # in the text but is not a statement anyone can be quoted as making.
                kind = "link" if LINK_ONLY.match(line) else "item"
                blocks.append(RawBlock(kind, clean_inline(line)))
            elif blocks and blocks[-1].kind == "item" and not pending and line[:1].isspace():
                blocks[-1].text += " " + clean_inline(line)  # continuation of a list item
            else:
                # In plain text a title-like line or an empty label ("Words by:") is a line of its
                # own even without a blank line after it; other lines are soft-wrapped prose.
                if pending and (is_heading_line(pending[-1]) or is_label(pending[-1])) and not line[:1].islower():
                    flush()
                pending.append(line)
        flush()
    return [b for b in blocks if b.text]


# ---------------------------------------------------------------------------
# Repairs that apply to every format
# ---------------------------------------------------------------------------

def rejoin_broken(blocks: list[RawBlock]) -> list[RawBlock]:
    """Re-join a sentence split by a page break: a paragraph without closing
    punctuation followed by one that starts in lower case."""
    out: list[RawBlock] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and b.kind == "paragraph"
            and prev.kind in ("paragraph", "item")
            and b.text[:1].islower()
            and not prev.text.endswith(TERMINAL)
        ):
            prev.text = prev.text + " " + b.text
            continue
        out.append(b)
    return out


def drop_residue(blocks: list[RawBlock]) -> list[RawBlock]:
    """Drop website residue by general rules: page chrome repeated back to back,
    empty labels ("Words by:"), and a tail of sharing/newsletter/contact boilerplate."""
    # A block repeated immediately is a page header, not content: headings never repeat back to back.
    repeated = {i for i in range(len(blocks) - 1) if blocks[i].text == blocks[i + 1].text}
    repeated |= {i + 1 for i in repeated}
    kept = [b for i, b in enumerate(blocks) if i not in repeated]

    def is_boiler(b: RawBlock) -> bool:
        return bool(BOILERPLATE.search(b.text) or PHONE.match(b.text))

    # Tail: from the end, short lines and boilerplate; cut it if it holds at least two boilerplate lines.
    cut = len(kept)
    hits = 0
    for i in range(len(kept) - 1, -1, -1):
        b = kept[i]
        boiler = is_boiler(b)
        if boiler or (words(b.text) <= 8 and not b.text.endswith((".", "!", "?"))):
            hits += boiler
            if hits >= 2:
                cut = i
            continue
        break
    if hits >= 2:
        # Extend the cut back to the first boilerplate-or-short line of the run.
        while cut > 0 and (is_boiler(kept[cut - 1]) or (words(kept[cut - 1].text) <= 8 and not kept[cut - 1].text.endswith((".", "!", "?")))):
            cut -= 1
        kept = kept[:cut]

    # Empty labels: "Words by:" with nothing after it on the line.
    out = []
    for i, b in enumerate(kept):
        nxt = kept[i + 1] if i + 1 < len(kept) else None
        if is_label(b.text) and (nxt is None or nxt.kind != "item"):
            continue
        out.append(b)
    return out


def mark_headings(blocks: list[RawBlock]) -> list[RawBlock]:
    """Plain-text paragraphs that look like titles become headings."""
    for i, b in enumerate(blocks):
        if b.kind != "paragraph" or not is_heading_line(b.text):
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        # A heading introduces something; a lone last line or a line followed by
        # lower-case text (a broken sentence) is not one.
        if nxt is None or nxt.text[:1].islower():
            continue
        b.kind = "heading"
    return blocks


def assemble(blocks: list[RawBlock]) -> tuple[str, tuple[Block, ...]]:
    """Join blocks with blank lines and record each block's offsets."""
    parts: list[str] = []
    out: list[Block] = []
    pos = 0
    for b in blocks:
        if parts:
            parts.append("\n\n")
            pos += 2
        out.append(Block(b.kind, pos, pos + len(b.text), b.level))
        parts.append(b.text)
        pos += len(b.text)
    return "".join(parts), tuple(out)


def finish(blocks: list[RawBlock]) -> list[RawBlock]:
    blocks = [b for b in blocks if b.text.strip()]
    blocks = drop_residue(blocks)
    blocks = rejoin_broken(blocks)
    return mark_headings(blocks)


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------

def decode_text(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 text (invalid byte 0x{data[e.start]:02x} at offset {e.start})") from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise ValueError("binary file (control characters), not text")
    return text


def html_to_blocks(markup: str) -> tuple[dict[str, str], list[RawBlock]]:
    from bs4 import BeautifulSoup  # only HTML sources pay for the parser import

    soup = BeautifulSoup(markup, "html.parser")
    meta: dict[str, str] = {}
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        if key in ("og:site_name", "author", "publisher") and tag.get("content"):
            meta.setdefault("publisher", tag["content"].strip())
        elif key in ("article:published_time", "date", "dc.date") and tag.get("content"):
            meta.setdefault("published", tag["content"].strip()[:10])
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg", "iframe"]):
        tag.decompose()
    blocks: list[RawBlock] = []
    body = soup.body or soup
    for el in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "th", "dt", "dd"]):
        # Only innermost block elements, so nested markup is not read twice.
        if el.find(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td"]):
            continue
        text = clean_inline(el.get_text(" "))
        if not text:
            continue
        if el.name[0] == "h" and el.name[1:].isdigit():
            blocks.append(RawBlock("heading", text, int(el.name[1:])))
        elif el.name == "li":
            only_link = el.find("a") is not None and clean_inline(el.find("a").get_text(" ")) == text
            blocks.append(RawBlock("link" if only_link else "item", text))
        else:
            blocks.append(RawBlock("paragraph", text))
    if not blocks:
        text = body.get_text("\n")
        blocks = text_to_blocks(html.escape(text, quote=False))
    return meta, blocks


def pdf_to_blocks(path: Path) -> tuple[dict[str, str], list[RawBlock]]:
    from pypdf import PdfReader  # only PDF sources pay for the parser import

    try:
        reader = PdfReader(str(path))
        pages = [(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata or {}
    except Exception as e:  # pypdf raises many types for damaged files
        raise ValueError(f"unreadable PDF ({type(e).__name__}: {e})") from None
    meta = {}
    if info.get("/Title"):
        meta["title"] = str(info["/Title"]).strip()
    if info.get("/Author"):
        meta["publisher"] = str(info["/Author"]).strip()
    # Running headers and footers: lines that recur on most pages.
    page_lines = [[ln.strip() for ln in p.splitlines() if ln.strip()] for p in pages]
    counts: dict[str, int] = {}
    for lines in page_lines:
        for ln in set(lines[:3] + lines[-3:]):
            key = re.sub(r"\d+", "#", ln)
            counts[key] = counts.get(key, 0) + 1
    running = {k for k, n in counts.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2)}
    paras: list[str] = []
    for lines in page_lines:
        current: list[str] = []
        for ln in lines:
            if re.sub(r"\d+", "#", ln) in running:
                continue
            current.append(ln)
            # PDF text has a line per printed line: a paragraph ends where a line ends a sentence
            # and is visibly shorter than a full line.
            if ln.endswith((".", "!", "?", ":")) and len(ln) < 60:
                paras.append(" ".join(current))
                current = []
        if current:
            paras.append(" ".join(current))
    blocks = text_to_blocks("\n\n".join(paras))
    if not blocks:
        raise ValueError("PDF has no extractable text (scanned images need OCR first)")
    return meta, blocks


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return s[:80] or "source"


def make_document(doc_id: str, file: str, blocks: list[RawBlock], meta: dict[str, str]) -> Document:
    blocks = finish(blocks)
    if not blocks:
        raise ValueError("no text after cleaning")
    if not any(A_WORD.search(b.text) for b in blocks):
        raise ValueError("no words in the text, only figures or symbols")
    title = meta.get("title", "")
    first = blocks[0]
    title_like = words(first.text) <= 24 and not first.text.endswith((".", "!", ":", ";"))
    if first.kind == "heading" or title_like:
        first.kind, first.level = "heading", 1
        title = title or first.text
    if not title:
        title = first.text if words(first.text) <= 16 else " ".join(first.text.split()[:12]) + "…"
    text, spans = assemble(blocks)
    return Document(
        id=doc_id,
        title=title,
        publisher=meta.get("publisher", ""),
        published=str(meta.get("published", "")),
        url=meta.get("url", ""),
        file=file,
        text=text,
        blocks=spans,
        speaker=meta.get("speaker", ""),
    )


# ---------------------------------------------------------------------------
# Word files
# ---------------------------------------------------------------------------

# A .docx is a zip: refuse archives that would inflate beyond this, or by more than this ratio (zip bombs).
MAX_UNZIPPED = 100_000_000
MAX_RATIO = 100
# mammoth holds a document's XML as a tree (about 30x its size in memory): 25 MB of XML is a very long
# report (several thousand pages) and still a few hundred MB to convert.
MAX_DOCUMENT_XML = 25_000_000


def check_docx(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ValueError(f"a broken Word file ({e})") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
            raise ValueError(f"a Word file that inflates {info.file_size // max(1, info.compress_size)}-fold "
                             f"({info.filename}): refused as a possible zip bomb")
        if info.filename == "word/document.xml" and info.file_size > MAX_DOCUMENT_XML:
            raise ValueError(f"a Word file whose text part is {info.file_size / 1e6:.0f} MB of XML; the limit is "
                             f"{MAX_DOCUMENT_XML / 1e6:.0f} MB")
    if total > MAX_UNZIPPED:
        raise ValueError(f"a Word file that unpacks to {total / 1e6:.0f} MB: refused as a possible zip bomb")
    try:
        damaged = archive.testzip()
    except (NotImplementedError, RuntimeError, EOFError, zlib.error) as e:
        raise ValueError(f"a broken Word file ({type(e).__name__}: {e})") from None
    if damaged is not None:
        raise ValueError("a broken Word file (a damaged part inside)")


def docx_to_html(data: bytes) -> bytes:
    """A Word file as HTML (headings, paragraphs, lists), by mammoth: read like any HTML source."""
    import mammoth

    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - mammoth raises many kinds for damaged documents
        raise ValueError(f"a broken Word file ({type(e).__name__}: {e})") from None
    core = docx_properties(data)
    head = "".join(f'<meta name="{k}" content="{escape_attr(v)}">' for k, v in core.items() if k != "title")
    title = f"<title>{escape_attr(core['title'])}</title>" if core.get("title") else ""
    return f"<!doctype html><html><head>{title}{head}</head><body>{result.value}</body></html>".encode()


def escape_attr(text: str) -> str:
    return html.escape(text, quote=True)


def docx_properties(data: bytes) -> dict[str, str]:
    """Title and author (as publisher) from a Word file's core properties, when it says them. Not its
    `created` date: that is when the file or its template was made (python-docx's template says
    2013-12-23 for every file it writes), not when the document was published."""
    from xml.etree import ElementTree

    try:
        xml = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")
        root = ElementTree.fromstring(xml)
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):
        return {}
    out = {}
    for el in root:
        tag = el.tag.rsplit("}", 1)[-1]
        text = (el.text or "").strip()
        if text and tag == "title":
            out["title"] = text
        elif text and tag == "creator":
            out["author"] = text
    return out


def read_catalog(folder: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Metadata by file path (relative to `folder`) from every catalog.toml in the tree: each
    describes the files of its own folder (`sources/uploads/catalog.toml` is written by the
    assistant for uploaded documents; the top one is the user's)."""
    out: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for path in sorted(folder.rglob(CATALOG), key=lambda p: len(p.parts)):
        rel_dir = path.parent.relative_to(folder)
        if any(part.startswith(".") for part in rel_dir.parts):
            continue
        where = (rel_dir / CATALOG).as_posix()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            problems.append(Problem(where, f"catalog ignored, not valid TOML: {e}"))
            continue
        for entry in data.get("source", []):
            if isinstance(entry, dict) and entry.get("file"):
                out[(rel_dir / str(entry["file"])).as_posix()] = {k: str(v) for k, v in entry.items() if k != "file"}
    return out, problems


def iter_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_dir():
            continue
        yield path


def read_file(path: Path, rel: str, meta: dict[str, str], max_bytes: int) -> Iterator[Document | Problem]:
    """One file to documents (JSONL holds many), or problems saying why not."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield Problem(rel, f"unsupported file type '{suffix or '(none)'}' (supported: {', '.join(SUPPORTED)})")
        return
    size = path.stat().st_size
    if size == 0:
        yield Problem(rel, "empty file")
        return
    if size > max_bytes:
        yield Problem(rel, f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB, ASSISTANT_MAX_SOURCE_MB)")
        return
    try:
        if suffix == ".pdf":
            file_meta, blocks = pdf_to_blocks(path)
            yield make_document(meta.get("id") or slug(path.stem), rel, blocks, {**file_meta, **meta})
            return
        if suffix == ".docx":
            data = path.read_bytes()
            check_docx(data)
            file_meta, blocks = html_to_blocks(docx_to_html(data).decode())
            yield make_document(meta.get("id") or slug(path.stem), rel, blocks, {**file_meta, **meta})
            return
        text = decode_text(path.read_bytes())
        if not text.strip():
            yield Problem(rel, "empty file (only whitespace)")
            return
        if suffix == ".jsonl":
            yield from read_jsonl(text, rel, meta)
            return
        if suffix in (".html", ".htm"):
            file_meta, blocks = html_to_blocks(text)
        else:
            file_meta, body = split_front_matter(text)
            blocks = text_to_blocks(body)
        yield make_document(meta.get("id") or file_meta.get("id") or slug(path.stem), rel, blocks, {**file_meta, **meta})
    except ValueError as e:
        yield Problem(rel, str(e))


def read_jsonl(text: str, rel: str, defaults: dict[str, str]) -> Iterator[Document | Problem]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{rel}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield Problem(where, f"line is not valid JSON ({e.msg})")
            continue
        if not isinstance(rec, dict):
            yield Problem(where, "line is not a JSON object")
            continue
        body = rec.get("text")
        if not isinstance(body, str) or not body.strip():
            yield Problem(where, "missing or empty 'text'")
            continue
        doc_id = rec.get("id")
        if not isinstance(doc_id, (str, int)) or not str(doc_id).strip():
            yield Problem(where, "missing 'id'")
            continue
        meta = {k: str(rec[k]) for k in ("title", "publisher", "speaker", "published", "url") if rec.get(k)}
        meta = {**{k: v for k, v in defaults.items() if k != "id"}, **meta}
        try:
            yield make_document(slug(str(doc_id)), where, text_to_blocks(body), meta)
        except ValueError as e:
            yield Problem(where, str(e))


def load_sources(folder: Path, max_bytes: int = 50_000_000) -> Loaded:
    """Every readable document under `folder`, and a problem for each file that is not.

    Symlinks that lead outside the folder are refused: indexing reads nothing it was not given.
    """
    loaded = Loaded()
    if not folder.is_dir():
        loaded.problems.append(Problem(str(folder), "sources folder does not exist"))
        return loaded
    root = folder.resolve()
    catalog, problems = read_catalog(folder)
    loaded.problems.extend(problems)
    seen: dict[str, str] = {}
    for path in iter_files(folder):
        rel = path.relative_to(folder).as_posix()
        if rel.lower() in CONFIG_FILES or path.name.lower() in CONFIG_FILES:
            continue
        real = path.resolve()
        if not real.is_relative_to(root):
            loaded.problems.append(Problem(rel, "symlink to a file outside the sources folder; not read"))
            continue
        if not real.is_file():
            loaded.problems.append(Problem(rel, "not a regular file"))
            continue
        for item in read_file(real, rel, catalog.get(rel, {}), max_bytes):
            if isinstance(item, Problem):
                loaded.problems.append(item)
            elif item.id in seen:
                loaded.problems.append(Problem(item.file, f"duplicate source id '{item.id}' (already used by {seen[item.id]}); skipped"))
            else:
                seen[item.id] = item.file
                loaded.documents.append(item)
    return loaded
