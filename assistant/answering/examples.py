"""Example questions for the empty chat, made from the loaded corpus: its most vocal actors and the
topics they speak on (the section headings over their statements, and the phrases they use most
that are rare in everyday English). Each is asked before it is shown, and kept only when the
assistant answers it with that actor's own words, so an example never leads to a refusal."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from typing import TYPE_CHECKING

from ..language import terms
from ..language.actors import GENERIC

if TYPE_CHECKING:
    from .answer import Assistant

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
LABEL = re.compile(r"^[^:]{1,30}:\s+")  # "Theme 6: finance and funding" -> the part after the label
MAX_TOPIC_WORDS = 6
EVERYDAY = 5.6  # Zipf frequency of "must", "need", "also": words too common to name a topic
TOPICAL = 5.0  # a heading names a topic when a word of it this rare is echoed below it ("key", "points" are not)
# Words that open a noun phrase: a pair seen after one is a thing talked about ("the social care
# workforce"), not a verb and its object ("to prevent ill-health").
DETERMINERS = frozenset(["the", "a", "an", "of", "on", "for", "in", "about", "our", "their", "its", "this", "that", "these", "those"])


def as_topic(text: str) -> str:
    """A heading or phrase as the object of a question: the first word lower-cased unless it is an
    acronym or a name (capitalised like the words after it: "Social Security")."""
    text = LABEL.sub("", text.strip()).strip(" .:;-–—")
    if not text or text.endswith("?") or len(text.split()) > MAX_TOPIC_WORDS:
        return ""
    words = text.split()
    if re.split("['’]", words[0])[0].isupper() or (len(words) > 1 and all(w[:1].isupper() for w in words)):
        return text
    return words[0].lower() + text[len(words[0]):]


def name_words(assistant: Assistant, actor: str) -> set[str]:
    found = next((a for a in assistant.actors.actors if a.name == actor), None)
    names = [actor] + (list(found.aliases) if found else [])
    return {w for n in names for w in terms.words(n)}


def phrases(texts: list[str], own_words: set[str]) -> list[str]:
    """Two-word phrases an actor repeats whose words are rare in everyday English: their topics,
    written as the texts most often write them."""
    counts: Counter[str] = Counter()
    nominal: set[str] = set()
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        ws = WORD.findall(text)
        for i, (a, b) in enumerate(pairwise(ws)):
            pair = (a.lower(), b.lower())
            if any(w in terms.STOPWORDS or w in own_words or len(w) < 3 or terms.zipf(w) >= EVERYDAY for w in pair):
                continue
            key = " ".join(pair)
            counts[key] += 1
            forms.setdefault(key, Counter())[f"{a} {b}"] += 1
            if i and ws[i - 1].lower() in DETERMINERS:
                nominal.add(key)
    scored = [(n * (8 - sum(terms.zipf(w) for w in p.split()) / 2), p)
              for p, n in counts.items() if n >= 2 and p in nominal]
    return [as_topic(forms[p].most_common(1)[0][0]) for _, p in sorted(scored, reverse=True)]


def names_its_section(heading: str, texts: list[str]) -> bool:
    """A heading that names a topic is echoed by the text under it ("Finance and funding" over talk
    of funding); document furniture ("Key points", "Press statement") is not."""
    said = {t for text in texts for t in terms.tokens(text)}
    return any(terms.stem(w) in said and terms.zipf(w) < TOPICAL
               for w in terms.words(heading) if w not in terms.STOPWORDS)


def candidates(assistant: Assistant, actor: str, rows: list[int]) -> list[str]:
    index = assistant.index
    own = name_words(assistant, actor)
    under: dict[str, list[str]] = {}
    for r in rows:
        s = index.sentences[r]
        if s.section:
            under.setdefault(s.section[-1], []).append(index.text(s))
    ranked = sorted(under.items(), key=lambda kv: -len(kv[1]))
    topics = [as_topic(h) for h, texts in ranked if names_its_section(h, texts)]
    topics = [t for t in topics if t and not own & set(terms.words(t))]
    texts = [index.text(index.sentences[r]) for r in rows]
    out: list[str] = []
    for t in topics[:2] + phrases(texts, own)[:2] + topics[2:3]:
        if t not in out:
            out.append(t)
    return out


# Bodies a sentence names without an article when the name is the one word ("What does Parliament say"),
# though "the European Parliament", "the Trades Union Congress".
BARE_BODIES = frozenset(["parliament", "congress"])
# Where a name's head noun ends: "Association of Directors ...", "Office for Science", "Roe, Lamp Council".
AFTER_HEAD = re.compile(r"\s(?:of|for|on|in|to|at)\s.*$|,.*$")


def as_named(actor: str) -> str:
    """An actor's name as a sentence uses it: an initialism or a body named by its kind takes "the" ("the
    LGA", "the Lantern Review", "the Treasury Committee (Commons)", "the Guild of Lamplighters"); a name with
    its own article, a plural name and a person's name stand as they are ("The Lamp Trust", "Rural
    Lamplighters", "Jane Roe")."""
    bare = re.sub(r"\s*\([^)]*\)", "", actor).strip()
    words = AFTER_HEAD.sub("", bare).split()  # the head noun is the last word before "of", "for", a comma
    if not words or words[0].lower() == "the":
        return actor
    head = words[-1].lower().strip(".,'’")
    plural = head.endswith("s") and not head.endswith("ss")  # "members", not "congress"
    if re.fullmatch(r"[A-Z]{2,5}", bare) or (head in GENERIC and not plural
                                             and not (len(words) == 1 and head in BARE_BODIES)):
        return f"the {actor}"
    return actor


def corpus_topics(assistant: Assistant, n: int = 6, tries: int = 12) -> list[str]:
    """Topics to compare positions on before one is typed: the most vocal actors' topics (the headings over
    their statements and the phrases they repeat, as for the example questions), each kept only when
    positions on it are found, those that most actors speak to first."""
    stated, by_actor = assistant.index.summary["stated"], assistant.index.summary["stated_rows"]
    seen: set[str] = set()
    found: list[tuple[int, int, str]] = []
    for actor, rows in sorted(by_actor.items(), key=lambda kv: (-stated[kv[0]], kv[0])):
        for topic in candidates(assistant, actor, rows)[:3]:
            if topic.lower() in seen or len(seen) >= tries:
                continue
            seen.add(topic.lower())
            p = assistant.positions(topic)
            if p.answered and p.entries:
                found.append((-len(p.entries), len(found), topic))
    return [topic for _, _, topic in sorted(found)[:n]]


def example_questions(assistant: Assistant, n: int = 4, tries: int = 3) -> list[str]:
    """Up to n questions, one per actor, the actors with most stated positions first."""
    # Each actor's statements, their first rows (store.summarise)
    stated, by_actor = assistant.index.summary["stated"], assistant.index.summary["stated_rows"]
    out: list[str] = []
    for actor, rows in sorted(by_actor.items(), key=lambda kv: (-stated[kv[0]], kv[0])):
        if len(out) >= n:
            break
        for topic in candidates(assistant, actor, rows)[:tries]:
            question = f"What does {as_named(actor)} say about {topic}?"
            answer = assistant.ask(question)
            if answer.answered and answer.quotes and answer.quotes[0].actor == actor:
                out.append(question)
                break
    return out
