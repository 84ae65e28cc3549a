"""Whose position a sentence expresses (its actor)."""

from __future__ import annotations

import re

from .actors import Actors

FIRST_PERSON = re.compile(r"\b(we|our|ours|us|ourselves)\b", re.I)
# A heading that announces a view: "BMA view", "Our response", "NHS Providers view".
VIEW = re.compile(r"\b(view|views|response|reaction|comment|comments|position|verdict|statement)\b", re.I)
OUR = re.compile(r"\b(our|we)\b", re.I)


def heading_actor(section: tuple[str, ...], actors: Actors, publisher_actor: str | None) -> str | None:
    """The actor whose view a section is, from its headings ("BMA view", "Our view")."""
    for title in reversed(section):
        if not VIEW.search(title):
            continue
        named = actors.named_in(title)
        if named:
            return named[0]
        if OUR.search(title) and publisher_actor:
            return publisher_actor
    return None


def sentence_actor(
    text: str,
    context: str,
    section: tuple[str, ...],
    actors: Actors,
    publisher_actor: str | None,
) -> str | None:
    """Who holds the position a sentence states.

    First-person sentences belong to the publisher; so do sentences under a heading that
    announces the publisher's view. Otherwise the sentence reports someone: the first actor
    it names, or failing that the actor of the sentence it leans on.
    """
    if FIRST_PERSON.search(text) and publisher_actor:
        return publisher_actor
    in_view = heading_actor(section, actors, publisher_actor)
    if in_view:
        return in_view
    mentions = [m for m in actors.find(text) if not m.weak or m.start < 40]
    if mentions:
        return mentions[0].actor
    if context:
        if FIRST_PERSON.search(context) and publisher_actor:
            return publisher_actor
        named = [m for m in actors.find(context) if not m.weak]
        if named:
            return named[0].actor
    return publisher_actor
