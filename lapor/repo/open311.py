"""SQL for Open311 (lapor/open311/): the partners' api keys, requests as GeoReport shows them,
and the public timeline as FixMyStreet's updates feed. Callers own the transaction.

Requests and updates read what the public pages read and nothing more: never a rahasia
complaint, the public copy of the text only, never the reporter (no join to `reporter`); the
list and the feed only published complaints (repo/public.py's rule), a request asked for by its
id also before publication (its status then, as the status page shows it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from lapor.repo.public import _published

Record = asyncpg.Record

INSERT_CLIENT = """
INSERT INTO open311_client (name, key_sha256, created_at) VALUES ($1, $2, $3)
ON CONFLICT (name) DO NOTHING
RETURNING id
"""

SELECT_LIVE_CLIENT = """
SELECT id, name FROM open311_client WHERE key_sha256 = $1 AND revoked_at IS NULL
"""

REVOKE_CLIENT = """
UPDATE open311_client SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL
"""

LIST_CLIENTS = "SELECT name, created_at, revoked_at FROM open311_client ORDER BY name"

# What a request shows of a complaint `c`; $1 the timeline's public event kinds (its notes).
_REQUEST = """
SELECT c.tracking_code, c.status, c.rahasia, c.verified_at, c.category_code,
       cat.name AS category_name, c.agency_code, a.name AS agency_name, c.created_at,
       c.updated_at, c.resolve_due_at, c.public_body, c.address, c.kelurahan, c.kecamatan,
       c.latitude, c.longitude,
       (SELECT p.position FROM complaint_photo p
        WHERE p.complaint_id = c.id AND p.hidden_at IS NULL
        ORDER BY p.position LIMIT 1) AS photo_position,
       (SELECT e.public_note FROM complaint_event e
        WHERE e.complaint_id = c.id AND e.public_note IS NOT NULL AND e.kind = ANY($1::text[])
        ORDER BY e.id DESC LIMIT 1) AS status_notes
FROM complaint c
LEFT JOIN category cat ON cat.code = c.category_code
LEFT JOIN agency a ON a.code = c.agency_code
"""

# By tracking code ($2), published or not; never a rahasia one.
REQUESTS_BY_CODE = (
    _REQUEST
    + """
WHERE c.tracking_code = ANY($2::text[]) AND NOT c.rahasia
ORDER BY c.created_at DESC, c.id DESC
"""
)

# Published requests filed within [$3, $4]: $2 whether the city publishes at once, $5 category
# codes, $6 statuses (NULL: any), newest first, at most $7.
SEARCH_REQUESTS = (
    _REQUEST
    + f"""
WHERE {_published("$2")}
  AND c.created_at >= $3 AND c.created_at <= $4
  AND ($5::text[] IS NULL OR c.category_code = ANY($5::text[]))
  AND ($6::text[] IS NULL OR c.status = ANY($6::text[]))
ORDER BY c.created_at DESC, c.id DESC
LIMIT $7
"""
)

# The public timeline of published complaints within [$2, $3], oldest first, at most $5: $1
# whether the city publishes at once, $4 the public event kinds. An event that moved no status
# (a response, a transfer) carries the status its complaint was in; a proof photo the event
# attached is its media.
UPDATES = f"""
SELECT e.id, c.tracking_code, e.kind, e.public_note, e.created_at,
       coalesce(e.to_status,
                (SELECT earlier.to_status FROM complaint_event earlier
                 WHERE earlier.complaint_id = e.complaint_id AND earlier.id < e.id
                   AND earlier.to_status IS NOT NULL
                 ORDER BY earlier.id DESC LIMIT 1),
                c.status) AS status,
       (SELECT p.position FROM complaint_photo p
        WHERE p.event_id = e.id AND p.hidden_at IS NULL
        ORDER BY p.position LIMIT 1) AS photo_position
FROM complaint_event e
JOIN complaint c ON c.id = e.complaint_id
WHERE e.created_at >= $2 AND e.created_at <= $3 AND e.kind = ANY($4::text[])
  AND {_published("$1")}
ORDER BY e.created_at, e.id
LIMIT $5
"""


async def insert_client(
    conn: asyncpg.Connection, name: str, key_sha256: str, now: datetime
) -> int | None:
    """The new client's id; None when the name is taken."""
    return await conn.fetchval(INSERT_CLIENT, name, key_sha256, now)


async def live_client(conn: asyncpg.Connection, key_sha256: str) -> Record | None:
    return await conn.fetchrow(SELECT_LIVE_CLIENT, key_sha256)


async def revoke_client(conn: asyncpg.Connection, name: str, now: datetime) -> bool:
    return await conn.execute(REVOKE_CLIENT, name, now) != "UPDATE 0"


async def clients(conn: asyncpg.Connection) -> list[Record]:
    return await conn.fetch(LIST_CLIENTS)


async def requests_by_code(
    conn: asyncpg.Connection, kinds: Sequence[str], codes: Sequence[str]
) -> list[Record]:
    return await conn.fetch(REQUESTS_BY_CODE, list(kinds), list(codes))


async def search_requests(
    conn: asyncpg.Connection,
    kinds: Sequence[str],
    immediately: bool,
    start: datetime,
    end: datetime,
    categories: Sequence[str] | None,
    statuses: Sequence[str] | None,
    limit: int,
) -> list[Record]:
    return await conn.fetch(
        SEARCH_REQUESTS,
        list(kinds),
        immediately,
        start,
        end,
        None if categories is None else list(categories),
        None if statuses is None else list(statuses),
        limit,
    )


async def updates(
    conn: asyncpg.Connection,
    immediately: bool,
    start: datetime,
    end: datetime,
    kinds: Sequence[str],
    limit: int,
) -> list[Record]:
    return await conn.fetch(UPDATES, immediately, start, end, list(kinds), limit)
