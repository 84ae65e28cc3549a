"""The question-answering engine: follow-ups, retrieval, quotes, abstention."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import terms
from .actors import Actors
from .errors import InvalidQuestionError
from dataclasses import replace as dc_replace

from .query import MONEY, MONEY_Q, Query, analyse, has_quantity, split_actors
from .conversation import resolve_followup
from .quotes import Quote, QuoteMaker
from .retrieve import Candidate, Filters, Retriever
from .settings import Settings
from .store import Index, bm25_text

# Abstention. A question is unanswered when its best sentence is not similar enough, or when
# the specific things it asks about (names, rare terms) do not occur in the sources at all.
MIN_DENSE = 0.35  # cosine of the best sentence below which a question is off the sources' topic...
MIN_SCORE = 0.55  # ...unless its fused score (terms and passage) is high anyway
QUANTITY_DEPTH = 3  # how many of the best sentences may hold the figure a number question asks for
SILENT_DEPTH = 20  # an actor asked about must state something among this many best sentences


class LRU:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int):
        from collections import OrderedDict
        from threading import Lock

        self.size = size
        self.data: OrderedDict = OrderedDict()
        self.lock = Lock()

    def get(self, key):
        if not self.size:
            return None
        with self.lock:
            value = self.data.get(key)
            if value is not None:
                self.data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        if not self.size:
            return
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


@dataclass
class PositionEntry:
    actor: str
    stance: str
    quotes: list[Quote]


@dataclass
class Positions:
    topic: str
    answered: bool
    message: str | None
    entries: list[PositionEntry]
    took_ms: float = 0.0


POSITION_WINDOW = 0.3  # how far below the best match an actor's statement may be and still count as on the topic


def overall_stance(stances: list[str | None]) -> str:
    """One actor's stance over their quotes: agreeing quotes give that stance, a positive and a
    negative one give "mixed"; descriptions do not outvote a stated position."""
    from .evaluate import COARSE

    stated = [s for s in stances if s and s != "describes"]
    if not stated:
        return "describes"
    kinds = {COARSE[s] for s in stated}
    if {"positive", "negative"} <= kinds:
        return "mixed"
    return stated[0]


@dataclass
class Answer:
    question: str
    standalone_question: str
    answered: bool
    message: str | None
    quotes: list[Quote] = field(default_factory=list)
    took_ms: float = 0.0


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


class Assistant:
    """Everything needed to answer: the loaded index, the model, the actors. Long-lived; thread-safe for reads."""

    def __init__(self, settings: Settings, index: Index, embedder, actors: Actors):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.actors = actors
        self.retriever = Retriever(index, actors)
        self.quotes = QuoteMaker(index)
        self.cache = LRU(settings.cache_size)
        self.chunk_counts: dict[str, int] = {}  # passages per source, for the source listings
        for c in index.chunks:
            self.chunk_counts[c.source_id] = self.chunk_counts.get(c.source_id, 0) + 1

    def analyse(self, question: str, history: Sequence[str] = ()) -> Query:
        r = resolve_followup(question, history, self.actors)
        q = analyse(r.text, self.actors, self.index.acronyms, r.dense_text)
        own_asked = analyse(question, self.actors, self.index.acronyms).actors
        if own_asked:
            q = replace_actors(q, own_asked)
            if r.text != question and history:
                # "How did DHSC respond?" then "How did the BMA view that decision?": DHSC's decision is
                # now the topic, so documents about DHSC's response are where the BMA's view of it is.
                earlier = split_actors(history[-1], self.actors)[0]
                topic = tuple(dict.fromkeys([*q.topic_actors, *(a for a in earlier if a not in own_asked)]))
                q = dc_replace(q, topic_actors=topic)
        elif r.actors is not None:
            q = replace_actors(q, r.actors)
        return q

    def unknown_names(self, text: str) -> list[str]:
        """Names in the question (two or more capitalised words, like "Spending Review" or "Bank of
        England") that no source contains: the sources cannot be answering about them."""
        found = []
        for m in NAME.finditer(text):
            name = m.group(0)
            if m.start() == 0 or self.actors.canonical(name) or name.replace(" ", "").isupper():
                continue  # a question's first word is capitalised anyway; known actors are known; acronyms vary
            if not self.mentions(name):
                found.append(name)
        return found

    def mentions(self, name: str) -> bool:
        """Whether any source sentence (with its heading) or title holds `name` as a phrase. Looks only
        at the sentences that hold its rarest word, found through the BM25 index: no text is scanned."""
        words = terms.words(name)
        phrase = f" {' '.join(words)} "
        if any(phrase in f" {' '.join(terms.words(d.title))} " for d in self.index.documents.values()):
            return True
        stems = [terms.stem(w) for w in words if w not in terms.STOPWORDS]
        bm = self.index.sentence_bm25
        if not stems or any(st not in bm.vocab_dict for st in stems):
            return False
        indptr, indices = bm.scores["indptr"], bm.scores["indices"]
        rarest = min((bm.vocab_dict[st] for st in stems), key=lambda t: indptr[t + 1] - indptr[t])
        for row in indices[indptr[rarest]:indptr[rarest + 1]].tolist():
            s = self.index.sentences[row]
            if phrase in f" {' '.join(terms.words(bm25_text(s.section, s.context, self.index.text(s))))} ":
                return True
        return False

    def missing_terms(self, q: Query) -> list[str]:
        """Specific question words that no source contains: proper names and other rare words."""
        # Actor names are matched through attribution: a publisher's name need not occur in its text.
        named = set(terms.words(" ".join(q.text[m.start:m.end] for m in self.actors.find(q.text))))
        missing = []
        for w in q.content_words:
            if len(w) < 3 or w.isdigit() or w in named:
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
        # Repeated questions: the same reading of the question with the same filters gives the same answer
        # (the cache lives with this index; a new build makes a new Assistant).
        key = (q, k, filters)
        cached = self.cache.get(key)
        if cached is not None:
            return dc_replace(cached, question=question, took_ms=round((time.perf_counter() - started) * 1000, 1))
        answer = self._answer(question, q, k, filters, sources, started)
        self.cache.put(key, answer)
        return answer

    def _answer(self, question: str, q: Query, k: int, filters: Filters, sources: Sequence[str], started: float) -> Answer:
        qvec = self.embedder.encode_query(q.dense_text)

        if q.comparison:
            candidates = self.compare(q, qvec, filters)
        else:
            candidates = self.retriever.sentences(q, qvec, filters)
        missing = self.missing_terms(q)
        answered, message = self.judge(q, candidates, missing)
        if q.who_stance:
            candidates = one_per_actor_first(candidates, self.index, q.who_stance)
        elif not q.comparison:
            candidates = own_view_first(candidates)
        # Documents the question asks to read ("according to X") may fill the answer on their own.
        named_sources = frozenset(
            sid for sid, publisher in self.retriever.publisher_actor.items() if publisher and publisher in q.sources)
        quotes = self.quotes.make(candidates, k, frozenset(q.actors), named_sources | frozenset(sources)) if answered else []
        if answered and not quotes:
            answered, message = False, NO_ANSWER
        return Answer(question, q.text, answered, message, quotes, round((time.perf_counter() - started) * 1000, 1))

    def positions(self, topic: str, sources: Sequence[str] = (), actors: Sequence[str] = (),
                  per_actor: int = 2, max_actors: int = 8) -> Positions:
        """Who said what on a topic: one entry per actor with their stance and best quotes."""
        started = time.perf_counter()
        topic = validate_question(topic, self.settings.max_question_chars, "topic")
        q = replace_actors(analyse(topic, self.actors, self.index.acronyms), ())
        filters = Filters(frozenset(sources), frozenset(self.actors.canonical(a) or a for a in actors))
        candidates = self.retriever.sentences(q, self.embedder.encode_query(q.dense_text), filters)
        answered, message = self.judge(q, candidates, self.missing_terms(q))
        entries: list[PositionEntry] = []
        if answered:
            floor = candidates[0].score - POSITION_WINDOW
            by_actor: dict[str, list[Candidate]] = {}
            for c in candidates:
                actor = self.index.sentences[c.row].actor
                if c.score >= floor and actor:
                    by_actor.setdefault(actor, []).append(c)
            for actor, cands in list(by_actor.items())[:max_actors]:
                quotes = self.quotes.make(cands, per_actor, frozenset([actor]))
                quotes = [qt for qt in quotes if qt.actor == actor] or quotes[:1]
                entries.append(PositionEntry(actor, overall_stance([qt.stance for qt in quotes]), quotes))
        return Positions(topic, answered, message, entries, round((time.perf_counter() - started) * 1000, 1))

    def search(self, text: str, k: int = 10, sources: Sequence[str] = ()) -> list[tuple[int, float]]:
        """Passages (chunk rows) for raw retrieval, best first, with their fused scores."""
        text = validate_question(text, self.settings.max_question_chars, "q")
        q = analyse(text, self.actors, self.index.acronyms)
        return self.retriever.chunks(q, self.embedder.encode_query(q.dense_text), k, Filters(frozenset(sources)))

    def compare(self, q: Query, qvec, filters: Filters) -> list[Candidate]:
        """One search per actor, interleaved, so each actor's view is in the top results."""
        # Each search matches its own actor's name as a word, not the others': with five names in the
        # question, their words would otherwise outweigh the topic.
        mention_tokens = {m.actor: set(terms.tokens(q.text[m.start:m.end])) for m in self.actors.find(q.text)}
        lists = []
        for a in q.actors:
            others = set().union(*(t for name, t in mention_tokens.items() if name != a)) - mention_tokens.get(a, set())
            own_q = dc_replace(q, tokens=tuple(t for t in q.tokens if t not in others))
            lst = self.retriever.sentences(own_q, qvec, filters, actors=[a])
            lists.append([c for c in lst if c.actor_match] or lst)
        out: list[Candidate] = []
        seen: set[int] = set()
        for i in range(max(len(lst) for lst in lists)):
            for lst in lists:
                if i < len(lst) and lst[i].row not in seen:
                    out.append(lst[i])
                    seen.add(lst[i].row)
        return out

    def judge(self, q: Query, candidates: list[Candidate], missing: list[str]) -> tuple[bool, str | None]:
        """Whether the best candidates answer the question at all.

        Three general tests: the best sentence must be close in meaning, unless the question's terms
        are all in the sources; a question asking for a number needs a number among the best
        sentences (a year is not an amount; "how many X" needs a count of X); a question whose
        distinctive words never occur in the sources, and whose best match is weak, is not answered.
        """
        if not candidates:
            return False, NO_ANSWER
        top = candidates[0]
        if top.dense < MIN_DENSE and (missing or top.score < MIN_SCORE):
            return False, f"{NO_ANSWER} Nothing in them is close to this question."
        unknown = self.unknown_names(q.text)
        if unknown:
            return False, f"{NO_ANSWER} They never mention {', '.join(unknown)}."
        if "number" in q.answer_types:
            best = [self.index.text(self.index.sentences[c.row]) for c in candidates[:QUANTITY_DEPTH]]
            money = bool(MONEY_Q.search(q.text))
            if not any(MONEY.search(t) if money else has_quantity(t, q.counted) for t in best):
                return False, f"{NO_ANSWER} The closest passages give no {'amount' if money else 'figure'} for it."
        if q.actors and not q.comparison and not q.sources:
            # "What did the RCN say about X?" when the RCN states nothing near X in the sources.
            if not any(c.actor_match for c in candidates[:SILENT_DEPTH]):
                names = " and ".join(q.actors)
                return False, f"{NO_ANSWER} They record no statement by {names} on this."
        return True, None


NO_ANSWER = "The sources do not answer this question."
# Two or more capitalised words ("Spending Review", "Bank of England"); hyphenated forms like
# "ICS-level" are ordinary words.
NAME = re.compile(r"(?<![\w-])[A-Z][A-Za-z'’]*(?:\s+(?:(?:of|and|for|the|on|in)\s+)?[A-Z][A-Za-z'’]*)+(?![\w-])")
OWN_VIEW_WINDOW = 0.15  # how far below the best sentence an asked actor's own statement may be and still lead


def one_per_actor_first(candidates: list[Candidate], index: Index, wanted: str) -> list[Candidate]:
    """"Who welcomed X?": the best statement of each actor first, those whose stance matches leading,
    so every actor that holds the position is visible at the top."""
    from .evaluate import COARSE
    from .positions import stance

    firsts: dict[str, Candidate] = {}
    for c in candidates[:60]:
        actor = index.sentences[c.row].actor
        if actor and actor not in firsts:
            firsts[actor] = c
    matching = [c for c in firsts.values()
                if COARSE.get(stance(index.text(index.sentences[c.row]))) == COARSE.get(wanted)]
    lead = matching or list(firsts.values())
    lead = [c for c in lead if c.score >= candidates[0].score - POSITION_WINDOW][:5]
    return lead + [c for c in candidates if c not in lead]


def own_view_first(candidates: list[Candidate]) -> list[Candidate]:
    """A question about an actor's position opens with that actor's own words, not a report of
    them by someone else, when such a sentence is among the close matches."""
    if not candidates or candidates[0].actor_match:
        return candidates
    best = next((c for c in candidates if c.actor_match), None)
    if best is None or best.score < candidates[0].score - OWN_VIEW_WINDOW:
        return candidates
    return [best] + [c for c in candidates if c is not best]


def replace_actors(q: Query, actors: Sequence[str]) -> Query:
    from dataclasses import replace

    return replace(q, actors=tuple(actors), comparison=q.comparison and len(actors) >= 2)


def indexing_embedder(settings: Settings, embedder, log):
    """The embedder to build an index with: the given one when it makes the index's kind of vector
    and is not the server's batching front (one thread, one question at a time); else one for the
    model that may use every core."""
    from .batching import BatchingEncoder
    from .embed import index_vectors, load_embedder
    from .store import vector_kind

    if embedder is None or isinstance(embedder, BatchingEncoder) or vector_kind(embedder) != index_vectors(settings):
        return load_embedder(settings, None, log, purpose="index")
    return embedder


def open_assistant(settings: Settings, embedder=None, build_if_needed: bool = True, log=print) -> Assistant:
    """Load (building first when missing or stale) the index and model named by the settings."""
    from .embed import load_embedder
    from .errors import IndexMismatchError
    from .store import actors_for, build_index, index_status, load_index

    actors = actors_for(settings)
    status = index_status(settings, actors)
    if status != "ok":
        if not build_if_needed:
            from .errors import IndexMismatchError, IndexMissingError

            raise (IndexMissingError if status == "missing" else IndexMismatchError)(
                f"index is {status}; run `assistant index`")
        log(f"index {status}; building")
        # Indexing may use every core; the serving embedder below uses one thread per call.
        builder = indexing_embedder(settings, embedder, log)
        build_index(settings, builder, log=log, wait_for_lock=True)
    embedder = embedder or load_embedder(settings, threads=1, log=log)
    try:
        index = load_index(settings, embedder.dim)
    except IndexMismatchError as e:
        if not build_if_needed:
            raise
        # A damaged or foreign index: build a fresh one from the sources rather than refuse to start.
        log(f"{e}; rebuilding")
        builder = indexing_embedder(settings, embedder, log)
        build_index(settings, builder, log=log, wait_for_lock=True, reuse=False)
        index = load_index(settings, embedder.dim)
    return Assistant(settings, index, embedder, actors)
