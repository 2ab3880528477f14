import json

from helpers import VALID
from lifecycle_helpers import act, file

PERSONAL = ("Siti Rahmawati", "081234567890", "siti.r@contoh.id")


def leaks(text: str) -> list[str]:
    return [value for value in PERSONAL if value in text]


async def test_no_public_response_carries_the_reporters_identity(client, accounts):
    filed = await file(client)
    code = filed["tracking_code"]
    await act(client, code, accounts["dpupr"], "respond", note="Tim kami menuju lokasi.")
    public = [
        await client.get(f"/api/v1/complaints/{code}"),
        await client.get(f"/lacak/{code}"),
        await client.get("/api/v1/categories"),
        await client.get("/api/v1/agencies"),
    ]
    for response in public:
        assert response.status == 200
        assert leaks(await response.text()) == []
    view = await public[0].json()
    assert view["status_label"] == "Diteruskan ke instansi"
    assert view["location"]["kelurahan"] == "Margahayu"
    assert view["timeline"][-1]["note"] == "Tim kami menuju lokasi."


async def test_officers_see_the_reporter_unless_anonim(client, accounts):
    named = (await file(client, anonim=False))["tracking_code"]
    hidden = (await file(client, anonim=True))["tracking_code"]
    full = await (
        await client.get(f"/api/v1/complaints/{named}/full", headers=accounts["dpupr"].headers)
    ).json()
    assert full["reporter"]["phone"] == "081234567890"
    anon = await client.get(f"/api/v1/complaints/{hidden}/full", headers=accounts["dpupr"].headers)
    assert anon.status == 200
    assert leaks(await anon.text()) == []
    assert (await anon.json())["reporter"] is None


async def test_internal_notes_and_officer_names_stay_internal(client, accounts):
    code = (await file(client))["tracking_code"]
    await act(client, code, accounts["dpupr"], "start", internal_note="Kontraktor lambat, cek lagi")
    public = await client.get(f"/api/v1/complaints/{code}")
    text = await public.text()
    assert "Kontraktor lambat" not in text and "Petugas PUPR" not in text
    full = await (
        await client.get(f"/api/v1/complaints/{code}/full", headers=accounts["dpupr"].headers)
    ).json()
    assert full["timeline"][-1]["internal_note"] == "Kontraktor lambat, cek lagi"
    assert full["timeline"][-1]["officer"] == "Petugas PUPR"


async def test_a_rahasia_complaint_is_hidden_except_from_its_reporter_and_its_agency(
    client, accounts
):
    filed = await file(client, rahasia=True)
    code, token = filed["tracking_code"], filed["access_token"]
    url = f"/api/v1/complaints/{code}"
    assert (await client.get(url)).status == 404
    assert (await client.get(f"/lacak/{code}")).status == 404
    assert (await client.get(url, headers={"Authorization": "Bearer lpr_forged"})).status == 404
    assert (await client.get(url, headers=accounts["dlh"].headers)).status == 404
    as_reporter = await client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert as_reporter.status == 200
    assert "location" not in await as_reporter.json()
    assert (await client.get(url, headers=accounts["dpupr"].headers)).status == 200
    assert (await client.get(url, headers=accounts["desk"].headers)).status == 200


async def test_a_typo_in_the_code_is_told_apart_from_an_unknown_code(client):
    code = (await file(client))["tracking_code"]
    wrong_char = "0" if code[3] != "0" else "1"
    typo = code[:3] + wrong_char + code[4:]
    response = await client.get(f"/api/v1/complaints/{typo}")
    assert response.status == 400
    assert (await response.json())["errors"][0]["field"] == "code"
    from lapor import tracking

    unknown = tracking.new_code()
    assert (await client.get(f"/api/v1/complaints/{unknown}")).status == 404
    readable = tracking.display(code).lower()
    assert (await client.get(f"/api/v1/complaints/{readable}")).status == 200


async def test_a_rahasia_complaints_photos_are_served_to_officers_and_the_reporter_only(
    client, accounts
):
    from helpers import cleaned, form, png_bytes

    response = await client.post(
        "/api/v1/complaints",
        data=form(
            {"text": VALID["text"], "category": "jalan", "rahasia": "true"},
            [("a.png", png_bytes(seed=3))],
        ),
    )
    filed = await response.json()
    url = f"/api/v1/complaints/{filed['tracking_code']}/photos/1"
    assert (await client.get(url)).status == 404
    officer = await client.get(url, headers=accounts["dpupr"].headers)
    assert (officer.status, await officer.read()) == (200, cleaned(png_bytes(seed=3)))
    reporter = await client.get(url, headers={"Authorization": f"Bearer {filed['access_token']}"})
    assert reporter.headers["Content-Type"] == "image/png"


async def test_a_public_complaints_text_and_photos_are_public(immediate_client):
    from helpers import cleaned, form, png_bytes

    client = immediate_client  # a city that publishes at intake: no officer needs to verify
    response = await client.post(
        "/api/v1/complaints",
        data=form({"text": VALID["text"], "rahasia": "false"}, [("a.png", png_bytes(seed=4))]),
    )
    code = (await response.json())["tracking_code"]
    view = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert view["text"] == VALID["text"]
    assert [p["position"] for p in view["photos"]] == [1]
    photo = await client.get(view["photos"][0]["url"])
    assert (photo.status, await photo.read()) == (200, cleaned(png_bytes(seed=4)))
    assert "reporter" not in view


async def test_the_status_page_escapes_what_citizens_and_officers_wrote(client, accounts):
    code = (await file(client))["tracking_code"]
    await act(client, code, accounts["dpupr"], "respond", note="<script>alert(1)</script>")
    html = await (await client.get(f"/lacak/{code}")).text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_categories_list_all_23_codes_with_their_agency(client):
    categories = await (await client.get("/api/v1/categories")).json()
    assert len(categories) == 23
    by_code = {c["code"]: c for c in categories}
    assert by_code["penerangan_jalan"]["agency"] == "DISPERKIM"
    assert by_code["lainnya"]["desk"] is True
    assert json.dumps(categories)
