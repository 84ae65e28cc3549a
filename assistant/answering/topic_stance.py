"""Stance of statements toward a topic the user names: pro, con or neutral, with a confidence.

Decomposed the way IBM's Claim Stance data annotates it (Bar-Haim et al., EACL 2017). The topic is read as a
motion: a claim ("We should ban boxing"), its denial ("We should not ban boxing"), the target it is for or
against ("boxing") and its direction toward that target, from its parse and the attitude lexicon. A statement
is then read two ways:
- by a sentence-pair model (nli.py): does it contradict the claim, the denial, "boxing is good", "boxing is
  bad"? This reads statements no word list does ("Boxing teaches discipline" against a ban).
- by words: its VADER polarity, the attitude of its main predicate (stance.py), and what it says its subject
  does to something good or bad ("reduces crime", "causes aggression"), each turned by the topic's direction.
A logistic model fitted on the IBM train topics only combines them (`assistant fit-stance`,
data/topic_stance.json). A statement that leans no way by words and contradicts none of the four sentences
is neutral ("The library opened in 1962").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..language.lexicon import Lexicon, load, sign
from ..language.parse import PARSING, nlp
from ..language.stance import acted_on, negations, of_sentence, valence, word_class
from . import nli

MODEL_FILE = "data/topic_stance.json"
EVIDENCE = 0.05  # |VADER compound| below this is no polarity at all (VADER's own neutral band)
# The pair model's contradiction score of a statement against: the claim, its denial, "<target> is good",
# "<target> is bad" (the last two turned by the topic's direction); then the word features, turned likewise.
FEATURES = ("against_claim", "against_denial", "against_good", "against_bad", "polarity", "attitude", "effect")
CONFLICT = 0.0  # a contradiction score above this is a conflict with that sentence (near 0: unrelated)
# Verbs whose object grows or thrives by them ("boxing teaches discipline", "X creates jobs"); those that work
# against their object are the lexicon's `against` list ("X damages trust", "X cuts crime"). What a thing does
# to something good or bad is how favourable a statement is to that thing (+/-effect, Choi & Wiebe 2014).
RAISING = frozenset("""increase raise boost improve promote cause create lead produce enhance strengthen encourage
foster generate provide bring help support enable protect save benefit teach build""".split())


@dataclass(frozen=True)
class StanceResult:
    statement: str
    stance: str  # "pro" | "con" | "neutral"
    confidence: float  # 0..1: how far the statement's favour is from even (0 for neutral)


def direction(doc, lex: Lexicon | None = None) -> int:
    """+1 when a topic is for its target, -1 when against: each predicate that works against what follows
    it ("ban", "abolish", "limit"), each negation and each negative judgement ("advertising is harmful",
    "should be a criminal offence") turns it around. A noun counts only as an act on something ("a ban on
    X", "cuts to X" (stance.acted_on), a topic opening "ban boxing"; not "enforce term limits")."""
    lex = lex or load()
    turns = 0
    first = next((t.i for t in doc if not (t.is_stop or t.is_punct)), -1)  # "ban boxing": the small model's noun
    for t in doc:
        if t.lemma_.lower() in lex.against and (t.pos_ in ("VERB", "ADJ") or t.pos_ == "NOUN" and (
                t.i == first or acted_on(t))):
            turns += 1
        elif t.pos_ == "VERB" and word_class(t, lex) in ("opposes", "rejects"):
            turns += 1  # "This house opposes X"
        elif t.lower_ in lex.negators:
            turns += 1
        elif t.pos_ == "ADJ" and judged(t) and valence(t, lex) <= -1.0:
            turns += 1
    return -1 if turns % 2 else 1


def judged(t) -> bool:
    """An adjective the topic predicates of its target ("is harmful", "a criminal offence"), not one inside
    the target's name ("the sale of violent video games", "subsidize poor communities")."""
    return t.dep_ == "acomp" or t.dep_ == "amod" and t.head.dep_ == "attr"


@lru_cache(maxsize=1)
def vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def effect(doc, lex: Lexicon) -> tuple[float, set[int]]:
    """What the statement says its subject does to something good or bad: a raising verb times the polarity of
    its object ("reduces crime" is good, "causes aggression" bad), turned by a negation; summed over verbs. With
    the token positions of those objects: their words' polarity is counted here, not again as the statement's."""
    total, used = 0.0, set()
    for t in doc:
        lemma = t.lemma_.lower()
        way = 1 if lemma in RAISING else -1 if lemma in lex.against else 0
        if t.pos_ != "VERB" or not way:
            continue
        words = [w for o in acted_on(t) for w in o.subtree]
        rated = [v for w in words if (v := lex.valence.get(w.lower_, lex.valence.get(w.lemma_.lower(), 0.0)))]
        if rated:
            total += (-way if negations(t, lex) % 2 else way) * sum(rated) / len(rated)
            used.update(w.i for w in words)
    return total, used


def features(doc) -> tuple[float, float, float]:
    """(VADER compound polarity, mean attitude sign of its sentences' main predicates, effect) of a parsed
    statement."""
    lex = load()
    done, used = effect(doc, lex)
    if not used:
        signs = [sign(of_sentence(s, lex)) for s in doc.sents]
        return vader().polarity_scores(doc.text)["compound"], (sum(signs) / len(signs) if signs else 0.0), done
    # "The bypass would reduce fatal accidents": "fatal accidents" is what the bypass acts on, not how the
    # statement feels about the bypass; only an attitude word ("we support ...") still counts as one.
    rest = " ".join(t.text for t in doc if t.i not in used)
    signs = [sign(of_sentence(s, lex)) if any(word_class(t, lex) for t in s) else 0 for s in doc.sents]
    return vader().polarity_scores(rest)["compound"], (sum(signs) / len(signs) if signs else 0.0), done


def leans(x: Sequence[float]) -> bool:
    """Whether anything in a statement's words leans either way: polarity, an attitude or an effect."""
    return abs(x[0]) >= EVIDENCE or x[1] != 0 or x[2] != 0


# Debate motions name their side first ("This house would ban boxing"): the motion is what the house would do.
HOUSE = re.compile(r"^this house (would|should|will)\s+", re.I)
HOUSE_BELIEVES = re.compile(r"^this house believes (that )?(?!in\b)", re.I)
HOUSE_ACTS = re.compile(r"^this house\s+", re.I)
ASKING = frozenset("should would will can could must is are was were do does".split())


@dataclass(frozen=True)
class Motion:
    """A topic read as a claim one can be for or against."""

    claim: str  # "We should ban boxing"
    denial: str  # "We should not ban boxing"
    target: str  # "boxing": what the claim is for or against
    direction: int  # +1 for the target, -1 against it


def motion(topic: str) -> Motion:
    """The claim, denial, target and direction of a topic: a statement ("Advertising is harmful"), a debate
    motion ("This house would ban boxing"), a bare act ("ban boxing" -> "We should ban boxing") or a thing
    ("the GP buy-out fund" -> "The GP buy-out fund is good")."""
    parser = nlp()

    def parse(text):
        with PARSING:
            return parser(text)

    text = topic.strip().rstrip(".?!").strip() or topic.strip()
    if HOUSE.match(text):
        text = HOUSE.sub("We should ", text, count=1)
    elif HOUSE_BELIEVES.match(text):
        text = HOUSE_BELIEVES.sub("", text, count=1)
    elif HOUSE_ACTS.match(text):  # "This house supports X" -> "We support X"
        rest = HOUSE_ACTS.sub("", text, count=1)
        verb = parse(rest)[0]
        text = "We " + (verb.lemma_ if verb.tag_ == "VBZ" else verb.text) + rest[len(verb.text):]
    doc = parse(text)
    first = doc[0] if len(doc) else None
    if first is not None and first.dep_ == "aux" and first.lower_ in ASKING:  # "Should we ban boxing?"
        subject = next((c for c in first.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > first.i), None)
        if subject is not None:
            text = " ".join([doc[1:subject.right_edge.i + 1].text, first.lower_, doc[subject.right_edge.i + 1:].text])
            doc = parse(text.strip())
    low = parse(doc.text[:1].lower() + doc.text[1:])
    if not len(low) or all(t.is_punct or t.is_space for t in low):  # "???": nothing to read as a claim
        bare = topic.strip()
        return Motion(claim=bare, denial=f"It is not true that {bare}", target=bare, direction=1)
    opening, root = low[0], _root(low)
    # An act when it opens with its verb ("close the library", "cut GP funding"); the small model calls "ban"
    # in "ban boxing" a noun, so an opening verb of the lexicon counts too unless a clause follows it or a
    # preposition does ("ban on boxing" is a thing).
    lex = load()
    act = opening.i == root.i and opening.tag_ in ("VB", "VBP", "VBD") and not _subject(root) or (
        opening.lemma_.lower() in lex.against | RAISING and opening.tag_ != "VBG" and not _finite(root)
        and not (len(low) > 1 and low[1].pos_ == "ADP"))
    text = doc.text[:1].upper() + doc.text[1:]
    if act:
        doc = parse("We should " + low.text)
    elif not _finite(root) or _bare_noun_phrase(low, parse):
        # a thing or a doing ("the GP buy-out fund", "delaying HARPs"): the claim is that it is good
        # agreement with the phrase's head: "a ban on fireworks is", "national targets are"; in a misread
        # phrase the head is its last word
        plural = root.tag_ in ("NNS", "NNPS") or _finite(root) and low[-1].lower_.endswith("s")
        doc = parse(text + (" are good" if plural else " is good"))
    else:
        doc = parse(text)
    text = doc.text
    return Motion(claim=text, denial=_denial(doc), target=_acted(_target(doc), lex) or text,
                  direction=direction(parse(topic.strip()), lex))


def _root(doc):
    return next(iter(doc.sents)).root


def _bare_noun_phrase(doc, parse) -> bool:
    """A noun phrase the small model reads as a clause ("the new cycle lanes": "cycle" the subject of a verb
    "lanes"): a clause whose verb is its last word, without an auxiliary, that becomes the subject of an
    "are good" put after it."""
    root = _root(doc)
    if root.i != len(doc) - 1 or any(c.dep_ in ("aux", "auxpass") for c in root.children) or root.pos_ == "AUX":
        return False
    tried = parse(doc.text + " are good")
    return _root(tried).i == len(doc) and any(c.dep_ == "nsubj" for c in _root(tried).children)


def _subject(root) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children)


