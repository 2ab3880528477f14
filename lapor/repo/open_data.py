"""SQL for open data (lapor/open_data.py): the public complaints row by row through a
server-side cursor, and the monthly report's stored files. The export reads what the public
list reads (repo/public.py's rule and filters): never a rahasia complaint, the public copy of
the text only, and never the `reporter` table."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from lapor.repo.public import _PUBLIC_AND_FILTERED

# $1-$5 the public list's filters and the city's policy (repo/public.py); $6 filed before
# (NULL: any time). In id order, which the primary key's index gives without a sort.
EXPORT = f"""
SELECT c.tracking_code, c.status, c.category_code, cat.name AS category_name, c.agency_code,
       a.name AS agency_name, c.kelurahan, c.kecamatan, c.public_title, c.public_body,
       c.created_at, c.updated_at, c.resolved_at, c.closed_at, c.latitude, c.longitude
FROM complaint c
LEFT JOIN category cat ON cat.code = c.category_code
LEFT JOIN agency a ON a.code = c.agency_code
WHERE {_PUBLIC_AND_FILTERED}
  AND ($6::timestamptz IS NULL OR c.created_at < $6)
ORDER BY c.id
"""

MONTH_FILES = "SELECT agency_code, files FROM report WHERE month = $1"


async def public_rows(
    conn: asyncpg.Connection, filters: Sequence[Any], before: datetime | None, chunk: int
) -> AsyncIterator[list[asyncpg.Record]]:
    """The public complaints, `chunk` rows at a time, never the whole table in memory. Inside
    the caller's transaction: a server-side cursor lives in one."""
    cursor = await conn.cursor(EXPORT, *filters, before)
    while rows := await cursor.fetch(chunk):
        yield rows


async def month_files(conn: asyncpg.Connection, month: date) -> list[asyncpg.Record]:
    """agency_code (None: the city) and the file names of each stored report of `month`."""
    return await conn.fetch(MONTH_FILES, month)
