"""DATABASE_REPLICA_URL against a real streaming standby (tests/standby.py): anonymous public
reads come from the standby, a reporter's and a fresh writer's from the primary, and the
primary answers them all when the standby is gone."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta

import asyncpg
import pytest
from helpers import TEST_SECRET, VALID, publishing_immediately
from standby import ServerPair, wait_replayed

from lapor.city import RateLimits, load_city
from lapor.db import connect
from lapor.migrate import migrate
from lapor.ratelimit import Limit
from lapor.settings import Settings
from lapor.web.app import create_app
from lapor.web.keys import SERVICES
from lapor.web.reads import RECENT_WRITE_COOKIE

pytestmark = pytest.mark.slow

FREE = Limit(1_000_000, timedelta(minutes=1))


@pytest.fixture(scope="module")
def pair():
    servers = ServerPair()
    try:
        servers.start()

        async def prepare() -> None:
            async with connect(servers.primary_url) as conn:
                await migrate(conn)

        asyncio.run(prepare())
        yield servers
    finally:
        servers.close()


@pytest.fixture
async def client(pair, tmp_path, clock, aiohttp_client):
    settings = Settings(
        database_url=pair.primary_url,
        database_replica_url=pair.standby_url,
        data_dir=tmp_path / "data",
        secret_key=TEST_SECRET,
        public_url="http://lapor.test",
        map_tiles="",
    )
    settings = publishing_immediately(settings, tmp_path)  # filed = on the public list
    city = replace(load_city(settings.city), limits=RateLimits(FREE, FREE, FREE, FREE))
    await wait_replayed(pair.primary_url, pair.standby_url)  # the city synced by the app
    return await aiohttp_client(create_app(settings, clock=clock, city=city))


async def file(client) -> dict:
    response = await client.post("/api/v1/complaints", json=VALID)
    assert response.status == 201, await response.text()
    return await response.json()


async def standby_sessions(pair) -> int:
    """Client connections to lapor's database on the standby (the one asking aside)."""
    conn = await asyncpg.connect(pair.standby_url)
    try:
        assert await conn.fetchval("SELECT pg_is_in_recovery()")
        return await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await conn.close()


async def replay(pair, paused: bool) -> None:
    conn = await asyncpg.connect(pair.standby_url)
    try:
        await conn.execute(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")
    finally:
        await conn.close()


async def test_anonymous_public_reads_come_from_the_standby(pair, client):
    filed = await file(client)
    code = filed["tracking_code"]
    client.session.cookie_jar.clear()  # an anonymous visitor, not the filer
    await wait_replayed(pair.primary_url, pair.standby_url)

    listing = await client.get("/laporan")
    assert listing.status == 200 and code in await listing.text()
    assert (await client.get(f"/api/v1/complaints/{code}")).status == 200
    assert (await client.get(f"/lacak/{code}")).status == 200
    assert (await client.get("/laporan/peta.json")).status == 200
    # The app keeps its connections to the standby: the reads went there
    assert await standby_sessions(pair) >= 1


async def test_a_lagging_standby_serves_anonymous_reads_but_not_the_reporters(pair, client):
    await replay(pair, paused=True)  # the standby falls behind, as under load
    try:
        filed = await file(client)
        code = filed["tracking_code"]

        # The filer's browser wrote a moment ago: its reads come from the primary
        assert RECENT_WRITE_COOKIE in {c.key for c in client.session.cookie_jar}
        assert (await client.get(f"/lacak/{code}?baru=1")).status == 200
        # The reporter's access token reads the primary too, from any client
        client.session.cookie_jar.clear()
        own = {"Authorization": f"Bearer {filed['access_token']}"}
        response = await client.get(f"/api/v1/complaints/{code}", headers=own)
        assert response.status == 200
        assert (await response.json())["tracking_code"] == code

        # Anyone else reads the standby, which has not seen it yet
        assert (await client.get(f"/api/v1/complaints/{code}")).status == 404
        assert code not in await (await client.get("/laporan")).text()
    finally:
        await replay(pair, paused=False)
    await wait_replayed(pair.primary_url, pair.standby_url)
    assert (await client.get(f"/api/v1/complaints/{code}")).status == 200


async def test_public_reads_fall_back_to_the_primary_when_the_standby_is_down(pair, client, caplog):
    await wait_replayed(pair.primary_url, pair.standby_url)
    assert (await client.get("/laporan")).status == 200  # the replica's pool is connected
    await asyncio.to_thread(pair.stop_standby)
    try:
        filed = await file(client)
        code = filed["tracking_code"]
        client.session.cookie_jar.clear()
        with caplog.at_level(logging.WARNING, logger="lapor.db"):
            listing = await client.get("/laporan")
            assert listing.status == 200 and code in await listing.text()
            assert (await client.get(f"/api/v1/complaints/{code}")).status == 200
            assert (await client.get("/laporan/peta.json")).status == 200
        outage = [r for r in caplog.records if "replica unreachable" in r.getMessage()]
        assert len(outage) == 1  # one line per outage, not per request
        assert client.app[SERVICES].replica.pool() is client.app[SERVICES].pool
    finally:
        await asyncio.to_thread(pair.start_standby)
