"""The report form's step for similar open reports (no JavaScript): after Kirim, the open reports
near the point that say much the same, each with "Saya juga mengalami"; "Tetap laporkan baru"
sends the form, its text kept, as a new report. The status page shows the support count."""

from __future__ import annotations

import re

from helpers import VALID
from officer_helpers import give_passwords, login
from test_pages_public_http import GOOD, csrf_token, report_form, send

from lapor import support
from lapor.web.keys import SERVICES

ACTION = re.compile(r'action="/dukung/([0-9A-Z]+)"')


async def complaints(client) -> int:
    async with client.app[SERVICES].pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM complaint")


async def test_the_form_offers_a_similar_report_to_support_and_keeps_the_text(immediate_client):
    client = immediate_client  # a city that publishes at intake: the first report is public
    other = {**VALID, "reporter": {"phone": "081399990000"}}
    first = await client.post("/api/v1/complaints", json=other)
    code = (await first.json())["tracking_code"]

    offered = await send(client, {**GOOD, "idempotency_key": "form-key-2"})
    page = await offered.text()
    assert offered.status == 200
    assert "Mungkin sudah dilaporkan" in page
    assert ACTION.findall(page) == [code]
    assert "Saya juga mengalami" in page and "Tetap laporkan baru" in page
    assert f">{GOOD['text']}</textarea>" in page  # the typed text stays in the form
    assert '<input type="hidden" name="lanjut" value="baru">' in page
    assert "081399990000" not in page  # the other reporter's contact never shows
    assert await complaints(client) == 1  # nothing filed yet

    # "Saya juga mengalami": supported with the contact typed in the form, then its page.
    token = await csrf_token(client)
    fields = {"reporter_phone": GOOD["reporter_phone"], "idempotency_key": "dukung-1"}
    supported = await client.post(
        f"/dukung/{code}", data=report_form(token, fields), allow_redirects=False
    )
    assert supported.status == 303
    assert supported.headers["Location"] == f"/lacak/{code}?dukung=1"
    status = await (await client.get(supported.headers["Location"])).text()
    assert "dukungan Anda tercatat" in status and "1 dukungan" in status
    async with client.app[SERVICES].pool.acquire() as conn:
        complaint_id = await conn.fetchval(
            "SELECT id FROM complaint WHERE tracking_code = $1", code
        )
        (person,) = await support.supporters(conn, complaint_id)
    assert (person["channel"], person["phone"]) == ("web", GOOD["reporter_phone"])
    assert await complaints(client) == 1


async def test_report_new_anyway_files_the_form_as_it_was(immediate_client):
    client = immediate_client
    await client.post("/api/v1/complaints", json=VALID)
    offered = await send(client, {**GOOD, "idempotency_key": "form-key-3"})
    assert offered.status == 200 and await complaints(client) == 1
    filed = await send(client, {**GOOD, "idempotency_key": "form-key-3", "lanjut": "baru"})
    assert filed.status == 303 and filed.headers["Location"].startswith("/lacak/")
    assert await complaints(client) == 2


async def test_a_form_with_nothing_alike_nearby_files_at_once(immediate_client):
    client = immediate_client
    await client.post("/api/v1/complaints", json=VALID)
    far = {**GOOD, "lat": "-6.250000", "idempotency_key": "form-key-4"}  # 1.3 km south
    filed = await send(client, far)
    assert filed.status == 303 and await complaints(client) == 2


async def test_officers_see_the_support_count_and_sort_the_queue_by_it(
    immediate_client, services, accounts
):
    client = immediate_client
    quiet = (await (await client.post("/api/v1/complaints", json=VALID)).json())["tracking_code"]
    far = {**VALID, "location": {"lat": -6.25, "lon": 106.9756}}
    loud = (await (await client.post("/api/v1/complaints", json=far)).json())["tracking_code"]
    for chat in ("701", "702"):
        await support.support(services, loud, support.Contact(chat_id=chat), "telegram")
    await give_passwords(services, accounts)
    assert (await login(client, "dpupr")).status == 303
    by_deadline = await (await client.get("/petugas/antrian")).text()
    by_support = await (await client.get("/petugas/antrian?sort=support")).text()
    assert by_deadline.index(quiet) < by_deadline.index(loud)  # the older first
    assert by_support.index(loud) < by_support.index(quiet)
    assert "2 dukungan" in by_support
    page = await (await client.get(f"/petugas/laporan/{loud}")).text()
    assert '<dd id="dukungan">2 dukungan</dd>' in page


async def test_offers_on_the_form_count_as_lookups(immediate_settings, clock, aiohttp_client):
    """The form's offer runs the same search as /api/v1/complaints/similar, and filing is not
    counted until the citizen goes on: each offer is a lookup of the address's limit."""
    from dataclasses import replace
    from datetime import timedelta

    from lapor.city import load_city
    from lapor.ratelimit import Limit
    from lapor.web.app import create_app

    city = load_city(immediate_settings.city)
    city = replace(city, limits=replace(city.limits, lookups_per_address=Limit(2, timedelta(1))))
    client = await aiohttp_client(create_app(immediate_settings, clock=clock, city=city))
    await client.post("/api/v1/complaints", json=VALID)
    statuses = [
        (await send(client, {**GOOD, "idempotency_key": f"form-key-{n}"})).status for n in range(3)
    ]
    assert statuses == [200, 200, 429]


async def test_a_support_form_with_a_nul_in_its_key_is_no_server_error(immediate_client):
    client = immediate_client
    code = (await (await client.post("/api/v1/complaints", json=VALID)).json())["tracking_code"]
    token = await csrf_token(client)
    sent = await client.post(
        f"/dukung/{code}",
        data=report_form(token, {"idempotency_key": "a\x00b"}),
        allow_redirects=False,
    )
    assert sent.status < 500, await sent.text()
