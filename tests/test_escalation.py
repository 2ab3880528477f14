"""The escalation ladder: a complaint nobody answers climbs, one step at a time, exactly when
each step is due, and exactly once however many sweeps run at the same moment."""

import asyncio
import json
import os
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lifecycle_helpers import act, file

from lapor.calendar import local_time
from lapor.city import load_city
from lapor.complaints import Viewer, public_view
from lapor.db import create_pool
from lapor.escalation import sweep

WIB = ZoneInfo("Asia/Jakarta")
ROOT = Path(__file__).resolve().parent.parent

# The default city's example contacts (config/cities/default.toml)
DPUPR_OFFICERS = {
    ("telegram", "-100100000041"),
    ("email", "pengaduan@dpupr.kota-contoh.go.id"),
}
DPUPR_HEAD = {("telegram", "-100100000040"), ("email", "kadis@dpupr.kota-contoh.go.id")}
DESK_OFFICERS = {
    ("telegram", "-100100000031"),
    ("email", "pengaduan@diskominfo.kota-contoh.go.id"),
}
DESK_HEAD = {("telegram", "-100100000030"), ("email", "kadis@diskominfo.kota-contoh.go.id")}
SETDA = {("telegram", "-100100000020"), ("email", "sekda@kota-contoh.go.id")}
WALIKOTA = {("telegram", "-100100000010"), ("email", "walikota@kota-contoh.go.id")}


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


async def steps_taken(services) -> list[tuple[str, int, str]]:
    """(kind, level, agency) of every reminder and escalation event, in order."""
    async with services.pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT kind, data FROM complaint_event
               WHERE kind IN ('reminder', 'escalation') ORDER BY id"""
        )
    return [(r["kind"], r["data"]["level"], r["data"]["agency"]) for r in rows]


async def messages(services, kind: str | None = None) -> set[tuple[str, str]]:
    async with services.pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT channel, recipient FROM outbox
               WHERE kind IN ('reminder', 'escalation') AND ($1::text IS NULL OR kind = $1)""",
            kind,
        )
    return {(r["channel"], r["recipient"]) for r in rows}


async def message_count(services) -> int:
    async with services.pool.acquire() as conn:
        return await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE kind IN ('reminder', 'escalation')"
        )


async def sweep_at(services, clock, moment: datetime):
    clock.set(moment)
    return await sweep(services)


async def test_a_complaint_left_alone_climbs_the_ladder_each_step_when_due(client, services, clock):
    # Given a road complaint routed to DPUPR on Friday 18 December 2026 at 09:00: its first
    # response is due Tuesday 29 December 09:00 (Christmas, its cuti bersama and a weekend
    # in between)
    clock.set(wib(2026, 12, 18, 9))
    code = (await file(client))["tracking_code"]

    # The reminder: at 75% of the 42.5 working hours, Wednesday 23 December 15:22:30
    await sweep_at(services, clock, wib(2026, 12, 23, 15, 22, 29))
    assert await steps_taken(services) == []
    await sweep_at(services, clock, wib(2026, 12, 23, 15, 22, 30))
    assert await steps_taken(services) == [("reminder", 0, "DPUPR")]
    assert await messages(services) == DPUPR_OFFICERS

    # The breach: DPUPR's head, and Setda at once (escalate_after_days = [0, 5])
    await sweep_at(services, clock, wib(2026, 12, 29, 8, 59, 59))
    assert len(await steps_taken(services)) == 1
    await sweep_at(services, clock, wib(2026, 12, 29, 9))
    assert await steps_taken(services) == [
        ("reminder", 0, "DPUPR"),
        ("escalation", 1, "DPUPR"),
        ("escalation", 2, "SETDA"),
    ]
    assert await messages(services, "escalation") == DPUPR_HEAD | SETDA

    # The Wali Kota five working days later: 1 January and Isra Mi'raj (5 January 2027) are
    # days off, so not on Wednesday 6 January but on Thursday 7 January at 09:00
    await sweep_at(services, clock, wib(2027, 1, 6, 9))
    await sweep_at(services, clock, wib(2027, 1, 7, 8, 59, 59))
    assert len(await steps_taken(services)) == 3
    await sweep_at(services, clock, wib(2027, 1, 7, 9))
    assert (await steps_taken(services))[-1] == ("escalation", 3, "WALIKOTA")
    assert await messages(services) == DPUPR_OFFICERS | DPUPR_HEAD | SETDA | WALIKOTA

    # The top of the chain: nothing more, however long it waits
    await sweep_at(services, clock, wib(2027, 6, 1, 9))
    assert len(await steps_taken(services)) == 4
    assert await message_count(services) == 8
    # and none of it shows in the public timeline
    view = await public_view(services, code, Viewer())
    assert {e["kind"] for e in view["timeline"]} == {"received", "routed"}


