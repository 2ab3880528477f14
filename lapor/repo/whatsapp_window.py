"""SQL for WhatsApp's customer-service windows: when each chat last wrote to us."""

from __future__ import annotations

from datetime import datetime

import asyncpg

# A batch of chats at once (one webhook may carry several); a late redelivery never moves a
# window back.
RECORD = """
INSERT INTO whatsapp_window (wa_id, last_inbound_at)
SELECT * FROM unnest($1::text[], $2::timestamptz[])
ON CONFLICT (wa_id) DO UPDATE
SET last_inbound_at = greatest(whatsapp_window.last_inbound_at, excluded.last_inbound_at)
"""

LAST_INBOUND = "SELECT last_inbound_at FROM whatsapp_window WHERE wa_id = $1"

PRUNE = "DELETE FROM whatsapp_window WHERE last_inbound_at < $1"


async def record(conn: asyncpg.Connection, wa_ids: list[str], times: list[datetime]) -> None:
    await conn.execute(RECORD, wa_ids, times)


async def last_inbound(conn: asyncpg.Connection, wa_id: str) -> datetime | None:
    return await conn.fetchval(LAST_INBOUND, wa_id)


async def prune(conn: asyncpg.Connection, before: datetime) -> int:
    status = await conn.execute(PRUNE, before)
    return int(status.split()[-1])
