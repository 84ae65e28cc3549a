"""A chat conversation as the web pages keep it: its questions and its filters, all in the URL.

The server keeps no state. Answers are deterministic for an index, so `/?q=...&q=...` rebuilds a
conversation by asking its questions again: a reload, a bookmark or a shared link shows the same
conversation (re-asked against the current index), and so does the no-JavaScript path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

MAX_TURNS = 20  # questions kept in a conversation (the oldest drop out)
FILTERS = ("publisher", "source", "actor")


@dataclass(frozen=True)
class Conversation:
    questions: tuple[str, ...] = ()
    publisher: str = ""
    source: str = ""  # a document id
    actor: str = ""

    @classmethod
    def from_params(cls, params: Mapping, questions_key: str = "q") -> Conversation:
        """From a query string or a form (`getlist` for the questions, `get` for the filters)."""
        questions = [str(q).strip() for q in params.getlist(questions_key) if str(q).strip()]
        return cls(tuple(questions[-MAX_TURNS:]), *(str(params.get(f, "") or "").strip() for f in FILTERS))

    @property
    def filters(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FILTERS if getattr(self, f)}

    def asking(self, question: str) -> Conversation:
        return replace(self, questions=(self.questions + (question,))[-MAX_TURNS:])

    def upto(self, turns: int) -> Conversation:
        return replace(self, questions=self.questions[:turns])

    def without(self, name: str) -> Conversation:
        return replace(self, **{name: ""})

    def query(self) -> str:
        return urlencode([("q", q) for q in self.questions] + list(self.filters.items()))

    def url(self, turn: int | None = None) -> str:
        """The chat page showing this conversation; with `turn`, up to that turn and scrolled to it."""
        conv = self if turn is None else self.upto(turn)
        query = conv.query()
        return "/" + (f"?{query}" if query else "") + (f"#turn-{turn}" if turn else "")


@dataclass(frozen=True)
class Scope:
    """What the filters mean for an index: the source ids and actors to answer from."""

    sources: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)  # filter -> what the chip shows
    dropped: tuple[str, ...] = ()  # filters this index does not know, removed with a note


def scope_of(conv: Conversation, documents: Mapping, canonical) -> Scope:
    """Resolve a conversation's filters: a document filter names one source; a publisher filter means
    all of its documents (within the document filter, if both are set); an actor filter is passed
    on by its canonical name. Unknown values are dropped and reported, never silently widened."""
    labels: dict[str, str] = {}
    dropped: list[str] = []
    sources: Sequence[str] = ()
    if conv.source:
        if conv.source in documents:
            sources = (conv.source,)
            labels["source"] = documents[conv.source].title or conv.source
        else:
            dropped.append(f"document {conv.source!r}")
    if conv.publisher:
        own = tuple(sid for sid in sorted(documents) if documents[sid].publisher == conv.publisher)
        if not own:
            dropped.append(f"publisher {conv.publisher!r}")
        else:
            labels["publisher"] = conv.publisher
            if not sources:
                sources = own
            elif not set(sources) & set(own):
                dropped.append(f"publisher {conv.publisher!r} (the chosen document is not theirs)")
                labels.pop("publisher")
    actors: tuple[str, ...] = ()
    if conv.actor:
        name = canonical(conv.actor)
        if name is None:
            dropped.append(f"actor {conv.actor!r}")
        else:
            actors = (name,)
            labels["actor"] = name
    return Scope(tuple(sources), actors, labels, tuple(dropped))
