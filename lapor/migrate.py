"""Plain SQL migrations: ``sql/NNN_name.sql`` applied in order, once, each in one transaction.

Each applied file is recorded with its SHA-256; an applied file that was edited afterwards stops
the run (the database would no longer match the repository). Concurrent runs from several
processes are serialized by a transaction-scoped advisory lock, so it works through a
connection pooler in transaction mode too.

Part of the database layer with lapor/repo/ and lapor/db.py: its own few statements (the lock
and the schema_migration ledger) stay here beside the files they apply (tests/test_layers.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from lapor.db import repository_root

log = logging.getLogger(__name__)

MIGRATIONS_DIR = repository_root() / "sql"
_LOCK_KEY = 0x6C61706F72  # "lapor"
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNN_name.sql")
        migrations.append(Migration(int(match.group(1)), path.name, path.read_text()))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationError("two migration files share a number")
    return migrations


_LOCK = "SELECT pg_advisory_xact_lock($1)"
_LEDGER = """CREATE TABLE IF NOT EXISTS schema_migration (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())"""
_APPLIED = "SELECT version, name, checksum FROM schema_migration"
_RECORD = "INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)"


async def _applied(conn: asyncpg.Connection) -> dict[int, asyncpg.Record]:
    """Inside a transaction holding the lock."""
    await conn.execute(_LEDGER)
    return {row["version"]: row for row in await conn.fetch(_APPLIED)}


def _check(migration: Migration, row: asyncpg.Record) -> None:
    if row["checksum"] != migration.checksum:
        raise MigrationError(
            f"{migration.name} was edited after it was applied; write a new migration instead"
        )


async def migrate(conn: asyncpg.Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply what is pending; return the names applied.

    Every transaction here takes the same transaction-scoped advisory lock before it reads the
    ledger, so runs from several processes at once apply each file once, in order, and no
    session state is kept (a pooler in transaction mode may give each transaction another
    server connection)."""
    migrations = discover(directory)
    async with conn.transaction():
        await conn.execute(_LOCK, _LOCK_KEY)
        applied = await _applied(conn)
    known = {m.version: m for m in migrations}
    for version, row in applied.items():
        if version not in known:
            raise MigrationError(
                f"the database has migration {row['name']} which is not in {directory}"
            )
        _check(known[version], row)
    done = []
    for migration in migrations:
        if migration.version in applied:
            continue
        async with conn.transaction():
            await conn.execute(_LOCK, _LOCK_KEY)
            row = (await _applied(conn)).get(migration.version)
            if row is not None:  # another process applied it while this one waited
                _check(migration, row)
                continue
            await conn.execute(migration.sql)
            await conn.execute(_RECORD, migration.version, migration.name, migration.checksum)
        log.info("migration applied name=%s", migration.name)
        done.append(migration.name)
    return done
