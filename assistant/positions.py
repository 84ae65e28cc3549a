"""Whose position a sentence expresses (its actor)."""

from __future__ import annotations

import re
from functools import lru_cache

from .actors import Actors

FIRST_PERSON = re.compile(r"\b(we|our|ours|us|ourselves)\b", re.I)
# A heading that announces a view: "BMA view", "Our response", "NHS Providers view".
VIEW = re.compile(r"\b(view|views|response|reaction|comment|comments|position|verdict|statement)\b", re.I)
OUR = re.compile(r"\b(our|we)\b", re.I)
POSSESSIVE = re.compile(r"^['’]s?\b|^['’]\s")
# An actor after a preposition is an object ("the final report of the Hewitt Review"), not a subject.
PREPOSITION = re.compile(
    r"\b(of|to|by|from|with|on|for|into|about|in|at|under|towards|than|between|within|beyond|over|against|through|as)\s+(?:the\s+)?$",
    re.I,
)
# "The Review's recommendations include:" names the actor whose statement follows.
STATEMENT_NOUN = re.compile(
    r"^['’]s?\s+(?:\w+\s+)?(recommendations?|proposals?|response|view|views|position|report|call|calls|decision|plan|"
    r"statement|reply|verdict|analysis|conclusions?|findings|suggestions?|advice)\b", re.I)
ACCORDING = re.compile(r"\baccording to\s+(?:the\s+)?$", re.I)
REPORTING_VERB = (r"(?:states?|says?|said|argues?|recommends?|recommended|proposes?|"
                  r"proposed|calls?|called|notes?|noted|suggests?|suggested|commits?|committed|accepts?|accepted|rejects?|"
                  r"rejected|acknowledges?|acknowledged|supports?|supported|agrees?|agreed|points?|pointed|reiterates?|"
                  r"advises?|advised|recognises?|recognised|highlights?|stresses?|sets? out|goes on|"
                  r"push(?:es|ed)? back|responds?|responded|welcomes?|welcomed|restates?|restated|argues|argued|"
                  r"insists?|insisted|warns?|warned|concludes?|concluded|finds|found|proposes|notes)\b")
REPORTING = r"(?:also\s+|further\s+|then\s+|however\s+)?" + REPORTING_VERB
PRONOUN_REPORTS = re.compile(r"\b(?:she|he|they)\s+" + REPORTING, re.I)  # "..., to which she recommends"
# Who "she", "they" or "it states" is: the actor of the sentence before.
PRONOUN_START = re.compile(r"^[\"“‘']?(?:(?:instead|also|however|further|furthermore|again|then|similarly|likewise|"
                           r"meanwhile|finally|separately|in addition|in response),?\s+)?"
                           r"(?:(?:she|he|they|her|his|their)\b|(?:it|this|the department|the review|the committee)\s+"
                           r"(?:has\s+|have\s+|had\s+|will\s+|would\s+)?" + REPORTING + ")", re.I)
WEAK_SUBJECT = re.compile(r"^(?:['’]s\s+\w+\s+)?\s+(?:\w+ly\s+)?(?:has\s+|have\s+|had\s+|will\s+|would\s+)?" + REPORTING, re.I)
RECOMMEND = re.compile(r"\brecommend", re.I)
OPENING = re.compile(r"^\W*(?:(?:however|also|finally|further|furthermore|in addition|similarly|likewise|and|but|so|"
                     r"yet|the|both|meanwhile|overall|moreover|separately|specifically|in particular)\W+)*$", re.I)
LEADING = 60  # characters: a subject comes early in the sentence
# A sentence whose subject is the document under discussion ("the response reiterates", "the paper argues").
DOC_REFERENCE = re.compile(r"(?:^|,\s+)(?:the|its|this)\s+(?:response|report|paper|document|white paper|reply)\s+"
                           r"(?:\w+ly\s+)?(?:has\s+|have\s+)?" + REPORTING, re.I)


def heading_actor(section: tuple[str, ...], actors: Actors, publisher_actor: str | None) -> str | None:
    """The actor whose view a section is, from its headings ("BMA view", "Our view")."""
    for title in reversed(section):
        if not VIEW.search(title):
            continue
        named = actors.named_in(title)
        if named:
            return named[0]
        if publisher_actor:
            return publisher_actor  # "Our view", "Press statement": the publisher's own
    return None


def subject_actor(text: str, actors: Actors) -> str | None:
    """An actor named early in a sentence as its subject ("DHSC rejects...", "Hewitt also proposed..."),
    not as a possessive ("the government's failure") or the object of a preposition. A vague name
    ("the review") is a subject only when a reporting verb follows ("the review recommends"): "the
    review does not seek to change this" is the author's reading, not the review's position."""
    for m in actors.find(text):
        if m.start > LEADING:
            break
        before, after = text[:m.start], text[m.end:]
        if ACCORDING.search(before):
            return m.actor
        if PREPOSITION.search(before):
            continue
        if POSSESSIVE.match(after):
            # "The Review's recommendations include..." at the start of a sentence, not "rejected Hewitt's call".
            if STATEMENT_NOUN.match(after) and OPENING.match(before):
                return m.actor
            continue
        if m.weak and not WEAK_SUBJECT.match(after):
            continue
        return m.actor
    return None


