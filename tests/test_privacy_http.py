"""Personal data typed into the text, over HTTP: what the public reads (the API's public view,
the status page, the list and the map) never holds it, while officers read the original; when
a complaint is published; officers editing the public copy; the advice to choose rahasia."""

from __future__ import annotations

import json
import re

import pytest
from helpers import VALID, png_bytes
from lifecycle_helpers import act
from officer_helpers import give_passwords, login, post_form

from lapor import privacy

# Real-looking complaints, each with the personal data the public must never read.
TEXTS = [
    (
        "Nama saya Budi Santoso, NIK 3275011203890001. KTP elektronik saya belum jadi "
        "sejak tiga bulan, padahal sudah rekam.",
        ["Budi Santoso", "3275011203890001"],
    ),
    (
        "Air PDAM mati tiga hari di gang kami. Hubungi saya di 0812-3456-7890 atau "
        "+62 857 1111 2222 kalau petugas mau datang.",
        ["0812-3456-7890", "3456-7890", "857 1111 2222"],
    ),
    (
        "Lampu jalan mati sejak seminggu. Kabari perkembangannya lewat email "
        "siti.rahma@gmail.com ya, terima kasih.",
        ["siti.rahma@gmail.com", "siti.rahma"],
    ),
    (
        "Bantuan sosial bulan ini belum masuk ke rekening BRI 0123-01-000123-30-5 milik saya, "
        "tetangga sudah semua.",
        ["0123-01-000123-30-5", "000123"],
    ),
    (
        "Motor saya B 1234 XYZ diderek petugas padahal parkir di tempat resmi, mohon dicek.",
        ["B 1234 XYZ", "1234 XYZ"],
    ),
    (
        "saya Ibu Rina Wulandari dari RT 03, sampah tidak diangkut seminggu. "
        "wa 081398765432 nik 3175094107920003",
        ["Rina Wulandari", "081398765432", "3175094107920003"],
    ),
]
ALL_PERSONAL = [value for _, values in TEXTS for value in values]


def leaks(text: str) -> list[str]:
    return [value for value in ALL_PERSONAL if value in text]


async def file(client, **changes) -> dict:
    response = await client.post("/api/v1/complaints", json={**VALID, **changes})
    assert response.status == 201, await response.text()
    return await response.json()


async def public_view(client, code: str, **options) -> dict:
    response = await client.get(f"/api/v1/complaints/{code}", **options)
    assert response.status == 200, await response.text()
    return await response.json()


async def full_view(client, code: str, account) -> dict:
    response = await client.get(f"/api/v1/complaints/{code}/full", headers=account.headers)
    assert response.status == 200, await response.text()
    return await response.json()


async def map_codes(client) -> list[str]:
    points = await (await client.get("/laporan/peta.json")).json()
    return [point["code"] for point in points["points"]]


# ------------------------------------------------------------------- what the public reads


async def test_no_public_surface_shows_the_personal_data_typed_into_the_text(
    immediate_client, accounts
):
    client = immediate_client  # published at intake: only the redaction stands between
    codes = []
    for number, (text, _) in enumerate(TEXTS):
        filed = await file(
            client,
            text=text,
            title="Laporan Budi Santoso" if number == 0 else None,
            location={"lat": -6.23 - number / 100, "lon": 106.97, "kelurahan": "Margahayu"},
        )
        assert filed["privacy"]["hidden"] and filed["privacy"]["published"]
        codes.append(filed["tracking_code"])

    pages = [
        await (await client.get("/laporan")).text(),
        await (await client.get("/laporan/peta.json")).text(),
    ]
    for code in codes:
        view = await public_view(client, code)
        assert view["text"] and "disembunyikan]" in view["text"]
        pages += [json.dumps(view), await (await client.get(f"/lacak/{code}")).text()]
    assert all(code in pages[0] for code in codes) and all(code in pages[1] for code in codes)
    for page in pages:
        assert leaks(page) == []
    assert "[nama disembunyikan]" in (await public_view(client, codes[0]))["title"]

    for code, (text, _) in zip(codes, TEXTS, strict=True):
        full = await full_view(client, code, accounts["admin"])
        assert full["text"] == text  # officers read what the citizen wrote
        assert full["public_copy"]["text"] == privacy.redact(text).text
        assert full["privacy"]["found"]
    first = await full_view(client, codes[0], accounts["admin"])
    assert first["title"] == "Laporan Budi Santoso"
    assert first["privacy"]["found"] == ["nik", "name"]


