"""The package's modules import one another one way: no circle, lazy or type-only imports included, so the
question's path through the code reads in one direction."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"


def module_name(path: Path) -> tuple[str, ...]:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


def imports() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (dotted below the package: "stores.milvus")."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {".".join(m): set() for m in files}
    for m, path in files.items():
        package = m if path.name == "__init__.py" else m[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.level == 0:
                continue
            base = package[:len(package) - (node.level - 1)]
            target = base + tuple(node.module.split(".")) if node.module else base
            for name in (a.name for a in node.names):
                if target + (name,) in files:  # "from . import x", "from .stores import milvus"
                    graph[".".join(m)].add(".".join(target + (name,)))
                elif target in files and target != ():
                    graph[".".join(m)].add(".".join(target))
    return graph


def test_the_stages_are_folders_and_answering_never_reaches_into_the_web():
    graph = imports()
    groups = {m.split(".")[0] for m in graph if "." in m}
    assert {"answering", "building", "language", "stores", "web"} <= groups
    flat = [m for m in graph if "." not in m and m not in ("", "cli", "settings", "errors", "__init__")]
    assert set(flat) <= {"answering", "building", "language", "stores", "web"}, flat  # no module left loose
    # the question flows one way: nothing below the web imports it, nothing the build needs imports answering
    for m, deps in graph.items():
        if not m.startswith("web") and m != "cli":
            assert not any(d.startswith("web") for d in deps), m
        if m.startswith(("language", "stores")):
            assert not any(d.startswith(("answering", "web")) for d in deps), m


def test_imports_are_read_across_subpackages():
    graph = imports()
    assert "stores.milvus" in graph["stores"] or "stores.base" in graph["stores"]
    assert {"errors", "settings", "stores.base"} <= graph["stores.milvus"]
    assert "stores" in graph["building.store"] and "building.store" in graph["answering.retrieve"]


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph[v]:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_of_the_package_imports_one_that_imports_it_back():
    assert circles(imports()) == []
