"""Understand a question once, into a `Question` that the later steps only read.

A complete question stands alone: the conversation is used only when a question cannot be read
without it ("And the BMA?", "Why?", "What about HARPs?", "Did they accept it?"). Then the earlier
question, itself understood the same way, lends what this one lacks: its actors, its topic, or both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..language import terms
from ..language.actors import TITLES, Actors
from ..language.lexicon import attitude_stems, load, view_nouns
from ..language.parse import question_parse  # the parse itself is loaded on first use

# A possessive actor followed by one of these is the actor whose view is asked for ("NHS Providers' view
# on ...", "Hamilton's objection to ..."); followed by anything else, or by a proposal or pledge, it names a
# topic ("Hewitt's proposal").
VIEW_NOUN = "(?:" + "|".join(sorted(view_nouns(), key=len, reverse=True)) + ")s?"
# "according to X", "in X's reading": X is the source that reports, not necessarily the one whose position it is.
SOURCE_BEFORE = re.compile(r"\b(according to|in the (?:view|eyes|opinion|reading) of|as reported by)\s+(?:the\s+)?$", re.I)
SOURCE_AFTER = re.compile(r"^['’]s?\s+(reading|account|analysis|summary|briefing)\b", re.I)
WHO_ASKS = re.compile(r"^\W*(?:who|(?:which|(?:did|does|do|has|have|had|was|were|is|are|will|would)\s+any) "
                      r"(?:organisations?|organizations?|bodies|body|groups?|ministers?|people|person|"
                      r"company|companies|participants?|speakers?|presidents?|parties|party|senators?|members?|"
                      r"writers?|authors?|witness(?:es)?|experts?|critics?|commentators?|respondents?|leaders?|"
                      r"politicians?|officials?|governments?|countries|country|unions?|charities|charity|"
                      r"campaigners?|departments?|agencies|agency|institutions?|candidates?|MPs?)|"
                      # "Did anyone oppose X?" asks who did, as "Who opposed X?" does
                      r"(?:did|does|do|has|have|had|will|would)\s+(?:anyone|anybody|someone|somebody))\b", re.I)
# A clause the question subordinates ("How did X react when ministers refused to ...?", "... after the
# government published its reply"): the actors in it set the scene; someone else's view is asked about.
# (Not a question word: "By when did Hewitt want ...")
SUBORDINATE = re.compile(r"(?:^\W*|\w\s+)(?:when|whenever|after|because|although|though|whereas|while|if|unless|once|since|"
                         r"before|until)\s+(?!(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|"
                         r"should)\b)[^,;:?]*$", re.I)
# "the head of TWU Local 100", "the chair of the committee": who speaks for a body speaks as it.
ROLE_OF = re.compile(r"\b(?:" + "|".join(terms.ROLE_NOUNS) + r")s?\s+of\s+(?:the\s+)?$", re.I)
PREP_TOPIC = re.compile(r"\b(about|on|regarding|concerning|towards|over|into|for|from|with|to|between|of|against|at)\s+(?:the\s+)?$", re.I)
ATTRIBUTIVE = re.compile(r"^\s+(briefing|report|response|reply|proposals?|plan|paper|recommendations?|consultation|"
                         r"mandate|guidance|strategy|review|inquiry|process|reforms?|decision|model|survey)\b", re.I)
NUMBER_Q = re.compile(r"\b(how (?:many|much|long|big|large|often|high|low)|what(?:'s|\s+is|\s+was|\s+are|\s+were)?\s+"
                      r"(?:the\s+)?(?:[a-z-]+\s+)?(?:percentage|proportion|share|number|amount|size|length|rate|level|figure|"
                      r"total|cost|price)|by how much)\b", re.I)
MONEY_Q = re.compile(r"\bhow much\b.*\b(cost|costs|costing|spend|spent|spending|fund|funding|funded|money|worth|budget|"
                     r"invest|investment|pay|paid|price|allocat\w*|give|gave|given|grants?|salary|salaries|wages?|"
                     r"fees?|earn|earns|earned)\b|\bhow much (money|funding|cash)\b|"
                     # "What is the maximum salary under ...?": a sum of money asked for by what it is
                     r"\bwhat(?:'s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+(?:the\s+)?(?:[a-z-]+\s+)?"
                     r"(?:salary|salaries|wage|wages|fee|fees|budget|grant|price)\b(?!\s+(?:framework|system|policy|"
                     r"structure|review|process|plan|rules?|cap|freeze)\b)|"
                     # "What salary did X propose?": one sum of money heads the wh-phrase, a verb follows it
                     # ("Which fees are charged?" asks which, not how much)
                     r"\bwhat\s+(?:[a-z-]+\s+)?(?:salary|wage|fee|price)\s+"
                     r"(?:did|does|do|is|was|are|were|will|would|should|has|had|can|could)\b", re.I)
# A document named by its year: "in his 2007 address", "from the 2010 State of the Union", "her speech of 1994".
DOC_NOUN = r"(?:address|speech|statement|report|response|reply|briefing|submission|letter|essay|message|remarks|paper)"
DOC_YEAR = re.compile(r"\b(?:in|from|during|at)\s+(?:his|her|its|their|the|this|that)\s+((?:19|20)\d\d)"
                      r"(?:\s+(?:[A-Z][\w'’-]*|of|the|on|" + DOC_NOUN + r"))*|"
                      r"\b" + DOC_NOUN + r"\s+(?:of|in|from)\s+((?:19|20)\d\d)\b", re.I)
DATE_Q = re.compile(r"\b(when|by when|what (?:year|date|month|day)|which (?:year|date|month)|how soon)\b", re.I)
# "When does the ICO think consent is the right approach?" asks on what condition, not on what date: a "when"
# whose clause holds a verb of judging or an evaluative word.
CONDITIONAL_WHEN = re.compile(r"when\s+(?:does|do|is|are|would|should|can|could|might|may)\b(?=[^?.;]*\b(?:think|thinks|"
                              r"believe|believes|consider|considers|feel|feels|regard|regards|right|appropriate|"
                              r"acceptable|justified|justifiable|necessary|fair|reasonable|legitimate|wrong|sensible|"
                              r"proportionate|ok|okay)\b)", re.I)
# "When the banks had been bailed out, why did X still want ...?": a "when" with no auxiliary after it opens a
# clause that sets the scene for the question that follows the comma.
SETTING_WHEN = re.compile(r"when\s+(?!(?:did|does|do|is|was|are|were|has|have|had|will|would|should|can|could|might|may|"
                          r"must|shall)\b)[^,?]+,\s*(?:why|what|how|who|which|where|did|does|do|is|was|should|would|will|"
                          r"can)\b", re.I)
# "Had they raised that worry before, when the review came out?": a "when" after the question has asked its
# thing, with no auxiliary after it, says when something happened; it does not ask for a date.
LATER_WHEN = re.compile(r"when\s+(?!(?:did|does|do|is|was|are|were|has|have|had|will|would|should|can|could|might|"
                        r"may|must|shall)\b)", re.I)
WHO_Q = re.compile(r"\b(who|which (?:minister|body|organisation|organization|person|people|company|group|bodies|"
                   r"organisations|chancellor|secretary|participants?|speakers?|president|senator))\b", re.I)
# Words that set one actor beside another ("How does that compare with X's view?"; "Did X agree?" asks X's
# own view), and all the words that ask about actors side by side: how a comparison asks, not what about.
BESIDE_WORDS = "compare compared comparison differ differs difference different versus vs".split()
COMPARE_WORDS = BESIDE_WORDS + "both each while whereas agree disagree same".split()
SET_BESIDE = re.compile(r"\b(?:" + "|".join(BESIDE_WORDS) + r")\b", re.I)
COMPARE = re.compile(r"\b(" + "|".join(COMPARE_WORDS) + r")\b\.?", re.I)
COMPARE_STEMS = frozenset(terms.stem(w) for w in COMPARE_WORDS)
HOW_MANY = re.compile(r"\bhow many\s+(?:more\s+|of\s+the\s+)?((?:[\w'’-]+\s*){1,5})", re.I)
AUXILIARY = frozenset("did do does were was are is have has had will would could can should".split())
# Openers of an elliptical follow-up: "And the BMA?", "What about HARPs?", "But why?"
CONTINUES = re.compile(r"^\W*(?:and|but|so|also|what about|how about|and what about|what of|and how about)\b", re.I)
# What stands between two actors named together ("the BMA and NHS Providers", "X, Y"); {} takes more joins.
TOGETHER = r"\W*(?:,|and|or|&{})\s*(?:the\s+)?"
TURNS_TO = re.compile(r"\W*(?:and\s+|but\s+)?(?:what|how) about\s+(?:the\s+)?", re.I)
WH = re.compile(r"\b(what|which|who|whom|whose|when|where|why|how)\b", re.I)
PEOPLE = frozenset({"he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs"})
HOLDERS = frozenset({"he", "she", "they"})
PERSONAL = PEOPLE - {"them"}  # "them" may be things too
SINGULAR = frozenset({"he", "him", "his", "she", "her", "hers"})
PLURAL = frozenset({"they", "them", "their", "theirs"})
# Two capitalised words: someone the question names, known to the cast or not ("What did Jimmy Carter say in his ...")
PERSON_NAMED = re.compile(r"(?<!^)\b[A-Z][a-z]+\s+[A-Z][a-z]+")
THINGS = frozenset({"it", "them"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
# Nouns that stand for something said before ("that decision", "this way"): shell nouns (Schmid 2000).
SHELL = frozenset("""decision decisions way proposal proposals plan plans idea ideas approach move change changes
recommendation recommendations policy issue issues point one ones answer response reply call position view
step steps measure measures claim argument""".split())
THIN = 1  # a question with this many topic words or fewer leans on the conversation for what a pronoun means
# Words that frame a question without naming its topic: how a question asks, not what about.
FRAME = frozenset("""differ difference different compare comparison agree disagree each both versus vs stand
think thinks say says said view views position react respond response reaction feel make makes made
want wants wanted need needs needed plan plans argue argues argued mean means many much long often
reason reasons reasoning rationale grounds why anyone anybody someone somebody else""".split())


@dataclass(frozen=True)
class Question:
    asked: str  # as typed
    text: str  # the standalone reading shown to the user
    dense_text: str  # what the model embeds
    tokens: tuple[str, ...]  # stemmed terms for BM25 (acronyms expanded)
    topic: tuple[str, ...]  # stemmed topic terms: no actor names, no question frame (coverage is judged on these)
    topic_words: tuple[str, ...]  # the same, as written
    actors: tuple[str, ...]  # whose positions are asked for, in order
    topic_actors: tuple[str, ...]  # actors named only as part of the topic ("Hewitt's proposal")
    sources: tuple[str, ...]  # actors named as the source to read ("according to The King's Fund")
    answer_type: str | None  # "money" | "number" | "date" | "who" | None
    counted: tuple[str, ...]  # stems of what "how many ..." counts
    comparison: bool
    who_stance: str | None  # "Who welcomed X?" -> "welcomes": the stance whose holders are asked for
    followup: bool = False  # read with the conversation
    years: tuple[str, ...] = ()  # years naming the document asked about ("in his 2007 address")
    # Topic stems lent by the conversation: coverage reads them, but whether the corpus knows them at all
    # was judged when they were asked.
    carried: tuple[str, ...] = ()
    why: bool = False  # "Why?" / "What was their reason?" after an answer: the reasons given for it


def split_actors(text: str, actors: Actors) -> tuple[list[str], list[str], list[str]]:
    """Actors the question asks about, actors that only qualify its topic, and actors named as the source."""
    asked: list[str] = []
    topic: list[str] = []
    sources: list[str] = []

    def add(lst: list[str], a: str) -> None:
        if a not in lst:
            lst.append(a)

    mentions = actors.find(text, question=True)
    possessed: set[str] = set()  # named only as a possessor: "Hewitt's review"
    for m in mentions:
        after = text[m.end:m.end + 40]
        before = text[max(0, m.start - 30):m.start]
        if SOURCE_BEFORE.search(before) or SOURCE_AFTER.match(after):
            add(sources, m.actor)
            continue
        if TURNS_TO.fullmatch(text[:m.start]):
            add(asked, m.actor)  # "What about the TUC?": the opener turns to someone; its "about" names no topic
            continue
        if asked and COMPARE.search(text) and re.search(r"\b(?:with|versus|vs\.?)\s+(?:the\s+)?$", before, re.I) \
                and not re.match(r"['’]", after):
            add(asked, m.actor)  # "Compare the BMA with NHS Providers on ...": the second one compared
            continue
        if (sub := SUBORDINATE.search(text[:m.start])) and not (
                # "If the union opposes the levy, what does it want instead?": a clause that opens the question
                # names whom its "it" means, unless someone else is named after it ("..., should it? X's view")
                re.match(r"\W*$", text[:sub.start()]) and not [n for n in mentions if n.start > m.end
                                                                  and n.actor != m.actor and "," in text[m.end:n.start]]):
            add(topic, m.actor)
            continue
        if COMPARE.search(text) and re.search(r"\b(?:with|to|from|versus|vs\.?)\s+(?:the\s+)?$", before, re.I) \
                and re.match(r"['’]s?\s+" + VIEW_NOUN + r"\b", after, re.I):
            add(asked, m.actor)  # "How does that compare with Roe's view?": the view's owner is compared
            continue
        if PREP_TOPIC.search(before) and not re.search(VIEW_NOUN + r"\s+of\s+(?:the\s+)?$", before, re.I) \
                and not ROLE_OF.search(before):
            add(topic, m.actor)  # "what did the RCN say about the Hewitt Review": the review is the topic
            continue
        if ATTRIBUTIVE.match(after):
            add(topic, m.actor)  # "the Hewitt Review briefing", "the government response": a thing, not a voice
            continue
        possessive = re.match(r"['’]s?\s+(\w+)", after) or re.match(r"\s*['’]\s", after)
        governed = re.search(r"\b(on|about|to|with|over|towards|regarding|of|for)\s+(?:the\s+)?$", before, re.I)
        if possessive and (governed or not re.match(r"['’]s?\s+" + VIEW_NOUN + r"\b", after, re.I)):
            add(topic, m.actor)
            if not governed and not m.weak:
                possessed.add(m.actor)
            continue
        if m.weak and CONTINUES.match(text[:m.start]) and not re.search(r"\w", text[m.end:]):
            add(asked, m.actor)  # "And the ministry?"
            continue
        if m.weak and not (re.search(r"\b(did|does|do|has|have|will|would|is|was|how|what)\s+(?:the\s+)?$", before, re.I)
                           or re.match(r"\s+(is|was|did|does|has|have|will|would|says?|said|recommends?|proposes?|calls?|wants?|aims?)\b", after, re.I)):
            add(topic, m.actor)
            continue
        add(asked, m.actor)
    if not asked and len(topic) == 1 and not sources and topic[0] in possessed and says(text):
        # "What did Hewitt's review recommend?" - a lone possessor of what says something is the one asked about
        # (not in "How long is Hewitt's report?").
        asked, topic = topic, []
    if asked:
        # The parse tells a body named inside the topic ("pay for senior NHS managers", "cqc ratings", "the law
        # passed by the assembly") from the one whose view is asked for; without the parser, as before.
        inside = [a for a in asked if (ms := [m for m in mentions if m.actor == a]) and all(in_topic(text, m) for m in ms)]
        if inside and (len(inside) < len(asked) or not sources):
            asked = [a for a in asked if a not in inside]
            topic += inside
    if len(asked) == 1 and not sources and (ms := [m for m in mentions if m.actor == asked[0]]) \
            and all(asked_of_its_role(text, m) for m in ms):
        topic, asked = [*asked, *topic], []
    if len(asked) > 1:
        # "What do the LGA and WLGA ask the Inquiry to say ...": the actors named together first are asked
        # about; one named after the verb is who they address. In a comparison too: "Do X and Y agree on
        # whether Hewitt settled ...", "Did X and Y back the plan to review NHS capital rules?" compare X
        # and Y; when no two are named together ("X said ... while Y ..."), all are compared.
        compared = bool(COMPARE.search(text))
        first = [m for m in mentions if m.actor in asked]
        group = [first[0].actor]
        for a, b in zip(first, first[1:]):
            if not re.fullmatch(TOGETHER.format(r"|with|versus|vs\.?"), text[a.end:b.start], re.I):
                break
            group.append(b.actor)
        if not compared or len(set(group)) > 1:
            topic += [a for a in asked if a not in group]
            asked = list(dict.fromkeys(group))
    for start, end, names in actors.namesakes(text):
        # A surname several people share ("Bush"): one of them is asked about, unless it names a topic.
        after = text[end:end + 40]
        if PREP_TOPIC.search(text[max(0, start - 30):start]) or (
                re.match(r"['’]s?\s+\w", after) and not re.match(r"['’]s?\s+" + VIEW_NOUN + r"\b", after, re.I)):
            continue
        for name in names:
            add(asked, name)
    if WHO_ASKS.match(text) and not says(text):
        # "Who ordered the Hewitt Review?": the actor asked for is the unknown one; those named are the topic.
        # ("Who did Hewitt say should step in?" asks for a name in Hewitt's own statement.)
        topic, asked = [*asked, *topic], []
    return asked, [a for a in topic if a not in asked], [a for a in sources if a not in asked]


ROLE_MODALS = frozenset({"can", "could", "may"})  # with "supposed/meant/able/allowed to": what a body may or must do


def asked_of_its_role(text: str, mention) -> bool:
    """"How is the CQC supposed to rate the systems?", "So can NHSE still step in with trusts?": a body as the
    subject of what it can or must do asks what the sources say of its role, not for its view (a view is
    asked with an attitude or reporting verb: "Can the BMA support the plan?")."""
    doc = question_parse(text)
    if doc is None:
        return False
    inside = [t for t in doc if mention.start <= t.idx < mention.end]
    if not inside or inside[-1].dep_ not in ("nsubj", "nsubjpass"):
        return False
    head = inside[-1].head
    verbs = [head] + [c for c in head.children if c.dep_ in ("xcomp", "acomp")] \
        + [g for c in head.children if c.dep_ in ("xcomp", "acomp") for g in c.children if g.dep_ == "xcomp"]
    modal = any(c.lower_ in ROLE_MODALS for c in head.children if c.dep_ == "aux") or \
        head.lemma_.lower() in ("suppose", "mean", "able", "allow", "require", "oblige") or \
        any(v.lemma_.lower() in ("able", "allowed", "required", "supposed") for v in verbs)
    stems = attitude_stems()
    doing = [v for v in verbs if v.pos_ == "VERB" and v.lemma_.lower() not in ("suppose", "mean", "allow", "require")]
    return modal and bool(doing) and not any(terms.stem(v.lower_) in stems or terms.stem(v.lemma_.lower()) in stems
                                             for v in doing)


def in_topic(text: str, mention) -> bool:
    """Whether a name only qualifies something else the question is about: a modifier of a noun that is not
    the question's head nor a view ("senior NHS managers", "NHS and council money", "cqc ratings for ICSs"),
    or a name inside a clause that describes a thing ("the law passed by the assembly")."""
    doc = question_parse(text)
    if doc is None:
        return False
    inside = [t for t in doc if mention.start <= t.idx < mention.end]
    if not inside:
        return False
    last = inside[-1]
    if last.dep_ == "poss" and is_view(last.head):
        return False  # "... in Demos's view?": the owner of a view is asked about, wherever the parse hangs it
    if any(a.dep_ in ("acl", "relcl") for a in last.ancestors):
        return True
    head = last.head
    return (last.dep_ in ("compound", "nmod", "amod") and head.i > last.i and head.pos_ in ("NOUN", "PROPN")
            and head.dep_ != "ROOT" and not mention.start <= head.idx < mention.end
            and not is_view(head))


def is_view(token) -> bool:
    return token.lemma_.lower() in view_nouns() or bool(re.search(VIEW_NOUN, token.text, re.I))


# Where a wh-phrase asks for the answer: at the start of the question or of a clause ("According to X,
# how many ...", "Across how many ...", "..., and who was chosen"), not "judged when paying".
CLAUSE_START = re.compile(r"(?:^\W*|[,;:]\s+|\band\s+|^\W*\w+\s+)$", re.I)


def says(text: str) -> bool:
    """Whether a question asks what someone says or does: an auxiliary, then a reporting or attitude verb
    ("What did Hewitt's review recommend?"; not "How long is Hewitt's report?")."""
    m = re.search(r"\b(?:did|does|do|will|would|has|have|had)\b", text, re.I)
    if not m:
        return False
    verbs = {terms.stem(w) for w in load().verbs if " " not in w}
    return any(terms.stem(w) in verbs for w in terms.words(text[m.end():]))


def answer_type(text: str) -> str | None:
    """The kind of answer the question's first clause-opening wh-phrase asks for."""
    found = []
    for kind, rx in (("money", MONEY_Q), ("number", NUMBER_Q), ("date", DATE_Q), ("who", WHO_Q)):
        for m in rx.finditer(text):
            if kind == "date" and (CONDITIONAL_WHEN.match(text, m.start()) or SETTING_WHEN.match(text, m.start())
                                   or LATER_WHEN.match(text, m.start()) and text[:m.start()].strip()):
                continue
            if CLAUSE_START.search(text[:m.start()]):
                found.append((m.start(), kind))
                break
    if any(kind == "money" for _, kind in found):
        return "money"
    return min(found)[1] if found else None