async def test_personal_data_typed_into_the_place_is_hidden_from_the_public(immediate_client):
    client = immediate_client
    location = {
        "lat": -6.24,
        "lon": 106.98,
        "address": "Jl. Melati 5, depan rumah (HP 081211112222)",
        "kelurahan": "Margahayu",
        "kecamatan": "Bekasi Timur",
    }
    code = (await file(client, location=location))["tracking_code"]

    view = await public_view(client, code)
    assert view["location"]["address"] == "Jl. Melati 5, depan rumah (HP [nomor HP disembunyikan])"
    assert "081211112222" not in await (await client.get(f"/lacak/{code}")).text()


async def test_a_complaint_without_a_public_copy_yet_shows_no_text(immediate_client, services):
    client = immediate_client
    code = (await file(client))["tracking_code"]
    async with services.pool.acquire() as conn:  # as if filed before the public copies existed
        await conn.execute(
            "UPDATE complaint SET public_title = NULL, public_body = NULL WHERE tracking_code = $1",
            code,
        )

    assert (await public_view(client, code))["text"] is None
    assert code not in await (await client.get("/laporan")).text()
    assert code not in await map_codes(client)


# ------------------------------------------------------------------- publication


async def test_after_verification_only_status_and_timeline_are_public_until_an_officer_acts(
    client, accounts
):
    filed = await file(client)
    code = filed["tracking_code"]
    assert filed["status"] == "assigned"  # routed by the model (here: the category) at once
    assert filed["privacy"]["published"] is False

    view = await public_view(client, code)
    assert view["published"] is False and view["status_label"] == "Diteruskan ke instansi"
    assert [event["kind"] for event in view["timeline"]] == ["received", "routed"]
    assert {"text", "title", "location", "photos"}.isdisjoint(view)
    page = await (await client.get(f"/lacak/{code}")).text()
    assert "setelah diverifikasi petugas" in page and VALID["text"] not in page
    assert code not in await (await client.get("/laporan")).text()
    assert code not in await map_codes(client)

    await act(client, code, accounts["dpupr"], "start")  # the agency takes it up

    view = await public_view(client, code)
    assert view["published"] is True and view["text"] == VALID["text"]
    assert VALID["text"] in await (await client.get(f"/lacak/{code}")).text()
    assert code in await (await client.get("/laporan")).text()
    assert code in await map_codes(client)


async def test_photos_of_an_unpublished_complaint_are_shown_only_to_its_reporter_and_officers(
    client, accounts
):
    from helpers import form

    response = await client.post(
        "/api/v1/complaints",
        data=form({"text": VALID["text"], "category": "jalan"}, [("a.png", png_bytes(seed=7))]),
    )
    filed = await response.json()
    url = f"/api/v1/complaints/{filed['tracking_code']}/photos/1"

    assert (await client.get(url)).status == 404
    reporter = {"Authorization": f"Bearer {filed['access_token']}"}
    assert (await client.get(url, headers=reporter)).status == 200
    assert (await client.get(url, headers=accounts["dpupr"].headers)).status == 200

    await act(client, filed["tracking_code"], accounts["dpupr"], "respond", note="Kami cek.")
    assert (await client.get(url)).status == 200


async def test_the_desks_verification_publishes_and_a_rejection_does_not(client, accounts):
    verified = (await file(client, category=None))["tracking_code"]  # waits at the desk
    rejected = (await file(client, category=None))["tracking_code"]

    await act(client, verified, accounts["desk"], "verify", category="jalan")
    await act(client, rejected, accounts["desk"], "reject", note="Bukan wewenang pemerintah kota.")

    assert (await public_view(client, verified))["published"] is True
    view = await public_view(client, rejected)
    assert view["published"] is False and view["status_label"] == "Ditolak"
    assert view["timeline"][-1]["note"] == "Bukan wewenang pemerintah kota."
    listed = await (await client.get("/laporan")).text()
    assert verified in listed and rejected not in listed


