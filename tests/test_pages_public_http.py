"""The public pages over HTTP (no browser): the report form's outcomes, the status look-up,
the list and its filters, and the performance figures against the monthly report."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from helpers import VALID, cleaned, png_bytes, row_counts
from report_month import OCTOBER, build_october

from lapor import reports, tracking
from lapor.calendar import local_time
from lapor.report_render import converted, number, percent
from lapor.settings import OSM_TILES, SettingsError, map_tiles

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

GOOD = {
    "text": VALID["text"],
    "category": "jalan",
    "lat": "-6.238300",
    "lon": "106.975600",
    "kelurahan": "Margahayu",
    "kecamatan": "Bekasi Timur",
    "reporter_name": "Siti Rahmawati",
    "reporter_phone": "081234567890",
    "reporter_email": "siti.r@contoh.id",
    "rahasia": "false",
    "anonim": "false",
    "idempotency_key": "form-key-1",
}


async def csrf_token(client) -> str:
    page = await (await client.get("/")).text()
    return CSRF.search(page).group(1)


def report_form(token: str | None, fields: dict[str, str], photos=()) -> aiohttp.FormData:
    data = aiohttp.FormData()
    if token is not None:
        data.add_field("csrf_token", token)
    for name, value in fields.items():
        data.add_field(name, value)
    for filename, content in photos:
        data.add_field("photos", content, filename=filename, content_type="image/png")
    return data


async def send(client, fields: dict[str, str], photos=(), *, token: str | None = "fetch"):
    if token == "fetch":
        token = await csrf_token(client)
    return await client.post("/", data=report_form(token, fields, photos), allow_redirects=False)


async def file_by_api(client, **changes) -> str:
    response = await client.post("/api/v1/complaints", json={**VALID, **changes})
    assert response.status == 201, await response.text()
    return (await response.json())["tracking_code"]


def code_from(response) -> str:
    assert response.status == 303, response.status
    return re.fullmatch(r"/lacak/([0-9A-Z]{10})\?baru=1", response.headers["Location"]).group(1)


# ------------------------------------------------------------------------------ the form


async def test_the_form_files_through_the_apis_intake_and_redirects_to_the_status_page(
    immediate_client, services
):
    client = immediate_client  # a city that publishes at intake: the photo is public at once
    code = code_from(await send(client, GOOD, [("a.png", png_bytes(seed=11))]))
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT c.channel, c.category_hint, c.latitude, c.longitude, c.kecamatan,
                      c.rahasia, c.anonim, r.name, r.phone, r.email, p.sha256, p.media_type
               FROM complaint c JOIN reporter r ON r.id = c.reporter_id
               JOIN complaint_photo p ON p.complaint_id = c.id WHERE c.tracking_code = $1""",
            code,
        )
    assert (row["channel"], row["category_hint"]) == ("web", "jalan")
    assert (row["latitude"], row["longitude"], row["kecamatan"]) == (
        -6.2383,
        106.9756,
        "Bekasi Timur",
    )
    assert (row["rahasia"], row["anonim"]) == (False, False)
    assert (row["name"], row["phone"], row["email"]) == (
        "Siti Rahmawati",
        "081234567890",
        "siti.r@contoh.id",
    )
    assert row["sha256"] == hashlib.sha256(cleaned(png_bytes(seed=11))).hexdigest()
    assert row["media_type"] == "image/png"

    page = await (await client.get(f"/lacak/{code}?baru=1")).text()
    assert tracking.display(code) in page and "sudah kami terima" in page
    for personal in ("Siti", "081234567890", "siti.r@contoh.id", "lpr_"):
        assert personal not in page
    assert f"/api/v1/complaints/{code}/photos/1" in page


async def test_errors_show_the_form_again_with_each_fields_message_and_nothing_written(
    client, services
):
    before = await row_counts(services)
    fields = {
        **GOOD,
        "text": "pendek",
        "lon": "",
        "reporter_email": "bukan-email",
        "title": "<b>Judul</b>",
    }
    photos = [("a.png", png_bytes(seed=12)), ("virus.png", b"MZ\x90\x00 not an image")]
    response = await send(client, fields, photos)
    page = await response.text()
    assert response.status == 422
    assert await row_counts(services) == before
    errors = dict(re.findall(r'<p class="field-error" id="([a-z_]+)-error">([^<]+)</p>', page))
    assert errors == {
        "text": "isi laporan paling sedikit 10 karakter",
        "lokasi": "lat dan lon harus diisi berdua",
        "reporter_email": "alamat email tidak valid",
        "photos": "Foto harus berformat JPEG, PNG, atau WebP.",
    }
    # What the citizen typed is kept (escaped), the photo must be chosen again.
    assert ">pendek</textarea>" in page
    assert 'value="Margahayu"' in page and 'value="&lt;b&gt;Judul&lt;/b&gt;"' in page
    assert 'value="form-key-1"' in page
    assert "pilih lagi fotonya" in page
    assert 'aria-invalid="true"' in page


