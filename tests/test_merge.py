"""Merge as duplicate, and proof photos on resolution, through the JSON API."""

from __future__ import annotations

import dataclasses

import aiohttp
import pytest
from helpers import cleaned, png_bytes
from lifecycle_helpers import act, complaint_in, file
from officer_helpers import give_passwords, login

from lapor import tracking
from lapor.city import load_city


async def events(services, code: str) -> int:
    async with services.pool.acquire() as conn:
        return await conn.fetchval(
            """SELECT count(*) FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id
               WHERE c.tracking_code = $1""",
            code,
        )


async def test_a_duplicate_is_closed_with_a_public_note_naming_the_original(
    client, services, accounts
):
    original = (await file(client))["tracking_code"]
    duplicate = (await file(client))["tracking_code"]
    response = await act(client, duplicate, accounts["dpupr"], "merge", duplicate_of=original)
    body = await response.json()
    assert response.status == 200, body
    assert (body["status"], body["duplicate_of"]) == ("closed", original)
    last = body["timeline"][-1]
    assert last["kind"] == "merge"
    assert last["note"] == f"Digabung dengan laporan {tracking.display(original)}."
    assert last["data"]["duplicate_of"] == original
    # The public sees the note and the link, as anyone would on the status page.
    public = await (await client.get(f"/api/v1/complaints/{duplicate}")).json()
    assert public["duplicate_of"] == original
    assert public["timeline"][-1]["note"].startswith("Digabung dengan laporan")
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT d.closed_at, d.due_at, d.agency_code, o.tracking_code AS original
               FROM complaint d JOIN complaint o ON o.id = d.duplicate_of
               WHERE d.tracking_code = $1""",
            duplicate,
        )
    assert row["original"] == original
    assert row["closed_at"] == services.clock.now()
    assert row["due_at"] is None  # no clock runs for a closed complaint
    assert row["agency_code"] == "DPUPR"
    # The original is untouched and still open.
    assert (await (await client.get(f"/api/v1/complaints/{original}")).json())[
        "status"
    ] == "assigned"


async def test_the_originals_team_sees_what_was_merged_into_it_and_the_public_does_not(
    client, accounts
):
    original = (await file(client))["tracking_code"]
    duplicate = (await file(client))["tracking_code"]
    response = await act(
        client,
        duplicate,
        accounts["dpupr"],
        "merge",
        duplicate_of=original,
        internal_note="Lubang yang sama, foto dari sisi lain.",
    )
    assert response.status == 200
    officers = await (
        await client.get(f"/api/v1/complaints/{original}/full", headers=accounts["dpupr"].headers)
    ).json()
    merged_in = [e for e in officers["timeline"] if e["kind"] == "merged_in"]
    assert len(merged_in) == 1, officers["timeline"]
    assert merged_in[0]["data"]["duplicate"] == duplicate
    assert merged_in[0]["internal_note"] == "Lubang yang sama, foto dari sisi lain."
    assert merged_in[0]["note"] is None  # nothing for the public, nothing for its reporter
    assert officers["status"] == "assigned"
    public = await (await client.get(f"/api/v1/complaints/{original}")).json()
    assert "merged_in" not in {e["kind"] for e in public["timeline"]}
    assert duplicate not in str(public)


async def test_a_rahasia_duplicate_is_named_on_the_original_only_to_those_who_may_see_it(
    client, accounts, services
):
    original = (await file(client))["tracking_code"]  # at DPUPR
    secret = (await file(client, category=None, rahasia=True))["tracking_code"]  # at the desk
    response = await act(client, secret, accounts["desk"], "merge", duplicate_of=original)
    assert response.status == 200

    async def merged_in(account) -> dict:
        full = await client.get(f"/api/v1/complaints/{original}/full", headers=account.headers)
        [event] = [e for e in (await full.json())["timeline"] if e["kind"] == "merged_in"]
        return event["data"]

    assert (await merged_in(accounts["desk"]))["duplicate"] == secret
    assert "duplicate" not in await merged_in(accounts["dpupr"])
    # The original's page says a confidential complaint was merged in, and not which.
    await give_passwords(services, accounts)
    assert (await login(client, "dpupr")).status == 303
    page = await (await client.get(f"/petugas/laporan/{original}")).text()
    assert "Duplikat digabungkan ke laporan ini" in page
    assert "laporan rahasia instansi lain" in page
    assert secret not in page and tracking.display(secret) not in page


@pytest.mark.parametrize(
    ("duplicate_of", "message"),
    [
        (None, "isi kode pelacakan"),
        ("", "isi kode pelacakan"),
        ("ABC", "10 huruf/angka"),
        ("SAME", "dirinya sendiri"),
        ("UNKNOWN", "tidak ditemukan"),
    ],
)
async def test_a_merge_needs_another_existing_original(
    client, services, accounts, duplicate_of, message
):
    code = (await file(client))["tracking_code"]
    if duplicate_of == "SAME":
        duplicate_of = tracking.display(code)
    elif duplicate_of == "UNKNOWN":
        duplicate_of = tracking.new_code()
    before = await events(services, code)
    fields = {} if duplicate_of is None else {"duplicate_of": duplicate_of}
    response = await act(client, code, accounts["dpupr"], "merge", **fields)
    body = await response.json()
    assert response.status == 422, body
    assert body["errors"][0]["field"] == "duplicate_of"
    assert message in body["errors"][0]["message"]
    assert await events(services, code) == before
    assert (await (await client.get(f"/api/v1/complaints/{code}")).json())["status"] == "assigned"


async def test_a_merged_complaint_is_no_original_the_merge_names_its_original(client, accounts):
    first, second, third = [(await file(client))["tracking_code"] for _ in range(3)]
    assert (await act(client, second, accounts["dpupr"], "merge", duplicate_of=first)).status == 200
    response = await act(client, third, accounts["dpupr"], "merge", duplicate_of=second)
    body = await response.json()
    assert response.status == 422
    assert tracking.display(first) in body["errors"][0]["message"]


async def test_the_desk_merges_a_complaint_nobody_routed_and_it_stays_with_the_desk(
    client, accounts, services
):
    original = await complaint_in(client, accounts, "assigned")
    waiting = await complaint_in(client, accounts, "received")
    response = await act(client, waiting, accounts["desk"], "merge", duplicate_of=original)
    body = await response.json()
    assert response.status == 200, body
    assert (body["status"], body["agency"]["code"]) == ("closed", services.city.desk_agency)


async def test_only_the_complaints_agency_the_desk_or_the_admin_may_merge(client, accounts):
    original = (await file(client))["tracking_code"]
    code = (await file(client))["tracking_code"]  # at DPUPR
    assert (await act(client, code, accounts["dlh"], "merge", duplicate_of=original)).status == 403
    resolved = await complaint_in(client, accounts, "resolved")
    response = await act(client, resolved, accounts["dpupr"], "merge", duplicate_of=original)
    assert response.status == 409


@pytest.fixture
async def photo_city_client(aiohttp_client, settings, clock):
    from lapor.web.app import create_app

    city = dataclasses.replace(load_city("default"), resolve_requires_photo=True)
    return await aiohttp_client(create_app(settings, clock=clock, city=city))


def action_form(action: str, note: str, photo: bytes | None):
    form = aiohttp.FormData()
    form.add_field("action", action)
    form.add_field("note", note)
    if photo is not None:
        form.add_field("photo", photo, filename="bukti.png", content_type="image/png")
    return form


async def test_a_city_that_asks_for_proof_refuses_a_resolution_without_a_photo(
    photo_city_client, accounts
):
    client = photo_city_client
    code = (await file(client))["tracking_code"]
    response = await act(client, code, accounts["dpupr"], "resolve", note="Sudah ditambal.")
    body = await response.json()
    assert response.status == 422
    assert body["errors"][0]["field"] == "photo"
    proof = png_bytes(seed=9)
    response = await client.post(
        f"/api/v1/complaints/{code}/actions",
        data=action_form("resolve", "Sudah ditambal.", proof),
        headers=accounts["dpupr"].headers,
    )
    body = await response.json()
    assert response.status == 200, body
    assert body["status"] == "resolved"
    (photo,) = [p for p in body["photos"] if p["proof"]]
    assert photo["position"] == 6  # after the reporter's five places
    stored = await client.get(photo["url"], headers=accounts["dpupr"].headers)
    assert await stored.read() == cleaned(proof)


async def test_a_photo_only_goes_with_a_resolution(client, accounts):
    code = (await file(client))["tracking_code"]
    response = await client.post(
        f"/api/v1/complaints/{code}/actions",
        data=action_form("respond", "Kami tinjau.", png_bytes()),
        headers=accounts["dpupr"].headers,
    )
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "photo"
