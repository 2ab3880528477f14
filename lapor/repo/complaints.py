"""SQL for complaints, their photos and their timeline. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import asyncpg

from lapor import i18n
from lapor.errors import NotFound

if TYPE_CHECKING:
    from lapor.photos import Photo

Record = asyncpg.Record

INSERT_REPORTER = """
INSERT INTO reporter (channel, name, phone, email, chat_id)
VALUES ($1, $2, $3, $4, $5)
RETURNING id
"""

INSERT_COMPLAINT = """
INSERT INTO complaint (
    tracking_code, title, body, category_code, category_hint, agency_code, status,
    rahasia, anonim, latitude, longitude, address, kelurahan, kecamatan, channel, reporter_id,
    predicted_category, confidence, model_version, auto_routed, suggestions,
    created_at, updated_at, assigned_at, routing_terms, non_complaint, public_title, public_body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
        $17, $18, $19, $20, $21, $22, $22, $23, $24, $25, $26, $27)
ON CONFLICT (tracking_code) DO NOTHING
RETURNING id
"""

INSERT_PHOTO = """
INSERT INTO complaint_photo (complaint_id, position, sha256, media_type, size_bytes)
VALUES ($1, $2, $3, $4, $5)
"""

INSERT_EVENT = """
INSERT INTO complaint_event (
    complaint_id, kind, from_status, to_status, from_agency, to_agency,
    actor_kind, officer_id, public_note, internal_note, data, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
RETURNING id
"""

SELECT_COMPLAINT = """
SELECT c.*, cat.name AS category_name, a.name AS agency_name, a.short_name AS agency_short_name,
       original.tracking_code AS duplicate_of_code,
       original.rahasia AS duplicate_of_rahasia, original.agency_code AS duplicate_of_agency,
       owner.display_name AS assignee_name
FROM complaint c
LEFT JOIN category cat ON cat.code = c.category_code
LEFT JOIN agency a ON a.code = c.agency_code
LEFT JOIN complaint original ON original.id = c.duplicate_of
LEFT JOIN officer owner ON owner.id = c.assignee_id
WHERE c.tracking_code = $1
"""

LOCK_COMPLAINT = "SELECT * FROM complaint WHERE tracking_code = $1 FOR UPDATE"

INSERT_CORRECTION = """
INSERT INTO routing_correction (
    complaint_id, action, text, predicted_category, final_category, officer_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
"""

# hidden_at: hidden from the public by moderation (lapor/moderation.py), shown to officers.
# by_reporter: sent by the reporter after filing with their note; never public.
SELECT_PHOTOS = """
SELECT position, sha256, media_type, size_bytes, event_id, hidden_at, by_reporter
FROM complaint_photo
WHERE complaint_id = $1 ORDER BY position
"""

# A photo the reporter sent with a note after filing: the next free position up to 50.
INSERT_REPORTER_PHOTO = """
INSERT INTO complaint_photo (
    complaint_id, position, sha256, media_type, size_bytes, event_id, by_reporter)
SELECT $1, greatest(5, coalesce(max(position), 0)) + 1, $2, $3, $4, $5, true
FROM complaint_photo WHERE complaint_id = $1
HAVING greatest(5, coalesce(max(position), 0)) < 50
RETURNING position
"""

# Proof photos follow the reporter's (positions 1-5) and any earlier proof.
INSERT_PROOF_PHOTO = """
INSERT INTO complaint_photo (complaint_id, position, sha256, media_type, size_bytes, event_id)
SELECT $1, greatest(5, coalesce(max(position), 0)) + 1, $2, $3, $4, $5
FROM complaint_photo WHERE complaint_id = $1
"""

# The original a duplicate is merged into, and whether it was itself merged into another.
SELECT_ORIGINAL = """
SELECT c.id, c.tracking_code, c.rahasia, c.agency_code, further.tracking_code AS merged_into
FROM complaint c LEFT JOIN complaint further ON further.id = c.duplicate_of
WHERE c.tracking_code = $1
"""

SET_DUPLICATE_OF = "UPDATE complaint SET duplicate_of = $2 WHERE id = $1"

SELECT_TIMELINE = """
SELECT e.id, e.kind, e.from_status, e.to_status, e.from_agency, e.to_agency, e.actor_kind,
       e.officer_id, o.display_name AS officer_name, e.public_note, e.internal_note, e.data,
       e.created_at, fa.name AS from_agency_name, ta.name AS to_agency_name
FROM complaint_event e
LEFT JOIN officer o ON o.id = e.officer_id
LEFT JOIN agency fa ON fa.code = e.from_agency
LEFT JOIN agency ta ON ta.code = e.to_agency
WHERE e.complaint_id = $1
ORDER BY e.created_at, e.id
"""

# An officer was shown the reporter's name, phone or e-mail: one row per officer and complaint
# within an hour (the caller holds the advisory lock that makes it one).
LOCK_IDENTITY_VIEW = """
SELECT pg_advisory_xact_lock(hashtext('lapor.identity_view:' || $1::bigint || ':' || $2::bigint))
"""

INSERT_IDENTITY_VIEW = """
INSERT INTO identity_view (complaint_id, officer_id, fields, viewed_at)
SELECT $1, $2, $3, $4::timestamptz
WHERE NOT EXISTS (
    SELECT 1 FROM identity_view
    WHERE complaint_id = $1 AND officer_id = $2 AND viewed_at > $4::timestamptz - interval '1 hour')
"""

SELECT_IDENTITY_VIEWS = """
SELECT o.display_name AS officer_name, o.username, v.fields, v.viewed_at
FROM identity_view v JOIN officer o ON o.id = v.officer_id
WHERE v.complaint_id = $1
ORDER BY v.viewed_at, v.id
"""

SELECT_AGENCY = "SELECT agency_code FROM complaint WHERE tracking_code = $1"

# What the verification desk shows beside the queue: the text and the model's suggestions.
SELECT_FOR_DESK = """
SELECT tracking_code, body, category_hint, predicted_category, confidence, suggestions,
       non_complaint
FROM complaint WHERE tracking_code = ANY($1::text[])
"""

# The agencies that answered "bukan wewenang" (not_ours) for each complaint.
SELECT_REFUSED_AGENCIES = """
SELECT c.tracking_code, array_agg(DISTINCT e.from_agency) AS agencies
FROM complaint c JOIN complaint_event e ON e.complaint_id = c.id
WHERE c.tracking_code = ANY($1::text[]) AND e.kind = 'not_ours' AND e.from_agency IS NOT NULL
GROUP BY c.tracking_code
"""

# How to reach the reporter, and the language their chat chose (Indonesian by default).
SELECT_REPORTER_CONTACT = """
SELECT r.channel, r.chat_id, r.phone, r.email, coalesce(b.language, 'id') AS language
FROM reporter r
LEFT JOIN bot_conversation b ON b.channel = r.channel AND b.chat_id = r.chat_id
WHERE r.id = $1
"""

SELECT_REPORTER = "SELECT id, channel, name, phone, email, chat_id FROM reporter WHERE id = $1"

UPDATE_AFTER_MOVE = """
UPDATE complaint SET
    status = $2, agency_code = $3, category_code = $4, updated_at = $5,
    assigned_at = $6, responded_at = $7, resolved_at = $8, closed_at = $9,
    verified_at = coalesce(verified_at, $10),
    -- the owner is one of the agency's officers: a complaint that leaves the agency has none
    assignee_id = CASE WHEN agency_code IS DISTINCT FROM $3 THEN NULL ELSE assignee_id END
WHERE id = $1
"""

SET_PRIORITY = "UPDATE complaint SET priority = $2 WHERE id = $1"
SET_ASSIGNEE = "UPDATE complaint SET assignee_id = $2 WHERE id = $1"


@dataclass(frozen=True)
class EventRow:
    kind: str
    actor_kind: str
    created_at: datetime
    from_status: str | None = None
    to_status: str | None = None
    from_agency: str | None = None
    to_agency: str | None = None
    officer_id: int | None = None
    public_note: str | None = None
    internal_note: str | None = None
    data: dict[str, Any] | None = None


async def add_event(conn: asyncpg.Connection, complaint_id: int, event: EventRow) -> int:
    return await conn.fetchval(
        INSERT_EVENT,
        complaint_id,
        event.kind,
        event.from_status,
        event.to_status,
        event.from_agency,
        event.to_agency,
        event.actor_kind,
        event.officer_id,
        event.public_note,
        event.internal_note,
        event.data or {},
        event.created_at,
    )


def unknown_code() -> NotFound:
    """The one answer for a code nobody filed, and for a rahasia complaint to anyone not
    allowed to see it: the two must not be told apart."""
    return NotFound(i18n.t("problem.unknown_code"))


async def get(conn: asyncpg.Connection, code: str) -> Record:
    row = await conn.fetchrow(SELECT_COMPLAINT, code)
    if row is None:
        raise unknown_code()
    return row


async def lock(conn: asyncpg.Connection, code: str) -> Record:
    row = await conn.fetchrow(LOCK_COMPLAINT, code)
    if row is None:
        raise unknown_code()
    return row


async def photos(conn: asyncpg.Connection, complaint_id: int) -> list[Record]:
    return await conn.fetch(SELECT_PHOTOS, complaint_id)


async def add_proof_photos(
    conn: asyncpg.Connection, complaint_id: int, event_id: int, photos: Sequence[Photo]
) -> None:
    for photo in photos:
        await conn.execute(
            INSERT_PROOF_PHOTO, complaint_id, photo.sha256, photo.media_type, photo.size, event_id
        )


async def add_reporter_photo(
    conn: asyncpg.Connection, complaint_id: int, event_id: int, photo: Photo
) -> int | None:
    """The photo's position; None when the complaint has no position left for it."""
    return await conn.fetchval(
        INSERT_REPORTER_PHOTO, complaint_id, photo.sha256, photo.media_type, photo.size, event_id
    )


async def timeline(conn: asyncpg.Connection, complaint_id: int) -> list[Record]:
    return await conn.fetch(SELECT_TIMELINE, complaint_id)


async def reporter(conn: asyncpg.Connection, reporter_id: int | None) -> Record | None:
    if reporter_id is None:
        return None
    return await conn.fetchrow(SELECT_REPORTER, reporter_id)


async def agency_of(conn: asyncpg.Connection, code: str) -> str | None:
    """The agency a complaint is with now (None: unrouted, or no such code)."""
    return await conn.fetchval(SELECT_AGENCY, code)


async def insert_reporter(
    conn: asyncpg.Connection,
    channel: str,
    name: str | None,
    phone: str | None,
    email: str | None,
    chat_id: str | None,
) -> int:
    return await conn.fetchval(INSERT_REPORTER, channel, name, phone, email, chat_id)


async def insert_complaint(conn: asyncpg.Connection, *values: Any) -> int | None:
    """values in INSERT_COMPLAINT's order; None when the tracking code is taken already."""
    return await conn.fetchval(INSERT_COMPLAINT, *values)


async def add_photo(
    conn: asyncpg.Connection,
    complaint_id: int,
    position: int,
    sha256: str,
    media_type: str,
    size: int,
) -> None:
    await conn.execute(INSERT_PHOTO, complaint_id, position, sha256, media_type, size)


async def identity_views(conn: asyncpg.Connection, complaint_id: int) -> list[Record]:
    return await conn.fetch(SELECT_IDENTITY_VIEWS, complaint_id)


async def record_identity_view(
    conn: asyncpg.Connection, complaint_id: int, officer_id: int, shown: list[str], now: datetime
) -> None:
    """Serialized per officer and complaint by an advisory lock: call inside a transaction."""
    await conn.execute(LOCK_IDENTITY_VIEW, complaint_id, officer_id)
    await conn.execute(INSERT_IDENTITY_VIEW, complaint_id, officer_id, shown, now)


async def update_after_move(conn: asyncpg.Connection, complaint_id: int, *values: Any) -> None:
    """values in UPDATE_AFTER_MOVE's order from $2: status, agency, category, updated_at,
    assigned_at, responded_at, resolved_at, closed_at, verified_at (kept once set)."""
    await conn.execute(UPDATE_AFTER_MOVE, complaint_id, *values)


async def set_priority(conn: asyncpg.Connection, complaint_id: int, priority: str) -> None:
    await conn.execute(SET_PRIORITY, complaint_id, priority)


async def set_assignee(conn: asyncpg.Connection, complaint_id: int, officer_id: int | None) -> None:
    await conn.execute(SET_ASSIGNEE, complaint_id, officer_id)


async def set_duplicate_of(conn: asyncpg.Connection, complaint_id: int, original_id: int) -> None:
    await conn.execute(SET_DUPLICATE_OF, complaint_id, original_id)


async def original(conn: asyncpg.Connection, code: str) -> Record | None:
    return await conn.fetchrow(SELECT_ORIGINAL, code)


async def add_correction(conn: asyncpg.Connection, complaint_id: int, *values: Any) -> None:
    """values: action, text, predicted category, final category, officer id, created_at."""
    await conn.execute(INSERT_CORRECTION, complaint_id, *values)


async def for_desk(conn: asyncpg.Connection, codes: list[str]) -> list[Record]:
    return await conn.fetch(SELECT_FOR_DESK, codes)


async def refused_agencies(conn: asyncpg.Connection, codes: list[str]) -> dict[str, set[str]]:
    """Tracking code -> the agencies that sent that complaint back as not theirs."""
    rows = await conn.fetch(SELECT_REFUSED_AGENCIES, codes)
    return {r["tracking_code"]: set(r["agencies"]) for r in rows}


async def reporter_contact(conn: asyncpg.Connection, reporter_id: int) -> Record | None:
    return await conn.fetchrow(SELECT_REPORTER_CONTACT, reporter_id)
