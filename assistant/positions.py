"""Whose position a sentence expresses (its actor)."""

from __future__ import annotations

import re

from .actors import Actors

FIRST_PERSON = re.compile(r"\b(we|our|ours|us|ourselves)\b", re.I)
# A heading that announces a view: "BMA view", "Our response", "NHS Providers view".
VIEW = re.compile(r"\b(view|views|response|reaction|comment|comments|position|verdict|statement)\b", re.I)
OUR = re.compile(r"\b(our|we)\b", re.I)
POSSESSIVE = re.compile(r"^['’]s?\b|^['’]\s")
# An actor after a preposition is an object ("the final report of the Hewitt Review"), not a subject.
PREPOSITION = re.compile(
    r"\b(of|to|by|from|with|on|for|into|about|in|at|under|towards|than|between|within|beyond|over|against|through|as)\s+(?:the\s+)?$",
    re.I,
)
# "The Review's recommendations include:" names the actor whose statement follows.
STATEMENT_NOUN = re.compile(
    r"^['’]s?\s+(?:\w+\s+)?(recommendations?|proposals?|response|view|views|position|report|call|calls|decision|plan|"
    r"statement|reply|verdict|analysis|conclusions?|findings|suggestions?|advice)\b", re.I)
ACCORDING = re.compile(r"\baccording to\s+(?:the\s+)?$", re.I)
REPORTING = (r"(?:also\s+|further\s+|then\s+|however\s+)?(?:states?|says?|said|argues?|recommends?|recommended|proposes?|"
             r"proposed|calls?|called|notes?|noted|suggests?|suggested|commits?|committed|accepts?|accepted|rejects?|"
             r"rejected|acknowledges?|acknowledged|supports?|supported|agrees?|agreed|points?|pointed|reiterates?|"
             r"advises?|advised|recognises?|recognised|highlights?|stresses?|sets? out|goes on)\b")
# Who "she", "they" or "it states" is: the actor of the sentence before.
PRONOUN_REPORTS = re.compile(r"\b(?:she|he|they)\s+" + REPORTING, re.I)  # "..., to which she recommends"
PRONOUN_START = re.compile(r"^[\"“‘']?(?:(?:she|he|they|her|his|their)\b|(?:it|this|the department|the review|the committee)\s+" + REPORTING + ")", re.I)
RECOMMEND = re.compile(r"\brecommend", re.I)
LEADING = 60  # characters: a subject comes early in the sentence


def heading_actor(section: tuple[str, ...], actors: Actors, publisher_actor: str | None) -> str | None:
    """The actor whose view a section is, from its headings ("BMA view", "Our view")."""
    for title in reversed(section):
        if not VIEW.search(title):
            continue
        named = actors.named_in(title)
        if named:
            return named[0]
        if publisher_actor:
            return publisher_actor  # "Our view", "Press statement": the publisher's own
    return None


def subject_actor(text: str, actors: Actors) -> str | None:
    """An actor named early in a sentence as its subject ("DHSC rejects...", "Hewitt also proposed..."),
    not as a possessive ("the government's failure") or the object of a preposition."""
    for m in actors.find(text):
        if m.start > LEADING:
            break
        before = text[:m.start]
        if ACCORDING.search(before):
            return m.actor
        if PREPOSITION.search(before):
            continue
        if POSSESSIVE.match(text[m.end:]):
            if STATEMENT_NOUN.match(text[m.end:]):
                return m.actor
            continue
        return m.actor
    return None


def sentence_actor(
    text: str,
    context: str,
    section: tuple[str, ...],
    actors: Actors,
    publisher_actor: str | None,
    prev_actor: str | None = None,
    is_item: bool = False,
    doc_subject: str | None = None,
) -> str | None:
    """Who holds the position a sentence states.

    First-person sentences belong to the publisher. A sentence that names an actor as its subject
    reports that actor. A list item belongs to whoever its lead-in names; a sentence opening with
    "she", "they" or "it states" to the actor of the sentence before. Failing those, a section headed
    as someone's view ("BMA view") is theirs, then the first actor named, then the publisher.
    """
    if FIRST_PERSON.search(text) and publisher_actor:
        return publisher_actor
    subject = subject_actor(text, actors)
    if is_item and context:
        if FIRST_PERSON.search(context) and publisher_actor:
            return publisher_actor
        lead = subject_actor(context, actors)
        if lead:
            return lead
        if RECOMMEND.search(context) and doc_subject:
            return doc_subject  # "The recommendations include:" in a briefing about a review
    if subject:
        return subject
    if prev_actor and (PRONOUN_START.match(text) or PRONOUN_REPORTS.search(text)):
        return prev_actor
    in_view = heading_actor(section, actors, publisher_actor)
    if in_view:
        return in_view
    named = [m for m in actors.find(text) if not m.weak and not POSSESSIVE.match(text[m.end:])]
    if named:
        return named[0].actor
    # Otherwise it is the author's own voice ("This is a well-trodden message"), even after a report.
    return publisher_actor


def document_subject(title: str, text: str, actors: Actors, publisher_actor: str | None) -> str | None:
    """The actor a document is about: the first its title names other than its publisher, or else
    the one its text names most often."""
    for name in actors.named_in(title, include_weak=True):
        if name != publisher_actor:
            return name
    counts: dict[str, int] = {}
    for m in actors.find(text):
        if m.actor != publisher_actor:
            counts[m.actor] = counts.get(m.actor, 0) + 1
    return max(counts, key=lambda a: counts[a]) if counts else None
