"""Stance from general language: how the holder of a sentence's main predicate stands on its object.

Read from the dependency parse, with the attitude lexicon and VADER's polarity lexicon (lexicon.py):
- the predicate's attitude class ("rejects", "welcomes", "we are concerned", "our concern is"), negated
  when the parse negates it ("does not support" opposes; "not about to vote to cut off X" refuses);
- a concession is conceded ("While we welcome X, Y is concerning" is concerned);
- a contrast with the opposite polarity makes it mixed ("We support X, but Y is a worry");
- "should"/"must" or a recommending verb is a recommendation; otherwise the polarity of the main
  clause's evaluative words decides, and with none the sentence describes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import CLASS_VALENCE, NEGATED, NEGATIVE, POSITIVE, Lexicon, load

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

EXCESS = -1.2  # an adjective under "too" (VADER rates the adjective, not the excess)
PREDICATIVE = 1.5  # weight of an adjective that is the predicate of "to be"
THRESHOLD = 1.0  # summed polarity (VADER scale) a clause needs to count as evaluative
SUBJECTS = ("nsubj", "nsubjpass", "csubj", "csubjpass")
CLAUSES = ("conj", "advcl", "ccomp", "parataxis")


def word_class(tok: Token, lex: Lexicon) -> str | None:
    """The attitude class of a predicate word: a verb (with its particle: "call for", "push back"),
    a predicative adjective ("concerned"), or a noun ("concern")."""
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if tok.pos_ in ("VERB", "AUX") and tok.tag_ != "VBN" or tok.dep_ == "ROOT" and tok.pos_ == "VERB":
        # A particle or preposition right after the verb or among its dependents ("calls for", "push back").
        after = [c for c in tok.children if c.dep_ in ("prt", "prep", "mark")]
        if tok.i + 1 < len(tok.doc):
            after.insert(0, tok.nbor(1))
        for c in after:
            phrase = f"{lemma} {c.lower_}"
            if phrase in lex.verbs:
                return lex.verbs[phrase]
        if lemma in lex.verbs:
            return lex.verbs[lemma]
    if tok.pos_ in ("ADJ", "VERB") and (lower in lex.adjectives or lemma in lex.adjectives):
        return lex.adjectives.get(lower) or lex.adjectives[lemma]
    if tok.pos_ == "VERB" and lemma in lex.verbs:
        return lex.verbs[lemma]
    if tok.pos_ in ("NOUN", "PROPN") and lemma in lex.nouns:
        return lex.nouns[lemma]
    return None


def negations(tok: Token, lex: Lexicon) -> int:
    return sum(1 for c in tok.children if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in lex.negators))


def chain(root: Token) -> list[Token]:
    """The predicate and what it governs as one act: "am not about to vote to cut off" -> am, about, vote, cut;
    "we are concerned" -> are, concerned; "want to see" -> want, see."""
    out = [root]
    t = root
    for _ in range(6):
        nxt = next((c for c in t.children if c.dep_ in ("xcomp", "acomp", "oprd")), None)
        if nxt is None:
            break
        out.append(nxt)
        t = nxt
    return out


def skipped(root: Token, lex: Lexicon) -> tuple[set[int], set[int]]:
    """Token indices of conceded clauses ("While we welcome X, ...") and of contrasted ones ("..., but Y")."""
    conceded: set[int] = set()
    contrast: set[int] = set()
    for c in root.subtree:
        # A conceded or conditional clause says no more at any depth ("... shows that the Review listened,
        # even if it is not perfectly aligned with our ask").
        if c.dep_ != "advcl" or c.i in conceded:
            continue
        marks = {g.lower_ for g in c.children if g.dep_ in ("mark", "advmod", "cc", "prep")}
        if marks & lex.concessive or c.left_edge.lower_ in lex.concessive:
            conceded.update(t.i for t in c.subtree)
        elif marks & lex.conditional:
            conceded.update(t.i for t in c.subtree)  # "if the supplier cannot show X": a condition, not a judgement
    for c in root.children:
        if c.i in conceded:
            continue
        marks = {g.lower_ for g in c.children if g.dep_ in ("mark", "advmod", "cc", "prep")}
        first = c.left_edge.lower_
        if c.dep_ == "prep" and c.lower_ in lex.concessive:
            conceded.update(t.i for t in c.subtree)  # "Despite X, ..."
        elif c.dep_ in CLAUSES and (marks & lex.contrast or first in lex.contrast):
            contrast.update(t.i for t in c.subtree)
    # "..., but Y": the conjunction hangs on the root and the clause follows it.
    cc = next((c for c in root.children if c.dep_ == "cc" and c.lower_ in lex.contrast), None)
    if cc is not None:
        for c in root.children:
            if c.i > cc.i and c.dep_ in CLAUSES:
                contrast.update(t.i for t in c.subtree)
    return conceded, contrast - conceded


def valence(t: Token, lex: Lexicon) -> float:
    """A word's polarity as evaluation. Judgement lives in adjectives and adverbs ("inadequate", "shockingly")
    and in verbs of failing ("hampered", "ignored"); nouns mostly name the topic ("risk", "crisis", "support"),
    so only the nouns of the evaluative list count. Positive verbs mostly name aims ("improve"): only the
    attitude lexicon's count, as predicates (of_sentence)."""
    lower, lemma = t.lower_, t.lemma_.lower()
    if lower in lex.evaluative or lemma in lex.evaluative:
        return lex.evaluative.get(lower, lex.evaluative.get(lemma, 0.0))
    if t.pos_ in ("NOUN", "PROPN"):
        if not predicated(t):
            return 0.0
        return min(lex.valence.get(lower, lex.valence.get(lemma, 0.0)), 0.0)
    if word_class(t, lex) == "reports":
        return 0.0  # "have long argued that ...": a reporting verb passes on a view; VADER reads a quarrel
    v = lex.valence.get(lower, lex.valence.get(lemma))
    if v is None and t.pos_ == "ADV" and lower.endswith("ly"):
        v = lex.valence.get(lower[:-2])  # "worryingly" rates as "worrying"
    if v is None:
        cls = word_class(t, lex)
        v = CLASS_VALENCE.get(cls, 0.0) if cls else 0.0
    if v > 0 and t.pos_ not in ("ADJ", "ADV"):
        return 0.0
    return v


