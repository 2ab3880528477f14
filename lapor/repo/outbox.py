"""SQL for the outbox: queueing messages (with a NOTIFY for the dispatchers), claiming what is
due, and recording how sending went. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

INSERT_MESSAGE = """
INSERT INTO outbox (channel, recipient, kind, payload, dedupe_key, complaint_id,
                    next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id
"""

# A sweep's batch in one statement: one array per column.
INSERT_MESSAGES = """
INSERT INTO outbox (channel, recipient, kind, payload, dedupe_key, complaint_id,
                    next_attempt_at, created_at)
SELECT m.channel, m.recipient, m.kind, m.payload::jsonb, m.dedupe_key,
       m.complaint_id, $7, $7
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
            $6::bigint[]) AS m(channel, recipient, kind, payload, dedupe_key,
                               complaint_id)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id
"""

# Delivered at commit: a dispatcher listening on the channel wakes up.
NOTIFY = "SELECT pg_notify($1, $2)"

# Due messages for the channels this process can send, reserved for a lease ($2): another
# dispatcher skips them meanwhile, and takes them again if this one dies.
CLAIM = """
UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2
WHERE id IN (
    SELECT id FROM outbox
    WHERE status = 'pending' AND next_attempt_at <= $1 AND channel = ANY($4::text[])
    ORDER BY next_attempt_at, id
    FOR UPDATE SKIP LOCKED
    LIMIT $3)
RETURNING id, channel, recipient, kind, payload, attempts
"""

MARK_SENT = "UPDATE outbox SET status = 'sent', sent_at = $2, last_error = NULL WHERE id = $1"

MARK_FAILED = "UPDATE outbox SET status = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1"


async def insert(
    conn: asyncpg.Connection,
    channel: str,
    recipient: str,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str | None,
    complaint_id: int | None,
    now: datetime,
) -> int | None:
    """The new message's id; None when its dedupe key was queued before."""
    return await conn.fetchval(
        INSERT_MESSAGE, channel, recipient, kind, payload, dedupe_key, complaint_id, now
    )


async def insert_many(
    conn: asyncpg.Connection, columns: Sequence[list[Any]], now: datetime
) -> list[asyncpg.Record]:
    """columns: channels, recipients, kinds, payloads (JSON text), dedupe keys, complaint ids;
    returns the ids of the messages that were new."""
    return await conn.fetch(INSERT_MESSAGES, *columns, now)


async def notify(conn: asyncpg.Connection, pg_channel: str, payload: str) -> None:
    await conn.execute(NOTIFY, pg_channel, payload)


async def claim(
    conn: asyncpg.Connection, now: datetime, lease_until: datetime, batch: int, channels: list[str]
) -> list[asyncpg.Record]:
    return await conn.fetch(CLAIM, now, lease_until, batch, channels)


async def mark_sent(conn: asyncpg.Connection, message_id: int, now: datetime) -> None:
    await conn.execute(MARK_SENT, message_id, now)


async def mark_failed(
    conn: asyncpg.Connection, message_id: int, status: str, retry_at: datetime, detail: str
) -> None:
    await conn.execute(MARK_FAILED, message_id, status, retry_at, detail)
