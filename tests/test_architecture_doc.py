"""docs/architecture.md names every module a newcomer meets, so it cannot fall behind the code.

A module counts as named when the doc has its path or a tail of it ending in the file name
(`lapor/web/api_complaints.py`, `web/api_complaints.py`, `api_complaints.py`). A bare file name
that several modules share (`common.py`) names only the one directly in lapor/, bots/ or
classifier/; the others need their folder: either in the path (`cli/common.py`), or as the
folder followed closely by the module's bare name, the way the doc lists a package's modules
("lapor/repo/: one module per aggregate (complaints, conversations, ...)").
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = ("lapor", "bots", "classifier")
# How far after a folder's name its listed modules may come (one entry of the diagram).
LISTING = 400


def module_paths(root: Path = ROOT) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for package in PACKAGES
        for path in (root / package).rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    )


def mentions(doc: str, name: str) -> bool:
    """`name` as written, not inside a longer name or path."""
    return re.search(rf"(?<![\w/.]){re.escape(name)}(?![\w/])", doc) is not None


def named(doc: str, module: str, shared: set[str]) -> bool:
    """Whether `doc` names `module` (a path like "lapor/cli/ops.py"); `shared` holds the file
    names more than one module has."""
    parts = module.split("/")
    folders, file = parts[:-1], parts[-1]
    if any(mentions(doc, "/".join(parts[i:])) for i in range(len(folders))):
        return True
    if mentions(doc, file) and (file not in shared or len(folders) == 1):
        return True
    if folders[-1] in PACKAGES[:2]:  # "lapor/" and "bots/" are everywhere: no listing there
        return False
    stem = file.removesuffix(".py")
    for folder in re.finditer(rf"(?<![\w]){re.escape(folders[-1])}/", doc):
        if mentions(doc[folder.end() : folder.end() + LISTING], stem):
            return True
    return False


def unnamed(doc: str, modules: list[str]) -> list[str]:
    counts = Counter(module.rsplit("/", 1)[-1] for module in modules)
    shared = {file for file, n in counts.items() if n > 1}
    return [module for module in modules if not named(doc, module, shared)]


def test_the_architecture_doc_names_every_module():
    missing = unnamed(DOC.read_text(encoding="utf-8"), module_paths())
    assert missing == [], "name these in docs/architecture.md, one short line each"


def test_the_check_finds_what_the_doc_leaves_out():
    modules = [
        "lapor/sla.py",
        "lapor/repo/sla.py",
        "lapor/cli/common.py",
        "lapor/web/officer_pages/common.py",
        "lapor/web/api_complaints.py",
        "classifier/corpus/build.py",
    ]
    doc = (
        "sla.py deadlines; lapor/repo/: one module per aggregate (complaints, sla);\n"
        "web/officer_pages/ one module per page group (routes in common.py);\n"
        "api_complaints.py handlers; corpus/ builds data/complaints.jsonl\n"
    )
    # cli/common.py is not named by the officer pages' common.py; "builds" is not "build".
    assert unnamed(doc, modules) == ["lapor/cli/common.py", "classifier/corpus/build.py"]
    # A longer name or another folder's path does not count either.
    assert unnamed("sla_rules.py, lapor/repo/sla.py", ["lapor/sla.py"]) == ["lapor/sla.py"]
    assert unnamed("web/api_complaints.py", ["lapor/web/api_complaints.py"]) == []
    assert unnamed("cli/common.py", ["lapor/cli/common.py", "classifier/corpus/common.py"]) == [
        "classifier/corpus/common.py"
    ]


def test_every_package_module_is_checked():
    found = module_paths()
    assert {"lapor/web/api_complaints.py", "bots/whatsapp_inbound.py"} <= set(found)
    assert "classifier/corpus/build.py" in found
    assert not [path for path in found if path.endswith(("__init__.py", "__main__.py"))]
