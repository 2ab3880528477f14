"""SQL for the outbox: queueing messages (with a NOTIFY for the dispatchers), claiming what is
due, and recording how sending went. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

# A message whose dedupe key is new: the key is claimed in outbox_dedupe (sql/015) in the same
# statement, so a replay finds it taken, in whichever month's partition the first copy lies; a
# concurrent replay waits on the key's index and then queues nothing.
INSERT_MESSAGE = """
WITH claimed AS (
    INSERT INTO outbox_dedupe (dedupe_key, created_at)
    SELECT $5::text, $7::timestamptz WHERE $5::text IS NOT NULL
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING dedupe_key
)
INSERT INTO outbox (channel, recipient, kind, payload, dedupe_key, complaint_id,
                    next_attempt_at, created_at)
SELECT $1, $2, $3, $4, $5, $6, $7, $7
WHERE $5::text IS NULL OR EXISTS (SELECT 1 FROM claimed)
RETURNING id
"""

# A sweep's batch in one statement: one array per column. A key twice in the batch is queued
# once (its first message), as it would be across two statements.
INSERT_MESSAGES = """
WITH m AS (
    SELECT u.*, row_number() OVER (PARTITION BY u.dedupe_key ORDER BY u.n) AS copy
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                $6::bigint[]) WITH ORDINALITY
        AS u(channel, recipient, kind, payload, dedupe_key, complaint_id, n)
), claimed AS (
    INSERT INTO outbox_dedupe (dedupe_key, created_at)
    SELECT m.dedupe_key, $7::timestamptz FROM m
    WHERE m.dedupe_key IS NOT NULL AND m.copy = 1
    ORDER BY m.dedupe_key  -- one order for every sweep: no deadlock between two batches
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING dedupe_key
)
INSERT INTO outbox (channel, recipient, kind, payload, dedupe_key, complaint_id,
                    next_attempt_at, created_at)
SELECT m.channel, m.recipient, m.kind, m.payload::jsonb, m.dedupe_key, m.complaint_id, $7, $7
FROM m LEFT JOIN claimed ON claimed.dedupe_key = m.dedupe_key
WHERE m.dedupe_key IS NULL OR (m.copy = 1 AND claimed.dedupe_key IS NOT NULL)
ORDER BY m.n
RETURNING id
"""

# Delivered at commit: a dispatcher listening on the channel wakes up.
NOTIFY = "SELECT pg_notify($1, $2)"

# Due messages for the channels this process can send, reserved for a short lease ($2, bounded
# by the send timeout): another dispatcher skips them meanwhile, and takes them again if this
# one dies. Only the oldest pending message of a chat is claimable, so replies to one chat go
# out in order and one at a time, whatever waits or fails before them. Rows are found by id and
# created_at together, here and in the updates below: on a monthly partitioned outbox
# (lapor/partitions.py) created_at names the one partition to look in.
CLAIM = """
UPDATE outbox SET next_attempt_at = $2
WHERE (id, created_at) IN (
    SELECT o.id, o.created_at FROM outbox o
    WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND o.channel = ANY($4::text[])
      AND NOT EXISTS (
          SELECT 1 FROM outbox older
          WHERE older.status = 'pending' AND older.channel = o.channel
            AND older.recipient = o.recipient AND older.id < o.id)
    ORDER BY o.next_attempt_at, o.id
    FOR UPDATE SKIP LOCKED
    LIMIT $3)
RETURNING id, created_at, channel, recipient, kind, payload, attempts,
          coalesce(retried_at, created_at) AS retrying_since
"""

MARK_SENT = """
UPDATE outbox SET status = 'sent', sent_at = $3, last_error = NULL, attempts = attempts + 1
WHERE id = $1 AND created_at = $2
"""

# A try that failed: it counts, and the message waits (or is dead) with its error kept.
MARK_FAILED = """
UPDATE outbox SET status = $3, next_attempt_at = $4, last_error = $5, attempts = attempts + 1
WHERE id = $1 AND created_at = $2
"""

# Back to the queue without counting a try: the channel asked us to wait (429), or the
# message was claimed but not sent (its channel paused meanwhile, its chat at its limit).
RELEASE = """
UPDATE outbox SET next_attempt_at = $3, last_error = coalesce($4, last_error)
WHERE id = $1 AND created_at = $2 AND status = 'pending'
"""

# Partial progress of a message sent in parts (the parts already delivered are not resent).
MERGE_PAYLOAD = """
UPDATE outbox SET payload = payload || $3::jsonb WHERE id = $1 AND created_at = $2
"""

DEAD_LETTERS = """
SELECT o.id, o.channel, o.kind, o.attempts, o.last_error, o.created_at, o.next_attempt_at
       AS died_at, c.tracking_code
FROM outbox o LEFT JOIN complaint c ON c.id = o.complaint_id
WHERE o.status = 'dead' AND ($1::bigint IS NULL OR o.id < $1)
ORDER BY o.id DESC
LIMIT $2
"""

COUNT_DEAD = "SELECT count(*) FROM outbox WHERE status = 'dead'"

# The admin puts a dead message back: due now, its retry time counted afresh from now.
RETRY_DEAD = """
UPDATE outbox SET status = 'pending', next_attempt_at = $2, retried_at = $2
WHERE id = $1 AND status = 'dead'
RETURNING channel
"""


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


# `message`: a row `claim` returned (its id and created_at).


async def mark_sent(conn: asyncpg.Connection, message: asyncpg.Record, now: datetime) -> None:
    await conn.execute(MARK_SENT, message["id"], message["created_at"], now)


async def mark_failed(
    conn: asyncpg.Connection,
    message: asyncpg.Record,
    status: str,
    retry_at: datetime,
    detail: str,
) -> None:
    await conn.execute(MARK_FAILED, message["id"], message["created_at"], status, retry_at, detail)


async def release(
    conn: asyncpg.Connection,
    message: asyncpg.Record,
    retry_at: datetime,
    detail: str | None = None,
) -> None:
    await conn.execute(RELEASE, message["id"], message["created_at"], retry_at, detail)


async def merge_payload(
    conn: asyncpg.Connection, message: asyncpg.Record, extra: dict[str, Any]
) -> None:
    await conn.execute(MERGE_PAYLOAD, message["id"], message["created_at"], extra)


async def dead_letters(
    conn: asyncpg.Connection, before: int | None, limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(DEAD_LETTERS, before, limit)


async def count_dead(conn: asyncpg.Connection) -> int:
    return await conn.fetchval(COUNT_DEAD)


async def retry_dead(conn: asyncpg.Connection, message_id: int, now: datetime) -> str | None:
    """The message's channel when it was dead and is pending again; None otherwise."""
    return await conn.fetchval(RETRY_DEAD, message_id, now)


# -- metrics (lapor/metrics.py): the outbox per channel, read at each scrape of /metrics --
# Only pending and dead rows are read (each status has its partial index); sent ones never.
DEPTH_BY_CHANNEL = """
SELECT channel,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       count(*) FILTER (WHERE status = 'dead') AS dead,
       min(coalesce(retried_at, created_at)) FILTER (WHERE status = 'pending') AS oldest
FROM outbox
WHERE status IN ('pending', 'dead')
GROUP BY channel
ORDER BY channel
"""


async def depth_by_channel(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """channel, pending, dead, oldest (the oldest pending message's time, or None)."""
    return await conn.fetch(DEPTH_BY_CHANNEL)
