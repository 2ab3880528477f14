"""Messages that still die reach a person (issue 16): Meta accepts a message and reports only
later, in its webhook's `statuses`, that it failed. The fake Graph API accepts it, then POSTs
the signed status callback to the app's real webhook; lapor resends it as its template (131047,
the window had closed), by SMS (131026, no WhatsApp on that number) or makes it a dead letter
the admin sees. Real HTTP on loopback: the app, the fake Graph API, the fake SMS gateway."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import PayloadFactory, encode
from fakes.whatsapp_payloads import signed_headers
from helpers import NO_LIMITS, VALID
from test_bots_sms import sms_fields
from test_bots_whatsapp import (
    APP_SECRET,
    WA_ID,
    Citizen,
    body_text,
    files_through_the_bot,
    whatsapp_fields,
)
from wa_templates import approve_documented

from bots.whatsapp import WEBHOOK_PATH
from bots.whatsapp_inbound import parse_statuses
from lapor import auth, dead_letters, lifecycle, receipts, tracking
from lapor.city import load_city
from lapor.outbox import dispatch_once
from lapor.receipts import StatusReport
from lapor.web.app import create_app
from lapor.web.keys import SERVICES, SMS, WHATSAPP

PHONE = "0812-3456-7890"  # WA_ID's number, as a web reporter types it


def app_with(settings, clock, *fields: dict):
    city = replace(load_city("default"), limits=NO_LIMITS)
    merged = {key: value for each in fields for key, value in each.items()}
    return create_app(replace(settings, **merged), clock=clock, city=city, senders={})


@pytest.fixture
async def wa_client(settings, fake_whatsapp, clock, aiohttp_client):
    approve_documented(fake_whatsapp)
    client = await aiohttp_client(app_with(settings, clock, whatsapp_fields(fake_whatsapp)))
    fake_whatsapp.subscribe(str(client.make_url(WEBHOOK_PATH)), APP_SECRET)
    return client


@pytest.fixture
async def both_client(settings, fake_whatsapp, fake_sms, clock, aiohttp_client):
    approve_documented(fake_whatsapp)
    app = app_with(settings, clock, whatsapp_fields(fake_whatsapp), sms_fields(fake_sms))
    client = await aiohttp_client(app)
    fake_whatsapp.subscribe(str(client.make_url(WEBHOOK_PATH)), APP_SECRET)
    return client


async def deliver(client, clock) -> int:
    """One sweep of the outbox through the app's own senders."""
    app = client.app
    senders = {"whatsapp": app[WHATSAPP].sender} if WHATSAPP in app else {}
    if SMS in app:
        senders["sms"] = app[SMS].sender
    return await dispatch_once(app[SERVICES].pool, senders, clock)


async def admin(services) -> auth.Officer:
    async with services.pool.acquire() as conn:
        return await auth.create_officer(conn, "admin", "Admin Kota", "admin", None)


async def filed_on_the_web(client) -> str:
    response = await client.post("/api/v1/complaints", json={**VALID, "reporter": {"phone": PHONE}})
    assert response.status == 201, await response.text()
    return (await response.json())["tracking_code"]


async def rows(services, sql: str) -> list:
    async with services.pool.acquire() as conn:
        return [dict(row) for row in await conn.fetch(sql)]


def test_a_failed_status_is_read_with_its_code_and_other_numbers_are_left_out():
    payloads = PayloadFactory(wa_id=WA_ID)
    failed = payloads.status("wamid.A", "failed", error_code=131026)
    [report] = parse_statuses(failed, phone_number_id="1234567890")
    assert (report.provider_id, report.status, report.error_code) == ("wamid.A", "failed", 131026)
    assert report.error.startswith("Message undeliverable: Unable to deliver message.")
    assert parse_statuses(payloads.status("wamid.B", "read")) == [StatusReport("wamid.B", "read")]
    assert parse_statuses(failed, phone_number_id="999") == []  # another number of the app
    assert parse_statuses(payloads.text("halo")) == []  # a message, not a status
    broken = payloads.status("wamid.C", "failed", error_code=131047)
    broken["entry"][0]["changes"][0]["value"]["statuses"].append({"status": "failed"})
    broken["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"] = "nonsense"
    assert parse_statuses(broken) == [StatusReport("wamid.C", "failed")]


async def test_a_notice_meta_reports_outside_the_window_goes_again_as_its_template(
    wa_client, fake_whatsapp, clock
):
    services = wa_client.app[SERVICES]
    payloads = PayloadFactory(
        wa_id=WA_ID, phone_number_id="1234567890", clock=lambda: clock.now().timestamp()
    )
    citizen = Citizen(wa_client, fake_whatsapp, payloads, clock)
    code = await files_through_the_bot(citizen)
    # Lapor counts the window from the citizen's message; Meta, from an earlier one (the
    # message reached us late): the free text is accepted, and reported failed afterwards.
    clock.advance(timedelta(hours=20))
    fake_whatsapp.user_wrote(WA_ID, clock.now() - timedelta(hours=25))
    fake_whatsapp.late_window_errors = True
    await fake_whatsapp.send_statuses()  # the earlier replies: sent
    verify = lifecycle.ActionRequest("verify", agency="DPUPR", category="jalan")
    await lifecycle.act(services, code, verify, officer=await admin(services))
    [notice] = await citizen.hears()
    assert notice["type"] == "text" and "diverifikasi" in body_text(notice)

    assert await fake_whatsapp.send_statuses() == [200]  # failed: 131047
    [again] = await citizen.hears()

    assert again["type"] == "template" and again["template"]["name"] == "lapor_status"
    params = [p["text"] for p in again["template"]["components"][0]["parameters"]]
    assert params[0] == tracking.display(code) and "diverifikasi" in params[1]
    [receipt] = await rows(
        services, "SELECT status, error_code, action FROM outbox_receipt WHERE action IS NOT NULL"
    )
    assert receipt == {"status": "failed", "error_code": 131047, "action": "template"}
    # The same callback again (Meta retries a webhook it thinks was lost): nothing more.
    fake_whatsapp.statuses.append((notice_id(fake_whatsapp, notice), WA_ID, "failed", 131047))
    assert await fake_whatsapp.send_statuses() == [200, 200]  # the template's "sent", and it
    assert await citizen.hears() == []


