"""SQL for the bots' conversations and the deliveries already handled (migration 004), and
the citizen's own reports as the bots list them. Callers own the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

SEEN_DELIVERY = "SELECT 1 FROM bot_delivery WHERE channel = $1 AND message_id = $2"
RECORD_DELIVERY = """
INSERT INTO bot_delivery (channel, message_id, received_at) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING
RETURNING 1
"""
READ_CONVERSATION = """
SELECT language, state, draft, expires_at, drafts_started
FROM bot_conversation WHERE channel = $1 AND chat_id = $2
"""
CREATE_CONVERSATION = """
INSERT INTO bot_conversation (channel, chat_id, language, created_at, updated_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT DO NOTHING
"""
LOCK_CONVERSATION = READ_CONVERSATION + " FOR UPDATE"
SAVE_CONVERSATION = """
UPDATE bot_conversation
SET language = $3, state = $4, draft = $5, expires_at = $6, drafts_started = $7, updated_at = $8
WHERE channel = $1 AND chat_id = $2
"""
EXPIRED_DRAFTS = """
SELECT channel, chat_id, language, draft FROM bot_conversation
WHERE draft IS NOT NULL AND expires_at <= $1
ORDER BY expires_at
LIMIT $2
FOR UPDATE SKIP LOCKED
"""
DROP_DRAFT = """
UPDATE bot_conversation SET state = 'idle', draft = NULL, expires_at = NULL, updated_at = $3
WHERE channel = $1 AND chat_id = $2
"""
FORGET_DELIVERIES = "DELETE FROM bot_delivery WHERE received_at < $1"
MY_REPORTS = """
SELECT c.tracking_code, c.status, c.created_at, left(c.body, 60) AS excerpt
FROM complaint c JOIN reporter r ON r.id = c.reporter_id
WHERE r.channel = $1 AND r.chat_id = $2
ORDER BY c.created_at DESC, c.id DESC
LIMIT $3
"""
# The chat's open complaints, latest first ("status" without a code).
OPEN_REPORTS = """
SELECT c.tracking_code, c.status, c.created_at, left(c.body, 60) AS excerpt
FROM complaint c JOIN reporter r ON r.id = c.reporter_id
WHERE r.channel = $1 AND r.chat_id = $2
  AND c.status IN ('received', 'assigned', 'in_progress')
ORDER BY c.created_at DESC, c.id DESC
LIMIT $3
"""
# The chat's most recent open complaint and when it last saw activity: filed, moved by an
# officer, or a note from its reporter (lapor/citizen_notes.py).
LATEST_OPEN = """
SELECT c.id, c.tracking_code, c.status,
       greatest(c.created_at, c.updated_at,
                (SELECT max(e.created_at) FROM complaint_event e
                 WHERE e.complaint_id = c.id AND e.kind = 'citizen_note')) AS active_at
FROM complaint c JOIN reporter r ON r.id = c.reporter_id
WHERE r.channel = $1 AND r.chat_id = $2
  AND c.status IN ('received', 'assigned', 'in_progress')
ORDER BY c.created_at DESC, c.id DESC
LIMIT 1
"""
REPORTED_BY = """
SELECT EXISTS (
    SELECT 1 FROM complaint c JOIN reporter r ON r.id = c.reporter_id
    WHERE c.tracking_code = $1 AND r.channel = $2 AND r.chat_id = $3)
"""
KEY_OWNER = """
SELECT c.tracking_code FROM idempotency_key k JOIN complaint c ON c.id = k.complaint_id
WHERE k.key = $1 AND k.created_at > $2
"""


async def seen_delivery(conn: asyncpg.Connection, channel: str, message_id: str) -> bool:
    return bool(await conn.fetchval(SEEN_DELIVERY, channel, message_id))


async def record_delivery(
    conn: asyncpg.Connection, channel: str, message_id: str, now: datetime
) -> bool:
    """True for the first delivery of a message; False when it was recorded before."""
    return await conn.fetchval(RECORD_DELIVERY, channel, message_id, now) is not None


async def read(conn: asyncpg.Connection, channel: str, chat_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(READ_CONVERSATION, channel, chat_id)


async def lock(conn: asyncpg.Connection, channel: str, chat_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_CONVERSATION, channel, chat_id)


async def create(
    conn: asyncpg.Connection, channel: str, chat_id: str, language: str, now: datetime
) -> None:
    await conn.execute(CREATE_CONVERSATION, channel, chat_id, language, now)


async def save(
    conn: asyncpg.Connection,
    channel: str,
    chat_id: str,
    language: str,
    state: str,
    draft: Any,
    expires_at: datetime | None,
    drafts_started: int,
    now: datetime,
) -> None:
    await conn.execute(
        SAVE_CONVERSATION, channel, chat_id, language, state, draft, expires_at, drafts_started, now
    )


async def lock_expired_drafts(
    conn: asyncpg.Connection, now: datetime, batch: int
) -> list[asyncpg.Record]:
    return await conn.fetch(EXPIRED_DRAFTS, now, batch)


async def drop_draft(conn: asyncpg.Connection, channel: str, chat_id: str, now: datetime) -> None:
    await conn.execute(DROP_DRAFT, channel, chat_id, now)


async def forget_deliveries(conn: asyncpg.Connection, before: datetime) -> int:
    """Deletes deliveries received before `before`; returns how many."""
    return int((await conn.execute(FORGET_DELIVERIES, before)).split()[-1])


async def my_reports(
    conn: asyncpg.Connection, channel: str, chat_id: str, limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(MY_REPORTS, channel, chat_id, limit)


async def reported_by(conn: asyncpg.Connection, code: str, channel: str, chat_id: str) -> bool:
    return await conn.fetchval(REPORTED_BY, code, channel, chat_id)


async def key_owner(conn: asyncpg.Connection, key: str, since: datetime) -> str | None:
    """The tracking code filed under an idempotency key created after `since`."""
    return await conn.fetchval(KEY_OWNER, key, since)


async def open_reports(
    conn: asyncpg.Connection, channel: str, chat_id: str, limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(OPEN_REPORTS, channel, chat_id, limit)


async def latest_open(
    conn: asyncpg.Connection, channel: str, chat_id: str
) -> asyncpg.Record | None:
    return await conn.fetchrow(LATEST_OPEN, channel, chat_id)
