"""The report dialogue, step by step: describe, locate, photograph, choose rahasia and anonim,
confirm and send; with the draft helpers and the prompts of each step."""

from __future__ import annotations

from typing import Any

from bots import conversations
from bots.channels import traits
from bots.dialogue_types import (
    _SALAM,
    ADDRESS_MAX,
    SUMMARY_TEXT_MAX,
    _Intent,
    _PhotoResult,
    _Prepared,
    _Turn,
)
from lapor import i18n, privacy, tracking
from lapor.complaints import LAT_RANGE, LON_RANGE, TEXT_MAX, TEXT_MIN
from lapor.photos import MAX_PHOTOS


class ReportSteps:
    """The engine's report steps and draft helpers; mixed into `Engine`."""

    async def _on_text(self, conn, turn: _Turn, intent: _Intent, prepared) -> None:
        text = (intent.argument or "").strip()
        if not any(ch.isalnum() for ch in text):
            turn.note("no_words")
            self._prompt(turn)
            return
        if turn.state in ("idle", "describing", "editing") and len(text) > TEXT_MAX:
            turn.note("text_too_long", maximum=TEXT_MAX)
            self._prompt(turn)
            return
        if turn.state == "idle":
            self._new_draft(turn)
            self._append(turn, text)
            if self._not_a_complaint(text):
                # "Assalamualaikum", "terima kasih", "jam berapa kantor buka?" are answered as
                # conversation. The text is kept as a held draft: the next message replaces it
                # (a greeting never becomes report text), and Lanjut files it after all, in
                # case the model was wrong. A held draft expires without a word.
                self._change(turn, held=True)
                if _SALAM.match(text):
                    turn.note("reply_salam")
                turn.say(
                    "reply_not_a_complaint",
                    turn.button("button_next", "next"),
                    turn.button("button_cancel", "cancel"),
                )
                return
            self._acknowledge_description(turn)
        elif turn.state == "describing":
            if turn.draft.get("held"):
                self._change(turn, text="", held=False)
            if not self._append(turn, text):
                turn.say("text_too_long", maximum=TEXT_MAX)
                return
            self._acknowledge_description(turn)
        elif turn.state == "location":
            if len(text) > ADDRESS_MAX:
                turn.say("address_too_long", maximum=ADDRESS_MAX)
                return
            self._change(turn, location={"address": text})
            turn.note("location_noted")
            self._go(turn, "photos")
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
        elif turn.state == "photos":
            turn.note("photos_text_hint")
            self._prompt(turn)
        elif turn.state in ("rahasia", "anonim"):
            turn.note("choose_yes_no")
            self._prompt(turn)
        else:  # confirm
            turn.note("confirm_hint")
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
            self._new_draft(turn)
            self._change(turn, location=location)
            turn.note("location_noted")
            turn.say("ask_description", turn.button("button_cancel", "cancel"))
            return
        self._change(turn, location=location)
        turn.note("location_noted")
        if turn.state == "location" or (
            turn.state == "describing" and len(turn.draft["text"]) >= TEXT_MIN
        ):
            self._go(turn, "photos")
        else:
            self._prompt(turn)

    async def _on_photo(self, conn, turn: _Turn, intent, prepared: _Prepared) -> None:
        result = prepared.photo or _PhotoResult(problem="photo_fetch_failed")
        if result.problem is not None:
            turn.note(result.problem)
            self._prompt(turn)
            return
        if turn.state not in ("idle", "describing", "location", "photos"):
            turn.note("photo_not_now")
            self._prompt(turn)
            return
        if turn.state == "idle":
            self._new_draft(turn)
        photos = list(turn.draft.get("photos", []))
        if len(photos) >= MAX_PHOTOS:
            turn.note("photo_limit", maximum=MAX_PHOTOS)
            self._prompt(turn)
            return
        photos.append({"sha256": result.photo.sha256, "media_type": result.photo.media_type})
        self._change(turn, photos=photos)
        turn.note("photo_noted", count=len(photos), maximum=MAX_PHOTOS)
        caption = (turn.incoming.text or "").strip()
        wants_caption = turn.state == "describing" and any(ch.isalnum() for ch in caption)
        if wants_caption and not self._append(turn, caption):
            turn.note("text_too_long", maximum=TEXT_MAX)
        if turn.state == "photos" and len(photos) >= MAX_PHOTOS:
            self._go(turn, "rahasia")
        elif turn.state == "describing":
            self._acknowledge_description(turn)
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
        self._go(turn, "photos" if turn.draft.get("location") else "location")

    async def _on_skip(self, conn, turn: _Turn, intent, prepared) -> None:
        self._go(turn, "photos")

    async def _on_done(self, conn, turn: _Turn, intent, prepared) -> None:
        self._go(turn, "rahasia")

    async def _on_rahasia_yes(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, rahasia=True)
        self._go(turn, "anonim")

    async def _on_rahasia_no(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, rahasia=False)
        self._go(turn, "anonim")

    async def _on_anonim_yes(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, anonim=True)
        self._go(turn, "confirm")

    async def _on_anonim_no(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, anonim=False)
        self._go(turn, "confirm")

    async def _on_edit(self, conn, turn: _Turn, intent, prepared) -> None:
        self._go(turn, "editing")

    async def _on_make_rahasia(self, conn, turn: _Turn, intent, prepared) -> None:
        self._change(turn, rahasia=True)
        turn.note("rahasia_set")
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
            "rahasia": None,
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

    def _acknowledge_description(self, turn: _Turn) -> None:
        length = len(turn.draft["text"])
        if length == 0:
            turn.say("ask_description", turn.button("button_cancel", "cancel"))
            return
        if length < TEXT_MIN:
            turn.say(
                "description_too_short", turn.button("button_cancel", "cancel"), minimum=TEXT_MIN
            )
            return
        turn.say(
            "description_noted",
            turn.button("button_next", "next"),
            turn.button("button_cancel", "cancel"),
            length=length,
        )

    def _go(self, turn: _Turn, state: str) -> None:
        if state == "photos" and not traits(turn.incoming.channel).photos:
            state = "rahasia"  # a channel that carries no photos (SMS) skips their step
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
            self._acknowledge_description(turn)
        elif state == "location":
            turn.say("ask_location", turn.button("button_skip", "skip"), cancel)
        elif state == "photos":
            turn.say("ask_photos", turn.button("button_done", "done"), cancel, maximum=MAX_PHOTOS)
        elif state in ("rahasia", "anonim"):
            if state == "rahasia" and privacy.accuses_someone(turn.draft["text"]):
                turn.note("suggest_rahasia")
            default = getattr(self.services.city, f"{state}_default")
            turn.say(
                f"ask_{state}",
                turn.button("button_yes", f"{state}_yes"),
                turn.button("button_no", f"{state}_no"),
                cancel,
                default=turn.t("yes" if default else "no"),
            )
        elif state == "confirm":
            turn.say(
                "summary",
                turn.button("button_send", "send"),
                turn.button("button_edit", "edit"),
                cancel,
                **self._summary(turn),
            )
        elif state == "editing":
            turn.say("ask_rewrite", cancel)

    def _summary(self, turn: _Turn) -> dict[str, str]:
        draft = turn.draft
        text = draft["text"]
        if len(text) > SUMMARY_TEXT_MAX:
            text = text[: SUMMARY_TEXT_MAX - 1].rstrip() + "…"
        location = draft.get("location") or {}
        if location.get("lat") is not None:
            where = turn.t("summary_coordinates", lat=location["lat"], lon=location["lon"])
        else:
            where = location.get("address") or turn.t("summary_no_location")
        decision = self.services.router.route(draft["text"], None)
        category = self.services.city.categories.get(decision.category or "")
        # What the public copy will hide, and the advice to file it rahasia (privacy.py): the
        # same reading intake makes, told before sending.
        notes = ""
        if not draft.get("rahasia"):
            copy = privacy.public_copy(draft["text"])
            if copy.kinds:
                kinds = ", ".join(privacy.label(kind, turn.language) for kind in copy.kinds)
                notes += turn.t("summary_hidden", kinds=kinds)
            if copy.accusation:
                notes += turn.t("summary_suggest_rahasia")
        return {
            "privacy": notes,
            "text": text,
            "location": where,
            "photos": str(len(draft.get("photos", []))),
            "rahasia": turn.t("yes" if draft.get("rahasia") else "no"),
            "anonim": turn.t("yes" if draft.get("anonim") else "no"),
            "category": (
                turn.t("summary_category_note", name=category.name)
                if category is not None and not category.desk
                else turn.t("summary_no_category")
            ),
        }
