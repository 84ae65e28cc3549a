"""What a question asks: its terms, the actors it is about, the kind of answer it expects."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import terms
from .actors import Actors

# A possessive actor followed by one of these is the actor whose view is asked for
# ("NHS Providers' view on ..."); followed by anything else it names a topic ("Hewitt's proposal").
VIEW_NOUN = r"(?:view|views|position|stance|take|verdict|reaction|response|opinion|assessment|reading|concerns?|criticism|attitude)"
ASKS_ABOUT = re.compile(
    r"\b(according to|in the (?:view|eyes|opinion) of|in)\s+$", re.I)
NUMBER_Q = re.compile(r"\b(how (?:many|much|long|big|large|often)|what (?:percentage|proportion|share|number|amount|size|length)|by how much)\b", re.I)
DATE_Q = re.compile(r"\b(when|by when|what (?:year|date|month|day)|which (?:year|date|month)|how soon)\b", re.I)
WHO_Q = re.compile(r"\b(who|which (?:minister|body|organisation|organization|person|people|company|group|bodies|organisations|chancellor|secretary))\b", re.I)
COMPARE = re.compile(r"\b(both|each|differ|difference|different|compare|compared|comparison|versus|vs\.?|while|whereas|change between|agree)\b", re.I)
NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|half|double|per cent|percent)\b", re.I)
DATE = re.compile(r"\b(19|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|\b(spring|summer|autumn|winter)\b|\b(by|from|until|before|after) (the end of|next|this)\b", re.I)
PROPER = re.compile(r"\b(?:[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|of|and|for|the))*\s+)?[A-Z][a-z]+\b")


@dataclass(frozen=True)
class Query:
    text: str  # the standalone question (after follow-up resolution)
    tokens: tuple[str, ...]  # stemmed content tokens, acronyms expanded both ways
    content_words: tuple[str, ...]  # unstemmed content words, for coverage checks
    actors: tuple[str, ...]  # actors whose positions are asked for, in order
    topic_actors: tuple[str, ...]  # actors named only as part of the topic ("Hewitt's proposal")
    answer_type: str | None  # "number" | "date" | "who" | None
    comparison: bool


def answer_type(text: str) -> str | None:
    if NUMBER_Q.search(text):
        return "number"
    if DATE_Q.search(text):
        return "date"
    if WHO_Q.search(text):
        return "who"
    return None


def fits_type(kind: str | None, text: str, actors: Actors) -> bool:
    if kind == "number":
        return bool(NUMBER.search(text))
    if kind == "date":
        return bool(DATE.search(text))
    if kind == "who":
        return bool(actors.named_in(text, include_weak=False)) or bool(re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text[1:]))
    return False


def split_actors(text: str, actors: Actors) -> tuple[list[str], list[str]]:
    """Actors the question asks about, and actors that only qualify its topic."""
    asked: list[str] = []
    topic: list[str] = []
    for m in actors.find(text):
        after = text[m.end:m.end + 40]
        before = text[max(0, m.start - 30):m.start]
        possessive = re.match(r"['’]s?\s+(\w+)", after) or re.match(r"\s*['’]\s", after)
        if possessive and not re.match(r"['’]s?\s+" + VIEW_NOUN + r"\b", after, re.I) and not ASKS_ABOUT.search(before):
            if m.actor not in topic:
                topic.append(m.actor)
            continue
        if m.weak and not re.search(r"\b(did|does|do|has|have|will|would|is|was|how|what)\s+(?:the\s+)?$", before, re.I):
            if m.actor not in topic:
                topic.append(m.actor)
            continue
        if m.actor not in asked:
            asked.append(m.actor)
    if not asked and len(topic) == 1:
        # "What did Hewitt's review recommend?" - a lone actor is the one asked about.
        asked, topic = topic, []
    return asked, [a for a in topic if a not in asked]


def expand_acronyms(words: list[str], acronyms: dict[str, str]) -> list[str]:
    """Add the long form of each acronym in the question, and the acronym of each long form."""
    extra: list[str] = []
    joined = " ".join(words)
    for short, long in acronyms.items():
        if short in words:
            extra += long.split()
        elif f" {long} " in f" {joined} ":
            extra.append(short)
    return extra


def analyse(text: str, actors: Actors, acronyms: dict[str, str]) -> Query:
    ws = terms.words(text)
    content = [w for w in ws if w not in terms.STOPWORDS]
    expanded = content + expand_acronyms(ws, acronyms)
    asked, topic = split_actors(text, actors)
    return Query(
        text=text,
        tokens=tuple(terms.stem(w) for w in expanded),
        content_words=tuple(content),
        actors=tuple(asked),
        topic_actors=tuple(topic),
        answer_type=answer_type(text),
        comparison=len(asked) >= 2 and bool(COMPARE.search(text) or " and " in text),
    )
