"""SQL for agencies' reply templates. Callers own the transaction."""

from __future__ import annotations

from datetime import datetime

import asyncpg

COLUMNS = "id, agency_code, status, title, body, created_at, updated_at"

# $1 agency (NULL: every agency), $2 status (NULL: both).
SELECT_TEMPLATES = f"""
SELECT {COLUMNS} FROM reply_template
WHERE ($1::text IS NULL OR agency_code = $1) AND ($2::text IS NULL OR status = $2)
ORDER BY agency_code, status, lower(title), id
"""

SELECT_TEMPLATE = f"SELECT {COLUMNS} FROM reply_template WHERE id = $1"

INSERT_TEMPLATE = f"""
INSERT INTO reply_template (agency_code, status, title, body, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
RETURNING {COLUMNS}
"""

UPDATE_TEMPLATE = f"""
UPDATE reply_template SET status = $2, title = $3, body = $4, updated_at = $5
WHERE id = $1
RETURNING {COLUMNS}
"""

DELETE_TEMPLATE = "DELETE FROM reply_template WHERE id = $1"


async def templates(
    conn: asyncpg.Connection, agency: str | None, status: str | None
) -> list[asyncpg.Record]:
    return await conn.fetch(SELECT_TEMPLATES, agency, status)


async def template(conn: asyncpg.Connection, template_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_TEMPLATE, template_id)


async def insert(
    conn: asyncpg.Connection,
    agency: str,
    status: str,
    title: str,
    body: str,
    officer_id: int,
    now: datetime,
) -> asyncpg.Record:
    return await conn.fetchrow(INSERT_TEMPLATE, agency, status, title, body, officer_id, now)


async def update(
    conn: asyncpg.Connection, template_id: int, status: str, title: str, body: str, now: datetime
) -> asyncpg.Record:
    return await conn.fetchrow(UPDATE_TEMPLATE, template_id, status, title, body, now)


async def delete(conn: asyncpg.Connection, template_id: int) -> None:
    await conn.execute(DELETE_TEMPLATE, template_id)
