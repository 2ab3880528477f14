"""The report dialogue, step by step, with the draft helpers and the prompts of each step.

A report reaches its summary as soon as the dialogue knows what and where: a first message
that says both ("Jalan berlubang di Jl. Merdeka 5") goes straight to the summary, and Kirim
files it, two turns; without a place the dialogue asks where once (a shared location or a
typed address), three. Photos are welcome at any step, the summary included. Rahasia and
anonim take the city's defaults unless the text accuses someone or asks for privacy (then one
question with three answers comes before the summary), or the citizen types RAHASIA or ANONIM
at the summary. Greetings, thanks and acknowledgements are answered and never become text.
"""

from __future__ import annotations

from typing import Any

from bots import chat_text, conversations
from bots.channels import traits
from bots.dialogue_summary import summary_fields
from bots.dialogue_types import (
    ADDRESS_MAX,
    _Intent,
    _PhotoResult,
    _Prepared,
    _Turn,
)
from lapor import i18n, privacy, tracking
from lapor.complaints import LAT_RANGE, LON_RANGE, TEXT_MAX, TEXT_MIN
from lapor.photos import MAX_PHOTOS

# What small talk is answered with (bot.<key>); then the step the chat is at is asked again.
_SMALL_TALK_REPLIES = {
    "salam": "reply_salam",
    "greeting": "chat.reply_greeting",
    "thanks": "chat.reply_thanks",
    "ack": "chat.reply_ack",
}


