"""A fake Telegram Bot API server on 127.0.0.1 for tests that run aiogram for real.

It answers the methods the lapor bots use with objects of the real shape, records every call,
feeds long polling from ``push_update`` and can deliver updates to a webhook; errors look like
Telegram's own so that aiogram raises the same exceptions it would in production."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from ._server import Call, Failure, FakeServer

__all__ = ["Call", "FakeTelegram", "TelegramError", "WebhookState"]

# Parameters whose value is free text or an identifier, never JSON: "123" sent as a message
# text must stay the string "123". Everything else is decoded when it parses as JSON, the way
# Telegram reads numbers, booleans and the JSON-serialized objects (reply_markup, entities...).
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "url",
        "secret_token",
        "ip_address",
        "callback_query_id",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "file_id",
        "photo",
        "document",
        "audio",
        "voice",
        "video",
        "animation",
        "sticker",
        "thumbnail",
        "certificate",
        "title",
        "address",
        "foursquare_id",
        "foursquare_type",
        "name",
        "description",
        "short_description",
        "language_code",
        "emoji",
        "query",
        "switch_pm_text",
        "switch_pm_parameter",
        "next_offset",
        "payload",
        "currency",
    }
)

# Telegram's default when allowed_updates is unset or empty.
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

# An inline button must carry exactly one action besides its text.
_INLINE_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class TelegramError(Exception):
    """An error answer: ``{"ok": false, "error_code": status, "description": ...}``."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class WebhookState:
    url: str = ""
    secret_token: str | None = None
    allowed_updates: list[str] | None = None
    max_connections: int | None = None


# Bots may download files of up to 20 MB; getFile refuses larger ones.
DOWNLOAD_LIMIT = 20 * 1024 * 1024


@dataclass
class _StoredFile:
    data: bytes
    file_path: str
    file_size: int  # what Telegram states; the bytes of a huge file need not be held


Handler = Callable[[dict[str, Any], dict[str, bytes]], Awaitable[Any]]