def who_stance(text: str) -> str | None:
    """The stance a "who ..." question asks about ("Who welcomed fewer targets?" -> welcomes), or
    "reports" when it asks who spoke on a topic at all ("Which presidents talked about immigration?"):
    each actor's best statement on it leads."""
    m = WHO_ASKS.match(text)
    if not m or re.match(r"\s+(?:did|does|do|will|would|can|could|should|might)\b", text[m.end():], re.I):
        return None  # "Who does the union say should ..., and does it back X?": the one asked for is no holder
    found = asked_stance(text)
    after = [w for w in terms.words(text[m.end():]) if w not in ("has", "have", "had")][:1]
    if found is None and after and attitude_stems().get(terms.stem(after[0])) == "reports":
        return "reports"  # the one asked about is who spoke ("Who said ...?"), not "Who did X say ...?"
    return found


MODALS = frozenset("will would shall should can could may might must".split())


def asked_stance(text: str) -> str | None:
    """The first attitude word of a question, as a stance ("What reservations ...", "Did X welcome ...")."""
    # A modal is no attitude, though "will" stems as "willing" does ("neither force nor will").
    stems = [terms.stem(w) for w in terms.words(text) if w not in MODALS]
    table = {k: v for k, v in attitude_stems().items() if v != "reports"}
    for i, st in enumerate(stems):
        pair = " ".join(stems[i:i + 2])
        if pair in table:
            return table[pair]
        if st in table:
            return table[st]
    return None


