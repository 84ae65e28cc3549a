"""Who speaks: the actors a corpus talks about, their aliases, and finding them in text.

Actors are data (assistant/data/actors.json, extended by an actors.json beside the sources
or ASSISTANT_ACTORS_FILE), so a new corpus brings its own organisations without code changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import AssistantError


@dataclass(frozen=True)
class Actor:
    name: str
    aliases: tuple[str, ...]
    # Aliases that only mean this actor in a reporting sentence ("the department accepts"),
    # not wherever they occur ("the department's budget").
    weak_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    actor: str
    start: int
    end: int
    weak: bool


class Actors:
    def __init__(self, actors: list[Actor]):
        self.actors = actors
        self.by_name = {a.name: a for a in actors}
        entries: list[tuple[str, str, bool]] = []
        for a in actors:
            entries += [(alias, a.name, False) for alias in (a.name, *a.aliases)]
            entries += [(alias, a.name, True) for alias in a.weak_aliases]
        # Longest alias first, so "NHS England" wins over "NHS" and "Health and Social Care Committee"
        # over "Health and Social Care".
        entries.sort(key=lambda e: -len(e[0]))
        self._lookup = {alias.lower(): (name, weak) for alias, name, weak in entries}
        self._pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(alias) for alias, _, _ in entries) + r")(?:['’]s)?(?![\w-])",
            re.I,
        ) if entries else None

    def find(self, text: str) -> list[Mention]:
        if self._pattern is None:
            return []
        out = []
        for m in self._pattern.finditer(text):
            alias = m.group(1)
            name, weak = self._lookup[alias.lower()]
            # Acronym aliases must match in capitals: "bma" in running text is not the BMA... but
            # questions are often typed in lower case, so callers decide via `case_sensitive_acronyms`.
            out.append(Mention(name, m.start(1), m.end(1), weak))
        return out

    def named_in(self, text: str, include_weak: bool = False) -> list[str]:
        """Actors a text names, in order of first mention, without repeats."""
        seen: list[str] = []
        for m in self.find(text):
            if (include_weak or not m.weak) and m.actor not in seen:
                seen.append(m.actor)
        return seen

    def canonical(self, name: str) -> str | None:
        """The actor a publisher name or user-supplied filter refers to."""
        hit = self._lookup.get(name.strip().lower())
        if hit:
            return hit[0]
        named = self.named_in(name)
        return named[0] if named else None

    def fingerprint(self) -> str:
        data = json.dumps([[a.name, a.aliases, a.weak_aliases] for a in self.actors])
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def parse(data: object, where: str) -> list[Actor]:
    if not isinstance(data, list):
        raise AssistantError(f"{where}: expected a JSON list of actors")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise AssistantError(f"{where}: entry {i} needs a 'name'")
        aliases = item.get("aliases", [])
        weak = item.get("weak_aliases", [])
        if not all(isinstance(a, str) for a in [*aliases, *weak]):
            raise AssistantError(f"{where}: aliases of '{item['name']}' must be strings")
        out.append(Actor(item["name"].strip(), tuple(aliases), tuple(weak)))
    return out


def load_actors(extra: Path | None = None) -> Actors:
    """Built-in actors, with entries from `extra` added (or replacing those of the same name)."""
    builtin = json.loads(resources.files("assistant").joinpath("data/actors.json").read_text(encoding="utf-8"))
    actors = {a.name: a for a in parse(builtin, "built-in actors")}
    if extra is not None:
        try:
            data = json.loads(Path(extra).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
            raise AssistantError(f"{extra}: cannot read actors file ({e})") from None
        for a in parse(data, str(extra)):
            actors[a.name] = a
    return Actors(list(actors.values()))
