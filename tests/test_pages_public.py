"""The public pages in a real browser, offline: the tests' settings name no map tiles, and every
request the page makes must stay on the loopback server."""

from __future__ import annotations

import hashlib
import re

import pytest
from browser import screenshot
from helpers import VALID, cleaned, png_bytes, publishing_immediately
from playwright.async_api import expect
from report_month import build_october

from lapor.web.keys import SERVICES


@pytest.fixture
def settings(settings, tmp_path):
    """These pages are seen as in a city that publishes at intake: what a citizen reads once a
    report is public (tests/test_privacy_http.py covers publication after verification)."""
    return publishing_immediately(settings, tmp_path)


@pytest.fixture(autouse=True)
def only_loopback(page):
    outside: list[str] = []

    def check(request) -> None:
        if not request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            outside.append(request.url)

    page.on("request", check)
    yield
    assert not outside, f"the page reached outside the test server: {outside}"


async def file_by_api(client, **changes) -> str:
    response = await client.post("/api/v1/complaints", json={**VALID, **changes})
    assert response.status == 201, await response.text()
    return (await response.json())["tracking_code"]


async def test_a_citizen_files_a_report_with_a_photo_and_a_map_point(live_server, page, client):
    await file_by_api(client)  # an earlier report: the map opens on the city, not on Indonesia
    await page.goto(live_server.url("/"))
    await page.get_by_label("Isi laporan (wajib)").fill("Gelap")
    await page.get_by_label("Kategori").select_option("penerangan_jalan")
    picker = page.locator("#peta-pilih")
    await expect(picker).to_be_visible()
    await picker.click(position={"x": 240, "y": 140})
    await expect(page.locator("#titik-terpilih")).to_contain_text("Titik dipilih")
    lat = float(await page.locator("#lat").input_value())
    lon = float(await page.locator("#lon").input_value())
    assert -6.5 < lat < -6.0 and 106.7 < lon < 107.2  # near the earlier report, in Bekasi
    await page.get_by_label("Kelurahan/desa").fill("Margahayu")
    await page.set_input_files(
        "#photos",
        files=[{"name": "lampu.png", "mimeType": "image/png", "buffer": png_bytes(seed=21)}],
    )
    await page.get_by_label("Nama").fill("Budi Santoso")
    await page.get_by_label("Nomor telepon/WhatsApp").fill("081311112222")
    await page.get_by_role("button", name="Kirim laporan").click()

    # Too short: the form comes back with the message, the point and the name kept.
    await expect(page.locator("#text-error")).to_have_text("isi laporan paling sedikit 10 karakter")
    await expect(page.locator("#kesalahan")).to_be_focused()
    await expect(page.locator("#peta-pilih .leaflet-marker-icon")).to_have_count(1)
    assert float(await page.locator("#lat").input_value()) == pytest.approx(lat)
    await expect(page.get_by_label("Nama")).to_have_value("Budi Santoso")
    await page.get_by_label("Isi laporan (wajib)").fill(
        "Lampu penerangan jalan di depan masjid mati sejak seminggu, jalan gelap sekali."
    )
    await page.set_input_files(
        "#photos",
        files=[{"name": "lampu.png", "mimeType": "image/png", "buffer": png_bytes(seed=21)}],
    )
    await screenshot(page, "home")
    await page.get_by_role("button", name="Kirim laporan").click()

    await page.wait_for_url(re.compile(r"/lacak/[0-9A-Z]{10}\?baru=1$"))
    code = re.search(r"/lacak/([0-9A-Z]{10})", page.url).group(1)
    notice = page.get_by_role("status")
    await expect(notice).to_contain_text(f"{code[:5]}-{code[5:]}")
    timeline = page.locator("ol.timeline")
    await expect(timeline).to_contain_text("Laporan diterima")
    await expect(timeline).to_contain_text("09.00 WIB")
    await expect(page.locator("ul.photos img")).to_have_count(1)
    assert await page.locator("ul.photos img").evaluate("img => img.naturalWidth") == 2
    html = await page.content()
    assert "Budi" not in html and "081311112222" not in html
    await screenshot(page, "status-new")

    async with live_server.app[SERVICES].pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT c.channel, c.latitude, c.longitude, c.kelurahan, p.sha256
               FROM complaint c JOIN complaint_photo p ON p.complaint_id = c.id
               WHERE c.tracking_code = $1""",
            code,
        )
    assert row["channel"] == "web" and row["kelurahan"] == "Margahayu"
    assert (row["latitude"], row["longitude"]) == (pytest.approx(lat), pytest.approx(lon))
    assert row["sha256"] == hashlib.sha256(cleaned(png_bytes(seed=21))).hexdigest()


async def test_the_status_page_shows_the_timeline_and_no_reporter(live_server, page, client):
    code = await file_by_api(
        client, anonim=False, reporter={"name": "Siti Rahmawati", "phone": "081234567890"}
    )
    # The complaint was filed through another app instance on the same database.
    await page.goto(live_server.url(f"/lacak/{code}"))
    text = await page.locator("main").inner_text()
    assert code[:5] in text.replace("-", "")
    # the routing event, and the status's own label (an assigned complaint)
    assert "Diteruskan ke instansi yang berwenang" in text
    assert await page.locator("main > p > .status").inner_text() == "Diteruskan ke instansi"
    await expect(page.locator("#peta-laporan path.leaflet-interactive")).to_have_count(1)
    assert "Siti" not in await page.content()
    assert "081234567890" not in await page.content()
    await screenshot(page, "status")


async def test_a_script_in_a_complaint_is_shown_as_text(live_server, page, client):
    text = "Lampu mati <script>alert(1)</script> di gang <img src=x onerror=alert(2)> kami."
    code = await file_by_api(client, text=text, title="<b>alert(3)</b>")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await page.goto(live_server.url(f"/lacak/{code}"))
    await expect(page.locator(".report-text")).to_have_text(text)
    await expect(page.locator(".report-title")).to_have_text("<b>alert(3)</b>")
    await page.goto(live_server.url("/laporan"))
    await expect(page.locator("ul.reports .excerpt")).to_have_text(text)
    await expect(page.locator("#peta-laporan-warga")).to_have_attribute("data-drawn", "1")
    await page.locator("#peta-laporan-warga path.leaflet-interactive").click()
    await expect(page.locator(".leaflet-popup-content")).to_contain_text("Diteruskan ke instansi")
    assert dialogs == []


async def test_the_map_draws_public_reports_without_tiles_and_never_rahasia(
    live_server, page, client
):
    shown = [
        await file_by_api(client),
        await file_by_api(
            client,
            text="Sampah menumpuk di depan pasar, baunya menyengat sampai ke rumah warga.",
            category="sampah",
            location={"lat": -6.25, "lon": 107.01, "kecamatan": "Bekasi Utara"},
        ),
    ]
    await file_by_api(client, location={"address": "Jl. Kenanga 5"})  # listed, not on the map
    secret = await file_by_api(client, rahasia=True, location={"lat": -6.26, "lon": 107.02})
    await page.goto(live_server.url("/laporan"))
    area = page.locator("#peta-laporan-warga")
    await expect(area).to_have_attribute("data-drawn", "2")
    await expect(area.locator("path.leaflet-interactive")).to_have_count(2)
    await expect(area.locator(".leaflet-tile")).to_have_count(0)
    await expect(page.locator("ul.reports > li")).to_have_count(3)
    html = await page.content()
    assert all(code in html for code in shown) and secret not in html
    feed = await page.request.get(live_server.url("/laporan/peta.json"))
    assert secret not in await feed.text()
    await screenshot(page, "laporan")

    await page.get_by_label("Kategori").select_option("sampah")
    await page.get_by_role("button", name="Terapkan").click()
    await expect(page.locator("ul.reports > li")).to_have_count(1)
    await expect(area).to_have_attribute("data-drawn", "1")


async def test_the_performance_pages_in_a_browser(live_server, page):
    async with live_server.app[SERVICES].pool.acquire() as conn:
        await build_october(conn)
    await page.goto(live_server.url("/kinerja"))
    await page.get_by_label("Bulan").select_option("2026-10")
    await page.get_by_role("button", name="Tampilkan").click()
    await expect(page.locator("h1")).to_contain_text("Oktober 2026")
    row = page.locator('tr[data-agency="DPUPR"]')
    await expect(row).to_contain_text("86,11 (B)")
    await screenshot(page, "kinerja")
    await row.get_by_role("link").click()
    await expect(page.locator("h1")).to_contain_text("Dinas Pekerjaan Umum")
    await expect(page.locator('tr[data-stage="resolve"]')).to_contain_text("100,0%")
    await screenshot(page, "kinerja-instansi")


async def test_the_pages_fit_a_phone_screen(live_server, page, client):
    code = await file_by_api(client)
    await page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", f"/lacak/{code}", "/laporan", "/kinerja", "/kinerja/DPUPR", "/lacak"):
        await page.goto(live_server.url(path))
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"
    await page.goto(live_server.url("/"))
    for label in ("Isi laporan (wajib)", "Kategori", "Alamat atau patokan", "Nama"):
        box = await page.get_by_label(label).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, label
    await expect(page.get_by_role("button", name="Kirim laporan")).to_be_visible()
    await screenshot(page, "home-phone")