def expand_acronyms(words: list[str], acronyms: dict[str, str]) -> list[str]:
    """The acronym of each long form the question spells out; the index adds the same acronym to
    every text that spells it out, so both spellings meet in one term."""
    joined = " " + " ".join(words) + " "
    return [short for short, long in acronyms.items() if f" {long} " in joined and short not in words]


TITLE_BEFORE = re.compile(r"(?:(?<![\w'’])(?:" + "|".join(sorted(TITLES - {"the"})) + r")\.?\s+)+$", re.I)


def titled(text: str, start: int) -> int:
    """Where a name starts with its form of address: "Sir Patrick Vallance", not "Patrick Vallance"."""
    m = TITLE_BEFORE.search(text[:start])
    return m.start() if m else start


def name_words(text: str, actors: Actors, whose: Sequence[str]) -> set[str]:
    """Words of the names of the actors whose views are asked for ("the BMA", "the bereaved families"):
    who is asked about is not what about. A name that is part of the topic stays in it."""
    mentions = actors.find(text, question=True)
    strong = {m.actor for m in mentions if not m.weak}
    out: set[str] = set()
    for m in mentions:
        # A loose alias ("the report") of an actor also named in full is the topic, not the actor.
        if m.actor in whose and not (m.weak and m.actor in strong):
            out.update(terms.words(text[titled(text, m.start):m.end]))
    for start, end, names in actors.namesakes(text):
        if set(names) & set(whose):
            out.update(terms.words(text[start:end]))  # "the younger Bush" names someone; it is no topic
    return out


