"""The index on disk: a folder of plain files, built aside and swapped in atomically.

index/
  current -> build-20261125T072435-1234   (symlink, replaced atomically)
  build-.../
    manifest.json      format, model, dimension, chunking, per-source hashes, file signatures
    documents.jsonl    each source's metadata, normalised text and blocks (what offsets refer to)
    chunks.jsonl       passages; row i is row i of the store's chunks table
    sentences.jsonl    sentences; row i is row i of the store's sentences table
    signals.npz        what each sentence is, for ranking: furniture, procedural, a question ... (signals.py)
    chunks.faiss, sentences.faiss, bm25_chunks/, bm25_sentences/
                       the vectors and BM25 postings of the same rows, in the embedded store; with
                       ASSISTANT_MILVUS_URI they are in Milvus instead, and the manifest's "store" names the
                       collections (stores/)
  .lock                held while a build runs
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import __version__
from ..errors import AssistantError, IndexBusyError, IndexMismatchError, IndexMissingError
from ..language import terms
from ..language.actors import Actors, Cast, build_cast, own_name, read_user_actors
from ..language.embed import encode_with_progress, index_vectors
from ..language.facts import Facts
from ..language.parse import entity_kind, parse, recipe
from ..settings import Settings
from ..stores import Columns, Table, describe, open_tables, store_key, writer, written_for
from .attribution import attribute_document, main_label
from .chunk import Chunked, ChunkParams, chunk_document
from .ingest import Block, Document, Problem, load_sources
from .rows import ChunkRow, DocInfo, SentenceRow
from .signals import Signals, paragraph_numbers, read_signals
from .stored import Held
from .texts import bm25_text, embed_key, sentence_embed_text

if TYPE_CHECKING:
    from ..language.embed import Embedder

FORMAT_VERSION = 6  # 5: vectors and postings behind a store (stores/); 6: signals.npz
# Bump when the text given to the embedder changes, so old vectors are not reused.
EMBED_RECIPE = 2
CURRENT = "current"


@dataclass
class BuildReport:
    path: Path
    documents: int
    chunks: int
    sentences: int
    embedded_sources: int
    reused_sources: int
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


# ---------------------------------------------------------------------------
# Source signatures: cheap staleness checks without reading every file
# ---------------------------------------------------------------------------

def file_signatures(folder: Path) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(p.startswith(".") for p in rel.parts):
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            out[rel.as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def user_actors_fingerprint(settings: Settings) -> str:
    """The user's actors.json as it stands (the rest of the cast comes from the sources themselves)."""
    return Actors(read_user_actors(settings.actors_path())).fingerprint()


def reading_recipe() -> str:
    """The code that turns files into text, paragraphs, sentences and BM25 terms: an index read by other
    code is stale (its offsets may not match the text the sources now give, nor its terms a question's)."""
    import hashlib
    from importlib import resources

    h = hashlib.sha256()
    # terms: the BM25 tokens; signals: what each sentence is, which ranking reads from the build
    for name in ("building/ingest.py", "building/chunk.py", "language/terms.py", "building/signals.py"):
        h.update(resources.files("assistant").joinpath(name).read_bytes())
    return h.hexdigest()[:12]


def expected_manifest_keys(settings: Settings) -> dict[str, Any]:
    wanted = {"format": FORMAT_VERSION, "version": __version__}
    # int8 index vectors differ from exact ones: an index holds one kind, the one the settings ask for
    # (under `auto`, whichever the model was built with).
    if index_vectors(settings) is not None:
        wanted["vectors"] = index_vectors(settings)
    return wanted | {
        "embed_recipe": EMBED_RECIPE,
        "model": settings.model,
        "chunking": asdict(ChunkParams()),
        "reading": reading_recipe(),
        "actors": user_actors_fingerprint(settings),
        "parser": recipe(),
        "store": store_key(settings),
    }


# ---------------------------------------------------------------------------
# Paths, lock
# ---------------------------------------------------------------------------

def current_build(index_dir: Path) -> Path | None:
    link = index_dir / CURRENT
    if link.is_symlink() or link.is_dir():
        target = link.resolve()
        return target if target.is_dir() else None
    return None


