"""SQL for outbox receipts (sql/025): the ids a channel gave the messages it accepted, and what
it reported of them later. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

RECORD = """
INSERT INTO outbox_receipt (provider_id, channel, outbox_id, outbox_created_at, created_at,
                            updated_at)
SELECT unnest($1::text[]), $2, $3, $4, $5, $5
ON CONFLICT (provider_id) DO NOTHING
"""

# The receipt and its message, locked: two webhooks for one id act once.
LOCK = """
SELECT r.*, o.recipient, o.kind, o.payload, o.complaint_id, o.status AS message_status,
       (SELECT bool_or(other.action IS NOT NULL) FROM outbox_receipt other
        WHERE other.outbox_id = r.outbox_id AND other.provider_id <> r.provider_id)
           AS acted_on_message
FROM outbox_receipt r
LEFT JOIN outbox o ON o.id = r.outbox_id AND o.created_at = r.outbox_created_at
WHERE r.provider_id = $1
FOR UPDATE OF r
"""

# A later status never undoes a failure, and "delivered" does not follow "read".
UPDATE = """
UPDATE outbox_receipt SET
    status = CASE
        WHEN status = 'failed' THEN status
        WHEN $2 = 'failed' THEN $2
        WHEN array_position(ARRAY['accepted', 'sent', 'delivered', 'read'], $2)
           > array_position(ARRAY['accepted', 'sent', 'delivered', 'read'], status) THEN $2
        ELSE status END,
    error_code = coalesce($3, error_code),
    error = coalesce($4, error),
    action = coalesce($5, action),
    updated_at = $6
WHERE provider_id = $1
"""

# A message the channel accepted and then failed to deliver: dead (the admin's dead letters) or
# dropped, with the channel's error; its retry time counted from now if it is put back.
PRUNE = "DELETE FROM outbox_receipt WHERE created_at < $1"

MARK_UNDELIVERED = """
UPDATE outbox SET status = $3, next_attempt_at = $4, last_error = $5
WHERE id = $1 AND created_at = $2
"""


async def record(
    conn: asyncpg.Connection,
    provider_ids: Sequence[str],
    channel: str,
    outbox_id: int,
    outbox_created_at: datetime,
    now: datetime,
) -> None:
    await conn.execute(RECORD, list(provider_ids), channel, outbox_id, outbox_created_at, now)


async def lock(conn: asyncpg.Connection, provider_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK, provider_id)


async def update(
    conn: asyncpg.Connection,
    provider_id: str,
    status: str,
    error_code: int | None,
    error: str | None,
    action: str | None,
    now: datetime,
) -> None:
    await conn.execute(UPDATE, provider_id, status, error_code, error, action, now)


async def mark_undelivered(
    conn: asyncpg.Connection, receipt: asyncpg.Record, status: str, now: datetime, error: str
) -> None:
    await conn.execute(
        MARK_UNDELIVERED, receipt["outbox_id"], receipt["outbox_created_at"], status, now, error
    )


async def prune(conn: asyncpg.Connection, before: datetime) -> int:
    status = await conn.execute(PRUNE, before)
    return int(status.split()[-1])