def source_frame(text: str, actors: Actors) -> set[str]:
    """"in The King's Fund's reading", "according to Reagan's 1985 address": the noun that makes an actor
    the source to read frames the question; it is not what the question is about."""
    out = set()
    for m in actors.find(text, question=True):
        after = text[m.end:m.end + 40]
        frame = SOURCE_AFTER.match(after)
        if not frame and SOURCE_BEFORE.search(text[max(0, m.start - 30):m.start]):
            # "According to Reagan's 1985 address, ...": the document the source speaks in
            frame = re.match(r"['’]s?\s+(?:\d{4}\s+)?(\w+)", after)
        if frame:
            out.update(terms.words(frame.group(1)))
    return out


def anaphora(text: str) -> tuple[bool, bool, bool, bool]:
    """(refers to people, refers to things, points back, points back only by a closing "there"): "they", "it",
    "that decision" / "why that?", "did X go as far as Y wanted there?"."""
    ws = terms.words(text)
    people = any(w in PEOPLE for w in ws)
    things = pointer = there = False
    for i, w in enumerate(ws):
        nxt = ws[i + 1] if i + 1 < len(ws) else ""
        # "to get it", "it was worth it"; not "is it true that", "it is right to"
        expletive = (nxt in ("is", "was", "be", "get", "gets", "become", "becomes", "seem", "seems")
                     and any(x in ("that", "to", "whether") for x in ws[i + 2:i + 5])) \
            or (i > 0 and ws[i - 1] in ("is", "was"))
        if w in THINGS and not expletive:
            things = True
        elif w in DEMONSTRATIVES and i > 0 and (not nxt or nxt in SHELL):
            pointer = True  # "that decision", "that way", "why that"
        elif w == "there" and i > 1 and not nxt:
            there = True  # "did X go as far as Y wanted there?": on that point
    return people, things, pointer, there and not pointer


