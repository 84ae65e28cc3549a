"""Whose position a sentence states, from its dependency parse.

The actor of a sentence is the holder of its main reporting or evaluating predicate ("DHSC rejected",
"Hewitt suggested", "we worry", "the BMA's view is"). "I/we/our" is the document's speaker or
publisher; a pronoun subject takes the actor of the sentence before; a list item takes its
lead-in's actor; a section headed as an actor's view or response gives that actor; a transcript
turn labelled with another speaker's name is theirs. Anything else is the author's own voice, and
a view held by someone the cast does not know is the author describing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..language import terms
from ..language.actors import BODY_KINDS, key
from ..language.lexicon import load
from ..language.stance import chain, obligation, word_class
from .chunk import VIEW_HEADING  # a heading announcing whose view follows: "BMA view", "Our response"

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..language.actors import Actors
    from ..language.facts import Facts

SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass")
DEMONSTRATIVES = frozenset({"that", "this", "these", "those", "it"})
FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
# Predicates that say what the subject is or has, not what it does or says.
STATIVE = frozenset({"be", "have", "seem", "appear", "remain", "become", "depend", "lie", "belong", "consist",
                     "contain", "exist", "lead", "mean", "matter"})
# Verbs that only carry the attitude their object names: "the committee had expressed concerns about X", "the union
# raised objections", "the review made recommendations" state the subject's concern, objection, proposal.
LIGHT_VERBS = frozenset({"express", "raise", "voice", "air", "register", "lodge", "make", "have", "give", "offer",
                         "state", "restate", "repeat", "reiterate", "set", "put", "share"})
THIRD = frozenset({"he", "she", "they", "it", "him", "her", "them", "his", "their", "its"})


@dataclass(frozen=True)
class Holder:
    text: str | None = None
    kind: str | None = None  # "i" | "we" | "pronoun" | "name"
    agentive: bool = False
    span: tuple[int, int] | None = None  # character offsets of the holder phrase in the sentence
    antecedent: str | None = None  # for a pronoun: a name it refers to in the same sentence
    head: str | None = None  # the head noun's lemma ("response" in "the response pushes back")


def subject(pred: Token) -> Token | None:
    """The subject of a predicate: its own, a passive verb's agent, or the one it shares in a coordination."""
    if any(c.dep_ == "auxpass" for c in pred.children):  # "was accepted by government"; not "disappointed by X"
        for c in pred.children:
            if c.dep_ == "agent":
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
    for c in pred.children:
        if c.dep_ in SUBJECTS:
            return c
    if pred.dep_ in ("conj", "xcomp") and pred.head is not pred:
        return subject(pred.head)
    # The small model sometimes reads a sentence-initial name as an interjection ("DHSC rejected ...").
    for c in pred.lefts:
        if c.dep_ in ("intj", "dep", "npadvmod", "nmod") and (c.pos_ in ("PROPN", "INTJ") or c.text.isupper()):
            return c
    return None


def core(tok: Token) -> tuple[int, int]:
    """Token range naming a subject: the head with its modifiers, an "of" phrase and an apposition
    ("the Department of Health and Social Care (DHSC)", "Sir Julian Hartley, chief executive of X"),
    but not a possessor: "the government's failure" names a failure, not the government. (A body named
    for its members keeps them: "the Lamplighters' Guild".)"""
    keep = {tok.i}
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "det", "flat", "nmod", "nummod") and c.i < tok.i:
            keep.update(t.i for t in c.subtree)
        elif c.dep_ == "poss" and c.i < tok.i and tok.lemma_.lower() in BODY_KINDS and c.text[:1].isupper() \
                and c.lower_ not in FIRST_PLURAL:
            keep.update(t.i for t in c.subtree)  # a body named for its members: "the Thornbury Beekeepers' Association"
        elif c.dep_ in ("appos",) or c.dep_ == "prep" and c.lower_ == "of" or c.dep_ == "punct" and c.text in "()":
            keep.update(t.i for t in c.subtree)
    lo = min(keep)
    hi = lo
    while hi + 1 in keep:
        hi += 1
    if tok.i > hi:  # keep the head even if a modifier was split off
        hi = tok.i
    return lo, max(hi, max(i for i in keep if i <= hi))


