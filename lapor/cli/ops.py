"""`lapor migrate`, `privacy`, `bot`, `scheduler`, `report`, `db partition`: running the city."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from pathlib import Path

from lapor.cli.common import _services
from lapor.settings import Settings


async def _migrate(dsn: str, *, pooled: bool = False) -> list[str]:
    from lapor.db import connect
    from lapor.migrate import migrate
    from lapor.moderation import backfill_public_copies

    async with connect(dsn, pooled=pooled) as conn:
        applied = await migrate(conn)
        # Complaints filed before the public copies existed get theirs (a no-op afterwards).
        await backfill_public_copies(conn)
        return applied


async def _privacy(settings: Settings, args: argparse.Namespace) -> None:
    """A person's data (UU PDP): printed as JSON, or erased with a count of what was."""
    from lapor import erasure

    person = erasure.Person(args.phone, args.email, args.chat)
    async with _services(settings) as services:
        if args.privacy_command == "export":
            found = await erasure.export_person(services, person)
            print(json.dumps(found, ensure_ascii=False, indent=2, default=str))
            return
        erased = await erasure.erase_person(services, person)
    print(
        f"erased the contact details of {erased['complaints']} complaint(s) and "
        f"{erased['conversations']} chat conversation(s)"
    )


async def _bot(settings: Settings, channel: str, *, set_webhook: bool) -> None:
    from lapor.web.app import create_app

    if channel == "telegram":
        from bots import telegram

        if not settings.telegram_bot_token:
            raise SystemExit("lapor: set TELEGRAM_BOT_TOKEN to run the Telegram bot")
        if set_webhook:
            print(f"Telegram webhook set: {await telegram.set_webhook(settings)}")
            return
        from lapor.web.keys import TELEGRAM

        app = create_app(settings)
        await telegram.poll(app, app.get(TELEGRAM))


# -- scheduler (lapor/scheduler.py) --
async def _scheduler(settings: Settings) -> None:
    """Run the scheduled jobs alone, until SIGINT or SIGTERM. Messages they queue are
    delivered by the outbox dispatchers of the `lapor serve` instances."""

    from lapor.assembly import all_jobs
    from lapor.scheduler import Scheduler

    async with _services(settings, pool_size=4) as services:
        scheduler = Scheduler(
            services, all_jobs(settings, services.city), retry_after=settings.job_retry_seconds
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await scheduler.start()
        try:
            await stop.wait()
        finally:
            await scheduler.stop()


# -- end scheduler --


# --- issue 7: monthly reports -------------------------------------------------------------
async def _report(
    settings: Settings, month_text: str, agency: str | None, out: Path | None
) -> None:
    """Without --out the report is stored like the scheduled one (data dir + report table)."""
    from lapor import report_files, reports

    month = reports.parse_month(month_text)
    async with _services(settings) as services:
        directory = out or reports.month_dir(settings.data_dir / "reports", month)
        report, paths = await report_files.generate(
            services, month, directory, agency=agency, record=out is None
        )
    figures = report.current[report.main_scope.code]
    print(
        f"{report.main_scope.name}, {reports.month_label(month)}: {figures.received} diterima, "
        f"{figures.resolved} diselesaikan, tunggakan {figures.backlog}"
    )
    for path in paths:
        print(f"  {path}")


# --- issue 15: monthly partitions (lapor/partitions.py, docs/partitioning.md) ---------------
async def _partition(settings: Settings, ahead: int) -> None:
    """Convert complaint_event and outbox to monthly partitions (once; a no-op after) and make
    the months ahead; then print each table's partitions. Past any pooler: the preparation
    builds an index CONCURRENTLY."""
    from lapor import partitions
    from lapor.city import load_city
    from lapor.clock import SystemClock
    from lapor.db import connect

    city = load_city(settings.city)
    async with connect(settings.database_direct_url or settings.database_url) as conn:
        done = await partitions.convert(conn, city.zone, SystemClock().now(), ahead=ahead)
        states = [await partitions.state(conn, table) for table in partitions.TABLES]
    for line in done or ["nothing to do: partitioned, and the months ahead are made"]:
        print(line)
    for table in states:
        if not table.partitioned:
            print(f"{table.table}: not partitioned")
            continue
        print(f"{table.table}:")
        for part in table.partitions:
            span = "DEFAULT" if part.is_default else f"{_day(part.lower)} .. {_day(part.upper)}"
            print(f"  {part.name:<32} {span:<26} ~{part.estimated_rows:,} rows")


def _day(moment) -> str:
    return "MINVALUE" if moment is None else f"{moment:%Y-%m-%d %H:%M%z}"