def ends_on_shell(text: str) -> bool:
    """"... react to the government's answer?": a shell noun ending the question points back too."""
    return bool(re.search(r"\bthe\s+(?:[\w'’]+\s+){0,2}(?:" + "|".join(sorted(SHELL)) + r")\W*$", text, re.I))


def side_by_side(text: str, actors: Actors) -> bool:
    """Two actors named together ("the BMA and NHS Providers", "X or Y"): asked about side by side."""
    ms = actors.find(text, question=True)
    return any(re.fullmatch(TOGETHER.format(""), text[a.end:b.start], re.I) for a, b in zip(ms, ms[1:]))


def without_asked(text: str, asked: list[str], actors: Actors, sources: Sequence[str] = ()) -> str:
    """The question as the model reads it: without the names of the actors it asks about, which would
    pull every sentence of theirs close (who holds a view is matched through attribution instead), nor
    the source it names with its frame ("According to X,", "in X's reading"): which documents to read is
    matched through their publisher, and the frame's words are in none of the answers."""
    out = text
    mentions = actors.find(text, question=True)
    strong = {m.actor for m in mentions if not m.weak}
    for m in sorted(mentions, key=lambda m: -m.start):
        if m.actor in sources:
            before = SOURCE_BEFORE.search(out[:m.start])
            after = SOURCE_AFTER.match(out[m.end:])
            start = before.start() if before else re.search(r"(?:\bthe\s+)?$", out[:m.start], re.I).start()
            end = m.end + after.end() if after else m.end
            if after:
                start = re.search(r"(?:\bin\s+)?$", out[:start]).start()  # "in X's reading"
            out = out[:start].rstrip(" ,") + (" " if start and end < len(out) else "") + out[end:].lstrip(" ,")
        elif m.actor in asked and not (m.weak and m.actor in strong):
            out = out[:titled(out, m.start)] + out[m.end:]
    out = tidy(out)
    return out if sum(w not in terms.STOPWORDS for w in terms.words(out)) >= 2 else text


def unreferenced(text: str) -> str:
    """The question without the document it names by year ("In his 2007 address, what did X say about T?"
    -> "what did X say about T?")."""
    return tidy(DOC_YEAR.sub("", text)).strip(" ,")


def tidy(text: str) -> str:
    """Spacing put right after words were taken out of a question: single spaces, none before punctuation."""
    return re.sub(r"\s+([?.!,])", r"\1", re.sub(r"\s+", " ", text)).strip()


