"""Word-level text handling shared by indexing and retrieval: tokens, stems, acronyms."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|£|%")
PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s(?:['’])?$")
FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})

# Function words, plus the words every question is made of ("what", "say", "think"): they
# carry no topic, so they neither score passages nor count as terms a source must cover.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can cannot could couldn't did didn't do does doesn't doing don't down during each
    few for from further had hadn't has hasn't have haven't having he her here hers herself him himself his how
    i if in into is isn't it it's its itself just let's me more most much my myself no nor not now of off on once
    only or other ought our ours ourselves out over own per same shall she should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they this those through thus to too under
    until up upon us very via was wasn't we were weren't what what's when where which while who whom whose why will
    with within without won't would wouldn't yet you your yours yourself
    according say says said tell think thinks view views make made give gave given get got does do did want wanted
    anything something whether regarding respond responded response react reacted reaction stand stance position
    positions feel felt see sees saw can't""".split()
)
# What people type around a question in a chat ("ok, social care - ...", "do they actually think ..."): words
# of talk, not of any topic.
STOPWORDS = STOPWORDS | frozenset("""ok okay yeah yes yep hmm um uh erm hi hello hey thanks thank please actually
really basically literally anyway moment""".split())  # "at the moment"
# Contractions of a pronoun and a verb ("he'd", "they're"). Not those whose letters spell a word ("we'll",
# "I'll", "she'd", "he'll": "well", "ill", "shed", "hell"), which stay words.
STOPWORDS = STOPWORDS | frozenset("""he'd they'd they'll they're they've you'd you'll you're you've i've i'm it'll
who'd who'll would've could've should've we've""".split())
# Words are read without their apostrophes ("isn't" is "isnt"): the contractions are function words that way too.
STOPWORDS = STOPWORDS | frozenset(w.replace("'", "") for w in STOPWORDS if "'" in w)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: Snowball stemmers in C

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased word tokens, apostrophes folded ("BMA's" -> "bma's" -> "bma")."""
    out = []
    for w in WORD.findall(text.translate(FOLD)):
        if PLURAL_ACRONYM.match(w):
            w = w[:-1]  # ICSs -> ICS, GPs -> GP
        w = w.lower()
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w.replace("'", ""))
    return out


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


class Kin:
    """A corpus's stems of the same root as a question's: one extends the other by a derivational ending
    ("judiciari" / "judici", "clinician" / "clinic", "repres" / "represent": the stemmer brings back
    inflections, not derivations). Both of five letters or more, at most LETTERS apart."""

    LETTERS = 3

    def __init__(self, vocabulary: Iterable[str]):
        self.vocab = sorted(vocabulary)
        self.known = frozenset(self.vocab)
        self.of = lru_cache(maxsize=4096)(self._of)

    def _of(self, stem: str) -> frozenset[str]:
        if len(stem) < 5:
            return frozenset()
        out = {stem[:k] for k in range(max(5, len(stem) - self.LETTERS), len(stem)) if stem[:k] in self.known}
        i = bisect.bisect_right(self.vocab, stem)
        while i < len(self.vocab) and self.vocab[i].startswith(stem):
            if len(self.vocab[i]) - len(stem) <= self.LETTERS:
                out.add(self.vocab[i])
            i += 1
        return frozenset(out)


def tokens(text: str) -> list[str]:
    """Stemmed content tokens for BM25: stopwords out, numbers kept."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


ACRONYM_LONG_FIRST = re.compile(r"((?:[A-Za-z][\w'’-]*\s+){1,10})\((?:the\s+)?([A-Z][A-Za-z]{1,9})\)")
ACRONYM_SHORT_FIRST = re.compile(r"\b([A-Z][A-Za-z]{1,9})\s+\(([A-Z][\w'’-]*(?:\s+[\w'’&-]+){1,8})\)")
MINOR = {"and", "of", "for", "the", "in", "on", "&"}


def _initials(phrase: str) -> str:
    # An acronym inside the long form counts whole: "NHS England" -> NHSE.
    return "".join(w if w.isupper() and len(w) > 1 else w[0] for w in phrase.split() if w.lower() not in MINOR).upper()


def _matches(acronym: str, phrase: str) -> str | None:
    """The tail of `phrase` whose initials spell `acronym` (plural 's' allowed), or None."""
    acr = acronym[:-1] if acronym.endswith("s") and not acronym.isupper() else acronym
    acr = acr.upper()
    ws = phrase.split()
    for i in range(len(ws)):
        tail = " ".join(ws[i:])
        if ws[i].lower() in MINOR:
            continue
        # "Integrated Care Boards (ICBs)"; "Ministry of Lamps (MoL)" spells its small words too.
        if _initials(tail) == acr or "".join(w[0] for w in ws[i:]).upper() == acr:
            return tail
    return None


