"""SQL for the monthly report's places: complaints per kecamatan (the month and the one
before) and the month's located complaints as map points. Rahasia complaints are never
returned as points, only counted.

KECAMATAN's parameters: $1 start of the month before, $2 start of the month, $3 end of the
month (city time), $4 an agency code or NULL for the whole city (the agency a complaint is with
now). POINTS reads the month alone: $1 its start, $2 its end, $3 the agency or NULL.
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

# The month's complaints in one pass: located ones, not rahasia, snapped to a grid of 0.001
# degrees (about 110 m: invisible at a city's scale, and a month of a big city stays a few
# thousand rows) and split by whether they are open now; located rahasia ones and those
# without a location only counted (a rahasia complaint's place never leaves the database).
POINTS = """
SELECT kind, latitude, longitude, open, count(*) AS n
FROM (SELECT CASE WHEN c.latitude IS NULL THEN 'unlocated'
                  WHEN c.rahasia THEN 'rahasia' ELSE 'point' END AS kind,
             CASE WHEN NOT c.rahasia THEN round(c.latitude::numeric, 3)::float8 END AS latitude,
             CASE WHEN NOT c.rahasia THEN round(c.longitude::numeric, 3)::float8 END AS longitude,
             c.status IN ('received', 'assigned', 'in_progress') AS open
      FROM complaint c
      WHERE c.created_at >= $1 AND c.created_at < $2
        AND ($3::text IS NULL OR c.agency_code = $3)) month
GROUP BY kind, latitude, longitude, open
"""


async def kecamatan(
    conn: asyncpg.Connection, start: datetime, middle: datetime, end: datetime, agency: str | None
) -> list[Record]:
    return await conn.fetch(KECAMATAN, start, middle, end, agency)


async def points(
    conn: asyncpg.Connection, start: datetime, end: datetime, agency: str | None
) -> list[Record]:
    return await conn.fetch(POINTS, start, end, agency)
