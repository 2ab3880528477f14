"""SQL for credentials: officers' API tokens (stored as SHA-256) and the version in each
complaint's reporter token. Callers own the transaction."""

from __future__ import annotations

from datetime import datetime

import asyncpg

INSERT_API_TOKEN = """
INSERT INTO api_token (officer_id, token_sha256, created_at, expires_at) VALUES ($1, $2, $3, $4)
"""

# A live token of an active officer: not revoked, not expired ($2: now).
SELECT_LIVE_TOKEN_OFFICER = """
SELECT o.id, o.username, o.display_name, o.role, o.agency_code, o.head
FROM api_token t JOIN officer o ON o.id = t.officer_id
WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND o.active
"""

REVOKE_API_TOKEN = """
UPDATE api_token SET revoked_at = $2 WHERE token_sha256 = $1 AND revoked_at IS NULL
"""

# Every live token of one officer (a new password, deactivation, the admin's revoke).
REVOKE_OFFICER_TOKENS = """
UPDATE api_token SET revoked_at = $2 WHERE officer_id = $1 AND revoked_at IS NULL
"""

SELECT_REPORTER_TOKEN_VERSION = (
    "SELECT reporter_token_version FROM complaint WHERE tracking_code = $1"
)

BUMP_REPORTER_TOKEN_VERSION = """
UPDATE complaint SET reporter_token_version = reporter_token_version + 1
WHERE id = $1
RETURNING reporter_token_version
"""


async def bump_reporter_token_version(conn: asyncpg.Connection, *args: object) -> object:
    return await conn.fetchval(BUMP_REPORTER_TOKEN_VERSION, *args)


async def revoke_api_token(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(REVOKE_API_TOKEN, *args)


async def revoke_officer_tokens(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(REVOKE_OFFICER_TOKENS, *args)


async def select_reporter_token_version(conn: asyncpg.Connection, *args: object) -> object:
    return await conn.fetchval(SELECT_REPORTER_TOKEN_VERSION, *args)


async def add_token(
    conn: asyncpg.Connection, officer_id: int, token_sha256: str, now: datetime, expires: datetime
) -> None:
    await conn.execute(INSERT_API_TOKEN, officer_id, token_sha256, now, expires)


async def live_token_officer(
    conn: asyncpg.Connection, token_sha256: str, now: datetime
) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_LIVE_TOKEN_OFFICER, token_sha256, now)