def phrase(tok: Token) -> tuple[int, int]:
    """Token range of a noun phrase without its relative clauses ("the BMA, which represents doctors")."""
    cut = {t.i for c in tok.children if c.dep_ in ("relcl", "acl", "advcl", "punct") and c.i > tok.i for t in c.subtree}
    idx = [t.i for t in tok.subtree if t.i not in cut]
    lo, hi = min(idx), max(idx)
    # Keep it contiguous: stop at the first cut token after the head.
    for i in range(tok.i, hi + 1):
        if i in cut:
            hi = i - 1
            break
    return lo, hi


def main_predicate(sent: Span) -> Token:
    """The sentence's main predicate. A discourse frame with a demonstrative subject ("That said, the
    government pushes back ...") gives way to the clause it frames."""
    root = sent.root
    # "X calls on Y to act; its aim would be ...": the clause before a semicolon states the position.
    first = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.i < root.i
                  and any(t.text == ";" for t in sent.doc[c.right_edge.i:root.i])), None)
    if first is not None:
        return first
    lex = load()
    # "The Inquiry is focusing on X, and the Treasury submits that ...", "This includes a shift, to which
    # she recommends ...": when the main predicate takes no attitude, a clause whose own subject does states it.
    # A relative clause does not when the main clause is the speaker's own ("we presented a proposal ...,
    # one where nobody gets everything they want"): it only describes a thing they speak of.
    own = any(c.dep_ in SUBJECTS and c.lower_ in FIRST_SINGULAR | FIRST_PLURAL for c in root.children)
    clauses = ("conj", "ccomp", "parataxis") if own else ("conj", "relcl", "ccomp", "parataxis")
    if not any(word_class(t, lex) for t in chain(root)):
        for t in sent:
            if (t is not root and t.pos_ == "VERB" and t.dep_ in clauses
                    and any(g.dep_ in SUBJECTS and g.pos_ in ("PRON", "PROPN", "NOUN") and g.lower_ not in DEMONSTRATIVES
                            and g.tag_ not in ("WP", "WDT") for g in t.children)
                    and any(word_class(x, lex) not in (None, "reports") for x in chain(t))):
                return t
    subj = next((c for c in root.children if c.dep_ in SUBJECTS), None)
    doc = sent.doc
    framing = root.i + 1 < len(doc) and doc[root.i + 1].text == ","  # "That said, ...", "This aside, ..."
    if subj is not None and subj.lower_ in ("that", "this") and framing and subj.i < root.i and root.i - sent.start <= 2:
        clause = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis", "conj") and c.i > root.i), None)
        if clause is not None and any(g.dep_ in SUBJECTS for g in clause.children):
            return clause
    return root


