"""Where the bots keep their conversations and the deliveries already handled (migration 004),
and the scheduled sweeps over them. The engine owns the transactions; the SQL is in
lapor/repo/conversations.py."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from apscheduler.triggers.interval import IntervalTrigger

from bots import strings
from lapor.context import Services
from lapor.outbox import Message, enqueue
from lapor.repo import conversations as repo
from lapor.scheduler import ScheduledJob

log = logging.getLogger(__name__)

DRAFT_LIFETIME = timedelta(hours=24)
DELIVERY_MEMORY = timedelta(days=3)

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
            rows = await repo.lock_expired_drafts(conn, now, batch)
            for row in rows:
                await tell_expired(
                    conn, row["channel"], row["chat_id"], row["language"], row["draft"], now
                )
                await repo.drop_draft(conn, row["channel"], row["chat_id"], now)
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
        return await repo.forget_deliveries(conn, services.clock.now() - older_than)


def jobs() -> tuple[ScheduledJob, ...]:
    """The chat drafts' scheduled jobs (lapor.assembly adds them to every instance's)."""
    return (
        ScheduledJob(
            "bots.expire_drafts",
            expire_drafts,
            IntervalTrigger(minutes=10, timezone=UTC),
            "drop chat drafts untouched for 24 hours, telling the citizen once",
        ),
        ScheduledJob(
            "bots.forget_deliveries",
            forget_deliveries,
            IntervalTrigger(hours=24, timezone=UTC),
            "prune the record of chat deliveries older than three days",
        ),
    )