def analyse(text: str, actors: Actors, acronyms: dict[str, str]) -> Question:
    """A question read on its own."""
    refs = list(DOC_YEAR.finditer(text))
    years = tuple(dict.fromkeys(y for m in refs for y in m.groups() if y))
    bare = unreferenced(text) if refs else text  # which document to read is not what about
    ws = terms.words(bare)
    content = [w for w in ws if w not in terms.STOPWORDS]
    asked, topic_actors, sources = split_actors(text, actors)
    kind = answer_type(text)
    if kind and kind != "who" and not says(text):
        # "When was the Hewitt Review announced?": a fact about an actor, not a position it holds.
        asked, topic_actors = [], list(dict.fromkeys(topic_actors + asked))
    names = name_words(text, actors, asked + sources) | source_frame(text, actors)
    frame = attitude_stems()
    # The topic's words as written ("HARPs", not "harp"), for showing; matched by their stems.
    written = [m.group(0) for m in re.finditer(r"[A-Za-z0-9£][\w'’%£-]*", bare)]
    topic_words = tuple(dict.fromkeys(
        re.sub(r"['’]s?$", "", w) for w in written
        if (k := terms.words(w)) and k[0] not in terms.STOPWORDS and k[0] not in names and k[0] not in FRAME
        and terms.stem(k[0]) not in frame))
    expanded = content + expand_acronyms(ws, acronyms)
    m = HOW_MANY.search(text)
    counted: tuple[str, ...] = ()
    if m:
        # What is counted: the words up to the verb ("how many integrated care systems are there"),
        # its head last ("how many of the White review's recommendations did ...").
        ws = []
        for w in terms.words(m.group(1)):
            if w in AUXILIARY:
                break
            if w not in terms.STOPWORDS:
                ws.append(w)
        ws = ws[:4]
        # (the head stays last: acronyms of the words go between)
        counted = tuple(terms.stem(w) for w in ws[:-1] + expand_acronyms(ws, acronyms) + ws[-1:])
    topic_keys = [k for w in topic_words for k in terms.words(w)]
    comparison = len(asked) >= 2 and bool(COMPARE.search(text) or side_by_side(text, actors))
    tokens = tuple(terms.stem(w) for w in expanded)
    return Question(
        asked=text, text=text, dense_text=without_asked(bare, asked, actors, sources),
        tokens=without_comparing(tokens) if comparison else tokens,
        topic=tuple(dict.fromkeys(terms.stem(w) for w in topic_keys + expand_acronyms(topic_keys, acronyms))),
        topic_words=topic_words,
        actors=tuple(asked), topic_actors=tuple(topic_actors), sources=tuple(sources),
        answer_type=kind, counted=counted,
        comparison=comparison,
        who_stance=who_stance(text),
        years=years,
    )


def elliptical(q: Question) -> tuple[bool, bool]:
    """(needs the earlier actors, needs the earlier topic): what this question cannot be read without."""
    people, things, pointer, there = anaphora(q.asked)
    # "ok, social care. What did Hewitt want done about staffing there?": a "there" after a thing the question
    # names itself is that thing
    pointer = pointer or stands_for_something_said(q.asked) or (there and not names_a_thing(q))
    thin = len(q.topic_words) <= THIN
    short = CONTINUES.match(q.asked) is not None and len(q.topic_words) <= 3
    voiced = holds_view(q.asked)
    # "it"/"them" in a question that names nobody and little else ("Who was in charge of them back then?")
    few = len(q.topic_words) <= THIN + 1 and not q.actors
    dangling = things and not antecedent(q)
    # a question that points back (a pronoun, "And ...?") and names no thing of its own asks about the earlier topic
    back = people or dangling or short
    needs_topic = (not q.topic or pointer or ((thin or few) and (things or ends_on_shell(q.asked)))
                   or (voiced and ends_on_shell(q.asked)) or (back and not names_a_thing(q)) or dangling)
    # "he"/"she" is one person: with nobody named, the one asked about before
    singular = bool(SINGULAR & set(terms.words(q.asked))) and not PERSON_NAMED.search(q.asked)
    needs_actors = (needs_topic or short or (people and thin) or voiced or singular) and not q.actors and not q.sources
    return needs_actors, needs_topic


# "Was that accepted?", "Has it been welcomed?": a passive attitude asks who took it, not the proposer again.
PASSIVE = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?(?:was|were|is|are|has|have|had)\s+(?:it|that|this|they|these|those)"
                     r"\s+(?:been\s+|ever\s+)?([a-z]+ed)\b", re.I)
RELATIVE = frozenset(terms.stem(w) for w in ("agree", "agrees", "disagree", "disagrees", "differ", "differs"))


def asks_holders(asked: str, own: Question) -> str | None:
    """The stance whose holders a follow-up asks for, or None when it asks the earlier actors again.
    Agreeing and disagreeing are relative to what was said before: every other actor's view is shown
    ("reports"), with its own stance."""
    m = PASSIVE.match(asked)
    stance = own.who_stance or (asked_stance(m.group(1)) if m else None)
    if stance is None:
        return None
    if any(terms.stem(w) in RELATIVE for w in terms.words(asked)):
        return "reports"
    return stance


def stands_for_something_said(text: str) -> bool:
    """"Did that actually happen?", "Why was that?", "Was this in the final report?": a demonstrative used as a
    pronoun (not "say that funding would rise", "this year", nor the relative "the law that put ...") with
    nothing named before it that it could mean is something said before."""
    doc = question_parse(text)
    return doc is not None and any(
        t.lower_ in DEMONSTRATIVES and t.pos_ == "PRON" and t.tag_ != "WDT"
        and not any(u.pos_ in ("NOUN", "PROPN") for u in doc[:t.i]) for t in doc)


def antecedent(q: Question) -> bool:
    """Whether something the question names before its "it"/"them" may be what the pronoun means ("the fund,
    and will it work?", "When was the Hewitt Review announced, and who was chosen to lead it?", "Did the BMA
    get what it wanted?"). An object pronoun never means its own clause's subject: in "Did ministers go
    along with it?" nothing may; nor in "Should it be a crime for anyone to do it?"."""
    doc = question_parse(q.asked)
    if doc is None:
        return True  # without the parser a question is taken as it stands
    for t in doc:
        if t.lower_ in THINGS:
            subject = t.dep_ in ("nsubj", "nsubjpass")
            named = [u for u in doc[:t.i] if u.pos_ in ("NOUN", "PROPN")
                     and (subject or u.dep_ not in ("nsubj", "nsubjpass"))]
            return bool(named) or (subject and bool(q.actors or q.topic_actors))
    return True


def verbless(text: str) -> bool:
    """"And the TUC?", "NHS Providers, then?": a follow-up with no verb of its own asks the earlier question
    again; "Was that accepted?", "Are they happy with it?" ask something else of the earlier topic."""
    doc = question_parse(text)
    return doc is None or not any(t.pos_ in ("VERB", "AUX") for t in doc)


def holds_view(text: str) -> bool:
    """"What would they want instead ...?", "Why did he think it was worth it?": a personal pronoun holding a
    view (the subject of an attitude or reporting verb) stands for someone asked about before, however
    much else the question says. ("Do they earn too little?" may mean the workers the topic is about.)"""
    ws = terms.words(text)
    verbs = attitude_stems()
    # ("What would they settle for?": a modal before the pronoun asks what they would do or accept, unless
    # the question names before it what "they" may be: "Which ICSs would qualify, and what would they gain?")
    return any(w in HOLDERS and (any(terms.stem(v) in verbs for v in ws[i + 1:i + 4] if v not in MODALS)
                                 or i > 0 and ws[i - 1] in MODALS - {"will", "can"} and not plural_before(text, i))
               for i, w in enumerate(ws))


