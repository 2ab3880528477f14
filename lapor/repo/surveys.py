"""SQL for satisfaction surveys (SKM): inviting, answering, reminding, expiring, and the
anonymous-ready responses. Callers own the transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg

from lapor.repo.erasure import _PHONE_DIGITS as PHONE_CHAT

# The language the reporter's chat chose (/bahasa); Indonesian for the web and by default.
LANGUAGE = "coalesce(b.language, 'id') AS language"
CONVERSATION = "LEFT JOIN bot_conversation b ON b.channel = r.channel AND b.chat_id = r.chat_id"
# The chat a survey is answered in: the reporter's own, or, for a web reporter reached on the
# phone they left (lapor.notify.reach), that number as a chat id ("62...", as
# lapor.erasure.normalize_phone writes it: repo/erasure.py's expression, imported above).
SURVEY_CHAT = f"CASE WHEN r.channel = 'web' THEN {PHONE_CHAT} ELSE r.chat_id END AS survey_chat"

DUE = f"""
SELECT c.id, c.tracking_code, c.agency_code, r.channel, r.chat_id, r.phone, r.email, {LANGUAGE}
FROM complaint c
LEFT JOIN reporter r ON r.id = c.reporter_id
{CONVERSATION}
WHERE c.resolved_at IS NOT NULL AND c.resolved_at <= $1 AND c.resolved_at > $2
  AND c.status IN ('resolved', 'closed')
  AND NOT EXISTS (SELECT 1 FROM survey s WHERE s.complaint_id = c.id)
