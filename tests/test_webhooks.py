"""Outbound webhooks (issue 18 §3): complaint events for subscribers, signed, delivered and
retried through the outbox, logged for the admin; rahasia complaints and personal data never
go out."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import asyncpg
import pytest
from fakes.external import FakeSignedReceiver, signature
from forwarding_helpers import Outbox, forwarding_settings
from helpers import VALID
from lifecycle_helpers import act, file
from officer_helpers import give_passwords, login

from lapor import hooks


@pytest.fixture
def settings(settings):
    return forwarding_settings(settings)


@pytest.fixture
async def client(settings, clock, city, aiohttp_client):
    from lapor.web.app import create_app

    return await aiohttp_client(create_app(settings, clock=clock, city=city, senders={}))


@pytest.fixture
async def box(services, settings):
    outbox = Outbox(services, settings)
    yield outbox
    await outbox.close()


@pytest.fixture
async def dashboard(services):
    """A subscriber to both events, its fake checking the secret it was given."""
    async with FakeSignedReceiver("not-known-yet") as fake:
        _, fake.secret = await hooks.add(services, "dasbor-kota", fake.url)
        yield fake


async def webhook_rows(services) -> list:
    async with services.pool.acquire() as conn:
        return await conn.fetch("SELECT * FROM outbox WHERE channel = 'webhook' ORDER BY id")


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = b'{"event":"complaint.created"}'
    assert hooks.sign("s3cret-s3cret-s3cret", 1700000000, body) == signature(
        "s3cret-s3cret-s3cret", 1700000000, body
    )


async def test_a_subscriber_answering_500_then_200_gets_the_event_exactly_once(
    client, services, box, dashboard, clock
):
    code = (await file(client))["tracking_code"]
    assert len(await webhook_rows(services)) == 1  # queued by the filing itself
    dashboard.fail_next(500)
    assert await box.send() == 0
    assert dashboard.events() == []
    clock.advance(timedelta(minutes=5))
    assert await box.send() == 1
    assert await box.send() == 0  # nothing is sent twice
    [event] = dashboard.events()
    assert (event["event"], event["complaint"]["tracking_code"]) == ("complaint.created", code)
    assert event["complaint"]["status"] == "assigned"
    attempts = await hooks.deliveries(services)
    assert [a["status_code"] for a in attempts] == [200, 500]
    assert {a["event_id"] for a in attempts} == {event["id"]}


async def test_the_delivery_log_forgets_attempts_after_ninety_days(
    client, services, box, dashboard, clock
):
    await file(client)
    dashboard.fail_next(500)
    await box.send()  # the 500, on day 0
    clock.advance(timedelta(days=60))
    await box.send()  # the 200, on day 60
    clock.advance(timedelta(days=31))  # day 91: the first attempt is older than ninety days
    assert await hooks.prune_deliveries(services) == 1
    assert [a["status_code"] for a in await hooks.deliveries(services)] == [200]
    assert await hooks.prune_deliveries(services) == 0


async def test_the_admin_sees_every_attempt_in_the_delivery_log(
    client, services, box, dashboard, clock, accounts
):
    await file(client)
    dashboard.fail_next(500)
    await box.send()
    clock.advance(timedelta(minutes=5))
    await box.send()
    await give_passwords(services, accounts)
    await login(client, "admin")
    page = await (await client.get("/petugas/admin/webhook")).text()
    assert "dasbor-kota" in page
    assert page.count('<tr class="attempt">') == 2
    assert "HTTP 500" in page


async def test_a_status_change_goes_out_without_personal_data(
    client, services, box, dashboard, accounts
):
    code = (await file(client, category=None))["tracking_code"]
    verified = await act(client, code, accounts["desk"], "verify", category="jalan")
    assert verified.status == 200
    await box.send()
    created, changed = dashboard.events()
    assert changed["event"] == "complaint.status_changed"
    assert (changed["from_status"], changed["complaint"]["status"]) == ("received", "assigned")
    assert changed["complaint"]["agency"] == "DPUPR"
    sent = json.dumps([created, changed])
    for personal in ("Siti", "081234567890", "siti.r@contoh.id", "berlubang", "-6.2383"):
        assert personal not in sent


async def test_the_place_a_citizen_typed_goes_out_as_the_public_reads_it(
    client, services, box, dashboard, accounts
):
    """kelurahan and kecamatan are typed by the citizen: a number in them is hidden, as on
    every public answer (privacy.redact_place)."""
    location = {**VALID["location"], "kelurahan": "Margahayu RT 3 hub 081298765432"}
    code = (await file(client, category=None, location=location))["tracking_code"]
    assert (await act(client, code, accounts["desk"], "verify", category="jalan")).status == 200
    await box.send()
    created, changed = dashboard.events()
    for event in (created, changed):
        assert "081298765432" not in json.dumps(event)
        assert event["complaint"]["kelurahan"].startswith("Margahayu RT 3")
        assert event["complaint"]["kecamatan"] == "Bekasi Timur"


async def test_a_status_change_wakes_the_outbox_as_a_filing_does(
    client, services, accounts, dashboard, database_url
):
    """The event is queued as every outbox message is (outbox.enqueue_many): with the NOTIFY
    that wakes the dispatchers, not left for their next poll."""
    code = (await file(client, category=None))["tracking_code"]
    woken: list[str] = []
    listener = await asyncpg.connect(database_url)
    try:
        await listener.add_listener("lapor_outbox", lambda *args: woken.append(args[-1]))
        verified = await act(client, code, accounts["desk"], "verify", category="jalan")
        assert verified.status == 200
        await listener.execute("SELECT 1")  # the notifications of committed work have come
        await asyncio.sleep(0.05)
    finally:
        await listener.close()
    assert "webhook" in woken
    rows = await webhook_rows(services)
    assert [r["kind"] for r in rows] == ["complaint.created", "complaint.status_changed"]
    assert rows[-1]["dedupe_key"].startswith("webhook:")


async def test_a_rahasia_complaint_raises_no_event(client, services, accounts, dashboard):
    code = (await file(client, rahasia=True, category=None))["tracking_code"]
    await act(client, code, accounts["desk"], "verify", category="jalan")
    assert await webhook_rows(services) == []


async def test_the_created_event_commits_and_rolls_back_with_the_filing(
    client, services, dashboard
):
    from lapor.complaints import filing, parse_intake

    intake = parse_intake(VALID, channel="web", category_codes=list(services.city.categories))
    # A filing whose transaction never commits (the process dies before COMMIT) leaves
    # neither the complaint nor its event.
    async with services.pool.acquire() as conn:
        with pytest.raises(RuntimeError):
            async with conn.transaction():
                await filing._file(services, conn, intake, None, None)
                raise RuntimeError("crash before the commit")
    assert await webhook_rows(services) == []
    await file(client)
    [row] = await webhook_rows(services)
    async with services.pool.acquire() as conn:
        complaint = await conn.fetchrow("SELECT id, created_at FROM complaint")
    assert (row["complaint_id"], row["created_at"]) == (complaint["id"], complaint["created_at"])


async def test_a_revoked_subscriber_gets_nothing_more(client, services, box, dashboard):
    await hooks.revoke(services, "dasbor-kota")
    await file(client, text=VALID["text"] + " Sudah seminggu.")
    assert await webhook_rows(services) == []


async def test_the_cli_adds_lists_and_revokes_subscribers(run_lapor):
    code, out, _ = await run_lapor("webhooks", "add", "dasbor", "https://dasbor.kota.go.id/hook")
    assert code == 0 and "signing secret" in out
    code, out, _ = await run_lapor("webhooks", "list")
    assert "dasbor" in out and "live" in out
    assert (await run_lapor("webhooks", "revoke", "dasbor"))[0] == 0
    assert "revoked" in (await run_lapor("webhooks", "list"))[1]
    assert (await run_lapor("webhooks", "revoke", "dasbor"))[0] != 0


async def test_an_automatic_close_is_a_status_change_too(
    client, services, accounts, dashboard, clock
):
    from lapor import sla

    code = (await file(client))["tracking_code"]
    resolved = await act(client, code, accounts["dpupr"], "resolve", note="Sudah ditambal.")
    assert resolved.status == 200
    clock.advance(timedelta(days=40))
    assert await sla.auto_close(services) == 1
    last = (await webhook_rows(services))[-1]
    assert last["kind"] == "complaint.status_changed"
    assert (last["payload"]["from_status"], last["payload"]["complaint"]["status"]) == (
        "resolved",
        "closed",
    )
