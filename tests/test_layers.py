"""SQL has one home: the repository layer (lapor/repo/). Services and adapters call its
functions; a statement written anywhere else, or a connection queried directly, fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lapor", "bots", "classifier")

# The database layer itself: lapor/repo/ holds the statements; lapor/db.py opens pools and
# pings the server; lapor/migrate.py applies the sql/*.sql migrations and keeps their ledger.
ALLOWED = ("lapor/repo/", "lapor/db.py", "lapor/migrate.py")

DATABASE_CALLS = {
    "fetch",
    "fetchrow",
    "fetchval",
    "execute",
    "executemany",
    "copy_records_to_table",
    "copy_to_table",
    "copy_from_table",
    "copy_from_query",
    "cursor",
    "prepare",
}
# Objects with a method of the same name that never talk to the database (an aiohttp
# StreamResponse is prepared before a download is streamed through it).
NOT_DATABASE = {"fetcher", "response"}

# A statement starts (after blanks and SQL comments) with one of these keywords, followed by
# text a statement would have: SELECT something selected, INSERT an INTO, UPDATE a SET...
_STATEMENTS = {
    "SELECT": r"(?:\*|\d|\w+\(|\w+(?:\.\w+)?\s*(?:,|\bAS\b|\bFROM\b)|DISTINCT\b|EXISTS\b)",
    "INSERT": r"INTO\s+\w+",
    "UPDATE": r"\w+(?:\s+AS\s+\w+)?\s+SET\b",
    "DELETE": r"FROM\s+\w+",
    "WITH": r"(?:RECURSIVE\s+)?\w+(?:\s*\([^)]*\))?\s+AS\s*(?:NOT\s+)?(?:MATERIALIZED\s+)?\(",
    "CREATE": r"(?:UNIQUE\s+|TEMP\s+|TEMPORARY\s+|OR\s+REPLACE\s+)*"
    r"(?:TABLE|INDEX|VIEW|SEQUENCE|FUNCTION|TRIGGER|TYPE|EXTENSION|SCHEMA|DATABASE)\b",
    "ALTER": r"(?:TABLE|INDEX|VIEW|SEQUENCE|FUNCTION|TYPE|SCHEMA|DATABASE)\b",
    "DROP": r"(?:TABLE|INDEX|VIEW|SEQUENCE|FUNCTION|TRIGGER|TYPE|EXTENSION|SCHEMA|DATABASE)\b",
    "LOCK": r"(?:TABLE\s+)?\w+",
    "COPY": r"\w+",
    "TRUNCATE": r"(?:TABLE\s+)?\w+",
    "NOTIFY": r"\w+",
    "LISTEN": r"\w+",
}
_LEAD = r"^(?:\s|--[^\n]*\n|/\*.*?\*/)*"
_ALTERNATIVES = "|".join(f"{keyword}\\s+(?i:{tail})" for keyword, tail in _STATEMENTS.items())
# The house writes SQL keywords in capitals ("Select a category" is prose); lower-case SQL is
# caught too when it carries a $n parameter, which prose never does.
_UPPER = re.compile(f"{_LEAD}(?:{_ALTERNATIVES})", re.DOTALL)
_ANY_CASE = re.compile(f"{_LEAD}(?:{_ALTERNATIVES})", re.DOTALL | re.IGNORECASE)
_PARAMETER = re.compile(r"\$\d")


def looks_like_sql(text: str) -> bool:
    return bool(_UPPER.match(text) or (_ANY_CASE.match(text) and _PARAMETER.search(text)))


def _receiver(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def violations(source: str) -> list[str]:
    """Lines of `source` that hold SQL text or query a connection directly."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if looks_like_sql(node.value):
                found.append(f"{node.lineno}: SQL text {node.value.strip()[:50]!r}")
        elif isinstance(node, ast.JoinedStr):
            # An f-string's literal parts joined: f"SELECT {x} FROM t" is still SQL.
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "x" for part in node.values
            )
            if looks_like_sql(text):
                found.append(f"{node.lineno}: SQL f-string {text.strip()[:50]!r}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in DATABASE_CALLS
            and _receiver(node.func.value) not in NOT_DATABASE
        ):
            found.append(f"{node.lineno}: {_receiver(node.func.value)}.{node.func.attr}(...)")
    return found


