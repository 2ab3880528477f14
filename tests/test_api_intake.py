import asyncio
import io
import json

import pytest
from helpers import VALID, cleaned, form, jpeg_bytes, png_bytes, row_counts


async def test_a_complaint_with_a_category_is_assigned_to_the_mapped_agency(client):
    response = await client.post("/api/v1/complaints", json=VALID)
    assert response.status == 201
    body = await response.json()
    assert body["status"] == "assigned"
    assert body["category"] == "jalan"
    assert body["agency"] == "DPUPR"
    assert body["status_url"] == f"http://lapor.test/lacak/{body['tracking_code']}"
    assert body["access_token"].startswith("lpr_")
    assert response.headers["Location"] == f"/api/v1/complaints/{body['tracking_code']}"


async def test_a_complaint_without_a_category_waits_at_the_desk(client, services):
    response = await client.post(
        "/api/v1/complaints", json={"text": "Ada masalah di dekat rumah saya, tolong dicek."}
    )
    body = await response.json()
    assert (response.status, body["status"], body["agency"]) == (201, "received", None)
    async with services.pool.acquire() as conn:
        kinds = await conn.fetch(
            "SELECT e.kind FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id "
            "WHERE c.tracking_code = $1 ORDER BY e.id",
            body["tracking_code"],
        )
    assert [k["kind"] for k in kinds] == ["received"]


async def test_lainnya_waits_at_the_desk_even_when_chosen(client):
    response = await client.post("/api/v1/complaints", json={**VALID, "category": "lainnya"})
    body = await response.json()
    assert (body["status"], body["agency"], body["category"]) == ("received", None, "lainnya")


async def test_intake_stores_location_reporter_and_routing_events(client, services, clock):
    body = await (await client.post("/api/v1/complaints", json=VALID)).json()
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT c.*, r.name, r.phone FROM complaint c JOIN reporter r ON r.id = c.reporter_id "
            "WHERE tracking_code = $1",
            body["tracking_code"],
        )
        events = await conn.fetch(
            "SELECT kind, to_status, to_agency, created_at FROM complaint_event WHERE complaint_id = $1 ORDER BY id",
            row["id"],
        )
    assert (row["latitude"], row["longitude"], row["kelurahan"]) == (-6.2383, 106.9756, "Margahayu")
    assert (row["name"], row["phone"]) == ("Siti Rahmawati", "081234567890")
    assert row["created_at"] == clock.now()
    assert [(e["kind"], e["to_status"], e["to_agency"]) for e in events] == [
        ("received", "received", None),
        ("routed", "assigned", "DPUPR"),
    ]


async def test_multipart_with_photos_stores_them_by_content(client, services, settings):
    photos = [("a.jpg", png_bytes(seed=1)), ("b.jpg", jpeg_bytes())]
    fields = {
        "text": VALID["text"],
        "category": "jalan",
        "lat": "-6.2",
        "lon": "106.9",
        "rahasia": "true",
    }
    response = await client.post("/api/v1/complaints", data=form(fields, photos))
    assert response.status == 201, await response.text()
    code = (await response.json())["tracking_code"]
    async with services.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT p.media_type, p.sha256, c.rahasia, c.latitude FROM complaint_photo p "
            "JOIN complaint c ON c.id = p.complaint_id WHERE c.tracking_code = $1 ORDER BY position",
            code,
        )
    assert [r["media_type"] for r in rows] == ["image/png", "image/jpeg"]
    assert rows[0]["rahasia"] is True and rows[0]["latitude"] == -6.2
    stored = list((settings.data_dir / "photos").rglob("*.png"))
    assert [p.read_bytes() for p in stored] == [cleaned(png_bytes(seed=1))]


async def test_the_same_idempotency_key_and_body_return_the_same_complaint(client, services):
    headers = {"Idempotency-Key": "client-42-attempt"}
    first = await client.post("/api/v1/complaints", json=VALID, headers=headers)
    second = await client.post("/api/v1/complaints", json=VALID, headers=headers)
    assert first.status == second.status == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert await first.json() == await second.json()
    assert (await row_counts(services))["complaint"] == 1


async def test_the_same_key_with_another_body_is_refused_and_writes_nothing(client, services):
    headers = {"Idempotency-Key": "k-1"}
    await client.post("/api/v1/complaints", json=VALID, headers=headers)
    before = await row_counts(services)
    other = {**VALID, "text": "Isi laporan yang berbeda sama sekali dari yang pertama."}
    response = await client.post("/api/v1/complaints", json=other, headers=headers)
    assert response.status == 422
    problem = await response.json()
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert await row_counts(services) == before


