"""SQL for "Lupa kode?": the tracking codes of the complaints filed with a phone number or an
e-mail address, newest first. The phone is compared as `lapor privacy` compares it
(repo/erasure.py), on the expression index of sql/016."""

from __future__ import annotations

import asyncpg

from lapor.repo.erasure import _PHONE_DIGITS

# A WhatsApp reporter's number is their chat id.
BY_PHONE = f"""
SELECT c.tracking_code, c.status
FROM reporter r JOIN complaint c ON c.reporter_id = r.id
WHERE (r.phone IS NOT NULL AND {_PHONE_DIGITS} = $1)
   OR (r.channel = 'whatsapp' AND r.chat_id = $1)
ORDER BY c.created_at DESC, c.id DESC
LIMIT $2
"""

BY_EMAIL = """
SELECT c.tracking_code, c.status
FROM reporter r JOIN complaint c ON c.reporter_id = r.id
WHERE r.email IS NOT NULL AND lower(r.email) = $1
ORDER BY c.created_at DESC, c.id DESC
LIMIT $2
"""


async def by_phone(conn: asyncpg.Connection, digits: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(BY_PHONE, digits, limit)


async def by_email(conn: asyncpg.Connection, email: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(BY_EMAIL, email, limit)