async def test_a_form_sent_without_its_csrf_token_is_refused_and_nothing_written(client, services):
    await csrf_token(client)  # the visitor has the cookie, but the form lacks the token
    before = await row_counts(services)
    response = await send(client, GOOD, token=None)
    assert response.status == 403
    assert "kedaluwarsa atau tidak sah" in await response.text()
    forged = await send(client, GOOD, token="0" * 64)
    assert forged.status == 403
    assert await row_counts(services) == before


async def test_the_same_form_sent_twice_files_one_report(client, services):
    first = code_from(await send(client, GOOD))
    again = code_from(await send(client, GOOD))
    edited = code_from(await send(client, {**GOOD, "text": VALID["text"] + " Tolong segera."}))
    assert again == first and edited != first
    assert (await row_counts(services))["complaint"] == 2


async def test_a_rahasia_report_is_shown_only_to_the_browser_that_filed_it(client):
    response = await send(client, {**GOOD, "rahasia": "true"})
    code = code_from(response)
    cookie = response.cookies["lapor_pelapor"]
    assert cookie["path"] == f"/lacak/{code}" and cookie["httponly"]
    page = await client.get(f"/lacak/{code}?baru=1")
    html = await page.text()
    assert page.status == 200 and "rahasia" in html
    assert page.headers["Cache-Control"] == "private, no-store"
    assert VALID["text"] not in html and "Margahayu" not in html  # public_view's limits
    client.session.cookie_jar.clear()
    assert (await client.get(f"/lacak/{code}")).status == 404
    assert code not in await (await client.get("/laporan")).text()
    assert code not in await (await client.get("/laporan/peta.json")).text()


# ------------------------------------------------------------------------------ status


async def test_the_lookup_sends_a_code_to_its_page_and_explains_a_typo(client):
    code = await file_by_api(client)
    readable = tracking.display(code).lower()
    found = await client.get(f"/lacak?kode={readable}", allow_redirects=False)
    assert (found.status, found.headers["Location"]) == (303, f"/lacak/{code}")
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    wrong = await client.get(f"/lacak?kode={typo}")
    assert wrong.status == 400
    assert "salah ketik" in await wrong.text()
    assert f'value="{typo}"' in await wrong.text()
    empty = await client.get("/lacak?kode=")
    assert empty.status == 400 and "Tulis kode pelacakan" in await empty.text()
    unknown = await client.get(f"/lacak/{tracking.new_code()}")
    assert unknown.status == 404 and 'id="kode"' in await unknown.text()


async def test_the_status_page_speaks_lapors_words_in_city_time_with_public_notes_only(
    client, accounts
):
    code = await file_by_api(client)
    headers = accounts["dpupr"].headers
    await client.post(
        f"/api/v1/complaints/{code}/actions",
        json={"action": "start", "internal_note": "Cek anggaran dulu, jangan bilang warga."},
        headers=headers,
    )
    await client.post(
        f"/api/v1/complaints/{code}/actions",
        json={"action": "resolve", "note": "Lubang sudah ditambal."},
        headers=headers,
    )
    page = await (await client.get(f"/lacak/{code}")).text()
    assert '<span class="status group-selesai">Selesai</span>' in page
    assert "Mulai diproses" in page and "Lubang sudah ditambal." in page
    assert "jangan bilang warga" not in page
    assert "23 Nov 2026, 09.00 WIB" in page  # the clock is 02:00 UTC


def test_times_are_shown_in_the_citys_zone():
    moment = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    assert local_time(ZoneInfo("Asia/Makassar"), moment) == "23 Nov 2026, 10.00 WITA"
    assert local_time(ZoneInfo("Asia/Jayapura"), moment.isoformat()) == "23 Nov 2026, 11.00 WIT"


# ------------------------------------------------------------------------------ list and map


async def test_the_list_filters_and_pages_public_reports_and_never_rahasia_ones(
    immediate_client, accounts
):
    client = immediate_client  # a city that publishes at intake: every report is listed
    sampah = {"text": "Sampah menumpuk di pinggir jalan sudah tiga hari.", "category": "sampah"}
    road = [await file_by_api(client) for _ in range(21)]
    rubbish = await file_by_api(client, **sampah, location={"lat": -6.35, "lon": 107.0})
    secret = await file_by_api(client, rahasia=True, location={"lat": -6.3, "lon": 107.1})
    await client.post(
        f"/api/v1/complaints/{road[0]}/actions",
        json={"action": "resolve", "note": "Sudah diperbaiki."},
        headers=accounts["dpupr"].headers,
    )

    first = await (await client.get("/laporan")).text()
    assert "22 laporan" in first and "halaman 1 dari 2" in first
    assert secret not in first and "Siti" not in first
    second = await (await client.get("/laporan?halaman=2")).text()
    # Newest first (the same clock: the later id), twenty to a page.
    assert road[0] in second and road[1] in second and road[2] not in second
    assert road[2] in first and rubbish in first
    only_rubbish = await (await client.get("/laporan?kategori=sampah")).text()
    assert "1 laporan" in only_rubbish and rubbish in only_rubbish
    done = await (await client.get("/laporan?status=selesai&instansi=DPUPR")).text()
    assert "1 laporan" in done and road[0] in done
    place = await (await client.get("/laporan?kecamatan=bekasi%20timur")).text()
    # Its point lies in Bekasi Selatan (the kecamatan is filled from the point).
    assert "21 laporan" in place and rubbish not in place

    points = await (await client.get("/laporan/peta.json?kategori=sampah")).json()
    assert [p["code"] for p in points["points"]] == [rubbish]
    assert points["points"][0]["lat"] == -6.35
    everything = await (await client.get("/laporan/peta.json")).text()
    assert secret not in everything and "Siti" not in everything and "0812" not in everything

    wrong = await client.get("/laporan?status=hilang&instansi=XYZ")
    text = await wrong.text()
    assert wrong.status == 422 and "status" in text and "instansi" in text


