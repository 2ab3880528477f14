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


# ------------------------------------------------------------------------- modules a newcomer can hold

LINES_MAX = 400
REASON = "Longer than 400 lines because"
# Data tables, not code to read: the synthetic corpus's word lists and templates.
NOT_CODE = ("classifier/corpus/",)
# Modules over the limit without a reason yet, each with where it is being dealt with.
BEING_SPLIT: dict[str, str] = {}


def module_docstring(source: str) -> str:
    return ast.get_docstring(ast.parse(source)) or ""


def too_long(path: Path, source: str) -> bool:
    lines = len(source.splitlines())
    return lines > LINES_MAX and REASON not in " ".join(module_docstring(source).split())


def test_every_module_is_at_most_400_lines_or_says_why():
    offenders = []
    for path in modules().values():
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(NOT_CODE) or relative in BEING_SPLIT:
            continue
        source = path.read_text()
        if too_long(path, source):
            offenders.append(f"{relative} ({len(source.splitlines())} lines)")
    assert offenders == [], f"split these, or say in the docstring '{REASON} ...'"


def test_the_length_check_wants_a_reason_in_the_opening_docstring():
    body = "x = 1\n" * LINES_MAX
    assert not too_long(Path("short.py"), '"""Short."""\n' + "x = 1\n" * 10)
    assert too_long(Path("long.py"), '"""Long."""\n' + body)
    assert too_long(Path("late.py"), f'"""Long."""\n# {REASON} it is.\n' + body)
    assert not too_long(Path("said.py"), f'"""Long.\n\n{REASON} it is one table."""\n' + body)
    # The phrase may be wrapped across the docstring's lines.
    wrapped = REASON.replace("400 lines", "400\nlines")
    assert not too_long(Path("wrapped.py"), f'"""Long. {wrapped} it is."""\n' + body)


def test_the_allow_list_names_only_modules_still_too_long():
    for relative in BEING_SPLIT:
        path = ROOT / relative
        assert path.exists() and too_long(path, path.read_text()), relative
