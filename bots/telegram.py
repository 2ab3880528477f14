"""The Telegram door: aiogram routers that turn updates into the engine's ``Incoming``, the
outbox sender that delivers the engine's replies, and the fetcher for citizens' photos.

The handlers only translate: what to say and what to store is the engine's (bots/engine.py).
The engine reaches them through the dispatcher's workflow data (``dp["engine"]``)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ChatType
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
)
from aiogram.types.update import UpdateTypeLookupError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bots.engine import Incoming
from lapor.errors import PayloadTooLarge
from lapor.outbox import PartlySent, PermanentFailure, RetryAfter
from lapor.photos import MAX_PHOTO_BYTES

if TYPE_CHECKING:
    from bots.engine import Engine
    from lapor.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "telegram"
WEBHOOK_PATH = "/webhooks/telegram"
MAX_TEXT = 4096  # Telegram's limit on one message's text
MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit on an inline button's callback_data
# Citizens often send a photo "as a file" to keep its quality; these count as photos.
_IMAGE_DOCUMENTS = frozenset({"image/jpeg", "image/png", "image/webp"})
# Updates that are not the citizen saying something: answering them would be noise (or, for
# a citizen who just blocked the bot, impossible).
_SILENT_UPDATES = frozenset(
    {"my_chat_member", "chat_member", "message_reaction", "message_reaction_count"}
)


def create_bot(settings: Settings) -> Bot:
    """A Bot for the configured token and API server (no parse mode: texts go out verbatim)."""
    api = TelegramAPIServer.from_base(settings.telegram_api_base)
    return Bot(settings.telegram_bot_token, session=AiohttpSession(api=api))


# -- updates in ------------------------------------------------------------------------------


def message_incoming(message: Message, update_id: int) -> Incoming:
    """What the citizen sent, as the engine understands it; anything unknown is "unsupported"."""
    fields: dict[str, Any] = {"kind": "unsupported"}
    if message.text is not None and _is_command(message):
        name, _, args = message.text.partition(" ")
        command = name[1:].split("@", 1)[0].lower()
        fields = {"kind": "command", "command": command, "text": args.strip() or None}
    elif message.text is not None:
        fields = {"kind": "text", "text": message.text}
    elif message.location is not None:  # a venue carries its location too
        fields = {
            "kind": "location",
            "latitude": message.location.latitude,
            "longitude": message.location.longitude,
        }
    elif message.photo:
        # Telegram lists the sizes smallest first; the engine wants the best one.
        fields = {"kind": "photo", "photo_ref": message.photo[-1].file_id, "text": message.caption}
    elif message.document is not None and message.document.mime_type in _IMAGE_DOCUMENTS:
        fields = {"kind": "photo", "photo_ref": message.document.file_id, "text": message.caption}
    user = message.from_user
    return Incoming(
        channel=CHANNEL,
        chat_id=str(message.chat.id),
        message_id=str(update_id),
        language=user.language_code if user else None,
        sender_name=user.full_name if user else None,
        **fields,
    )


def _is_command(message: Message) -> bool:
    return message.text.startswith("/") and any(
        entity.type == "bot_command" and entity.offset == 0 for entity in message.entities or ()
    )


def callback_incoming(callback: CallbackQuery, update_id: int) -> Incoming | None:
    """A tapped button; None when Telegram no longer tells us the chat (nowhere to answer)."""
    chat_id = callback.message.chat.id if callback.message else None
    if chat_id is None:
        return None
    return Incoming(
        channel=CHANNEL,
        chat_id=str(chat_id),
        message_id=str(update_id),
        kind="choice",
        choice=callback.data,
        language=callback.from_user.language_code,
        sender_name=callback.from_user.full_name,
    )


def unsupported_incoming(update: Update) -> Incoming | None:
    """For any other update in a private chat, including kinds newer than aiogram knows, so
    the citizen is told politely what the bot understands. None when no one is to answer."""
    raw = update.model_dump(mode="json", exclude_none=True, by_alias=True)
    kind, event = next(((k, v) for k, v in raw.items() if k != "update_id"), ("", None))
    if kind in _SILENT_UPDATES or not isinstance(event, dict):
        return None
    message = event.get("message") if isinstance(event.get("message"), dict) else event
    chat = message.get("chat")
    if not isinstance(chat, dict) or chat.get("type") != ChatType.PRIVATE or "id" not in chat:
        return None
    user = event.get("from") or message.get("from") or {}
    name = " ".join(filter(None, (user.get("first_name"), user.get("last_name")))) or None
    return Incoming(
        channel=CHANNEL,
        chat_id=str(chat["id"]),
        message_id=str(update.update_id),
        kind="unsupported",
        language=user.get("language_code"),
        sender_name=name,
    )


async def on_message(message: Message, event_update: Update, engine: Engine) -> None:
    await engine.handle(message_incoming(message, event_update.update_id))


async def on_callback(callback: CallbackQuery, event_update: Update, engine: Engine) -> None:
    incoming = callback_incoming(callback, event_update.update_id)
    if incoming is not None:
        await engine.handle(incoming)
    # Stops the spinner on the button. The reply itself goes through the outbox, so a failed
    # answer (the query is older than Telegram keeps them) must not fail the update.
    try:
        await callback.answer()
    except TelegramAPIError as error:
        log.warning("telegram callback answer failed error=%s", type(error).__name__)


async def answer_everything_else(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    update: TelegramObject,
    data: dict[str, Any],
) -> Any:
    """Outer middleware on updates: what no router handled gets the engine's polite answer.
    Unknown update kinds are caught before aiogram looks them up (it would only warn)."""
    assert isinstance(update, Update)
    try:
        update.event_type  # noqa: B018 - raises for kinds this aiogram does not know
    except UpdateTypeLookupError:
        result = UNHANDLED
    else:
        result = await handler(update, data)
    if result is UNHANDLED and (incoming := unsupported_incoming(update)) is not None:
        await data["engine"].handle(incoming)
        return None
    return result


def messages_router() -> Router:
    """Everything a citizen writes or sends to the bot in a private chat."""
    router = Router(name="telegram-messages")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.message.register(on_message)
    return router


def choices_router() -> Router:
    """Taps on the inline buttons under the bot's messages."""
    router = Router(name="telegram-choices")
    router.callback_query.register(on_callback)
    return router