async def test_a_city_that_publishes_immediately_shows_the_public_copy_at_once(immediate_client):
    client = immediate_client
    text, personal = TEXTS[1]
    filed = await file(client, text=text)

    view = await public_view(client, filed["tracking_code"])
    assert filed["privacy"]["published"] is True and view["published"] is True
    assert view["text"] == privacy.redact(text).text
    assert leaks(view["text"]) == []


async def test_a_rahasia_complaint_is_never_published(immediate_client, accounts):
    client = immediate_client
    filed = await file(client, rahasia=True)
    await act(client, filed["tracking_code"], accounts["dpupr"], "start")

    assert filed["privacy"]["published"] is False
    assert (await client.get(f"/api/v1/complaints/{filed['tracking_code']}")).status == 404
    assert filed["tracking_code"] not in await (await client.get("/laporan")).text()


# ------------------------------------------------------------------- moderation


async def put_copy(client, code: str, account, **body):
    return await client.put(
        f"/api/v1/complaints/{code}/public-copy", json=body, headers=account.headers
    )


async def test_an_officer_edits_only_the_public_copy_and_the_edit_is_logged(
    client, services, accounts
):
    text = "Jalan berlubang di depan rumah Pak Harjo no 7, sudah dua motor jatuh minggu ini."
    code = (await file(client, text=text))["tracking_code"]
    await act(client, code, accounts["dpupr"], "start")
    edited = "Jalan berlubang di depan rumah warga, sudah dua motor jatuh minggu ini."

    response = await put_copy(
        client, code, accounts["dpupr"], text=edited, reason="Nama warga lain di teks."
    )

    assert response.status == 200, await response.text()
    full = await response.json()
    assert full["text"] == text and full["public_copy"]["text"] == edited
    last = full["timeline"][-1]
    assert (last["kind"], last["internal_note"], last["officer"]) == (
        "moderate",
        "Nama warga lain di teks.",
        "Petugas PUPR",
    )
    assert last["data"] == {
        "changed": ["text"],
        "before": {"text": text},
        "after": {"text": edited},
    }
    view = await public_view(client, code)
    assert view["text"] == edited and "Harjo" not in json.dumps(view)
    assert "moderate" not in [event["kind"] for event in view["timeline"]]
    assert "Harjo" not in await (await client.get(f"/lacak/{code}")).text()
    async with services.pool.acquire() as conn:
        assert (
            await conn.fetchval("SELECT body FROM complaint WHERE tracking_code = $1", code) == text
        )

    log = await (await client.get("/api/v1/moderation", headers=accounts["admin"].headers)).json()
    [entry] = log["items"]
    assert (entry["tracking_code"], entry["officer"], entry["reason"]) == (
        code,
        "Petugas PUPR",
        "Nama warga lain di teks.",
    )
    assert entry["before"] == {"text": text} and entry["after"] == {"text": edited}
    own = await (await client.get("/api/v1/moderation", headers=accounts["dpupr"].headers)).json()
    other = await (await client.get("/api/v1/moderation", headers=accounts["dlh"].headers)).json()
    assert len(own["items"]) == 1 and other["items"] == []


async def test_a_public_copy_edit_needs_a_reason_a_change_and_the_complaints_agency(
    client, services, accounts
):
    code = (await file(client))["tracking_code"]  # at DPUPR
    refusals = [
        (await put_copy(client, code, accounts["dlh"], text="Teks lain.", reason="r"), 403),
        (await put_copy(client, code, accounts["dpupr"], text="Teks lain."), 422),
        (await put_copy(client, code, accounts["dpupr"], text=VALID["text"], reason="r"), 422),
        (await put_copy(client, code, accounts["dpupr"], text="  ", reason="r"), 422),
        (await put_copy(client, code, accounts["dpupr"], reason="r"), 422),
        (await client.put(f"/api/v1/complaints/{code}/public-copy", json={"text": "x"}), 401),
    ]
    for response, status in refusals:
        assert response.status == status, await response.text()
    async with services.pool.acquire() as conn:
        assert (
            await conn.fetchval("SELECT count(*) FROM complaint_event WHERE kind = 'moderate'") == 0
        )
    assert (await full_view(client, code, accounts["admin"]))["public_copy"]["text"] == VALID[
        "text"
    ]

    desk = await put_copy(client, code, accounts["desk"], title="Jalan rusak", reason="Judul.")
    assert desk.status == 200  # the desk may edit too, before anyone verified it
    assert (await desk.json())["public_copy"] == {"title": "Jalan rusak", "text": VALID["text"]}


