"""SLA deadlines: computed in working days per stage and city, stored on every move, shown in
the officer queue with the working time left and a colour."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifecycle_helpers import act, file

from lapor import lifecycle, sla
from lapor.calendar import national_days_off
from lapor.city import load_city
from lapor.complaints import Intake, ReporterContact, file_complaint, public_view
from lapor.complaints import Viewer as ComplaintViewer
from lapor.lifecycle import ActionRequest

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
kota = load_city("default")  # Asia/Jakarta, office 07:30-16:00 (8.5 working hours a day)
badung = load_city("badung")  # Asia/Makassar
pontianak = load_city("pontianak")  # Asia/Pontianak


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


# --- deadlines, computed -------------------------------------------------------------------


def test_verification_skips_the_weekend_christmas_and_its_cuti_bersama():
    # Given a complaint at the desk on Tuesday 22 December 2026 at 10:00 (3 working days)
    # Tue 6 h + Wed 8.5 h; Thu 24 (cuti bersama), Fri 25 (Christmas), the weekend are off;
    # Mon 8.5 h; the last 2.5 h run on Tuesday from 07:30
    assert sla.deadline(kota, "verify", wib(2026, 12, 22, 10)) == wib(2026, 12, 29, 10)


def test_first_response_skips_nyepi_and_idul_fitri_with_their_cuti_bersama():
    # Given a complaint assigned on Tuesday 17 March 2026 at 09:00 (5 working days = 42.5 h):
    # 18-24 March 2026 is one closed week (Nyepi, Idul Fitri, cuti bersama 20, 23, 24 March)
    # Tue 7 h, Wed 25 - Fri 27 25.5 h, Mon 30 8.5 h, Tue 31 the last 1.5 h
    assert sla.deadline(kota, "response", wib(2026, 3, 17, 9)) == wib(2026, 3, 31, 9)


def test_resolution_time_follows_the_category_kind():
    assigned = wib(2026, 11, 23, 9)  # Monday
    # simple (sampah): 5 working days, a week later
    assert sla.deadline(kota, "resolve", assigned, "sampah") == wib(2026, 11, 30, 9)
    # no_field_check (parkir): 14 working days, no holiday on the way
    assert sla.deadline(kota, "resolve", assigned, "parkir") == wib(2026, 12, 11, 9)
    # field_check (jalan): 60 working days, across Christmas, New Year and Isra Mi'raj 2027
    days_off = sorted(national_days_off(2026) | national_days_off(2027))
    sixtieth = np.busday_offset("2026-11-23", 60, holidays=days_off)
    assert str(sixtieth) == "2027-02-22"
    assert sla.deadline(kota, "resolve", assigned, "jalan") == wib(2027, 2, 22, 9)


def test_a_complaint_at_the_weekend_counts_from_monday_opening():
    # Saturday: three whole working days, Monday to Wednesday, due at Wednesday's closing
    assert sla.deadline(kota, "verify", wib(2026, 11, 28, 11)) == wib(2026, 12, 2, 16)


def test_the_same_moment_gives_each_city_its_own_local_office_day():
    # 00:00 UTC is 07:00 in Jakarta and Pontianak (before opening: three whole days, due at
    # Wednesday's closing) but 08:00 in Badung (open: due Thursday at 08:00 WITA)
    moment = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    assert sla.deadline(kota, "verify", moment) == wib(2026, 11, 25, 16)
    assert sla.deadline(pontianak, "verify", moment) == wib(2026, 11, 25, 16)
    assert sla.deadline(badung, "verify", moment) == datetime(2026, 11, 26, 8, tzinfo=WITA)
    # 08:30 UTC is 15:30 in Jakarta (half an hour left today) but 16:30 in Badung (closed)
    late = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    assert sla.deadline(kota, "verify", late) == wib(2026, 11, 26, 15, 30)
    assert sla.deadline(badung, "verify", late) == datetime(2026, 11, 26, 16, tzinfo=WITA)


def test_a_city_may_change_the_numbers():
    strict = replace(kota, sla=replace(kota.sla, verify_days=1))
    assert sla.deadline(strict, "verify", wib(2026, 11, 23, 9)) == wib(2026, 11, 24, 9)


def test_deadlines_per_status():
    assigned = wib(2026, 11, 23, 9)
    open_ = sla.deadlines_for(
        kota,
        status="assigned",
        category_code="sampah",
        verify_started_at=None,
        assigned_at=assigned,
        responded_at=None,
        resolved_at=None,
    )
    # simple: response and resolution are both due in 5 days; the response is the stage
    assert (open_.stage, open_.due_at) == ("response", wib(2026, 11, 30, 9))
    answered = sla.deadlines_for(
        kota,
        status="in_progress",
        category_code="jalan",
        verify_started_at=None,
        assigned_at=assigned,
        responded_at=assigned + timedelta(hours=1),
        resolved_at=None,
    )
    assert (answered.stage, answered.due_at) == ("resolve", wib(2027, 2, 22, 9))
    done = sla.deadlines_for(
        kota,
        status="closed",
        category_code="jalan",
        verify_started_at=None,
        assigned_at=assigned,
        responded_at=assigned,
        resolved_at=assigned,
        earlier=answered,
    )
    assert (done.stage, done.due_at, done.resolve_due_at) == (None, None, answered.resolve_due_at)


# --- the ladder, computed ------------------------------------------------------------------


def test_the_ladder_of_a_response_stage_across_christmas_and_new_year():
    started = wib(2026, 12, 18, 9)  # Friday
    due = sla.deadline(kota, "response", started)
    assert due == wib(2026, 12, 29, 9)
    steps = sla.ladder(kota, "response", "DPUPR", started, due)
    assert [(s.level, s.kind, s.agency, s.audience, s.at) for s in steps] == [
        # 75% of 42.5 h = 31.875 h: Fri 7 + Mon 8.5 + Tue 8.5 + Wed 7.875 (07:30 + 7:52:30)
        (0, "reminder", "DPUPR", "officers", wib(2026, 12, 23, 15, 22, 30)),
        (1, "escalation", "DPUPR", "head", due),
        # escalate_after_days = [0, 5]: Setda at once, the Wali Kota 5 working days later
        # (1 January and Isra Mi'raj on 5 January 2027 are days off)
        (2, "escalation", "SETDA", "head", due),
        (3, "escalation", "WALIKOTA", "head", wib(2027, 1, 7, 9)),
    ]


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.just(WIB)
    ),
    category=st.sampled_from(["sampah", "parkir", "jalan"]),
)
def test_every_ladder_climbs_in_order_and_reminds_at_the_configured_share(start, category):
    calendar = sla.calendar_for(kota)
    due = sla.deadline(kota, "resolve", start, category)
    steps = sla.ladder(kota, "resolve", "DLH", start, due, category)
    times = [s.at for s in steps]
    assert times == sorted(times)
    assert [s.level for s in steps] == list(range(len(steps)))
    allowed = sla.allowed_time(kota, "resolve", category)
    assert calendar.working_time_between(start, due) == allowed
    assert calendar.working_time_between(steps[0].at, due) == allowed * (1 - kota.sla.reminder_at)


# --- working time left and colours ---------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "state", "hours"),
    [
        (wib(2026, 11, 23, 9), "green", 42.5),
        # Thu 7 + Fri 8.5 + Mon 1.5 = 17 h of 42.5: more than a quarter left
        (wib(2026, 11, 26, 9), "green", 17.0),
        # Fri 7 + Mon 1.5 = 8.5 h: under a quarter (10.625 h) left
        (wib(2026, 11, 27, 9), "amber", 8.5),
        # the weekend does not count down
        (wib(2026, 11, 29, 12), "amber", 1.5),
        (wib(2026, 11, 30, 9), "red", 0.0),
        (wib(2026, 11, 30, 10, 30), "red", -1.5),
    ],
)
def test_the_colour_follows_the_working_time_left(now, state, hours):
    due = sla.deadline(kota, "response", wib(2026, 11, 23, 9))
    shown = sla.sla_state(kota, "response", due, now)
    assert (shown.state, shown.working_hours_left) == (state, hours)


# --- stored on every move ------------------------------------------------------------------


async def stored(services, code: str):
    async with services.pool.acquire() as conn:
        return await conn.fetchrow("SELECT * FROM complaint WHERE tracking_code = $1", code)


async def events(services, code: str) -> list:
    async with services.pool.acquire() as conn:
        return await conn.fetch(
            """SELECT e.* FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id
               WHERE c.tracking_code = $1 ORDER BY e.id""",
            code,
        )


async def test_a_routed_complaint_gets_the_agency_deadlines_at_filing(client, services, clock):
    code = (await file(client))["tracking_code"]  # jalan -> DPUPR, Mon 23 Nov 09:00
    row = await stored(services, code)
    assert row["sla_stage"] == "response"
    assert row["response_due_at"] == wib(2026, 11, 30, 9)
    assert row["resolve_due_at"] == wib(2027, 2, 22, 9)
    assert row["due_at"] == row["response_due_at"]
    assert row["verify_due_at"] is None
    assert row["next_step_at"] == wib(2026, 11, 26, 15, 22, 30)  # the reminder


@pytest.mark.parametrize("category", ["jalan", None])  # routed at once / to the desk
async def test_filing_stores_the_deadlines_a_refresh_would_store(client, services, clock, category):
    # Intake computes the first deadlines without reading the row back (one statement).
    code = (await file(client, category=category))["tracking_code"]
    filed = await stored(services, code)
    assert filed["due_at"] is not None
    async with services.pool.acquire() as conn, conn.transaction():
        assert await sla.refresh(conn, services.city, filed["id"], clock.now()) is None
    assert dict(await stored(services, code)) == dict(filed)


async def test_the_desk_clock_then_the_agency_clock(client, services, accounts, clock):
    code = (await file(client, category=None))["tracking_code"]
    row = await stored(services, code)
    assert (row["sla_stage"], row["due_at"]) == ("verify", wib(2026, 11, 26, 9))

    clock.set(wib(2026, 11, 24, 10))
    response = await act(client, code, accounts["desk"], "verify", category="sampah")
    assert response.status == 200
    row = await stored(services, code)
    assert row["sla_stage"] == "response"
    assert row["verify_due_at"] == wib(2026, 11, 26, 9)  # kept as history
    assert row["response_due_at"] == wib(2026, 12, 1, 10)
    assert row["resolve_due_at"] == wib(2026, 12, 1, 10)  # sampah is simple: 5 days
    verify_event = (await events(services, code))[-1]
    assert verify_event["data"]["sla"] == {
        "stage": "verify",
        "due_at": wib(2026, 11, 26, 9).isoformat(),
        "breached": False,
    }


async def test_a_first_follow_up_moves_the_clock_to_the_resolution(client, services, accounts):
    code = (await file(client))["tracking_code"]
    assert (await act(client, code, accounts["dpupr"], "start")).status == 200
    row = await stored(services, code)
    assert (row["sla_stage"], row["due_at"]) == ("resolve", wib(2027, 2, 22, 9))


async def test_a_transfer_restarts_the_clock_and_records_the_breach(
    client, services, accounts, clock
):
    # Given a complaint DPUPR should have answered by Monday 30 November 09:00
    code = (await file(client))["tracking_code"]
    # When DPUPR passes it on to DLH a day late
    clock.set(wib(2026, 12, 1, 10))
    response = await act(client, code, accounts["dpupr"], "transfer", category="pencemaran")
    assert response.status == 200
    # Then DLH's clock starts at the transfer, and the transfer records DPUPR's breach
    row = await stored(services, code)
    assert row["agency_code"] == "DLH"
    assert row["assigned_at"] == clock.now()
    assert row["response_due_at"] == wib(2026, 12, 8, 10)
    assert (row["sla_stage"], row["escalation_level"]) == ("response", 0)
    transfer = (await events(services, code))[-1]
    assert transfer["kind"] == "transfer"
    assert transfer["data"]["sla"] == {
        "stage": "response",
        "due_at": wib(2026, 11, 30, 9).isoformat(),
        "breached": True,
    }


async def test_a_transfer_in_time_records_no_breach(client, services, accounts, clock):
    code = (await file(client))["tracking_code"]
    clock.set(wib(2026, 11, 24, 10))
    await act(client, code, accounts["dpupr"], "transfer", agency="DLH")
    assert (await events(services, code))[-1]["data"]["sla"]["breached"] is False


async def test_resolving_starts_the_close_clock_and_a_reopen_starts_new_deadlines(
    client, services, accounts, clock
):
    code = (await file(client))["tracking_code"]
    clock.set(wib(2026, 12, 18, 9))
    await act(client, code, accounts["dpupr"], "resolve", note="Sudah ditambal.")
    row = await stored(services, code)
    # 10 working days across Christmas, New Year and Isra Mi'raj
    assert (row["sla_stage"], row["close_due_at"]) == ("close", wib(2027, 1, 7, 9))
    assert row["due_at"] == row["close_due_at"]

    clock.set(wib(2026, 12, 21, 8))
    assert (await act(client, code, accounts["admin"], "reopen")).status == 200
    row = await stored(services, code)
    assert row["status"] == "assigned"
    assert row["sla_stage"] == "response"
    # 5 working days from the reopen: Tue 22, Wed 23, (24, 25 off) Mon 28, Tue 29, Wed 30
    assert row["response_due_at"] == wib(2026, 12, 30, 8)
    assert row["close_due_at"] is None
    assert row["escalation_level"] == 0


async def test_bukan_wewenang_gives_the_desk_a_fresh_verification_clock(
    client, services, accounts, clock
):
    code = (await file(client))["tracking_code"]
    clock.set(wib(2026, 11, 24, 9))
    assert (await act(client, code, accounts["dpupr"], "not_ours")).status == 200
    row = await stored(services, code)
    assert (row["sla_stage"], row["stage_started_at"]) == ("verify", clock.now())
    assert row["due_at"] == wib(2026, 11, 27, 9)
    assert (await events(services, code))[-1]["data"]["sla"]["stage"] == "response"


async def test_closing_and_rejecting_stop_every_clock(client, services, accounts):
    rejected = (await file(client, category=None))["tracking_code"]
    await act(client, rejected, accounts["desk"], "reject", note="Bukan urusan kota.")
    row = await stored(services, rejected)
    assert (row["sla_stage"], row["due_at"], row["next_step_at"]) == (None, None, None)
    assert row["verify_due_at"] == wib(2026, 11, 26, 9)


# --- auto-close ----------------------------------------------------------------------------


async def test_auto_close_fires_after_ten_working_days_and_not_before(services, accounts, clock):
    # Given a Telegram reporter's complaint resolved on Friday 18 December 2026 09:00
    intake = Intake(
        text="Lampu jalan di gang kami mati sudah dua minggu, mohon diperbaiki.",
        channel="telegram",
        category_hint="jalan",
        reporter=ReporterContact(chat_id="777001"),
    )
    filed = await file_complaint(services, intake)
    clock.set(wib(2026, 12, 18, 9))
    await lifecycle.act(
        services,
        filed.tracking_code,
        ActionRequest("resolve", note="Lampu sudah diganti."),
        officer=accounts["dpupr"].officer,
    )
    # When nobody answers: not closed a second before the tenth working day (7 January 2027)
    clock.set(wib(2027, 1, 7, 8, 59, 59))
    assert await sla.auto_close(services) == 0
    assert (await stored(services, filed.tracking_code))["status"] == "resolved"
    # Then closed at the deadline, once, with a public event and a notice to the reporter
    clock.set(wib(2027, 1, 7, 9))
    assert await sla.auto_close(services) == 1
    assert await sla.auto_close(services) == 0
    row = await stored(services, filed.tracking_code)
    assert (row["status"], row["closed_at"], row["sla_stage"]) == ("closed", clock.now(), None)
    view = await public_view(services, filed.tracking_code, ComplaintViewer())
    last = view["timeline"][-1]
    assert (last["kind"], last["status"]) == ("close", "closed")
    assert "10 hari kerja" in last["note"]
    async with services.pool.acquire() as conn:
        notices = await conn.fetch(
            "SELECT recipient, payload FROM outbox WHERE kind = 'status' ORDER BY id"
        )
    assert notices[-1]["recipient"] == "777001"
    assert "sudah ditutup" in notices[-1]["payload"]["text"]


async def test_a_reopen_before_the_close_deadline_prevents_the_auto_close(
    client, services, accounts, clock
):
    code = (await file(client))["tracking_code"]
    await act(client, code, accounts["dpupr"], "resolve", note="Sudah ditambal.")
    clock.advance(timedelta(days=3))
    await act(client, code, accounts["admin"], "reopen")
    clock.advance(timedelta(days=30))
    assert await sla.auto_close(services) == 0
    assert (await stored(services, code))["status"] == "assigned"


# --- the queue -----------------------------------------------------------------------------


async def queue_items(client, account) -> dict:
    response = await client.get("/api/v1/queue", headers=account.headers)
    assert response.status == 200, await response.text()
    return {item["tracking_code"]: item for item in (await response.json())["items"]}


@pytest.mark.parametrize(
    ("now", "state", "hours", "words"),
    [
        (wib(2026, 11, 23, 9), "green", 42.5, "sisa 5 hari kerja"),
        (wib(2026, 11, 26, 9), "green", 17.0, "sisa 2 hari kerja"),
        (wib(2026, 11, 27, 9), "amber", 8.5, "sisa 1 hari kerja"),
        (wib(2026, 11, 30, 10), "red", -1.0, "lewat 1 jam kerja"),
    ],
)
async def test_queue_items_show_the_time_left_and_its_colour(
    client, services, accounts, clock, now, state, hours, words
):
    code = (await file(client))["tracking_code"]  # response due Mon 30 Nov 09:00
    clock.set(now)
    item = (await queue_items(client, accounts["dpupr"]))[code]
    assert item["sla"] == {
        "state": state,
        "working_hours_left": hours,
        "due_at": wib(2026, 11, 30, 9).isoformat(),
        "overdue": state == "red",
        "time_left": words,
    }
    full = await client.get(f"/api/v1/complaints/{code}/full", headers=accounts["dpupr"].headers)
    assert (await full.json())["sla"]["state"] == state


async def test_a_resolved_complaint_has_no_sla_colour(client, accounts):
    code = (await file(client))["tracking_code"]
    await act(client, code, accounts["dpupr"], "resolve", note="Beres.")
    full = await client.get(f"/api/v1/complaints/{code}/full", headers=accounts["dpupr"].headers)
    body = await full.json()
    assert body["sla"] is None
    assert datetime.fromisoformat(body["deadlines"]["close_due_at"]) == wib(2026, 12, 7, 9)


async def test_the_queue_puts_the_nearest_deadline_first(client, accounts, clock):
    slow = (await file(client))["tracking_code"]  # jalan: response due Mon 30 Nov 09:00
    clock.advance(timedelta(hours=1))
    # a later complaint at the desk with a 3-day verification deadline comes first there
    desk_item = (await file(client, category=None))["tracking_code"]
    admin_queue = list(await queue_items(client, accounts["admin"]))
    assert admin_queue.index(desk_item) < admin_queue.index(slow)


async def test_queue_items_are_what_the_openapi_document_says(client, accounts):
    await file(client)
    document = await (await client.get("/api/openapi.json")).json()
    schemas = document["components"]["schemas"]
    (item,) = (await queue_items(client, accounts["dpupr"])).values()
    assert set(item) == set(schemas["QueueItem"]["properties"])
    assert set(item["sla"]) == set(schemas["Sla"]["properties"])
    assert item["sla"]["state"] in schemas["Sla"]["properties"]["state"]["enum"]