def predicated(t: Token) -> bool:
    """A noun the clause predicates of its subject or asserts to exist ("This is a risk to patients",
    "there are inherent tensions", "there is a danger that ..."): then it judges, not names a topic."""
    head = t.head
    if head.lemma_ != "be" or t.dep_ not in ("attr", "nsubj"):
        return False
    return t.dep_ == "attr" or any(c.dep_ == "expl" for c in head.children)


def comment_adverb(t: Token) -> bool:
    """An -ly adverb before the subject that modifies the whole clause ("Sadly, ...", "Quite shockingly, ...")."""
    head = t.head
    subject = next((c for c in head.children if c.dep_ in SUBJECTS), None)
    return (t.dep_ == "advmod" and t.lower_.endswith("ly") and head.dep_ == "ROOT" and t.i < head.i
            and (subject is None or t.i < subject.i))


def acted_on(t: Token) -> list[Token]:
    """What a predicate acts on: a verb's object or its passive subject ("delay [X]", "[X] was scrapped"), or,
    without an object, what it leads "to" ("contributes to [X]"); a noun's complement ("a ban on [X]", "the cuts
    to [X]"). A noun that names a thing itself ("term limits on X") acts on nothing."""
    if t.pos_ == "VERB":
        found = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        return found or [g for c in t.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
                         if g.dep_ == "pobj"]
    if t.pos_ != "NOUN" or any(c.dep_ == "compound" for c in t.children):
        return []
    # (the small model often hangs "to X" of "the cuts to X" on the verb: the preposition right after counts)
    preps = [c for c in t.children if c.dep_ == "prep"] + [
        c for c in t.head.children if c.dep_ == "prep" and c.i == t.right_edge.i + 1 and t.head.i != t.i]
    return [g for c in preps if c.lower_ in ("on", "to", "of", "in", "for") for g in c.children if g.dep_ == "pobj"]


def targets_worked_against(tokens, lex: Lexicon) -> list[Token]:
    """The heads of what the predicates among these tokens work against (the lexicon's `against`: "reduce
    [fatal accidents]", "undermine [public trust]"), unless negated ("will not cut X" works against nothing)."""
    return [g for t in tokens if t.lemma_.lower() in lex.against and not negations(t, lex) % 2 for g in acted_on(t)]


def against_positions(sent, lex: Lexicon) -> set[int]:
    """Token positions of what a sentence's predicates work against."""
    return {w.i for g in targets_worked_against(sent, lex) for w in g.subtree}


def polarity(tokens: list[Token], lex: Lexicon) -> float:
    """Summed polarity of evaluative words, each turned round when the parse negates it or when it lies in
    what a predicate works against ("would reduce fatal accidents", "undermines trust": the act is judged)."""
    total = 0.0
    against = against_positions(tokens[0].sent, lex) if tokens else set()
    for t in tokens:
        if t.lower_ == "alone" and t.dep_ == "advmod":
            continue  # "in manufacturing alone": a focusing adverb, not loneliness
        v = valence(t, lex)
        if not v and any(c.dep_ == "advmod" and c.lower_ in lex.excess for c in t.children) and t.pos_ == "ADJ":
            v = EXCESS  # "far too short", "too little": more or less than is right
        if t.lower_ in lex.doubt and (negations(t, lex) or negations(t.head, lex)):
            total += EXCESS  # "it is not clear how ...": doubt
            continue
        if not v:
            continue
        if t.dep_ in ("acomp", "attr") and t.head.lemma_ == "be":
            v *= PREDICATIVE  # "X is appropriate": what the sentence says of its subject
        elif comment_adverb(t):
            v *= PREDICATIVE  # "Quite shockingly, the list has risen": the speaker's verdict on all of it
        negated = negations(t, lex) or negations(t.head, lex) and t.dep_ in ("dobj", "acomp", "attr", "xcomp", "amod", "advmod")
        if any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
            negated = True
        if t.i in against:
            negated = not negated
        total += -v if negated else v
    return total


