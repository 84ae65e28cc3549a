"""Stance of statements toward a topic the user names: pro, con or neutral, with a confidence.

Decomposed the way IBM's Claim Stance data annotates it (Bar-Haim et al., EACL 2017): the topic's own
direction toward what it is about ("ban boxing", "the right to asylum should not be absolute" are against
their target; "introduce year-round schooling" is for it), read from its parse and the attitude lexicon,
times how favourable the statement is to what it speaks of: its VADER polarity and the attitude of its
main predicate (stance.py), and what it says its subject does to something good or bad ("reduces crime",
"causes aggression"), combined by a logistic model fitted on the IBM train topics only
(`assistant fit-stance`, data/topic_stance.json). A statement with neither polarity nor attitude is
neutral: nothing in it leans either way.

What this cannot read is a statement that is favourable to something that works against the topic's target
without saying so ("No conclusive link was found between video games and violence" against a ban); the
IBM figures in data/topic_stance.json say how often that costs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .lexicon import Lexicon, load, sign
from .parse import PARSING, nlp
from .stance import acted_on, negations, of_sentence, valence, word_class

MODEL_FILE = "data/topic_stance.json"
EVIDENCE = 0.05  # |VADER compound| below this is no polarity at all (VADER's own neutral band)
FEATURES = ("polarity", "attitude", "effect")
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
    """Whether anything in a statement leans either way: polarity, an attitude or an effect."""
    return abs(x[0]) >= EVIDENCE or x[1] != 0 or x[2] != 0


@lru_cache(maxsize=1)
def model() -> dict:
    return json.loads(resources.files("assistant").joinpath(MODEL_FILE).read_text(encoding="utf-8"))


def favour(x: Sequence[float], weights: dict) -> float:
    """Probability that a statement speaks for what it is about, from its features."""
    z = weights["bias"] + sum(weights[f] * v for f, v in zip(FEATURES, x))
    return 1 / (1 + math.exp(-z))


def classify(topic: str, statements: Sequence[str], weights: dict | None = None) -> list[StanceResult]:
    """Each statement's stance toward the topic."""
    weights = weights or model()["weights"]
    parser = nlp()
    # one text at a time under the lock: answer threads share the pipeline, and a hundred statements parsed
    # in one go would hold their questions up
    with PARSING:
        way = direction(parser(topic))
    docs = []
    for text in statements:
        with PARSING:
            docs.append(parser(text))
    out = []
    for text, doc in zip(statements, docs):
        x = features(doc)
        if not leans(x):
            out.append(StanceResult(text, "neutral", 0.0))
            continue
        p = favour(x, weights)
        pro = (p >= 0.5) == (way > 0)
        out.append(StanceResult(text, "pro" if pro else "con", round(abs(2 * p - 1), 4)))
    return out


# Fitting and measuring (`assistant fit-stance`): on IBM Claim Stance (claims.jsonl of shared/eval/external).


def claim_rows(claims: Sequence[dict]) -> list[tuple[tuple[float, float], int, int, int, str]]:
    """(features, favour label, gold stance sign, topic direction read from its text, topic) of each claim.
    The favour label is the claim's stance read through the topic's annotated direction: a CON claim on
    "ban boxing" favours boxing."""
    parser = nlp()
    directions = {t: direction(parser(t)) for t in {c["topic"] for c in claims}}
    out = []
    for c, doc in zip(claims, parser.pipe(c["claim"] for c in claims)):
        gold = 1 if c["stance"] == "PRO" else -1
        out.append((features(doc), int(gold * c["topic_sentiment"] > 0), gold, directions[c["topic"]], c["topic"]))
    return out


def fit_weights(rows: Sequence[tuple], l2: float = 1.0) -> dict:
    """Logistic regression of the favour label on the features (L2-penalised, by scipy)."""
    import numpy as np
    from scipy.optimize import minimize

    x = np.array([r[0] for r in rows], dtype=float)
    y = np.array([r[1] for r in rows], dtype=float)

    def loss(w):
        z = x @ w[1:] + w[0]
        p = 1 / (1 + np.exp(-z))
        eps = 1e-9
        return -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + l2 * np.sum(w[1:] ** 2) / len(y)

    w = minimize(loss, np.zeros(1 + len(FEATURES)), method="L-BFGS-B").x
    return {"bias": round(float(w[0]), 4), **{f: round(float(v), 4) for f, v in zip(FEATURES, w[1:])}}


def predict(row: tuple, weights: dict) -> tuple[int, float]:
    """(+1 pro / -1 con / 0 neutral, confidence) of one claim row, as classify() labels it."""
    x, _, _, way, _ = row
    if not leans(x):
        return 0, 0.0
    p = favour(x, weights)
    return (1 if (p >= 0.5) == (way > 0) else -1), abs(2 * p - 1)


def measure(rows: Sequence[tuple], weights: dict, bands: Sequence[float] = (0.2, 0.4)) -> dict:
    """Accuracy over every claim (neutral counts as wrong), on the labelled ones, and at higher confidence."""
    got = [predict(r, weights) for r in rows]
    right = [g == r[2] for (g, _), r in zip(got, rows)]
    labelled = [ok for (g, _), ok in zip(got, right) if g]
    out = {"claims": len(rows), "accuracy_every_claim": round(sum(right) / len(rows), 3),
           "coverage_labelled": round(len(labelled) / len(rows), 3),
           "accuracy_labelled": round(sum(labelled) / max(1, len(labelled)), 3)}
    for b in bands:
        kept = [ok for (g, c), ok in zip(got, right) if g and c >= b]
        out[f"confidence>={b}"] = {"coverage": round(len(kept) / len(rows), 3),
                                   "accuracy": round(sum(kept) / max(1, len(kept)), 3)}
    return out


def baselines(claims: Sequence[dict], rows: Sequence[tuple]) -> dict:
    """Always PRO; the sign of VADER's compound times the topic's direction read from its text."""
    pro = sum(c["stance"] == "PRO" for c in claims) / len(claims)
    whole = [vader().polarity_scores(c["claim"])["compound"] for c in claims]  # of the whole claim, as published
    vader_sign = sum((1 if v >= 0 else -1) * r[3] == r[2] for v, r in zip(whole, rows)) / len(rows)
    return {"always_pro": round(pro, 3), "vader_x_direction": round(vader_sign, 3)}


def fit(claims: Sequence[dict]) -> dict:
    """Weights fitted on the train topics; figures on the test topics, and leave-one-topic-out on train."""
    train = [c for c in claims if c["split"] == "train"]
    test = [c for c in claims if c["split"] == "test"]
    train_rows, test_rows = claim_rows(train), claim_rows(test)
    weights = fit_weights(train_rows)
    held = []
    for topic in sorted({r[4] for r in train_rows}):
        w = fit_weights([r for r in train_rows if r[4] != topic])
        held += [(predict(r, w)[0] == r[2]) for r in train_rows if r[4] == topic]
    direction_right = {r[4]: r[3] == c["topic_sentiment"] for r, c in zip(test_rows, test)}
    return {
        "weights": weights,
        "figures": {
            "test": measure(test_rows, weights),
            "test_baselines": baselines(test, test_rows),
            "train_leave_one_topic_out_accuracy_every_claim": round(sum(held) / len(held), 3),
            "test_topic_direction_right": f"{sum(direction_right.values())} of {len(direction_right)}",
        },
    }
