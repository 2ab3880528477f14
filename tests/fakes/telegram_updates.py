"""Telegram updates of the real shape, from one citizen in a private chat with the bot.

Each builder returns a plain dict with the next ``update_id``; pass it to
``FakeTelegram.push_update`` (polling) or ``deliver_webhook`` / the webhook handler."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

__all__ = ["UpdateFactory"]


class UpdateFactory:
    """Updates sent by ``user`` in the private chat whose id is the user's id."""

    def __init__(
        self,
        *,
        user_id: int = 700100200,
        first_name: str = "Siti",
        last_name: str | None = "Rahmawati",
        username: str | None = "siti_warga",
        bot_id: int = 123456,
        bot_username: str = "lapor_test_bot",
        first_update_id: int = 1,
        first_message_id: int = 5001,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            self.user["last_name"] = last_name
        if username:
            self.user["username"] = username
        self.chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            self.chat["last_name"] = last_name
        if username:
            self.chat["username"] = username
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Lapor Test Bot",
            "username": bot_username,
        }
        self._next_update_id = first_update_id
        # Message ids start far from FakeTelegram's own (1, 2, ...) so the two never collide.
        self._next_message_id = first_message_id
        self._next_file = 1
        self._clock = clock

    # -- messages ----------------------------------------------------------------------------

    def text(self, text: str, *, language_code: str | None = None) -> dict[str, Any]:
        """A text message; ``language_code`` goes on ``from`` (Telegram sends the app's
        language there, which a bot may use to pick Indonesian or English)."""
        return self._message({"text": text}, language_code=language_code)

    def command(
        self, command: str = "lapor", args: str | None = None, *, language_code: str | None = None
    ) -> dict[str, Any]:
        """``/command [args]`` with the bot_command entity Telegram adds."""
        name = "/" + command.lstrip("/")
        text = f"{name} {args}" if args else name
        entities = [{"type": "bot_command", "offset": 0, "length": len(name)}]
        return self._message({"text": text, "entities": entities}, language_code=language_code)

    def location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """A shared location (the "send my location" button or the attachment menu)."""
        return self._message({"location": {"latitude": latitude, "longitude": longitude}})

    def photo(
        self,
        file_id: str | None = None,
        *,
        caption: str | None = None,
        sizes: tuple[tuple[int, int], ...] = ((90, 68), (320, 240), (1280, 960)),
    ) -> dict[str, Any]:
        """A photo in several sizes, smallest first like Telegram; the largest has
        ``file_id`` (pair it with ``FakeTelegram.add_file(file_id, data)``)."""
        file_id = file_id or self._file_id("AgACAgUAAxkBAAI")
        photo = []
        for index, (width, height) in enumerate(sizes):
            is_largest = index == len(sizes) - 1
            size_id = file_id if is_largest else f"{file_id}-s{index}"
            photo.append(
                {
                    "file_id": size_id,
                    "file_unique_id": _unique_id(size_id),
                    "width": width,
                    "height": height,
                    "file_size": width * height // 10,
                }
            )
        content: dict[str, Any] = {"photo": photo}
        if caption is not None:
            content["caption"] = caption
        return self._message(content)

    def sticker(self, emoji: str = "👍") -> dict[str, Any]:
        file_id = self._file_id("CAACAgIAAxkBAAI")
        return self._message(
            {
                "sticker": {
                    "file_id": file_id,
                    "file_unique_id": _unique_id(file_id),
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "emoji": emoji,
                    "file_size": 23000,
                }
            }
        )

    def voice(self, duration: int = 4, file_id: str | None = None) -> dict[str, Any]:
        file_id = file_id or self._file_id("AwACAgUAAxkBAAI")
        return self._message(
            {
                "voice": {
                    "file_id": file_id,
                    "file_unique_id": _unique_id(file_id),
                    "duration": duration,
                    "mime_type": "audio/ogg",
                    "file_size": duration * 4000,
                }
            }
        )

    # -- other kinds -------------------------------------------------------------------------

    def callback_query(self, data: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        """A press on an inline button carrying ``data``. ``message`` is the bot's message
        that had the keyboard: pass ``call.result`` of the fake's sendMessage, or leave it
        out for a made-up bot message in this chat."""
        if message is None:
            message = {
                "message_id": self._message_id(),
                "from": self.bot_user,
                "chat": self.chat,
                "date": self._now(),
                "text": "Pilih kategori",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "Pilih", "callback_data": data}]],
                },
            }
        return self._update(
            "callback_query",
            {
                "id": f"{self.user['id']}{self._next_update_id:06d}",
                "from": self.user,
                "message": message,
                "chat_instance": f"-{self.user['id'] * 7919}",
                "data": data,
            },
        )

    def poll(self, question: str = "Jalan mana yang paling rusak?") -> dict[str, Any]:
        """An update kind the bot has no handler for (a poll state change)."""
        return self._update(
            "poll",
            {
                "id": f"5{self._next_update_id:09d}",
                "question": question,
                "options": [
                    {"persistent_id": "0", "text": "Jl. Merdeka", "voter_count": 1},
                    {"persistent_id": "1", "text": "Jl. Sudirman", "voter_count": 0},
                ],
                "total_voter_count": 1,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            },
        )

    def my_chat_member(self, new_status: str = "kicked") -> dict[str, Any]:
        """The citizen blocked (``kicked``) or restarted (``member``) the bot."""
        old_status = "member" if new_status == "kicked" else "kicked"
        member = {"user": self.bot_user}
        return self._update(
            "my_chat_member",
            {
                "chat": self.chat,
                "from": self.user,
                "date": self._now(),
                "old_chat_member": {"status": old_status, **member}
                | ({"until_date": 0} if old_status == "kicked" else {}),
                "new_chat_member": {"status": new_status, **member}
                | ({"until_date": 0} if new_status == "kicked" else {}),
            },
        )

    # -- plumbing ----------------------------------------------------------------------------

    def _message(
        self, content: dict[str, Any], *, language_code: str | None = None
    ) -> dict[str, Any]:
        sender = dict(self.user)
        if language_code:
            sender["language_code"] = language_code
        message = {
            "message_id": self._message_id(),
            "from": sender,
            "chat": self.chat,
            "date": self._now(),
            **content,
        }
        return self._update("message", message)

    def _update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        return update

    def _message_id(self) -> int:
        self._next_message_id += 1
        return self._next_message_id - 1

    def _file_id(self, prefix: str) -> str:
        self._next_file += 1
        return f"{prefix}{self._next_file - 1:04d}"

    def _now(self) -> int:
        return int(self._clock())


def _unique_id(file_id: str) -> str:
    return "AgAD" + hashlib.sha256(file_id.encode()).hexdigest()[:12]