def holder(sent: Span) -> Holder:
    """Who holds the view of the sentence's main predicate, as the sentence names them."""
    lex = load()
    root = main_predicate(sent)
    acts = chain(root)
    # "X retains his interest and is keen to drive ...": a predicate sharing the subject takes the attitude
    acts += [t for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
             and not any(g.dep_ in SUBJECTS for g in c.children) for t in chain(c)]
    agentive = any(word_class(t, lex) for t in acts) or any(
        t.lemma_.lower() in LIGHT_VERBS and c.dep_ == "dobj" and c.pos_ == "NOUN" and word_class(c, lex)
        for t in acts for c in t.children)
    subj = subject(root)
    if subj is None:
        return Holder(agentive=agentive)
    if root.lemma_ == "be" and any(t.dep_ == "acomp" and t.lemma_.lower() in lex.judging for t in acts):
        return Holder(agentive=agentive)  # "Ministers' commitment to X is welcome": the speaker's verdict on it
    doc = sent.doc
    if subj.lemma_.lower() in lex.nouns and (root.lemma_ not in STATIVE or root.lemma_ == "be" and any(
            c.dep_ in ("ccomp", "attr", "xcomp") for c in root.children)):
        # "Our concern is that ...", "The BMA's view is ...", "The review's recommendations include":
        # the possessor holds it. ("The Review's recommendation ... is in line with our position" and "The
        # opinions of the court will have the force of law" do not.)
        owner = next((c for c in subj.children if c.dep_ == "poss"), None)
        if owner is None:
            of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            owner = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if owner is not None:
            subj, agentive = owner, True
    lower = subj.lower_
    span = (subj.idx - sent.start_char, subj.idx + len(subj) - sent.start_char)
    # "NHS England should work with leaders": the subject is told what to do; it does not hold the view.
    addressee = obligation([root], lex) and word_class(root, lex) in (None, "reports")
    if lower in FIRST_SINGULAR:
        return Holder(subj.text, "i", agentive, span)
    if lower in FIRST_PLURAL:
        return Holder(subj.text, "we", agentive, span)
    if addressee:
        return Holder(agentive=False)
    if lower == "it" and root.lemma_ == "be" and any(c.dep_ in ("acomp", "ccomp", "xcomp", "attr") for c in root.children):
        return Holder(agentive=agentive)  # "It is not clear how ...": no one, the frame of a claim
    if lower == "it" and not agentive and any(c.dep_ in ("ccomp", "advcl") and c.i > root.i
                                              and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
                                              for c in root.children):
        return Holder(agentive=agentive)  # "It will come as no surprise that ...", "It seems that ...": the same frame
    if lower in THIRD:
        if not agentive and root.lemma_ in STATIVE:
            # "They will have the same authority", "They do not depend on ...": the author says what someone
            # or something is or has; no one's view is reported
            return Holder(agentive=agentive)
        return Holder(subj.text, "pronoun", agentive, None, antecedent(sent, subj), head=lower)
    if subj.pos_ in ("PRON", "DET") or subj.dep_ == "expl":
        return Holder(agentive=agentive)  # "This is ...", "There are ...", "It is clear that ..."
    lo, hi = core(subj)
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    return Holder(doc.text[start:end], "name", agentive, (start - sent.start_char, end - sent.start_char),
                  head=subj.lemma_.lower())


def antecedent(sent: Span, pronoun: Token) -> str | None:
    """A name earlier in the same sentence that a subject pronoun refers to ("While DHSC is supportive
    of X, it stops short of ...")."""
    for t in sent:
        if t.i >= pronoun.i:
            break
        if t.dep_ in SUBJECTS and t.text[:1].isupper() and t.pos_ not in ("PRON", "DET") and t.i > sent.start:
            lo, hi = core(t)
            return sent.doc[lo:hi + 1].text
    return None


