from datetime import timedelta

from lifecycle_helpers import act, file


async def set_due(services, code: str, due) -> None:
    async with services.pool.acquire() as conn:
        await conn.execute("UPDATE complaint SET due_at = $2 WHERE tracking_code = $1", code, due)


async def codes(client, account, **params) -> list[str]:
    response = await client.get("/api/v1/queue", params=params, headers=account.headers)
    assert response.status == 200, await response.text()
    return [item["tracking_code"] for item in (await response.json())["items"]]


async def test_the_queue_orders_by_deadline_then_age(client, services, accounts, clock):
    made = []
    for _ in range(4):
        made.append((await file(client))["tracking_code"])
        clock.advance(timedelta(minutes=5))
    late, soon = made[2], made[3]
    await set_due(services, late, clock.now() + timedelta(days=3))
    await set_due(services, soon, clock.now() + timedelta(days=1))
    assert await codes(client, accounts["dpupr"]) == [soon, late, made[0], made[1]]


async def test_an_officer_sees_only_the_open_complaints_of_their_agency(client, accounts):
    ours = (await file(client))["tracking_code"]
    theirs = (await file(client, category="sampah"))["tracking_code"]
    done = (await file(client))["tracking_code"]
    await act(client, done, accounts["dpupr"], "resolve", note="Beres.")
    assert await codes(client, accounts["dpupr"]) == [ours]
    assert await codes(client, accounts["dlh"]) == [theirs]
    forbidden = await client.get(
        "/api/v1/queue", params={"agency": "DLH"}, headers=accounts["dpupr"].headers
    )
    assert forbidden.status == 403


async def test_the_desk_sees_what_waits_for_verification(client, accounts):
    waiting = (await file(client, category=None))["tracking_code"]
    await file(client)
    assert await codes(client, accounts["desk"]) == [waiting]
    assert set(await codes(client, accounts["admin"])) >= {waiting}


async def test_the_cursor_walks_the_whole_queue_without_repeats(client, accounts, clock):
    made = []
    for _ in range(7):
        made.append((await file(client))["tracking_code"])
        clock.advance(timedelta(minutes=1))
    seen, cursor = [], None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        body = await (
            await client.get("/api/v1/queue", params=params, headers=accounts["dpupr"].headers)
        ).json()
        seen += [item["tracking_code"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == made


async def test_queue_filters_and_their_errors(client, accounts):
    await file(client)
    await file(client, category="drainase")
    only = await codes(client, accounts["dpupr"], category="drainase")
    assert len(only) == 1
    for params, field in (
        ({"category": "nope"}, "category"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"status": "closed"}, "status"),
    ):
        response = await client.get(
            "/api/v1/queue", params=params, headers=accounts["dpupr"].headers
        )
        assert response.status == 422
        assert (await response.json())["errors"][0]["field"] == field


async def test_the_queue_needs_an_officer_token(client):
    assert (await client.get("/api/v1/queue")).status == 401
    bad = await client.get(
        "/api/v1/queue", headers={"Authorization": "Bearer lpo_not-a-real-token"}
    )
    assert bad.status == 401
