"""What a channel's sender raises when a message did not go, and so what the outbox does next
(lapor.outbox's Delivery): wait, retry later, resume a message sent in parts, or give up."""

from __future__ import annotations


class RetryAfter(Exception):
    """The channel asked us to wait this many seconds (Telegram 429, WhatsApp rate limits)."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds} s")
        self.seconds = max(0.05, float(seconds))


class PermanentFailure(Exception):
    """Sending again will not help (the user blocked the bot, the address does not exist)."""


class Dropped(Exception):
    """No form of the message can go any more, and no person could send it either (a chat
    reply whose WhatsApp window closed first): 'dropped', not dead, its reason kept."""


class PartlySent(Exception):
    """A message sent in parts failed after ``parts_sent`` of them went out: the retry starts
    at the next part (the payload's ``parts_sent``), so no part reaches the chat twice."""

    def __init__(self, parts_sent: int, error: Exception) -> None:
        super().__init__(str(error))
        self.parts_sent, self.error = parts_sent, error
