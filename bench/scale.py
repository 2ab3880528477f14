"""Five million complaints, on plain tables and partitioned by month (issue 15, "past one
machine"): the monthly report, the officer queue, the steady SLA sweep and the outbox's claim.

Usage: python bench/scale.py [--complaints 5000000] [--months 48] [--runs 300]
                             [--layouts plain,history,monthly] [--keep]

Generates four years of a big city in SQL (generate_series, a fixed seed, ids in time order as
a live city writes them): each complaint's timeline as of Wednesday 2 December 2026 10:00 WIB
(received, routed or verified at the desk, responded, resolved, closed ten days later, a few
rejected, one in two hundred never resolved), reminders and escalations for a quarter of
them, and the outbox's messages (status notices to chat reporters, steps to officers), all
sent. The open complaints' deadlines and ladders come from lapor.sla, as if the scheduler had
last swept ten minutes ago. Then, in the layouts asked for:

  plain     the tables as the migrations make them (the baseline);
  history   the same database after `partitions.convert` (what `lapor db partition` does to a
            live city: everything before the cutover in one history partition, months on);
  monthly   a second database partitioned before the same load, every month its own
            partition (a city that has run partitioned for four years);

times the report of November 2026 (aggregation warm, and built and rendered in every format),
the DPUPR officer's queue and the desk's (service calls, --runs each), three steady SLA sweeps
(a minute each, after the backlog), and the dispatcher's claim. Prints one table with the
ratio of each layout to plain. Databases: lapor_bench_scale and lapor_bench_scale_monthly on
DATABASE_URL's server (or an embedded one), dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pg import run_with_server  # noqa: E402
from scale_load import load  # noqa: E402
from sla import CITY, NOW, WIB  # noqa: E402  (the default city with every agency's contacts)

from lapor import complaints, partitions, report_files, reports  # noqa: E402
from lapor.auth import Officer  # noqa: E402
from lapor.clock import FixedClock  # noqa: E402
from lapor.context import Services  # noqa: E402
from lapor.db import connect, create_pool  # noqa: E402
from lapor.escalation import sweep  # noqa: E402
from lapor.migrate import migrate  # noqa: E402
from lapor.months import add_months  # noqa: E402
from lapor.photo_store import FilePhotoStore  # noqa: E402
from lapor.reference import sync_city  # noqa: E402
from lapor.repo import outbox as outbox_repo  # noqa: E402
from lapor.routing import CategoryRouter  # noqa: E402

MONTH = date(2026, 11, 1)  # the report's month: the last whole one before NOW
TARGETS = {"report": 10_000.0, "queue": 50.0, "sweep": 1_000.0}  # ms, from the issue


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Figures:
    rows: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


async def timed(runs: int, call) -> list[float]:
    samples = []
    for _ in range(runs):
        begun = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - begun) * 1000)
    return samples


async def measure(dsn: str, runs: int, sweep_minutes: list[int], backlog: bool) -> Figures:
    figures = Figures()
    pool = await create_pool(dsn, min_size=2, max_size=4)
    clock = FixedClock(NOW)
    services = Services(
        pool, CITY, clock, FilePhotoStore(Path(tempfile.mkdtemp())), CategoryRouter(CITY),
        "bench-secret-key-0123456789", "http://lapor.test",
    )  # fmt: skip
    officer = Officer(1, "bench", "Petugas PUPR", "officer", "DPUPR")
    desk = Officer(2, "desk", "Meja", "verifier", CITY.desk_agency)
    try:
        begun = time.perf_counter()  # the first report counts the trend's twelve months and
        await reports.build_report(services, MONTH)  # keeps the eleven long ended (sql/026)
        figures.rows["report: aggregation (first, trend counted)"] = (
            time.perf_counter() - begun
        ) * 1000
        report = await reports.build_report(services, MONTH)
        figures.rows["report: aggregation (warm)"] = (
            sum(s for label, s in report.timings.items() if label != "render") * 1000
        )
        with tempfile.TemporaryDirectory(prefix="lapor-bench-scale-") as out:
            await report_files.generate(services, MONTH, Path(out))  # fonts, caches: warm
            begun = time.perf_counter()
            await report_files.generate(services, MONTH, Path(out))
            figures.rows["report: build + render, all formats"] = (
                time.perf_counter() - begun
            ) * 1000
        city = report.current[None]
        sections = ", ".join(
            f"{label} {seconds:.2f}"
            for label, seconds in report.timings.items()
            if label != "render"
        )
        figures.notes["report"] = (
            f"{city.received:,} received, {city.resolved:,} resolved, backlog {city.backlog:,}"
            f" (seconds: {sections})"
        )
        samples = await timed(runs, lambda: complaints.queue(services, officer))
        figures.rows["queue DPUPR: p50"] = statistics.median(samples)
        figures.rows["queue DPUPR: p95"] = percentile(samples, 0.95)
        samples = await timed(runs, lambda: complaints.queue(services, desk))
        figures.rows["queue desk: p95"] = percentile(samples, 0.95)
        if backlog:
            begun = time.perf_counter()
            done = await sweep(services)
            figures.rows["sweep: 10-minute backlog (once)"] = (time.perf_counter() - begun) * 1000
            figures.notes["backlog"] = f"{done.steps} steps, {done.messages} msgs"
        steady, notes = [], []
        for minute in sweep_minutes:
            clock.set(NOW + timedelta(minutes=minute))
            begun = time.perf_counter()
            done = await sweep(services)
            steady.append((time.perf_counter() - begun) * 1000)
            notes.append(f"{done.steps}/{done.messages}")
        figures.rows["sweep: steady minute, median of 3"] = statistics.median(steady)
        figures.rows["sweep: steady minute, max of 3"] = max(steady)
        figures.notes["sweep"] = "steps/msgs " + ", ".join(notes)

        async def claim() -> None:
            async with pool.acquire() as conn:
                transaction = conn.transaction()
                await transaction.start()
                try:
                    await outbox_repo.claim(
                        conn, clock.now(), clock.now() + timedelta(seconds=30), 8,
                        ["telegram", "whatsapp", "email"],
                    )  # fmt: skip
                finally:
                    await transaction.rollback()

        samples = await timed(runs, claim)
        figures.rows["outbox claim (8, SKIP LOCKED): p95"] = percentile(samples, 0.95)
    finally:
        await pool.close()
    return figures


async def fresh_database(server_dsn: str, name: str) -> str:
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    dsn = urlunsplit(urlsplit(server_dsn)._replace(path="/" + name))
    async with connect(dsn) as conn:
        await migrate(conn)
        await sync_city(conn, CITY)
    return dsn


async def drop_database(server_dsn: str, name: str) -> None:
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


def print_load(label: str, timings: dict[str, float]) -> None:
    parts = ", ".join(f"{name} {seconds:.0f}" for name, seconds in timings.items())
    print(f"{label}: {sum(timings.values()):.0f} s ({parts})", flush=True)


async def main_async(args, server_dsn: str) -> None:
    layouts = args.layouts.split(",")
    results: dict[str, Figures] = {}
    extra: list[str] = []
    plain_name, monthly_name = "lapor_bench_scale", "lapor_bench_scale_monthly"
    first = datetime(*add_months(MONTH, 1 - args.months).timetuple()[:3], tzinfo=WIB)
    try:
        if {"plain", "history"} & set(layouts):
            dsn = await fresh_database(server_dsn, plain_name)
            print(f"loading {args.complaints:,} complaints over {args.months} months ...")
            print_load("loaded (plain)", await load(dsn, args.complaints, first))
            if "plain" in layouts:
                results["plain"] = await measure(dsn, args.runs, [1, 2, 3], backlog=True)
                print("measured plain", flush=True)
            if "history" in layouts:
                async with connect(dsn) as conn:
                    begun = time.perf_counter()
                    done = await partitions.convert(conn, WIB, NOW)
                    extra.append(f"convert: {time.perf_counter() - begun:.1f} s in all")
                    extra += [f"  {line}" for line in done]
                print("\n".join(extra), flush=True)
                results["history"] = await measure(
                    dsn, args.runs, [4, 5, 6], backlog="plain" not in layouts
                )
                print("measured history", flush=True)
            if not args.keep:
                await drop_database(server_dsn, plain_name)
        if "monthly" in layouts:
            dsn = await fresh_database(server_dsn, monthly_name)
            async with connect(dsn) as conn:  # partitioned while empty: a month each from `first`
                await partitions.convert(
                    conn, WIB, first - timedelta(days=2), ahead=args.months + 3
                )
            print_load("loaded (monthly)", await load(dsn, args.complaints, first))
            results["monthly"] = await measure(dsn, args.runs, [1, 2, 3], backlog=True)
            if not args.keep:
                await drop_database(server_dsn, monthly_name)
    finally:
        print_table(args, results, extra)


def print_table(args, results: dict[str, Figures], extra: list[str]) -> None:
    if not results:
        return
    names = list(results)
    print(
        f"\nscale: {args.complaints:,} complaints over {args.months} months; report {MONTH:%Y-%m}"
    )
    for name, figures in results.items():
        print(f"  {name}: " + "; ".join(f"{k} {v}" for k, v in figures.notes.items()))
    header = " | ".join(f"{name} ms" for name in names)
    ratios = [name for name in names if name != "plain" and "plain" in results]
    print(f"\n| what | aim | {header} |" + "".join(f" {r}/plain |" for r in ratios))
    print("|---" * (2 + len(names) + len(ratios)) + "|")
    for row in results[names[0]].rows:
        aim = next((f"< {v / 1000:g} s" if v >= 1000 else f"< {v:g} ms"
                    for k, v in TARGETS.items() if row.startswith(k) and "backlog" not in row
                    and "p50" not in row and "aggregation" not in row), "")  # fmt: skip
        values = " | ".join(f"{results[n].rows.get(row, float('nan')):,.1f}" for n in names)
        line = f"| {row} | {aim} | {values} |"
        for name in ratios:
            base = results["plain"].rows.get(row)
            value = results[name].rows.get(row)
            line += f" {value / base:.2f} |" if base and value else " |"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=5_000_000)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--layouts", default="plain,history,monthly")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    run_with_server(main_async, args)


if __name__ == "__main__":
    main()
