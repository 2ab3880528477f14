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
4. otherwise the text starts a new report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

import asyncpg

from bots import conversations, strings
from bots.conversations import expire_drafts, forget_deliveries
from lapor import complaints, privacy, ratelimit, tracking
from lapor.auth import current_reporter_token
from lapor.complaints import LAT_RANGE, LON_RANGE, TEXT_MAX, TEXT_MIN, Viewer
from lapor.context import Services
from lapor.errors import DomainError, IdempotencyMismatch, NotFound, PayloadTooLarge
from lapor.outbox import Message, enqueue
from lapor.photos import MAX_PHOTOS, Photo, TooManyPixels, UnreadablePhoto, accept_photo
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

KINDS = ("text", "command", "location", "photo", "choice", "unsupported")
COMMANDS = ("start", "lapor", "status", "laporanku", "bantuan", "batal", "bahasa")
CHANNELS = ("telegram", "whatsapp")
ADDRESS_MAX = 300
SUMMARY_TEXT_MAX = 700  # the summary repeats the description; chat messages have limits
MY_REPORTS_LIMIT = 10

# Actions of the report dialogue, as they appear in button data, and the state each applies to.
ACTIONS = {
    "next": ("describing",),
    "skip": ("location",),
    "done": ("photos",),
    "rahasia_yes": ("rahasia",),
    "rahasia_no": ("rahasia",),
    "anonim_yes": ("anonim",),
    "anonim_no": ("anonim",),
    "send": ("confirm",),
    "edit": ("confirm",),
    "make_rahasia": ("confirm",),  # typed only: the summary's suggestion, taken up
    "cancel": ("describing", "location", "photos", "rahasia", "anonim", "confirm", "editing"),
}

# Words a citizen may type instead of tapping (WhatsApp users often do), per state.
_TYPED = {
    "describing": {"lanjut": "next", "next": "next"},
    "location": {"lewati": "skip", "skip": "skip", "tidak ada": "skip", "tidak": "skip"},
    "photos": {"selesai": "done", "done": "done", "tidak ada": "done", "tidak": "done"},
    "rahasia": {
        "ya": "rahasia_yes",
        "yes": "rahasia_yes",
        "tidak": "rahasia_no",
        "no": "rahasia_no",
    },
    "anonim": {"ya": "anonim_yes", "yes": "anonim_yes", "tidak": "anonim_no", "no": "anonim_no"},
    "confirm": {
        "kirim": "send",
        "send": "send",
        "ubah": "edit",
        "edit": "edit",
        "rahasia": "make_rahasia",
        "confidential": "make_rahasia",
    },
}
_CANCEL_WORDS = {"batal", "batalkan", "cancel"}
# "cek ABCDE-FGH12": only a code-shaped word counts, so "cek saluran di RT 05" stays a report.
_STATUS_TEXT = re.compile(r"^\s*(?:cek|status)\s+([0-9a-z]{5}[\s\-]?[0-9a-z]{5})\s*$", re.I)
_SLASH_COMMAND = re.compile(r"^/([A-Za-z]+)(?:@\w+)?(?:\s+(.*))?$", re.S)


@dataclass(frozen=True)
class Incoming:
    channel: str  # "telegram" | "whatsapp"
    chat_id: str  # where replies go (Telegram chat id, WhatsApp wa_id / phone)
    message_id: str  # unique per delivery on that channel: Telegram update_id, WhatsApp id
    kind: str  # one of KINDS
    text: str | None = None  # the text, the command's argument, or a photo caption
    command: str | None = None  # without slash, one of COMMANDS (others: answered with help)
    choice: str | None = None  # button data tapped (Telegram callback data / WhatsApp reply id)
    latitude: float | None = None
    longitude: float | None = None
    photo_ref: str | None = None  # Telegram file_id / WhatsApp media id, for the MediaFetcher
    language: str | None = None  # e.g. Telegram's from.language_code ("en", "id")
    sender_name: str | None = None


class MediaFetcher(Protocol):
    """Downloads a photo the citizen sent. PayloadTooLarge means the photo is over the limit
    (say so before downloading when the channel states the size); any other exception counts
    as a failed download."""

    async def fetch(self, ref: str) -> bytes: ...


