"""Idempotency keys for intake: the same key and body within 24 hours mean the same complaint."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

KEY_LIFETIME = timedelta(hours=24)

FIND = """
SELECT k.request_hash, c.tracking_code
FROM idempotency_key k JOIN complaint c ON c.id = k.complaint_id
WHERE k.key = $1 AND k.created_at > $2
"""

FORGET_EXPIRED = "DELETE FROM idempotency_key WHERE key = $1 AND created_at <= $2"

CLAIM = """
INSERT INTO idempotency_key (key, request_hash, complaint_id, created_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (key) DO NOTHING
RETURNING key
"""


async def find(conn: asyncpg.Connection, key: str, now: datetime) -> tuple[str, str] | None:
    row = await conn.fetchrow(FIND, key, now - KEY_LIFETIME)
    return None if row is None else (row["request_hash"], row["tracking_code"])


async def claim(
    conn: asyncpg.Connection, key: str, request_hash: str, complaint_id: int, now: datetime
) -> bool:
    """True when this request owns the key. Waits for a concurrent holder to commit or roll back."""
    await conn.execute(FORGET_EXPIRED, key, now - KEY_LIFETIME)
    return await conn.fetchval(CLAIM, key, request_hash, complaint_id, now) is not None
