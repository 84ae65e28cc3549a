"""Where a build's vectors and BM25 postings live, behind one interface (base.Table).

- embedded (the default): FAISS and bm25s files inside the build folder, read into (or mapped by) each
  server process. Nothing to run beside the assistant.
- milvus (`ASSISTANT_MILVUS_URI`): one collection per table and build in Milvus, with the dense vectors,
  Milvus's own BM25 function over the same terms and scalar fields for filters. A file path runs Milvus
  Lite in this process; http://host:19530 reaches a Milvus server or cluster. The server process then holds
  no vectors and no postings: candidates and scores come from Milvus.

The rest of a build (documents, sentence rows, the cast) is in the build folder either way; the folder's
manifest names the collections its rows belong to, so a process answers from one build, whole. With Milvus
the collections also hold each row's record, and a server reads rows from them and document text from the
folder as answers need them (building/stored.py), holding neither.
"""

from __future__ import annotations

from pathlib import Path

from ..settings import Settings
from .base import Columns, Scores, Table, Where, Writer, literal

__all__ = ["Columns", "Scores", "Table", "Where", "Writer", "describe", "literal", "open_tables", "store_key", "writer",
           "written_for"]


def store_key(settings: Settings) -> dict | str:
    """What a build's manifest records of the store it was written to: a build written elsewhere is stale."""
    if not settings.milvus_uri:
        return "embedded"
    from .milvus import public_uri

    return {"kind": "milvus", "uri": public_uri(settings.milvus_uri), "prefix": settings.milvus_prefix}


def describe(entry) -> str:
    """A manifest's store as a message names it."""
    if not isinstance(entry, dict):
        return "the embedded store (files in the index folder)"
    return f"Milvus at {entry.get('uri')} (prefix {entry.get('prefix')})"


def written_for(entry) -> dict | str:
    """The part of a manifest's store entry that says where it is (not which collections)."""
    if isinstance(entry, dict):
        return {k: entry.get(k) for k in ("kind", "uri", "prefix")}
    return entry or "embedded"


def writer(settings: Settings) -> Writer:
    if settings.milvus_uri:
        from .milvus import MilvusWriter

        return MilvusWriter(settings)
    from .embedded import EmbeddedWriter

    return EmbeddedWriter()


def open_tables(settings: Settings, folder: Path, manifest: dict) -> dict[str, Table]:
    """The tables of the build in `folder`: {"sentences": ..., "chunks": ...}."""
    entry = manifest.get("store", "embedded")
    if entry == "embedded":
        from .embedded import open_embedded

        return open_embedded(folder)
    from .milvus import open_milvus

    return open_milvus(settings, entry, manifest)
