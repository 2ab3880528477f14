"""The report dialogue's offer of similar open reports (lapor/support.py): once the citizen has
given what and where (a shared point), at most two open reports near it that say much the same
are offered before the summary, each with "Saya juga mengalami" (support it and follow it in
this chat, instead of filing) and one "Tetap laporkan baru" (on to the summary). On SMS the
three are numbered choices. Mixed into `Engine`, beside bots.dialogue_report."""

from __future__ import annotations

from typing import Any

from bots.dialogue_types import _reason, _Turn
from lapor import support, tracking
from lapor.errors import DomainError

OFFERED_MAX = 2
SUMMARY_MAX = 120  # each candidate's words in the chat message


class SimilarSteps:
    """The engine's "similar" step; mixed into `Engine`."""

    def _similar_due(self, turn: _Turn) -> bool:
        """Whether the draft, on its way to the summary, has yet to be compared: it has a
        point (a typed address cannot be measured) and was not compared before."""
        location = turn.draft.get("location") or {}
        return "similar" not in turn.draft and location.get("lat") is not None

    async def _offer_similar(self, conn, turn: _Turn) -> None:
        """Look for similar open reports (in the turn's transaction) and offer them; with none,
        on to the summary as if nothing had happened."""
        draft = turn.draft
        location = draft["location"]
        found = await support.similar(
            self.services,
            draft["text"],
            location["lat"],
            location["lon"],
            limit=OFFERED_MAX,
            conn=conn,
        )
        offered: list[dict[str, Any]] = [
            {
                "code": candidate.tracking_code,
                "summary": candidate.summary[:SUMMARY_MAX],
                "distance": candidate.distance_m,
                "count": candidate.support_count,
            }
            for candidate in found[:OFFERED_MAX]
        ]
        self._change(turn, similar=offered)
        self._go(turn, "similar" if offered else "confirm")

    def _prompt_similar(self, turn: _Turn) -> None:
        offered = turn.draft.get("similar") or []
        items = "\n".join(
            turn.t(
                "similar.item",
                number=number,
                code=tracking.display(item["code"]),
                distance=item["distance"],
                count=item["count"],
                summary=item["summary"],
            )
            for number, item in enumerate(offered, start=1)
        )
        draft = turn.draft["number"]
        buttons = [
            (turn.t("similar.button_support", number=number), f"lapor:support_{number}:{draft}")
            for number in range(1, len(offered) + 1)
        ]
        buttons.append(turn.button("similar.button_new", "report_new"))
        turn.say("similar.offer", *buttons, items=items)

    async def _on_support_1(self, conn, turn: _Turn, intent, prepared) -> None:
        await self._support_offered(conn, turn, 0)

    async def _on_support_2(self, conn, turn: _Turn, intent, prepared) -> None:
        await self._support_offered(conn, turn, 1)

    async def _on_report_new(self, conn, turn: _Turn, intent, prepared) -> None:
        self._go(turn, "confirm")

    async def _support_offered(self, conn, turn: _Turn, index: int) -> None:
        offered = turn.draft.get("similar") or []
        if index >= len(offered):
            self._prompt(turn)
            return
        code = offered[index]["code"]
        incoming = turn.incoming
        try:
            done = await support.support(
                self.services,
                code,
                support.Contact(chat_id=incoming.chat_id),
                incoming.channel,
                conn=conn,
            )
        except DomainError as error:  # closed meanwhile: the citizen may still file theirs
            turn.note("similar.failed", reason=_reason(error))
            self._go(turn, "confirm")
            return
        self._drop_draft(turn)
        key = "similar.supported_own" if done.own else "similar.supported"
        if done.replayed:
            key = "similar.supported_before"
        turn.say(
            key,
            code=tracking.display(code),
            count=done.support_count,
            url=self.services.status_url(code),
        )
