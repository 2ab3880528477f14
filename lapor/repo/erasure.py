r"""SQL for erasing reporters' contact details (retention and requests under UU PDP) and for
finding everything held about one person. Callers own the transaction.

A person is asked for by phone ($1: digits only, "62..." for an Indonesian number, matched
against reporters' phones written any way, and against WhatsApp chat ids, which are phone
numbers, as SMS chat ids are), e-mail ($2, lower case) or chat id ($3); NULL means "not
asked"."""

from __future__ import annotations

import asyncpg

# Closed (merged ones too), rejected or forwarded complaints whose reporter's contact is past
# the retention period ($1: the cut-off), a batch at a time ($2); several processes share them.
EXPIRED_CONTACTS = """
SELECT id FROM complaint
WHERE contacts_erased_at IS NULL AND status IN ('closed', 'rejected', 'forwarded')
  AND coalesce(closed_at, updated_at) <= $1
ORDER BY id
LIMIT $2
FOR UPDATE SKIP LOCKED
"""

SELECT_FOR_ERASURE = """
SELECT c.id, c.tracking_code, c.title, c.body, c.address, c.kelurahan, c.kecamatan,
       c.reporter_id, c.anonim
FROM complaint c WHERE c.id = $1
"""

ERASE_REPORTER = """
UPDATE reporter SET name = NULL, phone = NULL, email = NULL, chat_id = NULL WHERE id = $1
"""

# The original text keeps only what the public copy keeps: the personal data typed into it
# goes with the contact.
ANONYMISE_COMPLAINT = """
UPDATE complaint SET title = $2, body = $3, address = $4, kelurahan = $5, kecamatan = $6,
                     contacts_erased_at = $7
WHERE id = $1
"""

ANONYMISE_CORRECTIONS = "UPDATE routing_correction SET text = $2 WHERE complaint_id = $1"

# Messages to the reporter: the address goes; one not sent yet never will be.
FORGET_RECIPIENTS = """
UPDATE outbox SET recipient = 'dihapus',
       status = CASE WHEN status = 'pending' THEN 'dead' ELSE status END,
       last_error = CASE WHEN status = 'pending' THEN 'kontak pelapor dihapus' ELSE last_error END
WHERE complaint_id = $1
"""

SELECT_SURVEY_COMMENT = "SELECT comment FROM survey_response WHERE complaint_id = $1"

SET_SURVEY_COMMENT = "UPDATE survey_response SET comment = $2 WHERE complaint_id = $1"

_PHONE_DIGITS = r"regexp_replace(regexp_replace(coalesce(r.phone, ''), '\D', '', 'g'), '^0', '62')"

PERSON_REPORTERS = rf"""
SELECT r.id, r.channel, r.name, r.phone, r.email, r.chat_id, r.created_at
FROM reporter r
WHERE ($1::text IS NOT NULL
       AND ({_PHONE_DIGITS} = $1 OR (r.channel IN ('whatsapp', 'sms') AND r.chat_id = $1)))
   OR ($2::text IS NOT NULL AND lower(r.email) = $2)
   OR ($3::text IS NOT NULL AND r.chat_id = $3)
ORDER BY r.id
"""

PERSON_COMPLAINTS = """
SELECT c.id, c.tracking_code, c.status, c.channel, c.title, c.body, c.public_title,
       c.public_body, c.rahasia, c.anonim, c.latitude, c.longitude, c.address, c.kelurahan,
       c.kecamatan, c.category_code, c.agency_code, c.created_at, c.closed_at,
       c.contacts_erased_at, c.reporter_id
FROM complaint c WHERE c.reporter_id = ANY($1::bigint[])
ORDER BY c.id
"""

PERSON_SURVEYS = """
SELECT s.complaint_id, s.channel, s.status, s.fixed, s.created_at, s.finished_at,
       r.rating, r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9, r.comment
FROM survey s LEFT JOIN survey_response r ON r.complaint_id = s.complaint_id
WHERE s.complaint_id = ANY($1::bigint[])
ORDER BY s.complaint_id
"""

# Chats with the bots: by chat id ($1), or (asked by phone, $2) the WhatsApp and SMS chats of
# that number.
PERSON_CONVERSATIONS_WHERE = """
($1::text IS NOT NULL AND chat_id = $1)
OR ($2::text IS NOT NULL AND channel IN ('whatsapp', 'sms') AND chat_id = $2)
"""

PERSON_CONVERSATIONS = f"""
SELECT channel, chat_id, language, state, draft, created_at, updated_at
FROM bot_conversation WHERE {PERSON_CONVERSATIONS_WHERE}
ORDER BY channel, chat_id
"""

DELETE_PERSON_CONVERSATIONS = f"""
DELETE FROM bot_conversation WHERE {PERSON_CONVERSATIONS_WHERE}
"""

PERSON_MESSAGES = """
SELECT o.complaint_id, o.channel, o.recipient, o.kind, o.status, o.created_at, o.sent_at
FROM outbox o
WHERE o.complaint_id = ANY($1::bigint[]) OR o.recipient = ANY($2::text[])
ORDER BY o.id
"""


async def anonymise_complaint(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(ANONYMISE_COMPLAINT, *args)


async def anonymise_corrections(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(ANONYMISE_CORRECTIONS, *args)


async def delete_person_conversations(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(DELETE_PERSON_CONVERSATIONS, *args)


async def erase_reporter(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(ERASE_REPORTER, *args)


async def expired_contacts(conn: asyncpg.Connection, *args: object) -> list[asyncpg.Record]:
    return await conn.fetch(EXPIRED_CONTACTS, *args)


async def forget_recipients(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(FORGET_RECIPIENTS, *args)


async def person_complaints(conn: asyncpg.Connection, *args: object) -> list[asyncpg.Record]:
    return await conn.fetch(PERSON_COMPLAINTS, *args)


async def person_conversations(conn: asyncpg.Connection, *args: object) -> list[asyncpg.Record]:
    return await conn.fetch(PERSON_CONVERSATIONS, *args)


async def person_messages(conn: asyncpg.Connection, *args: object) -> list[asyncpg.Record]:
    return await conn.fetch(PERSON_MESSAGES, *args)


async def person_reporters(conn: asyncpg.Connection, *args: object) -> list[asyncpg.Record]:
    return await conn.fetch(PERSON_REPORTERS, *args)


async def person_surveys(conn: asyncpg.Connection, *args: object) -> list[asyncpg.Record]:
    return await conn.fetch(PERSON_SURVEYS, *args)


async def select_for_erasure(conn: asyncpg.Connection, *args: object) -> asyncpg.Record | None:
    return await conn.fetchrow(SELECT_FOR_ERASURE, *args)


async def select_survey_comment(conn: asyncpg.Connection, *args: object) -> object:
    return await conn.fetchval(SELECT_SURVEY_COMMENT, *args)


async def set_survey_comment(conn: asyncpg.Connection, *args: object) -> str:
    return await conn.execute(SET_SURVEY_COMMENT, *args)