async def test_each_level_up_the_chain_waits_its_configured_working_days(client, services, clock):
    # Given a city that gives Setda two working days after the breach
    city = replace(services.city, sla=replace(services.city.sla, escalate_after_days=(2, 5)))
    patient = replace(services, city=city)
    clock.set(wib(2026, 12, 18, 9))
    await file(client)  # response due Tuesday 29 December 09:00

    await sweep_at(patient, clock, wib(2026, 12, 29, 9))
    assert [s[1] for s in await steps_taken(services)] == [0, 1]
    await sweep_at(patient, clock, wib(2026, 12, 31, 8, 59))
    assert [s[1] for s in await steps_taken(services)] == [0, 1]
    await sweep_at(patient, clock, wib(2026, 12, 31, 9))
    assert (await steps_taken(services))[-1] == ("escalation", 2, "SETDA")


async def test_the_desk_is_reminded_and_escalated_for_its_verification_deadline(
    client, services, clock
):
    # Given a complaint waiting at the desk since Monday 23 November 09:00 (due Thursday 09:00)
    await file(client, category=None)
    # 75% of 25.5 h = 19.125 h: Mon 7 + Tue 8.5 + Wed 3.625 (07:30 + 3:37:30)
    await sweep_at(services, clock, wib(2026, 11, 25, 11, 7, 29))
    assert await steps_taken(services) == []
    await sweep_at(services, clock, wib(2026, 11, 25, 11, 7, 30))
    assert await steps_taken(services) == [("reminder", 0, "DISKOMINFO")]
    assert await messages(services) == DESK_OFFICERS
    await sweep_at(services, clock, wib(2026, 11, 26, 9))
    assert await messages(services, "escalation") == DESK_HEAD | SETDA


async def test_an_answer_stops_the_response_ladder(client, services, accounts, clock):
    # Given DPUPR was reminded of its first response
    code = (await file(client))["tracking_code"]
    await sweep_at(services, clock, wib(2026, 11, 26, 16))
    assert await steps_taken(services) == [("reminder", 0, "DPUPR")]
    # When it starts work before the deadline
    assert (await act(client, code, accounts["dpupr"], "start")).status == 200
    # Then the missed-response escalation never comes; the resolution's ladder is far off
    await sweep_at(services, clock, wib(2026, 12, 2, 9))
    assert await steps_taken(services) == [("reminder", 0, "DPUPR")]


async def test_a_transfer_starts_the_new_agency_ladder_from_the_bottom(
    client, services, accounts, clock
):
    code = (await file(client))["tracking_code"]
    await sweep_at(services, clock, wib(2026, 12, 1, 9))  # DPUPR breached, Setda told
    assert len(await steps_taken(services)) == 3
    await act(client, code, accounts["dpupr"], "transfer", agency="DLH")
    await sweep_at(services, clock, wib(2026, 12, 1, 9, 1))
    assert len(await steps_taken(services)) == 3
    # DLH's own reminder comes at 75% of its own five days
    await sweep_at(services, clock, wib(2026, 12, 4, 16))
    assert (await steps_taken(services))[-1] == ("reminder", 0, "DLH")


async def test_an_agency_without_contacts_gets_the_event_and_no_message(client, services, clock):
    # DINKES has no contacts in the default city file
    await file(client, category="kesehatan")
    await sweep_at(services, clock, wib(2026, 11, 30, 9))
    assert ("reminder", 0, "DINKES") in await steps_taken(services)
    assert not any(r for c, r in await messages(services) if "dinkes" in r)
    async with services.pool.acquire() as conn:
        ledger = await conn.fetch("SELECT level, messages FROM sla_step ORDER BY level")
    assert [(r["level"], r["messages"]) for r in ledger][:2] == [(0, 0), (1, 0)]