def _finite(root) -> bool:
    """A clause with a subject or a modal: a claim as it stands."""
    return root.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "aux", "auxpass") for c in root.children)


def _denial(doc) -> str:
    """The claim negated at its main predicate: "should not ban", "is not harmful", "do not support"; a
    negated claim loses its negation ("should not subsidize" -> "should subsidize")."""
    root = _root(doc)
    words = [t.text_with_ws for t in doc]
    neg = [c for c in root.children if c.dep_ == "neg"]
    if neg:
        words[neg[0].i] = ""
        return re.sub(r"\s+", " ", "".join(words)).strip()
    aux = [c for c in root.children if c.dep_ in ("aux", "auxpass")] or ([root] if root.pos_ == "AUX" else [])
    if aux:
        t = aux[0]
        words[t.i] = t.text + " not" + t.whitespace_
        return "".join(words).strip()
    if root.tag_ in ("VBP", "VBZ", "VBD"):
        do = {"VBP": "do", "VBZ": "does", "VBD": "did"}[root.tag_]
        words[root.i] = f"{do} not {root.lemma_}{root.whitespace_}"
        return "".join(words).strip()
    return "It is not true that " + doc.text[:1].lower() + doc.text[1:]


def _target(doc):
    """What the claim is for or against: the object or passive subject of its main act, followed down through
    the clauses it governs ("make [physical education] compulsory", "right for the government to restrict
    [freedom of speech]"); the subject a claim judges ("[Advertising] is harmful"); what one believes in."""
    def span(t):
        return doc[t.left_edge.i:t.right_edge.i + 1]

    todo = [_root(doc)]
    while todo:
        t = todo.pop(0)
        for c in t.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                return span(c)
        if t.pos_ == "AUX" or any(c.dep_ in ("acomp", "attr") for c in t.children):
            subject = next((c for c in t.children if c.dep_ in ("nsubj", "csubj") and c.pos_ != "PRON"), None)
            if subject is not None:
                return span(subject)
        todo += [c for c in t.children if c.dep_ in ("xcomp", "ccomp", "acomp", "advcl", "pcomp")]
    root = _root(doc)
    return next((span(g) for c in root.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), None)


