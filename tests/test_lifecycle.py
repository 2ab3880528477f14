import pytest
from lifecycle_helpers import act, complaint_in, file

from lapor.auth import Officer
from lapor.lifecycle import MOVES, STATUSES, allowed_actions, allowed_moves

FIELDS = {
    "verify": {"category": "sampah"},
    "transfer": {"agency": "DLH"},
    "respond": {"note": "Sedang kami tangani."},
    "resolve": {"note": "Sudah selesai diperbaiki."},
    "reject": {"note": "Laporan tidak jelas."},
    "set_priority": {"priority": "tinggi"},
    "forward": {"external": "PROV", "note": "Jalan provinsi, bukan jalan kota."},
    "recall": {"note": "Provinsi menjawab: jalan ini jalan kota."},
}


async def event_count(services) -> int:
    async with services.pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM complaint_event")


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(MOVES))
async def test_every_move_is_allowed_exactly_where_the_table_says(
    client, services, accounts, status, action
):
    code = await complaint_in(client, accounts, status)
    fields = FIELDS.get(action, {})
    if action == "merge":  # a merge names the original it duplicates
        fields = {"duplicate_of": (await file(client))["tracking_code"]}
    events_before = await event_count(services)
    response = await act(client, code, accounts["admin"], action, **fields)
    body = await response.json()
    move = MOVES[action]
    if status in move.sources:
        assert response.status == 200, body
        assert body["status"] == (move.target or status)
        assert body["timeline"][-1]["kind"] == action
        # A merge writes one more, on the original: the officers-only `merged_in`.
        assert await event_count(services) == events_before + (2 if action == "merge" else 1)
    else:
        assert response.status == 409, body
        assert body["allowed_actions"] == allowed_actions(status)
        assert body["errors"][0]["field"] == "action"
        assert await event_count(services) == events_before


async def test_verify_routes_to_the_agency_of_the_chosen_category(client, accounts):
    code = await complaint_in(client, accounts, "received")
    body = await (await act(client, code, accounts["desk"], "verify", category="sampah")).json()
    assert (body["status"], body["agency"]["code"], body["category"]["code"]) == (
        "assigned",
        "DLH",
        "sampah",
    )


async def test_an_officer_of_another_agency_gets_403_and_nothing_changes(
    client, services, accounts
):
    code = await complaint_in(client, accounts, "assigned")  # at DPUPR
    before = await event_count(services)
    for action in ("start", "resolve", "transfer"):
        response = await act(client, code, accounts["dlh"], action, note="x", agency="DLH")
        assert response.status == 403
    full = await client.get(f"/api/v1/complaints/{code}/full", headers=accounts["dlh"].headers)
    assert full.status == 403
    assert await event_count(services) == before


async def test_an_agency_officer_cannot_verify_at_the_desk(client, accounts):
    code = await complaint_in(client, accounts, "received")
    assert (await act(client, code, accounts["dpupr"], "verify", agency="DPUPR")).status == 403


async def test_a_transfer_hands_the_complaint_to_the_other_agency(client, accounts):
    code = await complaint_in(client, accounts, "assigned")
    response = await act(
        client, code, accounts["dpupr"], "transfer", agency="DLH", internal_note="Ini sampah"
    )
    assert response.status == 200
    assert (await act(client, code, accounts["dpupr"], "start")).status == 403
    body = await (await act(client, code, accounts["dlh"], "start")).json()
    assert (body["status"], body["agency"]["code"]) == ("in_progress", "DLH")


async def test_transfer_to_the_same_agency_is_refused(client, accounts):
    code = await complaint_in(client, accounts, "assigned")
    response = await act(client, code, accounts["dpupr"], "transfer", agency="DPUPR")
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "agency"


