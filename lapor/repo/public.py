"""SQL for the public pages: the list and the map of public reports. Every query here reads
only published complaints (never `rahasia`; verified by an officer unless the city publishes
at once), shows only the public copy of their text (`public_title`, `public_body`), and never
joins `reporter`.

Parameters shared by the list, its count and the map: $1 category code, $2 statuses (text[]),
$3 kecamatan (matched without case or surrounding spaces), $4 agency code, NULL meaning "any";
$5 whether the city publishes immediately (`CityConfig.publishes_immediately`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg


def _published(immediately: str) -> str:
    """complaints.is_published in SQL, `immediately` naming the parameter of the city's policy;
    a complaint whose public copy is not written yet waits for it."""
    return (
        "NOT c.rahasia AND c.public_body IS NOT NULL"
        f" AND ({immediately}::boolean OR c.verified_at IS NOT NULL)"
    )


_PUBLIC_AND_FILTERED = f"""
{_published("$5")}
  AND ($1::text IS NULL OR c.category_code = $1)
  AND ($2::text[] IS NULL OR c.status = ANY($2::text[]))
  AND ($3::text IS NULL OR lower(btrim(c.kecamatan)) = lower(btrim($3)))
  AND ($4::text IS NULL OR c.agency_code = $4)
"""

COUNT_REPORTS = f"SELECT count(*) FROM complaint c WHERE {_PUBLIC_AND_FILTERED}"

# Newest first; $6 page size, $7 offset.
LIST_REPORTS = f"""
SELECT c.tracking_code, c.status, c.public_title AS title, left(c.public_body, 280) AS excerpt,
       char_length(c.public_body) > 280 AS cut, c.category_code, cat.name AS category_name,
       c.agency_code, a.short_name AS agency_name, c.kelurahan, c.kecamatan, c.created_at
FROM complaint c
LEFT JOIN category cat ON cat.code = c.category_code
LEFT JOIN agency a ON a.code = c.agency_code
WHERE {_PUBLIC_AND_FILTERED}
ORDER BY c.created_at DESC, c.id DESC
LIMIT $6 OFFSET $7
"""

# The newest located public reports for the map; $6 how many at most.
MAP_POINTS = f"""
SELECT c.tracking_code, c.status, c.latitude, c.longitude, cat.name AS category_name,
       c.kelurahan, c.kecamatan, c.created_at
FROM complaint c
LEFT JOIN category cat ON cat.code = c.category_code
WHERE {_PUBLIC_AND_FILTERED} AND c.latitude IS NOT NULL AND c.longitude IS NOT NULL
ORDER BY c.created_at DESC, c.id DESC
LIMIT $6
"""

# Kecamatan as citizens wrote them, one spelling per name, for the filter's choices; $1 how
# many at most, $2 whether the city publishes immediately.
KECAMATAN_NAMES = f"""
SELECT min(btrim(c.kecamatan)) AS name
FROM complaint c
WHERE {_published("$2")} AND c.kecamatan IS NOT NULL AND btrim(c.kecamatan) <> ''
GROUP BY lower(btrim(c.kecamatan))
ORDER BY 1
LIMIT $1
"""

# Where the maps open: the middle of the latest located public reports; $1 how many, $2 as
# above.
MAP_CENTER = f"""
SELECT avg(latitude) AS lat, avg(longitude) AS lon, count(*) AS n
FROM (SELECT c.latitude, c.longitude FROM complaint c
      WHERE {_published("$2")} AND c.latitude IS NOT NULL AND c.longitude IS NOT NULL
      ORDER BY c.created_at DESC LIMIT $1) recent
"""


async def count_reports(conn: asyncpg.Connection, *filters: Any) -> int:
    """filters: $1-$5 as in the module's docstring."""
    return await conn.fetchval(COUNT_REPORTS, *filters)


async def list_reports(
    conn: asyncpg.Connection, filters: Sequence[Any], page_size: int, offset: int
) -> list[asyncpg.Record]:
    return await conn.fetch(LIST_REPORTS, *filters, page_size, offset)


async def map_points(
    conn: asyncpg.Connection, filters: Sequence[Any], limit: int
) -> list[asyncpg.Record]:
    return await conn.fetch(MAP_POINTS, *filters, limit)


async def kecamatan_names(
    conn: asyncpg.Connection, limit: int, immediately: bool
) -> list[asyncpg.Record]:
    return await conn.fetch(KECAMATAN_NAMES, limit, immediately)


async def map_center(conn: asyncpg.Connection, recent: int, immediately: bool) -> asyncpg.Record:
    """lat, lon and n (how many reports the middle was taken of)."""
    return await conn.fetchrow(MAP_CENTER, recent, immediately)