def plural_before(text: str, word_index: int) -> bool:
    """Whether the question names some things (a plural noun) before its `word_index`-th word."""
    doc = question_parse(text)
    if doc is None:
        return True  # without the parser, the pronoun may mean them
    seen = 0
    for t in doc:
        if terms.words(t.text):
            if seen >= word_index:
                return False
            seen += len(terms.words(t.text))
        if t.tag_ in ("NNS", "NNPS"):
            return True
    return False


def names_a_thing(q: Question) -> bool:
    """Whether a question's topic words hold a noun. "Did ministers go along with it?", "Is there anything
    they think is missing?": verbs and adjectives say what is asked of the earlier topic, they name none."""
    doc = question_parse(q.asked)
    if doc is None:
        return True  # without the parser a question is taken as it stands
    words = {p for w in q.topic_words for p in terms.words(w)}
    words -= {p for a in q.topic_actors for p in terms.words(a)}  # "as the ministry wanted": a body, not a thing
    # the token read as the topic words were ("HARPs" is "harp", "ICSs" "ics")
    return any(t.pos_ in ("NOUN", "PROPN", "NUM") and set(terms.words(t.text)) & words for t in doc)


def without_comparing(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A comparison's BM25 terms without the words that ask it ("agree", "differ"): how, not what about."""
    return tuple(t for t in tokens if t not in COMPARE_STEMS)


def conversation_actors(history: Sequence[str], actors: Actors, turns: int = 3) -> tuple[str, ...]:
    """The actors the last few turns asked about, the earliest first ("What did X say about T?", "And Y?")."""
    found: list[str] = []
    for turn in reversed(history[-turns:]):
        for a in reversed(split_actors(turn, actors)[0]):
            if a not in found:
                found.append(a)
    return tuple(reversed(found))


def understand(asked: str, history: Sequence[str], actors: Actors, acronyms: dict[str, str]) -> Question:
    """The question as it must be read: alone when it is complete, else with the conversation before it."""
    own = analyse(asked, actors, acronyms)
    if not history:
        return own
    needs_actors, needs_topic = elliptical(own)
    if not (needs_actors or needs_topic):
        return own  # a complete question is answered exactly as if asked alone
    prev = understand(history[-1], history[:-1], actors, acronyms)
    words = set(terms.words(asked))
    if needs_actors and words & SINGULAR and not words & PLURAL and prev.actors \
            and not any(actors.has_voice(a) for a in prev.actors) \
            and not any(ROLE_OF.search(history[-1][:m.start]) for m in actors.find(history[-1], question=True)):
        needs_actors = False  # "how many did she want?" after a question about a body no person speaks for
    carried: list[str] = []
    q = own
    shared = {n for _, _, names in actors.namesakes(asked) for n in names}
    if CONTINUES.match(asked) and shared & set(prev.actors) and set(own.actors) - set(prev.actors):
        # "And the younger Bush?" after a question about the elder: "and" turns to someone else, so the one
        # asked about before is not who a shared surname means now.
        rest = tuple(a for a in own.actors if a not in prev.actors or a not in shared)
        q = replace(q, actors=rest, comparison=own.comparison and len(rest) >= 2)
    # "Do they agree?" compares those the conversation turned to; "Does anyone disagree?" asks for others
    talked_of = conversation_actors(history, actors) if needs_actors and COMPARE.search(asked) and not own.who_stance \
        else ()
    if needs_topic and SET_BESIDE.search(asked) and len(own.actors) == 1 and prev.actors \
            and not set(own.actors) & set(prev.actors):
        # "How does that compare with Roe's view?": those asked about before, side by side with the one named now
        q = replace(q, actors=prev.actors + own.actors, comparison=True)
        carried += [a for a in prev.actors if a not in q.asked]
    elif len(talked_of) >= 2:
        # "Do they agree?": those the conversation turned to, side by side
        q = replace(q, actors=talked_of, comparison=True, tokens=without_comparing(q.tokens))
        carried += [a for a in talked_of if a not in q.asked]
    elif needs_actors and prev.actors and ((holders := asks_holders(asked, own))
                                          or (own.answer_type == "who" and not PERSONAL & set(terms.words(asked)))):
        # "Does anyone disagree?", "Who else backed it?", "Was that accepted?": others' views of what the
        # earlier actors said or proposed, not theirs again; those actors are what the others respond to.
        q = replace(q, who_stance=holders, topic_actors=tuple(dict.fromkeys(q.topic_actors + prev.actors)))
    elif needs_actors and prev.actors:
        q = replace(q, actors=prev.actors, comparison=prev.comparison, who_stance=q.who_stance or prev.who_stance)
        carried += [a for a in prev.actors if a not in q.asked]
    elif needs_actors and prev.who_stance and not q.who_stance:
        q = replace(q, who_stance=prev.who_stance)
    if needs_topic:
        extra = [w for w in prev.topic_words if w not in q.topic_words]
        q = replace(q, topic=tuple(dict.fromkeys(q.topic + prev.topic)), topic_words=q.topic_words + tuple(extra),
                    carried=tuple(t for t in prev.topic if t not in q.topic),
                    tokens=tuple(dict.fromkeys(q.tokens + prev.topic)),
                    topic_actors=tuple(dict.fromkeys(q.topic_actors + prev.topic_actors + tuple(
                        a for a in prev.actors if a not in q.actors))) if q.actors != prev.actors else q.topic_actors,
                    # "And the TUC?" asks what the earlier question asked; "What did X say?" asks its own thing.
                    answer_type=q.answer_type or (prev.answer_type if not own.topic and not WH.search(asked)
                                                  and verbless(asked) else None),
                    counted=q.counted or prev.counted)
        carried += extra
    why = bool(WHY_ALONE.match(asked) or REASON.match(asked))
    if not carried:
        return replace(q, followup=True, why=why)
    # What the model reads. "And the TUC?": the earlier question asked of someone else, as the model reads
    # any question about an actor (without the name): "What did say about how the Cygnus report came to
    # light?". Otherwise the earlier topic with this question, as a person would read them together.
    if needs_topic and own.actors and not own.topic:
        dense = prev.dense_text
    elif needs_topic:
        dense = f"{' '.join(prev.topic_words)} {asked}"
    else:
        dense = own.dense_text  # only the actors are lent: the model reads the question without their names
    q = replace(q, dense_text=dense, followup=True, why=why)
    return replace(q, text=restated(q, own, prev, history, actors))


# Where the topic of a question about a position starts: "What does X think of <the buy-out fund>?"
TOPIC_START = re.compile(r"\b(?:about|on|of|regarding|concerning|towards|over|(?:respond|react|reply|responded|reacted|replied) to)\s+(?=\S)", re.I)
POSSESSIVE = frozenset({"their", "theirs", "his", "her", "hers", "its"})
WHY_ALONE = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?why(?:\s+(?:so|not|is that|was that))?\W*$", re.I)
REASON = re.compile(r"^\W*(?:and\s+|but\s+|so\s+)?what\s+(?:was|is|were|are)\s+(?:their|his|her|its)\s+"
                    r"(?:reason|reasons|reasoning|argument|arguments|grounds|rationale)\W*$", re.I)


def surface(actor: str, texts: Sequence[str], actors: Actors) -> str:
    """An actor as the user wrote them ("the BMA"), from the latest question naming them; else the cast's name."""
    for text in texts:
        for m in actors.find(text, question=True):
            if m.actor == actor:
                start = titled(text, m.start)
                the = re.search(r"\bthe\s+$", text[:start], re.I)
                return (("the " if the and not text[start:m.end].lower().startswith("the ") else "")
                        + text[start:m.end])
    return actor


def topic_phrase(q: Question) -> str:
    """What a standalone question asks about, as written: the words after its first "about/on/of ..."
    when it has one ("the proposed GP buy-out fund"), else its topic words."""
    # "about/on ..." before "of ...": in "What did the head of X say about masks?" the topic follows "about"
    m = next((x for x in TOPIC_START.finditer(q.text) if not x.group(0).lower().startswith("of")), None) \
        or TOPIC_START.search(q.text)
    if m:
        return re.sub(r"[?.!\s]+$", "", q.text[m.end():])
    words = " ".join(q.topic_words)
    return words if words.lower() in q.text.lower() else ""  # keywords that do not read as a phrase are left out


def restated(q: Question, own: Question, prev: Question, history: Sequence[str], actors: Actors) -> str:
    """A follow-up put as the question it is read as, in words ("And the BMA?" after "What does NHS
    Providers say about HARPs?" -> "What does the BMA say about HARPs?"): what "Read as" shows."""
    texts = [own.asked, *reversed(history)]
    names = " and ".join(surface(a, texts, actors) for a in q.actors)
    asked = own.asked.strip()
    if q.why:
        about = topic_phrase(prev)
        who = names or "they"
        return f"Why {'do' if ' and ' in who else 'does'} {who} take that view{f' on {about}' if about else ''}?"
    if q.comparison and len(q.actors) >= 2:
        about = topic_phrase(prev) if not own.topic else " ".join(q.topic_words)
        return f"How do {names} compare{f' on {about}' if about else ''}?"
    if own.actors and not own.topic and prev.text:
        # "And the BMA?": the earlier question, asked of them
        spans = [m for m in actors.find(prev.text, question=True) if m.actor in prev.actors]
        if spans:
            first, text = spans[0], prev.text
            for m in reversed(spans[1:]):
                text = text[:m.start] + text[m.end:]
            start = titled(text, first.start)
            start = re.search(r"(?:\bthe\s+)?$", text[:start], re.I).start()
            return tidy(re.sub(r"\s+(?:and|or|,)\s*(?=[?,])", "", text[:start] + names + text[first.end:]))
        about = topic_phrase(prev)
        return f"What {'do' if ' and ' in names else 'does'} {names} say{f' about {about}' if about else ''}?"
    out = asked
    # The pronouns of a question that names its own actors are not those actors ("did the govt go for them?":
    # "them" is what was asked about before), so only actors lent by the conversation stand for them.
    if names and not own.actors and any(w in PEOPLE for w in terms.words(asked)):
        # "Did they accept it?": the pronouns that stand for those asked about before, by name
        def name_for(m: re.Match) -> str:
            w = m.group(0)
            said = names + ("'" if names.endswith("s") else "'s") if w.lower() in POSSESSIVE else names
            return said[:1].upper() + said[1:] if m.start() == 0 else said
        # (not "them" or "him": an object is rarely who holds the view, and "them" is as often things)
        out = re.sub(r"\b(?:they|their|theirs|he|his|she|her|hers)\b", name_for, out, flags=re.I)
    elif names and CONTINUES.match(asked):
        # "What about HARPs?": the same actors on another topic
        rest = re.sub(r"[?.!\s]+$", "", asked[CONTINUES.match(asked).end():]).strip()
        rest = re.sub(r"^(?:about|on|regarding)\s+", "", rest, flags=re.I)
        return f"What {'do' if ' and ' in names else 'does'} {names} say about {rest}?"
    elif names and names.lower() not in out.lower():
        out = re.sub(r"[?.!\s]+$", "", out) + f" ({names})?"
    carried_topic = [w for w in q.topic_words if w not in own.topic_words]
    if carried_topic:
        about = topic_phrase(prev)
        thing = re.search(r"\b(?:it|this|that|these|those|them)(?:\s+(?:" + "|".join(sorted(SHELL)) + r"))?\b(?=\W*$)", out, re.I)
        if thing and about:
            out = out[:thing.start()] + about + out[thing.end():]  # "Did they accept it?" -> "... accept <topic>?"
        elif about:
            out = re.sub(r"[?.!\s]+$", "", out) + f", on {about}?"
    return tidy(out)