def notice_id(fake, message: dict) -> str:
    [call] = [c for c in fake.calls_to("messages") if c.params is message]
    return call.response["messages"][0]["id"]


async def test_a_notice_to_a_number_without_whatsapp_goes_by_sms_when_the_city_has_it(
    both_client, fake_whatsapp, fake_sms, clock
):
    services = both_client.app[SERVICES]
    code = await filed_on_the_web(both_client)
    fake_whatsapp.unreachable.add(WA_ID)
    await lifecycle.act(
        services, code, lifecycle.ActionRequest("start"), officer=await admin(services)
    )
    assert await deliver(both_client, clock) == 1
    [template] = fake_whatsapp.sent_templates(WA_ID)  # accepted by Meta...
    assert fake_sms.sent() == []

    assert await fake_whatsapp.send_statuses() == [200]  # ...and reported undeliverable
    assert await deliver(both_client, clock) == 1

    [sms] = fake_sms.sent("+" + WA_ID)
    assert tracking.display(code) in sms.body and "sedang diproses" in sms.body
    messages = await rows(services, "SELECT channel, status FROM outbox ORDER BY id")
    assert messages == [
        {"channel": "whatsapp", "status": "sent"},
        {"channel": "sms", "status": "sent"},
    ]
    kept = await rows(
        services, "SELECT channel, error_code, action FROM outbox_receipt ORDER BY channel DESC"
    )
    assert kept == [  # the gateway's sid is kept too
        {"channel": "whatsapp", "error_code": 131026, "action": "sms"},
        {"channel": "sms", "error_code": None, "action": None},
    ]
    # Kept while Meta may still report (it retries a webhook for up to seven days).
    clock.advance(receipts.KEEP - timedelta(minutes=1))
    assert await receipts.prune(services) == 0
    clock.advance(timedelta(minutes=2))
    assert await receipts.prune(services) == 2
    assert "outbox.prune_receipts" in [job.id for job in receipts.jobs()]


async def test_a_notice_no_channel_can_deliver_is_a_dead_letter_the_admin_sees(
    wa_client, fake_whatsapp, clock
):
    services = wa_client.app[SERVICES]
    code = await filed_on_the_web(wa_client)
    fake_whatsapp.unreachable.add(WA_ID)
    officer = await admin(services)
    await lifecycle.act(services, code, lifecycle.ActionRequest("start"), officer=officer)
    assert await deliver(wa_client, clock) == 1
    assert (await dead_letters.dead_letters(services, officer))["total"] == 0

    # A forged callback is refused before anything is read.
    forged = encode(PayloadFactory(wa_id=WA_ID).status("wamid.x", "failed", error_code=131026))
    refused = await wa_client.post(
        WEBHOOK_PATH, data=forged, headers=signed_headers(forged, "not-the-secret")
    )
    assert refused.status == 403
    assert await fake_whatsapp.send_statuses() == [200]

    listed = await dead_letters.dead_letters(services, officer)
    [dead] = listed["items"]
    assert (listed["total"], dead["channel"], dead["kind"]) == (1, "whatsapp", "status")
    assert "131026" in dead["error"] and dead["display_code"] == tracking.display(code)
    assert await deliver(wa_client, clock) == 0  # nothing else went anywhere


@pytest.fixture
async def sms_client(settings, fake_sms, clock, aiohttp_client):
    return await aiohttp_client(app_with(settings, clock, sms_fields(fake_sms)))


async def test_an_sms_the_carrier_could_not_deliver_is_a_dead_letter_the_admin_sees(
    sms_client, fake_sms, clock
):
    # A city with SMS only: the web reporter's notice goes by SMS; Twilio accepts it, and its
    # StatusCallback says later that the carrier gave up (30003: unreachable handset).
    services = sms_client.app[SERVICES]
    code = await filed_on_the_web(sms_client)
    officer = await admin(services)
    await lifecycle.act(services, code, lifecycle.ActionRequest("start"), officer=officer)
    assert await deliver(sms_client, clock) == 1
    [sms] = fake_sms.sent("+" + WA_ID)
    app_url = str(sms_client.make_url("/"))
    assert await fake_sms.report_status(app_url, sms, "sent") == 204
    assert (await dead_letters.dead_letters(services, officer))["total"] == 0

    forged = replace(sms, status_callback=sms.status_callback + "?forged=1")
    assert await fake_sms.report_status(app_url, forged, "undelivered", 30003) == 403
    assert await fake_sms.report_status(app_url, sms, "undelivered", 30003) == 204
    assert await fake_sms.report_status(app_url, sms, "undelivered", 30003) == 204  # again
    listed = await dead_letters.dead_letters(services, officer)
    [dead] = listed["items"]
    assert (listed["total"], dead["channel"], dead["display_code"]) == (
        1,
        "sms",
        tracking.display(code),
    )
    assert "30003" in dead["error"]
    [kept] = await rows(services, "SELECT status, error_code, action FROM outbox_receipt")
    assert kept == {"status": "failed", "error_code": 30003, "action": "dead"}
