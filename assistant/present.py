"""Presenting an answer: the viewer link of a quote and the JSON shape the API and CLI return."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .answer import Answer


def viewer_url(source_id: str, start: int, end: int) -> str:
    from urllib.parse import quote

    return f"/sources/{quote(source_id, safe='')}?start={start}&end={end}#quote"


def answer_dict(a: Answer) -> dict:
    """An answer as JSON: what `POST /api/answer` returns (api.AnswerOut documents it)."""
    return {"question": a.question, "standalone_question": a.standalone_question, "answered": a.answered,
            "message": a.message, "took_ms": a.took_ms,
            "quotes": [{"text": q.text, "start": q.start, "end": q.end, "passage": q.passage, "source_id": q.source_id,
                        "title": q.title, "publisher": q.publisher, "published": q.published, "section": q.section,
                        "score": q.score, "actor": q.actor, "stance": q.stance,
                        "url": viewer_url(q.source_id, q.start, q.end)} for q in a.quotes]}