async def test_an_idempotency_key_expires_after_24_hours(client, services, clock):
    from datetime import timedelta

    headers = {"Idempotency-Key": "k-daily"}
    first = await (await client.post("/api/v1/complaints", json=VALID, headers=headers)).json()
    clock.advance(timedelta(hours=24, seconds=1))
    second = await (await client.post("/api/v1/complaints", json=VALID, headers=headers)).json()
    assert first["tracking_code"] != second["tracking_code"]
    assert (await row_counts(services))["complaint"] == 2


async def test_concurrent_requests_with_one_key_make_one_complaint(client, services):
    headers = {"Idempotency-Key": "race"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/complaints", json=VALID, headers=headers) for _ in range(8))
    )
    codes = {(await r.json())["tracking_code"] for r in responses}
    assert [r.status for r in responses] == [201] * 8
    assert len(codes) == 1
    counts = await row_counts(services)
    assert counts["complaint"] == 1 and counts["idempotency_key"] == 1 and counts["reporter"] == 1


BIG_TEXT = "x" * 5001

BAD_REQUESTS = [
    pytest.param(
        {"data": b"{not json", "headers": {"Content-Type": "application/json"}},
        400,
        "body",
        id="not-json",
    ),
    pytest.param({"json": {"category": "jalan"}}, 422, "text", id="no-text"),
    pytest.param({"json": {"text": "   pendek  "}}, 422, "text", id="text-too-short"),
    pytest.param({"json": {"text": BIG_TEXT}}, 422, "text", id="text-too-long"),
    pytest.param(
        {"json": {**VALID, "location": {"lat": 40.7, "lon": 106.9}}},
        422,
        "location.lat",
        id="latitude-outside-indonesia",
    ),
    pytest.param(
        {"json": {**VALID, "category": "jalanan"}}, 422, "category", id="unknown-category"
    ),
    pytest.param({"json": {**VALID, "rahasia": "ya"}}, 422, "rahasia", id="flag-not-boolean"),
    pytest.param(
        {"json": {**VALID, "reporter": {"phone": "abc"}}}, 422, "reporter.phone", id="bad-phone"
    ),
    pytest.param({"json": {**VALID, "colour": "red"}}, 422, "colour", id="unknown-field"),
    pytest.param({"json": ["a", "list"]}, 422, "body", id="json-not-an-object"),
    pytest.param(
        {"data": b"text=hello", "headers": {"Content-Type": "text/plain"}},
        415,
        None,
        id="wrong-content-type",
    ),
    pytest.param(
        {
            "data": io.BytesIO(b"{" + b" " * (20 * 1024 * 1024) + b"}"),
            "headers": {"Content-Type": "application/json"},
        },
        413,
        "body",
        id="20-MB-body",
    ),
]


@pytest.mark.parametrize(("request_kwargs", "status", "field"), BAD_REQUESTS)
async def test_bad_input_gets_a_problem_naming_the_field_and_writes_nothing(
    client, services, request_kwargs, status, field
):
    response = await client.post("/api/v1/complaints", **request_kwargs)
    assert response.status == status
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = await response.json()
    assert problem["status"] == status and problem["title"]
    if field is not None:
        assert field in [e["field"] for e in problem["errors"]]
    assert "Traceback" not in json.dumps(problem)
    assert set((await row_counts(services)).values()) == {0}


async def test_six_photos_are_refused(client, services):
    photos = [(f"{i}.jpg", png_bytes(seed=i)) for i in range(6)]
    response = await client.post("/api/v1/complaints", data=form({"text": VALID["text"]}, photos))
    assert response.status == 422
    assert [e["field"] for e in (await response.json())["errors"]] == ["photos"]
    assert set((await row_counts(services)).values()) == {0}


async def test_an_executable_renamed_jpg_is_refused(client, services):
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    response = await client.post(
        "/api/v1/complaints", data=form({"text": VALID["text"]}, [("foto.jpg", exe)])
    )
    assert response.status == 422
    assert (await response.json())["errors"][0]["field"] == "photos"
    assert set((await row_counts(services)).values()) == {0}


async def test_a_photo_over_5_mb_is_refused_with_413(client, services):
    big = png_bytes() + b"\x00" * (5 * 1024 * 1024)
    response = await client.post(
        "/api/v1/complaints", data=form({"text": VALID["text"]}, [("big.jpg", big)])
    )
    assert response.status == 413
    assert (await response.json())["errors"][0]["field"] == "photos"
    assert set((await row_counts(services)).values()) == {0}


async def test_unknown_routes_and_methods_answer_problem_json(client):
    missing = await client.get("/api/v1/nothing-here")
    assert missing.status == 404
    assert missing.headers["Content-Type"].startswith("application/problem+json")
    wrong = await client.delete("/api/v1/complaints")
    assert wrong.status == 405
    assert (await wrong.json())["status"] == 405
