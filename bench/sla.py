"""SLA at scale: the sweep's due-work query and a batch of escalations, and the officer queue,
on a million complaints.

Usage: python bench/sla.py [--complaints 1000000] [--runs 100] [--backlog-minutes 60]

Loads complaints in a realistic mix of states (70% closed, 5% rejected, 7% resolved and
waiting for auto-close, 18% open: 2% at the desk, 6% assigned, 10% in progress) with COPY into
a fresh database (DATABASE_URL's server, or an embedded one), their deadlines and ladder
progress computed by lapor.sla as if the scheduler had last swept ``--backlog-minutes`` ago.
Then times, at Wednesday 2 December 2026 10:00 WIB:
  - the due-work query (claim a batch with FOR UPDATE SKIP LOCKED), p50/p95 over --runs,
    against the same query with index scans disabled (the baseline);
  - one sweep doing the whole backlog (events, ledger rows, outbox messages), once; then the
    sweep a minute later (the steady state: one minute of due steps);
  - the officer queue of one agency (SQL, and the whole service call with colours) and the
    desk queue, p50/p95 over --runs;
and prints EXPLAIN (ANALYZE, BUFFERS) of the due-work, auto-close and queue queries.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pg import run_with_server  # noqa: E402

from lapor import complaints, sla, tracking  # noqa: E402
from lapor.auth import Officer  # noqa: E402
from lapor.city import DESK_CATEGORY, AgencyContacts, load_city  # noqa: E402
from lapor.clock import FixedClock  # noqa: E402
from lapor.context import Services  # noqa: E402
from lapor.db import connect, create_pool  # noqa: E402
from lapor.escalation import sweep  # noqa: E402
from lapor.migrate import migrate  # noqa: E402
from lapor.photo_store import FilePhotoStore  # noqa: E402
from lapor.reference import sync_city  # noqa: E402
from lapor.repo import queue as queue_repo  # noqa: E402
from lapor.repo import sla as sla_repo  # noqa: E402
from lapor.routing import CategoryRouter  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=WIB)  # a Wednesday, mid-morning


def _with_contacts(city):
    """The default city with contacts for every agency, as a deployment would have them."""
    agencies = {
        code: replace(
            agency,
            contacts=AgencyContacts(
                head_email=f"kepala@{code.lower()}.kota-contoh.go.id",
                head_telegram=f"-1009{index:08d}0",
                officers_email=(f"pengaduan@{code.lower()}.kota-contoh.go.id",),
                officers_telegram=(f"-1009{index:08d}1",),
            ),
        )
        for index, (code, agency) in enumerate(city.agencies.items())
    }
    return replace(city, agencies=MappingProxyType(agencies))


CITY = _with_contacts(load_city("default"))
MIX = (
    ("closed", 0.70),
    ("rejected", 0.05),
    ("resolved", 0.07),
    ("received", 0.02),
    ("assigned", 0.06),
    ("in_progress", 0.10),
)
CATEGORIES = [code for code in CITY.categories if code != DESK_CATEGORY]
TEXTS = (
    "Jalan di depan sekolah berlubang besar dan membahayakan pengendara motor.",
    "Sampah di TPS dekat pasar sudah seminggu tidak diangkut, baunya menyengat.",
    "Lampu jalan di gang kami mati sejak tiga hari, sangat gelap dan rawan.",
    "Air PDAM mati sejak kemarin pagi tanpa pemberitahuan kepada warga.",
)
COLUMNS = (
    "tracking_code",
    "body",
    "category_code",
    "agency_code",
    "status",
    "channel",
    "created_at",
    "updated_at",
    "assigned_at",
    "responded_at",
    "resolved_at",
    "closed_at",
    "due_at",
    "verify_due_at",
    "response_due_at",
    "resolve_due_at",
    "close_due_at",
    "sla_stage",
    "stage_started_at",
    "escalation_level",
    "next_step_at",
)
STEP = timedelta(minutes=5)  # start times are drawn on a 5-minute grid, so deadlines cache


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ago(rng: random.Random, low_days: float, high_days: float) -> datetime:
    seconds = rng.uniform(low_days, high_days) * 86400
    return NOW - STEP * int(seconds // STEP.total_seconds())


@cache
def deadlines(
    status: str, category: str | None, verify: datetime | None, assigned, responded, resolved
):
    return sla.deadlines_for(
        CITY,
        status=status,
        category_code=category,
        verify_started_at=verify,
        assigned_at=assigned,
        responded_at=responded,
        resolved_at=resolved,
    )


@cache
def ladder_times(stage: str | None, desk: bool, started, due, category) -> tuple[datetime, ...]:
    # Every OPD climbs to Setda and the Wali Kota; only the times matter for the load.
    agency = None if desk else "DPUPR"
    return tuple(s.at for s in sla.ladder(CITY, stage, agency, started, due, category))


def complaint(rng: random.Random, index: int, swept_at: datetime) -> tuple:
    roll, status = rng.random(), "closed"
    for candidate, share in MIX:
        if roll < share:
            status = candidate
            break
        roll -= share
    category = rng.choice(CATEGORIES)
    agency = CITY.categories[category].agency
    assigned = responded = resolved = closed = None
    if status == "received":
        created = ago(rng, 0, 6)
        agency = None
        category = None if rng.random() < 0.5 else category
    elif status == "assigned":
        created = ago(rng, 0, 12)
        assigned = created
    elif status == "in_progress":
        created = ago(rng, 1, 100)
        assigned = created
        responded = min(NOW, assigned + STEP * rng.randint(1, 600))
    elif status == "resolved":
        resolved = ago(rng, 0, 16)
        created = resolved - STEP * rng.randint(100, 5000)
        assigned, responded = created, created + STEP
    else:
        created = ago(rng, 30, 730)
        assigned = responded = None if status == "rejected" else created
        resolved = None if status == "rejected" else created + timedelta(days=7)
        closed = created + timedelta(days=20)
        agency = None if status == "rejected" else agency
    found = deadlines(
        status, category, created if status == "received" else None, assigned, responded, resolved
    )
    times = ladder_times(
        found.stage, status == "received", found.stage_started_at, found.due_at, category
    )
    # Shift the whole row by up to 5 minutes so that due steps spread over every minute
    # (deadlines were computed on the grid for the cache; a bench does not mind the shift).
    jitter = timedelta(seconds=rng.randrange(300))
    times = tuple(at - jitter for at in times)
    level = sum(1 for at in times if at <= swept_at)

    def shifted(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment - jitter

    return (
        tracking.new_code(rng.getrandbits),
        TEXTS[index % len(TEXTS)],
        category,
        agency,
        status,
        "web",
        *map(
            shifted,
            (
                created,
                closed or resolved or responded or created,
                assigned,
                responded,
                resolved,
                closed,
                found.due_at,
                found.verify_due_at,
                found.response_due_at,
                found.resolve_due_at,
                found.close_due_at,
            ),
        ),
        found.stage,
        shifted(found.stage_started_at),
        level,
        times[level] if level < len(times) else None,
    )


async def load(dsn: str, count: int, backlog: timedelta) -> float:
    rng = random.Random(20261202)
    swept_at = NOW - backlog
    started = time.perf_counter()
    async with connect(dsn) as conn:
        chunk = 100_000
        for offset in range(0, count, chunk):
            records = [
                complaint(rng, i, swept_at) for i in range(offset, min(count, offset + chunk))
            ]
            await conn.copy_records_to_table("complaint", records=records, columns=COLUMNS)
            print(
                f"  loaded {offset + len(records):>9,} rows  {time.perf_counter() - started:6.1f} s",
                flush=True,
            )
        await conn.execute("VACUUM ANALYZE complaint")
    return time.perf_counter() - started


async def timed(runs: int, call) -> list[float]:
    samples = []
    for _ in range(runs):
        begun = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - begun) * 1000)
    return samples


def line(label: str, samples: list[float], note: str = "") -> str:
    return (
        f"| {label:<38} | {len(samples):>4} | {statistics.median(samples):>9.2f} | "
        f"{percentile(samples, 0.95):>9.2f} | {note:<28} |"
    )


async def explain(conn: asyncpg.Connection, title: str, query: str, *args) -> None:
    async with conn.transaction():  # the claims lock rows: released at the end of this
        plan = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {query}", *args)
    print(f"\n-- {title}")
    for row in plan:
        print("   " + row[0])


async def measure(dsn: str, args) -> None:
    pool = await create_pool(dsn, min_size=2, max_size=4)
    clock = FixedClock(NOW)
    services = Services(
        pool,
        CITY,
        clock,
        FilePhotoStore(Path(tempfile.mkdtemp())),
        CategoryRouter(CITY),
        "bench-secret-key-0123456789",
        "http://lapor.test",
    )
    officer = Officer(1, "bench", "Petugas PUPR", "officer", "DPUPR")
    desk = Officer(2, "desk", "Meja", "verifier", "DISKOMINFO")
    rows = []
    try:
        async with pool.acquire() as conn:
            counts = await conn.fetch(
                "SELECT status, count(*) AS n FROM complaint GROUP BY status ORDER BY n DESC"
            )
            due = await conn.fetchval(
                "SELECT count(*) FROM complaint WHERE next_step_at <= $1", NOW
            )

            async def claim() -> None:
                async with conn.transaction():
                    await conn.fetch(sla_repo.CLAIM_DUE_STEPS, NOW, args.batch)

            claim_samples = await timed(args.runs, claim)
            claim_p50 = statistics.median(claim_samples)
            rows.append(
                line(
                    "due-work query (claim a batch)",
                    claim_samples,
                    f"batch {args.batch}, {due} due",
                )
            )
            await conn.execute("SET enable_indexscan = off; SET enable_bitmapscan = off")
            baseline = await timed(5, claim)
            await conn.execute("RESET enable_indexscan; RESET enable_bitmapscan")
            rows.append(line("  baseline: same, no index scans", baseline))
            queue_sql, queue_args = queue_repo.build(
                queue_repo.Where(["assigned", "in_progress"], agency="DPUPR"),
                queue_repo.QUEUE_COLUMNS,
                51,
            )
            desk_sql, desk_args = queue_repo.build(
                queue_repo.Where(["received"]), queue_repo.QUEUE_COLUMNS, 51
            )
            dpupr_open = await conn.fetchval(
                "SELECT count(*) FROM complaint WHERE agency_code = 'DPUPR' AND status IN ('assigned', 'in_progress')"
            )
            rows.append(
                line(
                    "queue SQL, one agency (DPUPR)",
                    await timed(args.runs, lambda: conn.fetch(queue_sql, *queue_args)),
                    f"{dpupr_open} open at DPUPR",
                )
            )
            rows.append(
                line(
                    "queue SQL, the desk",
                    await timed(args.runs, lambda: conn.fetch(desk_sql, *desk_args)),
                )
            )
        rows.append(
            line(
                "queue service call with colours (50)",
                await timed(args.runs, lambda: complaints.queue(services, officer)),
            )
        )
        rows.append(
            line(
                "desk queue service call (50)",
                await timed(args.runs, lambda: complaints.queue(services, desk)),
            )
        )
        async with pool.acquire() as conn:
            await explain(conn, "due-work query", sla_repo.CLAIM_DUE_STEPS, NOW, args.batch)
            await explain(conn, "auto-close claim", sla_repo.CLAIM_DUE_CLOSES, NOW, 100)
            await explain(conn, "officer queue, DPUPR", queue_sql, *queue_args)
            await explain(conn, "desk queue", desk_sql, *desk_args)

        begun = time.perf_counter()
        backlog = await sweep(services, batch=args.batch)
        backlog_ms = (time.perf_counter() - begun) * 1000
        clock.advance(timedelta(minutes=1))
        begun = time.perf_counter()
        steady = await sweep(services, batch=args.batch)
        steady_ms = (time.perf_counter() - begun) * 1000
        clock.advance(timedelta(minutes=1))
        begun = time.perf_counter()
        idle = await sweep(services, batch=args.batch)
        idle_ms = (time.perf_counter() - begun) * 1000
    finally:
        await pool.close()

    mix = ", ".join(f"{r['status']} {r['n']:,}" for r in counts)
    total = sum(r["n"] for r in counts)
    print(
        f"\nsla: {total:,} complaints ({mix}); {due:,} ladder steps due; {os.cpu_count()} cores\n"
    )
    print(f"| {'what':<38} | runs | {'p50 ms':>9} | {'p95 ms':>9} | {'':<28} |")
    print(f"|{'-' * 40}|------|{'-' * 11}|{'-' * 11}|{'-' * 30}|")
    for row in rows:
        print(row)
    for label, ms, report in (
        (f"sweep: backlog of {args.backlog_minutes} min", backlog_ms, backlog),
        ("sweep: the minute after (steady state)", steady_ms, steady),
        ("sweep: the minute after that", idle_ms, idle),
    ):
        note = f"{report.steps} steps, {report.messages} msgs"
        print(f"| {label:<38} | {1:>4} | {ms:>9.1f} | {'':>9} | {note:<28} |")
    batches = max(1, -(-backlog.complaints // args.batch))
    note = f"{backlog.complaints // batches} complaints/batch"
    label = f"  per batch of {args.batch} (backlog / {batches})"
    print(f"| {label:<38} | {batches:>4} | {backlog_ms / batches:>9.1f} | {'':>9} | {note:<28} |")
    ratio = claim_p50 / statistics.median(baseline)
    print(f"\nratio due-work query p50, with index / without: {ratio:.4f}")


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
        await sync_city(conn, CITY)
    return dsn


async def main_async(args, server_dsn: str) -> None:
    dsn = await prepare(server_dsn, "lapor_bench_sla")
    print(f"loading {args.complaints:,} complaints with COPY ...")
    seconds = await load(dsn, args.complaints, timedelta(minutes=args.backlog_minutes))
    print(f"loaded in {seconds:.1f} s")
    await measure(dsn, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--backlog-minutes", type=int, default=60)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    run_with_server(main_async, args)


if __name__ == "__main__":
    main()
