"""Who can hold a position in a corpus, and finding them in text.

The cast comes from the corpus, never from the package: every publisher or speaker in the catalog,
the organisations and people the texts show holding positions (named-entity recognition at index
time), the acronyms the texts define, and `sources/actors.json` for aliases and merges a user
wants. The index stores the cast it was built with (`actors.json` in the build).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import AssistantError
from . import terms

# Forms of address and post-nominals: part of how a person is named, not of who they are.
TITLES = frozenset("""rt hon right honourable sir dame lady lord baroness baron mr mrs ms miss mx dr prof professor
senator sen rep representative congressman congresswoman president vice governor mayor chancellor minister
secretary general gen cllr councillor judge justice the""".split())
POST_NOMINALS = frozenset("kc qc mp msp ms mep obe cbe mbe frs jr sr phd".split())
# Words that name a kind of body, not one body: alone they never pick an actor out.
GENERIC = frozenset("""association associations department office committee council government national group union
inquiry health public review report agency board trust service services institute society fund
families family people members organisation organisations body bodies party parties house
congress senate parliament ministry authority authorities commission guild federation alliance coalition
foundation forum league chamber confederation partnership""".split())
# The kinds of body among them: "the council" names the one council a corpus's cast has.
BODY_KINDS = frozenset("""council committee department office union agency board trust ministry authority
commission association institute society party guild federation alliance coalition foundation forum league
chamber confederation partnership""".split())
# A body's name: capitalised words ending in a kind of body, with an "of ..." tail ("The Thornbury Beekeepers'
# Association", "Federation of Small Lamp Makers").
BODY_NAME = re.compile(
    r"(?:(?:[A-Z][\w'’&.-]*|of|for|and|the|&)\s+){0,6}(?:" + "|".join(sorted(k.capitalize() for k in BODY_KINDS))
    + r")\b(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w'’-]*)*)?")
OPENING = 5  # sentences: a statement names its author among its first ones
BODY_STEMS = frozenset(terms.stem(w) for w in BODY_KINDS)
LINK_WORDS = frozenset({"of", "for", "and", "the", "on", "in", "&", "to"})
COMMON = 4.0  # a one-word name this common in English (wordfreq Zipf) must be capitalised to name someone
# The words of a follow-up that only turns to someone ("And wood?", "What about the minister?"): what follows
# them is who, however it is typed.
TURNING = frozenset({"and", "but", "so", "also", "what", "how", "about", "of", "the", "then"})
WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True)
class Actor:
    name: str
    aliases: tuple[str, ...] = ()
    # Aliases that only mean this actor as the subject of a statement ("the review recommends"),
    # not wherever they occur ("the review's timetable"). Only a user's actors.json gives these.
    weak_aliases: tuple[str, ...] = ()
    kind: str = "organisation"  # or "person"
    origin: str = "catalog"  # "catalog" | "text" | "user"


@dataclass(frozen=True)
class Mention:
    actor: str
    start: int
    end: int
    weak: bool = False
    partial: bool = False  # a shortened name ("the bereaved families"), found in questions only


@dataclass(frozen=True)
class Tok:
    norm: str  # lower case, possessive and plural-acronym s removed
    start: int
    end: int
    raw: str


def tokenize(text: str) -> list[Tok]:
    out = []
    for m in WORD.finditer(text.translate(terms.FOLD)):
        raw = m.group()
        w = raw
        if terms.PLURAL_ACRONYM.match(w):
            w = w[:-1]
        w = w.lower()
        for suffix in ("'s", "s'"):
            if w.endswith(suffix) and len(w) > 2:
                w = w[:-2] if suffix == "'s" else w[:-1]
        out.append(Tok(w.replace("'", ""), m.start(), m.end(), raw))
    return out


def name_end(tok: Tok) -> int:
    """Where a name ends in the text: before a possessive ("Review" of "Review's")."""
    for suffix in ("'s", "’s", "'", "’"):
        if tok.raw.endswith(suffix) and len(tok.raw) > len(suffix):
            return tok.end - len(suffix)
    return tok.end


HYPHENS = "-‐‑"


def compounded(text: str, start: int, end: int) -> bool:
    """The name is part of a hyphenated word ("cross-government action", "a Government-led mission"):
    a modifier that says what kind of thing it is, not who holds a view."""
    before = start > 1 and text[start - 1] in HYPHENS and text[start - 2].isalpha()
    after = end + 1 < len(text) and text[end] in HYPHENS and text[end + 1].isalpha()
    return before or after


def inside_name(text: str, toks: list[Tok], i: int) -> bool:
    """The match continues a capitalised name begun before it ("Local Government Association", "the
    Welsh Government"): another body, not the one the alias names. Forms of address ("President Reagan"),
    function words ("Did BMA ...") and a sentence's first word do not begin a name here."""
    if i == 0 or not toks[i].raw[:1].isupper():
        return False
    prev = toks[i - 1]
    if not prev.raw[:1].isupper() or text[prev.end:toks[i].start] != " " or prev.raw.endswith(("'s", "’s")):
        return False
    if prev.norm in terms.STOPWORDS or prev.norm in TITLES:
        return False
    return i - 1 > 0 and not re.search(r"[.!?:\n]\W*$", text[:prev.start])


def key(text: str) -> tuple[str, ...]:
    """A name as matched: its normalised words, without a leading "the" ("the Review" is "Review")."""
    toks = tuple(t.norm for t in tokenize(text))
    return toks[1:] if len(toks) > 1 and toks[0] == "the" else toks


def core_name(name: str) -> tuple[str, ...]:
    """A person's name without forms of address: "Rt Hon Patricia Hewitt" -> (patricia, hewitt)."""
    toks = [t for t in key(re.sub(r"\([^)]*\)", " ", name))]
    while toks and toks[0] in TITLES:
        toks = toks[1:]
    while toks and toks[-1] in POST_NOMINALS:
        toks = toks[:-1]
    return tuple(toks)


def acronym_in(name: str) -> str | None:
    """"British Medical Association (BMA)" -> "BMA"."""
    m = re.search(r"\(([A-Z][A-Za-z&]{1,9})\)\s*$", name)
    return m.group(1) if m else None


class Actors:
    """The cast of a corpus and a matcher for their names. Read-only once built; cheap to query."""

    def __init__(self, actors: Iterable[Actor]):
        self.actors = list(actors)
        self.by_name = {a.name: a for a in self.actors}
        # Full forms: first token -> [(tokens, actor, weak, exact case)], longest first.
        self._full: dict[str, list[tuple[tuple[str, ...], str, bool, bool, str]]] = {}
        for a in self.actors:
            for alias, weak in [(a.name, False), *((x, False) for x in a.aliases), *((x, True) for x in a.weak_aliases)]:
                toks = key(alias)
                if not toks:
                    continue
                # A one-word name in a document must look like a name ("Hewitt", "BMA"), not a word ("fund").
                exact = len(toks) == 1 and not weak and alias.strip()[:1].isupper()
                self._full.setdefault(toks[0], []).append((toks, a.name, weak, exact, alias.strip()))
        for lst in self._full.values():
            lst.sort(key=lambda e: -len(e[0]))
        self._partial = self._partials()
        # Short forms that name a body only when written as a name (see member_forms)
        self._as_names = {form for a in self.actors for name in (a.name, *a.aliases)
                          for form in member_forms(name, a.kind)} & set(self._partial)
        self._shared = self._surnames()
        self._max_partial = max((len(k) for k in self._partial), default=0)
        # A question is read several times (who is asked, which words name them, what the model reads):
        # the mentions of a text are found once.
        self.find = lru_cache(maxsize=4096)(self._find)
        self.namesakes = lru_cache(maxsize=4096)(self._namesakes)

    # -- building --------------------------------------------------------------------------------

    def _partials(self) -> dict[tuple[str, ...], str]:
        """Shortened names a person would type: a surname, "the Treasury", "the bereaved families",
        "directors of public health". A short form must hold the name's head word (the noun its
        other words qualify) and be shared with no other actor."""
        found: dict[tuple[str, ...], set[str]] = {}
        for a in self.actors:
            if a.origin == "text" and a.kind != "person":
                continue  # a body only the texts name (sometimes a report or an event) is matched in full only
            names = [a.name, *a.aliases]
            for name in names:
                for form in short_forms(name, a.kind) | member_forms(name, a.kind):
                    found.setdefault(form, set()).add(a.name)
        full = {entry[0] for lst in self._full.values() for entry in lst}
        return {form: next(iter(owners)) for form, owners in found.items() if len(owners) == 1 and form not in full}

    def _surnames(self) -> dict[str, tuple[str, ...]]:
        """Surname stem -> the people who share it ("Bush" of two presidents): no short form of its own,
        but a question that uses it asks about one of them."""
        owners: dict[str, list[str]] = {}
        for a in self.actors:
            if a.kind == "person":
                for form in short_forms(a.name, a.kind):
                    owners.setdefault(form[0], []).append(a.name)
        return {k: tuple(dict.fromkeys(v)) for k, v in owners.items() if len(set(v)) >= 2}

    # -- finding ---------------------------------------------------------------------------------

    def _namesakes(self, text: str) -> tuple[tuple[int, int, tuple[str, ...]], ...]:
        """Surnames in a question that several people of the cast share, with the people: (start, end,
        names). The span takes in a modifier after "the" ("the younger Bush"), which is part of the name."""
        if not self._shared:
            return ()
        toks = tokenize(text)
        found = self.find(text, question=True)
        out = []
        for i, t in enumerate(toks):
            names = self._shared.get(terms.stem(t.norm))
            if not names or not t.raw[:1].isupper() or any(m.start <= t.start < m.end for m in found):
                continue
            if i == 0 and terms.zipf(t.norm) >= COMMON:
                continue  # "Little is known ...": a question's first word is capitalised anyway
            given = {w for n in names for w in core_name(n)}
            first = i
            while first > 0 and toks[first - 1].raw[:1].isupper() and toks[first - 1].norm in given:
                first -= 1  # "George Bush": a given name they share
            if first >= 2 and toks[first - 2].norm == "the" and toks[first - 1].raw.islower():
                first -= 2  # "the younger Bush", "the elder Bush"
            elif first >= 1 and toks[first - 1].norm == "the":
                first -= 1
            out.append((toks[first].start, name_end(t), names))
        return tuple(out)


    def _find(self, text: str, question: bool = False) -> tuple[Mention, ...]:
        """Actors named in a text, in order. In a question, case is ignored and shortened names count."""
        toks = tokenize(text)
        stems = [terms.stem(t.norm) for t in toks] if question and self._partial else []
        out: list[Mention] = []
        i = 0
        while i < len(toks):
            m = self._match_full(toks, i, question) or (self._match_partial(toks, stems, i) if question else None)
            if m is None:
                i += 1
                continue
            n, mention = m
            if not compounded(text, toks[i].start, toks[i + n - 1].end) and not inside_name(text, toks, i):
                out.append(mention)
            i += n
        return tuple(out)

    def _match_full(self, toks: list[Tok], i: int, question: bool) -> tuple[int, Mention] | None:
        for alias, name, weak, exact, written in self._full.get(toks[i].norm, ()):
            n = len(alias)
            if tuple(t.norm for t in toks[i:i + n]) != alias:
                continue
            if exact and not toks[i].raw[:1].isupper() and (not question or terms.zipf(alias[0]) >= COMMON):
                continue  # "Little" names someone; "too little" does not
            if n == 1 and len(alias[0]) <= 3 and not question and toks[i].raw.rstrip("s") != written.rstrip("s"):
                continue  # a short acronym is written as defined in a document ("WA", not "wa"; "MoL")
            return n, Mention(name, toks[i].start, name_end(toks[i + n - 1]), weak)
        return None

    def _match_partial(self, toks: list[Tok], stems: list[str], i: int) -> tuple[int, Mention] | None:
        for n in range(min(self._max_partial, len(toks) - i), 0, -1):
            form = tuple(stems[i:i + n])
            name = self._partial.get(form)
            if name is None:
                continue
            if form in self._as_names and not (toks[i].raw[:1].isupper() and (i > 0 or terms.zipf(toks[i].norm) < COMMON)):
                continue  # "the Thornbury beekeepers" names the association; "local government" is a topic
            body = form[0] in BODY_STEMS and i > 0 and toks[i - 1].norm == "the"  # "the council"
            alone = i + n == len(toks) and all(t.norm in TURNING for t in toks[:i])  # "And wood?": all the turn says
            if n == 1 and not toks[i].raw[:1].isupper() and terms.zipf(toks[i].norm) >= COMMON and not body and not alone:
                continue  # a lone surname or "Treasury" is capitalised when it names someone
            if n == 1 and not toks[i].raw[:1].isupper() and toks[i].norm.endswith(("ed", "ing")):
                continue  # "commissioned" shares a stem with "Commission" but is a verb, not a name
            return n, Mention(name, toks[i].start, name_end(toks[i + n - 1]), False, True)
        return None

    def reported_in(self, text: str, name: str) -> bool:
        """Whether a text names an actor, as a question may: in full, shortened, or for a person by surname
        or by title and given name ("Both Sir Mark and Sir Patrick spoke of ...")."""
        if any(m.actor == name for m in self.find(text, question=True)):
            return True
        a = self.by_name.get(name)
        core = core_name(name) if a and a.kind == "person" else ()
        if len(core) < 2:
            return False
        words = [t.norm for t in tokenize(text)]
        titled = any(words[i] in TITLES and words[i + 1] == core[0] for i in range(len(words) - 1))
        return titled or core[-1] in words

    def named_in(self, text: str, include_weak: bool = False, question: bool = False) -> list[str]:
        """Actors a text names, in order of first mention, without repeats."""
        seen: list[str] = []
        for m in self.find(text, question):
            if (include_weak or not m.weak) and m.actor not in seen:
                seen.append(m.actor)
        return seen

    def canonical(self, name: str) -> str | None:
        """The actor a name refers to (a user's filter, a publisher, a subject phrase)."""
        k = key(name)
        for a in self.actors:
            if k in (key(a.name), *(key(x) for x in a.aliases)):
                return a.name
        named = self.named_in(name, question=True)
        return named[0] if len(named) == 1 else None

    def voice_of(self, publisher: str, speaker: str) -> str | None:
        """Whose a document is: its publisher's or speaker's actor (the name as given if the cast lacks it)."""
        name = publisher or speaker
        return (self.canonical(name) or name) if name else None

    def speaker_of(self, speaker: str) -> str | None:
        return (self.canonical(speaker) or speaker) if speaker else None

    def kind_of(self, name: str | None) -> str | None:
        """The kind of the cast's actor of this name ("person", "organisation", ...), None if the cast lacks it."""
        a = self.by_name.get(name) if name else None
        return a.kind if a else None

    def has_voice(self, name: str) -> bool:
        """Whether someone speaks as this actor: a person, or a body with a person's name among its aliases (its
        witness, chair or author: "Ms. Nicole Gelinas" of a think tank, "Patricia Hewitt" of her review), whom
        "she" or "he" may mean."""
        a = self.by_name.get(name)
        if a is None:
            return False
        if a.kind == "person":
            return True
        return any(len(words := alias.split()) >= 2 and key(words[0]) and key(words[0])[0] in terms.ADDRESS_WORDS
                   or self._people_like(words) for alias in a.aliases)

    @staticmethod
    def _people_like(words: list[str]) -> bool:
        """"Patricia Hewitt", "Jeremy Hunt": two or three capitalised words, none a kind of body or a common word."""
        return 2 <= len(words) <= 3 and all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words) \
            and not any(key(w) and key(w)[0] in GENERIC for w in words) and terms.zipf(words[0].lower()) < COMMON + 1

    def person_named(self, name: str) -> str | None:
        """The one person of the cast a single name fits ("Sir Patrick" -> "Sir Patrick Vallance")."""
        core = core_name(name)
        if len(core) != 1:
            return None
        found = [a.name for a in self.actors if a.kind == "person" and core[0] in core_name(a.name)]
        return found[0] if len(found) == 1 else None

    def fingerprint(self) -> str:
        data = json.dumps([asdict(a) for a in self.actors], sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    def to_json(self) -> list[dict]:
        return [asdict(a) for a in self.actors]

    @classmethod
    def from_json(cls, rows: list[dict]) -> Actors:
        return cls(Actor(r["name"], tuple(r.get("aliases", ())), tuple(r.get("weak_aliases", ())),
                         r.get("kind", "organisation"), r.get("origin", "catalog")) for r in rows)


def body_name(text: str) -> str | None:
    """The phrase as a body's name, when it is one ("The Lamplighters' Guild" -> "Lamplighters' Guild");
    not a person's ("Dr Jane Pollen, chair of the Association") nor a bare kind ("The Association")."""
    text = re.sub(r"\s*\([^)]*\)", "", text).strip()
    text = re.sub(r"^[Tt]he\s+", "", text)
    m = BODY_NAME.fullmatch(text)
    return text if m and len(text.split()) >= 2 and text[:1].isupper() else None


def own_name(title: str, opening) -> str | None:
    """The body a document without a publisher names as itself: the holder of an attitude or a report among
    its opening sentences (their parse facts) when that is a body's name ("The Thornbury Beekeepers'
    Association welcomes ..."), else a body's name its title gives ("Lamplighters' Guild response")."""
    for f in list(opening)[:OPENING]:
        if f.holder_kind == "name" and f.agentive and f.holder and (name := body_name(f.holder)):
            return name
    for m in BODY_NAME.finditer(title):
        if name := body_name(m.group(0)):
            return name
    return None


def member_forms(name: str, kind: str) -> set[tuple[str, ...]]:
    """A body named by who it gathers, without its kind of body: "the Thornbury beekeepers" for the Thornbury
    Beekeepers Association, "the Transport Workers" for the Transport Workers Union. Two words at least, and
    matched only where the question writes them as a name (Actors._match_partial): "local government" is a
    topic, "the Local Government" a body."""
    if kind == "person":
        return set()
    toks = key(re.sub(r"\([^)]*\)", " ", name))
    kinds = [i for i, t in enumerate(toks) if t in BODY_KINDS]
    if not kinds or kinds[0] < 2 or any(t in LINK_WORDS for t in toks[:kinds[0]]):
        return set()
    return {tuple(terms.stem(t) for t in toks[:kinds[0]])}


def short_forms(name: str, kind: str) -> set[tuple[str, ...]]:
    """Stemmed short forms of a name that can stand for it (see Actors._partials)."""
    if kind == "person":
        core = core_name(name)
        return {(terms.stem(core[-1]),)} if len(core) >= 2 else set()
    # A branch's number is no part of what people call the body ("Transport Workers Union Local 100": its
    # head is "Union"; its short forms "the workers union", "TWU").
    branch = re.search(r"\s+(?:Local|Lodge|Branch|Chapter|Division|No\.?)\s+\d+\w*$", name)
    name = name[:branch.start()] if branch else name
    toks = key(re.sub(r"\([^)]*\)", " ", name))
    out: set[tuple[str, ...]] = set()
    # Head words: a word followed by a linking word or the end ("Association" of ..., "Families" for ...).
    heads = [i for i, t in enumerate(toks) if t not in LINK_WORDS and (i + 1 == len(toks) or toks[i + 1] in LINK_WORDS)]
    if not heads:
        return out
    head = heads[0]
    for s in range(0, head + 1):
        for e in range(head + 1, len(toks) + 1):
            form = toks[s:e]
            if form[0] in LINK_WORDS or form[-1] in LINK_WORDS or len(form) == len(toks) and not branch:
                continue
            if len(form) == 1 and form[0] not in BODY_KINDS and (
                    form[0] in GENERIC or any(len(t) > 2 for t in toks if t != form[0])):
                continue  # "Treasury" for "HM Treasury"; not "England" for "NHS England", nor "health"
            # A kind of body alone ("the council", "the union") names the one body of that kind in the cast
            # (forms two bodies share are dropped in Actors._partials).
            out.add(tuple(terms.stem(t) for t in form))
    # A body's initials, and each part's of a joint name ("LGA", "WLGA"): people ask by acronym even where
    # the texts never use one.
    for part in [name, *re.split(r"\s+(?:and|&)\s+", name),
                 # and the name up to its kind of body: "Permanent Citizens Advisory Committee to the MTA": "PCAC"
                 *(m.group(0) for m in [re.match(r".*?\b(?:" + "|".join(BODY_KINDS) + r")\b", name, re.I)] if m)]:
        words = re.sub(r"\([^)]*\)", " ", part).split()
        caps = [w for w in words if w[:1].isupper() and w.lower() not in LINK_WORDS]
        if len(caps) >= 3:  # three letters at least: "CO" or "UK" would name too much
            out.add((terms.stem("".join(w[0] for w in caps).lower()),))
            # and with its small words' letters, as many go by: "CBFFJ" (Covid Bereaved Families for Justice),
            # "DfE", "TfL", "DoH"
            spelt = [w for w in words if w[:1].isupper() or w.lower() in LINK_WORDS - {"the", "and", "&"}]
            if len(spelt) > len(caps):
                out.add((terms.stem("".join(w[0] for w in spelt).lower()),))
    # "WA Communications" -> "WA": an acronym that opens a body's name is what it goes by (shared ones, as "NHS"
    # of "NHS England" and "NHS Providers", are dropped in Actors._partials).
    first = re.sub(r"\([^)]*\)", " ", name).split()[:1]
    if first and len(toks) >= 2 and re.fullmatch(r"[A-Z]{2,6}", first[0]):
        out.add((terms.stem(first[0].lower()),))
    if branch:  # "TWU Local 100", "the transit union local 1179": a short form with the branch is one too
        tail = tuple(terms.stem(t) for t in key(branch.group(0)))
        out |= {form + tail for form in out}
    # "Association of Directors of Public Health" -> "directors of public health": the members it is named after.
    if head + 3 < len(toks) and toks[head + 1] == "of" and toks[head + 2].endswith("s"):
        out.add(tuple(terms.stem(t) for t in toks[head + 2:]))
    return out


# ---------------------------------------------------------------------------
# The cast of a corpus
# ---------------------------------------------------------------------------

@dataclass
class Cast:
    """What a corpus says about its actors, gathered while indexing (see build_cast)."""

    voices: dict[str, str] = field(default_factory=dict)  # catalog publisher or speaker -> kind
    holders: dict[str, tuple[str, int]] = field(default_factory=dict)  # entity -> (label, times it holds a view)
    people: set[str] = field(default_factory=set)  # full names (two words or more) of people the texts name
    acronyms: dict[str, str] = field(default_factory=dict)  # acronym -> long form, as the texts write them
    capitals: set[str] = field(default_factory=set)  # words the texts write in capitals ("TUC", "BMA")
    # The one who speaks a body's document (the transcript label of nearly all its turns: a witness, counsel)
    # -> that body: "What did Carl Miller say?" asks Demos's testimony
    spokespeople: dict[str, str] = field(default_factory=dict)


def read_user_actors(path: Path | None) -> list[Actor]:
    """`sources/actors.json`: [{"name", "aliases", "weak_aliases"}], for aliases and merges."""
    if path is None:
        return []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise AssistantError(f"{path}: cannot read actors file ({e})") from None
    if not isinstance(data, list):
        raise AssistantError(f"{path}: expected a JSON list of actors")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise AssistantError(f"{path}: entry {i} needs a 'name'")
        aliases = item.get("aliases", [])
        weak = item.get("weak_aliases", [])
        if not isinstance(aliases, list) or not isinstance(weak, list) or not all(isinstance(a, str) for a in [*aliases, *weak]):
            raise AssistantError(f"{path}: aliases of '{item['name']}' must be a list of strings")
        kind = item.get("kind", "organisation")
        out.append(Actor(item["name"].strip(), tuple(aliases), tuple(weak), kind if kind in ("person", "organisation") else "organisation", "user"))
    return out


def build_cast(cast: Cast, user: list[Actor], min_holds: int = 1) -> Actors:
    """One actor per distinct body or person: the user's entries first, then the catalog's voices,
    then entities the texts show holding a view; names that share an alias (an acronym the text
    defines, a person's surname) are merged into the first."""
    entries: list[Actor] = list(user)
    for name, kind in cast.voices.items():
        entries.append(Actor(name, spoken_by(name, cast.spokespeople), (), kind, "catalog"))
    # Longer names first, so "Matt Hancock" is there when "Hancock" comes; then by how often they hold a view.
    found = sorted(cast.holders.items(), key=lambda x: (-len(key(x[0])), -x[1][1], x[0]))
    for name, (label, holds) in found:
        toks = key(name)
        if not toks or all(t in TITLES for t in toks):
            continue  # "my Lady": a form of address, not someone
        if label == "PERSON" and len(core_name(name)) == 1:
            # "Sir Patrick advocated ...": the one person the texts name in full with that name.
            full = [p for p in cast.people if core_name(name)[0] in core_name(p)]
            if len(full) == 1:
                name = full[0]
        elif len(toks) == 1 and (holds < 2 or toks[0] in GENERIC):
            continue  # a lone word that held a view once is more often a misread than someone; a kind of body
            # alone ("the Association") names no one in particular
        if holds >= min_holds:
            entries.append(Actor(name, (), (), "person" if label == "PERSON" else "organisation", "text"))
    merged: list[Actor] = []
    index: dict[tuple[str, ...], int] = {}  # alias key -> position in merged
    surnames: dict[str, list[int]] = {}
    for a in entries:
        aliases = set(a.aliases) | derived_aliases(a, cast.acronyms, cast.capitals)
        keys = {key(x) for x in (a.name, *aliases)} - {()}
        if a.kind == "person":
            keys.add(core_name(a.name))
        hit = next((index[k] for k in keys if k in index), None)
        if hit is None and a.origin == "text":
            form = tuple(terms.stem(t) for t in key(a.name))
            owners = [i for i, m in enumerate(merged) if form in short_forms(m.name, m.kind)]
            hit = owners[0] if len(owners) == 1 else None  # "Treasury" is "HM Treasury"
        if hit is None and a.kind == "person" and len(core_name(a.name)) == 1:
            owners = surnames.get(core_name(a.name)[0], [])
            hit = owners[0] if len(owners) == 1 else None  # "Hancock" is the one Hancock named in full
        if hit is None:
            merged.append(Actor(a.name, tuple(sorted(aliases - {a.name})), a.weak_aliases, a.kind, a.origin))
            pos = len(merged) - 1
            core = core_name(a.name)
            if a.kind == "person" and len(core) >= 2:
                surnames.setdefault(core[-1], []).append(pos)
        else:
            old = merged[hit]
            extra = (aliases | {a.name}) - {old.name} - set(old.aliases)
            merged[hit] = Actor(old.name, tuple(sorted(set(old.aliases) | extra)),
                                tuple(dict.fromkeys(old.weak_aliases + a.weak_aliases)), old.kind, old.origin)
            pos = hit
        for k in keys:
            index.setdefault(k, pos)
    # A surname names the one person of the cast who has it ("Mr Hancock said ...").
    for owners in surnames.values():
        if len(owners) == 1:
            a = merged[owners[0]]
            surname = core_name(a.name)[-1].capitalize()
            merged[owners[0]] = Actor(a.name, tuple(sorted(set(a.aliases) | {surname})), a.weak_aliases, a.kind, a.origin)
    return Actors(merged)


def spoken_by(body: str, spokespeople: dict[str, str]) -> tuple[str, ...]:
    """The names a body's spokespeople go by: the label as written ("Carl Miller", "Dr Macnish") and
    without its form of address ("Macnish"), in the case people write names in ("LIAM McLAUGHLIN")."""
    out: list[str] = []
    for person, of in spokespeople.items():
        if of != body:
            continue
        name = person.title() if person.isupper() else person
        out.append(name)
        words = bare(name.split())
        if words and " ".join(words) != name and not set(key(" ".join(words))) & GENERIC:
            out.append(" ".join(words))
        if len(words) >= 2 and not set(key(words[-1])) & GENERIC:
            out.append(words[-1])  # "Gelinas" for "Ms. Nicole Gelinas", as "Macnish" for "Dr Macnish"
    return tuple(dict.fromkeys(out))


def bare(words: list[str]) -> list[str]:
    """A name's words as written, without its forms of address and post-nominals ("Sir Patrick Vallance KC"
    -> "Patrick Vallance")."""
    while words and key(words[0]) and key(words[0])[0] in TITLES:
        words = words[1:]
    while words and key(words[-1]) and key(words[-1])[0] in POST_NOMINALS:
        words = words[:-1]
    return words


def derived_aliases(a: Actor, acronyms: dict[str, str], capitals: set[str] = frozenset()) -> set[str]:
    out: set[str] = set()
    if a.kind != "person":
        # "Trades Union Congress" -> "TUC", when the texts use it.
        words = [w for w in re.sub(r"\([^)]*\)", " ", a.name).split() if w.lower() not in LINK_WORDS]
        initials = "".join(w[0] for w in words if w[:1].isupper()).upper()
        if len(words) >= 2 and len(initials) == len(words) and initials in capitals:
            out.add(initials)
    acr = acronym_in(a.name)
    if acr:
        out.add(acr)
        out.add(re.sub(r"\s*\([^)]*\)\s*$", "", a.name).strip())
    if a.kind == "person":
        words = bare(re.sub(r"\([^)]*\)", " ", a.name).split())
        if words and " ".join(words) != a.name:
            out.add(" ".join(words))  # "Sir Patrick Vallance" -> "Patrick Vallance"
    else:
        # A joint name: "Local Government Association and Welsh Local Government Association", when the texts
        # use each part's acronym.
        # A joint name of two bodies: "Local Government Association and Welsh Local Government Association"
        # (each part names a body: "Association", "Council", ...; not "Department of Health and Social Care").
        parts = re.split(r"\s+(?:and|&)\s+", a.name)
        if len(parts) > 1 and all(set(key(p)) & GENERIC and sum(w[:1].isupper() for w in p.split()) >= 2 for p in parts):
            out.update(parts)
    long = " ".join(key(re.sub(r"\([^)]*\)", " ", a.name)))
    for short, form in acronyms.items():
        if " ".join(key(form)) == long:
            out.add(short)
        elif short.lower() == long:
            out.add(form)  # an acronym the text spells out names the same body
    # "Ed Vaizey MP, Department for Culture, Media and Sport", "Dr Kevin Macnish, University of Leeds": a
    # person named with their post. People ask after the person: "Ed Vaizey", "Vaizey".
    head = bare(a.name.split(",")[0].split())
    if "," in a.name and 2 <= len(head) <= 4 and all(w[:1].isupper() for w in head) \
            and not set(key(" ".join(head))) & GENERIC:
        out.add(" ".join(head))
        if len(head[-1]) >= 4:
            out.add(head[-1])
    # "the X" and "X" are one name.
    for x in list(out) + [a.name]:
        if x.lower().startswith("the "):
            out.add(x[4:])
    return out
