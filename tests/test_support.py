"""One incident, many reporters (issue 17 §3): similar open complaints offered at intake,
supporting one ("Saya juga mengalami"), its supporters told of every public change, merge
moving reporter and supporters, the queue sorted by support, supporters' contacts erased."""

from __future__ import annotations

import asyncio

import pytest
from helpers import VALID
from lifecycle_helpers import act
from pydantic import ValidationError

from lapor import erasure, support
from lapor.city import load_city
from lapor.city.schema import DuplicatesSection
from lapor.web.keys import SERVICES

TEXT = VALID["text"]  # "Jalan di depan sekolah berlubang besar dan membahayakan pengendara motor."
ALIKE = "Jalan depan sekolah berlubang besar, membahayakan pengendara motor"
UNALIKE = "Aspal mengelupas parah di tikungan dekat pasar induk, truk sering tergelincir."
LAT, LON = VALID["location"]["lat"], VALID["location"]["lon"]


@pytest.fixture
def web(immediate_client):
    """The API of a city that publishes at intake: a new complaint is a candidate at once."""
    return immediate_client


@pytest.fixture
def svc(immediate_client):
    return immediate_client.app[SERVICES]


async def file(web, **overrides) -> str:
    response = await web.post("/api/v1/complaints", json={**VALID, **overrides})
    assert response.status == 201, await response.text()
    return (await response.json())["tracking_code"]


async def similar(web, text=ALIKE, lat=LAT, lon=LON, category="jalan") -> list[dict]:
    query = {"text": text, "lat": str(lat), "lon": str(lon)}
    if category:
        query["category"] = category
    response = await web.get("/api/v1/complaints/similar", params=query)
    assert response.status == 200, await response.text()
    return (await response.json())["items"]


async def orphan_contacts(svc) -> int:
    """Reporter rows (personal data) tied to no complaint and no support: erasure by
    retention, which goes by complaint, would never reach them."""
    async with svc.pool.acquire() as conn:
        return await conn.fetchval(
            """SELECT count(*) FROM reporter r
               WHERE NOT EXISTS (SELECT 1 FROM complaint c WHERE c.reporter_id = r.id)
                 AND NOT EXISTS (SELECT 1 FROM complaint_supporter s WHERE s.reporter_id = r.id)"""
        )


async def complaint_id(svc, code: str) -> int:
    async with svc.pool.acquire() as conn:
        return await conn.fetchval("SELECT id FROM complaint WHERE tracking_code = $1", code)


async def test_a_near_and_alike_open_complaint_is_offered_with_public_words_only(web):
    code = await file(web)
    raw = await web.get(
        "/api/v1/complaints/similar",
        params={"text": ALIKE, "lat": str(LAT + 0.001), "lon": str(LON), "category": "jalan"},
    )
    items = (await raw.json())["items"]
    assert [item["tracking_code"] for item in items] == [code]
    (item,) = items
    assert 100 <= item["distance_m"] <= 125  # 0.001 degree of latitude: about 111 m
    assert item["support_count"] == 0 and item["similarity"] >= 0.3
    assert "berlubang" in item["summary"]
    text = await raw.text()
    for personal in ("Siti", "081234567890", "siti.r@contoh.id", "reporter"):
        assert personal not in text


async def test_a_complaint_outside_the_radius_is_not_offered(web):
    await file(web)
    assert await similar(web, lat=LAT + 0.003) == []  # about 334 m: past radius_m = 250
    assert len(await similar(web, lat=LAT + 0.002)) == 1  # about 223 m: within


async def test_words_below_the_similarity_are_not_offered(web, svc):
    await file(web)
    assert await similar(web, text=UNALIKE) == []
    async with svc.pool.acquire() as conn:  # the threshold, not the data, decides
        score = await conn.fetchval("SELECT public.similarity($1, $2)", TEXT, UNALIKE)
    assert score < svc.city.duplicates.similarity


