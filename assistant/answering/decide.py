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

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from ..building.attribution import according_object
from ..building.store import Index
from ..building.stored import Memo
from ..building.texts import bm25_text
from ..language import terms
from ..language.actors import TITLES
from ..language.parse import question_parse as parsed
from .quotes import Quote
from .retrieve import Ranked
from .understand import Question

DECISION_FEATURES = ("best", "dense", "cover", "rare", "names", "type", "actor", "phrase")
EVERYDAY = 6.0  # Zipf frequency (wordfreq) of the commonest English words: they single nothing out
# Two or more capitalised words inside a question ("Spending Review", "Bank of England").
NAME = re.compile(r"(?<![\w-])[A-Z][A-Za-z'’]*\.?(?:\s+(?:(?:of|for|the|on|in)\s+)?[A-Z][A-Za-z'’]*\.?)+(?![\w-])")
# What answers "how many" or "how much": a figure that is not a bare year.
QUANTITY = re.compile(r"[£$€]\s?\d|\d\s?%|\b\d[\d,.]*\s*(?:per ?cent|percent|million|billion|trillion|bn|m|k)\b|"
                      r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)\s+(?:per ?cent|percent|"
                      r"million|billion|trillion)\b|(?<!\d/)(?<!\d-)\b\d[\d,]*(?:\.\d+)?\b(?!\s*[/-]\s*\d)|"
                      # a figure in words before what it counts ("about eight years", "around ten systems", "a
                      # dozen"); not "one", which is as often a pronoun ("one area we are keen on")
                      r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
                      r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|dozens?)\s+(?:of\s+)?[a-z]{3,}|"
                      r"\ba\s+(?:decade|dozen|fortnight)\b", re.I)
MONEY = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s*(?:million|billion|trillion|bn|m|k|pounds|euros|dollars)\b|"
                   r"\b(?:hundred|thousand|million|billion|trillion)\s+(?:pounds|euros|dollars)\b", re.I)  # "a billion dollars"
YEAR = re.compile(r"^(?:19|20)\d\d$")
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
                         "hundred thousand million billion half double thirds quarters".split())


def has_quantity(text: str, counted: tuple[str, ...] = ()) -> bool:
    """A figure that answers "how much/many": not a bare year; for "how many X", a figure shortly before X."""
    if counted:
        # "how many integrated care systems": a figure shortly before the first counted word ("42 integrated
        # care systems") or its head ("13 of the 15 recommendations").
        heads = set(counted[:1]) | set(counted[-1:])
        toks = terms.words(text)
        for i, w in enumerate(toks):
            fraction = w in ("third", "quarter") and i > 0 and toks[i - 1] in ("a", "one")  # not "the third"
            if (w[:1].isdigit() or w in NUMBER_WORDS or fraction) and not YEAR.match(w):
                if any(terms.stem(t) in heads for t in toks[i + 1:i + 5]):
                    return True
        return False
    return any(not YEAR.match(m.group().strip()) for m in QUANTITY.finditer(text))


# Months and weekdays are capitalised but name no one: "in January" asks when, it names nothing the
# corpus must hold (a time qualifier, like a year).
CALENDAR = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())
PARTICLES = frozenset("down up out off over back".split())
# Derivational endings (after stemming): "earners" is known to a corpus that says "earn".
DERIVED = ("ers", "er", "or", "ist", "ism", "ment", "ness", "ship", "ity", "ion", "al", "ly")


def known(stem: str, df: Mapping[str, int]) -> bool:
    """Whether a corpus (its document frequencies by stem) has a word or a word it derives from
    ("earner" from "earn"): a question's wording need not be the documents'."""
    if df.get(stem, 0) > 0 or any(stem.endswith(e) and len(stem) - len(e) >= 3 and df.get(stem[:-len(e)], 0) > 0
                                  for e in DERIVED):
        return True
    if df.get(stem + stem[-1:], 0) > 0:
        return True  # "staffing" stems to "staf" (the stemmer undoubles after -ing), "staff" to "staff"
    if stem.endswith(("anc", "enc")) and df.get(stem[:-1] + "t", 0) > 0:
        return True  # "vacancies" / "vacant", "absence" / "absent": the noun of a state and its adjective
    # A compound the corpus writes apart or hyphenated ("ringfenced" / "ring-fenced"): two known words; or a
    # verb and its particle ("shutdown" / "shut down", "cutbacks" / "cut back"), which the index never keeps.
    if any(stem.startswith(v) and stem[len(v):].rstrip("s") in PARTICLES and df.get(v, 0) > 0
           for v in (stem[:k] for k in range(3, len(stem) - 1))):
        return True
    return any(df.get(stem[:k], 0) > 0 and df.get(stem[k:], 0) > 0 for k in range(4, len(stem) - 3))


