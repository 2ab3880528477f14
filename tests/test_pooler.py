"""lapor behind PgBouncer in transaction mode (LAPOR_DATABASE_POOLER=transaction): each
transaction may run on another server connection, so nothing may rest on session state."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from helpers import VALID
from test_outbox import RecordingSender, message, queue

from lapor import escalation
from lapor.db import connect
from lapor.migrate import MIGRATIONS_DIR, migrate
from lapor.outbox import Dispatcher, dispatch_once
from lapor.repo import locks
from lapor.settings import SettingsError, settings_from_env
from lapor.web.app import create_app
from lapor.web.keys import SERVICES

SECRET = {"LAPOR_SECRET_KEY": "pooler-test-secret-0123456789"}


async def pooled_app(settings, pgbouncer, clock, city, aiohttp_client):
    behind = replace(
        settings, database_url=pgbouncer(settings.database_url), database_pooler="transaction"
    )
    client = await aiohttp_client(create_app(behind, clock=clock, city=city))
    return client, client.app[SERVICES]


async def test_filing_sweeping_and_delivering_through_pgbouncer(
    settings, pgbouncer, clock, city, aiohttp_client, database_url
):
    client, services = await pooled_app(settings, pgbouncer, clock, city, aiohttp_client)

    # Twelve citizens file at once (more than PgBouncer's three server connections), and one
    # of them retries with the same Idempotency-Key
    async def file(key: str) -> str:
        response = await client.post(
            "/api/v1/complaints", json=VALID, headers={"Idempotency-Key": key}
        )
        assert response.status in (200, 201), await response.text()
        return (await response.json())["tracking_code"]

    codes = await asyncio.gather(*(file(f"warga-{n}") for n in range(12)))
    assert await file("warga-3") == codes[3]
    assert len(set(codes)) == 12

    # Nobody answers for a month: the SLA sweep climbs every ladder and queues the messages
    clock.advance(timedelta(days=30))
    swept = await escalation.sweep(services)
    assert swept.complaints == 12 and swept.steps >= 12 and swept.messages > 0

    # Four claimers drain the outbox at once: each message sent exactly once
    senders = {"telegram": RecordingSender(), "email": RecordingSender()}
    await asyncio.gather(*(dispatch_once(services.pool, senders, clock, batch=5) for _ in range(4)))
    while await dispatch_once(services.pool, senders, clock, batch=50):
        pass
    async with connect(database_url) as direct:  # past the pooler: what really is stored
        assert await direct.fetchval("SELECT count(*) FROM complaint") == 12
        queued = await direct.fetchval("SELECT count(*) FROM outbox WHERE kind = 'escalation'")
        unsent = await direct.fetchval("SELECT count(*) FROM outbox WHERE status <> 'sent'")
    delivered = [(r, p["text"]) for s in senders.values() for r, p in s.delivered]
    assert len(delivered) == len(set(delivered)) >= queued > 0
    assert unsent == 0


async def test_a_long_lock_is_held_by_its_transaction_through_pgbouncer(
    settings, pgbouncer, clock, city, aiohttp_client
):
    _, services = await pooled_app(settings, pgbouncer, clock, city, aiohttp_client)
    async with services.pool.acquire() as holder, services.pool.acquire() as rival:
        assert await locks.try_key_lock(holder, 7_0001)
        for _ in range(5):  # other work through the pooler does not take it over
            assert not await locks.try_key_lock(rival, 7_0001)
        await locks.key_unlock(holder, 7_0001)
        assert await locks.try_key_lock(rival, 7_0001)
        await locks.key_unlock(rival, 7_0001)


async def test_the_outbox_polls_when_it_cannot_listen_behind_the_pooler(
    settings, pgbouncer, clock, city, aiohttp_client
):
    _, services = await pooled_app(settings, pgbouncer, clock, city, aiohttp_client)
    sender = RecordingSender()
    dispatcher = Dispatcher(
        services.pool, {"telegram": sender}, clock, idle_seconds=0.05, listen=False
    )
    await dispatcher.start()
    try:
        await queue(services, message())
        await asyncio.wait_for(sender.arrived.wait(), 5)
    finally:
        await dispatcher.stop()
    assert [p["text"] for _, p in sender.delivered] == ["pesan 1"]


async def test_two_migrations_at_once_through_pgbouncer_apply_each_file_once(
    empty_database_url, pgbouncer
):
    async def run() -> list[str]:
        async with connect(pgbouncer(empty_database_url), pooled=True) as conn:
            return await migrate(conn)

    first, second = await asyncio.gather(run(), run())
    assert sorted(first + second) == sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql"))


def test_the_pooler_setting_decides_where_the_outbox_listens():
    plain = settings_from_env({"DATABASE_URL": "postgresql://db/lapor", **SECRET})
    assert not plain.pooled and plain.listen_url == "postgresql://db/lapor"
    env = {"DATABASE_URL": "postgresql://bouncer/lapor", "LAPOR_DATABASE_POOLER": "transaction"}
    behind = settings_from_env({**env, **SECRET})
    assert behind.pooled and behind.listen_url is None  # the dispatcher polls
    direct = settings_from_env({**env, **SECRET, "DATABASE_DIRECT_URL": "postgresql://db/lapor"})
    assert direct.listen_url == "postgresql://db/lapor"
    with pytest.raises(SettingsError, match="LAPOR_DATABASE_POOLER"):
        settings_from_env({**env, **SECRET, "LAPOR_DATABASE_POOLER": "session"})


async def test_the_outbox_listens_past_the_pooler_on_the_direct_url(
    settings, pgbouncer, clock, city, aiohttp_client, database_url
):
    separator = "&" if "?" in database_url else "?"
    direct = f"{database_url}{separator}application_name=lapor-direct"
    behind = replace(
        settings,
        database_url=pgbouncer(settings.database_url),
        database_pooler="transaction",
        database_direct_url=direct,
    )
    sender = RecordingSender()
    client = await aiohttp_client(
        create_app(behind, clock=clock, city=city, senders={"telegram": sender})
    )
    async with connect(database_url) as conn:
        listening = await conn.fetch(
            "SELECT application_name FROM pg_stat_activity "
            "WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
        )
    assert [row[0] for row in listening] == ["lapor-direct"]
    await queue(client.app[SERVICES], message())
    await asyncio.wait_for(sender.arrived.wait(), 5)
