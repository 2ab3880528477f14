"""SQL for the public copy of complaints' text: writing it, finding complaints without one,
and the moderation log (officers' edits, the 'moderate' timeline events). Callers own the
transaction."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

SET_PUBLIC_COPY = "UPDATE complaint SET public_title = $2, public_body = $3 WHERE id = $1"

# Complaints filed before the public copies existed (sql/010), a batch at a time; several
# processes may fill them at once.
MISSING_PUBLIC_COPIES = """
SELECT id, title, body FROM complaint
WHERE public_body IS NULL
ORDER BY id
LIMIT $1
FOR UPDATE SKIP LOCKED
"""

# Newest first, by event id; $1 agency code (NULL: the whole city), $2 only events before
# this id (NULL: from the newest), $3 how many.
MODERATION_LOG = """
SELECT e.id, e.created_at, e.internal_note AS reason, e.data, c.tracking_code,
       c.agency_code, a.short_name AS agency_name, o.display_name AS officer_name
FROM complaint_event e
JOIN complaint c ON c.id = e.complaint_id
LEFT JOIN agency a ON a.code = c.agency_code
LEFT JOIN officer o ON o.id = e.officer_id
WHERE e.kind = 'moderate'
  AND ($1::text IS NULL OR c.agency_code = $1)
  AND ($2::bigint IS NULL OR e.id < $2)
ORDER BY e.id DESC
LIMIT $3
"""


async def set_public_copy(
    conn: asyncpg.Connection, complaint_id: int, title: str | None, text: str
) -> None:
    await conn.execute(SET_PUBLIC_COPY, complaint_id, title, text)


async def set_public_copies(
    conn: asyncpg.Connection, copies: Iterable[tuple[int, str | None, str]]
) -> None:
    """copies: (complaint id, public title, public text)."""
    await conn.executemany(SET_PUBLIC_COPY, copies)


async def lock_missing_public_copies(conn: asyncpg.Connection, batch: int) -> list[asyncpg.Record]:
    return await conn.fetch(MISSING_PUBLIC_COPIES, batch)


async def moderation_log(
    conn: asyncpg.Connection, agency: str | None, before: int | None, limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(MODERATION_LOG, agency, before, limit)


# A photo of the complaint at a position, locked; then hidden from the public (never deleted).
SELECT_PHOTO_FOR_UPDATE = """
SELECT position, hidden_at, event_id FROM complaint_photo
WHERE complaint_id = $1 AND position = $2
FOR UPDATE
"""

HIDE_PHOTO = "UPDATE complaint_photo SET hidden_at = $3 WHERE complaint_id = $1 AND position = $2"


async def hide_photo(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(HIDE_PHOTO, *args)


async def select_photo_for_update(conn: asyncpg.Connection, *args: object) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_PHOTO_FOR_UPDATE, *args)
