"""SQL for the shared rate limits: one row per rule, subject and fixed window."""

from __future__ import annotations

from datetime import datetime

import asyncpg

HIT = """
INSERT INTO rate_limit (key, window_start, window_end, hits) VALUES ($1, $2, $3, 1)
ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit.hits + 1
RETURNING hits
"""

# HIT as the first step of a larger statement (intake's INSERT_FILED in repo/complaints.py),
# named h; its parameters' numbers are given. Nothing is counted when the key is NULL.
HIT_STEP = """h AS (
    INSERT INTO rate_limit (key, window_start, window_end, hits)
    SELECT ${key}::text, ${start}::timestamptz, ${end}::timestamptz, 1
    WHERE ${key}::text IS NOT NULL
    ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit.hits + 1
    RETURNING hits
)"""

PEEK = "SELECT hits FROM rate_limit WHERE key = $1 AND window_start = $2"

PRUNE = "DELETE FROM rate_limit WHERE window_end <= $1"


async def hit(conn: asyncpg.Connection, key: str, start: datetime, end: datetime) -> int:
    """Count one hit in the window; returns the window's hits so far, this one included."""
    return await conn.fetchval(HIT, key, start, end)


async def peek(conn: asyncpg.Connection, key: str, start: datetime) -> int | None:
    return await conn.fetchval(PEEK, key, start)


async def prune(conn: asyncpg.Connection, now: datetime) -> int:
    """Deletes the windows ended by `now`; returns how many."""
    return int((await conn.execute(PRUNE, now)).split()[-1])