def obligation(tokens: list[Token], lex: Lexicon) -> bool:
    """"should", "must", "ought to" on one of the predicates, or "need to"."""
    return any(c.dep_ == "aux" and c.lower_ in lex.obligation or t.lemma_ == "need" and c.dep_ == "xcomp"
               for t in tokens for c in t.children)


FIRST_PERSON = ("i", "we", "my", "our")


def pledge(root: Token, subject: Token | None) -> bool:
    """A first-person undertaking: "we will ...", "I'm going to ...", "my plan will ...", "we are prepared to ..."."""
    if subject is None:
        return False
    mine = subject.lower_ in FIRST_PERSON or any(c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in subject.children)
    if not mine:
        return False
    future = any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "’ll") for c in root.children)
    going = root.lemma_ in ("go", "prepare", "intend", "plan", "announce", "propose") and any(
        c.dep_ in ("xcomp", "dobj", "ccomp") for c in root.children)
    return future or going


def directive(sent: Span, root: Token) -> bool:
    """A hortative ("Let us move", "Let's cap") or an imperative ("Pass my proposal"): a call to act."""
    if root.lemma_ == "let" and any(c.lower_ in ("us", "'s", "’s") for c in root.children):
        return True
    has_subject = any(c.dep_ in SUBJECTS or c.dep_ == "expl" for c in root.children)
    before = [t for t in sent if t.i < root.i and not t.is_punct]
    # Only adverbs and conjunctions may come first ("So pass it"); a name there is a subject the small
    # model misread ("DHSC instead commit to ...").
    opening = all((t.pos_ in ("ADV", "CCONJ", "INTJ") or t.dep_ in ("advmod", "npadvmod", "cc"))
                  and t.pos_ != "PROPN" and not (t.text.isupper() and len(t.text) > 1) for t in before)
    return root.tag_ == "VB" and not has_subject and opening and not root.lower_.startswith(("thank", "please"))


def time_to(root: Token) -> bool:
    """"It is time (that) X did Y", "it's high time to act": a call for what follows."""
    if root.lemma_ != "be" or not any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in root.children):
        return False
    doc, i = root.doc, root.i + 1
    if i < len(doc) and doc[i].lower_ in ("high", "about", "now"):
        i += 1
    # (the small model hangs "time" on the clause or the clause on "time": read the words)
    return i + 1 < len(doc) and doc[i].lower_ == "time" and doc[i + 1].lower_ not in ("for", "of", ".", ",", "when")


