"""The outbox under faults, with time scaled down to seconds: a Bot API that is down, then
rate-limited, then enforcing its flood limits; a database that drops every connection; a
dispatcher that dies in the middle of sending. Nothing is lost, nothing is sent twice.

Real time here (a SystemClock, the fake's monotonic clock): the dispatcher's waits are real
sleeps, scaled by short settings (phases of 1-1.5 s, retry_after 1 s, back-off caps of 0.5 s)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import replace
from urllib.parse import urlsplit

import asyncpg
import pytest
from fakes.telegram_weather import Outage

from bots.telegram import TelegramSender
from lapor import outbox
from lapor.clock import SystemClock
from lapor.db import create_pool
from lapor.outbox import Dispatcher, Message, Policy
from lapor.outbox_pacing import ChannelLimits

log = logging.getLogger(__name__)

pytestmark = pytest.mark.slow

SCALED = Policy(
    backoff_base=0.05,
    backoff_cap=0.5,
    channel_backoff_base=0.05,
    channel_backoff_cap=0.5,
    send_timeout=5,
    hold=1,
    in_flight=16,
)


@pytest.fixture
async def client(settings, clock, city, aiohttp_client):
    """The app without a dispatcher of its own (it would send webhooks and forwards, with a
    listener whose outage it logs too): each test starts the one dispatcher it watches."""
    from lapor.web.app import create_app

    return await aiohttp_client(create_app(settings, clock=clock, city=city, senders={}))


async def queue(pool, clock, messages: list[Message]) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await outbox.enqueue_many(conn, messages, clock.now())


async def statuses(pool) -> Counter:
    async with pool.acquire() as conn:
        return Counter(r["status"] for r in await conn.fetch("SELECT status FROM outbox"))


async def until(condition, seconds: float, every: float = 0.05) -> float:
    """Wait for ``condition()`` (awaited) to hold; how long it took. Fails after ``seconds``."""
    started = time.monotonic()
    while not await condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        await asyncio.sleep(every)
    return time.monotonic() - started


async def test_2000_replies_survive_an_outage_flood_control_and_the_flood_limit(
    services, fake_telegram
):
    clock = SystemClock()
    weather = fake_telegram.weather = Outage(
        down=1.5, limited=1.5, retry_after=1, per_second=300, chat_per_second=10, chat_burst=2
    )
    # A little under the fake's limits (the defaults are Telegram's published ones): only
    # jitter in the arrival times can still earn a 429.
    limits = ChannelLimits(rate=270, burst=1, chat_rate=8, chat_burst=1)
    policy = replace(SCALED, limits={"telegram": limits})
    replies = [
        Message("telegram", str(10_000 + n % 400), "bot_reply", f"balasan {n}") for n in range(2000)
    ]
    await queue(services.pool, clock, replies)
    bot = fake_telegram.bot()
    dispatcher = Dispatcher(services.pool, {"telegram": TelegramSender(bot)}, clock, policy=policy)
    weather.start()
    await dispatcher.start()
    try:

        async def all_sent() -> bool:
            return (await statuses(services.pool))["sent"] == 2000

        took = await until(all_sent, 60, every=0.2)
    finally:
        await dispatcher.stop()
        await bot.session.close()
    texts = [params["text"] for params in fake_telegram.sent_messages()]
    log.warning("2000 replies through the weather in %.1f s: %s", took, dict(weather.answers))
    assert await statuses(services.pool) == {"sent": 2000}  # none dead, none left
    assert len(texts) == len(set(texts)) == 2000  # none twice
    # Each chat's replies arrived in the order they were queued.
    by_chat: dict[str, list[int]] = {}
    for params in fake_telegram.sent_messages():
        by_chat.setdefault(str(params["chat_id"]), []).append(int(params["text"].split()[1]))
    assert all(numbers == sorted(numbers) for numbers in by_chat.values())
    # A 429 paused the channel: at most the sends already under way met the next one.
    assert weather.answers["429 limited"] <= 3 * policy.in_flight
    assert weather.answers["429 flood"] + weather.answers["429 chat flood"] <= 40
    assert weather.answers["500"] <= 20 * policy.in_flight


async def test_a_burst_faster_than_the_flood_limit_waits_out_each_429_and_loses_nothing(
    services, fake_telegram
):
    """The dispatcher set faster than the Bot API allows (the issue's 400 replies against a
    flood limit): each 429 pauses the channel, so only the sends already under way meet it."""
    clock = SystemClock()
    weather = fake_telegram.weather = Outage(
        down=0, limited=0, retry_after=1, per_second=100, chat_per_second=1000, chat_burst=10
    )
    replies = [
        Message("telegram", str(20_000 + n % 100), "bot_reply", f"balasan {n}") for n in range(400)
    ]
    await queue(services.pool, clock, replies)
    bot = fake_telegram.bot()
    dispatcher = Dispatcher(services.pool, {"telegram": TelegramSender(bot)}, clock, policy=SCALED)
    await dispatcher.start()
    try:

        async def all_sent() -> bool:
            return (await statuses(services.pool))["sent"] == 400

        took = await until(all_sent, 30, every=0.1)
    finally:
        await dispatcher.stop()
        await bot.session.close()
    texts = [params["text"] for params in fake_telegram.sent_messages()]
    log.warning("400 replies, no pacing, in %.1f s: %s", took, dict(weather.answers))
    assert await statuses(services.pool) == {"sent": 400}
    assert len(texts) == len(set(texts)) == 400
    # Not the 1,794 extra 429s of a dispatcher that keeps sending its batch: one per send
    # under way when the channel paused, for each time it had to.
    assert weather.answers["429 flood"] <= 2 * SCALED.in_flight * (400 // 100 + 1)


class Recorder:
    """A sender that records what it delivered; optionally hangs on the first ``hang`` sends
    (as a send does when the process is about to die)."""

    def __init__(self, hang: int = 0) -> None:
        self.delivered: list[str] = []
        self.hanging = 0
        self.hang = hang
        self.arrived = asyncio.Event()

    async def send(self, recipient, payload) -> None:
        if self.hanging < self.hang:
            self.hanging += 1
            await asyncio.Event().wait()  # never: the process dies first
        self.delivered.append(payload["text"])
        self.arrived.set()


async def test_replies_arrive_at_once_after_the_database_drops_every_connection(
    services, database_url, caplog
):
    clock = SystemClock()
    sender = Recorder()
    # No polling to fall back on: only a LISTEN that came back can bring the reply promptly.
    dispatcher = Dispatcher(services.pool, {"telegram": sender}, clock, idle_seconds=60)
    await dispatcher.start()
    try:
        await queue(services.pool, clock, [Message("telegram", "5001", "bot_reply", "sebelum")])
        await asyncio.wait_for(sender.arrived.wait(), 5)
        killer = await asyncpg.connect(database_url)
        try:
            killed = await killer.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await killer.close()
        assert killed >= 2  # the listener's connection and the pool's others

        async def listening_again() -> bool:
            return dispatcher.listener.connections == 2 and dispatcher.listener.listening.is_set()

        back = await until(listening_again, 5, every=0.01)
        sender.arrived.clear()
        started = time.monotonic()
        await queue(services.pool, clock, [Message("telegram", "5001", "bot_reply", "sesudah")])
        await asyncio.wait_for(sender.arrived.wait(), 5)
        latency = time.monotonic() - started
    finally:
        await dispatcher.stop()
    log.warning("listening again %.3f s after the kill; next reply in %.3f s", back, latency)
    assert sender.delivered == ["sebelum", "sesudah"]
    assert latency < 0.5  # NOTIFY again, not the poll (60 s here, 1 s in production)
    lost = [r for r in caplog.records if "listener lost its connection" in r.getMessage()]
    assert len(lost) == 1  # one line for the outage, not one per try


async def test_a_longer_outage_is_logged_once_and_delivery_resumes_when_it_ends(
    services, database_url, pg_server, caplog
):
    """The database refuses connections for a while (as during a restart): the listener and
    the claims keep trying, quietly, and the reply queued meanwhile goes out when it is back."""
    clock = SystemClock()
    sender = Recorder()
    dispatcher = Dispatcher(services.pool, {"telegram": sender}, clock, idle_seconds=60)
    name = urlsplit(database_url).path.lstrip("/")  # the embedded DSN has a path in its query
    admin = await asyncpg.connect(pg_server)
    await dispatcher.start()
    try:
        await admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1",
            name,
        )
        await asyncio.sleep(1.5)  # tries every 0.05 s, doubling: several fail meanwhile
        assert not dispatcher.listener.listening.is_set()
        await admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        await until(lambda: _true(dispatcher.listener.listening.is_set()), 10, every=0.02)
        await queue(services.pool, clock, [Message("telegram", "5001", "bot_reply", "kembali")])
        await asyncio.wait_for(sender.arrived.wait(), 2)
    finally:
        try:
            await admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
            await admin.close()
        finally:
            await dispatcher.stop()
    said = [r.getMessage() for r in caplog.records if r.name.startswith("lapor.outbox")]
    assert sum("listener lost its connection" in line for line in said) == 1
    (again,) = [line for line in said if "listening again" in line]
    assert int(again.split("after ")[1].split()[0]) >= 3  # failed tries, logged once
    assert sender.delivered == ["kembali"]


async def test_a_dispatcher_that_dies_mid_send_holds_only_what_it_was_sending(
    services, database_url
):
    clock = SystemClock()
    policy = Policy(send_timeout=1, hold=0.2, lease_margin=0.3, in_flight=4)
    lease = policy.lease.total_seconds()
    await queue(
        services.pool,
        clock,
        [Message("telegram", str(7000 + n), "status", f"kabar {n}") for n in range(50)],
    )
    doomed_pool = await create_pool(database_url, min_size=1, max_size=3)
    doomed_sender = Recorder(hang=4)
    doomed = Dispatcher(doomed_pool, {"telegram": doomed_sender}, clock, policy=policy)
    await doomed.start()
    await until(lambda: _true(doomed_sender.hanging == 4), 5, every=0.01)
    claimed_at = time.monotonic()
    # The crash: its tasks stop where they are and its connections are cut; nothing is
    # handed back, as when the process is killed.
    for task in doomed._tasks:
        task.cancel()
    await asyncio.gather(*doomed._tasks, return_exceptions=True)
    doomed.listener._task.cancel()
    doomed_pool.terminate()

    sender = Recorder()
    survivor = Dispatcher(
        services.pool, {"telegram": sender}, clock, policy=policy, idle_seconds=0.1
    )
    await survivor.start()
    try:
        await until(lambda: _true(len(sender.delivered) >= 46), 5, every=0.01)
        others_after = time.monotonic() - claimed_at
        await until(lambda: _true(len(sender.delivered) >= 50), lease + 15, every=0.05)
        held_after = time.monotonic() - claimed_at
    finally:
        await survivor.stop()
    log.warning(
        "after the crash: the 46 others out %.2f s, the 4 held %.2f s (lease %.1f s)",
        others_after,
        held_after,
        lease,
    )
    assert others_after < lease  # never claimed by the dead one: not held at all
    assert held_after >= lease  # its four waited for their lease, and only that
    assert sorted(sender.delivered) == sorted(f"kabar {n}" for n in range(50))  # once each
    assert await statuses(services.pool) == {"sent": 50}


async def _true(value: bool) -> bool:
    return value
