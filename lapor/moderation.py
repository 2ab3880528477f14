"""The public copy of a complaint's title and text: what the public pages show instead of the
citizen's own words. Intake writes it with the personal data hidden (`complaints.file_complaint`
through `privacy.public_copy`). Complaints filed before the copies existed get theirs from
`backfill_public_copies`."""

from __future__ import annotations

import logging

import asyncpg

from lapor import privacy
from lapor.repo import moderation as sql

log = logging.getLogger(__name__)


async def backfill_public_copies(conn: asyncpg.Connection, batch: int = 500) -> int:
    """Write the public copy of every complaint that has none yet (filed before sql/010);
    returns how many. Safe to run from several processes at once, and again."""
    done = 0
    while True:
        async with conn.transaction():
            rows = await conn.fetch(sql.MISSING_PUBLIC_COPIES, batch)
            if not rows:
                break
            copies = [(row["id"], privacy.public_copy(row["body"], row["title"])) for row in rows]
            await conn.executemany(
                sql.SET_PUBLIC_COPY, [(ident, copy.title, copy.text) for ident, copy in copies]
            )
        done += len(rows)
    if done:
        log.info("public copies written for older complaints count=%s", done)
    return done