def answers_type(q: Question, text: str, kinds: set[str], actor: str | None) -> bool:
    """Whether a quote holds the kind of answer the question asks for. "Who ...?" is answered by a name
    in it or by whose statement it is."""
    if q.answer_type == "money":
        return bool(MONEY.search(text)) or "money" in kinds
    if q.answer_type == "number":
        return has_quantity(text, q.counted)
    if q.answer_type == "date":
        return "date" in kinds
    if q.answer_type == "who":
        return "who" in kinds or bool(actor)
    return True


@lru_cache(maxsize=1)
def calendar_stems() -> frozenset[str]:
    return frozenset(terms.stem(w) for w in CALENDAR)


RELATIONAL = ("al", "ic", "ary", "ory", "ian", "ese")  # endings of adjectives made from nouns: they classify


@lru_cache(maxsize=1024)
def predicates(text: str) -> frozenset[str]:
    """Stems of the words a question uses only to say something of a thing: verbs, adverbs and predicative
    adjectives ("widening their power", "more uniform"). A corpus that never writes them may still answer
    it in other words; a thing it never names ("dentistry", "Brexit", "the dental contract") it does not
    discuss. Parsed only for questions with a term the corpus lacks."""
    doc = parsed(text)
    if doc is None:
        return frozenset()  # without the parser every missing term counts, as it did before it read them
    kinds: dict[str, set[str]] = {}
    for t in doc:
        # An adjective before a noun names a kind of it when it classifies ("dental contract", "statutory sick
        # pay", "Welsh councils": from a noun or a name, not graded); a quality ("people of modest means",
        # "a careful approach") the corpus may put in other words.
        classifying = t.text[:1].isupper() or t.lower_.endswith(RELATIONAL)
        naming = t.pos_ in ("NOUN", "PROPN") or t.pos_ == "ADJ" and t.dep_ == "amod" and classifying
        framing = t.pos_ == "NOUN" and t.text[:1].islower() and frames(t)
        kinds.setdefault(terms.stem(t.lower_), set()).add("frames" if framing else "names" if naming else t.pos_)
    return frozenset(st for st, pos in kinds.items() if pos <= {"VERB", "ADJ", "ADV", "AUX", "frames"})


FRAMING_PREPS = frozenset("on about of with to for towards between over regarding".split())


def frames(t) -> bool:
    """Whether an everyday noun frames what a question asks rather than naming its topic: what is said of a
    subject ("can ICBs be both referee and team-mate"), or a relation to a thing named after it ("X's overall
    verdict on the review", "its relationship with councils", "the reasons for the delay")."""
    if terms.zipf(t.lower_) < FRAME_ZIPF:
        return False  # a rare word ("fluoridation of water") is the topic
    said = t.dep_ in ("attr", "oprd") or t.dep_ in ("conj", "amod", "compound") and t.head.dep_ in ("attr", "oprd")
    related = any(c.dep_ == "prep" and c.lower_ in FRAMING_PREPS and any(g.dep_ == "pobj" for g in c.children)
                  for c in t.children)
    return said or related


FRAME_ZIPF = 3.8  # an English word at least this common (wordfreq Zipf) can frame a question


@lru_cache(maxsize=1024)
def holders(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of whoever a question asks the view of: the subject of its verb of saying or of
    an attitude ("What did X say", "Has X recommended"), the possessor of a noun of a view ("X's
    position"), the object of "according to". Parsed only for questions holding a capitalised name that
    is no actor's (Judge.silent_holder)."""
    from ..language.lexicon import load, view_nouns

    lex = load()
    doc = parsed(text)
    if doc is None:
        return ()
    out = []
    for t in doc:
        lemma = t.lemma_.lower()
        # "Did X come out for or against Y?", "Did X argue against Y?": a verb taking a side is one of attitude
        sided = t.pos_ == "VERB" and any(c.dep_ == "prep" and c.lower_ == "against" or c.dep_ == "prep" and c.lower_ == "for"
                                         and any(g.lower_ == "against" for g in c.subtree) for c in t.children)
        if lemma in lex.verbs or t.lower_ in lex.verbs or sided:  # (the small model reads some verbs as nouns)
            out += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge)) for c in t.children
                    if c.dep_ in ("nsubj", "nsubjpass")]
        elif t.pos_ == "NOUN" and (lemma in lex.nouns or lemma in view_nouns()):
            out += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge)) for c in t.children if c.dep_ == "poss"]
    obj = according_object(doc)
    if obj is not None:
        out.append((obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge)))
    return tuple(out)


