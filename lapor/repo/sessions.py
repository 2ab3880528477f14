"""SQL for officer page sessions and failed logins. Callers own the transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

INSERT_SESSION = """
INSERT INTO officer_session (token_sha256, officer_id, created_at, last_seen_at, expires_at)
VALUES ($1, $2, $3, $3, $4)
"""

# A live session of an active officer: not past its absolute expiry, not idle too long.
SELECT_LIVE_SESSION = """
SELECT s.last_seen_at, o.id, o.username, o.display_name, o.role, o.agency_code, o.head
FROM officer_session s JOIN officer o ON o.id = s.officer_id
WHERE s.token_sha256 = $1 AND o.active
  AND s.expires_at > $2 AND s.last_seen_at > $2::timestamptz - $3::interval
"""

TOUCH_SESSION = "UPDATE officer_session SET last_seen_at = $2 WHERE token_sha256 = $1"

DELETE_SESSION = "DELETE FROM officer_session WHERE token_sha256 = $1"

DELETE_OFFICER_SESSIONS = "DELETE FROM officer_session WHERE officer_id = $1"

DELETE_DEAD_SESSIONS = """
DELETE FROM officer_session WHERE expires_at <= $1 OR last_seen_at <= $1::timestamptz - $2::interval
"""

SELECT_OFFICER_FOR_LOGIN = """
SELECT id, username, display_name, role, agency_code, head, password_hash, active
FROM officer WHERE username = $1
"""

# Failed logins of one username are counted one at a time, so five at once lock it once.
LOCK_USERNAME = "SELECT pg_advisory_xact_lock(hashtext('lapor-login:' || $1))"

SELECT_LOCK = "SELECT locked_until FROM login_lock WHERE username = $1 AND locked_until > $2"

INSERT_FAILURE = "INSERT INTO login_failure (username, failed_at, address) VALUES ($1, $2, $3)"

# How many failures, and from how many addresses (a failure recorded before 011 counts as one).
COUNT_RECENT_FAILURES = """
SELECT count(*), count(DISTINCT coalesce(address, '')) FROM login_failure
WHERE username = $1 AND failed_at > $2::timestamptz - $3::interval
"""

# An address the officer logged in from recently is not held back by a lock others caused.
REMEMBER_ADDRESS = """
INSERT INTO login_known_address (username, address, last_success_at) VALUES ($1, $2, $3)
ON CONFLICT (username, address) DO UPDATE SET last_success_at = excluded.last_success_at
"""

IS_KNOWN_ADDRESS = """
SELECT EXISTS (
    SELECT 1 FROM login_known_address
    WHERE username = $1 AND address = $2 AND last_success_at > $3
)
"""

UPSERT_LOCK = """
INSERT INTO login_lock (username, locked_until) VALUES ($1, $2)
ON CONFLICT (username) DO UPDATE SET locked_until = excluded.locked_until
"""

# After a lock-out starts, or a successful login, the count starts again from zero; failures
# older than the window never count.
CLEAR_FAILURES = """
DELETE FROM login_failure WHERE username = $1 OR failed_at <= $2::timestamptz - $3::interval
"""

CLEAR_LOCK = "DELETE FROM login_lock WHERE username = $1"


async def insert_session(
    conn: asyncpg.Connection,
    token_sha256: str,
    officer_id: int,
    now: datetime,
    expires_at: datetime,
) -> None:
    await conn.execute(INSERT_SESSION, token_sha256, officer_id, now, expires_at)


async def live_session(
    conn: asyncpg.Connection, token_sha256: str, now: datetime, idle: timedelta
) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_LIVE_SESSION, token_sha256, now, idle)


async def touch_session(conn: asyncpg.Connection, token_sha256: str, now: datetime) -> None:
    await conn.execute(TOUCH_SESSION, token_sha256, now)


async def delete_session(conn: asyncpg.Connection, token_sha256: str) -> None:
    await conn.execute(DELETE_SESSION, token_sha256)


async def delete_officer_sessions(conn: asyncpg.Connection, officer_id: int) -> None:
    await conn.execute(DELETE_OFFICER_SESSIONS, officer_id)


async def delete_dead_sessions(conn: asyncpg.Connection, now: datetime, idle: timedelta) -> None:
    await conn.execute(DELETE_DEAD_SESSIONS, now, idle)


async def officer_for_login(conn: asyncpg.Connection, username: str) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_OFFICER_FOR_LOGIN, username)


async def lock_username(conn: asyncpg.Connection, username: str) -> None:
    """Until the transaction ends; call inside one."""
    await conn.execute(LOCK_USERNAME, username)


async def locked_until(conn: asyncpg.Connection, username: str, now: datetime) -> datetime | None:
    return await conn.fetchval(SELECT_LOCK, username, now)


async def insert_failure(
    conn: asyncpg.Connection, username: str, now: datetime, address: str
) -> None:
    await conn.execute(INSERT_FAILURE, username, now, address)


async def count_recent_failures(
    conn: asyncpg.Connection, username: str, now: datetime, window: timedelta
) -> tuple[int, int]:
    """How many failures within the window, and from how many addresses."""
    failures, addresses = await conn.fetchrow(COUNT_RECENT_FAILURES, username, now, window)
    return failures, addresses


async def remember_address(
    conn: asyncpg.Connection, username: str, address: str, now: datetime
) -> None:
    await conn.execute(REMEMBER_ADDRESS, username, address, now)


async def is_known_address(
    conn: asyncpg.Connection, username: str, address: str, since: datetime
) -> bool:
    return await conn.fetchval(IS_KNOWN_ADDRESS, username, address, since)


async def lock_out(conn: asyncpg.Connection, username: str, until: datetime) -> None:
    await conn.execute(UPSERT_LOCK, username, until)


async def clear_failures(
    conn: asyncpg.Connection, username: str, now: datetime, window: timedelta
) -> None:
    await conn.execute(CLEAR_FAILURES, username, now, window)