async def test_the_message_names_the_complaint_and_deadline_but_never_the_reporter(
    client, services, clock
):
    clock.set(wib(2026, 12, 18, 9))
    code = (await file(client))["tracking_code"]
    await sweep_at(services, clock, wib(2026, 12, 29, 9))
    async with services.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT kind, channel, payload FROM outbox WHERE channel = 'email' ORDER BY id"
        )
    reminder = rows[0]["payload"]
    assert reminder["subject"] == f"[lapor] Pengingat batas waktu laporan {code[:5]}-{code[5:]}"
    assert "Jalan Rusak" in reminder["text"]
    assert "Selasa, 29 Des 2026, 09.00 WIB" in reminder["text"]
    assert f"http://lapor.test/lacak/{code}" in reminder["text"]
    for row in rows:
        assert "Siti" not in row["payload"]["text"]
        assert "081234567890" not in row["payload"]["text"]
    assert "Batas waktu tanggapan pertama terlewati" in rows[1]["payload"]["text"]


def test_deadlines_are_written_as_an_indonesian_office_writes_them():
    kota, badung = load_city("default"), load_city("badung")
    assert local_time(kota.zone, wib(2027, 1, 7, 9), weekday=True) == "Kamis, 7 Jan 2027, 09.00 WIB"
    assert (
        local_time(badung.zone, wib(2027, 1, 7, 9), weekday=True) == "Kamis, 7 Jan 2027, 10.00 WITA"
    )


# --- several sweeps at once ----------------------------------------------------------------


async def file_many(client, count: int) -> list[str]:
    return [(await file(client))["tracking_code"] for _ in range(count)]


async def assert_every_step_once(services, complaints: int) -> None:
    async with services.pool.acquire() as conn:
        events = await conn.fetch(
            """SELECT complaint_id, (data->>'level')::int AS level FROM complaint_event
               WHERE kind IN ('reminder', 'escalation')"""
        )
        ledger = await conn.fetchval("SELECT count(*) FROM sla_step")
        outbox = await conn.fetch(
            "SELECT dedupe_key FROM outbox WHERE kind IN ('reminder', 'escalation')"
        )
    pairs = [(e["complaint_id"], e["level"]) for e in events]
    assert len(pairs) == len(set(pairs)) == complaints * 4 == ledger
    # reminder to 2 officer contacts, then DPUPR's head, Setda and the Wali Kota, 2 each
    assert len(outbox) == len({r["dedupe_key"] for r in outbox}) == complaints * 8


async def test_two_sweeps_at_once_take_every_step_exactly_once(
    client, services, clock, database_url
):
    # Given twelve complaints whose whole ladder is due (the Wali Kota level on 7 December)
    await file_many(client, 12)
    clock.set(wib(2026, 12, 8, 9))
    # When two instances, each with its own pool, sweep at the same moment in small batches
    other_pool = await create_pool(database_url)
    try:
        other = replace(services, pool=other_pool)
        first, second = await asyncio.gather(sweep(services, batch=2), sweep(other, batch=2))
    finally:
        await other_pool.close()
    # Then every step happened once, and the two shared the work without overlap
    assert first.steps + second.steps == 48
    await assert_every_step_once(services, 12)
    assert (await sweep(services)).steps == 0


async def test_two_processes_sweeping_at_once_take_every_step_exactly_once(
    client, services, clock, database_url
):
    await file_many(client, 10)
    moment = wib(2026, 12, 8, 9).isoformat()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "tests" / "sweep_worker.py"),
            database_url,
            moment,
            "1",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = await asyncio.gather(*(w.communicate(b"go\n") for w in workers))
    reports = []
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err.decode()
        reports.append(json.loads(out))
    assert sum(r["steps"] for r in reports) == 40
    assert sum(r["messages"] for r in reports) == 80
    await assert_every_step_once(services, 10)
