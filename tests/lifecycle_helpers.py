"""Bring a complaint to any status through the API, the way officers would."""

from __future__ import annotations

from helpers import VALID


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
    if status in ("received", "rejected"):
        code = (await file(client, category=None))["tracking_code"]
        if status == "rejected":
            assert (
                await act(client, code, accounts["desk"], "reject", note="Bukan urusan kota.")
            ).status == 200
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
