"""The dependency direction, checked: no module imports itself back through others (imports
inside functions count: they hide a cycle, they don't remove it), and the core does not reach
the adapters. Imports under `if TYPE_CHECKING:` are for type checkers only and do not count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lapor", "bots", "classifier")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def imports_of(source: str, known: set[str], own: str) -> set[str]:
    """The project modules `source` imports at run time, at any depth of the file."""
    tree = ast.parse(source)
    for_checkers: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for_checkers.update(id(inner) for part in node.body for inner in ast.walk(part))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in for_checkers:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != own:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(path.read_text(), set(found), name) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_no_module_imports_itself_back():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("core", ["lapor.scheduler", "lapor.complaints", "lapor.lifecycle"])
def test_the_core_does_not_reach_the_bots_or_the_web(core):
    reached = reachable(import_graph(), core)
    assert not {name for name in reached if name.startswith(("bots", "lapor.web"))}


def test_the_detector_sees_a_cycle_hidden_inside_a_function():
    known = {"a", "b", "c"}
    graph = {
        "a": imports_of("from b import x\n", known, "a"),
        "b": imports_of("def f():\n    from c import y\n", known, "b"),
        "c": imports_of(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import b\n"
            "def g():\n    import a\n",
            known,
            "c",
        ),
    }
    assert cycles(graph) == [["a", "b", "c"]]
    graph["c"] = imports_of(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n", known, "c"
    )
    assert cycles(graph) == []
