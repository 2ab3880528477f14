"""After filing: what the citizen sends next (a question, "kapan?", a new photo, a location)
goes to their latest open complaint as a note for its officers, instead of opening a new draft
(lapor.citizen_notes says which complaint and for how long). /lapor or "lapor baru" still
starts a new report; greetings and thanks are answered before this is asked (ReportSteps)."""

from __future__ import annotations

from collections.abc import Mapping

from bots.dialogue_types import _label, _Turn
from lapor import citizen_notes, tracking
from lapor.photos import Photo


class FollowupSteps:
    """The engine's follow-up step; mixed into `Engine`."""

    async def _follow_up(
        self,
        conn,
        turn: _Turn,
        *,
        text: str | None = None,
        photo: Photo | None = None,
        location: Mapping[str, float] | None = None,
    ) -> bool:
        """Attach the message to the chat's open complaint as a note; False when there is
        none in the window (the message then starts a new report)."""
        incoming = turn.incoming
        now = self.services.clock.now()
        target = await citizen_notes.followup_target(
            conn, self.services.city, incoming.channel, incoming.chat_id, now
        )
        if target is None:
            return False
        added = await citizen_notes.add_note(
            conn,
            target,
            channel=incoming.channel,
            now=now,
            text=text,
            photo=photo,
            location=location,
        )
        if added.photo_refused:
            turn.note("chat.note_photo_refused")
        turn.say(
            "chat.note_added",
            code=tracking.display(target.tracking_code),
            label=_label(turn, target.status),
        )
        return True
