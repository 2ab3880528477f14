"""A city that converts complaint_event and outbox to monthly partitions (lapor/partitions.py)
keeps working: filing, officers' moves, the outbox, the SLA sweep and the monthly report.

The story runs in a schema of its own in the worker's database (migrated there, dropped
afterwards), so the tests after it find the plain tables they expect."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from helpers import VALID

from lapor import auth, cli, escalation, partitions, reports
from lapor.db import connect
from lapor.migrate import migrate
from lapor.outbox import Message, dispatch_once, enqueue_many

WIB = ZoneInfo("Asia/Jakarta")


class Outgoing:
    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def send(self, recipient, payload) -> None:
        self.delivered.append(payload["text"])


@pytest.fixture
async def schema_url(database_url):
    """The worker's database with lapor's tables migrated into a schema of their own."""
    schema = f"lapor_part_{os.getpid()}"
    parts = urlsplit(database_url)
    url = urlunsplit(parts._replace(query=f"{parts.query}&search_path={schema}"))
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        async with connect(url) as conn:
            await migrate(conn)
        yield url
    finally:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await admin.close()


async def where_events(conn, complaint_id: int) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        "SELECT kind, tableoid::regclass::text AS part FROM complaint_event "
        "WHERE complaint_id = $1 ORDER BY created_at, id",
        complaint_id,
    )
    return [(r["kind"], r["part"]) for r in rows]


async def catalogue(conn) -> list:
    """What a second run could change: tables, indexes, constraints, triggers, bounds."""
    return await conn.fetch(
        """
        SELECT c.relname, c.relkind::text, pg_get_expr(c.relpartbound, c.oid),
               array(SELECT conname::text FROM pg_constraint WHERE conrelid = c.oid ORDER BY 1),
               array(SELECT tgname::text FROM pg_trigger WHERE tgrelid = c.oid ORDER BY 1)
        FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'i', 'I', 'S')
        ORDER BY c.relname
        """
    )


async def test_a_city_converted_to_monthly_partitions_keeps_working(
    schema_url, settings, city, clock, aiohttp_client, monkeypatch, capsys
):
    from lapor.web.app import create_app
    from lapor.web.keys import SERVICES

    client = await aiohttp_client(
        create_app(replace(settings, database_url=schema_url), clock=clock, city=city)
    )
    services = client.app[SERVICES]
    async with services.pool.acquire() as conn:
        tokens = {}
        for username, role, agency in (("dpupr", "officer", "DPUPR"), ("admin", "admin", None)):
            officer = await auth.create_officer(conn, username, username, role, agency)
            tokens[username] = await auth.issue_token(
                conn, officer.id, now=clock.now(), lifetime=timedelta(days=3650)
            )

    async def file() -> tuple[str, int]:
        response = await client.post("/api/v1/complaints", json=VALID)
        assert response.status == 201, await response.text()
        code = (await response.json())["tracking_code"]
        async with services.pool.acquire() as conn:
            return code, await conn.fetchval(
                "SELECT id FROM complaint WHERE tracking_code = $1", code
            )

    async def act(code: str, action: str, who: str = "dpupr", **fields) -> None:
        response = await client.post(
            f"/api/v1/complaints/{code}/actions",
            json={"action": action, **fields},
            headers={"Authorization": f"Bearer {tokens[who]}"},
        )
        assert response.status == 200, await response.text()

    # Given a city with complaints, their timelines and a notice waiting, on plain tables
    # (Monday 23 November 2026).
    answered, answered_id = await file()
    await act(answered, "respond", note="Tim survei datang Kamis.")  # a notice by e-mail
    waiting, waiting_id = await file()  # nobody answers: its ladder will climb
    november = date(2026, 11, 1)
    before = await reports.build_report(services, november)
    assert await partitions.keep_ahead(services) == 0  # the job leaves plain tables alone

    # When the city converts (the app keeps its pool open meanwhile).
    async with connect(schema_url) as conn:
        done = await partitions.convert(conn, WIB, clock.now())
        assert [line.split(" (")[0] for line in done[:2]] == [
            "complaint_event: partitioned by month; rows before 2026-12 in complaint_event_history",
            "outbox: partitioned by month; rows before 2026-12 in outbox_history",
        ]
        made = await catalogue(conn)
        # Run again: nothing changes.
        assert await partitions.convert(conn, WIB, clock.now()) == []
        assert await catalogue(conn) == made
        event_parts = (await partitions.state(conn, "complaint_event")).partitions
        assert [p.name for p in event_parts] == [
            "complaint_event_default",
            "complaint_event_history",
            "complaint_event_2026_12",
            "complaint_event_2027_01",
            "complaint_event_2027_02",
        ]
        assert event_parts[1].upper == datetime(2026, 12, 1, tzinfo=WIB)
        assert await where_events(conn, answered_id) == [
            ("received", "complaint_event_history"),
            ("routed", "complaint_event_history"),
            ("respond", "complaint_event_history"),
        ]

    # Then November reads as before,
    after = await reports.build_report(services, november)
    assert after.current == before.current and after.previous == before.previous
    assert after.current[None].received == 2

    # and in December a complaint is filed, an officer acts, the outbox delivers (the notice
    # queued before the conversion too), and the sweep climbs the ladder of the one left waiting.
    clock.set(datetime(2026, 12, 15, 10, 0, tzinfo=WIB))
    fresh, fresh_id = await file()
    await act(answered, "resolve", note="Lubang sudah ditambal.")
    mail = Outgoing()
    assert await dispatch_once(services.pool, {"email": mail}, clock) == 2
    assert "Tim survei datang Kamis." in mail.delivered[0]
    assert "Lubang sudah ditambal." in mail.delivered[1]
    swept = await escalation.sweep(services)
    assert swept.steps >= 1
    async with services.pool.acquire() as conn:
        assert await where_events(conn, fresh_id) == [
            ("received", "complaint_event_2026_12"),
            ("routed", "complaint_event_2026_12"),
        ]
        assert (await where_events(conn, answered_id))[-1] == ("resolve", "complaint_event_2026_12")
        assert {
            part for kind, part in await where_events(conn, waiting_id) if kind != "received"
        } >= {"complaint_event_2026_12"}
        sent = await conn.fetch(
            "SELECT status, tableoid::regclass::text AS part FROM outbox WHERE kind = 'status' "
            "ORDER BY id"
        )
        assert [(r["status"], r["part"]) for r in sent] == [
            ("sent", "outbox_history"),
            ("sent", "outbox_2026_12"),
        ]
        # A dedupe key holds across the whole table: a replay queues nothing.
        again = Message("telegram", "777", "test", "sekali", dedupe_key="status:1")
        assert await enqueue_many(conn, [again, again], clock.now()) == 1
        assert await enqueue_many(conn, [again], clock.now()) == 0
        # The timeline stays append-only, and a proof photo must name an event of its own
        # complaint (the trigger that replaced the foreign key).
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute(
                "UPDATE complaint_event SET kind = 'x' WHERE complaint_id = $1", fresh_id
            )
        resolve_id = await conn.fetchval(
            "SELECT max(id) FROM complaint_event WHERE complaint_id = $1", answered_id
        )
        photo = "INSERT INTO complaint_photo VALUES ($1, 6, $2, 'image/jpeg', 10, $3)"
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await conn.execute(photo, fresh_id, "a" * 64, resolve_id)
        await conn.execute(photo, answered_id, "a" * 64, resolve_id)
    december = await reports.build_report(services, date(2026, 12, 1))
    assert december.current[None].received == 1
    assert december.current[None].resolved == 1

    # A row dated in a month nobody made a partition for is accepted into the default
    # partition; the job moves it into its month once it makes that month.
    clock.set(datetime(2027, 7, 6, 10, 0, tzinfo=WIB))
    await act(fresh, "start")
    async with services.pool.acquire() as conn:
        assert (await where_events(conn, fresh_id))[-1] == ("start", "complaint_event_default")
    assert await partitions.keep_ahead(services) == 8  # July-October, both tables
    async with services.pool.acquire() as conn:
        assert (await where_events(conn, fresh_id))[-1] == ("start", "complaint_event_2027_07")
        assert await conn.fetchval("SELECT count(*) FROM complaint_event_default") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox_default") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox_2027_07") == 1
    assert await partitions.keep_ahead(services) == 0

    # The command itself: on partitioned tables it only makes what the real month needs.
    monkeypatch.setenv("DATABASE_URL", schema_url)
    for name, value in (
        ("LAPOR_SECRET_KEY", "cli-test-secret-0123456789"),
        ("LAPOR_CITY", "default"),
    ):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LAPOR_DATA_DIR", str(settings.data_dir))
    capsys.readouterr()
    assert await asyncio.to_thread(cli.main, ["db", "partition"]) == 0
    out = capsys.readouterr().out
    assert "complaint_event_history" in out and "outbox_2027_07" in out
