"""Advisory locks: work that must run alone across every process sharing the database.

Every lock is transaction-scoped (`pg_advisory_xact_lock`), never a session's: behind a
connection pooler in transaction mode a session lock would stay on whichever server connection
took it, and its unlock could land on another. Work longer than one transaction (a report, a
retraining) holds its lock in a transaction left open on its connection until the unlock."""

from __future__ import annotations

import asyncpg
from asyncpg.transaction import Transaction

# Held until the transaction ends; False when another session holds it.
TRY_XACT_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext($1))"

# Waits for the holder; released when the transaction ends.
XACT_LOCK = "SELECT pg_advisory_xact_lock(hashtext($1))"

# By a bigint key, held until the transaction ends.
TRY_XACT_KEY_LOCK = "SELECT pg_try_advisory_xact_lock($1)"

# The transaction holding each long lock, by its connection (ended by the unlock; a connection
# that goes back to the pool without it is rolled back by asyncpg, which frees the lock too).
_HOLDING: dict[int, Transaction] = {}


async def try_xact_lock(conn: asyncpg.Connection, name: str) -> bool:
    return await conn.fetchval(TRY_XACT_LOCK, name)


async def xact_lock(conn: asyncpg.Connection, name: str) -> None:
    await conn.execute(XACT_LOCK, name)


async def _try_hold(conn: asyncpg.Connection, query: str, arg: str | int) -> bool:
    """Open a transaction on `conn` and take the lock in it; on True the transaction stays
    open (work on `conn` meanwhile runs inside it) until `_let_go`."""
    transaction = conn.transaction()
    await transaction.start()
    try:
        got = await conn.fetchval(query, arg)
    except BaseException:
        await transaction.rollback()
        raise
    if not got:
        await transaction.rollback()
        return False
    _HOLDING[id(conn)] = transaction
    return True


async def _let_go(conn: asyncpg.Connection) -> None:
    transaction = _HOLDING.pop(id(conn), None)
    if transaction is not None:
        await transaction.commit()  # what ran on `conn` under the lock commits with it


async def try_named_lock(conn: asyncpg.Connection, name: str) -> bool:
    """For work longer than one transaction: release it with `named_unlock` in `finally`."""
    return await _try_hold(conn, TRY_XACT_LOCK, name)


async def named_unlock(conn: asyncpg.Connection, name: str) -> None:
    await _let_go(conn)


async def try_key_lock(conn: asyncpg.Connection, key: int) -> bool:
    """For work longer than one transaction: release it with `key_unlock` in `finally`."""
    return await _try_hold(conn, TRY_XACT_KEY_LOCK, key)


async def key_unlock(conn: asyncpg.Connection, key: int) -> None:
    await _let_go(conn)
