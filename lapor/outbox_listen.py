"""The outbox's LISTEN connection, kept alive: when PostgreSQL restarts, or the connection is
terminated or silently dropped, it is noticed (a termination callback, and a ping when
nothing was heard for a while) and opened again with back-off; one warning per outage, one
line when listening again. After every (re)connection ``on_listening`` runs, so the
dispatcher sweeps for what was committed while nobody listened (those NOTIFYs are lost)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg

from lapor.db import keeps_session_state, ping

log = logging.getLogger(__name__)


class Listener:
    def __init__(
        self,
        pool: asyncpg.Pool,
        channel: str,
        notified: Callable[..., object],
        on_listening: Callable[[], object],
        *,
        retry_base: float = 0.05,
        retry_cap: float = 5.0,
        check_every: float = 30.0,
    ) -> None:
        self.pool, self.channel = pool, channel
        self.notified, self.on_listening = notified, on_listening
        self.retry_base, self.retry_cap, self.check_every = retry_base, retry_cap, check_every
        self.connections = 0  # how many times it has started listening (1 without an outage)
        self.listening = asyncio.Event()
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        """Listening before it returns (the first connection is not retried: a database that is
        not there at start-up is the caller's to report)."""
        conn = await self.pool.acquire()
        try:
            await self._listen(conn)
        except BaseException:
            await self.pool.release(conn)
            raise
        self._task = asyncio.create_task(self._run(conn), name="outbox-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _listen(self, conn: asyncpg.Connection) -> None:
        keeps_session_state(conn)  # its LISTEN is undone when it goes back to the pool
        await conn.add_listener(self.channel, self.notified)
        self.connections += 1
        self.listening.set()
        self.on_listening()

    async def _run(self, conn: asyncpg.Connection | None) -> None:
        failures = 0
        while True:
            try:
                if conn is None:
                    conn = await self.pool.acquire()
                    await self._listen(conn)
                    if failures:
                        log.warning("outbox listening again after %s failed tries", failures)
                    failures = 0
                await self._watch(conn)
            except asyncio.CancelledError:
                if conn is not None:
                    await self._let_go(conn)
                raise
            except Exception as error:  # a lost server: try again, quietly after the first
                if failures == 0:
                    log.warning(
                        "outbox listener lost its connection (%s); trying again with back-off",
                        type(error).__name__,
                    )
                failures += 1
            self.listening.clear()
            if conn is not None:
                await self._let_go(conn)
                conn = None
            await asyncio.sleep(min(self.retry_cap, self.retry_base * 2 ** min(failures, 20)))

    async def _watch(self, conn: asyncpg.Connection) -> None:
        """Returns never; raises when the connection is gone."""
        lost = asyncio.Event()

        def terminated(_: object) -> None:
            lost.set()

        conn.add_termination_listener(terminated)
        try:
            while True:
                if conn.is_closed():
                    raise ConnectionError("the listening connection closed")
                try:  # asyncio.timeout: 3.11's wait_for may swallow stop()'s cancel
                    async with asyncio.timeout(self.check_every):
                        await lost.wait()
                except TimeoutError:
                    await ping(conn, within=5)  # heard nothing for a while: is anyone there?
                else:
                    raise ConnectionError("the listening connection was terminated")
        finally:
            with contextlib.suppress(Exception):
                conn.remove_termination_listener(terminated)

    async def _let_go(self, conn: asyncpg.Connection) -> None:
        with contextlib.suppress(Exception):
            if not conn.is_closed():
                await conn.remove_listener(self.channel, self.notified)
        with contextlib.suppress(Exception):
            await self.pool.release(conn)
