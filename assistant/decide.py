"""Answer or abstain: decided on the question as asked, from how well the best quotes and their
paragraphs cover what it asks about.

Signals (DECISION_FEATURES), combined by a logistic model fitted on gold questions (fit.py):
how close the best sentences are in meaning, how much of the question's topic the best paragraphs
hold (its terms weighted by salience: rare in the corpus and not everyday English, from wordfreq),
how much of it the corpus never mentions at all, names the question uses that no source has, whether
the kind of answer asked for (a figure, an amount, a date, a name) is there, and whether an actor
asked about says anything on it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import terms
from .quotes import Quote
from .retrieve import Ranked
from .store import Index
from .understand import Question

DECISION_FEATURES = ("best", "dense", "cover", "rare", "names", "type", "actor")
EVERYDAY = 6.0  # Zipf frequency (wordfreq) of the commonest English words: they single nothing out
# Two or more capitalised words inside a question ("Spending Review", "Bank of England").
NAME = re.compile(r"(?<![\w-])[A-Z][A-Za-z'’]*(?:\s+(?:(?:of|and|for|the|on|in)\s+)?[A-Z][A-Za-z'’]*)+(?![\w-])")


@lru_cache(maxsize=65536)
def specificity(word: str) -> float:
    """How much a word singles a topic out in English at large: 1 for rare words, 0 for "the"."""
    from wordfreq import zipf_frequency

    return min(1.0, max(0.0, (EVERYDAY - zipf_frequency(word, "en")) / 3.0))
DEPTH = 3  # quotes whose paragraphs are read for coverage
SILENT_DEPTH = 30  # an actor asked about must state something among this many best sentences
NO_ANSWER = "The sources do not answer this question."


@dataclass(frozen=True)
class Decision:
    answered: bool
    message: str | None
    features: tuple[float, ...]
    p: float  # the model's probability that the quotes answer the question


class Judge:
    """Decides from the index's term statistics and the fitted decision model."""

    def __init__(self, index: Index, model: dict):
        self.index = index
        self.weights = np.asarray([model.get(f, 0.0) for f in DECISION_FEATURES], np.float64)
        self.bias = float(model.get("bias", 0.0))
        self.threshold = float(model.get("threshold", 0.5))
        self.n = max(1, len(index.sentences))
        self._block_terms: dict[tuple[str, int], frozenset[str]] = {}

    def idf(self, stem: str) -> float:
        df = self.index.df.get(stem, 0)
        return math.log(1 + self.n / (1 + df))

    def block_terms(self, source_id: str, start: int, end: int, section: str) -> frozenset[str]:
        key = (source_id, start)
        got = self._block_terms.get(key)
        if got is None:
            text = self.index.documents[source_id].text[start:end]
            got = self._block_terms[key] = frozenset(terms.index_tokens(f"{section} {text}", self.index.acronyms))
        return got

    def salience(self, q: Question) -> dict[str, float]:
        """Topic stems -> weight: rare in the corpus (idf) and specific in English."""
        spec = {terms.stem(w): specificity(w) for w in q.topic_words}
        return {t: self.idf(t) * spec.get(t, 1.0) for t in q.topic if t}

    def unknown_names(self, q: Question) -> float:
        """Share of the names the question uses (two or more capitalised words) that no source contains."""
        found = [m.group(0) for m in NAME.finditer(q.asked) if m.start() > 0]
        if not found:
            return 0.0
        missing = [n for n in found if not self.mentions(n)]
        return len(missing) / len(found)

    def mentions(self, name: str) -> bool:
        """Whether a title, an actor's name or any sentence (with its heading) holds `name` as a phrase.
        Only the sentences holding its rarest word are read, found through the BM25 postings."""
        from .store import bm25_text

        if self.index.actors.canonical(name):
            return True
        words = terms.words(name)
        phrase = f" {' '.join(words)} "
        if any(phrase in f" {' '.join(terms.words(d.title))} " for d in self.index.documents.values()):
            return True
        stems = [terms.stem(w) for w in words if w not in terms.STOPWORDS]
        bm = self.index.sentence_bm25
        if not stems or any(st not in bm.vocab_dict for st in stems):
            return False
        indptr, indices = bm.scores["indptr"], bm.scores["indices"]
        rarest = min((bm.vocab_dict[st] for st in stems), key=lambda t: indptr[t + 1] - indptr[t])
        for row in indices[indptr[rarest]:indptr[rarest + 1]].tolist():
            s = self.index.sentences[row]
            if phrase in f" {' '.join(terms.words(bm25_text(s.section, s.context, self.index.text(s))))} ":
                return True
        return False

    def features(self, q: Question, ranked: Ranked, quotes: list[Quote], retriever) -> tuple[float, ...]:
        topic = [t for t in q.topic if t]
        weights = self.salience(q)
        total = sum(weights.values()) or 1.0
        cover = 0.0
        type_ok = 0.0 if q.answer_type else 1.0
        for qt in quotes[:DEPTH]:
            held = self.block_terms(qt.source_id, qt.passage_start, qt.passage_end, qt.section)
            cover = max(cover, sum(w for t, w in weights.items() if t in held) / total if topic else 1.0)
            if q.answer_type and not type_ok:
                rows = [r for r in retriever.block_rows[retriever.sentence_block[qt.row]]]
                type_ok = float(retriever.type_mask(q, np.asarray(rows, np.int64)).any())
        absent = [w for t, w in weights.items() if self.index.df.get(t, 0) == 0]
        rare = sum(absent) / total if topic else 0.0
        names = self.unknown_names(q)
        best = float(ranked.score[0]) if len(ranked) else 0.0
        dense = float(ranked.dense[:DEPTH].max()) if len(ranked) else 0.0
        actor = 1.0
        if q.actors and not q.comparison:
            actor = float(bool(ranked.actor[:SILENT_DEPTH].any()))
        return best, dense, cover, rare, names, type_ok, actor

    def decide(self, q: Question, ranked: Ranked, quotes: list[Quote], retriever) -> Decision:
        if not len(ranked) or not quotes:
            return Decision(False, NO_ANSWER, (0.0,) * len(DECISION_FEATURES), 0.0)
        x = self.features(q, ranked, quotes, retriever)
        p = 1 / (1 + math.exp(-(float(np.dot(self.weights, x)) + self.bias)))
        if p >= self.threshold:
            return Decision(True, None, x, p)
        return Decision(False, self.why(q, x), x, p)

    def why(self, q: Question, x: tuple[float, ...]) -> str:
        _, _, cover, rare, names, type_ok, actor = x
        if not actor:
            return f"{NO_ANSWER} They record no statement by {' and '.join(q.actors)} on this."
        if names > 0:
            missing = [m.group(0) for m in NAME.finditer(q.asked) if m.start() > 0 and not self.mentions(m.group(0))]
            if missing:
                return f"{NO_ANSWER} They never mention {', '.join(missing)}."
        if rare > 0:
            missing = [w for w in q.topic_words if self.index.df.get(terms.stem(w), 0) == 0 and specificity(w) > 0.5]
            if missing:
                return f"{NO_ANSWER} They never mention {', '.join(missing)}."
        if not type_ok:
            what = {"money": "amount", "number": "figure", "date": "date", "who": "name"}.get(q.answer_type or "", "answer")
            return f"{NO_ANSWER} The closest passages give no {what} for it."
        return f"{NO_ANSWER} Nothing in them is close enough to this question."
