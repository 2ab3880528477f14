"""What the reporter is told when their complaint moves, on the channel they reported through."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from lapor import tracking
from lapor.outbox import Message, enqueue

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


async def reporter_contact(
    conn: asyncpg.Connection, reporter_id: int | None
) -> asyncpg.Record | None:
    if reporter_id is None:
        return None
    return await conn.fetchrow(
        "SELECT channel, chat_id FROM reporter WHERE id = $1 AND chat_id IS NOT NULL", reporter_id
    )


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
    if template is None or contact is None or contact["channel"] not in CHAT_CHANNELS:
        return None
    text = template.format(
        code=tracking.display(tracking_code),
        agency=agency_name or "instansi terkait",
        note=note or "-",
    ) + FOOTER.format(url=status_url)
    return await enqueue(
        conn,
        Message(
            channel=contact["channel"],
            recipient=contact["chat_id"],
            kind="status",
            text=text,
            complaint_id=complaint_id,
            dedupe_key=f"status:{event_id}",
        ),
        now,
    )