def _modules() -> list[Path]:
    paths = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not relative.startswith(ALLOWED):
                paths.append(path)
    return paths


def test_there_are_modules_to_check():
    checked = {p.relative_to(ROOT).as_posix() for p in _modules()}
    assert {"lapor/web/api.py", "bots/engine.py", "lapor/complaints/filing.py"} <= checked
    assert not any(p.startswith("lapor/repo/") for p in checked)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_sql_outside_the_repository_layer(path: Path):
    assert violations(path.read_text(encoding="utf-8")) == []


# The doors (HTTP handlers and pages, the command line, the demo loader) reach the database only
# through the services; they never import a repository. (The bots' engine owns its dialogue's
# transactions and uses the conversation repository directly.)
DOORS = ("lapor/web/", "lapor/cli/", "lapor/demo.py")


def _is_repository(module: str) -> bool:
    return module == "lapor.repo" or module.startswith("lapor.repo.")


def repository_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and _is_repository(node.module or ""):
            found.append(f"{node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.ImportFrom) and node.module == "lapor":
            found += [f"{node.lineno}: lapor.repo" for a in node.names if a.name == "repo"]
        elif isinstance(node, ast.Import):
            found += [f"{node.lineno}: {a.name}" for a in node.names if _is_repository(a.name)]
    return found


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if p.relative_to(ROOT).as_posix().startswith(DOORS)],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_doors_reach_the_database_through_services(path: Path):
    assert repository_imports(path.read_text(encoding="utf-8")) == []


def test_the_door_check_catches_a_repository_import():
    source = (
        "from lapor.repo import complaints as repo\n"
        "import lapor.repo.outbox\n"
        "from lapor import repo\n"
        "from lapor.report_render import summary_rows\n"
        "from lapor import reports\n"
    )
    assert [line.split(":")[0] for line in repository_imports(source)] == ["1", "2", "3"]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT 1",
        "SELECT * FROM complaint",
        "select id, status from complaint where id = $1",
        "\n    SELECT count(*) FROM officer",
        "SELECT EXISTS (SELECT 1 FROM officer)",
        "SELECT pg_advisory_xact_lock(hashtext($1))",
        "-- the newest first\nSELECT id FROM complaint_event ORDER BY id DESC",
        "INSERT INTO officer (username) VALUES ($1)",
        "UPDATE complaint SET status = 'closed' WHERE id = $1",
        "update complaint as c set x = p.x from unnest($1) p",
        "DELETE FROM bot_delivery WHERE received_at < $1",
        "WITH due AS (SELECT id FROM complaint) SELECT * FROM due",
        "CREATE TABLE t (id int)",
        "CREATE UNIQUE INDEX i ON t (id)",
        "ALTER TABLE complaint ADD COLUMN x int",
        "DROP TABLE t",
        "LOCK TABLE complaint IN EXCLUSIVE MODE",
        "COPY complaint FROM STDIN",
        "TRUNCATE outbox",
        "NOTIFY lapor_outbox",
        "LISTEN lapor_outbox",
    ],
)
def test_the_detector_knows_sql(text: str):
    assert looks_like_sql(text)


@pytest.mark.parametrize(
    "text",
    [
        "Select a category",
        "Select one of the options below.",
        "Update your report",
        "Updated",
        "Delete this draft?",
        "With thanks",
        "Create an account",
        "Drop the draft",
        "Copy the code",
        "Listen to the citizen",
        "select",
        "",
        "Laporan Anda sudah kami terima.",
    ],
)
def test_the_detector_leaves_prose_alone(text: str):
    assert not looks_like_sql(text)


def test_the_check_catches_a_statement_or_a_query_slipped_into_an_adapter():
    source = '''
async def handler(request, conn, fetcher):
    """Select what to show."""
    await fetcher.fetch("ref")
    rows = await conn.fetch(QUERY)
    await request.app.pool.execute(other)
    return f"SELECT id FROM complaint WHERE code = {request.code}"

QUERY = """
    SELECT id, status FROM complaint
"""
'''
    found = violations(source)
    assert sorted({int(line.split(":")[0]) for line in found}) == [5, 6, 7, 9]
