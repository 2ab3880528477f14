"""SQL for support ("Saya juga mengalami"): the open complaints near a new report that say much
the same, the supporters of a complaint (each a `reporter` row of their own: the contact
lives where every reporter's does, and is erased with it), and the count the queue sorts by.
Callers own the transaction."""

from __future__ import annotations

from datetime import datetime

import asyncpg

# Metres per degree of latitude: the bounding box that narrows the search before the distance.
METRES_PER_DEGREE = 111_320.0

_TEXT = "(coalesce(c.public_title, '') || ' ' || c.public_body)"
# The great-circle distance (haversine) in metres from ($2, $3).
_DISTANCE = """
2 * 6371000 * asin(least(1, sqrt(
    power(sin(radians(c.latitude - $2) / 2), 2)
    + cos(radians($2)) * cos(radians(c.latitude)) * power(sin(radians(c.longitude - $3) / 2), 2)
)))
"""

# Open, published (repo/public.py's rule: never rahasia, verified unless the city publishes
# at once, $8), in the category ($4, NULL: any), within $5 metres (the box $6 degrees of
# latitude, $7 of longitude), at least $9 alike; the most alike first. Only public words
# leave this statement: the public copy, never the original text nor anything of a reporter.
SIMILAR = f"""
SELECT s.tracking_code, s.public_title, s.public_body, s.category_code, s.support_count,
       s.distance_m, s.score
FROM (
    SELECT c.tracking_code, c.public_title, c.public_body, c.category_code, c.support_count,
           {_DISTANCE} AS distance_m, public.similarity({_TEXT}, $1) AS score, c.id
    FROM complaint c
    WHERE c.status IN ('received', 'assigned', 'in_progress')
      AND NOT c.rahasia AND c.public_body IS NOT NULL
      AND ($8::boolean OR c.verified_at IS NOT NULL)
      AND ($4::text IS NULL OR c.category_code = $4)
      AND c.latitude BETWEEN $2 - $6 AND $2 + $6
      AND c.longitude BETWEEN $3 - $7 AND $3 + $7
) s
WHERE s.distance_m <= $5 AND s.score >= $9
ORDER BY s.score DESC, s.distance_m, s.id
LIMIT $10
"""

# The complaint to support, locked: supports of one complaint are counted one at a time.
LOCK_FOR_SUPPORT = """
SELECT c.id, c.tracking_code, c.status, c.rahasia, c.support_count, c.reporter_id,
       r.channel AS reporter_channel, r.chat_id AS reporter_chat_id, r.phone AS reporter_phone,
       r.email AS reporter_email
FROM complaint c LEFT JOIN reporter r ON r.id = c.reporter_id
WHERE c.tracking_code = $1
FOR UPDATE OF c
"""

LOCK_BY_ID = "SELECT id, support_count, rahasia FROM complaint WHERE id = $1 FOR UPDATE"

FIND_BY_KEY = """
SELECT s.complaint_id, s.request_hash, c.tracking_code, c.support_count
FROM complaint_supporter s JOIN complaint c ON c.id = s.complaint_id
WHERE s.idempotency_key = $1 AND s.created_at > $2
"""

FIND_BY_CONTACT = """
SELECT id FROM complaint_supporter WHERE complaint_id = $1 AND contact_key = $2
"""

# The contact's reporter row only when the support will be written: a copy left behind by a
# support that conflicts (a person already supporting it, a key already used) would belong to
# no complaint, and erasure, which goes by complaint, would never reach it. (The callers hold
# the complaint's lock, so this sees every support of it committed before; ON CONFLICT stays
# for a key reused on another complaint at the same moment.)
INSERT_SUPPORTER = """
WITH r AS (
    INSERT INTO reporter (channel, name, phone, email, chat_id, created_at)
    SELECT $2, $3, $4, $5, $6, $10
    WHERE NOT EXISTS (
        SELECT 1 FROM complaint_supporter s
        WHERE (s.complaint_id = $1 AND s.contact_key = $8) OR s.idempotency_key = $9)
    RETURNING id
)
INSERT INTO complaint_supporter (complaint_id, reporter_id, source, contact_key,
                                 idempotency_key, request_hash, created_at)
SELECT $1, r.id, $7, $8, $9, $11, $10 FROM r
ON CONFLICT DO NOTHING
RETURNING id
"""