def _acted(span, lex: Lexicon):
    """The target past the acts the topic's direction already counts: "delaying [HARPs]", "a ban on [boxing]"."""
    while span is not None:
        head = span.root
        if head.lemma_.lower() not in lex.against or not (inner := acted_on(head)):
            break
        span = span.doc[inner[0].left_edge.i:inner[0].right_edge.i + 1]
    return span.text if span is not None else None


def hypotheses(m: Motion) -> list[str]:
    target = m.target[:1].upper() + m.target[1:]
    return [m.claim, m.denial, f"{target} is good.", f"{target} is bad."]


def read(m: Motion, doc) -> tuple[tuple[float, ...], bool]:
    """A parsed statement's features toward the motion, and whether it leans at all (by its words, or by
    contradicting one of the motion's sentences)."""
    words = features(doc)
    claim, denial, good, bad = nli.contradiction(doc.text, hypotheses(m))
    way = m.direction
    x = (claim, denial, good * way, bad * way, *(v * way for v in words))
    return x, leans(words) or max(claim, denial, good, bad) > CONFLICT


@lru_cache(maxsize=1)
def model() -> dict:
    return json.loads(resources.files("assistant").joinpath(MODEL_FILE).read_text(encoding="utf-8"))


def favour(x: Sequence[float], weights: dict) -> float:
    """Probability that a statement is for the topic, from its features."""
    z = weights["bias"] + sum(weights[f] * v for f, v in zip(FEATURES, x))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def verdict(x: Sequence[float], leaning: bool, weights: dict, neutral: bool = True) -> tuple[str, float]:
    """pro or con with a confidence; neutral (confidence 0) for a statement that leans no way, unless the
    caller knows every statement takes a side (`neutral=False`: then the model's call stands)."""
    if neutral and not leaning:
        return "neutral", 0.0
    p = favour(x, weights)
    return ("pro" if p >= 0.5 else "con"), round(abs(2 * p - 1), 4)


