"""Bring a complaint to any status through the API, the way officers would."""

from __future__ import annotations

from datetime import timedelta

from helpers import VALID

from lapor import auth, lifecycle, surveys


async def file(client, **overrides) -> dict:
    response = await client.post("/api/v1/complaints", json={**VALID, **overrides})
    assert response.status == 201, await response.text()
    return await response.json()


async def act(client, code: str, account, action: str, **fields):
    return await client.post(
        f"/api/v1/complaints/{code}/actions",
        json={"action": action, **fields},
        headers=account.headers,
    )


async def complaint_in(client, accounts, status: str) -> str:
    if status in ("received", "rejected", "forwarded"):
        code = (await file(client, category=None))["tracking_code"]
        if status == "rejected":
            assert (
                await act(client, code, accounts["desk"], "reject", note="Bukan urusan kota.")
            ).status == 200
        if status == "forwarded":  # to the province, by e-mail ([external.PROV])
            forwarded = await act(
                client, code, accounts["desk"], "forward", external="PROV", note="Jalan provinsi."
            )
            assert forwarded.status == 200, await forwarded.text()
        return code
    code = (await file(client))["tracking_code"]  # jalan -> DPUPR, assigned
    officer = accounts["dpupr"]
    if status == "in_progress":
        assert (await act(client, code, officer, "start")).status == 200
    if status in ("resolved", "closed"):
        assert (await act(client, code, officer, "resolve", note="Sudah ditambal.")).status == 200
    if status == "closed":
        assert (await act(client, code, accounts["admin"], "close")).status == 200
    return code


async def resolve_and_invite(services, clock, code: str) -> None:
    """The city verifies (if needed) and resolves the complaint; an hour later the
    satisfaction survey goes out to its reporter."""
    async with services.pool.acquire() as conn:
        admin = await auth.create_officer(conn, "admin", "Admin Kota", "admin", None)
        status = await conn.fetchval("SELECT status FROM complaint WHERE tracking_code = $1", code)
    if status == "received":
        verify = lifecycle.ActionRequest("verify", agency="DPUPR", category="jalan")
        await lifecycle.act(services, code, verify, officer=admin)
    resolve = lifecycle.ActionRequest("resolve", note="Lubang sudah ditambal.")
    await lifecycle.act(services, code, resolve, officer=admin)
    clock.advance(timedelta(hours=1, minutes=1))
    assert await surveys.send_due_surveys(services) == 1
