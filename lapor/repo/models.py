"""SQL for the registry of trained routing models and the desk's routing corrections."""

from __future__ import annotations

from typing import Any

import asyncpg

INSERT_MODEL = """
INSERT INTO model_version (version, path, metadata, threshold, macro_f1,
       corrections_until, independent_accuracy, independent_precision,
       independent_coverage)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
"""
MODEL_EXISTS = "SELECT EXISTS (SELECT 1 FROM model_version WHERE version = $1)"
ANY_ACTIVE = "SELECT EXISTS (SELECT 1 FROM model_version WHERE active)"
DEACTIVATE_ALL = "UPDATE model_version SET active = false WHERE active"
ACTIVATE = "UPDATE model_version SET active = true WHERE version = $1"
SELECT_MODEL = "SELECT * FROM model_version WHERE version = $1"
SELECT_MODELS = "SELECT * FROM model_version ORDER BY created_at DESC, version DESC"
SELECT_ACTIVE = "SELECT * FROM model_version WHERE active"

# The final word on each complaint: its latest decision that named a category ("bukan
# wewenang" names none; the desk's next verify does). A complaint moved twice teaches once.
SELECT_CORRECTIONS = """
SELECT DISTINCT ON (complaint_id) id, text, final_category
FROM routing_correction
WHERE final_category IS NOT NULL AND id <= $1
ORDER BY complaint_id, id DESC
"""
NEWEST_CORRECTION = "SELECT max(id) FROM routing_correction WHERE final_category IS NOT NULL"


async def insert(conn: asyncpg.Connection, *values: Any) -> None:
    """values: version, path, metadata, threshold, macro_f1, corrections_until, and the
    independent accuracy, precision and coverage."""
    await conn.execute(INSERT_MODEL, *values)


async def exists(conn: asyncpg.Connection, version: str) -> bool:
    return await conn.fetchval(MODEL_EXISTS, version)


async def any_active(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval(ANY_ACTIVE))


async def make_active(conn: asyncpg.Connection, version: str) -> None:
    """The one active version; call inside a transaction."""
    await conn.execute(DEACTIVATE_ALL)
    await conn.execute(ACTIVATE, version)


async def get(conn: asyncpg.Connection, version: str) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_MODEL, version)


async def all_models(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(SELECT_MODELS)


async def active(conn: asyncpg.Connection) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_ACTIVE)


async def newest_correction(conn: asyncpg.Connection) -> int | None:
    return await conn.fetchval(NEWEST_CORRECTION)


async def corrections(conn: asyncpg.Connection, until: int) -> list[asyncpg.Record]:
    return await conn.fetch(SELECT_CORRECTIONS, until)
