"""What the reporter is told when their complaint moved, and by which way: the chat they wrote
from; for the web, WhatsApp when they left a phone number and the city has WhatsApp, else the
e-mail address they left (if any). `reach` is that choice, made in one place.

A notice to WhatsApp carries its template form (lapor.message_templates): a notice days later
is outside the chat's 24-hour window, and a web reporter never opened one."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import asyncpg

from lapor import i18n, tracking
from lapor.erasure import normalize_phone
from lapor.message_templates import NOTE_MAX, STATUS, form, param, with_template
from lapor.outbox import Message, enqueue
from lapor.repo import complaints as complaint_repo
from lapor.repo import support as support_repo

CHAT_CHANNELS = ("telegram", "whatsapp", "sms")

# The words of each notice are lapor/i18n's `notice.<action>`, in the reporter's language: the
# one their chat chose with /bahasa (bot_conversation), Indonesian for e-mail and by default.
# The template's status phrase is `reach.status.<action>`.
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
    "forward",
    "forward_answer",
    "recall",
)
# Actions whose words are in a section of their own (`<action>.notice`, `<action>.reach_status`)
# rather than in `notice.` and `reach.status.`.
OWN_SECTION = ("recall",)


def _keys(action: str) -> tuple[str, str]:
    if action in OWN_SECTION:
        return f"{action}.notice", f"{action}.reach_status"
    return f"notice.{action}", f"reach.status.{action}"


def reach(
    channel: str,
    chat_id: str | None,
    phone: str | None,
    email: str | None,
    available: Collection[str],
) -> tuple[str, str] | None:
    """(outbox channel, recipient) for a reporter who came by ``channel``, or None when there
    is no way to reach them. ``available``: the channels this deployment sends through.

    A chat reporter is answered in their chat. Someone who left a phone number hears by
    WhatsApp (a template, lapor.message_templates) when the city has it, else by SMS when the
    city has an SMS gateway. Otherwise by e-mail."""
    if channel in CHAT_CHANNELS and chat_id:
        return channel, chat_id
    number = normalize_phone(phone)
    if number and len(number) >= 8:
        for chat in ("whatsapp", "sms"):
            if chat in available:
                return chat, number
    if email:
        return "email", email
    return None


async def reporter_contact(
    conn: asyncpg.Connection, reporter_id: int | None, available: Collection[str] = ()
) -> tuple[str, str, str] | None:
    """(outbox channel, recipient, language) for the reporter's notices, or None when there is
    no way to reach them."""
    if reporter_id is None:
        return None
    row = await complaint_repo.reporter_contact(conn, reporter_id)
    if row is None:
        return None
    found = reach(row["channel"], row["chat_id"], row["phone"], row["email"], available)
    if found is None:
        return None
    language = row["language"] if found[0] in CHAT_CHANNELS else i18n.DEFAULT
    return found[0], found[1], language


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
    channels: Collection[str] = (),
) -> int | None:
    """Queue the notice to the reporter and to every supporter in the caller's transaction;
    once per event and recipient. ``channels``: those the deployment sends through
    (Services.channels). Returns the reporter's message id."""
    if action not in ACTIONS:
        return None
    code = tracking.display(tracking_code)
    first = None
    told: set[tuple[str, str]] = set()
    contact = await reporter_contact(conn, reporter_id, channels)
    if contact is not None:
        channel, recipient, language = contact
        told.add((channel, recipient))
        first = await enqueue(
            conn,
            _status_message(
                channel,
                recipient,
                language,
                code,
                action,
                agency_name,
                note,
                status_url,
                complaint_id=complaint_id,
                dedupe_key=f"status:{event_id}",
            ),
            now,
        )
    # Its supporters and followers (lapor/support.py) hear of every public change too, each on
    # their own channel, once per event; a contact told already is not told twice.
    for supporter in await support_repo.supporters(conn, complaint_id):
        found = reach(
            supporter["channel"],
            supporter["chat_id"],
            supporter["phone"],
            supporter["email"],
            channels,
        )
        if found is None or found in told:
            continue
        told.add(found)
        language = supporter["language"] if found[0] in CHAT_CHANNELS else i18n.DEFAULT
        await enqueue(
            conn,
            _status_message(
                found[0],
                found[1],
                language,
                code,
                action,
                agency_name,
                note,
                status_url,
                complaint_id=complaint_id,
                dedupe_key=f"status:{event_id}:supporter:{supporter['id']}",
                lead=i18n.t("support.follower_lead", language),
            ),
            now,
        )
    return first


def _status_message(
    channel: str,
    recipient: str,
    language: str,
    code: str,
    action: str,
    agency_name: str | None,
    note: str | None,
    status_url: str,
    *,
    complaint_id: int,
    dedupe_key: str,
    lead: str = "",
) -> Message:
    """The notice of one move, in the recipient's language, with its template form."""
    agency = agency_name or i18n.t("notice.unknown_agency", language)
    notice_key, status_key = _keys(action)
    text = (
        lead
        + i18n.t(notice_key, language, code=code, agency=agency, note=note or "-")
        + i18n.t("notice.footer", language, url=status_url)
    )
    subject = i18n.t("notice.email_subject", language, code=code)
    message = Message(
        channel=channel,
        recipient=recipient,
        kind="status",
        text=text,
        complaint_id=complaint_id,
        dedupe_key=dedupe_key,
        extra={"subject": subject} if channel == "email" else {},
    )
    status = i18n.t(status_key, language, agency=agency)
    template = form(STATUS, [code, status, param(note, NOTE_MAX)], language=language)
    return with_template(message, template)