@dataclass(frozen=True)
class Reply:
    """A message to the citizen: text and at most three (label, data) buttons."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Conversation:
    """What a choice handler may read of the conversation (a snapshot)."""

    channel: str
    chat_id: str
    language: str  # "id" | "en"
    state: str  # "idle" or a step of the report dialogue
    draft: Mapping[str, Any] | None = field(default=None)


# A handler registered with Engine.on_choice runs inside the engine's transaction, with the
# delivery recorded and the conversation row locked: what it writes on `conn` commits together
# with its replies, or not at all (and a redelivered tap never reaches it twice). It returns
# the replies in order, each a plain string or a Reply with buttons; the engine queues them as
# bot_reply messages. Raising a DomainError turns into a polite sentence with its detail; the
# conversation itself (state, draft) is left as it was.
ChoiceHandler = Callable[
    [asyncpg.Connection, Incoming, Conversation], Awaitable[Sequence[str | Reply]]
]

# A handler registered with Engine.on_text sees typed text the dialogue does not claim (see the
# precedence in the module's docstring), under the same contract as a ChoiceHandler. It returns
# None when the text is not for it: the next handler, then the dialogue, gets it (what it wrote
# on `conn` still commits, so it should write only when it takes the text).
TextHandler = Callable[
    [asyncpg.Connection, Incoming, Conversation], Awaitable[Sequence[str | Reply] | None]
]


# ------------------------------------------------------------------------ what was prepared


@dataclass(frozen=True)
class _PhotoResult:
    photo: Photo | None = None
    problem: str | None = None  # a strings key when the photo was refused


@dataclass(frozen=True)
class _StatusResult:
    code: str  # as the citizen typed it (for the answer)
    view: Mapping[str, Any] | None = None
    problem: str | None = None  # code_typo | code_malformed | code_unknown


@dataclass(frozen=True)
class _FilingResult:
    draft_number: int
    code: str | None = None
    replayed_elsewhere: bool = False  # the key already made a complaint from another text
    problem: str | None = None  # the citizen-facing reason filing failed
    limited_minutes: int | None = None  # the chat's filing limit: try again in this many


@dataclass(frozen=True)
class _Prepared:
    photo: _PhotoResult | None = None
    status: _StatusResult | None = None
    filing: _FilingResult | None = None


@dataclass
class _Turn:
    """The conversation as this delivery changes it, and what it will say."""

    incoming: Incoming
    language: str
    state: str
    draft: dict[str, Any] | None
    expires_at: datetime | None
    drafts_started: int
    replies: list[Reply] = field(default_factory=list)
    # Sentences waiting to open the next reply, so that "noted" and the next question (with
    # its buttons) arrive as one message.
    leads: list[str] = field(default_factory=list)

    def note(self, key: str, **values: object) -> None:
        self.leads.append(strings.text(self.language, key, **values))

    def say(self, key: str, *buttons: tuple[str, str], **values: object) -> None:
        self.send(strings.text(self.language, key, **values), buttons)

    def send(self, text: str, buttons: Sequence[tuple[str, str]] = ()) -> None:
        if self.leads:
            text = "\n\n".join([*self.leads, text])
            self.leads.clear()
        self.replies.append(Reply(text, tuple(buttons)))

    def flush(self) -> None:
        if self.leads:
            self.replies.append(Reply("\n\n".join(self.leads)))
            self.leads.clear()

    def t(self, key: str, **values: object) -> str:
        return strings.text(self.language, key, **values)

    def button(self, label_key: str, action: str) -> tuple[str, str]:
        draft = self.draft["number"] if self.draft else 0
        return (self.t(label_key), f"lapor:{action}:{draft}")

    def snapshot(self) -> tuple:
        return (self.language, self.state, self.draft, self.expires_at, self.drafts_started)


@dataclass(frozen=True)
class _Intent:
    name: str
    argument: str | None = None


# ------------------------------------------------------------------------------- the engine


class Engine:
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
            row["state"],
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
            state, draft = row["state"], row["draft"]
        intent = self._intent(incoming, state, draft)
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
        self.services.photos.put(photo)
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
        if name and not draft.get("anonim"):
            data["reporter"] = {"name": name}  # an anonim reporter's name is not even stored
        photos = []
        for item in draft.get("photos", []):
            try:
                content = self.services.photos.get(item["sha256"], item["media_type"])
            except OSError:
                log.warning("bot draft photo missing from the store sha256=%s", item["sha256"])
                continue
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

    def _intent(self, incoming: Incoming, state: str, draft: Mapping[str, Any] | None) -> _Intent:
        kind = incoming.kind
        if (
            kind == "text"
            and incoming.text
            and (match := _SLASH_COMMAND.match(incoming.text.strip()))
        ):
            kind = "command"
            incoming = replace(incoming, command=match.group(1), text=match.group(2))
        if kind == "command":
            command = (incoming.command or "").lower().lstrip("/")
            if command not in COMMANDS:
                return _Intent("unknown_command")
            argument = (incoming.text or "").strip() or None
            if command == "status":
                return _Intent("status", argument)
            if command == "batal":
                return _Intent("cancel")
            return _Intent(command, argument)
        if kind == "choice":
            data = incoming.choice or ""
            if data.startswith("bahasa:"):
                return _Intent("set_language", data.removeprefix("bahasa:"))
            parts = data.split(":")
            if len(parts) == 3 and parts[0] == "lapor":
                action, number = parts[1], parts[2]
                current = str(draft["number"]) if draft else None
                if action in ACTIONS and number == current and state in ACTIONS[action]:
                    return _Intent(action)
            return _Intent("stale")
        if kind == "text":
            text = incoming.text or ""
            word = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
            if draft is not None and word in _CANCEL_WORDS:
                return _Intent("cancel")
            if match := _STATUS_TEXT.match(text):
                return _Intent("status", match.group(1))
            typed = _TYPED.get(state, {}).get(word)
            if typed is not None:
                return _Intent(typed)
            return _Intent("text", text)
        if kind in ("location", "photo"):
            return _Intent(kind)
        return _Intent("unsupported")

    async def _step(self, conn: asyncpg.Connection, turn: _Turn, prepared: _Prepared) -> None:
        incoming = turn.incoming
        if incoming.kind == "choice" and (handler := self._handler_for(incoming.choice)):
            await self._run_handler(conn, turn, handler)
            return
        intent = self._intent(incoming, turn.state, turn.draft)
        if intent.name == "text" and turn.draft is None:
            for text_handler in self._text_handlers:
                if await self._run_handler(conn, turn, text_handler):
                    return
        action = getattr(self, f"_on_{intent.name}")
        await action(conn, turn, intent, prepared)
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

    # commands

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
        if turn.draft is not None and turn.draft.get("held"):
            # Only a greeting was kept: /lapor starts the report afresh.
            self._change(turn, text="", held=False)
            if intent.argument:
                await self._on_text(conn, turn, _Intent("text", intent.argument), prepared)
                return
            turn.say("ask_description", turn.button("button_cancel", "cancel"))
            return
        if turn.draft is not None:
            if turn.state == "describing" and intent.argument:
                await self._on_text(conn, turn, _Intent("text", intent.argument), prepared)
                return
            turn.note("draft_in_progress")
            self._prompt(turn)
            return
        if intent.argument:
            await self._on_text(conn, turn, _Intent("text", intent.argument), prepared)
            return
        self._new_draft(turn)
        turn.say("ask_description", turn.button("button_cancel", "cancel"))

    async def _on_status(self, conn, turn: _Turn, intent: _Intent, prepared: _Prepared) -> None:
        result = prepared.status
        if result is None:
            turn.say("status_usage")
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

    async def _on_laporanku(self, conn, turn: _Turn, intent, prepared) -> None:
        rows = await conversation_repo.my_reports(
            conn, turn.incoming.channel, turn.incoming.chat_id, MY_REPORTS_LIMIT
        )
        if not rows:
            turn.say("my_reports_none")
            return
        zone = self.services.city.zone
        lines = [turn.t("my_reports")]
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
        turn.send("\n".join(lines))

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


# ----------------------------------------------------------------------------------- helpers

# A greeting that asks for its answer: "Assalamu'alaikum", "assalamualaikum wr wb", "aslm".
_SALAM = re.compile(r"\s*(?:ass?alamu?['`’]?\s?a?laikum|ass?alamm?u?alaikum|aslm)\b", re.I)


def _reason(error: DomainError) -> str:
    """One sentence for the citizen from a core error: the field messages, else the detail."""
    messages = [e.message for e in error.errors if e.message]
    return "; ".join(messages) if messages else error.detail


def _label(turn: _Turn, status: str) -> str:
    return strings.status_label(turn.language, status)


def _language_named(argument: str | None) -> str | None:
    word = (argument or "").strip().lower()
    if word in ("en", "english", "inggris", "bahasa inggris"):
        return "en"
    if word in ("id", "indonesia", "indonesian", "bahasa indonesia"):
        return "id"
    return None
