"""Intake throughput: complaints POSTed over loopback versus the same inserts made directly.

Usage: python bench/intake.py [--requests 2000] [--concurrency 16]

Runs `lapor serve` in a child process against a fresh database (DATABASE_URL's server, or an
embedded one), POSTs complaints at a fixed concurrency, then does the same database work
(the public copy of the text, then reporter, complaint, two events and the first SLA
deadlines, in one transaction each)
straight through asyncpg at the same concurrency in this process, and prints both with their
ratio. A third row writes the same rows plus the rate-limit hit as lapor does, in its one
statement per complaint (lapor/repo/intake.py), straight through asyncpg: the database's
share of lapor's own way.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pg import run_with_server  # noqa: E402

from lapor import privacy, sla, tracking  # noqa: E402
from lapor.city import load_city  # noqa: E402
from lapor.db import connect, init_connection  # noqa: E402
from lapor.migrate import migrate  # noqa: E402
from lapor.reference import sync_city  # noqa: E402
from lapor.repo import complaints as repo  # noqa: E402
from lapor.repo import intake as intake_repo  # noqa: E402

TEXTS = [
    "Jalan di depan sekolah berlubang besar dan membahayakan pengendara motor.",
    "Sampah di TPS dekat pasar sudah seminggu tidak diangkut, baunya menyengat.",
    "Lampu jalan di gang kami mati sejak tiga hari, sangat gelap dan rawan.",
    "Air PDAM mati sejak kemarin pagi tanpa pemberitahuan kepada warga.",
]
CATEGORIES = ["jalan", "sampah", "penerangan_jalan", "air_bersih"]


def payload(i: int) -> dict:
    return {
        "text": f"{TEXTS[i % 4]} (laporan nomor {i})",
        "category": CATEGORIES[i % 4],
        "location": {"lat": -6.2 - i % 100 / 1000, "lon": 106.9, "kelurahan": "Margahayu"},
        "reporter": {"name": f"Warga {i}", "phone": f"0812{i:08d}"},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def drive(n: int, concurrency: int, one) -> tuple[float, list[float]]:
    latencies: list[float] = []
    counter = iter(range(n))

    async def worker() -> None:
        for i in counter:
            started = time.perf_counter()
            await one(i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


async def http_run(base: str, n: int, concurrency: int) -> tuple[float, list[float]]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base, connector=connector) as session:

        async def one(i: int) -> None:
            # Each complaint from a citizen of its own (lapor trusts the loopback proxy below),
            # so the per-address limit is counted, as in production, but never reached.
            citizen = {"X-Forwarded-For": f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"}
            async with session.post(
                "/api/v1/complaints", json=payload(i), headers=citizen
            ) as response:
                if response.status != 201:
                    raise RuntimeError(f"{response.status}: {await response.text()}")
                await response.read()

        for i in range(20):  # warm up connections and the server
            await one(-1 - i)
        return await drive(n, concurrency, one)


async def direct_run(dsn: str, n: int, concurrency: int) -> tuple[float, list[float]]:
    # Plain asyncpg: its own reset on every release (lapor's pool skips it when it can).
    pool = await asyncpg.create_pool(
        dsn, min_size=concurrency, max_size=concurrency, init=init_connection
    )
    now = datetime.now(UTC)
    city = load_city("default")

    async def one(i: int) -> None:
        data = payload(i)
        copy = privacy.public_copy(data["text"])  # as file_complaint does
        async with pool.acquire() as conn, conn.transaction():
            reporter_id = await conn.fetchval(
                repo.INSERT_REPORTER,
                "web",
                data["reporter"]["name"],
                data["reporter"]["phone"],
                None,
                None,
            )
            complaint_id = await conn.fetchval(
                repo.INSERT_COMPLAINT,
                tracking.new_code(),
                None,
                data["text"],
                data["category"],
                data["category"],
                "DPUPR",
                "assigned",
                False,
                False,
                data["location"]["lat"],
                data["location"]["lon"],
                None,
                "Margahayu",
                None,
                "web",
                reporter_id,
                None,
                None,
                None,
                True,
                [],
                now,
                now,
                [],
                False,  # non_complaint
                copy.title,
                copy.text,
            )
            for kind, status in (("received", "received"), ("routed", "assigned")):
                await repo.add_event(
                    conn, complaint_id, repo.EventRow(kind, "system", now, to_status=status)
                )
            await sla.refresh(conn, city, complaint_id, now)  # as file_complaint does

    try:
        return await drive(n, concurrency, one)
    finally:
        await pool.close()


async def one_statement_run(dsn: str, n: int, concurrency: int) -> tuple[float, list[float]]:
    """The same rows as lapor writes them, plain asyncpg: its one statement per complaint
    (lapor/repo/intake.py) with the rate-limit hit, the deadlines computed as lapor does."""
    pool = await asyncpg.create_pool(
        dsn, min_size=concurrency, max_size=concurrency, init=init_connection
    )
    now = datetime.now(UTC)
    city = load_city("default")
    limit = city.limits.filing_per_address

    async def one(i: int) -> None:
        data = payload(i)
        copy = privacy.public_copy(data["text"])
        deadlines = sla.first_deadlines(
            city,
            status="assigned",
            category_code=data["category"],
            agency_code="DPUPR",
            created_at=now,
            assigned_at=now,
        )
        start, end = limit.window_at(now)
        events = [
            repo.EventRow("received", "reporter", now, to_status="received"),
            repo.EventRow("routed", "system", now, from_status="received", to_status="assigned"),
        ]
        async with pool.acquire() as conn:
            await intake_repo.insert_filed(
                conn,
                ("web", data["reporter"]["name"], data["reporter"]["phone"], None, None),
                (tracking.new_code(), None, data["text"], data["category"], data["category"],
                 "DPUPR", "assigned", False, False, data["location"]["lat"],
                 data["location"]["lon"], None, "Margahayu", None, "web", None, None, None,
                 None, True, [], now, now, [], False, copy.title, copy.text),
                deadlines,
                events,
                (f"filing_per_address:address:bench-{i}", start, end, limit.hits),
            )  # fmt: skip

    try:
        return await drive(n, concurrency, one)
    finally:
        await pool.close()


async def prepare(server_dsn: str, name: str) -> str:
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    dsn = urlunsplit(urlsplit(server_dsn)._replace(path="/" + name))
    async with connect(dsn) as conn:
        await migrate(conn)
        await sync_city(conn, load_city("default"))
    return dsn


def row(label: str, seconds: float, latencies: list[float], n: int) -> str:
    ms = [v * 1000 for v in latencies]
    return (
        f"| {label:<26} | {n / seconds:>12.0f} | {statistics.median(ms):>7.2f} | "
        f"{percentile(ms, 0.95):>7.2f} | {percentile(ms, 0.99):>7.2f} |"
    )


async def wait_ready(base: str, server: subprocess.Popen, seconds: float = 120.0) -> None:
    """Until `lapor serve` at `base` answers /readyz; raises if it exits or the time is up
    (a loaded machine can take tens of seconds to start it)."""
    for _ in range(int(seconds * 10)):
        if server.poll() is not None:
            raise RuntimeError(f"lapor serve exited with {server.returncode}")
        try:
            async with aiohttp.ClientSession() as s, s.get(base + "/readyz") as r:
                if r.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"lapor serve not ready after {seconds:.0f} s")


async def main_async(args, server_dsn: str) -> None:
    dsn = await prepare(server_dsn, "lapor_bench_intake")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "LAPOR_PORT": str(port),
        "LAPOR_DATA_DIR": tempfile.mkdtemp(prefix="lapor-bench-"),
        "LAPOR_SECRET_KEY": "bench-secret-key-0123456789",
        "LAPOR_LOG_LEVEL": "WARNING",
        # The request path alone: the scheduler would write last month's reports at start.
        "LAPOR_SCHEDULER": "off",
        "LAPOR_TRUSTED_PROXIES": "127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: ASYNC220 - a long-lived child, stopped below
        [sys.executable, "-m", "lapor.cli", "serve"], env=env, cwd=ROOT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_ready(base, server)
        http_seconds, http_lat = await http_run(base, args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)
    direct_seconds, direct_lat = await direct_run(dsn, args.requests, args.concurrency)
    one_seconds, one_lat = await one_statement_run(dsn, args.requests, args.concurrency)

    print(
        f"\nintake: {args.requests} complaints, concurrency {args.concurrency}, {os.cpu_count()} cores\n"
    )
    print("| path                       | complaints/s |  p50 ms |  p95 ms |  p99 ms |")
    print("|----------------------------|--------------|---------|---------|---------|")
    print(row("HTTP POST (lapor)", http_seconds, http_lat, args.requests))
    print(row("asyncpg direct (ceiling)", direct_seconds, direct_lat, args.requests))
    print(row("asyncpg, lapor's statement", one_seconds, one_lat, args.requests))
    ratio = direct_seconds / http_seconds
    print(f"\nratio HTTP / direct: {ratio:.2f} (aim: >= 0.70, issue 13)")
    print(f"ratio HTTP / lapor's statement direct: {one_seconds / http_seconds:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    run_with_server(main_async, args)


if __name__ == "__main__":
    main()
