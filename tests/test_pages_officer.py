"""The officer pages in a real browser: the whole story, the keyboard, a phone, the desk, the
admin, the complaint page, and a team's morning (bulk assign, search, template, export). Screenshots go to test-artifacts/ (the queue also to
docs/queue.png when LAPOR_DOCS_SCREENSHOTS=1)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from browser import screenshot
from classifier_corpus import TRAINED_AT, synthetic_examples
from helpers import VALID, png_bytes
from officer_helpers import PASSWORD, give_passwords
from playwright.async_api import expect

from classifier.model import train
from lapor import tracking
from lapor.routing import ClassifierRouter
from lapor.web.keys import SERVICES

ROOT = Path(__file__).resolve().parent.parent
QUEUE_HEADING = "Antrian laporan"

# Other complaints for the agency, filed so many calendar days before now (Monday 09:00):
# overdue, in the last quarter of their time, and fresh, so the queue shows every colour.
OTHERS = [
    (8, "jalan", "Aspal Jl. Melati rusak parah sepanjang 200 meter, banyak kubangan air."),
    (6, "drainase", "Got di gang kami mampet penuh sampah, tiap hujan air meluap ke jalan."),
    (6, "jalan", "Jembatan kecil di RW 03 retak dan pegangan tangannya sudah hilang."),
    (1, "drainase", "Saluran air depan pasar tersumbat lumpur, airnya tergenang dan bau."),
    (0, "jalan", "Lubang besar di tikungan dekat masjid, sudah dua motor jatuh minggu ini."),
]


@pytest.fixture
async def with_passwords(services, accounts):
    await give_passwords(services, accounts)
    return accounts


async def file_others(client, clock) -> None:
    now = clock.now()
    for days_ago, category, text in OTHERS:
        clock.set(now - timedelta(days=days_ago))
        response = await client.post(
            "/api/v1/complaints", json={"text": text, "category": category, "anonim": True}
        )
        assert response.status == 201
    clock.set(now)


async def log_in(page, live_server, username: str) -> None:
    await page.goto(live_server.url("/petugas/masuk"))
    await page.get_by_label("Nama pengguna").fill(username)
    await page.get_by_label("Kata sandi").fill(PASSWORD)
    await page.get_by_role("button", name="Masuk").click()
    await expect(page.get_by_role("heading", name=QUEUE_HEADING)).to_be_visible()


async def test_a_complaint_is_transferred_resolved_and_shown_to_the_public(
    live_server, page, client, clock, with_passwords
):
    await file_others(client, clock)
    body = {
        **VALID,
        "text": "Sampah dibuang di bahu jalan depan sekolah sampai menutup separuh jalan.",
    }
    code = (await (await client.post("/api/v1/complaints", json=body)).json())["tracking_code"]
    shown = tracking.display(code)

    # The road agency finds it in its queue and sees it is rubbish, not a road.
    await page.set_viewport_size({"width": 1280, "height": 800})
    await log_in(page, live_server, "dpupr")
    row = page.locator("tr", has=page.get_by_role("link", name=shown))
    await expect(row).to_contain_text("Hijau")
    await expect(page.locator("table.queue")).to_contain_text("Merah")
    await screenshot(page, "queue", full_page=False)
    if os.environ.get("LAPOR_DOCS_SCREENSHOTS"):
        await page.screenshot(path=str(ROOT / "docs" / "queue.png"))
    await page.get_by_role("link", name=shown).click()
    await expect(page.get_by_role("heading", name=f"Laporan {shown}")).to_be_visible()
    await page.get_by_label("Instansi tujuan").select_option("DLH")
    await page.locator("#transfer-internal_note").fill("Ini sampah liar, bukan jalan rusak.")
    await page.get_by_role("button", name="Alihkan").click()
    await expect(page.get_by_role("status")).to_contain_text(f"laporan {shown}")
    await expect(page.get_by_role("link", name=shown)).to_have_count(0)
    await page.get_by_role("button", name="Keluar").click()
    await expect(page.get_by_text("Anda sudah keluar.")).to_be_visible()

    # The environment agency resolves it with a note for the citizen.
    await log_in(page, live_server, "dlh")
    await page.get_by_role("link", name=shown).click()
    await expect(page.locator(".internal-note")).to_contain_text("Ini sampah liar")
    await page.get_by_label("Hasil tindak lanjut untuk warga").fill(
        "Sampah sudah diangkut truk DLH dan papan larangan dipasang."
    )
    await page.get_by_role("button", name="Tandai selesai").click()
    await expect(page.locator(".badges .status")).to_have_text("Selesai")

    # The public status page tells the story, and nobody's name or number.
    await page.goto(live_server.url(f"/lacak/{code}"))
    public = await page.locator("main").inner_text()
    assert "Selesai" in public
    assert "Dinas Lingkungan Hidup" in public
    assert "papan larangan dipasang" in public
    content = await page.content()
    for private in ("Siti", "081234567890", "siti.r@contoh.id", "sampah liar, bukan"):
        assert private not in content


async def test_an_officer_logs_in_with_the_keyboard_alone(live_server, page, with_passwords):
    await page.goto(live_server.url("/petugas/masuk"))
    for _ in range(12):
        await page.keyboard.press("Tab")
        if await page.evaluate("document.activeElement.id") == "username":
            break
    else:
        pytest.fail("the username field cannot be reached with Tab")
    await page.keyboard.type("dpupr")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.id") == "password"
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name=QUEUE_HEADING)).to_be_visible()


async def test_the_queue_fits_a_phone_screen(live_server, page, client, clock, with_passwords):
    await file_others(client, clock)
    await client.post(
        "/api/v1/complaints",
        json={"text": "Jalan" + "rusak" * 60 + " tanpa spasi sama sekali", "category": "jalan"},
    )
    await page.set_viewport_size({"width": 390, "height": 844})
    await log_in(page, live_server, "admin")
    widths = await page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 390, widths
    await expect(page.locator("table.queue").get_by_text("Merah").first).to_be_visible()
    await screenshot(page, "queue-mobile")


@pytest.fixture(scope="module")
def small_model():
    return train(synthetic_examples(), seed=0, now=TRAINED_AT)


async def test_the_desk_routes_a_complaint_with_one_click(
    live_server, page, services, with_passwords, small_model
):
    # The model is sure of nothing here, so every complaint waits at the desk.
    router = ClassifierRouter(services.city, small_model)
    router.threshold = 1.0
    live_server.app[SERVICES].router = router
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            live_server.url("/api/v1/complaints"),
            json={"text": "Dengan hormat, kami laporkan jalan berlubang besar di jalan melati."},
        ) as response,
    ):
        filed = await response.json()
    assert filed["status"] == "received"
    await log_in(page, live_server, "desk")
    await page.get_by_role("link", name="Meja verifikasi").click()
    card = page.locator("ul.desk li", has_text=tracking.display(filed["tracking_code"]))
    first = card.get_by_role("button").first
    await expect(first).to_contain_text("Jalan Rusak")
    await expect(first).to_contain_text("ke Dinas Pekerjaan Umum")
    await screenshot(page, "desk")
    await first.click()
    await expect(page.get_by_role("status")).to_contain_text("diverifikasi")
    await expect(
        page.locator("ul.desk li", has_text=tracking.display(filed["tracking_code"]))
    ).to_have_count(0)
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT status, agency_code FROM complaint WHERE tracking_code = $1",
            filed["tracking_code"],
        )
    assert (row["status"], row["agency_code"]) == ("assigned", "DPUPR")


async def test_the_admin_creates_an_officer_who_can_then_log_in(live_server, page, with_passwords):
    await log_in(page, live_server, "admin")
    await page.get_by_role("link", name="Admin").click()
    form = page.locator("form", has=page.get_by_role("heading", name="Tambah petugas"))
    await form.get_by_label("Nama pengguna").fill("rina.dlh")
    await form.get_by_label("Nama lengkap").fill("Rina Lestari")
    await form.get_by_label("Peran").select_option("officer")
    await form.get_by_label("Instansi").select_option("DLH")
    await form.get_by_label("Kata sandi awal").fill(PASSWORD)
    await form.get_by_role("button", name="Tambah petugas").click()
    await expect(page.get_by_role("status")).to_contain_text("Akun petugas dibuat")
    await expect(page.locator("#petugas table")).to_contain_text("rina.dlh")
    await screenshot(page, "admin")
    await page.get_by_role("button", name="Keluar").click()
    await log_in(page, live_server, "rina.dlh")
    await expect(page.locator("header")).to_contain_text("Rina Lestari")
    await expect(page.get_by_text("Laporan untuk Dinas Lingkungan Hidup")).to_be_visible()


async def test_the_complaint_page_shows_text_photos_place_and_routing(
    live_server, page, client, with_passwords
):
    form = aiohttp.FormData()
    form.add_field("text", "Jalan berlubang <script>window.pwned = 1</script> depan SDN 3.")
    form.add_field("category", "jalan")
    form.add_field("anonim", "false")
    form.add_field("reporter_name", "Budi Santoso")
    form.add_field("lat", "-6.2383")
    form.add_field("lon", "106.9756")
    form.add_field("kelurahan", "Margahayu")
    form.add_field("photos", png_bytes(40, 30, seed=5), filename="a.png", content_type="image/png")
    code = (await (await client.post("/api/v1/complaints", data=form)).json())["tracking_code"]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await log_in(page, live_server, "dpupr")
    await page.goto(live_server.url(f"/petugas/laporan/{code}"))
    await expect(page.locator(".complaint-text")).to_have_text(
        "Jalan berlubang <script>window.pwned = 1</script> depan SDN 3."
    )
    assert await page.evaluate("window.pwned") is None
    assert not dialogs
    photo = page.get_by_role("img", name="Foto dari pelapor 1")
    await expect(photo).to_be_visible()
    assert await photo.evaluate("img => img.naturalWidth") == 40
    await expect(page.get_by_role("link", name="Buka di OpenStreetMap")).to_be_visible()
    await expect(page.locator("#pelapor-h + dl")).to_contain_text("Budi Santoso")
    await screenshot(page, "complaint")