def build_dispatcher(engine: Engine | None = None) -> Dispatcher:
    """The routers, assembled; ``engine`` may be set later as ``dp["engine"]`` (the web app
    has it only once the database is up)."""
    dispatcher = Dispatcher(name="lapor-telegram")
    if engine is not None:
        dispatcher["engine"] = engine
    dispatcher.update.outer_middleware(answer_everything_else)
    dispatcher.include_routers(messages_router(), choices_router())
    return dispatcher


def mount_webhook(app: web.Application, dispatcher: Dispatcher, bot: Bot, secret: str) -> None:
    """``POST /webhooks/telegram``. Handled before answering (not aiogram's background mode):
    a failure then answers 500 and Telegram delivers the update again, where in the
    background it would be acknowledged and lost. A wrong secret is answered 401 by aiogram."""
    if not secret:
        raise ValueError("the Telegram webhook needs a secret token")
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token=secret).register(
        app, path=WEBHOOK_PATH
    )


# -- replies out -----------------------------------------------------------------------------


class TelegramSender:
    """The outbox's sender for the "telegram" channel: one message per payload (split when
    longer than Telegram allows), its buttons as an inline keyboard under the last part."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, recipient: str, payload: Mapping[str, Any]) -> None:
        """Its parts in order, from the first not yet sent (``parts_sent``, kept by the outbox
        when an earlier try failed half-way), so a retry repeats none. A 429 asks the outbox
        to wait; a 5xx or a network error is raised as it is (retried with back-off)."""
        markup = inline_keyboard(payload.get("buttons") or ())
        parts = split_text(str(payload["text"]))
        chat_id = int(recipient) if recipient.lstrip("-").isdigit() else recipient
        done = int(payload.get("parts_sent") or 0)
        for index, part in enumerate(parts):
            if index < done:
                continue
            last = index == len(parts) - 1
            try:
                await self._send_part(chat_id, part, markup if last else None)
            except Exception as error:
                if index:  # the parts before this one are in the chat
                    raise PartlySent(index, error) from error
                raise

    async def _send_part(self, chat_id: int | str, text: str, markup) -> None:
        try:
            await self.bot.send_message(chat_id=chat_id, text=text, reply_markup=markup)
        except TelegramRetryAfter as error:
            raise RetryAfter(error.retry_after, error.message) from error
        except (TelegramForbiddenError, TelegramBadRequest, TelegramMigrateToChat) as error:
            # Blocked by the citizen, chat gone, or a message Telegram will never accept.
            raise PermanentFailure(f"{type(error).__name__}: {error.message}") from error


def inline_keyboard(buttons: Any) -> InlineKeyboardMarkup | None:
    """One button per row; Telegram rejects callback data outside 1-64 bytes, and sending
    again would not change that, so such a message fails for good with a clear reason."""
    rows = []
    for label, data in buttons:
        if not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
            raise PermanentFailure(
                f"button {label!r}: callback data must be 1-{MAX_CALLBACK_DATA} bytes"
            )
        rows.append([InlineKeyboardButton(text=str(label), callback_data=str(data))])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Parts of at most ``limit`` characters, cut at a line break (or a space) when there is one."""
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n ")
    if text or not parts:
        parts.append(text)
    return parts


