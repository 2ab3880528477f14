"""Advisory locks: work that must run alone across every process sharing the database."""

from __future__ import annotations

import asyncpg

from lapor.db import keeps_session_state

# Held until the transaction ends; False when another session holds it.
TRY_XACT_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext($1))"

# Waits for the holder; released when the transaction ends.
XACT_LOCK = "SELECT pg_advisory_xact_lock(hashtext($1))"

# Session-level locks by name, for work longer than one transaction: release them in `finally`.
TRY_NAMED_LOCK = "SELECT pg_try_advisory_lock(hashtext($1))"
NAMED_UNLOCK = "SELECT pg_advisory_unlock(hashtext($1))"

# Session-level locks by a bigint key.
TRY_KEY_LOCK = "SELECT pg_try_advisory_lock($1)"
KEY_UNLOCK = "SELECT pg_advisory_unlock($1)"


async def try_xact_lock(conn: asyncpg.Connection, name: str) -> bool:
    return await conn.fetchval(TRY_XACT_LOCK, name)


async def xact_lock(conn: asyncpg.Connection, name: str) -> None:
    await conn.execute(XACT_LOCK, name)


async def try_named_lock(conn: asyncpg.Connection, name: str) -> bool:
    keeps_session_state(conn)  # released in full if the unlock never comes
    return await conn.fetchval(TRY_NAMED_LOCK, name)


async def named_unlock(conn: asyncpg.Connection, name: str) -> None:
    await conn.execute(NAMED_UNLOCK, name)


async def try_key_lock(conn: asyncpg.Connection, key: int) -> bool:
    keeps_session_state(conn)  # released in full if the unlock never comes
    return await conn.fetchval(TRY_KEY_LOCK, key)


async def key_unlock(conn: asyncpg.Connection, key: int) -> None:
    await conn.execute(KEY_UNLOCK, key)
