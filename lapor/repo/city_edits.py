"""SQL for the admin's edits of the city (city_edit) and their audit log (city_edit_log)."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from asyncpg import Record

SELECT_EDITS = """
SELECT kind, code, field, value FROM city_edit WHERE city = $1 ORDER BY kind, code, field
"""

UPSERT_EDIT = """
INSERT INTO city_edit (city, kind, code, field, value, officer_id, edited_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (city, kind, code, field) DO UPDATE SET value = EXCLUDED.value,
    officer_id = EXCLUDED.officer_id, edited_at = EXCLUDED.edited_at
"""

DELETE_EDIT = "DELETE FROM city_edit WHERE city = $1 AND kind = $2 AND code = $3 AND field = $4"

INSERT_LOG = """
INSERT INTO city_edit_log (city, kind, code, field, before, after, officer_id, edited_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
"""

# The newest change's id: what another instance compares to see whether to reload.
SELECT_LATEST = "SELECT max(id) FROM city_edit_log WHERE city = $1"

SELECT_LOG = """
SELECT l.id, l.kind, l.code, l.field, l.before, l.after, l.edited_at,
       o.id AS officer_id, o.display_name AS officer_name
FROM city_edit_log l LEFT JOIN officer o ON o.id = l.officer_id
WHERE l.city = $1 ORDER BY l.id DESC LIMIT $2
"""


async def edits(conn: asyncpg.Connection, city: str) -> list[Record]:
    return await conn.fetch(SELECT_EDITS, city)


async def put(
    conn: asyncpg.Connection,
    city: str,
    kind: str,
    code: str,
    field: str,
    value: object,
    officer_id: int | None,
    now: datetime,
) -> None:
    await conn.execute(UPSERT_EDIT, city, kind, code, field, value, officer_id, now)


async def remove(conn: asyncpg.Connection, city: str, kind: str, code: str, field: str) -> None:
    await conn.execute(DELETE_EDIT, city, kind, code, field)


async def log(
    conn: asyncpg.Connection,
    city: str,
    kind: str,
    code: str,
    field: str,
    before: object,
    after: object,
    officer_id: int | None,
    now: datetime,
) -> None:
    await conn.execute(INSERT_LOG, city, kind, code, field, before, after, officer_id, now)


async def latest(conn: asyncpg.Connection, city: str) -> int | None:
    return await conn.fetchval(SELECT_LATEST, city)


async def audit_log(conn: asyncpg.Connection, city: str, limit: int) -> list[Record]:
    return await conn.fetch(SELECT_LOG, city, limit)