async def test_another_category_is_not_offered(web):
    await file(web)
    assert await similar(web, category="sampah") == []
    assert len(await similar(web, category=None)) == 1  # no category: the router's, or any


async def test_rahasia_and_closed_complaints_are_never_offered(web, accounts):
    await file(web, rahasia=True)
    closed = await file(web)
    assert (await act(web, closed, accounts["dpupr"], "resolve", note="Sudah.")).status == 200
    assert await similar(web) == []


async def test_support_counts_once_per_person_and_key(web, svc):
    code = await file(web)
    body = {"reporter": {"phone": "0812 9999 0000"}}
    first = await web.post(
        f"/api/v1/complaints/{code}/support", json=body, headers={"Idempotency-Key": "k-1"}
    )
    assert first.status == 201, await first.text()
    answer = await first.json()
    assert (answer["support_count"], answer["following"], answer["replayed"]) == (1, True, False)
    assert "0812" not in await first.text()
    again = await web.post(
        f"/api/v1/complaints/{code}/support", json=body, headers={"Idempotency-Key": "k-1"}
    )
    assert (await again.json())["replayed"] is True
    assert again.headers.get("Idempotent-Replayed") == "true"  # the same key: a replay
    # The same person, written another way, with another key: still one support.
    other_key = await web.post(
        f"/api/v1/complaints/{code}/support",
        json={"reporter": {"phone": "+62 812-9999-0000"}},
        headers={"Idempotency-Key": "k-2"},
    )
    assert (await other_key.json())["support_count"] == 1
    # The key with another body is refused, as filing refuses it.
    reused = await web.post(
        f"/api/v1/complaints/{code}/support",
        json={"reporter": {"email": "lain@contoh.id"}},
        headers={"Idempotency-Key": "k-1"},
    )
    assert reused.status == 422
    async with svc.pool.acquire() as conn:
        assert len(await support.supporters(conn, await complaint_id(svc, code))) == 1
    assert (await similar(web))[0]["support_count"] == 1


async def test_an_idempotency_key_too_long_or_empty_is_refused(web):
    code = await file(web)
    for key in ("k" * 201, ""):
        response = await web.post(
            f"/api/v1/complaints/{code}/support", json={}, headers={"Idempotency-Key": key}
        )
        assert response.status == 422, key
        assert (await response.json())["errors"][0]["field"] == "Idempotency-Key"


async def test_the_reporter_supporting_their_own_complaint_adds_nothing(web):
    code = await file(web)
    own = await web.post(
        f"/api/v1/complaints/{code}/support", json={"reporter": {"phone": "081234567890"}}
    )
    assert (await own.json())["support_count"] == 0


async def test_the_reporters_contact_answers_as_a_supporters_does(web):
    # A stranger trying a phone number against a public complaint learns only that it is
    # known (reporter or supporter alike): the status, headers and body are the same.
    code = await file(web)  # VALID's reporter: 081234567890
    known = {"reporter": {"phone": "0813 5555 0101"}}
    url = f"/api/v1/complaints/{code}/support"
    assert (await web.post(url, json=known, headers={"Idempotency-Key": "s-1"})).status == 201
    answers = []
    for number, key in (("081234567890", "try-1"), ("0813 5555 0101", "try-2")):
        response = await web.post(
            url, json={"reporter": {"phone": number}}, headers={"Idempotency-Key": key}
        )
        answers.append((response.status, response.headers.get("Idempotent-Replayed"),
                        await response.json()))  # fmt: skip
    assert answers[0] == answers[1]
    assert answers[0][1] is None and answers[0][2]["replayed"] is True


