"""What each chat channel can carry, where the dialogue must know it: whether it takes photos
(SMS does not: the dialogue skips the photo step), and the catalogue section whose sentences
replace the bot's own on that channel (SMS: "reply with the number" rather than "tap", a typed
address rather than a shared map point). Choices stay (label, data) buttons in the dialogue
whatever the channel; a channel without buttons numbers them in its sender
(bots/sms_text.py) and reads a number back in its door (bots/sms.py).

And what the HTTP channels (WhatsApp's Graph API, the SMS gateway) share: one aiohttp session
per channel, opened with the app and closed after the outbox dispatcher has stopped
(`ChannelSession`); reading a JSON answer that may be none, a ``Retry-After`` header, and a
webhook body no larger than a limit."""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Self

import aiohttp
from aiohttp import web


@dataclass(frozen=True)
class Traits:
    photos: bool = True
    # A lapor/i18n section: where it has a key of the `bot.` section, its sentence is used.
    words: str | None = None


TRAITS = {
    "telegram": Traits(),
    "whatsapp": Traits(),
    "sms": Traits(photos=False, words="sms"),
}


def traits(channel: str | None) -> Traits:
    return TRAITS.get(channel or "", Traits())


class ChannelSession:
    """The aiohttp session of one channel's API. The app opens it at start-up
    (`session_context`, a cleanup_ctx) and closes it after the outbox dispatcher stopped;
    tests and the CLI use `open()`."""

    name = "channel"  # for the error when it is used unopened

    _session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError(f"the {self.name} session is not open (the app has not started)")
        return self._session

    @contextlib.asynccontextmanager
    async def open(self) -> AsyncIterator[Self]:
        self._session = aiohttp.ClientSession()
        try:
            yield self
        finally:
            await self._session.close()
            self._session = None

    async def session_context(self, app: web.Application) -> AsyncIterator[None]:
        """A cleanup_ctx: the session lives as long as the app."""
        async with self.open():
            yield


async def read_json(response: aiohttp.ClientResponse) -> Any:
    """The answer's JSON, or None when it is not JSON (a proxy's HTML error page)."""
    try:
        return json.loads(await response.read())
    except ValueError:
        return None


def retry_after(header: str | None, default: float) -> float:
    """Seconds from a ``Retry-After`` header in seconds; ``default`` when it says nothing
    usable (absent, a date, zero, not finite)."""
    try:
        seconds = float(header) if header else default
    except ValueError:
        return default
    return seconds if math.isfinite(seconds) and seconds > 0 else default


async def read_limited(request: web.Request, limit: int, chunk: int = 64 * 1024) -> bytes | None:
    """A webhook's body, or None when it is larger than ``limit`` (not read further)."""
    if (request.content_length or 0) > limit:
        return None
    data = bytearray()
    async for part in request.content.iter_chunked(chunk):
        data += part
        if len(data) > limit:
            return None
    return bytes(data)
