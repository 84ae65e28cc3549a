"""Follow-up questions: a standalone question from the last turn and the earlier ones, without a model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import terms
from .actors import Actors
from .query import split_actors

# Follow-ups lean on the turn before: pronouns and bare continuations.
ANAPHOR = re.compile(
    r"\b(it|its|that|this|these|those|they|them|their|there|the same|such|so|too|either|also|then|"
    r"that decision|this decision|the decision|the proposal|the plan|the idea|the recommendation|"
    r"that way|this way)\b|^\s*(and|but|what about|how about|and what|so)\b",
    re.I,
)
# Words that make a follow-up a follow-up rather than name its topic.
FOLLOWUP_FILLER = frozenset("and also too either then so way respond responded react reacted view".split())


def topic_words(text: str, actors: Actors) -> list[str]:
    """Content words of a question as written, without the actors it asks about
    ("What did the government decide about Hewitt's HARPs?" -> decide, Hewitt's, HARPs)."""
    asked = set(split_actors(text, actors)[0])
    stripped = text
    for m in sorted(actors.find(text), key=lambda m: -m.start):
        if m.actor in asked:
            stripped = stripped[:m.start] + " " + stripped[m.end:]
    out = []
    for m in re.finditer(r"[A-Za-z0-9£][\w'’%£-]*", stripped):
        word = m.group().rstrip("'’")
        key = terms.words(word)
        if key and any(k not in terms.STOPWORDS and k not in FOLLOWUP_FILLER for k in key) and word not in out:
            out.append(word)
    return out


@dataclass(frozen=True)
class Resolved:
    text: str  # the standalone question shown to the user
    dense_text: str  # what the model embeds
    actors: tuple[str, ...] | None  # actors carried over from earlier turns, when the question names none


def resolve_followup(question: str, history: Sequence[str], actors: Actors) -> Resolved:
    """A standalone question built from the last turn and the earlier ones, without a model.

    A follow-up that refers back ("that decision", "And the BMA?") or names no topic of its own
    inherits the topic words of the earlier turns; one that names no actor inherits theirs. The
    model reads the earlier turn and the follow-up together, as a person would.
    """
    if not history:
        return Resolved(question, question, None)
    own_topic = topic_words(question, actors)
    refers_back = bool(ANAPHOR.search(question)) or len(own_topic) <= 2
    carried_actors = None
    if not actors.named_in(question):
        for turn in reversed(history):
            named = actors.named_in(turn)
            if named:
                carried_actors = tuple(named)
                break
    if not refers_back:
        return Resolved(question, question, carried_actors)
    topic: list[str] = []
    source = ""
    for turn in reversed(history):
        topic = topic_words(turn, actors)
        if topic:
            source = turn
            break
    own = {w.lower() for w in own_topic}
    extra = [w for w in topic if w.lower() not in own]
    if not extra:
        return Resolved(question, question, carried_actors)
    if actors.named_in(question):
        # "How did DHSC respond to X?" then "How did the BMA view that?": the model should read X
        # and the BMA, not DHSC, or DHSC's own statements would look like the answer.
        source = without_asked_actors(source, actors)
    return Resolved(f"{question} ({' '.join(extra)})", f"{source} {question}", carried_actors)


def without_asked_actors(text: str, actors: Actors) -> str:
    asked = set(split_actors(text, actors)[0])
    for m in sorted(actors.find(text), key=lambda m: -m.start):
        if m.actor in asked:
            text = text[:m.start] + text[m.end:]
    return re.sub(r"\s+", " ", text).strip()
