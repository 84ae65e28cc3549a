"""Answering, one way through typed steps: understand the question (understand.py) -> rank sentences
(retrieve.py) -> make quotes (quotes.py) -> answer or abstain (decide.py) -> the Answer."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources

import numpy as np
from cachetools import LRUCache

from ..building.store import Index
from ..errors import InvalidQuestionError
from ..language.lexicon import overall_stance, sign
from ..settings import Settings
from .decide import DECISION_FEATURES, NO_ANSWER, Decision, Judge
from .quotes import Quote, QuoteMaker
from .retrieve import Filters, Ranked, Retriever
from .understand import Question, understand

OWN_VIEW_WINDOW = 0.4  # how far below the best sentence an asked actor's own statement may be and still lead
POSITION_WINDOW = 0.3  # how far below the best match an actor's statement may be and still count as on the topic


@dataclass
class Answer:
    question: str
    standalone_question: str
    answered: bool
    message: str | None
    quotes: list[Quote] = field(default_factory=list)
    took_ms: float = 0.0
    topic: str = ""  # what it is about, without who is asked: the who-said-what view compares everyone on it
    cached: bool = False  # served from the answer cache (its took_ms is the lookup, not the answering)
    suggestion: str | None = None  # the question with a misspelt name or word put right, when refused over it


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
    # Actors who state positions in these documents (more than once) and of whom nothing on the topic was found
    silent: list[str] = field(default_factory=list)


def load_weights() -> dict:
    """The fitted ranking weights and decision model (data/weights.json, written by `assistant fit`)."""
    return json.loads(resources.files("assistant").joinpath("data/weights.json").read_text(encoding="utf-8"))


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
    """Everything needed to answer: the loaded index and the model. Long-lived; thread-safe for reads."""

    def __init__(self, settings: Settings, index: Index, embedder, weights: dict | None = None):
        weights = weights or load_weights()
        self.weights = weights
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index, weights["rank"])
        self.quotes = QuoteMaker(index)
        self.judge = Judge(index, weights["decide"])
        self.cache: LRUCache = LRUCache(maxsize=max(1, settings.cache_size))
        self.cache_lock = threading.Lock()
        self.spellings: LRUCache = LRUCache(maxsize=4096)  # earlier turns as read (spelt), by their text
        self.chunk_counts: dict[str, int] = index.summary["chunks"]  # passages per source, for the source listings
        self.withheld: frozenset[str] = frozenset()  # documents on their way out (withhold)

    def withhold(self, source_ids: frozenset[str]) -> None:
        """Quote none of these documents from the next question on: their removal has been accepted and
        is queued or running (building.jobs), and the API no longer serves them."""
        self.withheld = self.retriever.withheld = frozenset(source_ids)

    @property
    def actors(self):
        return self.index.actors

    def understand(self, question: str, history: Sequence[str] = ()) -> Question:
        return understand(question, history, self.index.actors, self.index.acronyms)

    def spelt(self, turn: str) -> str:
        """An earlier turn as it was answered: with its misspelt words put right ("did the govt go for it?"
        read as "government"), so that what a follow-up leans on is what the sources call it."""
        with self.cache_lock:
            known = self.spellings.get(turn)
        if known is None:
            known = self.judge.respelling(self.understand(turn)) or turn
            with self.cache_lock:
                self.spellings[turn] = known
        return known

    def ask(self, question: str, history: Sequence[str] = (), top_k: int | None = None,
            sources: Sequence[str] = (), actors: Sequence[str] = ()) -> Answer:
        started = time.perf_counter()
        question = validate_question(question, self.settings.max_question_chars)
        history = [self.spelt(validate_question(h, self.settings.max_question_chars, "history")) for h in history]
        k = top_k or self.settings.top_k
        q = self.understand(question, history)
        asked = Filters(frozenset(sources), frozenset(self.actors.canonical(a) or a for a in actors))
        filters = self.dated(q, asked)
        # The same reading with the same filters gives the same answer; a new build makes a new Assistant.
        key = (q, k, filters, self.withheld)
        if self.settings.cache_size:
            with self.cache_lock:
                hit = self.cache.get(key)
            if hit is not None:
                took = round((time.perf_counter() - started) * 1000, 1)
                return replace(hit, question=question, cached=True, took_ms=took)
        spelt = self.judge.respelling(q)
        # A name or word no source holds, close to one they do ("Hewit Review", "platfrom"): read as meant.
        answer = self.respelt(Answer(question, q.text, False, None, suggestion=spelt), history, k, asked) \
            if spelt else None
        if answer is None or not answer.answered:
            answer = self.respond(q, k, filters)
        if q.why and answer.answered:
            before = self.ask(history[-1], history[:-1], top_k=k, sources=sources, actors=actors)
            # Reasons are asked for the position the turn before quoted: when the sources gave none, there is
            # nothing to give reasons for, and whatever the rewritten question finds would be noise.
            answer = self.reasons(q, before, answer, k, filters) if before.answered else Answer(
                question, q.text, False, f"{NO_ANSWER} The question before it was not answered from them either, "
                                         "so there is no position to give the reasons for.")
        if not answer.answered and answer.suggestion and answer.suggestion != spelt:
            answer = self.respelt(answer, history, k, asked)
        if not answer.answered:
            answer = self.in_parts(answer, history, k, asked)
        if filters != asked and answer.message:
            answer.message += f" (Only the documents of {' and '.join(q.years)} were read.)"
        answer.took_ms = round((time.perf_counter() - started) * 1000, 1)
        if self.settings.cache_size:
            with self.cache_lock:
                self.cache[key] = answer
        return answer

    def reasons(self, q: Question, before: Answer, answer: Answer, k: int, filters: Filters = Filters()) -> Answer:
        """"Why?" after an answer: the reasons its holder gives, read around its first statements (their
        paragraphs and the paragraphs either side, in the same document), not the lead statement again: the
        holder's sentences on the topic that give a reason ("because", "risks", "would mean"), the closest
        first, each also scored as the retriever scores it for the question read in full. When there are
        none, the answer to the question read in full stands, saying so."""
        idx = self.index
        # The statement asked about is the answer's lead; its other quotes may well be the reasons.
        said = [(x.source_id, x.start, x.end) for x in before.quotes[:1]]
        ranked = self.retriever.rank(q, self.embedder.encode_query(q.dense_text), filters)
        scored = dict(zip(ranked.rows.tolist(), ranked.score.tolist()))
        top = float(ranked.score[0]) if len(ranked) else 0.0
        near: dict[int, float] = {}
        for rank, x in enumerate(x for x in before.quotes if x.close):
            if rank >= 3:
                break
            home = idx.paragraph_of[x.row]
            for para in (home, home + 1, home - 1):
                if not 0 <= para < len(idx.paragraph_rows):
                    continue
                for row in idx.paragraph_rows[para]:
                    s = idx.sentences[row]
                    if s.source_id != x.source_id or any(sid == s.source_id and a <= s.start < b for sid, a, b in said):
                        continue
                    own = s.actor in q.actors if q.actors else s.actor == x.actor
                    reason = bool(self.retriever.gives_reason[row])  # (read by the build: signals.py)
                    if q.topic and not self.quotes.tokens(row) & set(q.topic):
                        continue  # a reason for this statement names what it is about
                    if not own or not reason or scored.get(row, -1e9) < top - LESS_CLOSE:
                        continue  # the holder's sentences that give a reason, on the topic (close to the best
                        # sentence on it): a sentence beside the statement that gives none ("You can read our
                        # briefing here.") is no reason for it
                    score = (scored[row] + REASON_BONUS * reason
                             - DISTANCE_COST * (para != home) - RANK_COST * rank)
                    near[row] = max(near.get(row, -1e9), score)
        alone = replace(answer, message=NO_REASONS if not answer.message else f"{answer.message} {NO_REASONS}")
        if not near:
            return alone
        rows = sorted(near, key=lambda r: -near[r])
        quotes = [x for x in self.quotes.make(rows, [near[r] for r in rows], k, frozenset(q.actors), topic=q.topic)
                  if not any(sid == x.source_id and x.start < b and a < x.end for sid, a, b in said)]
        if not quotes:
            return alone
        return replace(answer, quotes=closeness(q, quotes))

    def respelt(self, refused: Answer, history: Sequence[str], k: int, asked: Filters) -> Answer:
        """A question with a word no source holds that is close to one they do ("platfrom") is answered as the
        user meant it, saying which words were read otherwise; when the question put right is not answered
        either, the refusal stands (with its "Did you mean")."""
        fixed = self.understand(refused.suggestion, history)
        answer = self.respond(fixed, k, self.dated(fixed, asked))
        if not answer.answered:
            return refused
        before, after = (re.findall(r"[\w'’-]+", t) for t in (refused.question, refused.suggestion))
        was, now = [w for w in before if w not in after], [w for w in after if w not in before]
        read = ", ".join(f"“{a}” as “{b}”" for a, b in zip(was, now))
        note = f"Read {read}, the spelling the sources use." if read else "Read with the spelling the sources use."
        return replace(answer, question=refused.question, message=f"{note} {answer.message}" if answer.message else note,
                       suggestion=None)

    def in_parts(self, refused: Answer, history: Sequence[str], k: int, asked: Filters) -> Answer:
        """A two-part question ("When did X respond, and what did it ask for?") refused as a whole answers the
        parts the sources hold and says which they do not. The second part is read after the first, as a
        follow-up is ("it" is X)."""
        parts = split_parts(refused.question)
        if len(parts) < 2:
            return refused
        answers: list[Answer] = []
        facts: list[bool] = []
        for i, part in enumerate(parts):
            q = self.understand(part, [*history, *parts[:i]])
            answers.append(self.respond(q, k, self.dated(q, asked)))
            facts.append(q.answer_type is not None)
        # A part asking for a fact (a date, a figure, a name) is answered as part of the whole or not at all:
        # alone, a name or a figure near the topic is weak evidence; a position is judged by who and on what.
        held = [a for a, fact in zip(answers, facts) if a.answered and not fact]
        if not held:
            return refused
        quotes: list[Quote] = []
        for i in range(k):  # the parts' best quotes in turn
            for a in held:
                if i < len(a.quotes) and len(quotes) < k and all(
                        (x.source_id, x.start) != (a.quotes[i].source_id, a.quotes[i].start) for x in quotes):
                    quotes.append(a.quotes[i])
        missing = [p for p, a in zip(parts, answers) if a not in held]
        message = ("Answered: “" + "”, “".join(p for p, a in zip(parts, answers) if a in held)
                   + "”. Not answered on its own: “" + "”, “".join(missing) + "”.") if missing else None
        standalone = " ".join(a.standalone_question for a in answers)
        return Answer(refused.question, standalone, True, message, quotes[:k], topic=held[0].topic)

    def dated(self, q: Question, filters: Filters) -> Filters:
        """"In his 2007 address": only the documents of that year (published then, or with it in the title),
        of those asked about when the question names anyone. A year no such document has leaves them all."""
        if not q.years:
            return filters
        voices = {*q.actors, *q.sources}
        docs = {d.id for d in self.index.catalog.values()
                if (d.published[:4] in q.years or any(y in d.title for y in q.years))
                and (not voices or {self.retriever.voice.get(d.id), self.retriever.speaker.get(d.id)} & voices)}
        if filters.sources:
            docs &= filters.sources
        return replace(filters, sources=frozenset(docs)) if docs else filters

    # -- the steps after understanding ----------------------------------------------------------

    def respond(self, q: Question, k: int, filters: Filters = Filters()) -> Answer:
        qvec = self.embedder.encode_query(q.dense_text)
        if q.comparison:
            return self.compare(q, qvec, k, filters)
        ranked = self.retriever.rank(q, qvec, filters)
        quotes = self.select(q, ranked, k, filters)
        decision = self.judge.decide(q, ranked, quotes, self.retriever)
        return Answer(q.asked, q.text, decision.answered, decision.message,
                      closeness(q, quotes) if decision.answered else [],
                      topic=" ".join(q.topic_words), suggestion=decision.suggestion)

    def select(self, q: Question, ranked: Ranked, k: int, filters: Filters = Filters()) -> list[Quote]:
        """Quotes from the ranked sentences: who-questions lead with one statement per actor holding the
        stance; a question about an actor leads with that actor's own words when they are close."""
        rows, scores = ranked.rows.tolist(), ranked.score.tolist()
        if q.who_stance:
            rows, scores = self.one_per_actor_first(ranked, q.who_stance, frozenset(q.topic_actors))
        elif q.actors:
            rows, scores = own_view_first(ranked)
        # The documents a question names to read may fill the answer on their own; so may the one document of
        # the one actor it asks about: a witness's own testimony is where their view is, more of it beats
        # others' words. (An actor with several documents is read in each of them.)
        named = frozenset(sid for sid, voice in self.retriever.voice.items() if voice and voice in q.sources)
        if len(q.actors) == 1 and not q.comparison:
            own = [sid for sid, voice in self.retriever.voice.items() if voice == q.actors[0]]
            named |= frozenset(own) if len(own) == 1 else frozenset()
        return self.quotes.make(rows, scores, k, frozenset(q.actors), named | filters.sources, q.topic)

    def one_per_actor_first(self, ranked: Ranked, wanted: str,
                            named: frozenset[str] = frozenset()) -> tuple[list[int], list[float]]:
        """"Who welcomed X?": the best statement of each actor holding that stance first (or, when none
        does, each actor's best statement), so every actor that holds the position is visible at the top.
        Actors the question names ("Who disagrees with the government about X?") are what others take a
        stance towards: they do not lead."""
        sentences = self.index.sentences
        floor = float(ranked.score[0]) - 2 * POSITION_WINDOW if len(ranked) else 0.0  # the stance is the point
        want = sign(wanted) or wanted
        holding: dict[str, int] = {}
        firsts: dict[str, int] = {}
        for i, row in enumerate(ranked.rows[:60].tolist()):
            s = sentences[row]
            if not s.actor or s.actor in named:
                continue
            if ranked.score[i] < floor:
                continue
            firsts.setdefault(s.actor, i)
            if (sign(s.stance) or s.stance) == want:
                holding.setdefault(s.actor, i)
        lead = sorted(holding.values())[:5] or sorted(firsts.values())[:5]
        rest = set(lead)
        theirs = {i for i in range(len(ranked)) if sentences[int(ranked.rows[i])].actor in named}
        order = lead + [i for i in range(len(ranked)) if i not in rest and i not in theirs] + sorted(theirs)
        return [int(ranked.rows[i]) for i in order], [float(ranked.score[i]) for i in order]

    def statements_of(self, q: Question, qvec: np.ndarray, actor: str, k: int,
                      filters: Filters = Filters()) -> tuple[list[Quote], Decision]:
        """One actor's best statements on a question's topic, and whether they answer it."""
        one = replace(q, actors=(actor,), comparison=False, who_stance=None)
        ranked = self.retriever.rank(one, qvec, filters)
        own = np.flatnonzero(ranked.actor)
        quotes = self.quotes.make(ranked.rows[own].tolist(), ranked.score[own].tolist(), k, frozenset([actor]),
                                  topic=q.topic)
        return quotes, self.judge.decide(one, ranked, quotes, self.retriever)

    def compare(self, q: Question, qvec: np.ndarray, k: int, filters: Filters) -> Answer:
        """Each named actor's best statement on the topic, side by side. Whether the sources answer is
        decided on the topic; an actor with nothing on it is named as silent, never a reason to refuse
        the others (the names need not share a sentence)."""
        topic = " ".join(q.topic_words)
        whole = replace(q, actors=(), comparison=False)
        ranked = self.retriever.rank(whole, qvec, filters)
        decision = self.judge.decide(whole, ranked, self.select(whole, ranked, k, filters), self.retriever)
        if not decision.answered:
            return Answer(q.asked, q.text, False, decision.message, topic=topic, suggestion=decision.suggestion)
        per_actor = []
        for actor in q.actors:
            quotes, said = self.statements_of(q, qvec, actor, max(1, k // len(q.actors) + 1), filters)
            per_actor.append((actor, quotes if said.features[DECISION_FEATURES.index("actor")] else []))
        speaking = [(a, qs) for a, qs in per_actor if qs]
        silent = [a for a, qs in per_actor if not qs]
        if not speaking:
            return Answer(q.asked, q.text, False, f"{NO_ANSWER} They record no statement by "
                          f"{' or '.join(q.actors)} on this.", topic=topic)
        out: list[Quote] = []
        seen: set[tuple[str, int]] = set()
        for i in range(max(len(qs) for _, qs in speaking)):
            for _, qs in speaking:
                if i < len(qs) and (qs[i].source_id, qs[i].start) not in seen and len(out) < k:
                    out.append(qs[i])
                    seen.add((qs[i].source_id, qs[i].start))
        message = f"The sources record no statement by {' or '.join(silent)} on this." if silent else None
        return Answer(q.asked, q.text, True, message, out, topic=topic)

    # -- other views of the same index ------------------------------------------------------------

    def positions(self, topic: str, sources: Sequence[str] = (), actors: Sequence[str] = (),
                  per_actor: int = 2, max_actors: int = 8) -> Positions:
        """Who said what on a topic: one entry per actor with their stance and best quotes. When the
        topic names actors, only they are shown; an actor with nothing on the topic is left out."""
        started = time.perf_counter()
        topic = validate_question(topic, self.settings.max_question_chars, "topic")
        q = self.understand(topic)
        named = q.actors  # actors only qualifying the topic ("NHS budgets") do not limit the rows
        shown = " ".join(q.topic_words) or topic
        q = replace(q, actors=(), topic_actors=(), comparison=False, who_stance=None)
        filters = Filters(frozenset(sources), frozenset(self.actors.canonical(a) or a for a in actors))
        qvec = self.embedder.encode_query(q.dense_text)
        entries: list[PositionEntry] = []
        if named:
            for actor in named:
                quotes, decision = self.statements_of(q, qvec, actor, per_actor, filters)
                if decision.answered and quotes:
                    entries.append(PositionEntry(actor, overall_stance([x.stance for x in quotes]), quotes))
            message = None if entries else f"{NO_ANSWER} They record no statement by {' or '.join(named)} on this."
            return Positions(shown, bool(entries), message, entries, round((time.perf_counter() - started) * 1000, 1))
        ranked = self.retriever.rank(q, qvec, filters)
        decision = self.judge.decide(q, ranked, self.quotes.make(ranked.rows.tolist(), ranked.score.tolist(), 5),
                                     self.retriever)
        by_actor: dict[str, tuple[list[int], list[float]]] = {}
        shown_at: list[tuple[str, int, int]] = []  # a passage is shown under one actor only

        def quoted(x: Quote) -> bool:
            return any(sid == x.source_id and a < x.end and x.start < b for sid, a, b in shown_at)

        if decision.answered:
            floor = float(ranked.score[0]) - POSITION_WINDOW
            for row, score in zip(ranked.rows.tolist(), ranked.score.tolist()):
                actor = self.index.sentences[row].actor
                if score >= floor and actor:
                    rows, scores = by_actor.setdefault(actor, ([], []))
                    rows.append(row)
                    scores.append(score)
            for actor, (rows, scores) in list(by_actor.items())[:max_actors]:
                qs = []
                for x in self.quotes.make(rows, scores, per_actor, frozenset([actor]), topic=q.topic):
                    if x.actor == actor and quoted(x):  # a paragraph already quoted for another: their sentence alone
                        s = self.index.sentences[x.row]
                        x = replace(x, text=self.index.text(s), start=s.start, end=s.end)
                    if x.actor == actor and not quoted(x):
                        qs.append(x)
                if qs:
                    shown_at += [(x.source_id, x.start, x.end) for x in qs]
                    entries.append(PositionEntry(actor, overall_stance([x.stance for x in qs]), qs))
        answered = decision.answered and bool(entries)
        message = decision.message if not decision.answered else None
        silent: list[str] = []
        if answered and not filters:
            # Of the actors who state positions in these documents and are not among the closest, those with nothing
            # of theirs near the topic, judged as the chat judges "What does <actor> think of <topic>?" and as a
            # comparison names its silent side. One with something near it, short of the closest, is left out of the
            # table and not called silent.
            for actor in sorted((a for a in self.index.vocal if a not in by_actor), key=str.lower):
                _, said = self.statements_of(q, qvec, actor, per_actor, filters)
                if not said.features[DECISION_FEATURES.index("actor")]:
                    silent.append(actor)
        return Positions(shown, answered, message, entries, round((time.perf_counter() - started) * 1000, 1), silent)

    def search(self, text: str, k: int = 10, sources: Sequence[str] = ()) -> list[tuple[int, float]]:
        """Passages (chunk rows) for raw retrieval, best first, with their fused scores."""
        text = validate_question(text, self.settings.max_question_chars, "q")
        q = self.understand(text)
        return self.retriever.passages(q, self.embedder.encode_query(q.dense_text), k, Filters(frozenset(sources)))


# Where a question starts a second one: ", and what did it ask for?", "; did ministers agree?"
SECOND = re.compile(r"(?:,\s*|;\s*|\s+)(?:and|but)\s+(?=(?:what|which|who|whom|how|why|when|where|did|does|do|is|was|are|"
                    r"were|has|have|had|will|would|can|could|should)\b)|;\s+(?=\w)", re.I)


def split_parts(question: str) -> list[str]:
    """The questions a compound question asks, each ending as a question ("When did X respond?", "what did it
    ask for?"); one part when it asks one thing. Parts of fewer than three words are not questions of their own."""
    cuts = [m for m in SECOND.finditer(question) if len(question[:m.start()].split()) >= 3
            and len(question[m.end():].split()) >= 3]
    if not cuts:
        return [question]
    out, at = [], 0
    for m in cuts:
        out.append(question[at:m.start()].strip(" ,;") + "?")
        at = m.end()
    out.append(question[at:].strip())
    return [p[:1].upper() + p[1:] for p in out]


# Reading around a statement for its reasons ("Why?"): a sentence that gives one gains REASON_BONUS; one in
# the paragraph before or after loses DISTANCE_COST; one around the second or third statement, RANK_COST each.
NO_REASONS = "The sources give no further reasons around these statements; the statements themselves follow."
REASON_BONUS = 0.5
DISTANCE_COST = 0.3
RANK_COST = 0.2
LESS_CLOSE = 0.6  # a quote this far below the best is shown apart: the answer is as long as its evidence


def closeness(q: Question, quotes: list[Quote]) -> list[Quote]:
    """Mark the quotes that only pad an answer: far below the best, or, when the question asks about
    actors, another actor's words that are not close to the best (another actor on another topic)."""
    if not quotes:
        return quotes
    best = max(x.score for x in quotes)
    out = []
    for x in quotes:
        other = bool(q.actors) and not q.comparison and x.actor not in q.actors
        far = x.score < best - LESS_CLOSE or other and x.score < best - POSITION_WINDOW
        out.append(replace(x, close=False) if far else x)
    return out


def own_view_first(ranked: Ranked) -> tuple[list[int], list[float]]:
    """A question about an actor's position opens with that actor's own words, not a report of
    them by someone else, when such a sentence is among the close matches."""
    rows, scores = ranked.rows.tolist(), ranked.score.tolist()
    if not rows or ranked.actor[0]:
        return rows, scores
    mine = np.flatnonzero(ranked.actor)
    if not len(mine) or scores[mine[0]] < scores[0] - OWN_VIEW_WINDOW:
        return rows, scores
    i = int(mine[0])
    return [rows[i]] + rows[:i] + rows[i + 1:], [scores[i]] + scores[:i] + scores[i + 1:]


def indexing_embedder(settings: Settings, embedder, log):
    """The embedder to build an index with: the given one when it makes the index's kind of vector
    and is not the server's question encoder (one thread, one question at a time); else one for the
    model that may use every core."""
    from ..building.store import vector_kind
    from ..language.batching import BatchingEncoder
    from ..language.embed import index_vectors, load_embedder

    wanted = index_vectors(settings)
    if embedder is None or isinstance(embedder, BatchingEncoder) or getattr(embedder, "threads", None) == 1 \
            or wanted not in (None, vector_kind(embedder)):
        return load_embedder(settings, None, log)
    return embedder


def ensure_index(settings: Settings, embedder=None, build_if_needed: bool = True, log=print) -> None:
    """Build the index when it is missing or stale (or refuse, without `build_if_needed`)."""
    from ..building.store import build_index, index_status
    from ..errors import IndexMismatchError, IndexMissingError

    status = index_status(settings)
    if status != "ok":
        if not build_if_needed:
            raise (IndexMissingError if status == "missing" else IndexMismatchError)(
                f"index is {status}; run `assistant index`")
        log(f"index {status}; building")
        # Indexing may use every core; the serving embedder uses one thread per call.
        build_index(settings, indexing_embedder(settings, embedder, log), log=log, wait_for_lock=True)


def open_assistant(settings: Settings, embedder=None, build_if_needed: bool = True, log=print,
                   weights: dict | None = None) -> Assistant:
    """Load (building first when missing or stale) the index and model named by the settings."""
    from ..building.store import build_index, load_index
    from ..errors import IndexMismatchError
    from ..language.embed import load_embedder

    ensure_index(settings, embedder, build_if_needed, log)
    embedder = embedder or load_embedder(settings, threads=1, log=log)
    try:
        index = load_index(settings, embedder.dim)
    except IndexMismatchError as e:
        if not build_if_needed:
            raise
        # A damaged or foreign index: build a fresh one from the sources rather than refuse to start.
        log(f"{e}; rebuilding")
        build_index(settings, indexing_embedder(settings, embedder, log), log=log, wait_for_lock=True, reuse=False)
        index = load_index(settings, embedder.dim)
    return Assistant(settings, index, embedder, weights)