def of_sentence(sent: Span, lex: Lexicon | None = None, root: Token | None = None, agent: bool = True) -> str:
    """The stance of a parsed sentence's main predicate. `agent`: its subject can hold a view (a name,
    a person); "This echoes the early development of ICSs" takes no attitude from its verb."""
    lex = lex or load()
    root = root if root is not None else sent.root
    conceded, contrast = skipped(root, lex)
    acts = [t for t in chain(root) if t.i not in conceded]
    subject = next((c for c in root.children if c.dep_ in SUBJECTS), None)
    # "The refusal to reconsider the cut is disappointing", "The decision to delay X is sensible": an
    # evaluative adjective after "to be" is the verdict; the subject is what is judged, and its own words
    # ("refusal", "cut", "delay") are not the writer's attitude.
    verdict = root.lemma_ == "be" and any(t.pos_ == "ADJ" and (valence(t, lex) or word_class(t, lex)) for t in acts)
    judged = {t.i for t in subject.subtree} if verdict and subject is not None else set()
    main = [t for t in sent if t.i not in conceded and t.i not in contrast and t.i not in judged]
    # The subject noun of "Our concern is that ..." carries the attitude too.
    # (and "The review's recommendations include: ...": a statement noun as subject is the act)
    candidates = acts + ([subject] if subject is not None and not verdict
                         and (root.lemma_ == "be" or word_class(root, lex) is None) else [])
    classes = [c for c in (word_class(t, lex) for t in candidates) if c]
    if not agent:
        classes = [c for t, c in zip(candidates, (word_class(t, lex) for t in candidates)) if c and t.pos_ == "ADJ"]
    # A reporting verb passes to what it reports: "We believe the plan will fail", "The BMA says it is concerned".
    if classes and all(c == "reports" for c in classes):
        comp = next((c for c in root.children if c.dep_ == "ccomp"), None)
        if comp is not None:
            acts = acts + chain(comp)
            classes += [c for c in (word_class(t, lex) for t in chain(comp)) if c and c != "reports"]
    # "fail to commit" negates what it governs, as "not" does.
    negs = sum(negations(t, lex) for t in acts) + sum(1 for t in acts if t.lemma_ == "fail" and t.i != acts[-1].i)
    stated = next((c for c in classes if c != "reports"), None)
    # "We slashed the tax rate", "my administration cut the deficit": what the speaker did is not their
    # complaint, so the valence of their own action verbs is not their attitude.
    acting = subject is not None and (subject.lower_ in FIRST_PERSON or any(
        c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in subject.children))
    own = polarity([t for t in main if not (acting and t.pos_ == "VERB" and t.i in {a.i for a in acts}
                                             and word_class(t, lex) is None)], lex)
    other = polarity([t for t in sent if t.i in contrast], lex) if contrast else 0.0
    # The contrasted clause's own predicate counts too: "..., but stops short of a commitment".
    turned = {word_class(t, lex) for c in root.children if c.i in contrast and c.dep_ in CLAUSES for t in chain(c)}
    other += sum(CLASS_VALENCE.get(c, 0.0) for c in turned if c) - (THRESHOLD if "mixed" in turned else 0.0)
    if time_to(root):
        return "recommends"  # "It is time we ended this subsidy", "It's high time the council acted"
    if directive(sent, root) or directive(sent, sent.root):
        return "opposes" if negations(root, lex) % 2 else "recommends"  # "Let's cap the cost", "Pass my proposal"
    if obligation([root], lex) and word_class(root, lex) in (None, "reports"):
        return "opposes" if negations(root, lex) % 2 else "recommends"  # "X should ...", "We must not ..."
    if stated == "recommends" and not negs % 2:
        # "We urge the Inquiry to reject any suggestion that ...": asking for a rejection opposes.
        later = [c for c in classes[classes.index("recommends") + 1:] if c in NEGATIVE]
        if later:
            return "opposes"
    if stated is not None:
        found = NEGATED[stated] if negs % 2 else stated
        if stated == "recommends" and negs % 2 and subject is not None and subject.lower_ in FIRST_PERSON:
            found = "opposes"  # "We do not recommend X" opposes it; "the review does not call for X" describes
        if found == "reports":
            found = "describes"
        if found in POSITIVE and other <= -THRESHOLD or found in NEGATIVE and other >= THRESHOLD:
            return "mixed"
        return found
    if obligation(acts, lex):
        return "opposes" if negs % 2 else "recommends"
    # "One, that there should be a senior minister ...", "It is the view of X that the response needs to be
    # joined up": an obligation in the clause a frame introduces.
    framed = [c for c in root.children if c.dep_ in ("ccomp", "acl", "relcl", "appos", "attr") and c.i not in conceded]
    framed += [g for c in framed if c.pos_ in ("NOUN", "PROPN") for g in c.children if g.dep_ in ("acl", "relcl", "ccomp")]
    if any(obligation(chain(c), lex) for c in framed if c.pos_ in ("VERB", "AUX")):
        return "recommends"
    if negs % 2 and subject is not None and subject.lower_ in ("i", "we"):
        return "opposes"  # "We will not vote to cut off X": a refusal
    if pledge(root, subject):
        return "recommends"  # "We will cut the tax on ...", "My plan will freeze spending": what the speaker proposes
    if own >= THRESHOLD and other <= -THRESHOLD or own <= -THRESHOLD and other >= THRESHOLD:
        return "mixed"
    if abs(own) < THRESHOLD:
        own += other  # "X is planned, but the timetable is far too short": the contrast is the point
    if own >= THRESHOLD:
        return "welcomes" if any(word_class(t, lex) == "welcomes" for t in main) else "supports"
    if own <= -THRESHOLD:
        # Only the holder's own predicate opposes or rejects: "patients who have been denied cover" is
        # their lot, and the speaker's concern.
        predicate = {a.i for a in acts}
        found_classes = {word_class(t, lex) for t in main if t.i in predicate or t.head.i in predicate}
        return "opposes" if "opposes" in found_classes else "rejects" if "rejects" in found_classes else "concerned"
    return "describes"


def worked_against(doc) -> tuple[tuple[int, int], ...]:
    """Character ranges of what the sentence's predicates work against, one per target."""
    spans = [list(g.subtree) for g in targets_worked_against(doc, load())]
    return tuple((sub[0].idx, sub[-1].idx + len(sub[-1])) for sub in spans)