async def test_trying_contacts_against_a_complaint_is_rate_limited(
    immediate_settings, clock, aiohttp_client
):
    """Whether a contact is the reporter's (or a supporter's) shows in the answer, so every
    try counts against the address's limit, not only those that add a support: nobody may
    test phone numbers against a public complaint to learn who reported it."""
    from lapor.web.app import create_app

    city = load_city(immediate_settings.city)  # the file's limits: ten filings an hour
    web = await aiohttp_client(create_app(immediate_settings, clock=clock, city=city))
    code = await file(web)  # one of the ten
    statuses = []
    for _ in range(10):
        own = await web.post(
            f"/api/v1/complaints/{code}/support", json={"reporter": {"phone": "081234567890"}}
        )
        statuses.append(own.status)
    assert statuses[:9] == [201] * 9
    assert statuses[-1] == 429


async def test_support_of_an_unknown_rahasia_or_closed_complaint_is_refused(web, accounts):
    secret = await file(web, rahasia=True)
    closed = await file(web)
    assert (await act(web, closed, accounts["dpupr"], "resolve", note="Sudah.")).status == 200
    unknown = await web.post("/api/v1/complaints/ABCDEFGHJK/support", json={})
    assert unknown.status in (400, 404)
    hidden = await web.post(f"/api/v1/complaints/{secret}/support", json={})
    assert hidden.status == 404
    assert (await web.post(f"/api/v1/complaints/{closed}/support", json={})).status == 409


