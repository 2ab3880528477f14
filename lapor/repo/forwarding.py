"""SQL for complaints forwarded to external bodies: the forwarding itself, its reply token,
the Open311 request id and what polling last found. Callers own the transaction."""

from __future__ import annotations

from datetime import datetime

import asyncpg

ADD = """
INSERT INTO complaint_forward (complaint_id, external_code, channel, reply_token, created_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id
"""

# A forwarding with what a message to the external body needs of its complaint: the public
# copy of the text (personal data typed into it hidden; the original only for a complaint
# whose copy is not written yet, for lapor.forwarding_send to redact), the place, never the
# reporter.
FIND = """
SELECT f.id, f.complaint_id, f.external_code, f.channel, f.reply_token, f.external_id,
       f.last_status, f.last_update, f.recalled_at, c.tracking_code, c.reporter_id, c.status,
       c.rahasia, c.public_title, c.public_body,
       CASE WHEN c.public_body IS NULL THEN c.title END AS original_title,
       CASE WHEN c.public_body IS NULL THEN c.body END AS original_body,
       c.category_code, c.latitude, c.longitude, c.address, c.kelurahan, c.kecamatan,
       c.created_at AS filed_at
FROM complaint_forward f JOIN complaint c ON c.id = f.complaint_id
"""
BY_ID = FIND + "WHERE f.id = $1"
BY_TOKEN = FIND + "WHERE f.reply_token = $1"
# The latest forwarding of that complaint to that body (a recalled one may precede it).
BY_CODE = (
    FIND
    + """WHERE c.tracking_code = $1 AND f.external_code = $2
ORDER BY f.id DESC LIMIT 1"""
)

# The recall (lifecycle's `recall`): the complaint's live forwarding, marked recalled.
RECALL = """
UPDATE complaint_forward SET recalled_at = $2
WHERE complaint_id = $1 AND recalled_at IS NULL
RETURNING id, external_code, channel, external_id
"""

# An answer's transaction takes the forwarding's row first: a recall at the same moment waits
# for it, or the answer sees the recall.
# Whether the forwarding's own message went out (a recall notice for one that never went is
# not sent).
FORWARD_SENT = "SELECT coalesce(bool_or(status = 'sent'), false) FROM outbox WHERE dedupe_key = $1"

LOCK = "SELECT recalled_at FROM complaint_forward WHERE id = $1 FOR UPDATE"

# Filed: the request is open there, which the first poll need not report.
SET_EXTERNAL_ID = (
    "UPDATE complaint_forward SET external_id = $2, last_status = 'open' WHERE id = $1"
)

ANSWERED = """
UPDATE complaint_forward SET answered_at = $2, last_status = coalesce($3, last_status),
    last_update = coalesce($4, last_update)
WHERE id = $1
"""

# The Open311 forwards due a poll, the longest unpolled first, each as FIND reads it; marked
# polled as they are taken so that two schedulers do not poll one request twice within the
# interval.
DUE_POLLS = f"""
WITH due AS (
    UPDATE complaint_forward SET polled_at = $1
    WHERE id IN (
        SELECT id FROM complaint_forward
        WHERE channel = 'open311' AND external_id IS NOT NULL
          AND last_status IS DISTINCT FROM 'closed' AND recalled_at IS NULL
          AND (polled_at IS NULL OR polled_at <= $2)
        ORDER BY polled_at NULLS FIRST, id
        FOR UPDATE SKIP LOCKED
        LIMIT $3)
    RETURNING id
)
{FIND}WHERE f.id IN (SELECT id FROM due)
ORDER BY f.polled_at NULLS FIRST, f.id
"""


async def add(
    conn: asyncpg.Connection,
    complaint_id: int,
    external_code: str,
    channel: str,
    reply_token: str,
    now: datetime,
) -> int:
    return await conn.fetchval(ADD, complaint_id, external_code, channel, reply_token, now)


async def by_id(conn: asyncpg.Connection, forward_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(BY_ID, forward_id)


async def by_token(conn: asyncpg.Connection, token: str) -> asyncpg.Record | None:
    return await conn.fetchrow(BY_TOKEN, token)


async def by_code(
    conn: asyncpg.Connection, tracking_code: str, external_code: str
) -> asyncpg.Record | None:
    return await conn.fetchrow(BY_CODE, tracking_code, external_code)


async def set_external_id(conn: asyncpg.Connection, forward_id: int, external_id: str) -> None:
    await conn.execute(SET_EXTERNAL_ID, forward_id, external_id)


async def answered(
    conn: asyncpg.Connection,
    forward_id: int,
    now: datetime,
    status: str | None,
    update: str | None,
) -> None:
    await conn.execute(ANSWERED, forward_id, now, status, update)


async def due_polls(
    conn: asyncpg.Connection, now: datetime, polled_before: datetime, limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(DUE_POLLS, now, polled_before, limit)


async def recall(
    conn: asyncpg.Connection, complaint_id: int, now: datetime
) -> asyncpg.Record | None:
    return await conn.fetchrow(RECALL, complaint_id, now)


async def lock(conn: asyncpg.Connection, forward_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK, forward_id)


async def forward_sent(conn: asyncpg.Connection, forward_id: int) -> bool:
    return await conn.fetchval(FORWARD_SENT, f"forward:{forward_id}")
