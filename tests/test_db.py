"""The pool's reset on release: nothing sent for ordinary use, asyncpg's full reset for a
connection that keeps session state (the outbox's LISTEN); a long lock left open rolls back."""

import asyncpg

from lapor.db import create_pool, keeps_session_state
from lapor.outbox import Dispatcher
from lapor.repo import locks


class Silent:
    async def send(self, recipient, payload) -> None:
        raise AssertionError("nothing is due")


async def test_a_long_lock_never_unlocked_is_released_with_the_connection(database_url):
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            assert await locks.try_named_lock(conn, "lapor.test.forgotten")
        other = await asyncpg.connect(database_url)
        try:
            assert await other.fetchval(
                "SELECT pg_try_advisory_lock(hashtext($1))", "lapor.test.forgotten"
            )
        finally:
            await other.close()
    finally:
        await pool.close()


async def test_the_dispatchers_listen_ends_when_its_connection_goes_back(database_url, clock):
    pool = await create_pool(database_url, min_size=2, max_size=2)
    try:
        dispatcher = Dispatcher(pool, {"telegram": Silent()}, clock, idle_seconds=60)
        await dispatcher.start()
        await dispatcher.stop()  # its connection back in the pool, with one other
        async with pool.acquire() as first, pool.acquire() as second:
            for conn in (first, second):
                assert await conn.fetch("SELECT pg_listening_channels()") == []
    finally:
        await pool.close()


async def test_a_marked_connection_is_reset_in_full_and_a_plain_one_is_not(database_url):
    pool = await create_pool(database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            keeps_session_state(conn)
            await conn.execute("LISTEN lapor_test")
        async with pool.acquire() as conn:  # the same connection
            assert await conn.fetch("SELECT pg_listening_channels()") == []
            await conn.execute("LISTEN lapor_test")  # unmarked: nothing is sent on release
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT pg_listening_channels()") == "lapor_test"
    finally:
        await pool.close()


async def test_without_a_replica_public_reads_use_the_primary_pool_itself(services):
    assert services.replica.replica is services.pool and services.replica.pool() is services.pool

    async def where(reading) -> object:
        return reading.pool

    assert await services.public_read(where) is services.pool