async def test_the_maps_use_the_tile_setting(client, settings, clock, aiohttp_client):
    from dataclasses import replace

    from lapor.web.app import create_app

    home = await (await client.get("/")).text()
    assert 'data-tiles=""' in home  # the tests' settings: no tiles, points only
    custom = "http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png"
    tiled = await aiohttp_client(create_app(replace(settings, map_tiles=custom), clock=clock))
    assert f'data-tiles="{custom}"' in await (await tiled.get("/laporan")).text()

    assert map_tiles({}) == OSM_TILES
    assert map_tiles({"LAPOR_MAP_TILES": ""}) == ""
    assert map_tiles({"LAPOR_MAP_TILES": custom}) == custom
    with pytest.raises(SettingsError, match="LAPOR_MAP_TILES"):
        map_tiles({"LAPOR_MAP_TILES": "tile.example/{z}/{x}.png"})


# ------------------------------------------------------------------------------ performance


def row_cells(page: str, attribute: str, key: str) -> list[str]:
    row = re.search(rf'<tr {attribute}="{key}">(.*?)</tr>', page, re.S).group(1)
    return re.findall(r"<td>(.*?)</td>", row, re.S)


async def test_the_performance_pages_show_the_monthly_reports_figures(client, services):
    async with services.pool.acquire() as conn:
        await build_october(conn)
    report = await reports.build_report(services, OCTOBER)

    overview = await client.get("/kinerja?bulan=2026-10")
    page = await overview.text()
    assert overview.status == 200
    for code in ("DPUPR", "DLH", "DISPERKIM", "DINKES"):
        f = report.current[code]
        ikm = number(converted(f.ikm), 2) + (f" ({f.ikm.grade})" if f.ikm.grade else "")
        assert row_cells(page, "data-agency", code) == [
            number(f.received),
            number(f.resolved),
            percent(f.compliance("response").share),
            percent(f.compliance("resolve").share),
            number(f.resolution.median, 2),
            ikm,
        ]
    # By hand (tests/report_month.py): DPUPR received A, resolved A and D (3 and 3.5 working
    # days), met A's response deadline, A's and D's resolve deadlines; IKM 31/9 = 86.11 (B).
    assert row_cells(page, "data-agency", "DPUPR") == [
        "1",
        "2",
        "100,0%",
        "100,0%",
        "3,25",
        "86,11 (B)",
    ]
    # DISPERKIM missed C's response and resolve deadlines, answered nothing.
    assert row_cells(page, "data-agency", "DISPERKIM") == ["1", "0", "0,0%", "0,0%", "-", "-"]

    detail = await (await client.get("/kinerja/dlh?bulan=2026-10")).text()
    assert row_cells(detail, "data-stage", "response") == ["1", "0", "0,0%", "-"]  # B, reopened
    assert "11,00" in detail  # B resolved after 11 working days
    desk = await (await client.get("/kinerja/DISKOMINFO?bulan=2026-10")).text()
    assert row_cells(desk, "data-stage", "verify") == ["2", "1", "50,0%", "-"]  # B met, H missed

    assert (await client.get("/kinerja/TIDAKADA")).status == 404
    assert (await client.get("/kinerja/SETDA")).status == 404  # oversight: no complaints
    late = await client.get("/kinerja?bulan=2026-12")
    assert late.status == 422 and "bulan antara" in await late.text()
    assert (await client.get("/kinerja?bulan=oktober")).status == 422


async def test_the_page_cache_computes_once_for_concurrent_visitors_and_forgets_failures():
    import asyncio

    from lapor.web.pages import PageCache

    cache, calls = PageCache(ttl_seconds=60), []

    async def slow() -> int:
        calls.append(1)
        await asyncio.sleep(0.01)
        return len(calls)

    assert await asyncio.gather(*(cache.get("k", slow) for _ in range(5))) == [1] * 5

    async def broken() -> int:
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        await cache.get("x", broken)
    assert await cache.get("x", slow) == 2  # the failure was not kept
    expired = PageCache(ttl_seconds=0)
    assert [await expired.get("k", slow), await expired.get("k", slow)] == [3, 4]
