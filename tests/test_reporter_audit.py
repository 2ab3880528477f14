"""Officers who are shown a reporter's identity leave a trace (sql/012_audit.sql) that the
admin reads on the complaint."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from lifecycle_helpers import file
from officer_helpers import give_passwords, login


async def identity_views(services, code: str) -> list[tuple[str, object, list[str]]]:
    async with services.pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT o.username, v.viewed_at, v.fields
               FROM identity_view v JOIN complaint c ON c.id = v.complaint_id
               JOIN officer o ON o.id = v.officer_id
               WHERE c.tracking_code = $1 ORDER BY v.id""",
            code,
        )
    return [(r["username"], r["viewed_at"], list(r["fields"])) for r in rows]


async def full(client, code: str, account):
    response = await client.get(f"/api/v1/complaints/{code}/full", headers=account.headers)
    assert response.status == 200
    return await response.json()


async def test_viewing_a_named_reporter_leaves_one_event_per_officer_per_hour(
    client, services, clock, accounts
):
    code = (await file(client, anonim=False))["tracking_code"]
    await full(client, code, accounts["dpupr"])
    clock.advance(timedelta(minutes=59))
    await full(client, code, accounts["dpupr"])  # a reload: the same look
    await full(client, code, accounts["desk"])  # another officer: their own trace
    clock.advance(timedelta(minutes=2))
    await full(client, code, accounts["dpupr"])  # over an hour since the first: a new one
    views = await identity_views(services, code)
    assert [who for who, _, _ in views] == ["dpupr", "desk", "dpupr"]
    assert views[0][1] == clock.now() - timedelta(minutes=61)
    assert views[0][2] == ["name", "phone", "email"]


async def test_an_anonim_complaint_and_the_public_leave_no_trace(client, services, accounts):
    hidden = (await file(client, anonim=True))["tracking_code"]
    named = (await file(client, anonim=False))["tracking_code"]
    await full(client, hidden, accounts["dpupr"])
    assert (await client.get(f"/api/v1/complaints/{named}")).status == 200
    assert await identity_views(services, hidden) == []
    assert await identity_views(services, named) == []


async def test_the_admin_reads_who_looked_on_the_complaint(client, accounts):
    code = (await file(client, anonim=False))["tracking_code"]
    await full(client, code, accounts["dpupr"])
    looked = (await full(client, code, accounts["admin"]))["identity_views"]
    assert [v["officer"] for v in looked] == ["Petugas PUPR", "Admin Kota"]
    assert looked[0]["fields"] == ["name", "phone", "email"]
    # Only the admin reads the trail; nothing of it reaches the public.
    assert "identity_views" not in await full(client, code, accounts["dpupr"])
    public = await client.get(f"/api/v1/complaints/{code}")
    assert "identity_views" not in await public.json()


async def test_the_officer_complaint_page_leaves_the_trace_too(client, services, accounts):
    await give_passwords(services, accounts)
    code = (await file(client, anonim=False))["tracking_code"]
    assert (await login(client, "dpupr")).status == 303
    assert (await client.get(f"/petugas/laporan/{code}")).status == 200
    assert [who for who, _, _ in await identity_views(services, code)] == ["dpupr"]
    client.session.cookie_jar.clear()
    assert (await login(client, "admin")).status == 303
    page = await (await client.get(f"/petugas/laporan/{code}")).text()
    assert "Identitas pelapor dilihat" in page and "Petugas PUPR (name, phone, email)" in page


async def test_simultaneous_views_leave_one_event(client, services, accounts):
    code = (await file(client, anonim=False))["tracking_code"]
    await asyncio.gather(*(full(client, code, accounts["dpupr"]) for _ in range(6)))
    assert len(await identity_views(services, code)) == 1