async def test_bukan_wewenang_sends_it_back_to_the_desk(client, accounts):
    code = await complaint_in(client, accounts, "in_progress")
    body = await (await act(client, code, accounts["dpupr"], "not_ours")).json()
    assert (body["status"], body["agency"]) == ("received", None)
    desk = await (await client.get("/api/v1/queue", headers=accounts["desk"].headers)).json()
    assert code in [item["tracking_code"] for item in desk["items"]]
    mine = await (await client.get("/api/v1/queue", headers=accounts["dpupr"].headers)).json()
    assert code not in [item["tracking_code"] for item in mine["items"]]


async def test_the_reporter_closes_or_reopens_with_the_access_token(client, accounts):
    filed = await file(client)
    code, token = filed["tracking_code"], filed["access_token"]
    await act(client, code, accounts["dpupr"], "resolve", note="Sudah ditambal.")
    as_reporter = {"Authorization": f"Bearer {token}"}
    response = await client.post(
        f"/api/v1/complaints/{code}/actions", json={"action": "reopen"}, headers=as_reporter
    )
    body = await response.json()
    assert (response.status, body["status"]) == (200, "assigned")
    assert "reporter" not in body  # the reporter gets the public view back
    start = await client.post(
        f"/api/v1/complaints/{code}/actions", json={"action": "start"}, headers=as_reporter
    )
    assert start.status == 403


async def test_another_complaints_token_or_no_token_cannot_act(client, accounts):
    first, second = await file(client), await file(client)
    await act(client, first["tracking_code"], accounts["dpupr"], "resolve", note="Selesai.")
    wrong = {"Authorization": f"Bearer {second['access_token']}"}
    url = f"/api/v1/complaints/{first['tracking_code']}/actions"
    assert (await client.post(url, json={"action": "close"}, headers=wrong)).status == 403
    assert (await client.post(url, json={"action": "close"})).status == 401


@pytest.mark.parametrize("action", ["resolve", "respond", "reject"])
async def test_moves_that_answer_the_citizen_need_a_note(client, accounts, action):
    status = "received" if action == "reject" else "assigned"
    code = await complaint_in(client, accounts, status)
    response = await act(client, code, accounts["admin"], action, note="   ")
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "note"


async def test_an_unknown_action_names_the_field(client, accounts):
    code = await complaint_in(client, accounts, "assigned")
    response = await act(client, code, accounts["admin"], "teleport")
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "action"


async def test_reopen_starts_the_agency_clock_again(client, services, accounts, clock):
    from datetime import timedelta

    code = await complaint_in(client, accounts, "resolved")
    clock.advance(timedelta(days=2))
    await act(client, code, accounts["admin"], "reopen")
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT assigned_at, responded_at, resolved_at FROM complaint WHERE tracking_code = $1",
            code,
        )
    assert row["assigned_at"] == clock.now()
    assert row["responded_at"] is None and row["resolved_at"] is None


def test_the_moves_an_officer_may_make_follow_their_role_and_the_complaints_agency():
    def officer(role: str, agency: str | None) -> Officer:
        return Officer(1, role, role, role, agency)

    dpupr, desk, admin = (
        officer("officer", "DPUPR"),
        officer("verifier", None),
        officer("admin", None),
    )
    assert allowed_moves(dpupr, "assigned", "DPUPR") == [
        "transfer",
        "start",
        "respond",
        "resolve",
        "not_ours",
        "merge",
        "set_priority",
        "forward",
    ]
    assert allowed_moves(dpupr, "assigned", "DLH") == []  # another agency's complaint
    assert allowed_moves(dpupr, "received", None) == []  # at the desk
    assert allowed_moves(desk, "received", None) == [
        "verify",
        "reject",
        "merge",
        "set_priority",
        "forward",
    ]
    assert allowed_moves(admin, "forwarded", None) == ["recall"]  # the city takes it back
    assert allowed_moves(desk, "forwarded", None) == ["recall"]
    assert allowed_moves(dpupr, "forwarded", None) == []
    assert allowed_moves(admin, "resolved", "DPUPR") == ["reopen", "close"]
    assert allowed_moves(dpupr, "resolved", "DPUPR") == []
    for status in STATUSES:  # the admin may make every move the status allows
        assert allowed_moves(admin, status, "DPUPR") == allowed_actions(status)