class FakeTelegram(FakeServer):
    """``async with FakeTelegram() as tg:`` then ``bot = tg.bot()`` (close its session).

    Recorded state a test can read: ``calls``, ``sent_messages()``, ``webhook``,
    ``commands``; drive it with ``push_update``, ``add_file``, ``fail_next``,
    ``rate_limit_next`` and ``deliver_webhook``."""

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        bot_username: str = "lapor_test_bot",
        bot_first_name: str = "Lapor Test Bot",
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.webhook = WebhookState()
        # Consulted for every call after the injected failures: an error to answer, or None
        # (tests/fakes/telegram_weather.py: an outage, flood control, flood limits).
        self.weather: Callable[[str, dict[str, Any]], TelegramError | None] | None = None
        self.commands: list[dict[str, Any]] = []
        self._clock = clock
        self._files: dict[str, _StoredFile] = {}
        self._updates: list[dict[str, Any]] = []
        self._last_update_id = 0
        self._allowed_updates: list[str] | None = None
        self._poll_signal = _Signal()
        self._poll_generation = 0
        self._closing = False
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_seq = 0
        self._upload_seq = 0
        self._methods: dict[str, Handler] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "answerCallbackQuery": self._answer_callback_query,
                "sendPhoto": self._send_photo,
                "sendLocation": self._send_location,
                "sendChatAction": self._true_for_chat,
                "deleteMessage": self._delete_message,
                "getFile": self._get_file,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "getUpdates": self._get_updates,
            }.items()
        }

    # -- public API for tests --------------------------------------------------------------

    def api_server(self) -> TelegramAPIServer:
        """For ``Bot(token, session=AiohttpSession(api=tg.api_server()))``."""
        return TelegramAPIServer.from_base(self.base_url)

    def bot(self, **kwargs: Any) -> Bot:
        """A real aiogram Bot talking to this fake; ``await bot.session.close()`` after."""
        return Bot(self.token, session=AiohttpSession(api=self.api_server()), **kwargs)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (an ``update_id`` is assigned when missing)."""
        if "update_id" not in update:
            update = {"update_id": self._last_update_id + 1, **update}
        self._last_update_id = max(self._last_update_id, update["update_id"])
        self._learn(update)
        self._updates.append(update)
        self._poll_signal.notify()
        return update

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._updates)

    @property
    def long_polls_waiting(self) -> int:
        """getUpdates requests currently held open waiting for an update."""
        return self._poll_signal.waiting

    def add_file(
        self,
        file_id: str,
        data: bytes,
        file_path: str | None = None,
        *,
        file_size: int | None = None,
    ) -> None:
        """Make ``file_id`` known to getFile and its bytes downloadable. ``file_size`` is the
        size getFile states (default: the bytes'); over 20 MB getFile refuses, as Telegram
        does ("Bad Request: file is too big"), so a huge file needs no huge bytes."""
        self._files[file_id] = _StoredFile(
            data,
            file_path or f"files/{_slug(file_id)}",
            len(data) if file_size is None else file_size,
        )

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Parameters of the successful sendMessage calls (to ``chat_id`` if given), oldest
        first. Parameters, not results, so reply keyboards (request_location...) show too."""
        return [
            call.params
            for call in self.calls_to("sendMessage")
            if chat_id is None or _same_chat(call.params.get("chat_id"), chat_id)
        ]

    def fail_next(
        self, method: str, status: int = 500, times: int = 1, description: str | None = None
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (before any checks)."""
        description = description or _DEFAULT_DESCRIPTIONS.get(status, "Internal Server Error")
        self.inject(method, Failure(status, TelegramError(status, description).body()), times)

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with flood control, as Telegram does."""
        error = TelegramError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )
        self.inject(method, Failure(429, error.body()), times)

    async def deliver_webhook(self, update: dict[str, Any]) -> int:
        """POST ``update`` to the URL given to setWebhook, with its secret token header, as
        Telegram does; a method sent back in the webhook answer is executed and recorded.
        Returns the HTTP status of the bot's answer."""
        if not self.webhook.url:
            raise RuntimeError("no webhook is set")
        if "update_id" not in update:
            update = {"update_id": self._last_update_id + 1, **update}
        self._last_update_id = max(self._last_update_id, update["update_id"])
        self._learn(update)
        headers = {}
        if self.webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook.secret_token
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook.url, json=update, headers=headers) as response,
        ):
            if response.content_type == "multipart/form-data":
                fields, parts = await _read_multipart(
                    aiohttp.MultipartReader.from_response(response)
                )
                params, files = _decode_params(fields, parts)
                method = params.pop("method", None)
                if method:
                    await self._answer(str(method), params, files)
            else:
                await response.read()
            return response.status

    async def stop(self) -> None:
        # Wake long polls first so that shutting the server down does not wait for them.
        self._closing = True
        self._poll_signal.notify()
        await super().stop()

    # -- HTTP --------------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application()
        for verb in ("GET", "POST"):
            app.router.add_route(verb, "/bot{token}/{method}", self._handle_method)
            app.router.add_route(verb, "/file/bot{token}/{file_path:.+}", self._handle_download)
        return app

    async def _handle_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params, files = await _read_params(request)
        except ValueError:
            params, files = {}, {}
        status, body = await self._answer(
            method, params, files, authorized=request.match_info["token"] == self.token
        )
        return web.json_response(body, status=status)

    async def _answer(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, bytes],
        *,
        authorized: bool = True,
    ) -> tuple[int, dict[str, Any]]:
        injected = False
        try:
            if not authorized:
                raise TelegramError(401, "Unauthorized")
            if failure := self.take_failure(method):
                injected = True
                status, body = failure.status, failure.body
            elif self.weather is not None and (error := self.weather(method, params)):
                injected = True
                status, body = error.status, error.body()
            else:
                handler = self._methods.get(method.lower())
                if handler is None:
                    raise TelegramError(404, "Not Found: method not found")
                status, body = 200, {"ok": True, "result": await handler(params, files)}
        except TelegramError as error:
            status, body = error.status, error.body()
        self.record(Call(method, params, status, body, files, injected=injected))
        return status, body

    async def _handle_download(self, request: web.Request) -> web.Response:
        file_path = request.match_info["file_path"]
        params = {"file_path": file_path}
        if request.match_info["token"] != self.token:
            error = TelegramError(401, "Unauthorized")
            self.record(Call("download", params, 401, error.body()))
            return web.json_response(error.body(), status=401)
        if failure := self.take_failure("download"):
            self.record(Call("download", params, failure.status, failure.body, injected=True))
            return web.json_response(failure.body, status=failure.status)
        stored = next((f for f in self._files.values() if f.file_path == file_path), None)
        if stored is None:
            error = TelegramError(404, "Not Found")
            self.record(Call("download", params, 404, error.body()))
            return web.json_response(error.body(), status=404)
        self.record(Call("download", params, 200, None))
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # -- methods -----------------------------------------------------------------------------

    async def _get_me(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.bot_user

    async def _send_message(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = _require_chat(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise TelegramError(400, "Bad Request: message is too long")
        markup = _check_markup(params.get("reply_markup"))
        return self._new_message(chat_id, {"text": text}, markup)

    async def _send_photo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = _require_chat(params)
        if "photo" in files:
            self._upload_seq += 1
            file_id = f"uploaded-photo-{self._upload_seq}"
            self.add_file(file_id, files["photo"], f"photos/file_{self._upload_seq}.jpg")
            size = len(files["photo"])
        elif isinstance(params.get("photo"), str) and params["photo"]:
            file_id = params["photo"]
            size = len(self._files[file_id].data) if file_id in self._files else 0
        else:
            raise TelegramError(400, "Bad Request: there is no photo in the request")
        content: dict[str, Any] = {
            "photo": [
                {
                    "file_id": file_id,
                    "file_unique_id": _unique_id(file_id),
                    "width": 800,
                    "height": 600,
                    "file_size": size,
                }
            ]
        }
        if params.get("caption"):
            content["caption"] = params["caption"]
        markup = _check_markup(params.get("reply_markup"))
        return self._new_message(chat_id, content, markup)

    async def _send_location(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = _require_chat(params)
        try:
            latitude, longitude = float(params["latitude"]), float(params["longitude"])
        except (KeyError, TypeError, ValueError):
            raise TelegramError(400, "Bad Request: wrong latitude or longitude") from None
        markup = _check_markup(params.get("reply_markup"))
        location = {"latitude": latitude, "longitude": longitude}
        return self._new_message(chat_id, {"location": location}, markup)

    async def _true_for_chat(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        _require_chat(params)
        return True

    async def _delete_message(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = _require_chat(params)
        self._messages.pop((chat_id, _require_message_id(params)), None)
        return True

    async def _edit_message_text(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        markup = _check_markup(params.get("reply_markup"))
        return self._edit(params, {"text": text}, markup)

    async def _edit_message_reply_markup(
        self, params: dict[str, Any], files: dict[str, bytes]
    ) -> Any:
        markup = _check_markup(params.get("reply_markup"))
        return self._edit(params, {}, markup)

    def _edit(
        self, params: dict[str, Any], content: dict[str, Any], markup: dict[str, Any] | None
    ) -> Any:
        if params.get("inline_message_id"):
            return True
        chat_id = _require_chat(params)
        message_id = _require_message_id(params)
        inline = markup if markup and "inline_keyboard" in markup else None
        message = self._messages.get((chat_id, message_id))
        if message is None:
            # A message this fake never saw (for instance one from an update posted straight
            # to a webhook handler): answer as if it existed rather than fail the test.
            message = {
                "message_id": message_id,
                "from": self.bot_user,
                "chat": self._chat(chat_id),
                "date": int(self._clock()),
            }
            self._messages[(chat_id, message_id)] = message
        elif all(message.get(k) == v for k, v in content.items()) and (
            message.get("reply_markup") == inline
        ):
            raise TelegramError(400, _NOT_MODIFIED)
        message.update(content)
        # Editing without reply_markup removes the inline keyboard, as on Telegram.
        if inline:
            message["reply_markup"] = inline
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(self._clock())
        return dict(message)

    async def _answer_callback_query(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not params.get("callback_query_id"):
            raise TelegramError(400, 'Bad Request: parameter "callback_query_id" is required')
        return True

    async def _get_file(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = params.get("file_id")
        stored = self._files.get(file_id) if isinstance(file_id, str) else None
        if stored is None:
            raise TelegramError(400, "Bad Request: invalid file_id")
        if stored.file_size > DOWNLOAD_LIMIT:
            raise TelegramError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": _unique_id(file_id),
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    async def _set_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if "url" not in params:
            raise TelegramError(400, 'Bad Request: parameter "url" is required')
        self.webhook = WebhookState(
            url=str(params["url"]),
            secret_token=params.get("secret_token"),
            allowed_updates=params.get("allowed_updates"),
            max_connections=params.get("max_connections"),
        )
        if "allowed_updates" in params:
            self._allowed_updates = params["allowed_updates"]
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = WebhookState()
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.url and self.webhook.max_connections:
            info["max_connections"] = self.webhook.max_connections
        if self.webhook.url and self.webhook.allowed_updates:
            info["allowed_updates"] = self.webhook.allowed_updates
        return info

    async def _set_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise TelegramError(400, "Bad Request: can't parse commands JSON object")
        self.commands = commands
        return True

    async def _get_my_commands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.commands

    async def _get_updates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if self.webhook.url:
            raise TelegramError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in params:
            self._allowed_updates = params["allowed_updates"]
        offset = int(params.get("offset") or 0)
        if offset > 0:  # confirms every update before it
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:  # keeps only the last -offset updates
            self._updates = self._updates[offset:]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)

        # A newer getUpdates ends an older one, as on Telegram (two pollers are a bug).
        self._poll_generation += 1
        generation = self._poll_generation
        self._poll_signal.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise TelegramError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            pending = self._deliverable()
            remaining = deadline - loop.time()
            if pending or self._closing or remaining <= 0:
                return pending[:limit]
            await self._poll_signal.wait(remaining)

    # -- state -------------------------------------------------------------------------------

    def _deliverable(self) -> list[dict[str, Any]]:
        # Telegram never stores updates of kinds the bot did not ask for.
        allowed = self._allowed_updates
        self._updates = [
            u
            for u in self._updates
            if (_kind(u) in allowed if allowed else _kind(u) not in _NOT_DELIVERED_BY_DEFAULT)
        ]
        return list(self._updates)

    def _learn(self, update: dict[str, Any]) -> None:
        """Remember chats and bot messages that updates reveal, so answers name the chat like
        Telegram does and callback messages can be edited."""
        for value in update.values():
            if not isinstance(value, dict):
                continue
            for message in (value, value.get("message")):
                if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                    chat = message["chat"]
                    self._chats.setdefault(chat["id"], chat)
                    if "message_id" in message and message.get("from", {}).get("is_bot"):
                        self._messages.setdefault((chat["id"], message["message_id"]), message)

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self._chats:
            return self._chats[chat_id]
        return {"id": chat_id, "type": "private" if chat_id > 0 else "group"}

    def _new_message(
        self, chat_id: int, content: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        self._message_seq += 1
        message: dict[str, Any] = {
            "message_id": self._message_seq,
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(self._clock()),
            **content,
        }
        # A Message carries only inline keyboards; reply keyboards are not echoed back.
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return dict(message)


_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class _Signal:
    """Wakes every current waiter; waiting ends on notify or after a timeout."""

    def __init__(self) -> None:
        self._events: set[asyncio.Event] = set()

    @property
    def waiting(self) -> int:
        return len(self._events)

    def notify(self) -> None:
        for event in self._events:
            event.set()

    async def wait(self, seconds: float) -> None:
        event = asyncio.Event()
        self._events.add(event)
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            pass
        finally:
            self._events.discard(event)


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Telegram accepts query string, urlencoded, multipart and JSON bodies alike."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError("JSON body is not an object")
            raw.update(body)
        elif request.content_type == "multipart/form-data":
            fields, files = await _read_multipart(await request.multipart())
            raw.update(fields)
        else:
            raw.update(await request.post())
    return _decode_params(raw, files)


async def _read_multipart(
    reader: aiohttp.MultipartReader,
) -> tuple[dict[str, Any], dict[str, bytes]]:
    fields: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    async for part in reader:
        if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
            continue
        if part.filename is not None:
            files[part.name] = bytes(await part.read())
        else:
            fields[part.name] = await part.text()
    return fields, files


def _decode_params(
    raw: dict[str, Any], files: dict[str, bytes]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    params = {name: _decode(name, value) for name, value in raw.items()}
    # Uploads are referenced as "attach://<part name>" (aiogram) or sent under the
    # parameter's own name; key them by the parameter either way.
    uploads = {name: data for name, data in files.items() if name not in params}
    for name, value in params.items():
        if isinstance(value, str) and value.startswith("attach://"):
            part = value.removeprefix("attach://")
            if part in files:
                uploads.pop(part, None)
                uploads[name] = files[part]
    return params, uploads


def _decode(name: str, value: Any) -> Any:
    if not isinstance(value, str) or name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _require_chat(params: dict[str, Any]) -> int:
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise TelegramError(400, "Bad Request: chat_id is empty")
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    if isinstance(chat_id, bool) or not isinstance(chat_id, int):
        # "@channelusername" would need a directory of public chats; lapor never uses it.
        raise TelegramError(400, "Bad Request: chat not found")
    return chat_id


def _require_message_id(params: dict[str, Any]) -> int:
    message_id = params.get("message_id")
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        raise TelegramError(400, "Bad Request: message identifier is not specified")
    return message_id


def _check_markup(markup: Any) -> dict[str, Any] | None:
    """Reject what Telegram rejects: unparseable markup, actionless inline buttons and
    callback data outside 1..64 bytes (the usual way a CallbackData class outgrows Telegram)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise TelegramError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not _INLINE_BUTTON_ACTIONS & button.keys():
                raise TelegramError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard",
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise TelegramError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _same_chat(a: Any, b: Any) -> bool:
    return str(a) == str(b)


def _kind(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


def _unique_id(file_id: str) -> str:
    return "AQAD" + hashlib.sha256(file_id.encode()).hexdigest()[:12]


def _slug(file_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in file_id)
