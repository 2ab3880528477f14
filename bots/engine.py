"""The channel-agnostic dialogue: one conversation per chat, state in PostgreSQL, replies
through the outbox.

Adapters turn a Telegram update or a WhatsApp webhook into an `Incoming` and call
`Engine.handle`; they never send a reply themselves. `handle` works in two phases:

1. *Prepare*, outside any transaction: whatever talks to the network or takes its own pool
   connection (downloading a photo, looking a code up, filing the complaint on Kirim). Doing
   it later, while the conversation row is locked, would hold one connection while waiting for
   another: with as many concurrent redeliveries as the pool has connections, that deadlocks.
   Every step here is safe to repeat: photos are stored by hash, filing uses an idempotency key
   derived from the draft.
2. *Decide*, in one transaction: record the delivery (a duplicate stops here, silently), lock
   the conversation row (`FOR UPDATE`: one chat's messages are serialized across processes),
   move the dialogue on, and queue the replies in the outbox. Nothing is held in memory
   between messages, so a restart or another instance carries on where the citizen was.

Button data (Telegram callback data, WhatsApp interactive reply ids), all under 64 bytes:
``lapor:<action>:<draft>`` for the report dialogue, where ``<draft>`` numbers the chat's drafts
so a button of an older draft is recognised as stale; ``bahasa:id`` / ``bahasa:en`` for the
language; any prefix registered with `Engine.on_choice` (e.g. ``survey:``) for other features.

Typed text and other features (`Engine.on_text`), in this order of precedence:
1. the dialogue's own words always stay the dialogue's: slash commands, ``cek <kode>``, and,
   while a report draft is open, ``batal`` and the words that stand for its buttons;
2. while a report draft is open, any other text belongs to the draft (a feature never takes
   the text of a report being written);
3. otherwise the registered text handlers are asked, in the order registered; the first that
   returns replies has consumed the text (e.g. a survey waiting for its comment);
4. otherwise the dialogue reads it: small talk is answered (bots.chat_text); within the city's
   window after filing, it is a note on the chat's open complaint (bots.dialogue_followup);
   else it starts a new report.

The engine keeps the turn (both phases, the handlers, the lock); the rest lives beside it:
`bots.dialogue_types` (what travels through a turn), `bots.dialogue_intent` (what a message
means), `bots.chat_text` (what free text says: small talk, a place, a wish for privacy),
`bots.dialogue_commands`, `bots.dialogue_report` and `bots.dialogue_followup` (the steps,
mixed into `Engine`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import asyncpg

from bots import conversations
from bots.conversations import expire_drafts, forget_deliveries
from bots.dialogue_commands import CommandSteps
from bots.dialogue_followup import FollowupSteps
from bots.dialogue_intent import intent_of
from bots.dialogue_report import ReportSteps
from bots.dialogue_similar import SimilarSteps
from bots.dialogue_types import (
    CHANNELS,
    ChoiceHandler,
    Conversation,
    Incoming,
    MediaFetcher,
    Reply,
    TextHandler,
    _FilingResult,
    _PhotoResult,
    _Prepared,
    _reason,
    _StatusResult,
    _Turn,
    current_state,
)
from lapor import complaints, emergency, ratelimit, tracking
from lapor.auth import current_reporter_token
from lapor.complaints import Viewer
from lapor.context import Services
from lapor.errors import (
    DomainError,
    IdempotencyMismatch,
    NotFound,
    PayloadTooLarge,
    StorageUnavailable,
)
from lapor.outbox import Message, enqueue
from lapor.photos import Photo, TooManyPixels, UnreadablePhoto, accept_photo
from lapor.repo import conversations as conversation_repo
from lapor.repo import idempotency

log = logging.getLogger(__name__)

__all__ = [
    "Conversation",
    "ChoiceHandler",
    "Engine",
    "Incoming",
    "MediaFetcher",
    "Reply",
    "TextHandler",
    "expire_drafts",
    "forget_deliveries",
]


# ------------------------------------------------------------------------------- the engine


class Engine(CommandSteps, ReportSteps, FollowupSteps, SimilarSteps):
    """One per process; stateless between messages (everything lives in PostgreSQL)."""

    def __init__(self, services: Services, media: Mapping[str, MediaFetcher]) -> None:
        self.services = services
        self.media = media
        self._choice_handlers: dict[str, ChoiceHandler] = {}
        self._text_handlers: list[TextHandler] = []

    def on_choice(self, prefix: str, handler: ChoiceHandler) -> None:
        """Send every choice whose data starts with `prefix` (e.g. "survey:") to `handler`,
        whatever state the conversation is in. See `ChoiceHandler` for the contract."""
        if prefix.startswith(("lapor:", "bahasa:")):
            raise ValueError(f"prefix {prefix!r} belongs to the engine")
        self._choice_handlers[prefix] = handler

    def on_text(self, handler: TextHandler) -> None:
        """Offer typed text to `handler` before the dialogue starts a new report with it;
        never while a report draft is open. See `TextHandler` for the contract."""
        self._text_handlers.append(handler)

    # -- entry point

    async def handle(self, incoming: Incoming) -> None:
        """Process one delivery. Never raises for anything the citizen sent; a database that
        is down does raise, so the adapter can answer 5xx and the channel delivers again."""
        if incoming.channel not in CHANNELS:
            raise ValueError(f"unknown channel {incoming.channel!r}")
        if incoming.text and "\x00" in incoming.text:  # PostgreSQL text cannot hold NUL
            incoming = replace(incoming, text=incoming.text.replace("\x00", ""))
        async with self.services.pool.acquire() as conn:
            if await conversation_repo.seen_delivery(conn, incoming.channel, incoming.message_id):
                return
            row = await conversation_repo.read(conn, incoming.channel, incoming.chat_id)
        prepared = await self._prepare(incoming, row)
        now = self.services.clock.now()
        async with self.services.pool.acquire() as conn, conn.transaction():
            recorded = await conversation_repo.record_delivery(
                conn, incoming.channel, incoming.message_id, now
            )
            if not recorded:
                return  # delivered before (or right now, by a concurrent duplicate)
            turn = await self._lock(conn, incoming, now)
            self._emergency_first(turn)
            before = turn.snapshot()
            await self._expire_lazily(conn, turn, now)
            await self._step_safely(conn, turn, prepared)
            if turn.snapshot() != before:
                await conversation_repo.save(
                    conn,
                    incoming.channel,
                    incoming.chat_id,
                    turn.language,
                    turn.state,
                    turn.draft,
                    turn.expires_at,
                    turn.drafts_started,
                    now,
                )
            for number, reply in enumerate(turn.replies):
                await enqueue(
                    conn,
                    Message(
                        channel=incoming.channel,
                        recipient=incoming.chat_id,
                        kind="bot_reply",
                        text=reply.text,
                        buttons=reply.buttons[:3],
                        dedupe_key=f"reply:{incoming.channel}:{incoming.message_id}:{number}",
                    ),
                    now,
                )

    def _emergency_first(self, turn: _Turn) -> None:
        """A message that reads as an emergency under way (a fire, a collapse, someone hurt)
        is answered with the city's emergency numbers before anything else; then the dialogue
        goes on as usual (lapor/emergency.py)."""
        if turn.incoming.kind in ("text", "photo"):
            notice = emergency.chat_notice(self.services.city, turn.incoming.text, turn.language)
            if notice is not None:
                turn.replies.append(Reply(notice))

    async def _step_safely(
        self, conn: asyncpg.Connection, turn: _Turn, prepared: _Prepared
    ) -> None:
        """A bug met by one message becomes an apology, not an exception: the channel would
        otherwise redeliver the message again and again (Telegram holds back the chat's later
        updates meanwhile). A lost database connection still raises."""
        saved = (turn.language, turn.state, turn.draft, turn.expires_at, turn.drafts_started)
        kept = list(turn.replies)
        try:
            async with conn.transaction():  # a savepoint: the failed step leaves no writes
                await self._step(conn, turn, prepared)
        except (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError):
            raise
        except Exception:
            log.exception(
                "bot step failed channel=%s kind=%s", turn.incoming.channel, turn.incoming.kind
            )
            turn.language, turn.state, turn.draft, turn.expires_at, turn.drafts_started = saved
            turn.replies, turn.leads = kept, []
            turn.say("error")

    async def _lock(self, conn: asyncpg.Connection, incoming: Incoming, now: datetime) -> _Turn:
        row = await conversation_repo.lock(conn, incoming.channel, incoming.chat_id)
        if row is None:
            language = "en" if (incoming.language or "").lower().startswith("en") else "id"
            await conversation_repo.create(conn, incoming.channel, incoming.chat_id, language, now)
            row = await conversation_repo.lock(conn, incoming.channel, incoming.chat_id)
        return _Turn(
            incoming,
            row["language"],
            current_state(row["state"]),
            dict(row["draft"]) if row["draft"] is not None else None,
            row["expires_at"],
            row["drafts_started"],
        )

    async def _expire_lazily(self, conn: asyncpg.Connection, turn: _Turn, now: datetime) -> None:
        if turn.draft is None or turn.expires_at is None or turn.expires_at > now:
            return
        channel, chat_id = turn.incoming.channel, turn.incoming.chat_id
        await conversations.tell_expired(conn, channel, chat_id, turn.language, turn.draft, now)
        self._drop_draft(turn)

    # -- phase 1: work outside the transaction

    async def _prepare(self, incoming: Incoming, row: asyncpg.Record | None) -> _Prepared:
        now = self.services.clock.now()
        state, draft = "idle", None
        if row is not None and row["draft"] is not None and row["expires_at"] > now:
            state, draft = current_state(row["state"]), row["draft"]
        intent = intent_of(incoming, state, draft)
        if incoming.kind == "photo":
            return _Prepared(photo=await self._fetch_photo(incoming))
        if intent.name == "status" and intent.argument:
            return _Prepared(status=await self._look_up(incoming, intent.argument))
        if intent.name == "send" and draft is not None:
            return _Prepared(filing=await self._file(incoming, draft))
        return _Prepared()

    async def _fetch_photo(self, incoming: Incoming) -> _PhotoResult:
        fetcher = self.media.get(incoming.channel)
        if fetcher is None or not incoming.photo_ref:
            return _PhotoResult(problem="photo_fetch_failed")
        try:
            data = await fetcher.fetch(incoming.photo_ref)
        except PayloadTooLarge:  # the channel stated the size, or the download passed the limit
            log.info("bot photo too large channel=%s", incoming.channel)
            return _PhotoResult(problem="photo_too_large")
        except Exception:  # noqa: BLE001 - any other download failure is the same to the citizen
            log.warning("bot photo fetch failed channel=%s", incoming.channel, exc_info=True)
            return _PhotoResult(problem="photo_fetch_failed")
        try:
            photo = await accept_photo(data)
        except TooManyPixels:
            return _PhotoResult(problem="photo_too_many_pixels")
        except PayloadTooLarge:
            return _PhotoResult(problem="photo_too_large")
        except UnreadablePhoto:
            return _PhotoResult(problem="photo_unreadable")
        except DomainError:
            return _PhotoResult(problem="photo_not_image")
        try:
            await self.services.photos.put(photo)
        except StorageUnavailable:
            log.warning("bot photo not stored channel=%s", incoming.channel)
            return _PhotoResult(problem="photo_fetch_failed")
        return _PhotoResult(photo=photo)

    async def _look_up(self, incoming: Incoming, code_text: str) -> _StatusResult:
        normalized = tracking.normalize(code_text)
        shown = code_text.strip().upper()[:20]
        if normalized is tracking.CodeProblem.CHECK_FAILED:
            return _StatusResult(shown, problem="code_typo")
        if normalized is tracking.CodeProblem.MALFORMED:
            return _StatusResult(shown, problem="code_malformed")
        # The citizen who reported it sees it even when rahasia, as with the access token.
        async with self.services.pool.acquire() as conn:
            own = await conversation_repo.reported_by(
                conn, normalized, incoming.channel, incoming.chat_id
            )
            secret = self.services.secret_key
            token = await current_reporter_token(conn, secret, normalized) if own else None
        try:
            view = await complaints.public_view(self.services, normalized, Viewer(token=token))
        except NotFound:
            return _StatusResult(tracking.display(normalized), problem="code_unknown")
        return _StatusResult(tracking.display(normalized), view=view)

    async def _file(self, incoming: Incoming, draft: Mapping[str, Any]) -> _FilingResult:
        number = draft["number"]
        key = f"{incoming.channel}:{incoming.chat_id}:{number}"
        city = self.services.city
        data: dict[str, Any] = {
            "text": draft["text"],
            "rahasia": draft.get("rahasia"),
            "anonim": draft.get("anonim"),
        }
        if draft.get("location"):
            data["location"] = dict(draft["location"])
        name = (incoming.sender_name or "").strip()[:120]
        anonim = city.anonim_default if draft.get("anonim") is None else draft["anonim"]
        if name and not anonim:
            data["reporter"] = {"name": name}  # an anonim reporter's name is not even stored
        photos = []
        for item in draft.get("photos", []):
            try:
                content = await self.services.photos.get(item["sha256"], item["media_type"])
            except OSError:
                log.warning("bot draft photo missing from the store sha256=%s", item["sha256"])
                continue
            except StorageUnavailable as error:  # tried again on the next Kirim
                return _FilingResult(number, problem=_reason(error))
            photos.append(Photo(content, item["media_type"], item["sha256"]))
        try:
            intake = complaints.parse_intake(
                data,
                channel=incoming.channel,
                category_codes=list(city.categories),
                rahasia_default=city.rahasia_default,
                anonim_default=city.anonim_default,
                photos=photos,
                chat_id=incoming.chat_id,
                city=city,
            )
            # Checked before anything is written, counted only when a complaint is made: a Kirim
            # delivered again (or a hundred times at once) is one filing, not a hundred.
            limit_key = f"filing_per_chat:chat:{incoming.channel}:{incoming.chat_id}"
            limit = city.limits.filing_per_chat
            await ratelimit.check(self.services, limit_key, limit)
            filed = await complaints.file_complaint(self.services, intake, idempotency_key=key)
            if not filed.replayed:
                await ratelimit.count(self.services, limit_key, limit)
        except ratelimit.TooManyRequests as error:
            return _FilingResult(number, limited_minutes=error.minutes)
        except IdempotencyMismatch:
            # Filed before from an earlier version of this draft, and the answer was lost.
            async with self.services.pool.acquire() as conn:
                code = await conversation_repo.key_owner(
                    conn,
                    key,
                    self.services.clock.now() - idempotency.KEY_LIFETIME,
                )
            if code is None:
                raise
            return _FilingResult(number, code=code, replayed_elsewhere=True)
        except DomainError as error:
            return _FilingResult(number, problem=_reason(error))
        return _FilingResult(number, code=filed.tracking_code)

    # -- phase 2: the dialogue, inside the transaction

    async def _step(self, conn: asyncpg.Connection, turn: _Turn, prepared: _Prepared) -> None:
        incoming = turn.incoming
        if incoming.kind == "choice" and (handler := self._handler_for(incoming.choice)):
            await self._run_handler(conn, turn, handler)
            return
        intent = intent_of(incoming, turn.state, turn.draft)
        if intent.name == "text" and turn.draft is None:
            for text_handler in self._text_handlers:
                if await self._run_handler(conn, turn, text_handler):
                    return
        action = getattr(self, f"_on_{intent.name}")
        await action(conn, turn, intent, prepared)
        if turn.state == "similar" and turn.draft is not None and "similar" not in turn.draft:
            await self._offer_similar(conn, turn)  # bots/dialogue_similar.py
        turn.flush()

    def _handler_for(self, data: str | None) -> ChoiceHandler | None:
        for prefix, handler in self._choice_handlers.items():
            if data and data.startswith(prefix):
                return handler
        return None

    async def _run_handler(
        self, conn: asyncpg.Connection, turn: _Turn, handler: ChoiceHandler | TextHandler
    ) -> bool:
        """Run a feature's handler; False when it left the message to others (returned None)."""
        conversation = Conversation(
            turn.incoming.channel, turn.incoming.chat_id, turn.language, turn.state, turn.draft
        )
        try:
            async with conn.transaction():  # a savepoint: a failed handler leaves no half-write
                answers = await handler(conn, turn.incoming, conversation)
        except DomainError as error:
            turn.say("invalid", reason=_reason(error))
            return True
        if answers is None:
            return False
        for answer in answers:
            turn.replies.append(answer if isinstance(answer, Reply) else Reply(str(answer)))
        return True
