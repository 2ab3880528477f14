"""The officer pages without a browser: status codes, CSRF, who sees what, the forms."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from html import unescape

import aiohttp
import pytest
from classifier_corpus import TRAINED_AT, synthetic_examples
from helpers import VALID, cleaned, png_bytes
from lifecycle_helpers import complaint_in, file
from officer_helpers import csrf_token, give_passwords, login, post_form

from classifier.dataset import Example
from classifier.model import train
from lapor import complaints, lifecycle, models, tracking
from lapor.city import load_city
from lapor.repo import reports as report_sql
from lapor.web import officer_pages
from lapor.web.keys import SETTINGS

ROAD = "Dengan hormat, kami laporkan jalan berlubang besar di jalan melati."


@pytest.fixture
async def with_passwords(services, accounts):
    await give_passwords(services, accounts)
    return accounts


async def status_of(services, code: str) -> tuple[str, int]:
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT c.status, count(e.id) AS events FROM complaint c
               JOIN complaint_event e ON e.complaint_id = c.id
               WHERE c.tracking_code = $1 GROUP BY c.status""",
            code,
        )
    return row["status"], row["events"]


def action_forms(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="action" value="(\w+)">', html)


# ----------------------------------------------------------------------------- CSRF, 403


@pytest.mark.parametrize("token", [None, "palsu", "OTHER-COOKIE"])
async def test_a_form_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(
    client, services, with_passwords, token
):
    code = (await file(client))["tracking_code"]
    await login(client, "dpupr")
    before = await status_of(services, code)
    data = {"action": "start"}
    if token == "OTHER-COOKIE":  # a real token, but for someone else's CSRF cookie
        from lapor.web.pagekit import _sign

        data["csrf_token"] = _sign(client.app[SETTINGS].secret_key, "x" * 43)
    elif token:
        data["csrf_token"] = token
    response = await client.post(f"/petugas/laporan/{code}/aksi", data=data, allow_redirects=False)
    assert response.status == 403
    assert response.content_type == "text/html"
    assert "Akses ditolak" in await response.text()
    assert await status_of(services, code) == before


async def test_an_officer_of_another_agency_gets_a_403_page(client, services, with_passwords):
    body = {**VALID, "text": "Jalan rusak parah di depan rumah Pak RT, rahasia dapur."}
    code = (await file(client, **body))["tracking_code"]  # at DPUPR
    await login(client, "dlh")
    response = await client.get(f"/petugas/laporan/{code}")
    text = await response.text()
    assert response.status == 403
    assert "Akses ditolak" in text
    assert "rahasia dapur" not in text
    before = await status_of(services, code)
    action = await post_form(client, f"/petugas/laporan/{code}/aksi", {"action": "start"})
    assert action.status == 403
    assert await status_of(services, code) == before


async def test_a_missing_complaint_is_a_404_page(client, with_passwords):
    await login(client, "admin")
    response = await client.get(f"/petugas/laporan/{tracking.new_code()}")
    assert response.status == 404
    assert "tidak ditemukan" in await response.text()


# --------------------------------------------------------------------------------- queue


async def test_the_queue_lists_the_agency_s_complaints_most_urgent_first_in_words(
    client, services, clock, with_passwords
):
    now = clock.now()
    filed = {}
    for label, days_ago in (("baru", 0), ("lama", 8), ("hampir", 6)):
        clock.set(now - timedelta(days=days_ago))
        filed[label] = (
            await file(client, text=f"Jalan berlubang laporan {label} mohon diperbaiki.")
        )["tracking_code"]
    clock.set(now)
    elsewhere = (await file(client, category="sampah"))["tracking_code"]  # at DLH
    await login(client, "dpupr")
    html = await (await client.get("/petugas/antrian")).text()
    positions = [html.index(tracking.display(filed[label])) for label in ("lama", "hampir", "baru")]
    assert positions == sorted(positions)
    assert tracking.display(elsewhere) not in html
    # The colour is said in words as well.
    for word in ("Merah", "Kuning", "Hijau"):
        assert f">{word}</span>" in html
    assert "lewat" in html and "sisa" in html


async def test_the_queue_pages_with_a_next_link_and_keeps_the_filters(
    client, with_passwords, monkeypatch
):
    monkeypatch.setattr(officer_pages.queue, "QUEUE_PAGE_SIZE", 2)
    codes = [(await file(client))["tracking_code"] for _ in range(3)]
    await login(client, "dpupr")
    first = await (await client.get("/petugas/antrian?category=jalan")).text()
    link = unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert "category=jalan" in link
    second = await (await client.get(link)).text()
    on_first = {code for code in codes if tracking.display(code) in first}
    on_second = {code for code in codes if tracking.display(code) in second}
    assert (len(on_first), len(on_second)) == (2, 1)
    assert on_first | on_second == set(codes)
    assert 'rel="next"' not in second


async def test_a_bad_filter_is_named_on_the_queue_page(client, with_passwords):
    await login(client, "dpupr")
    response = await client.get("/petugas/antrian?category=tidak_ada")
    assert response.status == 422
    assert "kategori tidak dikenal" in await response.text()


# ----------------------------------------------------------------------------- complaint


async def test_complaint_text_with_a_script_tag_is_shown_as_text(client, with_passwords):
    code = (await file(client, text="Jalan rusak <script>alert('xss')</script> di depan sekolah."))[
        "tracking_code"
    ]
    await login(client, "dpupr")
    html = await (await client.get(f"/petugas/laporan/{code}")).text()
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "<script>alert" not in html


async def test_the_reporter_contact_is_shown_unless_anonim(client, with_passwords):
    known = (await file(client, anonim=False))["tracking_code"]
    anonymous = (await file(client, anonim=True))["tracking_code"]
    await login(client, "dpupr")
    html = await (await client.get(f"/petugas/laporan/{known}")).text()
    assert "Siti Rahmawati" in html and "081234567890" in html
    html = await (await client.get(f"/petugas/laporan/{anonymous}")).text()
    assert "Siti" not in html and "081234567890" not in html and "siti.r@" not in html
    assert "anonim" in html


@pytest.mark.parametrize(
    ("status", "who", "offered"),
    [
        (
            "assigned",
            "dpupr",
            [
                "transfer",
                "start",
                "respond",
                "resolve",
                "not_ours",
                "merge",
                "set_priority",
                "forward",
            ],
        ),
        (
            "in_progress",
            "dpupr",
            ["respond", "resolve", "not_ours", "merge", "set_priority", "forward"],
        ),
        ("received", "desk", ["verify", "reject", "merge", "set_priority", "forward"]),
        ("forwarded", "desk", ["recall"]),
        ("forwarded", "admin", ["recall"]),
        ("resolved", "dpupr", []),
        ("resolved", "admin", ["reopen", "close"]),
    ],
)
async def test_only_the_moves_the_status_and_role_allow_are_offered(
    client, with_passwords, status, who, offered
):
    code = await complaint_in(client, with_passwords, status)
    await login(client, who)
    html = await (await client.get(f"/petugas/laporan/{code}")).text()
    assert action_forms(html) == offered


@pytest.mark.parametrize(
    ("status", "who"),
    [
        ("assigned", "dpupr"),
        ("assigned", "admin"),
        ("assigned", "desk"),
        ("received", "desk"),
        ("received", "admin"),
        ("in_progress", "dpupr"),
        ("resolved", "admin"),
        ("closed", "dpupr"),
        ("rejected", "admin"),
    ],
)
async def test_the_page_offers_exactly_the_moves_the_lifecycle_allows(
    client, services, with_passwords, status, who
):
    """The page asks the lifecycle (one permission rule, not a copy of it in the pages)."""
    code = await complaint_in(client, with_passwords, status)
    agency = await complaints.current_agency(services, code)
    allowed = lifecycle.allowed_moves(with_passwords[who].officer, status, agency)
    await login(client, who)
    html = await (await client.get(f"/petugas/laporan/{code}")).text()
    assert action_forms(html) == allowed


async def test_a_refused_action_comes_back_as_the_page_with_the_message(
    client, services, with_passwords
):
    code = (await file(client))["tracking_code"]
    await login(client, "dpupr")
    before = await status_of(services, code)
    response = await post_form(
        client,
        f"/petugas/laporan/{code}/aksi",
        {"action": "respond", "note": "  ", "internal_note": "cek dulu"},
    )
    html = await response.text()
    assert response.status == 422
    assert "catatan untuk warga wajib diisi" in html
    assert f"Laporan <code>{tracking.display(code)}</code>" in html
    assert ">cek dulu</textarea>" in html  # what was typed is kept
    assert await status_of(services, code) == before


async def test_an_action_moves_the_complaint_and_says_so(client, services, with_passwords):
    code = (await file(client))["tracking_code"]
    await login(client, "dpupr")
    response = await post_form(client, f"/petugas/laporan/{code}/aksi", {"action": "start"})
    assert response.status == 303
    assert response.headers["Location"] == f"/petugas/laporan/{code}?selesai=start"
    html = await (await client.get(response.headers["Location"])).text()
    assert "Berhasil: mulai diproses." in html
    assert (await status_of(services, code))[0] == "in_progress"


async def test_a_merge_through_the_page(client, services, with_passwords):
    original = (await file(client))["tracking_code"]
    code = (await file(client))["tracking_code"]
    await login(client, "dpupr")
    response = await post_form(
        client,
        f"/petugas/laporan/{code}/aksi",
        {"action": "merge", "duplicate_of": tracking.display(original).lower()},
    )
    assert response.status == 303
    html = await (await client.get(response.headers["Location"])).text()
    assert f"Digabung dengan laporan {tracking.display(original)}." in html
    assert f'href="/petugas/laporan/{original}"' in html
    assert (await status_of(services, code))[0] == "closed"
    # And a typo in the original's code is named on the page.
    other = (await file(client))["tracking_code"]
    response = await post_form(
        client, f"/petugas/laporan/{other}/aksi", {"action": "merge", "duplicate_of": "XX"}
    )
    assert response.status == 422
    assert 'id="duplicate_of-error"' in await response.text()


async def test_the_photo_route_serves_an_officer_who_may_see_the_complaint(client, with_passwords):
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("text", VALID["text"])
    form.add_field("category", "jalan")
    photo = png_bytes(seed=3)
    form.add_field("photos", photo, filename="a.png", content_type="image/png")
    code = (await (await client.post("/api/v1/complaints", data=form)).json())["tracking_code"]
    await login(client, "dpupr")
    response = await client.get(f"/petugas/laporan/{code}/foto/1")
    assert response.status == 200
    assert await response.read() == cleaned(photo)
    assert "no-store" in response.headers["Cache-Control"]
    await login(client, "dlh")
    assert (await client.get(f"/petugas/laporan/{code}/foto/1")).status == 404


async def test_a_transfer_leads_back_to_the_queue_when_the_complaint_is_gone(
    client, with_passwords
):
    code = (await file(client))["tracking_code"]
    await login(client, "dpupr")
    response = await post_form(
        client, f"/petugas/laporan/{code}/aksi", {"action": "transfer", "agency": "DLH"}
    )
    assert response.status == 303
    assert response.headers["Location"].startswith("/petugas/antrian?selesai=transfer")
    html = await (await client.get(response.headers["Location"])).text()
    assert f"(laporan {tracking.display(code)})" in html


# ---------------------------------------------------------------------------------- desk


async def test_the_desk_routes_with_one_form_per_suggestion(client, services, with_passwords):
    code = await complaint_in(client, with_passwords, "received")
    await login(client, "desk")
    html = await (await client.get("/petugas/meja")).text()
    assert tracking.display(code) in html
    response = await post_form(
        client,
        f"/petugas/laporan/{code}/aksi",
        {"action": "verify", "category": "sampah", "kembali": "/petugas/meja"},
    )
    assert response.status == 303
    assert response.headers["Location"].startswith("/petugas/meja?selesai=verify")
    async with services.pool.acquire() as conn:
        assert (
            await conn.fetchval("SELECT agency_code FROM complaint WHERE tracking_code = $1", code)
            == "DLH"
        )


async def test_an_agency_officer_gets_403_at_the_desk(client, with_passwords):
    await login(client, "dpupr")
    assert (await client.get("/petugas/meja")).status == 403


# --------------------------------------------------------------------------------- admin


@pytest.mark.parametrize("who", ["dpupr", "desk"])
async def test_only_the_admin_reaches_the_admin_page(client, services, with_passwords, who):
    await login(client, who)
    response = await client.get("/petugas/admin")
    assert response.status == 403
    assert "Akses ditolak" in await response.text()
    created = await post_form(
        client,
        "/petugas/admin/petugas",
        {"username": "penyusup", "role": "admin", "password": "sandi-yang-panjang-sekali"},
    )
    assert created.status == 403
    async with services.pool.acquire() as conn:
        assert not await conn.fetchval("SELECT count(*) FROM officer WHERE username = 'penyusup'")


async def test_the_admin_changes_a_role_resets_a_password_and_deactivates(
    client, services, with_passwords
):
    dlh = with_passwords["dlh"].officer
    await login(client, "admin")
    response = await post_form(
        client, f"/petugas/admin/petugas/{dlh.id}/peran", {"role": "officer", "agency": "DISHUB"}
    )
    assert response.status == 303
    response = await post_form(
        client, f"/petugas/admin/petugas/{dlh.id}/sandi", {"password": "pendek"}
    )
    assert response.status == 422
    assert "paling sedikit 10 karakter" in await response.text()
    response = await post_form(
        client, f"/petugas/admin/petugas/{dlh.id}/sandi", {"password": "sandi-baru-yang-panjang"}
    )
    assert response.status == 303
    response = await post_form(client, f"/petugas/admin/petugas/{dlh.id}/status", {"active": "0"})
    assert response.status == 303
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT agency_code, active FROM officer WHERE id = $1", dlh.id)
    assert (row["agency_code"], row["active"]) == ("DISHUB", False)
    # The admin cannot lock themselves out.
    admin = with_passwords["admin"].officer
    response = await post_form(client, f"/petugas/admin/petugas/{admin.id}/status", {"active": "0"})
    assert response.status == 422
    response = await post_form(
        client, f"/petugas/admin/petugas/{admin.id}/peran", {"role": "officer", "agency": "DLH"}
    )
    assert response.status == 422


async def test_a_new_officer_needs_a_valid_username_role_agency_and_password(
    client, services, with_passwords
):
    await login(client, "admin")
    response = await post_form(
        client,
        "/petugas/admin/petugas",
        {"username": "Bukan Valid", "role": "officer", "agency": "", "password": "pendek"},
    )
    html = await response.text()
    assert response.status == 422
    for field in ("username", "agency", "password"):
        assert f'id="{field}-error"' in html
    response = await post_form(
        client,
        "/petugas/admin/petugas",
        {
            "username": "dpupr",
            "role": "officer",
            "agency": "DPUPR",
            "password": "kuda-biru-makan-tahu-7",
        },
    )
    assert response.status == 422
    assert "sudah dipakai" in await response.text()
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM officer") == len(with_passwords)


# ---------------------------------------------------------------------------- the model


@pytest.fixture(scope="module")
def two_models():
    """The real synthetic corpus, and one where roads are taught as rubbish."""
    honest = train(synthetic_examples(), seed=0, now=TRAINED_AT)
    confused = train(
        [
            Example(e.text, "sampah" if e.category == "jalan" else e.category, e.source)
            for e in synthetic_examples()
        ],
        seed=0,
        now=TRAINED_AT + timedelta(hours=1),
    )
    return honest, confused


async def test_activating_a_model_on_the_admin_page_switches_routing_at_once(
    client, services, with_passwords, two_models, tmp_path
):
    async with services.pool.acquire() as conn:
        for model in two_models:
            await models.register(conn, model, model.save(tmp_path / "models"))
    honest, confused = two_models
    await login(client, "admin")
    html = await (await client.get("/petugas/admin")).text()
    assert f"Aktifkan {honest.version}" in html and f"Aktifkan {confused.version}" in html
    for model, agency in ((honest, "DPUPR"), (confused, "DLH"), (honest, "DPUPR")):
        response = await post_form(client, "/petugas/admin/model", {"version": model.version})
        assert response.status == 303
        filed = await (await client.post("/api/v1/complaints", json={"text": ROAD})).json()
        assert filed["agency"] == agency
        async with services.pool.acquire() as conn:
            assert (
                await conn.fetchval(
                    "SELECT model_version FROM complaint WHERE tracking_code = $1",
                    filed["tracking_code"],
                )
                == model.version
            )
            assert await conn.fetchval("SELECT version FROM model_version WHERE active") == (
                model.version
            )


async def test_activating_an_unknown_model_is_named_and_changes_nothing(
    client, services, with_passwords
):
    await login(client, "admin")
    before = services.router
    response = await post_form(client, "/petugas/admin/model", {"version": "tidak-ada"})
    assert response.status == 404
    assert "tidak-ada" in await response.text()
    assert services.router is before


async def test_a_model_whose_file_is_gone_is_not_activated(
    client, services, with_passwords, two_models, tmp_path
):
    honest, _ = two_models
    async with services.pool.acquire() as conn:
        await models.register(conn, honest, tmp_path / "weg" / "model.joblib")
    await login(client, "admin")
    response = await post_form(client, "/petugas/admin/model", {"version": honest.version})
    assert response.status == 422
    assert "tidak dapat dibaca" in await response.text()
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM model_version WHERE active") == 0


# ------------------------------------------------------------------ proof photo on the page


@pytest.fixture
async def photo_city_client(services, settings, clock, aiohttp_client):
    from lapor.web.app import create_app

    city = dataclasses.replace(load_city("default"), resolve_requires_photo=True)
    return await aiohttp_client(create_app(settings, clock=clock, city=city))


async def test_the_resolve_form_asks_for_the_proof_photo_the_city_requires(
    photo_city_client, services, with_passwords
):
    client = photo_city_client
    code = (await file(client))["tracking_code"]
    await login(client, "dpupr")
    page = await (await client.get(f"/petugas/laporan/{code}")).text()
    assert 'name="photo" accept="image/jpeg,image/png,image/webp"' in page
    response = await post_form(
        client, f"/petugas/laporan/{code}/aksi", {"action": "resolve", "note": "Sudah ditambal."}
    )
    assert response.status == 422
    assert "foto bukti penyelesaian wajib dilampirkan" in await response.text()
    assert (await status_of(services, code))[0] == "assigned"
    form = aiohttp.FormData()
    form.add_field("csrf_token", await csrf_token(client, "/petugas/antrian"))
    form.add_field("action", "resolve")
    form.add_field("note", "Sudah ditambal.")
    form.add_field("photo", png_bytes(seed=11), filename="bukti.png", content_type="image/png")
    response = await client.post(f"/petugas/laporan/{code}/aksi", data=form, allow_redirects=False)
    assert response.status == 303
    html = await (await client.get(response.headers["Location"])).text()
    assert "Bukti penyelesaian" in html
    photo = await client.get(f"/petugas/laporan/{code}/foto/6")
    assert await photo.read() == cleaned(png_bytes(seed=11))


# ------------------------------------------------------------------------------- reports


async def test_report_files_follow_the_api_visibility(client, services, with_passwords):
    month = date(2026, 10, 1)
    folder = client.app[SETTINGS].data_dir / "reports" / "2026-10"
    folder.mkdir(parents=True)
    (folder / "kota.csv").write_text("kota\n")
    (folder / "dlh.csv").write_text("dlh\n")
    async with services.pool.acquire() as conn:
        await conn.execute(
            report_sql.UPSERT_REPORT, month, None, ["kota.csv"], services.clock.now()
        )
        await conn.execute(
            report_sql.UPSERT_REPORT, month, "DLH", ["dlh.csv"], services.clock.now()
        )
    await login(client, "dpupr")
    html = await (await client.get("/petugas/rekap")).text()
    assert "/petugas/rekap/2026-10/kota.csv" in html
    assert "dlh.csv" not in html
    response = await client.get("/petugas/rekap/2026-10/kota.csv")
    assert (response.status, await response.text()) == (200, "kota\n")
    assert "attachment" in response.headers["Content-Disposition"]
    assert (await client.get("/petugas/rekap/2026-10/dlh.csv")).status == 403
    assert (await client.get("/petugas/rekap/2026-10/..%2F..%2Fsecret")).status == 404
    await login(client, "admin")
    html = await (await client.get("/petugas/admin")).text()
    assert "/petugas/rekap/2026-10/dlh.csv" in html
    assert (await client.get("/petugas/rekap/2026-10/dlh.csv")).status == 200


async def test_the_logout_form_is_on_every_officer_page(client, with_passwords):
    await login(client, "admin")
    for path in ("/petugas/antrian", "/petugas/meja", "/petugas/admin", "/petugas/rekap"):
        html = await (await client.get(path)).text()
        assert 'action="/petugas/keluar"' in html
        assert "csrf_token" in html
    assert await csrf_token(client, "/petugas/antrian")