ADD_SUPPORT = """
UPDATE complaint SET support_count = support_count + $2 WHERE id = $1 RETURNING support_count
"""

# The supporters of a complaint with what reaches them (bot_conversation: their chat's
# language), in the order they came.
SUPPORTERS = """
SELECT s.id, s.reporter_id, s.source, s.created_at, r.channel, r.name, r.phone, r.email,
       r.chat_id, coalesce(b.language, 'id') AS language, s.contact_key
FROM complaint_supporter s
JOIN reporter r ON r.id = s.reporter_id
LEFT JOIN bot_conversation b ON b.channel = r.channel AND b.chat_id = r.chat_id
WHERE s.complaint_id = $1
ORDER BY s.id
"""

REPORTER_OF_COMPLAINT = """
SELECT r.id, r.channel, r.name, r.phone, r.email, r.chat_id
FROM complaint c JOIN reporter r ON r.id = c.reporter_id WHERE c.id = $1
"""

REPORTER = "SELECT id, channel, name, phone, email, chat_id FROM reporter WHERE id = $1"

# Erasure: the supporters' contacts of a complaint, and the keys that named them.
ERASE_SUPPORTERS = """
UPDATE reporter SET name = NULL, phone = NULL, email = NULL, chat_id = NULL
WHERE id IN (SELECT reporter_id FROM complaint_supporter WHERE complaint_id = $1)
"""

FORGET_SUPPORT_KEYS = """
UPDATE complaint_supporter SET contact_key = NULL, idempotency_key = NULL, request_hash = NULL
WHERE complaint_id = $1
"""

FORGET_KEYS_OF_REPORTERS = """
UPDATE complaint_supporter SET contact_key = NULL, idempotency_key = NULL, request_hash = NULL
WHERE reporter_id = ANY($1::bigint[])
"""

SUPPORTED_BY = """
SELECT c.tracking_code, c.status, s.source, s.created_at
FROM complaint_supporter s JOIN complaint c ON c.id = s.complaint_id
WHERE s.reporter_id = ANY($1::bigint[])
ORDER BY s.id
"""


async def similar(conn: asyncpg.Connection, *args: object) -> list[asyncpg.Record]:
    return await conn.fetch(SIMILAR, *args)


async def lock_for_support(conn: asyncpg.Connection, code: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_FOR_SUPPORT, code)


async def lock_by_id(conn: asyncpg.Connection, complaint_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_BY_ID, complaint_id)


async def find_by_key(conn: asyncpg.Connection, key: str, since: datetime) -> asyncpg.Record | None:
    return await conn.fetchrow(FIND_BY_KEY, key, since)


async def find_by_contact(conn: asyncpg.Connection, complaint_id: int, contact_key: str) -> bool:
    return await conn.fetchval(FIND_BY_CONTACT, complaint_id, contact_key) is not None


async def insert_supporter(conn: asyncpg.Connection, *args: object) -> int | None:
    """complaint id, channel, name, phone, email, chat id, source, contact key, idempotency
    key, now, request hash; None when the contact or the key supports it already."""
    return await conn.fetchval(INSERT_SUPPORTER, *args)


async def add_support(conn: asyncpg.Connection, complaint_id: int, added: int) -> int:
    return await conn.fetchval(ADD_SUPPORT, complaint_id, added)


async def supporters(conn: asyncpg.Connection, complaint_id: int) -> list[asyncpg.Record]:
    return await conn.fetch(SUPPORTERS, complaint_id)


async def reporter(conn: asyncpg.Connection, reporter_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(REPORTER, reporter_id)


async def reporter_of_complaint(
    conn: asyncpg.Connection, complaint_id: int
) -> asyncpg.Record | None:
    return await conn.fetchrow(REPORTER_OF_COMPLAINT, complaint_id)


async def erase_supporters(conn: asyncpg.Connection, complaint_id: int) -> None:
    await conn.execute(ERASE_SUPPORTERS, complaint_id)
    await conn.execute(FORGET_SUPPORT_KEYS, complaint_id)


async def forget_keys_of(conn: asyncpg.Connection, reporter_ids: list[int]) -> str:
    return await conn.execute(FORGET_KEYS_OF_REPORTERS, reporter_ids)


async def supported_by(conn: asyncpg.Connection, reporter_ids: list[int]) -> list[asyncpg.Record]:
    return await conn.fetch(SUPPORTED_BY, reporter_ids)
