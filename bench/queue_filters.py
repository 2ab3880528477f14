"""The officers' queue with its filters (issue 17 §1) on a million complaints: p50/p95 of each
filter against the plain queue measured in the same run, and the CSV export.

Usage: python bench/queue_filters.py [--complaints 1000000] [--runs 100] [--reuse]

Loads complaints as bench/sla.py does (the same mix of states and deadlines, with COPY into a
fresh database on DATABASE_URL's server or an embedded one), and gives each what the filters
read: a text naming a street, a landmark and a problem (120 street names, 20 landmarks), one of
60 kelurahan in 12 kecamatan, a channel (web 50%, WhatsApp 35%, Telegram 15%), and for 60% of
the open complaints at an agency an owner among its six officers. Then times, at Wednesday
2 December 2026 10:00 WIB, the whole service call (`complaints.queue`: checks, the SLA bounds,
the query, the colours of 50 items) of one agency's officer, and of the admin, with each
filter; the export of a filtered list and of the agency's whole queue, once each; and prints
EXPLAIN (ANALYZE, BUFFERS) of the text and kelurahan queries.
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
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pg import run_with_server  # noqa: E402
from sla import CITY, COLUMNS, NOW, complaint, percentile, prepare  # noqa: E402

from lapor import complaints  # noqa: E402
from lapor.auth import Officer  # noqa: E402
from lapor.clock import FixedClock  # noqa: E402
from lapor.complaints import export  # noqa: E402
from lapor.complaints.queue_filters import QueueFilters, where  # noqa: E402
from lapor.context import Services  # noqa: E402
from lapor.db import connect, create_pool  # noqa: E402
from lapor.photo_store import FilePhotoStore  # noqa: E402
from lapor.repo import queue as queue_repo  # noqa: E402
from lapor.routing import CategoryRouter  # noqa: E402

STREETS = [
    f"{name} {suffix}"
    for name in [
        "Melati",
        "Mawar",
        "Kenanga",
        "Flamboyan",
        "Cempaka",
        "Anggrek",
        "Teratai",
        "Dahlia",
        "Kamboja",
        "Seruni",
        "Bougenville",
        "Nusa",
        "Indah",
        "Sakura",
        "Tulip",
        "Asoka",
        "Kemuning",
        "Sedap",
        "Malam",
        "Wijaya",
        "Kusuma",
        "Perintis",
        "Pahlawan",
        "Merdeka",
        "Veteran",
        "Sudirman",
        "Diponegoro",
        "Kartini",
        "Gatot",
        "Subroto",
    ]
    for suffix in ("Raya", "Indah", "Baru", "Timur", "Barat")
][:120]
LANDMARKS = [
    "masjid",
    "sekolah",
    "pasar",
    "puskesmas",
    "terminal",
    "stasiun",
    "kantor",
    "lurah",
    "lapangan",
    "pemakaman",
    "jembatan",
    "alun-alun",
    "gereja",
    "klinik",
    "bank",
    "minimarket",
    "pabrik",
    "kampus",
    "stadion",
    "taman",
]
PROBLEMS = (
    "jalan berlubang besar dan membahayakan pengendara",
    "lampu penerangan jalan mati sejak seminggu",
    "sampah menumpuk tidak diangkut berhari-hari",
    "saluran air tersumbat dan meluap saat hujan",
    "trotoar rusak dan licin bagi pejalan kaki",
    "pohon tumbang menutup separuh badan jalan",
    "air PDAM mati tanpa pemberitahuan",
    "parkir liar membuat kemacetan setiap pagi",
)
KECAMATAN = [
    f"Kecamatan {name}"
    for name in [
        "Utara",
        "Selatan",
        "Timur",
        "Barat",
        "Tengah",
        "Kota",
        "Lama",
        "Baru",
        "Hilir",
        "Hulu",
        "Pesisir",
        "Bukit",
    ]
]
KELURAHAN = [
    f"{prefix}{suffix}"
    for prefix in ("Suka", "Marga", "Ciba", "Karang", "Tanjung", "Rawa")
    for suffix in (
        "maju",
        "jadi",
        "rame",
        "mulya",
        "sari",
        "asih",
        "harja",
        "wangi",
        "laya",
        "mekar",
    )
]
CHANNELS = (("web", 0.5), ("whatsapp", 0.35), ("telegram", 0.15))
EXTRA = ("title", "address", "kelurahan", "kecamatan", "assignee_id")
OFFICERS_PER_AGENCY = 6


def pick_channel(rng: random.Random) -> str:
    roll = rng.random()
    for channel, share in CHANNELS:
        if roll < share:
            return channel
        roll -= share
    return "web"


async def add_officers(dsn: str) -> dict[str, list[int]]:
    team: dict[str, list[int]] = {}
    async with connect(dsn) as conn:
        for agency in CITY.agencies.values():
            if agency.kind == "oversight":
                continue
            for n in range(OFFICERS_PER_AGENCY):
                ident = await conn.fetchval(
                    "INSERT INTO officer (username, display_name, role, agency_code, head) "
                    "VALUES ($1, $2, 'officer', $3, $4) RETURNING id",
                    f"{agency.code.lower()}-{n}",
                    f"Petugas {agency.short_name} {n + 1}",
                    agency.code,
                    n == 0,
                )
                team.setdefault(agency.code, []).append(ident)
    return team


async def load(dsn: str, count: int, team: dict[str, list[int]]) -> float:
    rng = random.Random(20261202)
    swept_at = NOW - timedelta(minutes=60)
    started = time.perf_counter()
    columns = (*COLUMNS, *EXTRA)
    body_at, channel_at, agency_at, status_at = (
        COLUMNS.index("body"),
        COLUMNS.index("channel"),
        COLUMNS.index("agency_code"),
        COLUMNS.index("status"),
    )
    async with connect(dsn) as conn:
        chunk = 100_000
        for offset in range(0, count, chunk):
            records = []
            for i in range(offset, min(count, offset + chunk)):
                row = list(complaint(rng, i, swept_at))
                street, landmark = rng.choice(STREETS), rng.choice(LANDMARKS)
                problem = rng.choice(PROBLEMS)
                row[body_at] = (
                    f"{problem[0].upper()}{problem[1:]} di Jalan {street} dekat {landmark}, "
                    f"RT {rng.randint(1, 15):02d}/RW {rng.randint(1, 9):02d}. Mohon segera "
                    "ditindaklanjuti."
                )
                row[channel_at] = pick_channel(rng)
                kelurahan_index = rng.randrange(len(KELURAHAN))
                agency, status = row[agency_at], row[status_at]
                owned = agency is not None and status != "received" and rng.random() < 0.6
                records.append(
                    (
                        *row,
                        problem if rng.random() < 0.3 else None,
                        f"Jl. {street} No. {rng.randint(1, 200)}",
                        KELURAHAN[kelurahan_index],
                        KECAMATAN[kelurahan_index % len(KECAMATAN)],
                        rng.choice(team[agency]) if owned else None,
                    )
                )
            await conn.copy_records_to_table("complaint", records=records, columns=columns)
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


async def measure(dsn: str, args, team: dict[str, list[int]]) -> None:
    pool = await create_pool(dsn, min_size=2, max_size=4)
    services = Services(
        pool,
        CITY,
        FixedClock(NOW),
        FilePhotoStore(Path(tempfile.mkdtemp())),
        CategoryRouter(CITY),
        "bench-secret-key-0123456789",
        "http://lapor.test",
    )
    busiest = team["DPUPR"][1]
    officer = Officer(busiest, "dpupr-1", "Petugas PUPR 2", "officer", "DPUPR")
    admin = Officer(0, "admin", "Admin", "admin", None)
    today = NOW.date()
    async with pool.acquire() as conn:
        sample_code = await conn.fetchval(
            "SELECT tracking_code FROM complaint WHERE agency_code = 'DPUPR' "
            "AND status = 'in_progress' ORDER BY id LIMIT 1"
        )
        open_here = await conn.fetchval(
            "SELECT count(*) FROM complaint WHERE agency_code = 'DPUPR' "
            "AND status IN ('assigned', 'in_progress')"
        )
        total = await conn.fetchval("SELECT count(*) FROM complaint")
    cases = [
        ("plain queue (baseline)", officer, {}),
        ("text: a street name", officer, {"q": "kenanga"}),
        ("text: two words", officer, {"q": "kenanga masjid"}),
        ("text: a word in most texts", officer, {"q": "jalan"}),
        ("text: no match", officer, {"q": "zzqx"}),
        ("tracking code", officer, {"q": sample_code}),
        ("kelurahan", officer, {"kelurahan": "sukamaju"}),
        ("kecamatan", officer, {"kecamatan": "kecamatan utara"}),
        ("received in the last 7 days", officer, {"created_from": today - timedelta(days=7)}),
        (
            "received in a week 6 weeks ago",
            officer,
            {
                "created_from": today - timedelta(days=42),
                "created_to": today - timedelta(days=35),
            },
        ),
        ("channel: telegram", officer, {"channel": "telegram"}),
        ("SLA red", officer, {"sla": "red"}),
        ("SLA amber", officer, {"sla": "amber"}),
        ("SLA green", officer, {"sla": "green"}),
        ("owner: mine", officer, {"assignee": "me"}),
        ("owner: nobody's", officer, {"assignee": "none"}),
        (
            "kelurahan + 30 days + mine",
            officer,
            {
                "kelurahan": "sukamaju",
                "created_from": today - timedelta(days=30),
                "assignee": "me",
            },
        ),
        ("sorted by support", officer, {"sort": "support"}),
        ("admin, the city: plain", admin, {}),
        ("admin, the city: a street name", admin, {"q": "kenanga"}),
        ("admin, the city: kelurahan", admin, {"kelurahan": "sukamaju"}),
        ("admin, the city: SLA amber", admin, {"sla": "amber"}),
    ]
    results = []
    try:
        for label, who, filters in cases:

            async def call(who=who, filters=filters):
                return await complaints.queue(services, who, **filters)

            found = len((await call())["items"])
            results.append((label, await timed(args.runs, call), found))

        async def exported(filters) -> tuple[float, int]:
            """The whole CSV written (and thrown away), and how many rows it had."""
            counted = 0

            async def counting(rows):
                nonlocal counted
                async for row in rows:
                    counted += 1
                    yield row

            begun = time.perf_counter()
            rows = await export.rows(services, officer, QueueFilters(**filters))
            async for _ in export.csv_chunks(counting(rows)):
                pass
            return (time.perf_counter() - begun) * 1000, counted

        export_kelurahan = await exported({"kelurahan": "sukamaju"})
        export_all = await exported({})
        async with pool.acquire() as conn:
            for title, filters in (
                ("text: a street name", {"q": "kenanga"}),
                ("text: a word in most texts", {"q": "jalan"}),
                ("kelurahan", {"kelurahan": "sukamaju"}),
                ("SLA amber", {"sla": "amber"}),
            ):
                checked = where(services, officer, QueueFilters(**filters), limit=50)
                sql, values = queue_repo.build(checked, queue_repo.QUEUE_COLUMNS, 51)
                plan = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *values)
                print(f"\n-- {title}")
                for row in plan:
                    print("   " + row[0])
    finally:
        await pool.close()

    base = percentile(results[0][1], 0.95)
    print(
        f"\nqueue filters: {total:,} complaints, {open_here:,} open at DPUPR; one page of 50; "
        f"{args.runs} runs each; {os.cpu_count()} cores\n"
    )
    print(
        f"| {'filter (service call)':<34} | {'found':>5} | {'p50 ms':>7} | {'p95 ms':>7} | p95 / plain |"
    )
    print(f"|{'-' * 36}|-------|---------|---------|-------------|")
    for label, samples, found in results:
        p95 = percentile(samples, 0.95)
        print(
            f"| {label:<34} | {found:>5} | {statistics.median(samples):>7.2f} | {p95:>7.2f} | "
            f"{p95 / base:>11.2f} |"
        )
    worst = max(percentile(samples, 0.95) for _, samples, _ in results)
    print(f"\nworst p95 {worst:.2f} ms (aim < 50 ms); plain queue p95 {base:.2f} ms")
    for label, (ms, rows) in (
        ("export CSV, DPUPR, kelurahan", export_kelurahan),
        ("export CSV, DPUPR, the whole queue", export_all),
    ):
        print(f"{label}: {rows:,} rows in {ms:.0f} ms")


async def main_async(args, server_dsn: str) -> None:
    if args.reuse:  # the database a run before loaded, as it is
        dsn = urlunsplit(urlsplit(server_dsn)._replace(path="/lapor_bench_queue"))
        async with connect(dsn) as conn:
            rows = await conn.fetch("SELECT agency_code, id FROM officer ORDER BY id")
        team: dict[str, list[int]] = {}
        for row in rows:
            team.setdefault(row["agency_code"], []).append(row["id"])
    else:
        dsn = await prepare(server_dsn, "lapor_bench_queue")
        team = await add_officers(dsn)
        print(f"loading {args.complaints:,} complaints with COPY ...")
        seconds = await load(dsn, args.complaints, team)
        print(f"loaded in {seconds:.1f} s")
    await measure(dsn, args, team)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database the last run loaded"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    run_with_server(main_async, args)


if __name__ == "__main__":
    main()
