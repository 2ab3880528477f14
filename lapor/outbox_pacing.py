"""How fast the outbox may send on each channel: token buckets for the channel as a whole and
for each chat, and the pause a channel takes when it says "too many" (429) or fails.

Telegram allows about 30 messages a second overall, one a second in a chat (short bursts
pass) and 20 a minute in a group; Meta gives each WhatsApp number a throughput (80 a second
by default) and limits the messages to one user (about 10 a minute, bursts of 45). Sending
faster only earns 429s, and every 429 pauses the channel, so the dispatcher keeps under the
limits itself (`Lane`) and takes a 429 as a pause for the whole channel, never as a failure
of the message it was sending.

The buckets are hand-written (a dozen lines): the dispatcher needs to ask "how long until
this chat may have one more?" without waiting, to reserve ahead, and to forget idle chats,
which the asyncio limiters on PyPI (aiolimiter) do not offer together.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lapor.settings import Settings

Monotonic = Callable[[], float]


@dataclass(frozen=True)
class ChannelLimits:
    """Messages a second over the channel, and for one chat (a group: a chat id with a leading
    minus, as Telegram numbers groups); 0 or infinity means no limit."""

    rate: float = math.inf
    burst: float = 1.0
    chat_rate: float = math.inf
    chat_burst: float = 1.0
    group_rate: float = math.inf
    group_burst: float = 1.0


UNLIMITED = ChannelLimits()


def telegram_limits(per_second: float, chat_per_second: float, group_per_minute: float):
    return ChannelLimits(
        rate=per_second,
        burst=max(1.0, per_second),  # a second's worth at once
        chat_rate=chat_per_second,
        chat_burst=3.0,  # Telegram lets a short burst into a private chat pass
        group_rate=group_per_minute / 60,
        group_burst=3.0,
    )


def whatsapp_limits(per_second: float, chat_per_minute: float) -> ChannelLimits:
    return ChannelLimits(
        rate=per_second,
        burst=max(1.0, per_second),
        chat_rate=chat_per_minute / 60,
        chat_burst=45.0,  # Meta's pair limit: a burst, then about one every six seconds
    )


def channel_limits(settings: Settings) -> dict[str, ChannelLimits]:
    """Each channel's published limits, as the settings give them."""
    return {
        "telegram": telegram_limits(
            settings.telegram_send_rate,
            settings.telegram_chat_rate,
            settings.telegram_group_per_minute,
        ),
        "whatsapp": whatsapp_limits(settings.whatsapp_send_rate, settings.whatsapp_chat_per_minute),
        "sms": sms_limits(settings.sms_send_rate),
    }


def sms_limits(per_second: float) -> ChannelLimits:
    """A gateway's API (Twilio's) takes requests at a rate of its own and queues the SMS per
    sender number; one citizen's SMS need no spacing (a message's parts go in one send)."""
    return ChannelLimits(rate=per_second, burst=max(1.0, per_second))


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved up, kept as the generic cell rate
    algorithm keeps them (a theoretical arrival time): ``reserve`` books the next slot, at or
    after a moment the caller names, and says how long to wait for it."""

    def __init__(self, rate: float, burst: float, clock: Monotonic = time.monotonic) -> None:
        self.interval = 0.0 if rate <= 0 or math.isinf(rate) else 1 / rate
        self.tolerance = (max(1.0, burst) - 1) * self.interval
        self._clock = clock
        self._tat = clock()  # when the bucket would be full again

    def delay(self, after: float = 0.0) -> float:
        """Seconds from now until a slot is free, not before ``after`` seconds; takes nothing."""
        now = self._clock()
        return max(after, self._tat - self.tolerance - now, 0.0)

    def reserve(self, after: float = 0.0) -> float:
        """Book a slot (not before ``after`` seconds from now); seconds to wait for it."""
        now = self._clock()
        start = max(now + after, self._tat - self.tolerance)
        self._tat = max(self._tat, start) + self.interval
        return start - now

    @property
    def full(self) -> bool:
        return self._tat <= self._clock()


class Lane:
    """One channel's pace: its bucket, one per chat, and the pause it is in (a 429's
    retry_after, or a back-off while it fails)."""

    MAX_CHATS = 10_000  # buckets of chats kept at once; full (idle) ones are forgotten first

    def __init__(
        self,
        limits: ChannelLimits,
        *,
        backoff_base: float,
        backoff_cap: float,
        clock: Monotonic = time.monotonic,
    ) -> None:
        self.limits, self._clock = limits, clock
        self.bucket = TokenBucket(limits.rate, limits.burst, clock)
        self._chats: dict[str, TokenBucket] = {}
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self.paused_until = 0.0
        self.failures = 0  # in a row: the channel itself seems down

    def pause_left(self) -> float:
        return max(0.0, self.paused_until - self._clock())

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self._clock() + seconds)

    def failed(self) -> float:
        """A try failed for a reason that is not the message's: pause, longer each time."""
        self.failures += 1
        seconds = min(self.backoff_cap, self.backoff_base * 2 ** (self.failures - 1))
        self.pause(seconds)
        return seconds

    def succeeded(self) -> None:
        self.failures = 0

    def chat(self, recipient: str) -> TokenBucket:
        bucket = self._chats.get(recipient)
        if bucket is None:
            if len(self._chats) >= self.MAX_CHATS:
                self._chats = {k: b for k, b in self._chats.items() if not b.full}
            group = recipient.startswith("-")
            rate = self.limits.group_rate if group else self.limits.chat_rate
            burst = self.limits.group_burst if group else self.limits.chat_burst
            bucket = self._chats[recipient] = TokenBucket(rate, burst, self._clock)
        return bucket
