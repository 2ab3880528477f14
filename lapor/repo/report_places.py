"""SQL for the monthly report's places: complaints per kecamatan (the month and the one
before) and the month's located complaints as map points. Rahasia complaints are never
returned as points, only counted.

KECAMATAN's parameters: $1 start of the month before, $2 start of the month, $3 end of the
month (city time), $4 an agency code or NULL for the whole city (the agency a complaint is with
now). POINTS and UNDRAWN read the month alone: $1 its start, $2 its end, $3 the agency or NULL.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg
from asyncpg import Record

# Kecamatan as typed or filled from the city's polygons, matched without case or surrounding
# spaces; the most frequent category of the month (ties: the first code).
KECAMATAN = """
SELECT lower(btrim(c.kecamatan)) AS key, min(btrim(c.kecamatan)) AS name,
       count(*) FILTER (WHERE c.created_at >= $2) AS received,
       count(*) FILTER (WHERE c.created_at < $2) AS previous,
       mode() WITHIN GROUP (ORDER BY c.category_code) FILTER (WHERE c.created_at >= $2)
           AS top_category
FROM complaint c
WHERE c.created_at >= $1 AND c.created_at < $3 AND ($4::text IS NULL OR c.agency_code = $4)
GROUP BY lower(btrim(c.kecamatan))
"""

# The month's located complaints, not rahasia, snapped to a grid of 0.001 degrees (about
# 110 m: invisible at a city's scale, and a month of a big city stays a few thousand rows),
# split by whether they are open now.
POINTS = """
SELECT round(c.latitude::numeric, 3)::float8 AS latitude,
       round(c.longitude::numeric, 3)::float8 AS longitude,
       c.status IN ('received', 'assigned', 'in_progress') AS open, count(*) AS n
FROM complaint c
WHERE c.created_at >= $1 AND c.created_at < $2 AND ($3::text IS NULL OR c.agency_code = $3)
  AND NOT c.rahasia AND c.latitude IS NOT NULL
GROUP BY 1, 2, 3
"""

# What the map leaves out: located rahasia complaints, and those without a location.
UNDRAWN = """
SELECT count(*) FILTER (WHERE c.rahasia AND c.latitude IS NOT NULL) AS rahasia,
       count(*) FILTER (WHERE c.latitude IS NULL) AS unlocated
FROM complaint c
WHERE c.created_at >= $1 AND c.created_at < $2 AND ($3::text IS NULL OR c.agency_code = $3)
"""


async def kecamatan(
    conn: asyncpg.Connection, start: datetime, middle: datetime, end: datetime, agency: str | None
) -> list[Record]:
    return await conn.fetch(KECAMATAN, start, middle, end, agency)


async def points(
    conn: asyncpg.Connection, start: datetime, end: datetime, agency: str | None
) -> list[Record]:
    return await conn.fetch(POINTS, start, end, agency)


async def undrawn(
    conn: asyncpg.Connection, start: datetime, end: datetime, agency: str | None
) -> Record:
    return await conn.fetchrow(UNDRAWN, start, end, agency)