ORDER BY c.resolved_at
LIMIT $3
"""

CREATE = """
INSERT INTO survey (complaint_id, channel, status, created_at, sent_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (complaint_id) DO NOTHING
RETURNING id
"""

# The survey with what answering it needs; the reporter columns prove whose it is.
LOCK = f"""
SELECT s.*, c.tracking_code, c.anonim, c.agency_code, c.category_code,
       r.channel AS reporter_channel, r.chat_id, r.email, {SURVEY_CHAT}, {LANGUAGE}
FROM survey s
JOIN complaint c ON c.id = s.complaint_id
LEFT JOIN reporter r ON r.id = c.reporter_id
{CONVERSATION}
WHERE s.id = $1
FOR UPDATE OF s
"""

AWAITING_COMMENT = f"""
SELECT s.id FROM survey s
JOIN complaint c ON c.id = s.complaint_id
JOIN reporter r ON r.id = c.reporter_id
WHERE s.status = 'answering' AND s.step = $3 AND s.channel = $1
  AND ((r.channel = $1 AND r.chat_id = $2) OR (r.channel = 'web' AND {PHONE_CHAT} = $2))
ORDER BY s.id DESC LIMIT 1
"""

# $3: the response now receiving the answers (NULL keeps the one linked).
ADVANCE = """
UPDATE survey SET status = 'answering', step = $2, response_id = coalesce($3, response_id)
WHERE id = $1
"""

FINISH = """
UPDATE survey SET status = $2, finished_at = $3, step = $4, fixed = NULL, scores = '{}',
                  response_id = NULL
WHERE id = $1
"""

INSERT_RESPONSE = """
INSERT INTO survey_response (complaint_id, month, agency_code, category_code, fixed, rating,
                             u1, u2, u3, u4, u5, u6, u7, u8, u9, comment)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
RETURNING id
"""

# One element's answer ($2: its number 1-9, $3: the score) into the response being answered.
SET_ELEMENT = """
UPDATE survey_response SET
    u1 = CASE WHEN $2 = 1 THEN $3 ELSE u1 END, u2 = CASE WHEN $2 = 2 THEN $3 ELSE u2 END,
    u3 = CASE WHEN $2 = 3 THEN $3 ELSE u3 END, u4 = CASE WHEN $2 = 4 THEN $3 ELSE u4 END,
    u5 = CASE WHEN $2 = 5 THEN $3 ELSE u5 END, u6 = CASE WHEN $2 = 6 THEN $3 ELSE u6 END,
    u7 = CASE WHEN $2 = 7 THEN $3 ELSE u7 END, u8 = CASE WHEN $2 = 8 THEN $3 ELSE u8 END,
    u9 = CASE WHEN $2 = 9 THEN $3 ELSE u9 END
WHERE id = $1
"""

SET_COMMENT = "UPDATE survey_response SET comment = $2 WHERE id = $1"

TO_REMIND = f"""
SELECT s.id, s.channel, s.step, s.expires_at, c.id AS complaint_id, c.tracking_code,
       c.agency_code, r.channel AS reporter_channel, r.chat_id, r.email, {SURVEY_CHAT},
       {LANGUAGE}
FROM survey s
JOIN complaint c ON c.id = s.complaint_id
JOIN reporter r ON r.id = c.reporter_id
{CONVERSATION}
WHERE s.status = 'sent' AND s.reminded_at IS NULL
  AND s.sent_at <= $1 AND s.expires_at > $2
ORDER BY s.sent_at
LIMIT $3
FOR UPDATE OF s SKIP LOCKED
"""

# A survey past its time whose first question was answered has its response: it ends
# answered (with the elements given, if any), not expired.
ANSWERING_PAST = """
SELECT id FROM survey
WHERE status = 'answering' AND expires_at <= $1
ORDER BY id
FOR UPDATE SKIP LOCKED
"""

EXPIRE = """
UPDATE survey SET status = 'expired', finished_at = $1, fixed = NULL, scores = '{}'
WHERE status = 'sent' AND expires_at <= $1
"""

SET_REMINDED = "UPDATE survey SET reminded_at = $2 WHERE id = $1"

COMPLAINT_STATUS = "SELECT status FROM complaint WHERE id = $1"


async def due(
    conn: asyncpg.Connection, resolved_before: datetime, resolved_after: datetime, batch: int
) -> list[asyncpg.Record]:
    return await conn.fetch(DUE, resolved_before, resolved_after, batch)


async def create(
    conn: asyncpg.Connection,
    complaint_id: int,
    channel: str | None,
    status: str,
    now: datetime,
    sent_at: datetime | None,
    expires_at: datetime | None,
) -> int | None:
    """The new survey's id; None when the complaint has one already."""
    return await conn.fetchval(CREATE, complaint_id, channel, status, now, sent_at, expires_at)


async def lock(conn: asyncpg.Connection, survey_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK, survey_id)


async def awaiting_comment(
    conn: asyncpg.Connection, channel: str, chat_id: str, comment_step: int
) -> int | None:
    return await conn.fetchval(AWAITING_COMMENT, channel, chat_id, comment_step)


async def advance(
    conn: asyncpg.Connection, survey_id: int, step: int, response_id: Any = None
) -> None:
    await conn.execute(ADVANCE, survey_id, step, response_id)


async def finish(
    conn: asyncpg.Connection, survey_id: int, status: str, now: datetime, step: int
) -> None:
    await conn.execute(FINISH, survey_id, status, now, step)


async def insert_response(
    conn: asyncpg.Connection,
    complaint_id: int | None,
    month: date,
    agency_code: str | None,
    category_code: str | None,
    fixed: str | None,
    rating: int | None,
    scores: list[int | None],
    comment: str | None,
) -> Any:
    """scores: the nine elements' answers, U1 to U9 (None: not asked or not answered).
    Returns the response's id."""
    return await conn.fetchval(
        INSERT_RESPONSE,
        complaint_id,
        month,
        agency_code,
        category_code,
        fixed,
        rating,
        *scores,
        comment,
    )


async def set_element(conn: asyncpg.Connection, response_id: Any, number: int, score: int) -> None:
    await conn.execute(SET_ELEMENT, response_id, number, score)


async def set_comment(conn: asyncpg.Connection, response_id: Any, comment: str | None) -> None:
    await conn.execute(SET_COMMENT, response_id, comment)


async def lock_to_remind(
    conn: asyncpg.Connection, sent_before: datetime, now: datetime, batch: int
) -> list[asyncpg.Record]:
    return await conn.fetch(TO_REMIND, sent_before, now, batch)


async def set_reminded(conn: asyncpg.Connection, survey_id: int, now: datetime) -> None:
    await conn.execute(SET_REMINDED, survey_id, now)


async def lock_answering_past(conn: asyncpg.Connection, now: datetime) -> list[asyncpg.Record]:
    return await conn.fetch(ANSWERING_PAST, now)


async def expire(conn: asyncpg.Connection, now: datetime) -> int:
    """Expires every open survey past its time; returns how many."""
    return int((await conn.execute(EXPIRE, now)).split()[-1])


async def complaint_status(conn: asyncpg.Connection, complaint_id: int) -> str | None:
    return await conn.fetchval(COMPLAINT_STATUS, complaint_id)