async def test_officers_edit_the_public_copy_on_the_complaint_page_and_the_admin_reads_the_log(
    client, services, accounts
):
    await give_passwords(services, accounts)
    code = (await file(client, text=TEXTS[4][0]))["tracking_code"]
    await login(client, "dpupr")
    page = await (await client.get(f"/petugas/laporan/{code}")).text()
    assert "Salinan publik" in page and "nomor kendaraan" in page
    assert "[nomor kendaraan disembunyikan]" in page

    missing = await post_form(
        client, f"/petugas/laporan/{code}/salinan-publik", {"text": "Motor diderek.", "reason": ""}
    )
    assert missing.status == 422 and "alasan perubahan wajib diisi" in await missing.text()
    saved = await post_form(
        client,
        f"/petugas/laporan/{code}/salinan-publik",
        {"text": "Motor warga diderek padahal parkir resmi.", "title": "", "reason": "Ringkas."},
    )
    assert saved.status == 303
    assert "Salinan publik disimpan" in await (await client.get(saved.headers["Location"])).text()

    client.session.cookie_jar.clear()
    await login(client, "admin")
    log = await (await client.get("/petugas/admin/moderasi")).text()
    assert code[:5] in log.replace("-", "") and "Ringkas." in log
    assert "Motor warga diderek padahal parkir resmi." in log
    assert (await client.get("/petugas/admin")).status == 200


# ------------------------------------------------------------------- the advice to choose rahasia

ACCUSATION = (
    "Ketua RT 05 minta uang Rp 50.000 untuk surat pengantar KTP, katanya untuk kas, tanpa kuitansi."
)


async def test_an_accusation_is_answered_with_the_advice_to_choose_rahasia(client, services):
    open_filing = await file(client, text=ACCUSATION, category="aparatur", rahasia=False)
    secret_filing = await file(client, text=ACCUSATION, category="aparatur", rahasia=True)
    plain = await file(client)

    assert open_filing["privacy"]["suggest_rahasia"] is True
    assert "rahasia" in open_filing["privacy"]["message"]
    assert secret_filing["privacy"]["suggest_rahasia"] is False
    assert plain["privacy"] == {
        "hidden": [],
        "published": False,
        "suggest_rahasia": False,
        "message": None,
    }
    async with services.pool.acquire() as conn:  # a suggestion: the citizen's choice stands
        rahasia = await conn.fetchval(
            "SELECT rahasia FROM complaint WHERE tracking_code = $1",
            open_filing["tracking_code"],
        )
        received = await conn.fetchval(
            """SELECT e.data FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id
               WHERE c.tracking_code = $1 AND e.kind = 'received'""",
            open_filing["tracking_code"],
        )
    assert rahasia is False
    assert received["rahasia_suggested"] is True


async def test_the_report_form_advises_rahasia_before_and_after_sending(client):
    form_page = await (await client.get("/")).text()
    assert 'id="saran-rahasia"' in form_page
    token = re.search(r'name="csrf_token" value="([^"]+)"', form_page).group(1)
    fields = {
        "csrf_token": token,
        "text": ACCUSATION + " HP saya 081234567890.",
        "rahasia": "false",
        "anonim": "false",
        "idempotency_key": "form-accusation",
    }

    response = await client.post("/", data=fields, allow_redirects=False)

    assert response.status == 303
    location = response.headers["Location"]
    assert "saran=rahasia" in location and "disembunyikan=phone" in location
    page = await (await client.get(location)).text()
    assert "Saran: jadikan laporan ini rahasia" in page
    assert "nomor HP" in page and "081234567890" not in page


@pytest.mark.parametrize("kind", privacy.KINDS)
def test_every_kind_has_its_placeholder_and_its_words(kind):
    assert privacy.PLACEHOLDERS[kind].endswith("disembunyikan]")
    assert privacy.LABELS[kind] and privacy.LABELS_EN[kind]
