"""What a citizen sends about their complaint after filing it (a question, a new photo, a place,
"kapan?"): a note on the complaint's timeline, for its officers.

Which complaint: the chat's most recent one that is still open (received, assigned, in
progress), while its last activity (filed, moved by an officer, or an earlier note) is at most
the city's `[chat] followup_days` old. Otherwise, or after /lapor or "lapor baru", the chat
starts a new report (bots/dialogue_followup.py decides).

The note is a `citizen_note` event, internal like reminders and escalations: never in the
public timeline (complaints.views.PUBLIC_EVENT_KINDS), shown on the officers' complaint page.
A photo sent with it is stored like any other (cleaned by photos.accept_photo before it gets
here) and listed with the complaint's photos marked `by_reporter`: officers and the reporter
see it, the public never. Everything runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from lapor.city import CityConfig
from lapor.photos import Photo
from lapor.repo import complaints as complaint_repo
from lapor.repo import conversations as conversation_repo

NOTE_KIND = "citizen_note"
NOTE_MAX = 5000  # complaint_event.internal_note's limit


@dataclass(frozen=True)
class FollowupTarget:
    complaint_id: int
    tracking_code: str
    status: str


async def followup_target(
    conn: asyncpg.Connection, city: CityConfig, channel: str, chat_id: str, now: datetime
) -> FollowupTarget | None:
    """The complaint a message from this chat is about, or None (it starts a new report)."""
    row = await conversation_repo.latest_open(conn, channel, chat_id)
    if row is None or row["active_at"] <= now - timedelta(days=city.followup_days):
        return None
    return FollowupTarget(row["id"], row["tracking_code"], row["status"])


@dataclass(frozen=True)
class NoteAdded:
    event_id: int
    photo_position: int | None = None  # where its photo went
    photo_refused: bool = False  # the complaint holds as many photos as it may


async def add_note(
    conn: asyncpg.Connection,
    target: FollowupTarget,
    *,
    channel: str,
    now: datetime,
    text: str | None = None,
    photo: Photo | None = None,
    location: Mapping[str, float] | None = None,
) -> NoteAdded:
    """Append the reporter's note (its text, a shared location in its data) and its photo."""
    note = (text or "").strip()[:NOTE_MAX] or None
    data: dict[str, object] = {"channel": channel}
    if location is not None:
        data["location"] = {"lat": location["lat"], "lon": location["lon"]}
    event_id = await complaint_repo.add_event(
        conn,
        target.complaint_id,
        complaint_repo.EventRow(NOTE_KIND, "reporter", now, internal_note=note, data=data),
    )
    if photo is None:
        return NoteAdded(event_id)
    position = await complaint_repo.add_reporter_photo(conn, target.complaint_id, event_id, photo)
    return NoteAdded(event_id, position, photo_refused=position is None)