def classify(topic: str, statements: Sequence[str], weights: dict | None = None,
             neutral: bool = True) -> list[StanceResult]:
    """Each statement's stance toward the topic (`neutral`: see verdict)."""
    weights = weights or model()["weights"]
    m = motion(topic)
    parser = nlp()
    out = []
    for text in statements:
        # one text at a time under the lock: answer threads share the pipeline, and a hundred statements parsed
        # in one go would hold their questions up
        with PARSING:
            doc = parser(text)
        out.append(StanceResult(text, *verdict(*read(m, doc), weights, neutral)))
    return out


# Fitting and measuring (`assistant fit-stance`): on IBM Claim Stance (claims.jsonl of shared/eval/external).


@dataclass(frozen=True)
class ClaimRow:
    x: tuple[float, ...]
    leaning: bool
    pro: bool  # the annotated stance
    topic: str


def claim_rows(claims: Sequence[dict]) -> tuple[list[ClaimRow], dict[str, Motion]]:
    """Each claim read toward its topic, and the topics' motions."""
    parser = nlp()
    motions = {t: motion(t) for t in {c["topic"] for c in claims}}
    out = []
    for c, doc in zip(claims, parser.pipe(c["claim"] for c in claims)):
        x, leaning = read(motions[c["topic"]], doc)
        out.append(ClaimRow(x, leaning, c["stance"] == "PRO", c["topic"]))
    return out, motions


