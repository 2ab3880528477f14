"""The dialogue's commands (/start, /bantuan, /lapor, /status, /laporanku, /batal, /bahasa):
steps the Engine runs, written as a mixin so each reads like the rest of the engine. Typed
"lapor baru" is /lapor, and "status" without a code lists the chat's open complaints."""

from __future__ import annotations

from bots import strings
from bots.dialogue_types import MY_REPORTS_LIMIT, _Intent, _label, _language_named, _Prepared, _Turn
from lapor import tracking
from lapor.repo import conversations as conversation_repo


class CommandSteps:
    """The engine's command steps; mixed into `Engine`, whose helpers they call."""

    async def _on_start(self, conn, turn: _Turn, intent, prepared) -> None:
        turn.note("greeting", city=self.services.city.name)
        turn.note("help")
        self._remind(turn)

    async def _on_bantuan(self, conn, turn: _Turn, intent, prepared) -> None:
        turn.note("help")
        self._remind(turn)

    async def _on_unknown_command(self, conn, turn: _Turn, intent, prepared) -> None:
        turn.note("unknown_command")
        turn.note("help")
        self._remind(turn)

    async def _on_lapor(self, conn, turn: _Turn, intent: _Intent, prepared) -> None:
        """/lapor or "lapor baru": a new report, even right after filing one (what is typed
        then is not a note on the last complaint)."""
        if turn.draft is not None and turn.draft.get("held"):
            # Only a message the model took for no complaint was kept: start afresh.
            self._change(turn, text="", held=False)
        elif turn.draft is not None:
            if turn.state == "describing" and intent.argument:
                self._describe(turn, intent.argument)
                return
            turn.note("draft_in_progress")
            self._prompt(turn)
            return
        else:
            self._new_draft(turn)
        if intent.argument:
            self._describe(turn, intent.argument)
            return
        turn.say("ask_description", turn.button("button_cancel", "cancel"))

    async def _on_status(self, conn, turn: _Turn, intent: _Intent, prepared: _Prepared) -> None:
        result = prepared.status
        if result is None:  # no code: the chat's open complaints
            await self._open_reports(conn, turn)
            return
        if result.problem is not None:
            turn.say(result.problem, code=result.code)
            return
        view = result.view
        lines = [turn.t("status", code=view["display_code"], label=_label(turn, view["status"]))]
        if view.get("agency"):
            lines.append(turn.t("status_agency", agency=view["agency"]["name"]))
        notes = [e["note"] for e in view["timeline"] if e.get("note")]
        if notes:
            lines.append(turn.t("status_note", note=notes[-1]))
        lines.append(turn.t("status_link", url=self.services.status_url(view["tracking_code"])))
        turn.send("\n".join(lines))

    async def _open_reports(self, conn, turn: _Turn) -> None:
        rows = await conversation_repo.open_reports(
            conn, turn.incoming.channel, turn.incoming.chat_id, MY_REPORTS_LIMIT
        )
        if not rows:
            turn.say("chat.open_reports_none")
            return
        lines = [turn.t("chat.open_reports"), *self._report_lines(turn, rows)]
        lines.append(turn.t("chat.open_reports_hint"))
        turn.send("\n".join(lines))
        self._remind(turn)

    def _report_lines(self, turn: _Turn, rows) -> list[str]:
        zone = self.services.city.zone
        lines = []
        for row in rows:
            excerpt = " ".join(row["excerpt"].split())
            if len(excerpt) >= 60:
                excerpt = excerpt[:57].rstrip() + "…"
            lines.append(
                turn.t(
                    "my_report_line",
                    code=tracking.display(row["tracking_code"]),
                    date=row["created_at"].astimezone(zone).strftime("%d-%m-%Y"),
                    label=_label(turn, row["status"]),
                    excerpt=excerpt,
                )
            )
        return lines

    async def _on_laporanku(self, conn, turn: _Turn, intent, prepared) -> None:
        rows = await conversation_repo.my_reports(
            conn, turn.incoming.channel, turn.incoming.chat_id, MY_REPORTS_LIMIT
        )
        if not rows:
            turn.say("my_reports_none")
            return
        turn.send("\n".join([turn.t("my_reports"), *self._report_lines(turn, rows)]))

    async def _on_cancel(self, conn, turn: _Turn, intent, prepared) -> None:
        if turn.draft is None:
            turn.say("nothing_to_cancel")
            return
        self._drop_draft(turn)
        turn.say("cancelled")

    async def _on_bahasa(self, conn, turn: _Turn, intent: _Intent, prepared) -> None:
        wanted = _language_named(intent.argument)
        if wanted is None:
            turn.say("choose_language", *strings.LANGUAGE_BUTTONS)
            return
        await self._on_set_language(conn, turn, _Intent("set_language", wanted), prepared)

    async def _on_set_language(self, conn, turn: _Turn, intent: _Intent, prepared) -> None:
        if intent.argument not in strings.LANGUAGES:
            await self._on_stale(conn, turn, intent, prepared)
            return
        turn.language = intent.argument
        turn.note("language_set")
        self._remind(turn)

    # unexpected input

    async def _on_stale(self, conn, turn: _Turn, intent, prepared) -> None:
        turn.note("stale_choice")
        self._prompt(turn)

    async def _on_unsupported(self, conn, turn: _Turn, intent, prepared) -> None:
        turn.note("unsupported")
        self._prompt(turn)

    # the report dialogue
