"""The channel-agnostic dialogue: one conversation per chat, state in PostgreSQL, replies
through the outbox. Adapters turn a Telegram update or a WhatsApp webhook into an `Incoming`
and call `Engine.handle`; they never send a reply themselves.

Interface skeleton (the behaviour follows in the next commits).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import asyncpg

from lapor.context import Services

KINDS = ("text", "command", "location", "photo", "choice", "unsupported")
COMMANDS = ("start", "lapor", "status", "laporanku", "bantuan", "batal", "bahasa")


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
    """Downloads a photo the citizen sent; any exception counts as a failed download."""

    async def fetch(self, ref: str) -> bytes: ...


@dataclass(frozen=True)
class Reply:
    """A message to the citizen: text and up to three (label, data) buttons."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Conversation:
    """What a choice handler may read of the conversation (a snapshot; changes are ignored)."""

    channel: str
    chat_id: str
    language: str  # "id" | "en"
    state: str
    draft: Mapping[str, Any] | None = field(default=None)


# A handler registered with Engine.on_choice runs inside the engine's transaction, with the
# conversation row locked and the delivery already recorded: whatever it writes on `conn`
# commits together with its replies, or not at all. It returns the replies (str or Reply),
# which the engine queues in order; raising DomainError turns into a polite sentence.
ChoiceHandler = Callable[
    [asyncpg.Connection, "Incoming", Conversation], Awaitable[Sequence["str | Reply"]]
]


class Engine:
    def __init__(self, services: Services, media: Mapping[str, MediaFetcher]) -> None:
        self.services = services
        self.media = media
        self._choice_handlers: dict[str, ChoiceHandler] = {}

    def on_choice(self, prefix: str, handler: ChoiceHandler) -> None:
        """Route every choice whose data starts with `prefix` (e.g. "survey:") to `handler`."""
        self._choice_handlers[prefix] = handler

    async def handle(self, incoming: Incoming) -> None:
        """Process one delivery; never raises for citizen input. Replies go to the outbox."""
        raise NotImplementedError


async def expire_drafts(services: Services) -> int:
    """Drop drafts untouched for 24 hours and tell each citizen once; returns how many."""
    raise NotImplementedError