def sentence_actor(
    text: str,
    context: str,
    section: tuple[str, ...],
    actors: Actors,
    publisher_actor: str | None,
    prev_actor: str | None = None,
    is_item: bool = False,
    doc_subject: str | None = None,
) -> str | None:
    """Who holds the position a sentence states.

    First-person sentences belong to the publisher. A sentence that names an actor as its subject
    reports that actor. A list item belongs to whoever its lead-in names; a sentence opening with
    "she", "they" or "it states" to the actor of the sentence before. Failing those, a section headed
    as someone's view ("BMA view") is theirs; anything else is the publisher's own voice.
    """
    if FIRST_PERSON.search(text) and publisher_actor:
        return publisher_actor
    subject = subject_actor(text, actors)
    if not subject and doc_subject and DOC_REFERENCE.search(text[:3 * LEADING]):
        subject = doc_subject  # "the response reiterates..." in a briefing on the government's response
    if is_item and context:
        if FIRST_PERSON.search(context) and publisher_actor:
            return publisher_actor
        lead = subject_actor(context, actors)
        if lead:
            return lead
        if RECOMMEND.search(context) and doc_subject:
            return doc_subject  # "The recommendations include:" in a briefing about a review
    if subject:
        return subject
    if prev_actor and (PRONOUN_START.match(text) or PRONOUN_REPORTS.search(text)):
        return prev_actor
    in_view = heading_actor(section, actors, publisher_actor)
    if in_view:
        return in_view
    # Otherwise it is the author's own voice ("This is a well-trodden message", "There is an irony that
    # on the day Hewitt's review was published..."), even when it names others.
    return publisher_actor


def document_subject(title: str, text: str, actors: Actors, publisher_actor: str | None) -> str | None:
    """The actor a document is about: the first its title names other than its publisher, or else
    the one its text names most often."""
    for name in actors.named_in(title, include_weak=True):
        if name != publisher_actor:
            return name
    counts: dict[str, int] = {}
    for m in actors.find(text):
        if m.actor != publisher_actor:
            counts[m.actor] = counts.get(m.actor, 0) + 1
    return max(counts, key=lambda a: counts[a]) if counts else None


# ---------------------------------------------------------------------------
# Stance: how the actor stands on what the quote is about
# ---------------------------------------------------------------------------

STANCES = ("supports", "welcomes", "concerned", "opposes", "accepts", "rejects", "mixed", "recommends", "describes")


def cue(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")", re.I)


REJECTS = cue(r"reject", r"refus", r"push(?:es|ed)? back", r"declin(?:e|es|ed) to", r"turn(?:s|ed)? down", r"dismiss",
              r"will not (?:implement|adopt|accept)", r"does not accept")
ACCEPTS = cue(r"accept(?:s|ed)?\b", r"adopt(?:s|ed)\b", r"in train", r"agreed to", r"will implement", r"has committed",
              r"commits? to", r"committed to", r"taken .{0,30}steps", r"was receptive")
OPPOSES = cue(r"oppos", r"object(?:s|ed)? to", r"undermin", r"must be central", r"should be negotiated", r"rather than merely",
              r"not merely")
CONCERNED = cue(r"concern", r"not in line with", r"out of step",
                r"too (?:short|small|little|late|slow|narrow|vague|weak|low|limited|few|costly|rushed|thin)\b", r"worr", r"unease", r"apprehensi", r"disappoint", r"scepti", r"skepti", r"risks?\b", r"risking",
                r"premature", r"lacking", r"failure", r"fail(?:s|ed)? to", r"not (?:yet )?clear", r"unclear",
                r"questions about", r"unanswered", r"doubt", r"regret", r"omission", r"difficult", r"strain",
                r"stressed", r"caution", r"carefully", r"damag", r"problem", r"lock the NHS", r"at the expense",
                r"not (?:be )?sufficient", r"insufficient", r"must not", r"shortfall", r"minimal")
WELCOMES = cue(r"should be (?:given (?:due )?credit|commended|praised|welcomed|applauded)", r"welcom", r"pleased", r"positive", r"encourag", r"promising", r"credit", r"listened to us",
               r"recognition of", r"glad", r"music to the ears", r"praise", r"helpful clarity", r"grateful")
SUPPORTS = cue(r"support(?:s|ed|ive)?\b", r"agree", r"\bback(?:s|ed|ing)?\b", r"endorse", r"in line with our",
               r"advocat", r"long[- ]argued", r"called for in our", r"aligns? with", r"sees? the merit",
               r"keen to (?:work|ensure)")
