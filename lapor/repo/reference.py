"""SQL for the reference tables the city configuration fills: agencies and categories."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

UPSERT_AGENCY = """
INSERT INTO agency (code, name, short_name, parent_code, kind, active)
VALUES ($1, $2, $3, $4, $5, true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
    short_name = EXCLUDED.short_name, parent_code = EXCLUDED.parent_code,
    kind = EXCLUDED.kind, active = true
"""

RETIRE_AGENCIES = "UPDATE agency SET active = false WHERE NOT (code = ANY($1::text[]))"

UPSERT_CATEGORY = """
INSERT INTO category (code, name, agency_code, resolution, desk, active)
VALUES ($1, $2, $3, $4, $5, true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
    agency_code = EXCLUDED.agency_code, resolution = EXCLUDED.resolution,
    desk = EXCLUDED.desk, active = true
"""

RETIRE_CATEGORIES = "UPDATE category SET active = false WHERE NOT (code = ANY($1::text[]))"


async def upsert_agencies(conn: asyncpg.Connection, rows: Iterable[tuple]) -> None:
    """rows: (code, name, short_name, parent_code, kind); each becomes active."""
    await conn.executemany(UPSERT_AGENCY, rows)


async def retire_agencies_except(conn: asyncpg.Connection, codes: list[str]) -> None:
    await conn.execute(RETIRE_AGENCIES, codes)


async def upsert_categories(conn: asyncpg.Connection, rows: Iterable[tuple]) -> None:
    """rows: (code, name, agency_code, resolution, desk); each becomes active."""
    await conn.executemany(UPSERT_CATEGORY, rows)


async def retire_categories_except(conn: asyncpg.Connection, codes: list[str]) -> None:
    await conn.execute(RETIRE_CATEGORIES, codes)
