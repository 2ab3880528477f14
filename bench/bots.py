"""Telegram webhook throughput: updates through the whole flow versus the engine called directly.

Usage: python bench/bots.py [--updates 2000] [--concurrency 16]

Starts the fake Telegram Bot API in this process and `lapor serve` in a child process (with
TELEGRAM_BOT_TOKEN, a webhook secret and TELEGRAM_API_BASE pointing at the fake) against a
fresh database (DATABASE_URL's server, or an embedded one). Each update is a citizen's first
message (a new conversation and draft) from a chat of its own, POSTed to /webhooks/telegram at
a fixed concurrency; the webhook latency is the POST's response time, the end-to-end latency
runs until the fake received the bot's reply (engine -> outbox -> dispatcher -> sendMessage).
Then the same messages go straight to `Engine.handle` in this process, at the same
concurrency, against another fresh database: the ceiling the adapter is compared with.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from fakes import FakeTelegram, UpdateFactory  # noqa: E402
from fakes._server import Call  # noqa: E402
from intake import free_port, percentile, prepare, wait_ready  # noqa: E402
from pg import run_with_server  # noqa: E402

from bots.engine import Incoming  # noqa: E402
from lapor.settings import Settings  # noqa: E402
from lapor.web.app import create_app  # noqa: E402
from lapor.web.keys import ENGINE  # noqa: E402

TOKEN = "123456:BENCH"
SECRET = "bench-webhook-secret"
TEXTS = [
    "Jalan di depan sekolah berlubang besar dan membahayakan pengendara motor.",
    "Sampah di TPS dekat pasar sudah seminggu tidak diangkut, baunya menyengat.",
    "Lampu jalan di gang kami mati sejak tiga hari, sangat gelap dan rawan.",
    "Air PDAM mati sejak kemarin pagi tanpa pemberitahuan kepada warga.",
]
FIRST_CHAT = 800_000_000


def update(i: int) -> dict:
    """Citizen i's first message, from a chat of its own (so each reply can be matched)."""
    factory = UpdateFactory(user_id=FIRST_CHAT + i, first_update_id=1_000_000 + i)
    return factory.text(f"{TEXTS[i % 4]} (laporan nomor {i})")


class TimedTelegram(FakeTelegram):
    """The fake, noting when each chat's first reply arrived."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.replied: dict[int, float] = {}
        self.all_replied = asyncio.Event()
        self.expected = 0

    def record(self, call: Call) -> Call:
        if call.method == "sendMessage" and not call.failed:
            chat = int(call.params["chat_id"])
            self.replied.setdefault(chat, time.perf_counter())
            if len(self.replied) >= self.expected:
                self.all_replied.set()
        # The bench sends thousands of calls; keeping them all would only cost memory.
        return call


async def drive(n: int, concurrency: int, one) -> tuple[float, dict[int, float], list[float]]:
    """Run one(i) for i in range(n) at ``concurrency``; returns wall time, start times, latencies."""
    started: dict[int, float] = {}
    latencies: list[float] = []
    counter = iter(range(n))

    async def worker() -> None:
        for i in counter:
            started[i] = time.perf_counter()
            await one(i)
            latencies.append(time.perf_counter() - started[i])

    begin = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - begin, started, latencies


async def webhook_run(fake: TimedTelegram, base: str, n: int, concurrency: int):
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base, connector=connector) as session:

        async def post(i: int) -> None:
            async with session.post("/webhooks/telegram", json=update(i), headers=headers) as r:
                if r.status != 200:
                    raise RuntimeError(f"{r.status}: {await r.text()}")
                await r.read()

        warm = 20
        fake.expected = warm
        for i in range(warm):  # warm up connections, the server and the outbox
            await post(n + i)
        await asyncio.wait_for(fake.all_replied.wait(), 60)
        fake.replied.clear()
        fake.all_replied.clear()
        fake.expected = n

        begin = time.perf_counter()
        seconds, started, latencies = await drive(n, concurrency, post)
        await asyncio.wait_for(fake.all_replied.wait(), 300)
        end_to_end = [fake.replied[FIRST_CHAT + i] - started[i] for i in range(n)]
        total = max(fake.replied.values()) - begin
    return seconds, latencies, total, end_to_end


async def direct_run(dsn: str, data_dir: str, n: int, concurrency: int):
    """Engine.handle in this process, no HTTP and no aiogram; replies stay in the outbox."""
    settings = Settings(
        database_url=dsn, data_dir=Path(data_dir), secret_key="bench-secret-key-0123456789"
    )
    runner = web.AppRunner(create_app(settings, senders={}))
    await runner.setup()
    try:
        engine = runner.app[ENGINE]

        async def one(i: int) -> None:
            raw = update(i)
            await engine.handle(
                Incoming(
                    channel="telegram",
                    chat_id=str(raw["message"]["chat"]["id"]),
                    message_id=str(raw["update_id"]),
                    kind="text",
                    text=raw["message"]["text"],
                    sender_name=raw["message"]["from"]["first_name"],
                )
            )

        for i in range(20):
            await one(n + i)
        seconds, _, latencies = await drive(n, concurrency, one)
    finally:
        await runner.cleanup()
    return seconds, latencies


def row(label: str, seconds: float, latencies: list[float], n: int) -> str:
    ms = [v * 1000 for v in latencies]
    return (
        f"| {label:<34} | {n / seconds:>9.0f} | {statistics.median(ms):>7.2f} | "
        f"{percentile(ms, 0.99):>7.2f} |"
    )


async def main_async(args, server_dsn: str) -> None:
    dsn = await prepare(server_dsn, "lapor_bench_bots")
    port = free_port()
    async with TimedTelegram() as fake:
        env = {
            **os.environ,
            "DATABASE_URL": dsn,
            "LAPOR_PORT": str(port),
            "LAPOR_DATA_DIR": tempfile.mkdtemp(prefix="lapor-bench-"),
            "LAPOR_SECRET_KEY": "bench-secret-key-0123456789",
            "LAPOR_LOG_LEVEL": "WARNING",
            # The request path alone: the scheduler would write last month's reports at start.
            "LAPOR_SCHEDULER": "off",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE": fake.base_url,
            # The fake has no flood limit: measure lapor, not Telegram's 30 messages a second.
            "TELEGRAM_SEND_RATE": "10000",
        }
        server = subprocess.Popen(  # noqa: ASYNC220 - a long-lived child, stopped below
            [sys.executable, "-m", "lapor.cli", "serve"], env=env, cwd=ROOT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_ready(base)
            hook_seconds, hook_lat, total, e2e_lat = await webhook_run(
                fake, base, args.updates, args.concurrency
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    direct_dsn = await prepare(server_dsn, "lapor_bench_bots_direct")
    direct_seconds, direct_lat = await direct_run(
        direct_dsn, tempfile.mkdtemp(prefix="lapor-bench-"), args.updates, args.concurrency
    )

    n = args.updates
    print(
        f"\ntelegram webhook: {n} updates (first messages of {n} citizens), "
        f"concurrency {args.concurrency}, {os.cpu_count()} cores\n"
    )
    print("| path                               | updates/s |  p50 ms |  p99 ms |")
    print("|------------------------------------|-----------|---------|---------|")
    print(row("webhook POST answered", hook_seconds, hook_lat, n))
    print(row("end to end (reply at Telegram)", total, e2e_lat, n))
    print(row("Engine.handle direct (ceiling)", direct_seconds, direct_lat, n))
    ratio = (n / hook_seconds) / (n / direct_seconds)
    print(f"\nratio webhook / direct: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    run_with_server(main_async, args)


if __name__ == "__main__":
    main()
