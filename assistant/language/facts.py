"""What the index keeps of one sentence's parse (parse.py makes it, attribution.py reads it): plain data,
in a module of its own so that neither of those two imports the other for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Facts:
    """What the index keeps of one sentence's parse. Nothing here depends on the corpus's cast, so
    a sentence's facts can be reused when its text is unchanged."""

    holder: str | None  # the phrase that holds the main predicate's view (subject, possessor or agent);
    # for a pronoun, the name it refers to in the same sentence, if any
    holder_kind: str | None  # "i" | "we" | "pronoun" | "name" | None
    head: str | None  # the holder's head noun ("response" in "The response pushes back ...")
    agentive: bool  # the predicate is an attitude or reporting word, so its subject holds a view
    according: str | None  # "According to X, ..."
    first_person: bool  # I/we/our anywhere in the sentence
    stance: str
    entities: tuple[tuple[str, str], ...]  # (text, label) of named people and bodies
    holder_entities: tuple[str, ...]  # those inside the holder phrase
    kinds: tuple[str, ...]  # answer types the sentence holds: "number", "money", "date", "who"
    # Character ranges of what a predicate works against ("delay [the introduction of X]", "a ban on [X]",
    # "[X] was scrapped"): a stance taken on the delaying is the opposite stance toward X (stance toward a topic).
    against: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> list:
        return [self.holder, self.holder_kind, self.head, self.agentive, self.according, self.first_person,
                self.stance, [list(e) for e in self.entities], list(self.holder_entities), list(self.kinds),
                [list(a) for a in self.against]]

    @classmethod
    def from_json(cls, row: list) -> Facts:
        h, hk, head, ag, acc, fp, st, ents, hents, kinds, *rest = row  # (rows of older builds lack `against`)
        return cls(h, hk, head, ag, acc, fp, st, tuple(tuple(e) for e in ents), tuple(hents), tuple(kinds),
                   tuple(tuple(a) for a in rest[0]) if rest else ())
