"""What the reporter is told when their complaint moves, on the channel they reported through:
the chat they wrote from, or, for the web, the email address they left (if any)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from lapor import i18n, tracking
from lapor.outbox import Message, enqueue
from lapor.repo import complaints as complaint_repo

CHAT_CHANNELS = ("telegram", "whatsapp", "sms")

# The words of each notice are lapor/i18n's `notice.<action>`, in the reporter's language: the
# one their chat chose with /bahasa (bot_conversation), Indonesian for e-mail and by default.
ACTIONS = (
    "verify",
    "transfer",
    "start",
    "respond",
    "resolve",
    "reopen",
    "close",
    "merge",
    "reject",
)


async def reporter_contact(
    conn: asyncpg.Connection, reporter_id: int | None
) -> tuple[str, str, str] | None:
    """(outbox channel, recipient, language) for the reporter's notices, or None when there is
    no way to reach them."""
    if reporter_id is None:
        return None
    row = await complaint_repo.reporter_contact(conn, reporter_id)
    if row is None:
        return None
    if row["channel"] in CHAT_CHANNELS and row["chat_id"]:
        return row["channel"], row["chat_id"], row["language"]
    if row["channel"] == "web" and row["email"]:
        return "email", row["email"], i18n.DEFAULT
    return None


async def complaint_moved(
    conn: asyncpg.Connection,
    *,
    complaint_id: int,
    reporter_id: int | None,
    tracking_code: str,
    action: str,
    agency_name: str | None,
    note: str | None,
    event_id: int,
    status_url: str,
    now: datetime,
) -> int | None:
    """Queue the reporter's notice in the caller's transaction; once per event."""
    if action not in ACTIONS:
        return None
    contact = await reporter_contact(conn, reporter_id)
    if contact is None:
        return None
    channel, recipient, language = contact
    code = tracking.display(tracking_code)
    agency = agency_name or i18n.t("notice.unknown_agency", language)
    text = i18n.t(
        f"notice.{action}", language, code=code, agency=agency, note=note or "-"
    ) + i18n.t("notice.footer", language, url=status_url)
    subject = i18n.t("notice.email_subject", language, code=code)
    return await enqueue(
        conn,
        Message(
            channel=channel,
            recipient=recipient,
            kind="status",
            text=text,
            complaint_id=complaint_id,
            dedupe_key=f"status:{event_id}",
            extra={"subject": subject} if channel == "email" else {},
        ),
        now,
    )