async def outbox(svc, code: str) -> list[dict]:
    async with svc.pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT o.channel, o.recipient, o.payload->>'text' AS text FROM outbox o
               JOIN complaint c ON c.id = o.complaint_id
               WHERE c.tracking_code = $1 AND o.kind = 'status' ORDER BY o.id""",
            code,
        )
    return [dict(row) for row in rows]


async def test_supporters_on_telegram_and_whatsapp_hear_of_the_resolution(web, svc, accounts):
    code = await file(web)
    await support.support(svc, code, support.Contact(chat_id="5550001"), "telegram")
    await support.support(svc, code, support.Contact(chat_id="6281377770000"), "whatsapp")
    response = await act(web, code, accounts["dpupr"], "resolve", note="Lubang sudah ditambal.")
    assert response.status == 200
    sent = {(m["channel"], m["recipient"]): m["text"] for m in await outbox(svc, code)}
    for chat in (("telegram", "5550001"), ("whatsapp", "6281377770000")):
        assert "Lubang sudah ditambal." in sent[chat]
        assert sent[chat].startswith("Kabar laporan yang Anda dukung")
    assert len(sent) == 3  # and the reporter, once


async def test_a_merge_makes_the_duplicates_reporter_and_supporters_follow_the_original(
    web, svc, accounts
):
    original = await file(web)
    duplicate = await file(
        web, reporter={"name": "Budi", "email": "budi@contoh.id"}, text=ALIKE + " sekali."
    )
    await support.support(svc, duplicate, support.Contact(chat_id="7770001"), "telegram")
    # Someone who supports both is counted once on the original.
    await support.support(svc, original, support.Contact(chat_id="7770001"), "telegram")
    response = await act(web, duplicate, accounts["dpupr"], "merge", duplicate_of=original)
    assert response.status == 200, await response.text()
    async with svc.pool.acquire() as conn:
        people = await support.supporters(conn, await complaint_id(svc, original))
        count = await conn.fetchval(
            "SELECT support_count FROM complaint WHERE tracking_code = $1", original
        )
    assert [(p["source"], p["channel"], p["chat_id"] or p["email"]) for p in people] == [
        ("support", "telegram", "7770001"),
        ("merged", "web", "budi@contoh.id"),
    ]
    assert count == 2
    assert await orphan_contacts(svc) == 0  # the one supporting both: no copy left behind
    await act(web, original, accounts["dpupr"], "start")
    recipients = {m["recipient"] for m in await outbox(svc, original)}
    assert {"7770001", "budi@contoh.id"} <= recipients


async def test_a_merge_into_a_rahasia_complaint_makes_nobody_follow_it(web, svc, accounts):
    """The merge's public note hides a rahasia original's code; its notices must not carry it
    to the duplicate's reporter and supporters, strangers to the original's reporter."""
    original = await file(web, rahasia=True)
    duplicate = await file(
        web, reporter={"name": "Budi", "email": "budi@contoh.id"}, text=ALIKE + " sekali."
    )
    await support.support(svc, duplicate, support.Contact(chat_id="7770002"), "telegram")
    response = await act(web, duplicate, accounts["dpupr"], "merge", duplicate_of=original)
    assert response.status == 200, await response.text()
    async with svc.pool.acquire() as conn:
        assert await support.supporters(conn, await complaint_id(svc, original)) == []
        count = await conn.fetchval(
            "SELECT support_count FROM complaint WHERE tracking_code = $1", original
        )
    assert count == 0
    await act(web, original, accounts["dpupr"], "start")
    recipients = {m["recipient"] for m in await outbox(svc, original)}
    assert not {"7770002", "budi@contoh.id"} & recipients


async def test_the_queue_sorts_by_support_page_by_page(web, svc, accounts):
    codes = [await file(web) for _ in range(3)]
    for number, code in enumerate(codes):
        for person in range(number):  # 0, 1 and 2 supporters
            contact = support.Contact(chat_id=f"99{number}{person}")
            await support.support(svc, code, contact, "telegram")
    seen, cursor = [], None
    while True:
        query = {"sort": "support", "limit": "1", **({"cursor": cursor} if cursor else {})}
        page = await web.get("/api/v1/queue", params=query, headers=accounts["dpupr"].headers)
        body = await page.json()
        assert page.status == 200, body
        seen += [(item["tracking_code"], item["support_count"]) for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [(codes[2], 2), (codes[1], 1), (codes[0], 0)]
    bad = await web.get(
        "/api/v1/queue",
        params={"sort": "support", "cursor": "xyz"},
        headers=accounts["dpupr"].headers,
    )
    assert bad.status == 422


async def test_a_supporters_contact_is_erased_with_the_complaints_reporter(web, svc, accounts):
    code = await file(web)
    await support.support(svc, code, support.Contact(phone="081355550000"), "web")
    async with svc.pool.acquire() as conn, conn.transaction():
        await erasure.erase_complaint(
            conn, await complaint_id(svc, code), svc.clock.now(), "request", "uji"
        )
    async with svc.pool.acquire() as conn:
        (person,) = await support.supporters(conn, await complaint_id(svc, code))
    assert (person["phone"], person["email"], person["chat_id"]) == (None, None, None)


async def test_a_person_asking_for_erasure_erases_their_support(web, svc):
    code = await file(web)
    await support.support(svc, code, support.Contact(email="Ani@Contoh.id"), "web")
    exported = await erasure.export_person(svc, erasure.Person(email="ani@contoh.id"))
    assert [row["tracking_code"] for row in exported["supported"]] == [code]
    await erasure.erase_person(svc, erasure.Person(email="ani@contoh.id"))
    async with svc.pool.acquire() as conn:
        (person,) = await support.supporters(conn, await complaint_id(svc, code))
    assert person["email"] is None


async def test_the_same_support_sent_many_times_at_once_counts_once(web, svc):
    code = await file(web)

    async def send(key: str):
        return await web.post(
            f"/api/v1/complaints/{code}/support", headers={"Idempotency-Key": key}
        )

    answers = await asyncio.gather(*(send("sama") for _ in range(5)))
    assert {answer.status for answer in answers} == {201}
    async with svc.pool.acquire() as conn:
        count = await conn.fetchval(
            "SELECT support_count FROM complaint WHERE tracking_code = $1", code
        )
        rows = await conn.fetchval("SELECT count(*) FROM complaint_supporter")
    assert (count, rows) == (1, 1)
    assert await orphan_contacts(svc) == 0


def test_the_city_file_refuses_a_radius_or_similarity_out_of_range():
    assert DuplicatesSection().radius_m == 250
    for wrong in ({"radius_m": 0}, {"radius_m": 9000}, {"similarity": 0}, {"similarity": 1.5}):
        with pytest.raises(ValidationError):
            DuplicatesSection(**wrong)
