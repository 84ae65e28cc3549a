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
# "according to X", "in X's reading": X is the source that reports, not necessarily the one whose position it is.
SOURCE_BEFORE = re.compile(r"\b(according to|in the (?:view|eyes|opinion|reading) of|as reported by|says?|said)\s+(?:the\s+)?$", re.I)
WHO_ASKS = re.compile(r"^\W*(?:who|which (?:organisations?|bodies|body|groups?|ministers?|minister|people|person|company|companies))\b", re.I)
PREP_TOPIC = re.compile(r"\b(about|on|regarding|concerning|towards|over|into|for|from|with|to|between|of|against)\s+(?:the\s+)?$", re.I)
ATTRIBUTIVE = re.compile(r"^\s+(briefing|report|response|reply|proposals?|plan|paper|recommendations?|consultation|"
                         r"mandate|guidance|strategy|review|inquiry|process|reforms?|decision)\b", re.I)
SOURCE_AFTER = re.compile(r"^['’]s?\s+(reading|account|analysis|assessment|summary|briefing|take)\b", re.I)
NUMBER_Q = re.compile(r"\b(how (?:many|much|long|big|large|often)|what (?:percentage|proportion|share|number|amount|size|length)|by how much)\b", re.I)
DATE_Q = re.compile(r"\b(when|by when|what (?:year|date|month|day)|which (?:year|date|month)|how soon)\b", re.I)
WHO_Q = re.compile(r"\b(who|which (?:minister|body|organisation|organization|person|people|company|group|bodies|organisations|chancellor|secretary))\b", re.I)
COMPARE = re.compile(r"\b(both|each|differ|difference|different|compare|compared|comparison|versus|vs\.?|while|whereas|change between|agree)\b", re.I)
NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|half|double|per cent|percent)\b", re.I)
DATE = re.compile(r"\b(19|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|\b(spring|summer|autumn|winter)\b|\b(by|from|until|before|after) (the end of|next|this)\b", re.I)
# A named person: an honorific or a role before or after a name.
PERSON = re.compile(
    r"\b(Rt Hon|Sir|Dame|Lord|Lady|Baroness|Baron|Dr|Professor|Prof|Mr|Mrs|Ms|Cllr)\.?\s+[A-Z]|"
    r"\b(chancellor|minister|secretary of state|chief executive|chair|chairman|chairwoman|director|president|"
    r"leader|head|spokesperson|spokesman|spokeswoman)\b[^.]{0,40}\b[A-Z][a-z]+ [A-Z][a-z]+|"
    r"\b[A-Z][a-z]+ [A-Z][a-z]+,? (?:the )?(chief executive|chair|director|president|secretary|minister|chancellor)\b")


@dataclass(frozen=True)
class Query:
    text: str  # the standalone question (after follow-up resolution)
    dense_text: str  # what is embedded: for a follow-up, the earlier turn and this one together
    tokens: tuple[str, ...]  # stemmed content tokens, acronyms expanded both ways
    content_words: tuple[str, ...]  # unstemmed content words, for coverage checks
    actors: tuple[str, ...]  # actors whose positions are asked for, in order
    topic_actors: tuple[str, ...]  # actors named only as part of the topic ("Hewitt's proposal")
    sources: tuple[str, ...]  # actors named as the source to read ("according to The King's Fund")
    answer_type: str | None  # "number" | "date" | "who" | None: what the first wh-phrase asks for
    answer_types: frozenset[str]  # every kind asked for ("Which company won it, and how much is it worth?")
    counted: tuple[str, ...]  # stems of what "how many ..." counts ("how many ICSs" -> ics, integr, care, system)
    comparison: bool
    who_stance: str | None = None  # "Who welcomed X?" -> "welcomes": the stance whose holders are asked for


def answer_type(text: str) -> str | None:
    """The kind of answer the question's first wh-phrase asks for."""
    found = [(m.start(), kind) for kind, rx in (("number", NUMBER_Q), ("date", DATE_Q), ("who", WHO_Q))
             if (m := rx.search(text))]
    return min(found)[1] if found else None


HOW_MANY = re.compile(r"\bhow many\s+(?:more\s+|of\s+the\s+)?((?:[\w'’-]+\s*){1,4})", re.I)
QUANTITY = re.compile(r"[£$€]\s?\d|\d\s?%|\b\d[\d,.]*\s*(?:per ?cent|percent|million|billion|bn|m|k|pages|years|months|weeks|days)\b|"
                      r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)\s+(?:per ?cent|percent|million|billion)\b|"
                      r"\b\d[\d,]*(?:\.\d+)?\b(?!\s*[/-]\s*\d)", re.I)
YEAR = re.compile(r"^(?:19|20)\d\d$")


MONEY_Q = re.compile(r"\bhow much\b.*\b(cost|costs|costing|spend|spent|spending|fund|funding|funded|money|worth|budget|"
                     r"invest|investment|pay|paid|price|allocat\w*)\b|\bhow much (money|funding|cash)\b", re.I)
MONEY = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s*(?:million|billion|bn|m|k|pounds|euros|dollars)\b", re.I)


def counted_stems(text: str, acronyms: dict[str, str]) -> tuple[str, ...]:
    m = HOW_MANY.search(text)
    if not m:
        return ()
    ws = [w for w in terms.words(m.group(1)) if w not in terms.STOPWORDS][:3]
    ws += expand_acronyms(ws, acronyms)
    return tuple(terms.stem(w) for w in ws)


