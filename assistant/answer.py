"""The question-answering engine: follow-ups, retrieval, quotes, abstention."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import terms
from .actors import Actors
from .errors import InvalidQuestionError
from .query import Query, analyse
from .quotes import Quote, QuoteMaker
from .retrieve import Candidate, Filters, Retriever
from .settings import Settings
from .store import Index

# Follow-ups lean on the turn before: pronouns and bare continuations.
ANAPHOR = re.compile(
    r"\b(it|its|that|this|these|those|they|them|their|there|the same|such|so|too|either|also|then|"
    r"that decision|this decision|the decision|the proposal|the plan|the idea|the recommendation|"
    r"things|that way|this way)\b|^\s*(and|but|what about|how about|and what|so)\b",
    re.I,
)

# Abstention. A question is unanswered when its best sentence is not similar enough, or when
# the specific things it asks about (names, rare terms) do not occur in the sources at all.
MIN_DENSE = 0.30
MIN_SCORE = 0.40


@dataclass
class Answer:
    question: str
    standalone_question: str
    answered: bool
    message: str | None
    quotes: list[Quote] = field(default_factory=list)
    took_ms: float = 0.0
    actors: tuple[str, ...] = ()
    missing_terms: tuple[str, ...] = ()


def validate_question(question: object, max_chars: int, field_name: str = "question") -> str:
    if not isinstance(question, str):
        raise InvalidQuestionError(field_name, "must be a string")
    q = question.strip()
    if not q:
        raise InvalidQuestionError(field_name, "is empty")
    if len(q) > max_chars:
        raise InvalidQuestionError(field_name, f"is {len(q)} characters; the limit is {max_chars}")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in q):
        raise InvalidQuestionError(field_name, "contains control characters")
    return q


def topic_words(text: str, actors: Actors) -> list[str]:
    """Content words of a question, without the actors it names."""
    stripped = text
    for m in sorted(actors.find(text), key=lambda m: -m.start):
        stripped = stripped[:m.start] + " " + stripped[m.end:]
    return [w for w in terms.words(stripped) if w not in terms.STOPWORDS and w not in FOLLOWUP_FILLER]


FOLLOWUP_FILLER = frozenset("and also too either then so way things respond responded react reacted view".split())


def resolve_followup(question: str, history: Sequence[str], actors: Actors) -> tuple[str, tuple[str, ...] | None]:
    """A standalone question built from the last turn and the earlier ones, without a model.

    A follow-up that refers back ("that decision", "And the BMA?") or names no topic of its own
    inherits the topic words of the earlier turns; one that names no actor inherits theirs.
    Returns the standalone text and, when inherited, the actors asked about.
    """
    if not history:
        return question, None
    own_topic = topic_words(question, actors)
    refers_back = bool(ANAPHOR.search(question)) or len(own_topic) <= 2
    prev = history[-1]
    carried_actors = None
    named = actors.named_in(question)
    if not named:
        carried_actors = tuple(actors.named_in(prev))
    if not refers_back:
        return question, carried_actors
    # Topic from the most recent turn that has one.
    topic: list[str] = []
    for turn in reversed(history):
        topic = topic_words(turn, actors)
        if topic:
            break
    extra = [w for w in topic if w not in set(own_topic)]
    if not extra:
        return question, carried_actors
    return f"{question} ({' '.join(extra)})", carried_actors


class Assistant:
    """Everything needed to answer: the loaded index, the model, the actors. Long-lived; thread-safe for reads."""

    def __init__(self, settings: Settings, index: Index, embedder, actors: Actors):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.actors = actors
        self.retriever = Retriever(index, actors)
        self.quotes = QuoteMaker(index)

    def analyse(self, question: str, history: Sequence[str] = ()) -> Query:
        standalone, carried = resolve_followup(question, history, self.actors)
        q = analyse(standalone, self.actors, self.index.acronyms)
        own_asked = analyse(question, self.actors, self.index.acronyms).actors
        if own_asked:
            q = replace_actors(q, own_asked)
        elif carried is not None:
            q = replace_actors(q, carried)
        return q

    def missing_terms(self, q: Query) -> list[str]:
        """Specific question words that no source contains: proper names and other rare words."""
        missing = []
        for w in q.content_words:
            if len(w) < 3 or w.isdigit():
                continue
            if terms.stem(w) not in self.index.df:
                missing.append(w)
        return missing

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        top_k: int | None = None,
        sources: Sequence[str] = (),
        actors: Sequence[str] = (),
    ) -> Answer:
        started = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        history = [validate_question(h, self.settings.max_question_chars, "history") for h in history]
        k = top_k or self.settings.top_k
        q = self.analyse(question, history)
        filters = Filters(frozenset(sources), frozenset(self.actors.canonical(a) or a for a in actors))
        qvec = self.embedder.encode_query(q.text)

        if q.comparison:
            candidates = self.compare(q, qvec, filters)
        else:
            candidates = self.retriever.sentences(q, qvec, filters)
        missing = self.missing_terms(q)
        answered, message = self.judge(q, candidates, missing)
        quotes = self.quotes.make(candidates, k) if answered else []
        if answered and not quotes:
            answered, message = False, "The sources do not answer this question."
        return Answer(question, q.text, answered, message, quotes,
                      round((time.perf_counter() - started) * 1000, 1), q.actors, tuple(missing))

    def compare(self, q: Query, qvec, filters: Filters) -> list[Candidate]:
        """One search per actor, interleaved, so each actor's view is in the top results."""
        lists = [self.retriever.sentences(q, qvec, filters, actors=[a]) for a in q.actors]
        lists = [[c for c in lst if c.actor_match] or lst for lst in lists]
        out: list[Candidate] = []
        seen: set[int] = set()
        for i in range(max(len(lst) for lst in lists)):
            for lst in lists:
                if i < len(lst) and lst[i].row not in seen:
                    out.append(lst[i])
                    seen.add(lst[i].row)
        return out

    def judge(self, q: Query, candidates: list[Candidate], missing: list[str]) -> tuple[bool, str | None]:
        if not candidates:
            return False, "The sources do not answer this question."
        top = candidates[0]
        if top.dense < MIN_DENSE and top.score < MIN_SCORE:
            return False, "The sources do not answer this question: nothing in them is close to it."
        if missing and any(w[0].isupper() or True for w in missing) and top.coverage < 0.5 and self._specific(q, missing):
            return False, f"The sources do not answer this question: they never mention {', '.join(missing)}."
        return True, None

    def _specific(self, q: Query, missing: list[str]) -> bool:
        """Whether the missing words name what the question is about (a capitalised name or
        most of its topic), rather than a paraphrase of something the sources do say."""
        caps = [w for w in missing if re.search(rf"\b{re.escape(w)}\b", q.text, re.I)
                and re.search(rf"(?<![.?!]\s)(?<!^)\b{re.escape(w[:1].upper() + w[1:])}\b", q.text)]
        return bool(caps) or len(missing) >= max(2, len(q.content_words) // 2)


def replace_actors(q: Query, actors: Sequence[str]) -> Query:
    from dataclasses import replace

    return replace(q, actors=tuple(actors), comparison=q.comparison and len(actors) >= 2)


def open_assistant(settings: Settings, embedder=None, build_if_needed: bool = True, log=print) -> Assistant:
    """Load (building first when missing or stale) the index and model named by the settings."""
    from .embed import Embedder
    from .store import actors_for, build_index, index_status, load_index

    embedder = embedder or Embedder(settings.model, threads=1)
    actors = actors_for(settings)
    status = index_status(settings, actors)
    if status != "ok":
        if not build_if_needed:
            from .errors import IndexMismatchError, IndexMissingError

            raise (IndexMissingError if status == "missing" else IndexMismatchError)(
                f"index is {status}; run `assistant index`")
        log(f"index {status}; building")
        build_index(settings, embedder, log=log, wait_for_lock=True)
    index = load_index(settings, embedder.dim)
    return Assistant(settings, index, embedder, actors)
