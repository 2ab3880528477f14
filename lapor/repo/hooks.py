"""SQL for outbound webhooks: the subscribers, their events queued with the change that causes
them, and the log of every delivery attempt. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

ADD = """
INSERT INTO webhook_subscription (name, url, secret, events, created_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (name) DO NOTHING
RETURNING id
"""

LIST = """
SELECT s.id, s.name, s.url, s.events, s.created_at, s.revoked_at,
       (SELECT count(*) FROM webhook_delivery d WHERE d.target = 'subscriber:' || s.id)
           AS attempts
FROM webhook_subscription s ORDER BY s.id
"""

REVOKE = """
UPDATE webhook_subscription SET revoked_at = $2
WHERE name = $1 AND revoked_at IS NULL
RETURNING id
"""

FIND = "SELECT id, name, url, secret, revoked_at FROM webhook_subscription WHERE id = $1"

# One outbox message per live subscriber that wants `event`, in the caller's transaction; the
# event's id is the dedupe key's tail, so a replayed move queues nothing twice.
QUEUE_EVENT = """
WITH s AS (
    SELECT id FROM webhook_subscription
    WHERE revoked_at IS NULL AND $1::text = ANY(events)
), claimed AS (
    INSERT INTO outbox_dedupe (dedupe_key, created_at)
    SELECT 'webhook:' || s.id || ':' || $2::text, $5::timestamptz FROM s
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING dedupe_key
)
INSERT INTO outbox (channel, recipient, kind, payload, dedupe_key, complaint_id,
                    next_attempt_at, created_at)
SELECT 'webhook', s.id::text, $1::text, $3::jsonb, 'webhook:' || s.id || ':' || $2::text,
       $4::bigint, $5::timestamptz, $5::timestamptz
FROM s JOIN claimed ON claimed.dedupe_key = 'webhook:' || s.id || ':' || $2::text
RETURNING id
"""

LOG_ATTEMPT = """
INSERT INTO webhook_delivery (event_id, target, event, url, status_code, error, duration_ms,
                              attempted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
"""

PRUNE_DELIVERIES = "DELETE FROM webhook_delivery WHERE attempted_at < $1"

# The newest attempts first.
DELIVERIES = """
SELECT d.id, d.event_id, d.target, d.event, d.url, d.status_code, d.error, d.duration_ms,
       d.attempted_at
FROM webhook_delivery d
WHERE $2::bigint IS NULL OR d.id < $2::bigint
ORDER BY d.id DESC
LIMIT $1
"""


async def add(
    conn: asyncpg.Connection,
    name: str,
    url: str,
    secret: str,
    events: Sequence[str],
    now: datetime,
) -> int | None:
    """The new subscriber's id; None when the name is taken."""
    return await conn.fetchval(ADD, name, url, secret, list(events), now)


async def subscriptions(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(LIST)


async def revoke(conn: asyncpg.Connection, name: str, now: datetime) -> bool:
    return await conn.fetchval(REVOKE, name, now) is not None


async def find(conn: asyncpg.Connection, subscription_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(FIND, subscription_id)


async def queue_event(
    conn: asyncpg.Connection,
    event: str,
    event_id: str,
    payload: dict[str, Any],
    complaint_id: int | None,
    now: datetime,
) -> int:
    """How many subscribers' messages were queued."""
    return len(await conn.fetch(QUEUE_EVENT, event, event_id, payload, complaint_id, now))


async def log_attempt(conn: asyncpg.Connection, *values: Any) -> None:
    """event id, target, event, url, status code, error, duration in ms, when."""
    await conn.execute(LOG_ATTEMPT, *values)


async def deliveries(
    conn: asyncpg.Connection, limit: int, before: int | None = None
) -> list[asyncpg.Record]:
    return await conn.fetch(DELIVERIES, limit, before)


async def prune_deliveries(conn: asyncpg.Connection, before: datetime) -> int:
    """Forget delivery attempts older than `before`; how many were forgotten."""
    return int((await conn.execute(PRUNE_DELIVERIES, before)).split()[-1])
