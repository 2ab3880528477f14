"""Reporters' personal data under UU PDP: erased after the city's retention period, and found
or erased on a person's request (`lapor privacy export` / `lapor privacy erase`).

Erasing a complaint's reporter removes their name, phone, e-mail and chat id (its supporters'
too, lapor/support.py), replaces the original text (and the place typed with it) by what the
public copy keeps (the personal data typed into it hidden), forgets the addresses messages
went to, and hides personal data in a survey comment. The complaint stays, with its status, timeline, category and location, for
the statistics and the reports; an internal 'erase_contacts' event says when and why.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from lapor import i18n, privacy, tracking
from lapor.errors import ValidationFailed
from lapor.repo import complaints as complaint_repo
from lapor.repo import erasure as repo
from lapor.repo import support as support_repo

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

BATCH = 200
ERASED_TEXT = i18n.t("erasure.erased_text")  # when nothing of the text is left to keep
RETENTION, REQUEST = "retention", "request"
_NOTES = {
    RETENTION: i18n.t("erasure.retention", days="{days}"),
    REQUEST: i18n.t("erasure.request"),
}


@dataclass(frozen=True)
class Person:
    """Who is asked about: one or more of a phone number, an e-mail address, a chat id."""

    phone: str | None = None
    email: str | None = None
    chat: str | None = None

    def args(self) -> tuple[str | None, str | None, str | None]:
        return normalize_phone(self.phone), _lower(self.email), _strip(self.chat)


def _strip(value: str | None) -> str | None:
    return (value or "").strip() or None


def _lower(value: str | None) -> str | None:
    value = _strip(value)
    return value.lower() if value else None


def normalize_phone(phone: str | None) -> str | None:
    """Digits only, an Indonesian number as 62...: "0812-3456 7890", "+62 812 3456 7890" and
    "6281234567890" are the same number (as repo/erasure.py compares them in SQL)."""
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return None
    return "62" + digits[1:] if digits.startswith("0") else digits


def check_person(person: Person) -> Person:
    phone, email, chat = person.args()
    if person.phone is not None and (phone is None or len(phone) < 8):
        raise ValidationFailed.on("phone", i18n.t("problem.invalid_phone"))
    if not (phone or email or chat):
        raise ValidationFailed.on("phone", "sebutkan --phone, --email atau --chat")
    return person


# ------------------------------------------------------------------------------ erasing


async def erase_complaint(
    conn: asyncpg.Connection, complaint_id: int, now: datetime, why: str, note: str
) -> None:
    """Erase one complaint's reporter, in the caller's transaction (see the module's doc)."""
    row = await repo.select_for_erasure(conn, complaint_id)
    if row["reporter_id"] is not None:
        await repo.erase_reporter(conn, row["reporter_id"])
    # Its supporters' contacts (lapor/support.py) are personal data too, kept as long.
    await support_repo.erase_supporters(conn, complaint_id)
    copy = privacy.public_copy(row["body"], row["title"])
    body = copy.text[:5000] if len(copy.text) >= 10 else ERASED_TEXT
    title = copy.title[:200] if copy.title else None
    await repo.anonymise_complaint(
        conn,
        complaint_id,
        title,
        body,
        *(privacy.redact_place(row[name]) for name in ("address", "kelurahan", "kecamatan")),
        now,
    )
    await repo.anonymise_corrections(conn, complaint_id, body)
    await repo.forget_recipients(conn, complaint_id)
    comment = await repo.select_survey_comment(conn, complaint_id)
    if comment:
        await repo.set_survey_comment(conn, complaint_id, privacy.redact(comment).text)
    await complaint_repo.add_event(
        conn,
        complaint_id,
        complaint_repo.EventRow(
            "erase_contacts", "system", now, internal_note=note, data={"reason": why}
        ),
    )


async def erase_expired_contacts(services: Services) -> int:
    """The retention job: erase the reporters of complaints closed or rejected more than the
    city's [privacy] retain_contacts_days ago; returns how many. Several instances may run it
    at once: each claims its rows with SKIP LOCKED, and an erased complaint is never
    claimed again."""
    days = services.city.retain_contacts_days
    now = services.clock.now()
    cutoff = now - timedelta(days=days)
    note = _NOTES[RETENTION].format(days=days)
    done = 0
    async with services.pool.acquire() as conn:
        while True:
            async with conn.transaction():
                ids = [row["id"] for row in await repo.expired_contacts(conn, cutoff, BATCH)]
                for complaint_id in ids:
                    await erase_complaint(conn, complaint_id, now, RETENTION, note)
            done += len(ids)
            if len(ids) < BATCH:
                break
    if done:
        log.info("reporter contacts erased after retention count=%s days=%s", done, days)
    return done


# --------------------------------------------------------------------- a person's request


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _plain(row: asyncpg.Record, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        key: _iso(value) if isinstance(value, datetime) else value
        for key, value in dict(row).items()
        if key not in skip
    }


async def export_person(services: Services, person: Person) -> dict[str, Any]:
    """Everything lapor holds about a person: their contacts as given with each complaint,
    those complaints (their own words and what the public reads), their survey answers,
    their chats with the bots and the messages sent to them."""
    check_person(person)
    phone, email, chat = person.args()
    async with services.pool.acquire() as conn:
        reporters = await repo.person_reporters(conn, phone, email, chat)
        ids = [row["id"] for row in reporters]
        complaints = await repo.person_complaints(conn, ids)
        complaint_ids = [row["id"] for row in complaints]
        supported = await support_repo.supported_by(conn, ids)
        codes = {row["id"]: row["tracking_code"] for row in complaints}
        surveys = await repo.person_surveys(conn, complaint_ids)
        conversations = await repo.person_conversations(conn, chat, phone)
        addresses = [value for value in (phone, email, chat) if value]
        messages = await repo.person_messages(conn, complaint_ids, addresses)
    return {
        "asked": {"phone": phone, "email": email, "chat": chat},
        "contacts": [_plain(row, skip=("id",)) for row in reporters],
        "complaints": [
            {
                **_plain(row, skip=("id", "reporter_id")),
                "display_code": tracking.display(row["tracking_code"]),
            }
            for row in complaints
        ],
        # The complaints they supported ("Saya juga mengalami"), their contact in `contacts`.
        "supported": [_plain(row) for row in supported],
        "surveys": [
            {"tracking_code": codes[row["complaint_id"]], **_plain(row, skip=("complaint_id",))}
            for row in surveys
        ],
        "conversations": [_plain(row) for row in conversations],
        "messages": [
            {
                "tracking_code": codes.get(row["complaint_id"]),
                **_plain(row, skip=("complaint_id",)),
            }
            for row in messages
        ],
    }


async def erase_person(services: Services, person: Person) -> dict[str, int]:
    """Erase a person's data as the retention job does, whatever the complaints' status, and
    their chats' drafts; returns how many complaints and chats. Run again, it finds nothing."""
    check_person(person)
    phone, email, chat = person.args()
    now = services.clock.now()
    async with services.pool.acquire() as conn, conn.transaction():
        reporters = await repo.person_reporters(conn, phone, email, chat)
        complaints = await repo.person_complaints(conn, [row["id"] for row in reporters])
        for row in complaints:
            await complaint_repo.lock(conn, row["tracking_code"])
            await erase_complaint(conn, row["id"], now, REQUEST, _NOTES[REQUEST])
        # A reporter row without a complaint (none today) is erased all the same.
        for row in reporters:
            await repo.erase_reporter(conn, row["id"])
        # A supporter is such a row too: the keys that named them go with the contact.
        await support_repo.forget_keys_of(conn, [row["id"] for row in reporters])
        status = await repo.delete_person_conversations(conn, chat, phone)
    chats = int(status.split()[-1])
    log.info("personal data erased on request complaints=%s chats=%s", len(complaints), chats)
    return {"complaints": len(complaints), "conversations": chats}