@contextmanager
def build_lock(index_dir: Path, wait: bool = False) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise IndexBusyError(f"another process is building the index in {index_dir}; try again when it ends") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process is killed


def index_status(settings: Settings) -> str:
    """'ok', 'missing', or 'stale: <why>' without loading vectors or models."""
    build = current_build(settings.index_dir)
    if build is None:
        return "missing"
    try:
        manifest = json.loads((build / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError):
        return "stale: manifest unreadable"
    try:
        expected = expected_manifest_keys(settings)
    except Exception as e:  # an unreadable actors.json: say so when building, where it is reported
        return f"stale: {e}"
    for key, want in expected.items():
        if (written_for(manifest.get(key)) if key == "store" else manifest.get(key)) != want:
            return f"stale: {key} changed ({manifest.get(key)!r} -> {want!r})"
    if manifest.get("files") != file_signatures(settings.sources_dir):
        return "stale: source files changed"
    return "ok"


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

def vector_kind(embedder) -> str:
    """'exact', or how the model was approximated (int8)."""
    return getattr(embedder, "vectors", "exact")


def previous_vectors(settings: Settings, dim: int, kind: str) -> dict[str, np.ndarray]:
    """Vectors of the current build by the hash of the text they embed, when they can be reused."""
    build = current_build(settings.index_dir)
    if build is None:
        return {}
    try:
        manifest = json.loads((build / "manifest.json").read_text())
        same = (manifest.get("model"), manifest.get("dim"), manifest.get("embed_recipe"), manifest.get("vectors", "exact"),
                manifest.get("format"), written_for(manifest.get("store")))
        if same != (settings.model, dim, EMBED_RECIPE, kind, FORMAT_VERSION, store_key(settings)):
            return {}
        tables = open_tables(settings, build, manifest)
        out: dict[str, np.ndarray] = {}
        for name, table in tables.items():
            out.update(table.vectors([r["key"] for r in read_jsonl(build / f"{name}.jsonl")]))
        return out
    except Exception:  # a damaged previous build (or a store gone) just means re-embedding everything
        return {}


def build_index(
    settings: Settings,
    embedder: Embedder,
    progress: bool = True,
    log: Callable[[str], None] = print,
    wait_for_lock: bool = False,
    reuse: bool = True,
    on_progress: Callable[[str, int, int], None] | None = None,
    ray: str | None = None,
) -> BuildReport:
    """Read, chunk and embed the sources and swap a new build in. Sources whose content is
    unchanged reuse their vectors from the current build. `on_progress(stage, done, total)` hears
    how far parsing and embedding are (the upload jobs show it). `ray`: chunk, parse and embed the documents
    in Ray Data tasks (bulk.py) on the Ray cluster at this address ("local": one started here) instead of
    in this process; the index is the same."""
    tell = on_progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    with build_lock(settings.index_dir, wait=wait_for_lock):
        signatures = file_signatures(settings.sources_dir)
        loaded = load_sources(settings.sources_dir, int(settings.max_source_mb * 1_000_000))
        for p in loaded.problems:
            log(f"skipped {p}")
        user = read_user_actors(settings.actors_path())
        params = ChunkParams(max_tokens=min(ChunkParams().max_tokens, embedder.max_tokens - 6))
        dim = embedder.dim
        # Vectors of texts embedded before are kept, unless the current build is suspect.
        known = previous_vectors(settings, dim, vector_kind(embedder)) if reuse else {}

        known_facts = previous_facts(settings) if reuse else {}
        if ray is None:
            chunked, facts, vectors_of = local_stages(loaded.documents, embedder, params, known, known_facts, progress, tell)
        else:
            from .bulk import ray_stages

            chunked, facts, vectors_of = ray_stages(settings, loaded.documents, params, ray, progress, log)
        ctexts = [ch.embed_text for _, c in chunked for ch in c.chunks]
        stexts = [sentence_embed_text(doc, s.section, s.context, s.text) for doc, c in chunked for s in c.sentences]
        skeys = [embed_key(t) for t in stexts]  # in sentence order: the rows below take theirs from here
        ckeys = [embed_key(t) for t in ctexts]
        chunked = own_publishers(chunked, facts)
        actors = build_cast(gather_cast(chunked, facts), user)
        chunk_rows: list[ChunkRow] = []
        sentence_rows: list[SentenceRow] = []
        pos = 0
        for doc, c in chunked:
            base = len(chunk_rows)
            for ch in c.chunks:
                chunk_rows.append(ChunkRow(doc.id, ch.ordinal, ch.section, ch.start, ch.end, ckeys[base + ch.ordinal]))
            doc_facts = facts[pos:pos + len(c.sentences)]
            doc_keys = skeys[pos:pos + len(c.sentences)]
            pos += len(c.sentences)
            attributed = attribute_document(doc.title, doc.publisher, doc.speaker, c.sentences, doc_facts, actors)
            for s, f, key, (actor, stance, person) in zip(c.sentences, doc_facts, doc_keys, attributed):
                sentence_rows.append(SentenceRow(
                    doc.id, base + s.chunk, s.section, s.start, s.end, s.block_start, s.block_end, s.context,
                    actor, key, embed_key(s.text), s.item, stance, f.kinds, tuple(f.to_json()), person, f.against))
        fresh = vectors_of()
        # Only texts not embedded before went to the model.
        keyed = [(r.key, r.source_id) for r in chunk_rows] + [(r.key, r.source_id) for r in sentence_rows]
        vectors = np.stack([fresh[k] if k in fresh else known[k] for k, _ in keyed]) if keyed else np.zeros((0, dim), np.float32)
        changed = {sid for k, sid in keyed if k in fresh}
        n_c, n_s = len(chunk_rows), len(sentence_rows)

        manifest = {
            **expected_manifest_keys(settings),
            "vectors": vector_kind(embedder),  # what was built, which load_index checks against the settings
            "dim": dim,
            "model_path": str(getattr(embedder, "path", "")),
            "sources": {d.id: {"file": d.file, "hash": d.content_hash} for d, _ in chunked},
            "files": signatures,
            "problems": [asdict(p) for p in loaded.problems],
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "counts": {"documents": len(chunked), "chunks": len(chunk_rows), "sentences": len(sentence_rows),
                       "actors": len(actors.actors)},
        }
        tell("writing", 0, 1)
        path = write_build(
            settings, manifest, [d for d, _ in chunked], chunk_rows, sentence_rows, actors,
            vectors[:n_c], vectors[n_c:n_c + n_s],
        )
    return BuildReport(path, len(chunked), len(chunk_rows), len(sentence_rows), len(changed),
                       len(chunked) - len(changed), loaded.problems, time.perf_counter() - started)


def local_stages(documents: list[Document], embedder: Embedder, params: ChunkParams, known: dict, known_facts: dict,
                 progress: bool, tell: Callable[[str, int, int], None]):
    """Chunk, parse and embed in this process: the chunks, every sentence's facts in order, and a function
    that waits for the vectors of the texts not in `known` (by key)."""
    chunked: list[tuple[Document, Chunked]] = [(doc, chunk_document(doc, embedder.count_tokens, params)) for doc in documents]
    tell("reading", 1, 1)
    # What the model embeds comes from chunking alone, so embedding runs on its own thread while the parse
    # (spaCy, mostly one core) runs here: on two cores the two overlap, and so does building the rows.
    texts = embed_texts(chunked)
    todo = [(k, t) for k, t in texts.items() if k not in known]
    pool = ThreadPoolExecutor(1, thread_name_prefix="embed")
    encoding = pool.submit(encode_with_progress, embedder, [t for _, t in todo], progress, tell)
    pool.shutdown(wait=False)
    facts = parse_all(chunked, known_facts, progress, tell)
    return chunked, facts, lambda: dict(zip((k for k, _ in todo), encoding.result()))


def embed_texts(chunked: list[tuple[Document, Chunked]]) -> dict[str, str]:
    """Each text the model embeds (passages, then sentences with their heading and context) by its key."""
    ctexts = [ch.embed_text for _, c in chunked for ch in c.chunks]
    stexts = [sentence_embed_text(doc, s.section, s.context, s.text) for doc, c in chunked for s in c.sentences]
    return {embed_key(t): t for t in ctexts + stexts}


def parse_all(chunked: list[tuple[Document, Chunked]], known: dict, progress: bool,
              tell: Callable[[str, int, int], None] = lambda *a: None) -> list:
    """Parse facts of every sentence, in order; sentences parsed by the current build are not parsed again."""
    from tqdm import tqdm

    keys = [embed_key(s.text) for _, c in chunked for s in c.sentences]
    texts = {embed_key(s.text): s.text for _, c in chunked for s in c.sentences}
    todo = [k for k in dict.fromkeys(keys) if k not in known]
    fresh = {}
    with tqdm(total=len(todo), desc="parsing", unit="sentence", disable=not progress or not todo) as bar:
        for i, (k, f) in enumerate(zip(todo, parse(texts[k] for k in todo)), 1):
            fresh[k] = f
            bar.update()
            if i % 64 == 0 or i == len(todo):
                tell("parsing", i, len(todo))
    return [fresh[k] if k in fresh else known[k] for k in keys]


def previous_facts(settings: Settings) -> dict:
    """Parse facts of the current build by the hash of the sentence text."""
    build = current_build(settings.index_dir)
    if build is None:
        return {}
    try:
        manifest = json.loads((build / "manifest.json").read_text())
        if manifest.get("parser") != recipe() or manifest.get("format") != FORMAT_VERSION:
            return {}
        return {r["bare_key"]: Facts.from_json(r["facts"]) for r in read_jsonl(build / "sentences.jsonl") if r.get("facts")}
    except Exception:  # a damaged previous build just means parsing everything again
        return {}


ENTITY_HOLDERS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def clean_entity(text: str) -> str:
    """An entity's name as the cast keeps it: without "the", a possessive or a bracketed acronym."""
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    text = re.sub(r"\s*\([^)]*\)?$", "", text)  # "Ministry of Lamps (MoL)"; the acronym becomes an alias
    return re.sub(r"['’]s?$", "", text).strip()


def own_publishers(chunked: list[tuple[Document, Chunked]], facts: list) -> list[tuple[Document, Chunked]]:
    """A document with neither publisher nor speaker takes as publisher the body it names as itself in its
    opening statements or title (actors.own_name): its "we" and "the Association" are that body's, and the
    citation names it."""
    out, pos = [], 0
    for doc, c in chunked:
        if not doc.publisher and not doc.speaker:
            name = own_name(doc.title, facts[pos:pos + len(c.sentences)])
            if name:
                doc = replace(doc, publisher=name)
        out.append((doc, c))
        pos += len(c.sentences)
    return out


SPOKESPERSON_SHARE = 0.7  # of a document's transcript turns' sentences, spoken by one label


def gather_cast(chunked: list[tuple[Document, Chunked]], facts: list) -> Cast:
    """The corpus's own evidence of who speaks: catalog voices, other speakers' transcript turns,
    named entities that hold a view somewhere, and the acronyms the texts define."""
    cast = Cast()
    spoken: dict[str, str] = {}
    for doc, c in chunked:
        for name in (doc.publisher, doc.speaker):
            if name and name not in cast.voices:
                cast.voices[name] = entity_kind(name)
        main = main_label(c.sentences)
        for s in c.sentences:
            if s.speaker and s.speaker != main and s.speaker not in cast.voices:
                cast.voices[s.speaker] = "person"
        turns = [s.speaker for s in c.sentences if s.speaker]
        if main and doc.publisher and main != doc.publisher and turns.count(main) >= SPOKESPERSON_SHARE * len(turns):
            # one speaker holds the document: the body's witness or counsel (not a debate's busiest member)
            spoken[main] = doc.publisher if spoken.get(main, doc.publisher) == doc.publisher else ""
    for f in facts:
        labels = {}
        for text, label in f.entities:
            name = clean_entity(text)
            labels[text] = label
            if label == "PERSON" and len(name.split()) >= 2:
                cast.people.add(name)
        if f.holder_kind == "name" and f.agentive:
            for text in f.holder_entities:
                if labels.get(text) in ENTITY_HOLDERS:
                    name = clean_entity(text)
                    old = cast.holders.get(name, (labels[text], 0))
                    cast.holders[name] = (old[0], old[1] + 1)
    cast.spokespeople = {person: body for person, body in spoken.items() if body and person not in cast.voices}
    text = "\n".join(d.text for d, _ in chunked)
    cast.acronyms = terms.find_acronyms(text, as_written=True)
    cast.capitals = set(re.findall(r"\b[A-Z]{2,}\b", text))
    return cast


def write_build(settings: Settings, manifest: dict, docs: list[Document], chunk_rows: list[ChunkRow],
                sentence_rows: list[SentenceRow], actors: Actors, cvec: np.ndarray, svec: np.ndarray) -> Path:
    """Write a build aside, its vectors and postings to the store, then make it current in one step."""
    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"build-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    by_id = {d.id: d for d in docs}
    places = write_jsonl(tmp / "documents.jsonl", (doc_record(d) for d in docs))
    write_json(tmp / "catalog.json", [doc_info(d) | {"at": at, "size": size} for d, (at, size) in zip(docs, places)])
    write_jsonl(tmp / "chunks.jsonl", (asdict(r) for r in chunk_rows))
    write_jsonl(tmp / "sentences.jsonl", (asdict(r) for r in sentence_rows))
    (tmp / "actors.json").write_text(json.dumps(actors.to_json(), indent=1, ensure_ascii=False))
    paragraph = paragraph_numbers(sentence_rows)
    signals = read_signals(by_id, sentence_rows, actors, svec, paragraph)
    np.savez(tmp / "signals.npz", **signals.to_arrays())
    voice = {d.id: actors.voice_of(d.publisher, d.speaker) for d in docs}
    speaker = {d.id: actors.speaker_of(d.speaker) for d in docs}
    write_json(tmp / "summary.json", summarise(docs, chunk_rows, sentence_rows, actors, voice, speaker, paragraph))
    write_json(tmp / "vocabulary.json", terms.vocabulary(d.text for d in docs))
    joined = "\n".join(d.text for d in docs)
    acronyms = terms.find_acronyms(joined)
    acronyms |= terms.initialisms(joined, acronyms)
    ctoks = [terms.index_tokens(by_id[r.source_id].text[r.start:r.end] + " " + " ".join(r.section[-1:]), acronyms)
             for r in chunk_rows]
    stoks = [terms.index_tokens(bm25_text(r.section, r.context, by_id[r.source_id].text[r.start:r.end]), acronyms)
             for r in sentence_rows]
    vocab: dict[str, int] = {}
    for t in stoks:
        for w in set(t):
            vocab[w] = vocab.get(w, 0) + 1
    (tmp / "terms.json").write_text(json.dumps({"df": vocab, "acronyms": acronyms}))
    # What a server that holds no rows reads of each row with its candidates (stored.py); the embedded store
    # keeps the rows in the files above instead.
    signal_columns = signals.to_arrays()
    chunk_records = [asdict(r) for r in chunk_rows]
    sentence_records = [{**{k: v for k, v in asdict(r).items() if k != "facts"}, "paragraph": int(paragraph[i]),
                         **{k: signal_columns[k][i].item() for k in signal_columns}} for i, r in enumerate(sentence_rows)]
    tables = {
        "chunks": Columns([r.key for r in chunk_rows], cvec, ctoks, {"source": [r.source_id for r in chunk_rows]},
                          chunk_records),
        "sentences": Columns([r.key for r in sentence_rows], svec, stoks, {
            "source": [r.source_id for r in sentence_rows],
            "actor": [r.actor for r in sentence_rows],
            "person": [r.person for r in sentence_rows],
            "voice": [voice[r.source_id] for r in sentence_rows],
            "speaker": [speaker[r.source_id] for r in sentence_rows],
            "kinds": [list(r.kinds) for r in sentence_rows],
            "date": [by_id[r.source_id].published or None for r in sentence_rows],
            "chunk": [r.chunk for r in sentence_rows],
            "paragraph": paragraph.tolist(),
        }, sentence_records),
    }
    store = writer(settings)
    previous = current_build(index_dir)
    try:
        before = json.loads((previous / "manifest.json").read_text()).get("store") if previous else None
    except (OSError, json.JSONDecodeError):
        before = None
    manifest = {**manifest, "store": store.write(tmp, name, tables)}
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
    fsync_tree(tmp)
    final = index_dir / name
    os.rename(tmp, final)
    # Swap the `current` symlink atomically: readers see the old build or the new one, never half.
    link_tmp = index_dir / f".{CURRENT}-{name}"
    os.symlink(name, link_tmp)
    os.replace(link_tmp, index_dir / CURRENT)
    fsync_dir(index_dir)
    store.publish(manifest["store"], before)
    prune(index_dir, keep=final)
    return final


def prune(index_dir: Path, keep: Path) -> None:
    """Remove older builds and leftovers of interrupted ones."""
    for p in index_dir.iterdir():
        if p == keep or p.name in (CURRENT, ".lock"):
            continue
        if p.name.startswith(("build-", ".tmp-build-", f".{CURRENT}-")):
            if p.is_symlink() or p.is_file():
                p.unlink(missing_ok=True)
            else:
                shutil.rmtree(p, ignore_errors=True)


def fsync_tree(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def doc_info(d: Document) -> dict:
    """What a document is, without its text: what listings and citations need."""
    return {"id": d.id, "title": d.title, "publisher": d.publisher, "speaker": d.speaker, "published": d.published,
            "url": d.url, "file": d.file, "hash": d.content_hash, "length": len(d.text), "words": len(d.text.split())}


def doc_record(d: Document) -> dict:
    return {**{k: v for k, v in doc_info(d).items() if k not in ("length", "words")}, "text": d.text,
            "blocks": [[b.kind, b.start, b.end, b.level] for b in d.blocks]}


def document_of(rec: dict) -> Document:
    return Document(rec["id"], rec["title"], rec["publisher"], rec["published"], rec["url"], rec["file"], rec["text"],
                    tuple(Block(k, s, e, lv) for k, s, e, lv in rec["blocks"]), rec.get("speaker", ""))


STATED_ROWS = 1000  # of each actor's statements, kept for the example questions (examples.py)


def summarise(docs: list[Document], chunk_rows: list[ChunkRow], sentence_rows: list[SentenceRow], actors: Actors,
              voice: dict[str, str | None], speaker: dict[str, str | None], paragraph: np.ndarray) -> dict:
    """What servers would otherwise count over every row at start: the names retrieval codes and those that
    hold rows (as actor, person, voice or speaker), passages per source, each actor's statements (their number
    and the first STATED_ROWS rows), paragraphs."""
    names = sorted({a.name for a in actors.actors} | {s.actor for s in sentence_rows if s.actor}
                   | {s.person for s in sentence_rows if s.person} | {v for v in voice.values() if v})
    holders = sorted({s.actor for s in sentence_rows if s.actor} | {s.person for s in sentence_rows if s.person}
                     | {n for s in sentence_rows for n in (voice[s.source_id], speaker[s.source_id]) if n})
    coded = set(names)
    holders = [n for n in holders if n in coded]  # (a speaker who is no voice nor actor has no code)
    chunks: dict[str, int] = {}
    for c in chunk_rows:
        chunks[c.source_id] = chunks.get(c.source_id, 0) + 1
    stated: dict[str, int] = {}
    stated_rows: dict[str, list[int]] = {}
    for i, s in enumerate(sentence_rows):
        if s.actor and s.stance != "describes":
            stated[s.actor] = stated.get(s.actor, 0) + 1
            if stated[s.actor] <= STATED_ROWS:
                stated_rows.setdefault(s.actor, []).append(i)
    return {"names": names, "holders": holders, "chunks": chunks, "stated": stated, "stated_rows": stated_rows,
            "paragraphs": int(paragraph.max()) + 1 if len(paragraph) else 0}


def write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def write_jsonl(path: Path, rows) -> list[tuple[int, int]]:
    """Write one JSON record a line; returns where each line is (byte offset, length), to read one alone."""
    places = []
    with open(path, "wb") as f:
        for r in rows:
            line = (json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8")
            places.append((f.tell(), len(line)))
            f.write(line)
    return places


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ---------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------

@dataclass
class Index:
    """A loaded build: read-only, shared by all requests."""

    path: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[ChunkRow]
    sentences: list[SentenceRow]
    chunk_table: Table  # the passages' vectors and BM25 postings, in the store
    sentence_table: Table  # each sentence with its heading and context
    signals: Signals | None  # what each sentence is (signals.py), computed by the build; None when stored
    df: dict[str, int]
    acronyms: dict[str, str]
    actors: Actors  # the corpus's cast, as built with it
    catalog: dict[str, DocInfo] = field(default_factory=dict)  # each document without its text
    summary: dict = field(default_factory=dict)  # counts over every row, made by the build (store.summarise)
    words: Held | None = None  # vocabulary.json, held open: read on a refusal, maybe after a newer build pruned it

    @property
    def version(self) -> str:
        return self.path.name

    @property
    def stored(self) -> bool:
        """Rows and document text are read from the store as needed (stored.py), not held here."""
        return self.signals is None

    def text(self, row: ChunkRow | SentenceRow) -> str:
        return self.documents[row.source_id].text[row.start:row.end]

    @cached_property
    def vocal(self) -> dict[str, int]:
        """Actors who state a position more than once, with how often, the most often first: the ones worth
        filtering on, listing and naming when they say nothing on a topic (once may be a stray attribution)."""
        stated = self.summary["stated"]
        return {a: n for a, n in sorted(stated.items(), key=lambda kv: (-kv[1], kv[0].lower())) if n > 1}

    def vocabulary(self) -> dict:
        """The corpus's words (terms.vocabulary), read when first needed: a refusal's "did you mean"."""
        return json.loads(self.words.read_all() if self.words else (self.path / "vocabulary.json").read_bytes())

    @cached_property
    def paragraph_of(self):
        """Each sentence row's paragraph number (paragraphs numbered in reading order): `paragraph_of[rows]`."""
        if self.stored:
            return self.sentences.column(lambda r: r["paragraph"], np.int64)
        return paragraph_numbers(self.sentences)

    @cached_property
    def paragraph_rows(self):
        """The sentence rows of each paragraph, in order: a quote grows within these. `paragraph_rows[p]`."""
        if self.stored:
            from .stored import StoredGroups

            return StoredGroups(self.sentence_table, "paragraph", self.summary["paragraphs"])
        rows: list[list[int]] = [[] for _ in range(int(self.paragraph_of.max()) + 1 if len(self.sentences) else 0)]
        for i, b in enumerate(self.paragraph_of.tolist()):
            rows[b].append(i)
        return rows

    @cached_property
    def source_of_sentence(self) -> np.ndarray:
        return np.asarray([s.source_id for s in self.sentences], dtype=str)

    @cached_property
    def source_of_chunk(self) -> np.ndarray:
        return np.asarray([c.source_id for c in self.chunks], dtype=str)


def load_index(settings: Settings, dim: int | None = None) -> Index:
    """The current build, checked against the settings and the model's dimension."""
    build = current_build(settings.index_dir)
    if build is None:
        raise IndexMissingError(f"no index in {settings.index_dir}; run `assistant index`")
    try:
        manifest = json.loads((build / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise IndexMismatchError(f"index manifest unreadable ({e}); run `assistant index`") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexMismatchError(f"index format {manifest.get('format')} is not {FORMAT_VERSION}; run `assistant index`")
    if index_vectors(settings) not in (None, manifest.get("vectors", "exact")):
        raise IndexMismatchError(f"index holds {manifest.get('vectors', 'exact')} vectors but ASSISTANT_RUNTIME="
                                 f"{settings.runtime} asks for {index_vectors(settings)} ones; run `assistant index`")
    if written_for(manifest.get("store")) != store_key(settings):
        raise IndexMismatchError(f"the index was built into {describe(manifest.get('store'))}; the settings ask for "
                                 f"{describe(store_key(settings))}; run `assistant index`")
    if manifest.get("model") != settings.model:
        raise IndexMismatchError(
            f"index was built with model {manifest.get('model')!r}, settings say {settings.model!r}; run `assistant index`")
    if dim is not None and manifest.get("dim") != dim:
        raise IndexMismatchError(f"index dimension {manifest.get('dim')} does not match the model ({dim}); run `assistant index`")
    try:
        actors = Actors.from_json(json.loads((build / "actors.json").read_text(encoding="utf-8")))
        tables = open_tables(settings, build, manifest)
        extra = json.loads((build / "terms.json").read_text())
        catalog = {d["id"]: DocInfo(**d) for d in json.loads((build / "catalog.json").read_text(encoding="utf-8"))}
        summary = json.loads((build / "summary.json").read_text(encoding="utf-8"))
        if isinstance(manifest.get("store"), dict):  # Milvus: rows and text are read as needed (stored.py)
            return stored_index(build, manifest, tables, catalog, summary, extra, actors)
        docs = {rec["id"]: document_of(rec) for rec in read_jsonl(build / "documents.jsonl")}
        chunks = [chunk_row(r) for r in read_jsonl(build / "chunks.jsonl")]
        sentences = [sentence_row(r) for r in read_jsonl(build / "sentences.jsonl")]
        with open(build / "signals.npz", "rb") as f, np.load(f) as arrays:  # (a damaged file is closed too)
            signals = Signals.from_arrays(arrays)
    except AssistantError:
        raise
    except Exception as e:  # damaged files surface as many exception types
        raise IndexMismatchError(f"index in {build} is damaged ({type(e).__name__}: {e}); run `assistant index`") from None
    problems = []
    if tables["chunks"].size != len(chunks):
        problems.append(f"the store has {tables['chunks'].size} passage vectors for {len(chunks)} passages")
    if tables["sentences"].size != len(sentences) or any(len(v) != len(sentences) for v in signals.to_arrays().values()):
        problems.append(f"the store has {tables['sentences'].size} sentence vectors for {len(sentences)} sentences")
    problems += sample_problems(sentences, catalog)
    if problems:
        raise IndexMismatchError(f"index in {build} is inconsistent: {'; '.join(problems)}; run `assistant index`")
    return Index(build, manifest, docs, chunks, sentences, tables["chunks"], tables["sentences"], signals,
                 extra["df"], extra["acronyms"], actors, catalog, summary, Held(build / "vocabulary.json"))


def sample_problems(sentences, catalog: dict[str, DocInfo]) -> list[str]:
    """What is wrong with a sample of 50 sentence rows against the documents (none, for a sound build)."""
    for i in range(0, len(sentences), max(1, len(sentences) // 50)):
        try:
            r = sentences[i]
        except KeyError:  # a row the store does not have
            return ["the store lacks rows the build wrote"]
        if r.source_id not in catalog or r.end > catalog[r.source_id].length:
            return ["sentence table does not match the documents"]
    return []


def chunk_row(r: dict) -> ChunkRow:
    return ChunkRow(r["source_id"], r["ordinal"], tuple(r["section"]), r["start"], r["end"], r["key"])


def sentence_row(r: dict) -> SentenceRow:
    return SentenceRow(r["source_id"], r["chunk"], tuple(r["section"]), r["start"], r["end"], r["block_start"],
                       r["block_end"], r["context"], r["actor"], r["key"], r["bare_key"], r["item"], r["stance"],
                       tuple(r["kinds"]), person=r["person"], against=tuple(tuple(a) for a in r.get("against", ())))


def stored_index(build: Path, manifest: dict, tables: dict[str, Table], catalog: dict[str, DocInfo], summary: dict,
                 extra: dict, actors: Actors) -> Index:
    """A build whose rows and text stay in the store and the folder (stored.py), checked on a sample."""
    from .stored import StoredDocuments, StoredRows

    counts = manifest.get("counts", {})
    docs = StoredDocuments(build, catalog, document_of)
    chunks = StoredRows(tables["chunks"], int(counts.get("chunks", 0)), chunk_row)
    sentences = StoredRows(tables["sentences"], int(counts.get("sentences", 0)), sentence_row)
    problems = []
    if tables["chunks"].size != len(chunks) or tables["sentences"].size != len(sentences):
        problems.append("the store's row counts do not match the build's")
    problems += sample_problems(sentences, catalog)
    if problems:
        raise IndexMismatchError(f"index in {build} is inconsistent: {'; '.join(problems)}; run `assistant index`")
    return Index(build, manifest, docs, chunks, sentences, tables["chunks"], tables["sentences"], None,
                 extra["df"], extra["acronyms"], actors, catalog, summary, Held(build / "vocabulary.json"))
