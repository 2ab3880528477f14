"""What the reporter is told when their complaint moves, on the channel they reported through:
the chat they wrote from, or, for the web, the email address they left (if any)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from lapor import tracking
from lapor.outbox import Message, enqueue
from lapor.repo import complaints as complaint_repo

CHAT_CHANNELS = ("telegram", "whatsapp")

# Citizen-facing words for each public change, Bahasa Indonesia first.
TEMPLATES = {
    "verify": "Laporan {code} sudah diverifikasi dan diteruskan ke {agency}.",
    "transfer": "Laporan {code} dialihkan ke {agency} yang berwenang menanganinya.",
    "start": "Laporan {code} sedang diproses oleh {agency}.",
    "respond": "Tanggapan {agency} untuk laporan {code}:\n{note}",
    "resolve": "Laporan {code} telah diselesaikan oleh {agency}.\nTanggapan: {note}",
    "reopen": "Laporan {code} dibuka kembali dan diteruskan lagi ke {agency}.",
    "close": "Laporan {code} sudah ditutup. Terima kasih telah melapor.",
    "merge": "Laporan {code} ditutup karena sama dengan laporan lain.\n{note}",
    "reject": "Mohon maaf, laporan {code} tidak dapat kami tindak lanjuti.\nAlasan: {note}",
}
FOOTER = "\n\nPantau status: {url}"
EMAIL_SUBJECT = "Perkembangan laporan {code}"


async def reporter_contact(
    conn: asyncpg.Connection, reporter_id: int | None
) -> tuple[str, str] | None:
    """(outbox channel, recipient) for the reporter's notices, or None when there is no way."""
    if reporter_id is None:
        return None
    row = await complaint_repo.reporter_contact(conn, reporter_id)
    if row is None:
        return None
    if row["channel"] in CHAT_CHANNELS and row["chat_id"]:
        return row["channel"], row["chat_id"]
    if row["channel"] == "web" and row["email"]:
        return "email", row["email"]
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
    template = TEMPLATES.get(action)
    contact = await reporter_contact(conn, reporter_id)
    if template is None or contact is None:
        return None
    channel, recipient = contact
    code = tracking.display(tracking_code)
    text = template.format(
        code=code, agency=agency_name or "instansi terkait", note=note or "-"
    ) + FOOTER.format(url=status_url)
    return await enqueue(
        conn,
        Message(
            channel=channel,
            recipient=recipient,
            kind="status",
            text=text,
            complaint_id=complaint_id,
            dedupe_key=f"status:{event_id}",
            extra={"subject": EMAIL_SUBJECT.format(code=code)} if channel == "email" else {},
        ),
        now,
    )