def fit_weights(rows: Sequence[ClaimRow], l2: float = 1.0) -> dict:
    """Logistic regression of the annotated stance on the features (L2-penalised, by scipy)."""
    import numpy as np
    from scipy.optimize import minimize

    x = np.array([r.x for r in rows], dtype=float)
    y = np.array([r.pro for r in rows], dtype=float)

    def loss(w):
        z = x @ w[1:] + w[0]
        p = 1 / (1 + np.exp(-z))
        eps = 1e-9
        return -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + l2 * np.sum(w[1:] ** 2) / len(y)

    w = minimize(loss, np.zeros(1 + len(FEATURES)), method="L-BFGS-B").x
    return {"bias": round(float(w[0]), 4), **{f: round(float(v), 4) for f, v in zip(FEATURES, w[1:])}}


def measure(rows: Sequence[ClaimRow], weights: dict, bands: Sequence[float] = (0.2, 0.4)) -> dict:
    """Accuracy over every claim (neutral counts as wrong), on the labelled ones, at higher confidence, and
    over every claim when every statement must take a side (`neutral=False`)."""
    got = [verdict(r.x, r.leaning, weights) for r in rows]
    right = [s == ("pro" if r.pro else "con") for (s, _), r in zip(got, rows)]
    labelled = [ok for (s, _), ok in zip(got, right) if s != "neutral"]
    sided = [verdict(r.x, r.leaning, weights, neutral=False)[0] == ("pro" if r.pro else "con") for r in rows]
    out = {"claims": len(rows), "accuracy_every_claim": round(sum(right) / len(rows), 3),
           "accuracy_every_claim_without_neutral": round(sum(sided) / len(rows), 3),
           "coverage_labelled": round(len(labelled) / len(rows), 3),
           "accuracy_labelled": round(sum(labelled) / max(1, len(labelled)), 3)}
    for b in bands:
        kept = [ok for (s, c), ok in zip(got, right) if s != "neutral" and c >= b]
        out[f"confidence>={b}"] = {"coverage": round(len(kept) / len(rows), 3),
                                   "accuracy": round(sum(kept) / max(1, len(kept)), 3)}
    return out


def baselines(claims: Sequence[dict], motions: dict[str, Motion]) -> dict:
    """Always PRO; the sign of VADER's compound times the topic's direction read from its text."""
    pro = sum(c["stance"] == "PRO" for c in claims) / len(claims)
    right = 0
    for c in claims:
        v = vader().polarity_scores(c["claim"])["compound"]  # of the whole claim, as published
        right += ((1 if v >= 0 else -1) * motions[c["topic"]].direction > 0) == (c["stance"] == "PRO")
    return {"always_pro": round(pro, 3), "vader_x_direction": round(right / len(claims), 3)}


def fit(claims: Sequence[dict]) -> dict:
    """Weights fitted on the train topics; figures on the test topics, and leave-one-topic-out on train."""
    train = [c for c in claims if c["split"] == "train"]
    test = [c for c in claims if c["split"] == "test"]
    train_rows, _ = claim_rows(train)
    test_rows, motions = claim_rows(test)
    weights = fit_weights(train_rows)
    held = []
    for topic in sorted({r.topic for r in train_rows}):
        w = fit_weights([r for r in train_rows if r.topic != topic])
        held += [verdict(r.x, r.leaning, w)[0] == ("pro" if r.pro else "con") for r in train_rows if r.topic == topic]
    direction_right = {c["topic"]: motions[c["topic"]].direction == c["topic_sentiment"] for c in test}
    return {
        "weights": weights,
        "figures": {
            "test": measure(test_rows, weights),
            "test_baselines": baselines(test, motions),
            "train_leave_one_topic_out_accuracy_every_claim": round(sum(held) / len(held), 3),
            "test_topic_direction_right": f"{sum(direction_right.values())} of {len(direction_right)}",
        },
    }