def according_object(doc: Doc) -> Token | None:
    """The X of "according to X" (the parse attaches "to" to "according" or leaves it next to it)."""
    for t in doc:
        if t.lower_ == "according":
            to = next((c for c in t.children if c.lower_ == "to"), None)
            if to is None and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
                to = doc[t.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None:
                return obj
    return None


def according(doc: Doc) -> str | None:
    """"According to X, ..." names X as the holder."""
    obj = according_object(doc)
    if obj is None:
        return None
    lo, hi = phrase(obj)
    return doc[lo:hi + 1].text


def first_person(doc: Doc) -> bool:
    return any(t.lower_ in FIRST_SINGULAR or t.lower_ in FIRST_PLURAL for t in doc if t.pos_ == "PRON" or t.tag_ == "PRP$")


def heading_actor(section: tuple[str, ...], actors: Actors, voice: str | None) -> str | None:
    """The actor whose view a section is, from its headings ("BMA view", "Our response")."""
    for title in reversed(section):
        if not VIEW_HEADING.search(title):
            continue
        named = actors.named_in(title)
        if named:
            return named[0]
        if voice and re.search(r"\b(our|my)\b", title, re.I):
            return voice
    return None


def named_actor(text: str | None, actors: Actors, entities: tuple[str, ...] = (), voice: str | None = None) -> str | None:
    """The cast member a holder phrase names: the document's own voice when it is among them ("Sir Julian
    Hartley, chief executive of NHS Providers, said" in NHS Providers' statement), else the first."""
    if not text:
        return None
    named = [m.actor for m in actors.find(text)]
    if voice in named:
        return voice
    if named:
        return named[0]
    for e in entities:
        a = actors.canonical(e) or actors.person_named(e)
        if a:
            return a
    return None


ROLES = "|".join(terms.ROLE_NOUNS)
# After a person's name: ", chair of the Association," / ", our director,"
ROLE_OF_BODY = re.compile(r"^\s*,\s*(?:(?:the|its)\s+)?(?:[\w-]+\s+){0,3}?(?:" + ROLES + r")s?\s+(?:of|at|for)\s+"
                          r"(?P<body>[^,.;]+)", re.I)
OUR_ROLE = re.compile(r"^\s*,\s*our\s+(?:[\w-]+\s+){0,3}?(?:" + ROLES + r")s?\b", re.I)


def speaks_for(text: str, person: str, voice: str, actors: Actors) -> bool:
    """Whether a sentence introduces the person holding its view by their post in the document's own body
    ("Dr Jane Pollen, chair of the Association, said ...", "Sam Wick, our director, said ...")."""
    at = text.find(person)
    after = text[at + len(person):] if at >= 0 else ""
    if OUR_ROLE.match(after):
        return True
    m = ROLE_OF_BODY.match(after)
    if not m:
        return False
    body = [t for t in key(m.group("body")) if t != "the"]
    return (len(body) == 1 and body[0] in BODY_KINDS and body[0] in key(voice)) or actors.canonical(m.group("body")) == voice


def refers(pronoun: str | None, actor) -> bool:
    """Whether a subject pronoun can refer to an actor: "it" to no person. ("She" may be a body's: a review
    is known by its author's name.)"""
    return actor is None or pronoun != "it" or actor.kind != "person"


@dataclass(frozen=True)
class Scene:
    """What surrounds a sentence: the document's voices and the sentences before."""

    voice: str | None  # who "we" is: the publisher (or the speaker, when there is no publisher)
    speaker: str | None  # who "I" is: the speaker, else the voice
    previous: str | None = None  # whom a pronoun subject refers to: the last actor the sentence before named
    lead_in: str | None = None  # for a list item: its lead-in's actor
    heading: str | None = None  # a section headed as someone's view
    # Nouns the title gives an owner: "The government's response to ..." -> {"response": "Government"}, so that
    # "the response pushes back" in the text is the government's.
    title_heads: dict[str, str] = field(default_factory=dict)
    subject: str | None = None  # the one actor the title names besides the document's own voice


def resolve(f: Facts, actors: Actors, scene: Scene) -> tuple[str | None, str]:
    """(actor, stance) of a sentence from its parse facts."""
    held = None
    if f.holder_kind == "i":
        held = scene.speaker or scene.voice
    elif f.holder_kind == "we":
        held = scene.voice or scene.speaker
    elif f.holder_kind == "pronoun":
        # "It then backs away from that", "She calls for ...": whoever the sentence before reported, if the
        # pronoun can be them ("it" is no person).
        before = scene.previous if scene.previous and refers(f.head, actors.by_name.get(scene.previous)) else None
        held = named_actor(f.holder, actors, (), scene.voice) or before or (scene.voice if f.agentive else None)
    elif f.holder_kind == "name":
        # "The Association", "the Guild": the document's own body when it is of that kind, before any alias
        # another document gave the word ("the Doctors' Association (the Association)" elsewhere).
        bare_kind = [t for t in key(f.holder or "") if t != "the"]
        own = (len(bare_kind) == 1 and bare_kind[0] in BODY_KINDS and scene.voice
               and bare_kind[0] in key(scene.voice))
        held = scene.voice if own else named_actor(f.holder, actors, f.holder_entities, scene.voice)
        if held and not f.agentive and actors.by_name[held].origin == "text":
            held = None  # "The Inquiry has heard that ...": a body the text names, not one stating a view
        if held and not f.agentive and f.stance != "describes":
            # "Several aspects of the government's response are positive", "Woefully inadequate was the
            # assessment of Matt Hancock", "The report is generally lacking": what the predicate says is not
            # an attitude of its subject's, so the evaluation in it is the author's verdict
            return scene.voice, f.stance
        if held is None and f.head and scene.voice and f.head.lower() in key(scene.voice) and f.head.lower() in BODY_KINDS:
            held = scene.voice  # "The council welcomes ..." in the council's own response: the publisher by its kind
        if held is None and f.head:
            held = scene.title_heads.get(f.head)
        if held is None and load().nouns.get(f.head) == "recommends" and scene.subject:
            # "The recommendations include:" in a briefing on someone's report (but "The key point is" and
            # "One challenge is" are the author's own)
            held = scene.subject
    if held:
        return held, f.stance
    if f.according:
        named = named_actor(f.according, actors)
        if named:
            return named, f.stance
    if f.first_person:
        return scene.voice or scene.speaker, f.stance
    if scene.lead_in:
        return scene.lead_in, f.stance
    if scene.heading:
        return scene.heading, f.stance
    # The author's own voice. A view held by someone the sentence names but the cast does not know
    # ("The review recommends closing three wards") is the author describing it, not recommending it.
    if f.holder_kind == "name" and f.agentive and f.stance != "describes":
        return scene.voice, "describes"
    return scene.voice, f.stance


QUOTE_MARKS = ('"', "\u201c")
FOOTNOTE = re.compile(r"^\s*(?:[\u00b9\u00b2\u00b3\u2070-\u2079]+|\[\d+\]|\*)\s")  # "¹ This refers to ...", "[2] See ..."


def is_quotation(text: str) -> bool:
    """A paragraph (given by its first sentence) opening with a quotation mark is a quotation."""
    return text.lstrip().startswith(QUOTE_MARKS)


PERSONAL = re.compile(r"\b(?:he|she)\b", re.I)


def introduction(f: Facts, text: str, actors: Actors, scene: Scene) -> tuple[str | None, str | None] | None:
    """What a sentence introducing a quotation says of whose words follow ("Sir Julian Hartley, chief
    executive of NHS Providers, said:", "He told the Inquiry:"): (the actor the words count for, the person
    speaking when that actor is a body they speak for). (None, None) when the speaker is no one the cast
    knows; None when the sentence introduces no quotation."""
    if not text.rstrip().endswith(":") or not f.agentive or f.holder_kind not in ("name", "pronoun"):
        return None
    if f.holder_kind == "pronoun":
        person = named_actor(f.holder, actors) or scene.previous
        if person and actors.kind_of(person) != "person" and PERSONAL.search(text):
            person = None  # "He said:" after "evidence to the Inquiry": he is no body; someone the cast lacks
        after = ""
    else:
        named = [m.actor for m in actors.find(f.holder or "")]
        person = named[0] if named else named_actor(f.holder, actors, f.holder_entities)
        after = text[text.find(f.holder) + len(f.holder):] if f.holder and f.holder in text else ""
    # "..., chief executive of NHS Providers, said:": the body the speaker is introduced as speaking for.
    bodies = [a for a in actors.named_in(after) if a != person and actors.kind_of(a) != "person"]
    body = scene.voice if scene.voice in bodies else (bodies[0] if bodies else None)
    if body and person and actors.kind_of(person) == "person":
        return body, person
    return (person or body), None


def main_label(sentences) -> str:
    """The transcript label that speaks most in a document: its turns are the document's voice."""
    counts: dict[str, int] = {}
    for s in sentences:
        if s.speaker:
            counts[s.speaker] = counts.get(s.speaker, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else ""


def voices(publisher: str, speaker: str) -> tuple[str | None, str | None]:
    """Who "we" and who "I" are in a document."""
    return (publisher or speaker or None), (speaker or publisher or None)


def title_heads(title: str, actors: Actors) -> dict[str, str]:
    """Nouns a title attributes to an actor: "X's response", "X response", "the response of X"."""
    out: dict[str, str] = {}
    for m in actors.find(title):
        after = re.match(r"(?:['’]s?)?\s+([A-Za-z]+)", title[m.end:])
        if after:
            out.setdefault(terms.words(after.group(1))[0], m.actor)
        before = re.search(r"([A-Za-z]+)\s+(?:of|by|from)\s+(?:the\s+)?$", title[:m.start])
        if before:
            out.setdefault(terms.words(before.group(1))[0], m.actor)
    return out


def attribute_document(title: str, publisher: str, speaker: str, sentences, facts: list[Facts],
                       actors: Actors) -> list[tuple[str | None, str, str | None]]:
    """(actor, stance, person) of each sentence of one document, in order (sentences: chunk.Sentence).
    The person is set in a quotation of someone speaking for the actor (a spokesperson in a press
    statement): the words count as the body's position and are that person's."""
    voice, own = voices(publisher, speaker)
    voice = (actors.canonical(voice) or voice) if voice else None
    own = (actors.canonical(own) or own) if own else None
    heads = title_heads(title, actors)
    others = [a for a in actors.named_in(title) if a not in (voice, own)]
    subject = others[0] if len(set(others)) == 1 else None
    main = main_label(sentences)
    out: list[tuple[str | None, str, str | None]] = []
    previous: str | None = None
    lead: tuple[str | None, str] | None = None
    last_section = None
    # Paragraphs in quotation marks after "X said:" are X's words, "we" and "I" included, until a
    # paragraph that is not a quotation.
    introduced: tuple[str | None, str | None] | None = None
    quoting: tuple[str | None, str | None] | None = None
    block = None
    for s, f in zip(sentences, facts):
        if s.section != last_section:
            previous, lead, last_section, introduced, quoting = None, None, s.section, None, None
        if s.block_start != block:
            block = s.block_start
            quoting = (introduced or quoting) if is_quotation(s.text) else None
            introduced = None
        v, me = voice, own
        if s.speaker and s.speaker != main:
            v = me = actors.canonical(s.speaker) or s.speaker  # another speaker's turn: the chair interrupting
        scene = Scene(v, me, previous, lead[0] if s.item and lead else None, heading_actor(s.section, actors, v), heads,
                      subject)
        actor, stance = resolve(f, actors, scene)
        person = None
        if actor and v and actor != v and actors.kind_of(actor) == "person" and f.holder and speaks_for(
                s.text, f.holder, v, actors):
            actor, person = v, actor  # "Dr Jane Pollen, chair of the Association, said ...": she speaks for it
        if quoting and actor in (v, me, None):  # not "Hewitt proposed X" inside the quotation: that is Hewitt's
            actor, person = quoting
            if actor is None:  # the words of someone the cast does not know: the author reports them
                actor, stance = v, "describes"
        if s.item and lead and stance == "describes":
            stance = lead[1]  # "We are concerned about: - X": the item carries its lead-in's stance
        out.append((actor, stance, person))
        introduced = None if s.item else introduction(f, s.text, actors, scene)
        if not s.item and not FOOTNOTE.match(s.text):  # a footnote between items does not end their list
            lead = (actor, stance) if s.text.rstrip().endswith(":") else None
        # A later "she" or "it states" refers to whoever this sentence reports (the first named: the subject
        # side comes first), else to its actor.
        named = [a for a in actors.named_in(s.text) if a != v]
        previous = actor if actor != v or not named else named[0]
    return out
