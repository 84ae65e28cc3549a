"""What the model and BM25 read of each passage and sentence, and the key of an embedded text (the index
build, the bulk build on Ray and answering read them alike)."""

from __future__ import annotations

import hashlib

from .ingest import Document


def embed_key(text: str) -> str:
    """The key of a text the model embeds: equal keys share a vector across builds."""
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def sentence_embed_text(doc: Document, section: tuple[str, ...], context: str, text: str) -> str:
    """A sentence as the model sees it: under which heading, after what it leans on. (The publisher's
    name is left out: in every sentence of a BMA briefing it made any question naming the BMA look
    close to all of them; who speaks is matched through attribution instead.)"""
    head = " > ".join(section[-2:]) if section else doc.title
    return f"{head}\n{context} {text}" if context else f"{head}\n{text}"


def bm25_text(section: tuple[str, ...], context: str, text: str) -> str:
    return " ".join([*section[-1:], context, text])