def find_acronyms(text: str, as_written: bool = False) -> dict[str, str]:
    """Acronyms a text defines, "Integrated Care Boards (ICBs)" or "FDP (Federated Data Platform)",
    as {acronym in lower case without plural s: long form in lower case}; with `as_written`, the
    acronym as the text writes it ("MoL") and the long form as written."""
    found: dict[str, str] = {}
    for m in ACRONYM_LONG_FIRST.finditer(text):
        long = _matches(m.group(2), m.group(1).strip())
        if long:
            key = m.group(2).rstrip("s") if as_written and m.group(2)[:-1].isupper() else m.group(2)
            found.setdefault(key if as_written else singular(m.group(2)), long if as_written else long.lower())
    for m in ACRONYM_SHORT_FIRST.finditer(text):
        long = _matches(m.group(1), m.group(2).strip())
        if long:
            found.setdefault(m.group(1) if as_written else singular(m.group(1)), long if as_written else long.lower())
    return found


# Forms of address that open only a person's name (not "General", "Secretary": "General Practitioners Committee",
# "Secretary of State" name bodies and offices too).
ADDRESS_WORDS = frozenset("rt hon sir dame lady lord baroness baron mr mrs ms miss mx dr prof professor professors "
                          "senator sen rep cllr councillor judge justice mayor governor congressman congresswoman "
                          "chair".split())
# Roles in a body: "the head of X" speaks as X; "I'm the research analyst for X" says who speaks.
ROLE_NOUNS = ("head chair chairman chairwoman chairperson president leader director spokesperson spokesman "
              "spokeswoman boss chief secretary representative member analyst officer executive fellow advocate "
              "associate researcher founder manager counsel organizer organiser").split()
FUNCTION_OPENERS = STOPWORDS | {"of", "and"}
# A run of capitalised words that names something ("Long Island Rail Road", "New York City"): its initials are
# what people type for it, whether or not the texts ever define them.
CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|and\s+)?[A-Z][a-z]+){1,4}\b")


def initialisms(text: str, defined: dict[str, str]) -> dict[str, str]:
    """{initials in lower case: phrase in lower case} for the capitalised runs of three words or more a text
    writes at least twice ("lirr": "long island rail road"), where the initials are no English word, no
    acronym the text defines, and stand for one phrase only. Function words are no initials ("Department of
    Health" is "dh")."""
    counts: dict[str, int] = {}
    for m in CAPITALISED_RUN.finditer(text):
        ws = m.group(0).split()
        while ws and ws[0].lower() in FUNCTION_OPENERS:
            ws = ws[1:]  # "The Long Island Rail Road" opening a sentence
        if len(ws) < 2 or set(w.lower().rstrip(".") for w in ws) & ADDRESS_WORDS:
            continue  # people ("Dame Sally Davies", "Mr Cameron and Mr Osborne") are no initials
        phrase = " ".join(ws)
        counts[phrase] = counts.get(phrase, 0) + 1
    found: dict[str, set[str]] = {}
    for phrase, n in counts.items():
        caps = [w for w in phrase.split() if w[:1].isupper()]
        if n < 2 or len(caps) < 3 or " and " in phrase and len(caps) < 4:
            continue  # ("Social Security and Medicare" is two names, not one)
        short = "".join(w[0] for w in caps).lower()
        found.setdefault(short, set()).add(" ".join(words(phrase)))
    return {short: next(iter(longs)) for short, longs in found.items()
            if len(longs) == 1 and short not in defined and zipf(short) < 2.5}


def singular(acronym: str) -> str:
    a = acronym.lower()
    return a[:-1] if len(a) > 2 and a.endswith("s") and acronym[-1] == "s" else a


def acronym_tokens(text: str, acronyms: dict[str, str]) -> list[str]:
    """Stemmed acronyms whose long form a text spells out, so that "High Accountability and
    Responsibility Partnerships" and "HARPs" are one term to BM25."""
    joined = " " + " ".join(words(text)) + " "
    return [stem(short) for short, long in acronyms.items() if f" {long} " in joined]


def index_tokens(text: str, acronyms: dict[str, str]) -> list[str]:
    return tokens(text) + acronym_tokens(text, acronyms)


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common a word is in English at large (wordfreq's Zipf scale: 7 for "the", 0 for a word rarer than
    one in a million). The small list is enough to tell everyday words from the rest, in 4 MB, not 50."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en", wordlist="small")


def vocabulary(texts) -> dict:
    """A corpus's words of four letters or more, for a refusal's "did you mean": each lower-cased word with
    the form the texts write it in ("buyout": "buy-out"), and the words written in lower case somewhere
    (common words, not only names)."""
    words: dict[str, str] = {}
    lower: set[str] = set()
    for text in texts:
        for w in re.findall(r"[A-Za-z][a-z]{3,}", text):
            words.setdefault(w.lower(), w.lower())
        for m in re.finditer(r"\b([A-Za-z][a-z]+)-([a-z]+)\b", text):
            words.setdefault((m.group(1) + m.group(2)).lower(), m.group(0).lower())
        lower.update(re.findall(r"\b[a-z]{4,}\b", text))
    return {"words": words, "lowercase": sorted(lower)}
