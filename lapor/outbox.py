"""The outbox: messages written with the change that causes them, delivered at least once.

A message is queued inside the caller's transaction (so a rolled-back change sends nothing)
and announced with NOTIFY, which PostgreSQL delivers only at commit. Dispatchers claim due
rows with ``FOR UPDATE SKIP LOCKED`` (only the oldest pending one of each chat, so a chat's
replies keep their order) under a short lease bounded by the send timeout, send them through
the channel's sender at the channel's pace (lapor/outbox_pacing.py), and mark them sent.

What is not the message's fault never kills it: a 429 pauses the whole channel for its
``retry_after`` and puts the message back uncounted; a 5xx, a timeout or a lost connection
pauses the channel with back-off and retries the message with capped exponential back-off.
Only a permanent refusal (blocked by the user, no such chat, a template refused) or the end
of ``Policy.retry_for`` (three days by default, LAPOR_OUTBOX_RETRY_DAYS) makes it dead, with
its error kept, where the admin sees it and may put it back (`dead_letters`, `retry_dead`);
what nobody could send any more (`Dropped`) is 'dropped' instead.
A dispatcher dying mid-send holds only what it was sending, until its lease: at least once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import asyncpg

from lapor.clock import Clock
from lapor.outbox_errors import Dropped, PartlySent, PermanentFailure, RetryAfter
from lapor.outbox_listen import Listener
from lapor.outbox_pacing import UNLIMITED, ChannelLimits, Lane, channel_limits
from lapor.repo import outbox as repo
from lapor.repo import receipts

if TYPE_CHECKING:
    from lapor.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "lapor_outbox"
CHANNELS = ("telegram", "whatsapp", "email", "sms", "webhook", "forward")


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


class Sender(Protocol):
    # May return the ids the channel gave what it accepted: kept (lapor.receipts) so that a
    # failure the channel reports later reaches the message.
    async def send(self, recipient: str, payload: Mapping[str, Any]) -> Sequence[str] | None: ...


@dataclass(frozen=True)
class Policy:
    """How the outbox retries and paces. Seconds unless said otherwise."""

    retry_for: timedelta = timedelta(days=3)  # then a message that still fails is dead
    backoff_base: float = 5.0  # a message's own back-off after its n-th failed try
    backoff_factor: float = 2.0
    backoff_cap: float = 600.0
    channel_backoff_base: float = 1.0  # the channel's pause while it keeps failing
    channel_backoff_cap: float = 60.0  # ...so a channel that is back is noticed within this
    send_timeout: float = 30.0  # one send; the lease is bounded by it
    hold: float = 3.0  # longest a claimed message waits for its chat's turn in memory
    in_flight: int = 8  # messages of one channel being sent at once
    lease_margin: float = 5.0
    limits: Mapping[str, ChannelLimits] = field(default_factory=dict)

    @property
    def lease(self) -> timedelta:
        """How long a claimed message is reserved: its waits and its send, and a margin."""
        return timedelta(seconds=self.hold + self.send_timeout + self.lease_margin)

    def delay(self, attempts: int) -> timedelta:
        seconds = self.backoff_base * self.backoff_factor ** max(0, attempts - 1)
        return timedelta(seconds=min(self.backoff_cap, seconds))

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            retry_for=timedelta(days=settings.outbox_retry_days),
            limits=channel_limits(settings),
        )


class Delivery:
    """Sends claimed messages and records how it went; one per dispatcher (its lanes hold the
    channels' pace and pauses)."""

    def __init__(
        self, pool: asyncpg.Pool, senders: Mapping[str, Sender], clock: Clock, policy: Policy
    ) -> None:
        self.pool, self.senders, self.clock, self.policy = pool, senders, clock, policy
        self.lanes = {
            channel: Lane(
                policy.limits.get(channel, UNLIMITED),
                backoff_base=policy.channel_backoff_base,
                backoff_cap=policy.channel_backoff_cap,
            )
            for channel in senders
        }

    async def claim(self, channels: list[str], limit: int) -> list[asyncpg.Record]:
        now = self.clock.now()
        async with self.pool.acquire() as conn:
            return await repo.claim(conn, now, now + self.policy.lease, limit, channels)

    async def release(self, row, seconds: float, detail: str | None = None) -> None:
        async with self.pool.acquire() as conn:
            retry_at = self.clock.now() + timedelta(seconds=seconds)
            await repo.release(conn, row, retry_at, detail)

    async def deliver(self, row) -> bool:
        """Send one claimed message at its channel's and its chat's pace; True when sent."""
        lane = self.lanes[row["channel"]]
        if paused := lane.pause_left():
            await self.release(row, paused)
            return False
        chat = lane.chat(row["recipient"])
        wait = chat.delay()
        if wait > self.policy.hold:  # the chat's turn is far: back to the queue meanwhile
            await self.release(row, wait)
            return False
        # The channel's slot first, then the chat's at or after it: the chat's spacing holds
        # at the moment of sending, however long the channel made it wait.
        wait = chat.reserve(after=lane.bucket.reserve())
        if wait > 0:
            await asyncio.sleep(wait)
            if paused := lane.pause_left():  # a 429 arrived meanwhile: do not add to it
                await self.release(row, paused)
                return False
        try:
            async with asyncio.timeout(self.policy.send_timeout):
                accepted = await self.senders[row["channel"]].send(row["recipient"], row["payload"])
        except asyncio.CancelledError:
            raise
        except Exception as error:  # every failure is recorded; the kind decides what next
            await self._failed(row, lane, error)
            return False
        if lane.failures:
            log.warning("outbox channel %s is delivering again", row["channel"])
        lane.succeeded()
        ids = [i for i in accepted or () if isinstance(i, str) and i]
        now = self.clock.now()
        async with self.pool.acquire() as conn:
            if ids:  # the channel's ids, for what it reports later (lapor.receipts)
                async with conn.transaction():
                    await repo.mark_sent(conn, row, now)
                    await receipts.record(
                        conn, ids, row["channel"], row["id"], row["created_at"], now
                    )
            else:
                await repo.mark_sent(conn, row, now)
        log.info("outbox sent id=%s channel=%s kind=%s", row["id"], row["channel"], row["kind"])
        return True

    async def _failed(self, row, lane: Lane, error: Exception) -> None:
        if isinstance(error, PartlySent):
            async with self.pool.acquire() as conn:
                await repo.merge_payload(conn, row, {"parts_sent": error.parts_sent})
            error = error.error
        now = self.clock.now()
        detail = f"{type(error).__name__}: {error}"[:1000]
        expired = now >= row["retrying_since"] + self.policy.retry_for
        if isinstance(error, RetryAfter):
            lane.pause(error.seconds)  # the channel's limit, not this message's failure
            if not expired:
                await self.release(row, error.seconds, detail)
                return
        elif not isinstance(error, PermanentFailure | Dropped):
            lane.failed()  # a 5xx, a timeout, a lost connection: the channel, not the message
            if lane.failures == 1:
                log.warning("outbox channel %s is failing (%s)", row["channel"], detail)
        dead = expired or isinstance(error, PermanentFailure | Dropped)
        status = "dropped" if isinstance(error, Dropped) else "dead" if dead else "pending"
        retry_at = now if dead else now + self.policy.delay(row["attempts"] + 1)
        async with self.pool.acquire() as conn:
            await repo.mark_failed(conn, row, status, retry_at, detail)
        (log.warning if status == "dead" else log.debug)(
            "outbox failed id=%s channel=%s attempts=%s status=%s error=%s",
            row["id"],
            row["channel"],
            row["attempts"] + 1,
            status,
            type(error).__name__,
        )


async def dispatch_once(
    pool: asyncpg.Pool,
    senders: Mapping[str, Sender],
    clock: Clock,
    *,
    policy: Policy = Policy(),
    batch: int = 8,
) -> int:
    """Send what is due now through the senders we have, one at a time, until nothing more is
    (a chat's next message becomes due when the one before it is sent); how many were sent."""
    delivery = Delivery(pool, senders, clock, policy)
    sent, seen = 0, set()
    while channels := [c for c, lane in delivery.lanes.items() if not lane.pause_left()]:
        claimed = await delivery.claim(channels, batch)
        fresh = [row for row in claimed if row["id"] not in seen]
        for row in claimed:
            if row["id"] in seen:  # due again at once (a zero wait): next time, not now
                await delivery.release(row, 0)
        if not fresh:
            break
        for row in sorted(fresh, key=lambda r: r["id"]):
            seen.add(row["id"])
            sent += await delivery.deliver(row)
    return sent


class Dispatcher:
    """Delivers the outbox continuously, a task per channel: woken by NOTIFY at commit (on a
    listening connection that survives database restarts), by a finished send, and by a
    timer (``idle_seconds``) for retries that fall due.

    ``listen_pool``: where the LISTEN connection comes from (default: ``pool``); ``listen``
    False: none at all, the timer alone finds new messages (behind a pooler in transaction
    mode with no direct connection, where a LISTEN would not stay on one server session)."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        senders: Mapping[str, Sender],
        clock: Clock,
        *,
        policy: Policy = Policy(),
        idle_seconds: float = 1.0,
        listen: bool = True,
        listen_pool: asyncpg.Pool | None = None,
    ) -> None:
        self.pool, self.senders, self.clock = pool, senders, clock
        self.policy, self.idle_seconds = policy, idle_seconds
        self.delivery = Delivery(pool, senders, clock, policy)
        self._wakes = {channel: asyncio.Event() for channel in senders}
        self._tasks: list[asyncio.Task] = []
        self.listener = (
            Listener(listen_pool or pool, CHANNEL, self._notified, self._wake_all)
            if listen
            else None
        )

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        if payload in self._wakes:
            self._wakes[payload].set()
        else:
            self._wake_all()

    def _wake_all(self) -> None:
        for wake in self._wakes.values():
            wake.set()

    async def start(self) -> None:
        if not self.senders:
            return
        if self.listener is not None:
            await self.listener.start()
        self._tasks = [
            asyncio.create_task(self._run(channel), name=f"outbox-{channel}")
            for channel in self.senders
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self.listener is not None:
            await self.listener.stop()

    async def _run(self, channel: str) -> None:
        lane, wake = self.delivery.lanes[channel], self._wakes[channel]
        sending: set[asyncio.Task] = set()
        broken = 0  # claims that failed in a row (the database away)
        try:
            while True:
                try:
                    if paused := lane.pause_left():
                        await asyncio.sleep(paused)
                    room = self.policy.in_flight - len(sending)
                    if room <= 0:
                        await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                        continue
                    wake.clear()  # before claiming: a NOTIFY from now on is not missed
                    claimed = await self.delivery.claim([channel], room)
                    if broken:
                        log.warning("outbox %s reaches the database again", channel)
                        broken = 0
                    for row in claimed:
                        task = asyncio.create_task(self._deliver(row, wake))
                        sending.add(task)
                        task.add_done_callback(sending.discard)
                    if not claimed:
                        with contextlib.suppress(TimeoutError):
                            async with asyncio.timeout(self.idle_seconds):
                                await wake.wait()
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # the database is away: try again, log once
                    if not broken:
                        log.warning("outbox %s cannot claim (%s)", channel, type(error).__name__)
                    broken += 1
                    wake.clear()  # the listener wakes us when it is back
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(min(1.0, 0.05 * 2 ** min(broken, 5))):
                            await wake.wait()
        finally:
            for task in sending:
                task.cancel()
            await asyncio.gather(*sending, return_exceptions=True)

    async def _deliver(self, row, wake: asyncio.Event) -> None:
        try:
            await self.delivery.deliver(row)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # its lease runs out and it is sent again
            log.warning("outbox id=%s not recorded (%s)", row["id"], type(error).__name__)
        finally:
            wake.set()  # the chat's next message may be due now
