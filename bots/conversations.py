"""Where the bots keep their conversations and the deliveries already handled (migration 004),
and the scheduled sweeps over them. The engine owns the transactions; these are its SQL."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from bots import strings
from lapor.context import Services
from lapor.outbox import Message, enqueue

log = logging.getLogger(__name__)

DRAFT_LIFETIME = timedelta(hours=24)
DELIVERY_MEMORY = timedelta(days=3)

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
REPORTED_BY = """
SELECT EXISTS (
    SELECT 1 FROM complaint c JOIN reporter r ON r.id = c.reporter_id
    WHERE c.tracking_code = $1 AND r.channel = $2 AND r.chat_id = $3)
"""
KEY_OWNER = """
SELECT c.tracking_code FROM idempotency_key k JOIN complaint c ON c.id = k.complaint_id
WHERE k.key = $1 AND k.created_at > $2
"""


# ------------------------------------------------------------------------- scheduled sweeps


async def tell_expired(
    conn: asyncpg.Connection,
    channel: str,
    chat_id: str,
    language: str,
    draft: Mapping[str, Any],
    now: datetime,
) -> None:
    if draft.get("held"):  # only a greeting or thanks was kept: nothing to tell
        return
    # The same key from the sweep and from the lazy path: the citizen hears it once.
    await enqueue(
        conn,
        Message(
            channel=channel,
            recipient=chat_id,
            kind="bot_reply",
            text=strings.text(language, "expired"),
            dedupe_key=f"expired:{channel}:{chat_id}:{draft['number']}",
        ),
        now,
    )


async def expire_drafts(services: Services, *, batch: int = 500) -> int:
    """Drop drafts untouched for 24 hours and tell each citizen once; returns how many.

    Rows locked by a conversation in progress are skipped: that message's own transaction
    deals with the expiry (see `bots.engine.Engine`)."""
    dropped = 0
    while True:
        now = services.clock.now()
        async with services.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(EXPIRED_DRAFTS, now, batch)
            for row in rows:
                await tell_expired(
                    conn, row["channel"], row["chat_id"], row["language"], row["draft"], now
                )
                await conn.execute(DROP_DRAFT, row["channel"], row["chat_id"], now)
        dropped += len(rows)
        if len(rows) < batch:
            break
    if dropped:
        log.info("bot drafts expired count=%s", dropped)
    return dropped


async def forget_deliveries(services: Services, *, older_than: timedelta = DELIVERY_MEMORY) -> int:
    """Prune the delivery log: channels stop redelivering long before `older_than`, and
    Telegram may reuse update ids after a week of silence."""
    async with services.pool.acquire() as conn:
        result = await conn.execute(FORGET_DELIVERIES, services.clock.now() - older_than)
    return int(result.split()[-1])