class ReportSteps:
    """The engine's report steps and draft helpers; mixed into `Engine`."""

    async def _on_text(self, conn, turn: _Turn, intent: _Intent, prepared) -> None:
        text = (intent.argument or "").strip()
        if not any(ch.isalnum() for ch in text):
            turn.note("no_words")
            self._prompt(turn)
            return
        if turn.state in ("idle", "describing", "editing", "confirm") and len(text) > TEXT_MAX:
            turn.note("text_too_long", maximum=TEXT_MAX)
            self._prompt(turn)
            return
        if turn.state in ("idle", "describing", "location", "confirm", "rahasia") and (
            kind := chat_text.small_talk(text)
        ):
            turn.note(_SMALL_TALK_REPLIES[kind])
            self._prompt(turn)
            return
        if turn.state == "idle":
            opener, text = chat_text.opening(text)
            if opener == "salam":
                turn.note("reply_salam")
            if await self._follow_up(conn, turn, text=text):
                return
            self._new_draft(turn)
            if self._not_a_complaint(text):
                # "Jam berapa kantor buka?": the model calls it no complaint. The text is held:
                # the next message replaces it, and Lanjut files it after all, in case the
                # model was wrong. A held draft expires without a word.
                self._append(turn, text)
                self._change(turn, held=True)
                self._prompt(turn)
                return
            self._describe(turn, text)
        elif turn.state == "describing":
            if turn.draft.get("held"):
                self._change(turn, text="", held=False)
            self._describe(turn, text)
        elif turn.state == "location":
            if chat_text.looks_like_address(text):
                if len(text) > ADDRESS_MAX:
                    turn.say("address_too_long", maximum=ADDRESS_MAX)
                    return
                self._change(turn, location={"address": text})
                turn.note("location_noted")
                self._advance(turn)
            elif self._append(turn, text):  # more of the story: keep it, ask where again
                turn.note("chat.description_added")
                self._prompt(turn)
            else:
                turn.note("text_too_long", maximum=TEXT_MAX)
                self._prompt(turn)
        elif turn.state == "editing":
            if len(text) < TEXT_MIN:
                turn.say(
                    "description_too_short",
                    turn.button("button_cancel", "cancel"),
                    minimum=TEXT_MIN,
                )
                return
            self._change(turn, text=text)
            self._go(turn, "confirm")
        elif turn.state == "rahasia":
            turn.note("chat.choose_privacy")
            self._prompt(turn)
        else:  # confirm: more of the story before sending
            if not self._append(turn, text):
                turn.note("text_too_long", maximum=TEXT_MAX)
            else:
                turn.note("chat.description_added")
            self._prompt(turn)

    async def _on_location(self, conn, turn: _Turn, intent, prepared) -> None:
        lat, lon = turn.incoming.latitude, turn.incoming.longitude
        if (
            lat is None
            or lon is None
            or not LAT_RANGE[0] <= lat <= LAT_RANGE[1]
            or not LON_RANGE[0] <= lon <= LON_RANGE[1]
        ):
            turn.note("location_outside")
            self._prompt(turn)
            return
        city = self.services.city
        if city.area is not None and not city.area.contains(lat, lon):  # as intake refuses it
            turn.leads.append(i18n.t("place.outside_city_chat", turn.language, city=city.name))
            self._prompt(turn)
            return
        location = {"lat": float(lat), "lon": float(lon)}
        if turn.state == "idle":
            if await self._follow_up(conn, turn, location=location):
                return
            self._new_draft(turn)
            self._change(turn, location=location)
            turn.note("location_noted")
            turn.say("ask_description", turn.button("button_cancel", "cancel"))
            return
        self._change(turn, location=location)
        turn.note("location_noted")
        if turn.state in ("describing", "location"):
            self._advance(turn)
        else:
            self._prompt(turn)

    async def _on_photo(self, conn, turn: _Turn, intent, prepared: _Prepared) -> None:
        result = prepared.photo or _PhotoResult(problem="photo_fetch_failed")
        caption = (turn.incoming.text or "").strip()
        if result.problem is not None:
            turn.note(result.problem)
            self._prompt(turn)
            return
        if turn.state == "editing":
            turn.note("photo_not_now")
            self._prompt(turn)
            return
        if turn.state == "idle":
            if await self._follow_up(conn, turn, text=caption, photo=result.photo):
                return
            self._new_draft(turn)
        photos = list(turn.draft.get("photos", []))
        if len(photos) >= MAX_PHOTOS:
            turn.note("photo_limit", maximum=MAX_PHOTOS)
            self._prompt(turn)
            return
        photos.append({"sha256": result.photo.sha256, "media_type": result.photo.media_type})
        self._change(turn, photos=photos)
        turn.note("photo_noted", count=len(photos), maximum=MAX_PHOTOS)
        wants_caption = any(ch.isalnum() for ch in caption) and turn.state != "rahasia"
        if wants_caption and not self._append(turn, caption):
            turn.note("text_too_long", maximum=TEXT_MAX)
        if turn.state in ("describing", "location") and len(turn.draft["text"]) >= TEXT_MIN:
            self._advance(turn)
        else:
            self._prompt(turn)

    async def _on_next(self, conn, turn: _Turn, intent, prepared) -> None:
        if len(turn.draft["text"]) < TEXT_MIN:
            turn.say(
                "description_too_short", turn.button("button_cancel", "cancel"), minimum=TEXT_MIN
            )
            return
        if turn.draft.get("held"):  # the citizen says it is a report after all
            self._change(turn, held=False)
        self._advance(turn)

    async def _on_skip(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, location_skipped=True)
        self._advance(turn)

    async def _on_rahasia_yes(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, rahasia=True)
        self._go(turn, "confirm")

    async def _on_rahasia_anonim(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, rahasia=True, anonim=True)
        self._go(turn, "confirm")

    async def _on_rahasia_no(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, rahasia=False)
        self._go(turn, "confirm")

    async def _on_edit(self, conn, turn: _Turn, intent, prepared) -> None:
        self._go(turn, "editing")

    async def _on_make_rahasia(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, rahasia=True)
        turn.note("rahasia_set")
        self._go(turn, "confirm")

    async def _on_make_anonim(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, anonim=True)
        turn.note("chat.anonim_set")
        self._go(turn, "confirm")

    async def _on_make_public(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, rahasia=False)
        turn.note("chat.public_set")
        self._go(turn, "confirm")

    async def _on_make_named(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, anonim=False)
        turn.note("chat.named_set")
        self._go(turn, "confirm")

    async def _on_send(self, conn, turn: _Turn, intent, prepared: _Prepared) -> None:
        filing = prepared.filing
        if filing is None or filing.draft_number != turn.draft["number"]:
            # The draft moved on between preparing and locking (a concurrent message): show
            # where it stands; tapping Kirim again files it.
            self._prompt(turn)
            return
        if filing.limited_minutes is not None:  # the draft stays for a later Kirim
            turn.note("filing_limited", minutes=filing.limited_minutes)
            self._prompt(turn)
            return
        if filing.problem is not None:
            turn.note("filing_failed", reason=filing.problem)
            self._prompt(turn)
            return
        url = self.services.status_url(filing.code)
        code = tracking.display(filing.code)
        self._drop_draft(turn)
        turn.say("filed_before" if filing.replayed_elsewhere else "filed", code=code, url=url)

    # -- dialogue helpers

    def _new_draft(self, turn: _Turn) -> None:
        turn.drafts_started += 1
        turn.draft = {
            "number": turn.drafts_started,
            "text": "",
            "location": None,
            "photos": [],
            "rahasia": None,  # None: the city's default
            "anonim": None,
        }
        turn.state = "describing"
        turn.expires_at = self.services.clock.now() + conversations.DRAFT_LIFETIME

    def _drop_draft(self, turn: _Turn) -> None:
        turn.draft, turn.state, turn.expires_at = None, "idle", None

    def _change(self, turn: _Turn, **values: Any) -> None:
        turn.draft = {**turn.draft, **values}
        turn.expires_at = self.services.clock.now() + conversations.DRAFT_LIFETIME

    def _not_a_complaint(self, text: str) -> bool:
        """The routing model's word on a first message: a greeting, thanks or question."""
        try:
            return self.services.router.route(text, None).non_complaint
        except ValueError:  # EmptyText: nothing the model can read, so no verdict
            return False

    def _append(self, turn: _Turn, text: str) -> bool:
        """Add a message to the description; False (nothing changed) when it would not fit."""
        current = turn.draft["text"]
        combined = f"{current}\n{text}" if current else text
        if len(combined) > TEXT_MAX:
            return False
        self._change(turn, text=combined)
        return True

    def _describe(self, turn: _Turn, text: str) -> None:
        """More of the story while the draft is being described; on to the next step once it
        is long enough to be one."""
        if not self._append(turn, text):
            turn.say("text_too_long", maximum=TEXT_MAX)
            return
        if len(turn.draft["text"]) < TEXT_MIN:
            self._prompt(turn)
            return
        self._advance(turn, described=True)

    def _advance(self, turn: _Turn, *, described: bool = False) -> None:
        """The next thing the draft needs: a longer text, a place, the privacy question when
        the text calls for it, else the summary to send."""
        draft = turn.draft
        text = draft["text"]
        if len(text) < TEXT_MIN:
            self._go(turn, "describing")
            return
        if not (draft.get("location") or draft.get("location_skipped") or draft.get("in_text")):
            if not chat_text.names_place(text):
                if described:
                    turn.note("chat.noted")
                self._go(turn, "location")
                return
            self._change(turn, in_text=True)
        if not draft.get("privacy_asked") and (
            privacy.accuses_someone(text) or chat_text.asks_privacy(text)
        ):
            self._change(turn, privacy_asked=True)
            self._go(turn, "rahasia")
            return
        self._go(turn, "confirm")

    def _go(self, turn: _Turn, state: str) -> None:
        if state == "photos" and not traits(turn.incoming.channel).photos:
            state = "rahasia"  # a channel that carries no photos (SMS) skips their step
        if state == "confirm" and self._similar_due(turn):
            # Similar open reports first (bots/dialogue_similar.py): the engine looks them up
            # after this step and asks, or shows the summary when there are none.
            turn.state = "similar"
            turn.expires_at = self.services.clock.now() + conversations.DRAFT_LIFETIME
            return
        turn.state = state
        turn.expires_at = self.services.clock.now() + conversations.DRAFT_LIFETIME
        self._prompt(turn)

    def _remind(self, turn: _Turn) -> None:
        """After a side question (help, language), show where the report stands."""
        if turn.draft is not None:
            self._prompt(turn)

    def _prompt(self, turn: _Turn) -> None:
        """Ask what the current step needs, with its buttons."""
        cancel = turn.button("button_cancel", "cancel")
        state = turn.state
        if state == "idle":
            turn.say("start_hint")
        elif state == "describing":
            self._ask_description(turn)
        elif state == "location":
            turn.say("ask_location", turn.button("button_skip", "skip"), cancel)
        elif state == "rahasia":
            if privacy.accuses_someone(turn.draft["text"]):
                turn.note("suggest_rahasia")
            turn.say(
                "chat.ask_privacy",
                turn.button("chat.button_rahasia", "rahasia_yes"),
                turn.button("chat.button_rahasia_anonim", "rahasia_anonim"),
                turn.button("button_no", "rahasia_no"),
            )
        elif state == "confirm":
            turn.say(
                "summary",
                turn.button("button_send", "send"),
                turn.button("button_edit", "edit"),
                cancel,
                **summary_fields(self.services, turn),
            )
        elif state == "editing":
            turn.say("ask_rewrite", cancel)
        elif state == "similar" and "similar" in turn.draft:
            self._prompt_similar(turn)

    def _ask_description(self, turn: _Turn) -> None:
        cancel = turn.button("button_cancel", "cancel")
        length = len(turn.draft["text"])
        if turn.draft.get("held"):
            turn.say("reply_not_a_complaint", turn.button("button_next", "next"), cancel)
        elif length == 0:
            turn.say("ask_description", cancel)
        elif length < TEXT_MIN:
            turn.say("description_too_short", cancel, minimum=TEXT_MIN)
        else:
            turn.say("description_noted", turn.button("button_next", "next"), cancel, length=length)
