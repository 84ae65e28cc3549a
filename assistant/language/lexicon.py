"""Word lists with a source: the attitude and reporting lexicon (data/lexicon.json) and VADER's
polarity lexicon (the vaderSentiment package). README.md says where each list comes from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# The attitude a stance class expresses, on VADER's scale: what a class word adds to a clause's polarity.
CLASS_VALENCE = {"welcomes": 2.0, "supports": 1.6, "accepts": 1.2, "rejects": -1.8, "opposes": -1.8,
                 "concerned": -1.6, "recommends": 0.0, "reports": 0.0, "mixed": 0.0}
POSITIVE = frozenset({"welcomes", "supports", "accepts"})
NEGATIVE = frozenset({"concerned", "opposes", "rejects"})


def sign(stance: str | None) -> int:
    """A stance's direction: 1 for, -1 against, 0 neither."""
    return 1 if stance in POSITIVE else -1 if stance in NEGATIVE else 0


def overall_stance(stances: list[str | None]) -> str:
    """One actor's stance over their quotes, best first: the first stated one (the closest statement on
    the topic says most); descriptions do not outvote a stated position."""
    return next((s for s in stances if s and s != "describes"), "describes")


# The stance a negated attitude amounts to: "does not support" opposes, "will not accept" rejects.
NEGATED = {"welcomes": "concerned", "supports": "opposes", "accepts": "rejects", "rejects": "accepts",
           "opposes": "supports", "concerned": "describes", "recommends": "describes", "reports": "reports",
           "mixed": "mixed"}


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, str]  # lemma (or "lemma particle") -> class
    adjectives: dict[str, str]
    judging: frozenset[str]  # adjectives that judge their subject ("X is welcome"), not its holder's attitude
    nouns: dict[str, str]
    valence: dict[str, float]  # lower-cased word -> polarity (VADER's lexicon)
    evaluative: dict[str, float]  # the supplement: policy-register judgements, and VADER words that only frame
    negators: frozenset[str]
    concessive: frozenset[str]
    conditional: frozenset[str]
    contrast: frozenset[str]
    obligation: frozenset[str]
    excess: frozenset[str]
    doubt: frozenset[str]  # "not clear", "not sure": negated, these words express doubt
    against: frozenset[str] = frozenset()  # predicates that work against their object: "ban X", "delay X"


def _invert(groups: dict[str, list[str]]) -> dict[str, str]:
    return {w: cls for cls, words in groups.items() for w in words}


def vader_lexicon() -> dict[str, float]:
    """VADER's word valences (mean human ratings, -4..4), read from the file the package ships."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    out: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and " " not in parts[0]:
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return out


@lru_cache(maxsize=1)
def load() -> Lexicon:
    data = json.loads(resources.files("assistant").joinpath("data/lexicon.json").read_text(encoding="utf-8"))
    return Lexicon(
        verbs=_invert(data["verbs"]), adjectives=_invert(data["adjectives"]),
        judging=frozenset(data["judging_adjectives"]), nouns=_invert(data["nouns"]),
        valence=vader_lexicon(), evaluative=data["evaluative"], negators=frozenset(data["negators"]), concessive=frozenset(data["concessive_marks"]), conditional=frozenset(data["conditional_marks"]),
        contrast=frozenset(data["contrast_words"]), obligation=frozenset(data["obligation"]), excess=frozenset(data["excess"]), doubt=frozenset(data["doubt_when_negated"]),
        against=frozenset(data["against"]),
    )


# Nouns of a view someone holds: "X's position", "the BMA's take on ...", "Hamilton's objection to ...".
VIEW_WORDS = frozenset({"view", "position", "stance", "take", "verdict", "reaction", "response", "opinion",
                        "assessment", "reading", "attitude"})


@lru_cache(maxsize=1)
def view_nouns() -> frozenset[str]:
    """VIEW_WORDS and the attitude lexicon's nouns of a view held (a concern, an objection, a welcome), not of
    a thing put forward (a proposal, a pledge: "Hewitt's proposal" names a topic)."""
    return VIEW_WORDS | {w for w, cls in load().nouns.items() if cls not in ("recommends", "accepts")}


IRREGULAR_PAST = {
    "say": ("said",), "tell": ("told",), "think": ("thought",), "write": ("wrote", "written"), "speak": ("spoke", "spoken"),
    "feel": ("felt",), "know": ("knew", "known"), "understand": ("understood",), "find": ("found",),
    "fight": ("fought",), "undertake": ("undertook", "undertaken"), "hold": ("held",), "put": ("put",),
    "set out": ("set out",), "rule out": ("ruled out",), "turn down": ("turned down",), "push back": ("pushed back",),
}


@lru_cache(maxsize=1)
def attitude_stems() -> dict[str, str]:
    """Stems of the attitude and reporting lexicon's words -> their class ("welcomed" -> welcomes,
    "said" -> reports), for text read without a parse (questions, bare verdicts)."""
    from . import terms

    lex = load()
    entries = [(" ".join(terms.stem(w) for w in word.split()), cls)
               for table in (lex.verbs, lex.adjectives, lex.nouns) for word, cls in table.items()]
    # Irregular past forms a stemmer does not bring back ("Who said ...?", "Who fought the cuts?").
    entries += [(" ".join(terms.stem(w) for w in (past, *word.split()[1:])), lex.verbs[word])
                for word in lex.verbs for past in IRREGULAR_PAST.get(word.split()[0], ())]
    out = {k: cls for k, cls in entries if cls == "reports"}
    for k, cls in entries:
        if cls != "reports" and out.get(k, "reports") == "reports":
            out[k] = cls  # an attitude wins over reporting ("call" is a call for something)
    return out
