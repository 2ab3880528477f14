"""SQL for officer accounts (their API tokens: repo/tokens.py). Callers own the transaction."""

from __future__ import annotations

import asyncpg

INSERT_OFFICER = """
INSERT INTO officer (username, display_name, role, agency_code, password_hash)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, username, display_name, role, agency_code, head
"""


SELECT_BY_USERNAME = (
    "SELECT id, username, display_name, role, agency_code, head FROM officer WHERE username = $1"
)


ANY_OFFICER = "SELECT EXISTS (SELECT 1 FROM officer)"

ANY_ACTIVE_ADMIN = "SELECT EXISTS (SELECT 1 FROM officer WHERE role = 'admin' AND active)"

# The admin page's list: active first, then by role, agency (the city's own first) and name.
SELECT_ACCOUNTS = """
SELECT id, username, display_name, role, agency_code, head, email, telegram_chat, active,
       password_hash IS NOT NULL AS has_password, created_at
FROM officer ORDER BY active DESC, role, agency_code NULLS FIRST, username
"""

SELECT_STANDING = "SELECT id, username, display_name, role, active FROM officer WHERE id = $1"

SET_PASSWORD_HASH = "UPDATE officer SET password_hash = $2 WHERE id = $1"

SET_ROLE = "UPDATE officer SET role = $2, agency_code = $3, head = $4 WHERE id = $1"

SET_CONTACTS = "UPDATE officer SET email = $2, telegram_chat = $3 WHERE id = $1"

# An agency's active officers: whom its complaints may be assigned to.
SELECT_TEAM = """
SELECT id, username, display_name, head FROM officer
WHERE agency_code = $1 AND role = 'officer' AND active
ORDER BY display_name, username
"""

SELECT_MEMBER = """
SELECT id, username, display_name, role, agency_code, head, active FROM officer WHERE id = $1
"""

SET_ACTIVE = "UPDATE officer SET active = $2 WHERE id = $1"


async def insert(
    conn: asyncpg.Connection,
    username: str,
    display_name: str,
    role: str,
    agency_code: str | None,
    password_hash: str | None,
) -> asyncpg.Record:
    return await conn.fetchrow(
        INSERT_OFFICER, username, display_name, role, agency_code, password_hash
    )


async def by_username(conn: asyncpg.Connection, username: str) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_BY_USERNAME, username)


async def any_exist(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval(ANY_OFFICER))


async def any_active_admin(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval(ANY_ACTIVE_ADMIN))


async def accounts(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(SELECT_ACCOUNTS)


async def standing(conn: asyncpg.Connection, officer_id: int) -> asyncpg.Record | None:
    """id, username, display name, role and active of one officer; None when there is none."""
    return await conn.fetchrow(SELECT_STANDING, officer_id)


async def set_password_hash(conn: asyncpg.Connection, officer_id: int, password_hash: str) -> None:
    await conn.execute(SET_PASSWORD_HASH, officer_id, password_hash)


async def set_role(
    conn: asyncpg.Connection, officer_id: int, role: str, agency_code: str | None, head: bool
) -> None:
    await conn.execute(SET_ROLE, officer_id, role, agency_code, head)


async def set_contacts(
    conn: asyncpg.Connection, officer_id: int, email: str | None, telegram_chat: str | None
) -> None:
    await conn.execute(SET_CONTACTS, officer_id, email, telegram_chat)


async def team(conn: asyncpg.Connection, agency_code: str) -> list[asyncpg.Record]:
    return await conn.fetch(SELECT_TEAM, agency_code)


async def member(conn: asyncpg.Connection, officer_id: int) -> asyncpg.Record | None:
    """One officer's standing (role, agency, head, active); None when there is none."""
    return await conn.fetchrow(SELECT_MEMBER, officer_id)


async def set_active(conn: asyncpg.Connection, officer_id: int, active: bool) -> None:
    await conn.execute(SET_ACTIVE, officer_id, active)