def has_quantity(text: str, counted: tuple[str, ...] = ()) -> bool:
    """A number that answers "how much" or "how many": not a bare year; for "how many X", a number
    followed closely by X."""
    if counted:
        toks = terms.words(text)
        for i, w in enumerate(toks):
            if (w[:1].isdigit() or w in NUMBER_WORDS) and not YEAR.match(w):
                if any(terms.stem(t) in counted for t in toks[i + 1:i + 5]):
                    return True
        return False
    return any(not YEAR.match(m.group().strip()) for m in QUANTITY.finditer(text))


NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand".split())


def split_actors(text: str, actors: Actors) -> tuple[list[str], list[str], list[str]]:
    """Actors the question asks about, actors that only qualify its topic, and actors named as the source."""
    asked: list[str] = []
    topic: list[str] = []
    sources: list[str] = []

    def add(lst: list[str], a: str) -> None:
        if a not in lst:
            lst.append(a)

    strong = {m.actor for m in actors.find(text) if not m.weak}
    for m in actors.find(text):
        after = text[m.end:m.end + 40]
        before = text[max(0, m.start - 30):m.start]
        if SOURCE_BEFORE.search(before) or SOURCE_AFTER.match(after):
            add(sources, m.actor)
            continue
        if PREP_TOPIC.search(before) and not re.search(VIEW_NOUN + r"\s+of\s+(?:the\s+)?$", before, re.I):
            add(topic, m.actor)  # "what did the RCN say about the Hewitt Review": the review is the topic
            continue
        if ATTRIBUTIVE.match(after):
            add(topic, m.actor)  # "the Hewitt Review briefing", "the government response": a thing, not a voice
            continue
        possessive = re.match(r"['’]s?\s+(\w+)", after) or re.match(r"\s*['’]\s", after)
        governed = re.search(r"\b(on|about|to|with|over|towards|regarding|of|for)\s+(?:the\s+)?$", before, re.I)
        if possessive and (governed or not re.match(r"['’]s?\s+" + VIEW_NOUN + r"\b", after, re.I)):
            add(topic, m.actor)
            continue
        if m.weak and not (re.search(r"\b(did|does|do|has|have|will|would|is|was|how|what)\s+(?:the\s+)?$", before, re.I)
                           or re.match(r"\s+(is|was|did|does|has|have|will|would|says?|said|recommends?|proposes?|calls?|wants?|aims?)\b", after, re.I)):
            add(topic, m.actor)
            continue
        add(asked, m.actor)
    if not asked and len(topic) == 1 and not sources and topic[0] in strong:
        # "What did Hewitt's review recommend?" - a lone actor named in full is the one asked about.
        asked, topic = topic, []
    if WHO_ASKS.match(text):
        # "Who ordered the Hewitt Review?": the actor asked for is the unknown one; those named are the topic.
        topic, asked = [*asked, *topic], []
    return asked, [a for a in topic if a not in asked], [a for a in sources if a not in asked]


WHO_STANCE = [
    ("welcomes", re.compile(r"\b(welcom\w*|praised?|applaud\w*)\b", re.I)),
    ("supports", re.compile(r"\b(support\w*|back\w*|endorse\w*|agreed? with|in favour)\b", re.I)),
    ("accepts", re.compile(r"\b(accept\w*|adopt\w*)\b", re.I)),
    ("rejects", re.compile(r"\b(reject\w*|refus\w*|turned down|push\w* back)\b", re.I)),
    ("opposes", re.compile(r"\b(oppos\w*|object\w*|against)\b", re.I)),
    ("concerned", re.compile(r"\b(concern\w*|worr\w*|critici\w*|disappoint\w*|warn\w*)\b", re.I)),
    ("recommends", re.compile(r"\b(recommend\w*|propos\w*|call\w* for|urg\w*|suggest\w*)\b", re.I)),
]


def who_stance(text: str) -> str | None:
    """The stance a "who ..." question asks about ("Who welcomed fewer targets?" -> welcomes)."""
    if not WHO_ASKS.match(text):
        return None
    for name, rx in WHO_STANCE:
        if rx.search(text):
            return name
    return None


def expand_acronyms(words: list[str], acronyms: dict[str, str]) -> list[str]:
    """The acronym of each long form the question spells out; the index adds the same acronym to
    every text that spells it out, so both spellings meet in one term."""
    joined = " " + " ".join(words) + " "
    return [short for short, long in acronyms.items() if f" {long} " in joined and short not in words]


def analyse(text: str, actors: Actors, acronyms: dict[str, str], dense_text: str | None = None) -> Query:
    ws = terms.words(text)
    content = [w for w in ws if w not in terms.STOPWORDS]
    expanded = content + expand_acronyms(ws, acronyms)
    asked, topic, sources = split_actors(text, actors)
    return Query(
        text=text,
        dense_text=dense_text or text,
        tokens=tuple(terms.stem(w) for w in expanded),
        content_words=tuple(content),
        actors=tuple(asked),
        topic_actors=tuple(topic),
        sources=tuple(sources),
        answer_type=answer_type(text),
        answer_types=frozenset(k for k, rx in (("number", NUMBER_Q), ("date", DATE_Q), ("who", WHO_Q)) if rx.search(text)),
        counted=counted_stems(text, acronyms),
        comparison=len(asked) >= 2 and bool(COMPARE.search(text) or " and " in text),
        who_stance=who_stance(text),
    )
