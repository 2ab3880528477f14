"""Bad weather for the fake Bot API: an outage, then flood control, then its flood limits.

``FakeTelegram.weather = Outage(...)`` makes sendMessage answer as Telegram does on a bad day,
by the time since ``start()``: HTTP 500 for ``down`` seconds, then 429 with
``parameters.retry_after`` for ``limited`` seconds, then normally but within its limits (at
most ``per_second`` messages in any second, ``chat_burst`` in any ``chat_burst /
chat_per_second`` seconds to one chat); beyond them, a 429 with the seconds until there is
room again. Scale the times down to keep a test to seconds. Counts what it answered."""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from typing import Any

from .telegram import TelegramError


class Outage:
    def __init__(
        self,
        *,
        down: float = 1.0,
        limited: float = 1.0,
        retry_after: int = 1,
        per_second: float = 30,
        chat_per_second: float = 1,
        chat_burst: int = 2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.down, self.limited, self.retry_after = down, limited, retry_after
        self.per_second, self.chat_per_second, self.chat_burst = (
            per_second,
            chat_per_second,
            chat_burst,
        )
        self._clock = clock
        self._started = clock()
        self._sent: deque[float] = deque()  # accepted in the last second
        self._chat_sent: dict[Any, deque[float]] = defaultdict(deque)
        self.answers: Counter[str] = (
            Counter()
        )  # "500", "429 limited", "429 flood", "429 chat flood", "ok"

    def start(self) -> None:
        self._started = self._clock()

    def __call__(self, method: str, params: dict[str, Any]) -> TelegramError | None:
        if method.lower() != "sendmessage":
            return None
        now = self._clock()
        age = now - self._started
        if age < self.down:
            self.answers["500"] += 1
            return TelegramError(500, "Internal Server Error")
        if age < self.down + self.limited:
            self.answers["429 limited"] += 1
            return _too_many(self.retry_after)
        while self._sent and self._sent[0] <= now - 1:
            self._sent.popleft()
        window = self.chat_burst / self.chat_per_second
        chat = self._chat_sent[str(params.get("chat_id"))]
        while chat and chat[0] <= now - window:
            chat.popleft()
        if len(self._sent) >= self.per_second:
            self.answers["429 flood"] += 1
            return _too_many(max(1, math.ceil(self._sent[0] + 1 - now)))
        if len(chat) >= self.chat_burst:
            self.answers["429 chat flood"] += 1
            return _too_many(max(1, math.ceil(chat[0] + window - now)))
        self._sent.append(now)
        chat.append(now)
        self.answers["ok"] += 1
        return None


def _too_many(seconds: int) -> TelegramError:
    return TelegramError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})