# Verbs only: "the recommendation" or "Hewitt's proposals" name a topic, not an act of recommending.
RECOMMENDS = cue(r"recommend(?:s|ed|ing)?\b", r"should\b", r"calls? (?:for|on)", r"called (?:for|on)", r"calling (?:for|on)",
                 r"\burge", r"propos(?:e|es|ed|ing)\b", r"suggest(?:s|ed|ing)?\b", r"advis(?:e|es|ed|ing)\b", r"argues? for", r"encourage the", r"the ambition is", r"premise is",
                 r"would be (?:given|subject|supported|selected)", r"make the case", r"made the case")
# "stops short of" and friends: support in principle without the commitment.
PARTIAL = cue(r"stops? short", r"does not commit", r"did not commit", r"not commit to", r"in part\b", r"but not\b")
CONTRAST = re.compile(r"\b(however|but|yet|although|though|nevertheless|nonetheless|that said)\b", re.I)
CONCESSIVE = re.compile(r"^[\"“‘']?\s*(?:(?:however|but|yet|and|still|so),?\s+)?(?:while|whilst|although|though|despite)\b", re.I)
LEAD_RECOMMENDS = re.compile(r"\b(recommend|propos|calls? for|suggest)", re.I)
NOT_RECOMMEND = re.compile(r"\b(?:not|no|never)\s+(?:\w+\s+){0,2}?(?:call|recommend|propos|suggest)", re.I)
NEGATED = re.compile(r"\b(?:not|no|never|nor)\s+(?:\w+\s+){0,2}?(support|welcom|agree|accept|back)", re.I)


def polarity(text: str) -> tuple[bool, bool]:
    """(positive cue, negative cue) in a clause, with "not support" counted as negative."""
    negated = bool(NEGATED.search(text))
    pos = bool(WELCOMES.search(text) or SUPPORTS.search(text) or ACCEPTS.search(text)) and not negated
    neg = bool(CONCERNED.search(text) or OPPOSES.search(text) or REJECTS.search(text)) or negated
    return pos, neg


def negative_kind(text: str) -> str:
    if REJECTS.search(text):
        return "rejects"
    if OPPOSES.search(text):
        return "opposes"
    return "concerned"


def positive_kind(text: str) -> str:
    if ACCEPTS.search(text) and not SUPPORTS.search(text):
        return "accepts"
    if WELCOMES.search(text):
        return "welcomes"
    if ACCEPTS.search(text):
        return "accepts"
    return "supports"


@lru_cache(maxsize=65536)  # a pure function of corpus text, asked again for every quote of every answer
def stance(text: str, lead_in: str = "") -> str:
    """The stance a quote states, from cue words and sentence structure.

    "While we welcome X, Y is concerning": the main clause decides (concerned). "We welcome X,
    but Y is a concern": both stand (mixed). "Supports ... but stops short of a commitment": mixed.
    "NHS England should work with leaders to agree...": what is recommended is not the actor's
    stance, so a recommendation that comes before any evaluative word is "recommends". A list item
    takes the stance of its lead-in ("We are concerned about: - ..."). No cue at all: "describes".
    """
    if lead_in:
        own = stance(text)
        if own in ("describes", "recommends"):
            led = stance(lead_in)
            if led != "describes":
                return led
            if LEAD_RECOMMENDS.search(lead_in):
                return "recommends"  # "The report's recommendations include:"
        return own
    main = text
    if CONCESSIVE.match(text) and "," in text:
        # "Although X, including Y, Z is a concern": the concession is conceded; the last clause stands.
        main = text[text.rindex(",") + 1:]
    rec = RECOMMENDS.search(main)
    if rec and not NOT_RECOMMEND.search(main) and rec.start() < first_cue(main):
        return "recommends"
    pos, neg = polarity(main)
    if PARTIAL.search(text) and (pos or SUPPORTS.search(text)):
        return "mixed"
    if pos and neg:
        if contrast_between(main):
            return "mixed"
        return negative_kind(main) if neg_first(main) else positive_kind(main)
    if neg:
        return negative_kind(main)
    if pos:
        return positive_kind(main)
    if rec and not NOT_RECOMMEND.search(main):
        return "recommends"
    return "describes"


EVALUATIVE = ((CONCERNED, True), (OPPOSES, True), (REJECTS, True), (WELCOMES, False), (SUPPORTS, False), (ACCEPTS, False))


def first_cue(text: str) -> int:
    """Position of the first evaluative cue (len(text) when there is none)."""
    starts = [m.start() for rx, _ in EVALUATIVE if (m := rx.search(text))]
    return min(starts) if starts else len(text)


def contrast_between(text: str) -> bool:
    """A "but" or "however" between a positive cue and a negative one (in either order)."""
    spans = sorted((m.start(), sign) for rx, sign in EVALUATIVE for m in rx.finditer(text))
    for (a, sa), (b, sb) in zip(spans, spans[1:]):
        if sa != sb and CONTRAST.search(text[a:b]):
            return True
    return False


def neg_first(text: str) -> bool:
    """Whether the first evaluative cue in a clause is negative (it usually carries the point)."""
    firsts = [(m.start(), sign) for rx, sign in EVALUATIVE if (m := rx.search(text))]
    return min(firsts)[1] if firsts else False