@lru_cache(maxsize=65536)
def specificity(word: str) -> float:
    """How much a word singles a topic out in English at large: 1 for rare words, 0 for "the"."""
    return min(1.0, max(0.0, (EVERYDAY - terms.zipf(word)) / 3.0))


COMMON = 3.0  # Zipf frequency above which a capitalised word opening a sentence is taken as an English word


def opens_sentence(text: str, at: int) -> bool:
    """Whether a word at `at` starts a sentence of the question (capitalised by position, not as a name)."""
    return not text[:at].strip() or bool(re.search(r"[.?!;:]\s*$|\s[-–—]\s*$", text[:at]))


EVERYDAY_NAME = 4.0  # Zipf frequency from which a capitalised word is a common word ("Minister"), not a name ("Brexit")
NEAR_NAME = 0.85  # difflib similarity of a missing name or word to a known one for "Did you mean ...?"
DEPTH = 3  # quotes whose paragraphs are read for coverage
NO_ANSWER = "The sources do not answer this question."


def transposes(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with two neighbouring letters swapped ("helath" / "health")."""
    if len(typed) != len(word) or len(typed) < 4 or typed == word:
        return False
    diff = [i for i, (a, b) in enumerate(zip(typed, word)) if a != b]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == word[diff[1]] and typed[diff[1]] == word[diff[0]]


def named(word: str, question: str) -> bool:
    """A word written as a name ("LinkedIn", "Brexit" inside a sentence): a misspelling of it is no common
    word of the corpus ("linked")."""
    if word[1:] != word[1:].lower():
        return True  # "LinkedIn", "iPhone", "NHSX"
    at = question.find(word)
    return word[:1].isupper() and at > 0 and not opens_sentence(question, at)


def abbreviates(short: str, word: str) -> bool:
    """"govt" for "government", "dept" for "department": a short word of one vowel at most whose letters
    run in order through a longer word with the same first and last letter, and that opens as it does
    (a short form keeps the word's start: "feds" is no "friends")."""
    if not (3 <= len(short) <= 5 and len(word) >= len(short) + 2 and short.isalpha()) \
            or sum(c in "aeiou" for c in short) > 1 or short[0] != word[0] or short[-1] != word[-1] \
            or not word.startswith(short[:min(3, len(short) - 1)]):
        return False
    rest = iter(word)
    return all(c in rest for c in short)


def respelt(text: str, fixes: Mapping[str, str]) -> str:
    """`text` with each misspelt name or word put right, as written (a replacement, not a pattern)."""
    for missing, known in fixes.items():
        text = re.sub(rf"(?<!\w){re.escape(missing)}(?!\w)", lambda _m, k=known: k, text, flags=re.I)
    return text


@dataclass(frozen=True)
class Decision:
    answered: bool
    message: str | None
    features: tuple[float, ...]
    p: float  # the model's probability that the quotes answer the question
    suggestion: str | None = None  # the question with a misspelt name or word put right, when refused over it


def speaks(x: tuple[float, ...], silence: float) -> tuple[float, ...]:
    """The actor signal as the model reads it: 1 when the asked actor's best statement comes within
    `silence` of the best on the topic (or no actor is asked about), else 0: they say nothing on it."""
    i = DECISION_FEATURES.index("actor")
    return (*x[:i], 1.0 if x[i] >= -silence else 0.0, *x[i + 1:])


class Judge:
    """Decides from the index's term statistics and the fitted decision model."""

    def __init__(self, index: Index, model: dict):
        self.index = index
        self.weights = np.asarray([model.get(f, 0.0) for f in DECISION_FEATURES], np.float64)
        self.bias = float(model.get("bias", 0.0))
        self.threshold = float(model.get("threshold", 0.5))
        self.silence = float(model.get("silence", 0.3))
        self.n = max(1, len(index.sentences))
        self._block_terms: dict[tuple[str, int], frozenset[str]] = Memo()
        self._block_sequences: dict[tuple[str, int], tuple[str, ...]] = Memo()
        # Titles and actor names as word strings, to look a name up in without re-reading them per question.
        self._titles = [f" {' '.join(terms.words(d.title))} " for d in index.catalog.values()]
        self._names = [f" {' '.join(terms.words(n))} " for a in index.actors.actors for n in (a.name, *a.aliases)]
        self._name_stems = {terms.stem(w) for n in self._names for w in n.split()}
        self._cast = {n.lower(): n for a in index.actors.actors for n in (a.name, *a.aliases)}
        # Read several times per answer (the decision's features, the silent speaker, the refusal's words):
        # worked out once per question and per name.
        self.names = lru_cache(maxsize=1024)(self._names_in)
        self.mentions = lru_cache(maxsize=4096)(self._mentions)

    def idf(self, stem: str) -> float:
        df = self.index.df.get(stem, 0)
        return math.log(1 + self.n / (1 + df))

    def unknown(self, q: Question, stem: str, joined: set[str] | None = None) -> bool:
        """A topic term the corpus never uses that counts against answering: not part of a name the cast
        has, not lent by the conversation, not a figure or a month (qualifiers, not topics), and a thing
        the question names, not what it says of it. `joined`: self.joined(q), when the caller asks about
        several terms."""
        if known(stem, self.index.df) or stem in self._name_stems or stem in q.carried or stem[:1].isdigit() \
                or stem in calendar_stems():
            return False
        return stem not in (self.joined(q) if joined is None else joined) and stem not in predicates(q.asked)

    def joined(self, q: Question) -> set[str]:
        """Stems of the parts of a hyphenated word the corpus writes as one ("ring-fenced" / "ringfenced")."""
        out: set[str] = set()
        for w in q.topic_words:
            parts = terms.words(w)
            if "-" in w and len(parts) > 1 and known(terms.stem("".join(parts)), self.index.df):
                out.update(terms.stem(p) for p in parts)
        return out

    def block_terms(self, source_id: str, start: int, end: int, section: str) -> frozenset[str]:
        key = (source_id, start)
        got = self._block_terms.get(key)
        if got is None:
            text = self.index.documents[source_id].text[start:end]
            got = self._block_terms[key] = frozenset(terms.index_tokens(f"{section} {text}", self.index.acronyms))
        return got

    def salience(self, q: Question) -> dict[str, float]:
        """Topic stems -> weight: rare in the corpus (idf) and specific in English."""
        spec = {terms.stem(k): specificity(k) for w in q.topic_words for k in terms.words(w)}
        # A month or a figure dates or sizes the topic ("the economy he took over in January 2009"): a passage
        # on the topic answers it without repeating the date.
        # A word the corpus never writes weighs by how rare it is in English twice over: "bosses", "leash" or
        # "councils" the texts may put in their own words ("managers", "local authorities"); "Healthwatch" or
        # "dentistry" they would have to name.
        return {t: 0.0 if t[:1].isdigit() or t in calendar_stems() else
                self.idf(t) * spec.get(t, 1.0) ** (1 if self.index.df.get(t, 0) else 2) for t in q.topic if t}

    def _names_in(self, q: Question) -> tuple[str, ...]:
        """Names the question uses: two or more capitalised words ("Bank of England"), or one inside the
        question that is not an everyday word ("the Fuller stocktake"); forms of address aside."""
        # Actors the question names are known; what is left of it is read for names ("the BMA and the CQC
        # on HARPs" is not one name).
        text = q.asked
        spans = [(m.start, m.end) for m in self.index.actors.find(text, question=True)]
        spans += [(start, end) for start, end, _ in self.index.actors.namesakes(text)]  # "George Bush"
        for start, end in spans:
            text = text[:start] + "," * (end - start) + text[end:]
        out = []
        for m in NAME.finditer(text):
            words = [w for w in m.group(0).split() if w.lower().rstrip(".") not in TITLES
                     and re.sub(r"['’]s?$", "", w.lower()) not in CALENDAR]
            if words and opens_sentence(text, m.start()) and terms.zipf(words[0].lower()) >= COMMON:
                words = words[1:]  # "... ? Compare X and Y": capitalised where a sentence starts, no name
            if words and len(words[-1]) > 2:
                words[-1] = words[-1].rstrip(".")  # a full stop ends the question, not the name ("W." stays)
            if words:
                words[-1] = re.sub(r"['’]s?$", "", words[-1])  # "the Nuffield Trust's view": the name is "Nuffield Trust"
            if m.start() > 0 and words:
                out.extend(self.parts(" ".join(words)))
        taken = " ".join(out)
        for m in re.finditer(r"(?<=\s)[A-Z][a-z]+\b|\b[A-Z]{3,6}s?\b", text):
            w = m.group(0)
            # one capitalised word that is not an everyday one ("the Fuller stocktake"), or an acronym ("the RCN")
            if opens_sentence(text, m.start()) and terms.zipf(w.lower()) >= COMMON:
                continue
            if w not in taken and w.lower() not in TITLES and w.lower() not in CALENDAR and (
                    w.isupper() or terms.zipf(w.lower()) < EVERYDAY - 0.5):
                out.append(w)
        return tuple(out)

    def parts(self, name: str) -> list[str]:
        """A run of capitalised words no source holds as one name, split at the names they do hold
        ("Yonkers Kingston anchorages" names two places side by side); else the run as it is."""
        words = name.split()
        if len(words) < 2 or self.mentions(name):
            return [name]
        out, i = [], 0
        while i < len(words):
            for j in range(len(words), i, -1):  # the longest known name from here
                part = " ".join(words[i:j])
                if self.mentions(part) and words[i].lower() not in ("of", "for", "the", "on", "in"):
                    out.append(part)
                    i = j
                    break
            else:
                return [name]  # a part no source holds: the run stays one unknown name
        return out

    def unknown_names(self, q: Question) -> float:
        """Share of the names the question uses that no source contains."""
        found = self.names(q)
        if not found:
            return 0.0
        return sum(1 for n in found if not self.mentions(n)) / len(found)

    def _mentions(self, name: str) -> bool:
        """Whether a title, an actor's name or any sentence (with its heading) holds `name` as a phrase.
        Only the sentences holding all its words are read, found through the BM25 postings."""
        ms = self.index.actors.find(name, question=True)
        if ms and ms[0].start <= 4 and ms[-1].end >= len(name.rstrip("'’s")):
            return True  # the whole name is an actor's (not "Department of Health" inside a longer name)
        words = terms.words(name)
        if len(words) == 1 and name.isupper() and terms.singular(name) in self.index.acronyms:
            return True  # "LIRR": the initials of a name the texts spell out ("Long Island Rail Road")
        phrase = f" {' '.join(words)} "
        if any(phrase in t for t in self._titles):
            return True
        if any(phrase in n for n in self._names):
            return True  # part of someone's name ("Bush" of two presidents)
        stems = tuple(terms.stem(w) for w in words if w not in terms.STOPWORDS)
        # One capitalised word must stand capitalised in the text: "the Fuller stocktake" is not "a fuller picture".
        exact = re.compile(rf"\b{re.escape(name)}\b") if len(words) == 1 and name[:1].isupper() else None
        for row in self.rows_holding(stems).tolist():
            s = self.index.sentences[row]
            text = bm25_text(s.section, s.context, self.index.text(s))
            if exact is not None:
                if exact.search(text):
                    return True
            elif phrase in f" {' '.join(terms.words(text))} ":
                return True
        return False

    def features(self, q: Question, ranked: Ranked, quotes: list[Quote], retriever) -> tuple[float, ...]:
        topic = [t for t in q.topic if t]
        weights = self.salience(q)
        total = sum(weights.values()) or 1.0
        cover = 0.0
        type_ok = 0.0 if q.answer_type else 1.0
        sentences = self.index.sentences
        # The kind of answer must come with the topic: a figure in a sentence that names what is counted
        # or costed (its most salient term), not any figure near the topic.
        # ("how many new jobs": the counted words; else the two most salient words that are not figures)
        key_terms = set(q.counted) or set(sorted((t for t in weights if not t[:1].isdigit()), key=lambda t: -weights[t])[:2])
        considered = quotes[:DEPTH]
        if q.actors and not q.comparison:
            # "What did X say about T?" is answered by X's words, or by words reporting X: others' quotes on T
            # do not cover it.
            own = retriever.theirs(np.asarray([qt.row for qt in quotes], np.int64), retriever.codes(q.actors))
            considered = [qt for qt, mine in zip(quotes, own.tolist())
                          if mine or any(self.index.actors.reported_in(qt.text, a) for a in q.actors)][:DEPTH]
        for qt in considered:
            held = self.block_terms(qt.source_id, qt.passage_start, qt.passage_end, qt.section)
            # a word of the same root covers it ("judicial" for "judiciary")
            cover = max(cover, sum(w for t, w in weights.items() if t in held or retriever.kin.of(t) & held) / total
                        if topic else 1.0)
            if q.answer_type and not type_ok:
                for r in self.index.paragraph_rows[self.index.paragraph_of[qt.row]]:
                    s = sentences[r]
                    if not (qt.start <= s.start < qt.end):
                        continue
                    text = self.index.text(s)
                    on_topic = not key_terms or q.answer_type == "who" or bool(key_terms & set(terms.tokens(f"{s.context} {text}")))
                    if on_topic and answers_type(q, text, set(s.kinds), s.actor):
                        type_ok = 1.0
                        break
        joined = self.joined(q)
        absent = [w for t, w in weights.items() if self.unknown(q, t, joined)]
        rare = sum(absent) / total if topic else 0.0
        names = self.unknown_names(q)
        best = float(ranked.score[0]) if len(ranked) else 0.0
        dense = float(ranked.dense[:DEPTH].max()) if len(ranked) else 0.0
        actor = 0.0
        if q.actors and not q.comparison:
            # How close to the topic the asked actor's own best statement comes, against the best of all
            # (0 when it is the best; very negative when the actor says nothing on it).
            # Their own documents count as theirs: a briefing describing a review's proposal is still the
            # briefing's author speaking on it.
            topical = ranked.features @ retriever.topic_weights
            own = topical[retriever.theirs(ranked.rows, retriever.codes(q.actors))]
            actor = float(own.max() - topical.max()) if len(own) else -1.0
            if cover == 0 and sum(weights.values()) > 0:
                actor = -1.0  # their closest statements hold not one of the topic's words: they say nothing on it
        if self.silent_holder(q):
            actor = -1.0  # "What did <a body no source records a view of> say ...?": nobody the sources know said it
        if q.actors and not q.comparison and actor > -1.0 and (named := self.named_things(q)) \
                and not any(retriever.theirs(self.rows_holding(stems), retriever.codes(q.actors)).any() for stems in named) \
                and len(self.index.actors.named_in(q.asked, question=True)) < 2:
            # "Does the BMA support reviewing <Healthwatch>'s funding?": they never name it anywhere. (Not one side
            # of a comparison: "X and Y on no-deal Brexit planning", where X may speak of it in other words and
            # only Y by name, is still answered by X's closest words.)
            actor = -1.0
        return best, dense, cover, rare, names, type_ok, actor, self.phrase(q, considered)

    def phrase(self, q: Question, quotes: list[Quote]) -> float:
        """How much of the question's topic the best quotes hold as it is phrased: the share of its pairs of
        adjacent topic words ("gun laws", "student loan") found together (at most a word apart) in a quote's
        paragraph. "tightening their belts" holds "tightening", not "tightening gun laws". 1 when the topic
        has no such pair."""
        topic = set(q.topic)
        ws = [terms.stem(w) for w in terms.words(q.asked)]
        pairs = {(a, b) for a, b in zip(ws, ws[1:]) if a in topic and b in topic and a != b}
        if not pairs:
            return 1.0
        best = 0.0
        firsts = {a for a, _ in pairs}
        for qt in quotes:
            toks = self.block_sequence(qt.source_id, qt.passage_start, qt.passage_end)
            # only the pairs that open with a topic word can match: the paragraph's other words are skipped
            near = {(a, b) for i, a in enumerate(toks) if a in firsts for b in toks[i + 1:i + 3]}
            best = max(best, len(pairs & near) / len(pairs))
        return best

    def block_sequence(self, source_id: str, start: int, end: int) -> tuple[str, ...]:
        key = (source_id, start)
        got = self._block_sequences.get(key)
        if got is None:
            got = self._block_sequences[key] = tuple(terms.stem(w) for w in terms.words(self.index.documents[source_id].text[start:end]))
        return got

    def named_things(self, q: Question) -> set[tuple[str, ...]]:
        """What the question names as a thing, written as a name ("Healthwatch", "HARPs", "the FDP", "Care.data"),
        that the corpus holds, as the stems of its words: an actor who never writes it has said nothing about it."""
        out = set()
        # a run of capitalised words is one name, however common each word is ("East Side Access")
        for m in NAME.finditer(q.asked):
            ws = m.group(0).split()
            if opens_sentence(q.asked, m.start()):
                ws = ws[1:]  # "Did East Side Access ...": the first word is capitalised by position
            stems = tuple(terms.stem(re.sub(r"['’]s?$", "", w).lower()) for w in ws
                          if w.lower() not in terms.STOPWORDS and w[:1].isupper())
            if len(stems) >= 2 and all(st in q.topic and st not in self._name_stems and known(st, self.index.df)
                                       for st in stems):
                out.add(stems)
        for m in re.finditer(r"[A-Za-z][\w'’-]*(?:\.[A-Za-z][\w-]*)*", q.asked):
            w = re.sub(r"['’]s?$", "", m.group(0))
            if not (w[1:] != w[1:].lower() or w[:1].isupper() and not opens_sentence(q.asked, m.start())):
                continue
            if not w.isupper() and terms.zipf(w.lower()) >= EVERYDAY_NAME:
                continue  # "the Minister", "the Treasury": a common word capitalised, which a paraphrase may stand for
            stems = tuple(terms.stem(p) for p in terms.words(w))
            if stems and all(st in q.topic and st not in self._name_stems and st not in calendar_stems()
                             and known(st, self.index.df) for st in stems):
                out.add(stems)
        return out

    def rows_holding(self, stems: tuple[str, ...]) -> np.ndarray:
        """The sentence rows (with their heading and context, as BM25 reads them) that hold all these stems,
        from the BM25 postings: nothing is read again."""
        if not stems or any(st not in self.index.df for st in stems):  # df: the terms the store's postings hold
            return np.zeros(0, np.int64)
        return self.index.sentence_table.holding(stems)

    def silent_holder(self, q: Question) -> str | None:
        """A name that is no actor's and is who the question asks the view of: "How did <the Royal College of
        Nursing> respond?". A name the sources hold but attribute no view to counts only when the question
        asks for a view and of no actor they know: it may still be reported doing something ("When did NHS
        England write to employers?") or be a topic ("What did Roe make of the Dale minority's proposal?")."""
        found = [n for n in self.names(q) if not self.mentions(n) or (not q.actors and not q.answer_type)]
        if not found:
            return None
        spans = holders(q.asked)
        for name in found:
            at = q.asked.find(name)
            if at >= 0 and any(at < b and a < at + len(name) for a, b in spans):  # (the parse may split the name)
                return name
        return None

    def decide(self, q: Question, ranked: Ranked, quotes: list[Quote], retriever) -> Decision:
        if not self.index.sentences:
            return Decision(False, f"{NO_ANSWER} There are no documents yet: add or upload one.",
                            (0.0,) * len(DECISION_FEATURES), 0.0)
        if not len(ranked) or not quotes:
            return Decision(False, NO_ANSWER, (0.0,) * len(DECISION_FEATURES), 0.0)
        x = speaks(self.features(q, ranked, quotes, retriever), self.silence)
        p = 1 / (1 + math.exp(-(float(np.dot(self.weights, x)) + self.bias)))
        silent = not x[DECISION_FEATURES.index("actor")]
        if p >= self.threshold and not silent:
            return Decision(True, None, x, p)
        # An actor asked about who says nothing on the topic is named as silent, whatever else is close.
        message, fixes = self.why(q, x)
        suggestion = respelt(q.asked, fixes)
        return Decision(False, message, x, p, suggestion if fixes and suggestion != q.asked else None)

    def respelling(self, q: Question) -> str | None:
        """The question with its misspelt names and words put right ("Hewit Review" -> "Hewitt Review"),
        whether or not it would be answered as typed; None when nothing in it looks misspelt."""
        fixes = self.guesses(self.missing_names(q), self._cast)
        # A word neither the corpus nor English knows is a typo even where a paraphrase would do ("jobs are
        # vacnat", "did that acutally happen"): the parse lets predicates go unmatched, not misspellings.
        unheard = [w for w in q.topic_words if w.isalpha() and w.islower() and terms.zipf(w) == 0
                   and not known(terms.stem(w), self.index.df)]
        words = dict.fromkeys([*self.missing_words(q), *unheard])
        fixes.update(self.word_guesses(q, [w for w in words if w not in fixes]))
        return respelt(q.asked, fixes) if fixes else None

    def missing_names(self, q: Question) -> list[str]:
        """The names the question uses that no source holds."""
        return [n for n in self.names(q) if not self.mentions(n)]

    def missing_words(self, q: Question) -> list[str]:
        """The topic words, specific in English, that no source holds (nor a word they derive from)."""
        joined = self.joined(q)
        return [w for w in q.topic_words
                if all(self.unknown(q, terms.stem(k), joined) and specificity(k) > 0.5 for k in terms.words(w))]

    def near(self, missing: str, known: dict[str, str], expansions: frozenset[str] = frozenset()) -> str | None:
        """What a missing name or word is most likely a misspelling of ("Hewit Review", "prevntion"): the
        closest of `known` (lower case -> as written) that starts with the same letter and is about as long,
        or the word of `expansions` it is a short form of ("govt")."""
        m = missing.lower()
        alike = [k for k in known if k[:1] == m[:1] and abs(len(k) - len(m)) <= 2]
        swapped = [k for k in alike if transposes(m, k)]  # "helath", "vacnat": two letters typed the wrong way round
        if swapped:
            return known[swapped[0]]
        got = difflib.get_close_matches(m, alike, n=1, cutoff=NEAR_NAME)
        if got:
            return known[got[0]]
        full = sorted((k for k in expansions if abbreviates(m, k)), key=lambda k: (len(k), k))
        return known.get(full[0], full[0]) if full else None

    def word_guesses(self, q: Question, missing: list[str]) -> dict[str, str]:
        """The corpus words the question's missing words are most likely misspellings of; a word written as a
        name ("LinkedIn") is no misspelling of a common word."""
        # a short form stands for a common word ("govt"), never for a name ("jabs" is no "Jacobs")
        return self.guesses([w for w in missing if not named(w, q.asked)], self.corpus_words, self.lowercase)

    def guesses(self, missing: list[str], known: dict[str, str],
                expansions: frozenset[str] = frozenset()) -> dict[str, str]:
        """Each missing name or word with what it is most likely a misspelling of, where there is one."""
        return {m: n for m in missing if (n := self.near(m, known, expansions))}

    @cached_property
    def corpus_words(self) -> dict[str, str]:
        """The corpus's words (four letters or more), as the build listed them (terms.vocabulary), read once
        when a refusal first needs them."""
        return self.index.vocabulary()["words"]

    @cached_property
    def lowercase(self) -> frozenset[str]:
        """The corpus's words it writes in lower case somewhere: common words, not only names."""
        return frozenset(self.index.vocabulary()["lowercase"])

    def why(self, q: Question, x: tuple[float, ...]) -> tuple[str, dict[str, str]]:
        """Why the question is refused, and the names or words it may have misspelt ({missing: known})."""
        _, _, cover, rare, names, type_ok, actor, _ = x
        # What no source mentions is said first: nobody, not only the actor asked about, speaks of it.
        missing = self.missing_names(q) if names > 0 else []
        fixes = self.guesses(missing, self._cast)
        if not missing and rare > 0:
            missing = self.missing_words(q)
            fixes = self.word_guesses(q, missing)
        if missing:
            guess = f" Did you mean {' or '.join(dict.fromkeys(fixes.values()))}?" if fixes else ""
            return f"{NO_ANSWER} They never mention {', '.join(missing)}.{guess}", fixes
        if not actor or q.actors and not q.comparison and cover == 0:
            who = " and ".join(q.actors) or self.silent_holder(q)
            return f"{NO_ANSWER} They record no statement by {who} on this.", {}
        if not type_ok:
            what = {"money": "amount", "number": "figure", "date": "date", "who": "name"}.get(q.answer_type or "", "answer")
            return f"{NO_ANSWER} The closest passages give no {what} for it.", {}
        return f"{NO_ANSWER} Nothing in them is close enough to this question.", {}