class TelegramMedia:
    """The engine's ``MediaFetcher``: the bytes behind a photo's file_id."""

    def __init__(self, bot: Bot, *, max_bytes: int = MAX_PHOTO_BYTES) -> None:
        self.bot, self.max_bytes = bot, max_bytes

    async def fetch(self, ref: str) -> bytes:
        try:
            file = await self.bot.get_file(ref)
        except TelegramBadRequest as error:
            # Bots may download at most 20 MB: getFile refuses anything larger outright.
            if "file is too big" in error.message.lower():
                raise _too_large() from error
            raise
        # Telegram states the size, so a photo over the limit is refused before downloading.
        too_big = file.file_size is not None and file.file_size > self.max_bytes
        if too_big or file.file_path is None:
            raise _too_large()
        buffer = await self.bot.download_file(file.file_path)
        data = buffer.getvalue()
        if len(data) > self.max_bytes:  # a file whose stated size was missing or wrong
            raise _too_large()
        return data


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge.on("photos", "Setiap foto paling besar 5 MB.")


@dataclass
class TelegramChannel:
    """What the app or the polling command needs for Telegram, built from the settings."""

    bot: Bot
    dispatcher: Dispatcher
    sender: TelegramSender
    media: TelegramMedia

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramChannel:
        bot = create_bot(settings)
        return cls(bot, build_dispatcher(), TelegramSender(bot), TelegramMedia(bot))


async def poll(
    app: web.Application, channel: TelegramChannel | None, *, handle_signals: bool = True
) -> None:
    """``lapor bot telegram``: the app's services, engine and outbox dispatcher, started
    without an HTTP server and fed by long polling (no public address needed). Returns when
    polling stops (SIGINT/SIGTERM, or ``dispatcher.stop_polling()``). `channel` is the app's
    own Telegram channel (None when no bot token is set)."""
    if channel is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()  # opens the database, builds the engine, starts the outbox
    try:
        # getUpdates is refused while a webhook is set: polling replaces it.
        await channel.bot.delete_webhook(drop_pending_updates=False)
        await channel.dispatcher.start_polling(
            channel.bot,
            handle_signals=handle_signals,
            close_bot_session=False,  # the outbox still sends through it until cleanup
            # Telegram's default kinds (all but chat_member and reactions), not only those with
            # a handler: anything a citizen sends deserves the polite answer.
            allowed_updates=[],
        )
    finally:
        await runner.cleanup()


async def set_webhook(settings: Settings) -> str:
    """``lapor bot telegram --set-webhook``: point Telegram at LAPOR_PUBLIC_URL's webhook,
    with the secret it must send back; returns the URL set."""
    url = settings.base_url + WEBHOOK_PATH
    bot = create_bot(settings)
    try:
        await bot.set_webhook(
            url, secret_token=settings.telegram_webhook_secret, allowed_updates=[]
        )
    finally:
        await bot.session.close()
    return url
