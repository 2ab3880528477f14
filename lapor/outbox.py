"""The outbox: messages written with the change that causes them, delivered at least once.

A message is queued inside the caller's transaction (so a rolled-back change sends nothing)
and announced with NOTIFY, which PostgreSQL delivers only at commit. Dispatchers claim due
rows with ``FOR UPDATE SKIP LOCKED`` and a lease, send them through the channel's sender,
and mark them sent; a failure backs off exponentially (or as long as the channel asked, e.g.
Telegram's 429 ``retry_after``), keeps the error, and after ``max_attempts`` the message is
dead. A dispatcher that dies mid-send leaves its lease to expire, so the message goes out
again: delivery is at least once, never at most once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import asyncpg

from lapor.clock import Clock
from lapor.db import keeps_session_state
from lapor.repo import outbox as repo

log = logging.getLogger(__name__)

CHANNEL = "lapor_outbox"
CHANNELS = ("telegram", "whatsapp", "email")


@dataclass(frozen=True)
class Message:
    channel: str
    recipient: str
    kind: str
    text: str
    # Choices the recipient can tap: (label, data). Channels render them as buttons.
    buttons: tuple[tuple[str, str], ...] = ()
    complaint_id: int | None = None
    dedupe_key: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "buttons": [list(b) for b in self.buttons], **self.extra}


async def enqueue(conn: asyncpg.Connection, message: Message, now: datetime) -> int | None:
    """Queue a message in the caller's transaction; None when its dedupe key was queued before."""
    if message.channel not in CHANNELS:
        raise ValueError(f"unknown channel {message.channel!r}")
    message_id = await repo.insert(
        conn,
        message.channel,
        message.recipient,
        message.kind,
        message.payload(),
        message.dedupe_key,
        message.complaint_id,
        now,
    )
    if message_id is not None:
        await repo.notify(conn, CHANNEL, message.channel)
    return message_id


async def enqueue_many(conn: asyncpg.Connection, messages: Sequence[Message], now: datetime) -> int:
    """Queue many messages in one statement (a sweep's batch); returns how many were new."""
    for message in messages:
        if message.channel not in CHANNELS:
            raise ValueError(f"unknown channel {message.channel!r}")
    if not messages:
        return 0
    queued = await repo.insert_many(
        conn,
        [
            [m.channel for m in messages],
            [m.recipient for m in messages],
            [m.kind for m in messages],
            [json.dumps(m.payload(), ensure_ascii=False) for m in messages],
            [m.dedupe_key for m in messages],
            [m.complaint_id for m in messages],
        ],
        now,
    )
    for channel in sorted({m.channel for m in messages}):
        await repo.notify(conn, CHANNEL, channel)
    return len(queued)


class RetryAfter(Exception):
    """The channel asked us to wait this many seconds (Telegram 429, WhatsApp rate limits)."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds} s")
        self.seconds = seconds


class PermanentFailure(Exception):
    """Sending again will not help (the user blocked the bot, the address does not exist)."""


class Sender(Protocol):
    async def send(self, recipient: str, payload: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True)
class Backoff:
    base: float = 5.0
    factor: float = 2.0
    cap: float = 3600.0
    max_attempts: int = 8
    lease: float = 120.0  # how long a claimed message is reserved for its dispatcher

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.cap, self.base * self.factor ** max(0, attempts - 1)))


async def dispatch_once(
    pool: asyncpg.Pool,
    senders: Mapping[str, Sender],
    clock: Clock,
    *,
    backoff: Backoff = Backoff(),
    batch: int = 50,
) -> int:
    """Send what is due now through the senders we have; returns how many were sent."""
    now = clock.now()
    async with pool.acquire() as conn:
        claimed = await repo.claim(
            conn, now, now + timedelta(seconds=backoff.lease), batch, list(senders)
        )
    sent = 0
    for row in sorted(claimed, key=lambda r: r["id"]):
        try:
            await senders[row["channel"]].send(row["recipient"], row["payload"])
        except asyncio.CancelledError:
            raise
        except Exception as error:  # every failure is recorded; the kind decides what next
            await _failed(pool, row, error, clock.now(), backoff)
            continue
        async with pool.acquire() as conn:
            await repo.mark_sent(conn, row["id"], clock.now())
        sent += 1
        log.info("outbox sent id=%s channel=%s kind=%s", row["id"], row["channel"], row["kind"])
    return sent


async def _failed(pool, row, error: Exception, now: datetime, backoff: Backoff) -> None:
    detail = f"{type(error).__name__}: {error}"[:1000]
    if isinstance(error, PermanentFailure) or row["attempts"] >= backoff.max_attempts:
        status, retry_at = "dead", now
    elif isinstance(error, RetryAfter):
        status, retry_at = "pending", now + timedelta(seconds=error.seconds)
    else:
        status, retry_at = "pending", now + backoff.delay(row["attempts"])
    async with pool.acquire() as conn:
        await repo.mark_failed(conn, row["id"], status, retry_at, detail)
    log.warning(
        "outbox failed id=%s channel=%s attempts=%s status=%s error=%s",
        row["id"],
        row["channel"],
        row["attempts"],
        status,
        type(error).__name__,
    )


class Dispatcher:
    """Delivers the outbox continuously: woken by NOTIFY at commit, and by a timer for retries."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        senders: Mapping[str, Sender],
        clock: Clock,
        *,
        backoff: Backoff = Backoff(),
        idle_seconds: float = 1.0,
    ) -> None:
        self.pool, self.senders, self.clock = pool, senders, clock
        self.backoff, self.idle_seconds = backoff, idle_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._listener: asyncpg.Connection | None = None

    def _notified(self, *_: object) -> None:
        self._wake.set()

    async def start(self) -> None:
        if not self.senders:
            return
        self._listener = await self.pool.acquire()
        keeps_session_state(self._listener)  # its LISTEN is undone when it goes back
        await self._listener.add_listener(CHANNEL, self._notified)
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.remove_listener(CHANNEL, self._notified)
            await self.pool.release(self._listener)
            self._listener = None

    async def _run(self) -> None:
        while True:
            try:
                while await dispatch_once(
                    self.pool, self.senders, self.clock, backoff=self.backoff
                ):
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:  # a broken sweep must not stop delivery for good
                log.exception("outbox sweep failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
            self._wake.clear()
