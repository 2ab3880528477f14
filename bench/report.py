"""The monthly report over a big city: 1,000,000 complaints and 200,000 survey responses.

Usage: python bench/report.py [--complaints 1000000] [--responses 200000] [--no-pdf]

Loads two years of generated complaints (with their timeline events and surveys) into a fresh
database with COPY (DATABASE_URL's server, or an embedded one), then builds the report for
October 2026, city-wide and per agency, and renders every format. Prints the load time, the
aggregation time per section and the render time, against the baseline of one sequential
count of the complaint table.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pg import run_with_server  # noqa: E402

from lapor import report_files, reports, tracking  # noqa: E402
from lapor.city import load_city  # noqa: E402
from lapor.clock import FixedClock  # noqa: E402
from lapor.context import Services  # noqa: E402
from lapor.db import connect, create_pool  # noqa: E402
from lapor.migrate import migrate  # noqa: E402
from lapor.photo_store import FilePhotoStore  # noqa: E402
from lapor.reference import sync_city  # noqa: E402
from lapor.routing import CategoryRouter  # noqa: E402

MONTH = date(2026, 10, 1)
FIRST = datetime(2024, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
SPAN = (NOW - timedelta(days=3) - FIRST).total_seconds()
BODY = "Laporan uji beban untuk laporan bulanan: jalan berlubang dan lampu mati."
COMPLAINT_COLUMNS = (
    "tracking_code", "body", "category_code", "agency_code", "status", "channel",
    "created_at", "updated_at", "assigned_at", "responded_at", "resolved_at", "closed_at",
    "verify_due_at", "response_due_at", "resolve_due_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "complaint_id", "kind", "from_status", "to_status", "from_agency", "to_agency",
    "actor_kind", "data", "created_at",
)  # fmt: skip


def code_for(number: int) -> str:
    payload = "".join(tracking.ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(9)))
    return payload + tracking.check_character(payload)


def generate(n: int, responses_wanted: int, city, seed: int = 7):
    """Complaints, events, surveys and responses as COPY records (ids follow the load order)."""
    rng = random.Random(seed)
    categories = [c for c in city.categories.values() if not c.desk]
    complaints, events, surveys, responses = [], [], [], []
    resolved_ids: list[tuple[int, datetime, str, str]] = []
    day = timedelta(days=1)
    for index in range(n):
        cid = index + 1
        created = FIRST + timedelta(seconds=rng.random() * SPAN)
        category = rng.choice(categories)
        channel = rng.choices(("web", "telegram", "whatsapp"), (5, 3, 2))[0]
        at_desk = rng.random() < 0.3
        roll = rng.random()
        verify_due = created + 3 * day if at_desk else None
        if at_desk and roll < 0.04:
            complaints.append((code_for(index), BODY, category.code, None, "rejected", channel,
                               created, created + day, None, None, None, None, verify_due, None,
                               None))  # fmt: skip
            events.append((cid, "received", None, "received", None, None, "reporter", {}, created))
            events.append((cid, "reject", "received", "rejected", None, None, "officer", {},
                           created + day))  # fmt: skip
            continue
        agency = category.agency
        assigned = created + (rng.uniform(0.1, 5) * day if at_desk else timedelta(0))
        responded = assigned + rng.uniform(0.05, 8) * day
        resolved = responded + rng.uniform(0, 20) * day
        events.append((cid, "received", None, "received", None, None, "reporter", {}, created))
        events.append((cid, "verify" if at_desk else "routed", "received", "assigned", None,
                       agency, "officer" if at_desk else "system", {}, assigned))  # fmt: skip
        status, closed = "assigned", None
        if responded > NOW:
            responded = resolved = None
        else:
            events.append((cid, "respond", "assigned", "assigned", agency, agency, "officer", {},
                           responded))  # fmt: skip
            if resolved > NOW or roll > 0.9:
                resolved, status = None, "in_progress"
            else:
                status = "resolved"
                events.append((cid, "resolve", "in_progress", "resolved", agency, agency,
                               "officer", {}, resolved))  # fmt: skip
                if resolved + 10 * day < NOW:
                    status, closed = "closed", resolved + 14 * day
                    events.append((cid, "close", "resolved", "closed", agency, agency, "system",
                                   {}, closed))  # fmt: skip
                resolved_ids.append((cid, resolved, agency, category.code))
        response_due = assigned + 7 * day
        if responded is None and response_due < NOW and rng.random() < 0.5:
            for level in (1, 2):
                when = response_due + (level - 1) * 7 * day
                if when < NOW:
                    events.append((cid, "escalation", None, None, None, None, "system",
                                   {"level": level, "stage": "response"}, when))  # fmt: skip
        if resolved is not None and rng.random() < 0.03:
            reopened = resolved + day
            if reopened < NOW:
                events.append((cid, "reopen", "resolved", "assigned", agency, agency,
                               "reporter", {}, reopened))  # fmt: skip
        updated = max(t for t in (created, assigned, responded, resolved, closed) if t)
        complaints.append((code_for(index), BODY, category.code, agency, status, channel,
                           created, updated, assigned, responded, resolved, closed, verify_due,
                           response_due, assigned + 12 * day))  # fmt: skip
    # Surveys for most resolutions; answers for as many as asked, a third of them anonim.
    answer_share = min(1.0, responses_wanted / max(1, len(resolved_ids) * 0.9))
    for cid, resolved, agency, category in resolved_ids:
        if rng.random() > 0.9:
            continue
        sent = resolved + timedelta(hours=1)
        answered = rng.random() < answer_share and len(responses) < responses_wanted
        surveys.append((cid, "telegram", "answered" if answered else "expired", sent, sent))
        if answered:
            month = date(sent.year, sent.month, 1)
            scores = [rng.choices((1, 2, 3, 4), (1, 2, 5, 4))[0] for _ in range(9)]
            linked = None if rng.random() < 0.33 else cid
            responses.append((linked, month, agency, category, "sudah", *scores))
    return complaints, events, surveys, responses


async def load(dsn: str, n: int, responses_wanted: int, city) -> dict[str, float]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    complaints, events, surveys, responses = generate(n, responses_wanted, city)
    timings["generate rows (Python)"] = time.perf_counter() - started
    async with connect(dsn) as conn:
        # COPY speaks binary; jsonb's binary form is a version byte and the text.
        await conn.set_type_codec(
            "jsonb",
            schema="pg_catalog",
            format="binary",
            encoder=lambda value: b"\x01" + json.dumps(value).encode(),
            decoder=lambda data: json.loads(data[1:]),
        )
        for table, rows, columns in (
            ("complaint", complaints, COMPLAINT_COLUMNS),
            ("complaint_event", events, EVENT_COLUMNS),
            ("survey", surveys, ("complaint_id", "channel", "status", "created_at", "sent_at")),
            (
                "survey_response",
                responses,
                ("complaint_id", "month", "agency_code", "category_code", "fixed",
                 *(f"u{i}" for i in range(1, 10))),
            ),
        ):  # fmt: skip
            started = time.perf_counter()
            await conn.copy_records_to_table(table, records=rows, columns=columns)
            timings[f"COPY {table} ({len(rows):,})"] = time.perf_counter() - started
        started = time.perf_counter()
        await conn.execute("VACUUM ANALYZE")
        timings["VACUUM ANALYZE"] = time.perf_counter() - started
        assert await conn.fetchval("SELECT max(id) FROM complaint") == n
    return timings


async def main_async(args, server_dsn: str) -> None:
    name = "lapor_bench_report"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    dsn = urlunsplit(urlsplit(server_dsn)._replace(path="/" + name))
    city = load_city("default")
    async with connect(dsn) as conn:
        await migrate(conn)
        await sync_city(conn, city)
    load_timings = await load(dsn, args.complaints, args.responses, city)

    pool = await create_pool(dsn, min_size=1, max_size=2)
    services = Services(
        pool, city, FixedClock(NOW), FilePhotoStore(Path(tempfile.gettempdir())),
        CategoryRouter(city), "bench-secret-0123456789", "http://127.0.0.1",
    )  # fmt: skip
    try:
        async with pool.acquire() as conn:
            started = time.perf_counter()
            await conn.fetchval("SELECT count(*) FROM complaint")
            baseline = time.perf_counter() - started
        await reports.build_report(services, MONTH)  # warm the caches once
        formats = ("html", "csv", "png") if args.no_pdf else ("html", "pdf", "csv", "png")
        with tempfile.TemporaryDirectory(prefix="lapor-bench-report-") as out:
            started = time.perf_counter()
            report, paths = await report_files.generate(services, MONTH, Path(out), formats=formats)
            total = time.perf_counter() - started
    finally:
        await pool.close()

    print(f"\nmonthly report for {MONTH:%Y-%m} over {args.complaints:,} complaints")
    print(f"| {'step':<42} |  seconds |")
    print(f"|{'-' * 44}|---------:|")
    for label, seconds in load_timings.items():
        print(f"| {'load: ' + label:<42} | {seconds:>8.2f} |")
    aggregation = 0.0
    for label, seconds in report.timings.items():
        if label != "render":
            aggregation += seconds
            print(f"| {'aggregate: ' + label:<42} | {seconds:>8.3f} |")
    for label, seconds in (
        ("aggregate: total", aggregation),
        (f"render ({len(paths)} files)", report.timings["render"]),
        ("report total (build + render)", total),
        ("baseline: SELECT count(*) FROM complaint", baseline),
    ):
        print(f"| {label:<42} | {seconds:>8.3f} |")
    city_figures = report.current[None]
    print(
        f"\naggregation / one count(*) scan: {aggregation / baseline:.1f}x; "
        f"report total {total:.2f} s (aim: < 10 s)"
    )
    print(
        f"October: {city_figures.received:,} received, {city_figures.resolved:,} resolved, "
        f"backlog {city_figures.backlog:,}, IKM respondents {city_figures.ikm.respondents:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    run_with_server(main_async, args)


if __name__ == "__main__":
    main()
