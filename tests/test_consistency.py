"""Issue 17 §6, consistency: the desk never suggests an agency that refused the complaint, and
the SLA's words say a deadline has passed once it has, whatever the hour."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from classifier_corpus import TRAINED_AT, synthetic_examples
from lifecycle_helpers import act, file
from officer_helpers import csrf_in, give_passwords, login

from classifier.model import train
from lapor import city_edits, sla_rules
from lapor.routing import ClassifierRouter, next_ranked
from lapor.web.keys import SERVICES

ROAD = "Dengan hormat, kami laporkan jalan berlubang besar di jalan melati."


@pytest.fixture(scope="module")
def small_model():
    return train(synthetic_examples(), seed=0, now=TRAINED_AT)


@pytest.fixture
async def routed_client(aiohttp_client, settings, clock, city, small_model):
    from lapor.web.app import create_app

    app = create_app(settings, clock=clock, city=city, router=ClassifierRouter(city, small_model))
    return await aiohttp_client(app)


# ------------------------------------------------------------------- the desk and refusals


def test_the_prediction_ranks_every_category_best_first(small_model):
    prediction = small_model.predict(ROAD)
    ranked = [code for code, _ in prediction.ranking]
    assert ranked[:3] == [code for code, _ in prediction.suggestions]
    assert sorted(ranked) == sorted(small_model.labels)
    probabilities = [p for _, p in prediction.ranking]
    assert probabilities == sorted(probabilities, reverse=True)


def test_next_ranked_drops_the_refused_agency_and_the_desk(city):
    ranked = [("jalan", 0.6), ("drainase", 0.2), ("lainnya", 0.1), ("sampah", 0.05)]
    assert next_ranked(city, ranked, {"DPUPR"}) == [("sampah", 0.05)]
    assert next_ranked(city, ranked, (), limit=2) == [("jalan", 0.6), ("drainase", 0.2)]


async def test_a_complaint_refused_by_dpupr_never_gets_dpupr_suggested_again(
    routed_client, accounts
):
    services = routed_client.app[SERVICES]
    filed = await routed_client.post("/api/v1/complaints", json={"text": ROAD})
    code = (await filed.json())["tracking_code"]
    assert (await filed.json())["agency"] == "DPUPR"
    refused = await act(routed_client, code, accounts["dpupr"], "not_ours")
    assert refused.status == 200, await refused.text()

    response = await routed_client.get("/api/v1/desk", headers=accounts["desk"].headers)
    assert response.status == 200, await response.text()
    (item,) = (await response.json())["items"]
    assert item["refused_agencies"] == ["DPUPR"]
    agencies = [s["agency"] for s in item["suggestions"]]
    assert len(agencies) == 3 and "DPUPR" not in agencies
    # Without the refusal the model's first choice would have been DPUPR's.
    assert (
        services.city.categories[services.router.route(ROAD, None).predicted_category].agency
        == "DPUPR"
    )

    await give_passwords(services, accounts)
    await login(routed_client, "desk")
    html = await (await routed_client.get("/petugas/meja")).text()
    suggested = {c for c in services.city.categories if f'name="category" value="{c}"' in html}
    assert suggested and not {c for c in suggested if c in ("jalan", "drainase")}
    assert services.city.agencies["DPUPR"].name in html  # named as the one that refused
    # The complaint's own page starts its verify form on the next-ranked category, too.
    page = await (await routed_client.get(f"/petugas/laporan/{code}")).text()
    verify_select = page.split('id="verify-category"')[1].split("</select>")[0]
    (chosen,) = re.findall(r'<option value="(\w+)" selected>', verify_select)
    assert services.city.categories[chosen].agency != "DPUPR"


async def test_the_desk_api_is_for_the_desk(routed_client, accounts):
    response = await routed_client.get("/api/v1/desk", headers=accounts["dpupr"].headers)
    assert response.status == 403


# ----------------------------------------------------------------- overdue after office hours


def at_local(city, day: date, clock_time: time) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=ZoneInfo(city.timezone))


async def desk_sla(client, accounts, code: str) -> dict:
    queue = await (await client.get("/api/v1/queue", headers=accounts["desk"].headers)).json()
    (item,) = [i for i in queue["items"] if i["tracking_code"] == code]
    full = await client.get(f"/api/v1/complaints/{code}/full", headers=accounts["desk"].headers)
    assert (await full.json())["sla"] == item["sla"]  # one computation for the queue and view
    return item["sla"]


async def test_a_deadline_passed_after_office_hours_says_lewat_not_sisa(
    client, services, clock, accounts
):
    city = services.city
    # Filed at Monday's opening: three working days for the desk end at Wednesday's closing.
    clock.set(at_local(city, date(2026, 11, 23), city.office_start))
    code = (await file(client, category=None))["tracking_code"]
    due = at_local(city, date(2026, 11, 25), city.office_end)

    clock.set(due - timedelta(minutes=30))
    sla = await desk_sla(client, accounts, code)
    assert (sla["overdue"], sla["time_left"]) == (False, "sisa 30 menit kerja")

    clock.set(at_local(city, date(2026, 11, 25), time(20, 0)))  # the evening of the deadline
    sla = await desk_sla(client, accounts, code)
    assert (sla["state"], sla["overdue"], sla["working_hours_left"]) == ("red", True, 0)
    assert sla["time_left"] == "lewat batas waktu"
    await give_passwords(services, accounts)
    await login(client, "desk")
    for page in ("/petugas/antrian", f"/petugas/laporan/{code}", "/petugas/meja"):
        html = await (await client.get(page)).text()
        assert "lewat batas waktu" in html and "sisa" not in html, page

    # The next working morning, an hour into office time: an hour overdue.
    clock.set(at_local(city, date(2026, 11, 26), city.office_start) + timedelta(hours=1))
    sla = await desk_sla(client, accounts, code)
    assert (sla["overdue"], sla["time_left"]) == (True, "lewat 1 jam kerja")


async def test_a_deadline_on_friday_stays_lewat_batas_waktu_over_the_weekend(
    client, services, clock, accounts
):
    city = services.city
    clock.set(at_local(city, date(2026, 11, 25), city.office_start))  # Wednesday's opening
    code = (await file(client, category=None))["tracking_code"]
    for moment in (
        at_local(city, date(2026, 11, 27), time(23, 0)),  # Friday night
        at_local(city, date(2026, 11, 28), time(10, 0)),  # Saturday
        at_local(city, date(2026, 11, 30), time(6, 0)),  # Monday before opening
    ):
        clock.set(moment)
        sla = await desk_sla(client, accounts, code)
        assert (sla["overdue"], sla["time_left"]) == (True, "lewat batas waktu"), moment


def test_a_holiday_after_the_deadline_adds_no_overdue_time(city):
    monday = date(2026, 11, 30)
    holiday_city = dataclasses.replace(city, extra_days_off=(monday,))
    due = at_local(city, date(2026, 11, 27), city.office_end)  # Friday's closing
    on_the_holiday = sla_rules.sla_state(
        holiday_city, "verify", due, at_local(city, monday, time(11, 0))
    )
    assert on_the_holiday.overdue and on_the_holiday.time_left == "lewat batas waktu"
    tuesday = at_local(city, monday + timedelta(days=1), city.office_start) + timedelta(hours=2)
    after = sla_rules.sla_state(holiday_city, "verify", due, tuesday)
    assert (after.overdue, after.time_left) == (True, "lewat 2 jam kerja")
    assert after.as_json()["time_left"] == after.time_left


def test_time_left_words_come_from_the_catalogues(city):
    day = sla_rules.calendar_for(city).workday_length
    assert sla_rules.time_left_words(city, day + timedelta(hours=3), False) == (
        "sisa 1 hari 3 jam kerja"
    )
    assert sla_rules.time_left_words(city, -2 * day, True, "en") == "2 d of working time overdue"
    assert sla_rules.time_left_words(city, timedelta(0), True, "en") == "past the deadline"


# ------------------------------------------------------------------- the admin edits the city


def edit_form(csrf: str, kind: str, code: str, **fields: str) -> dict:
    return {"csrf_token": csrf, "kind": kind, "code": code, **fields}


async def admin_page_csrf(client) -> str:
    response = await client.get("/petugas/admin/kota")
    assert response.status == 200, await response.text()
    return csrf_in(await response.text())


async def resolve_due(client, accounts, code: str) -> datetime:
    full = await client.get(f"/api/v1/complaints/{code}/full", headers=accounts["admin"].headers)
    return datetime.fromisoformat((await full.json())["deadlines"]["resolve_due_at"])


async def test_the_admin_renames_an_agency_and_shortens_a_category_on_the_page(
    client, services, accounts
):
    seed = services.city
    before = await resolve_due(client, accounts, (await file(client))["tracking_code"])
    await give_passwords(services, accounts)
    await login(client, "admin")
    csrf = await admin_page_csrf(client)

    renamed = await client.post(
        "/petugas/admin/kota",
        data=edit_form(csrf, "agency", "DPUPR", name="Dinas Jalan dan Jembatan", short_name="DJJ"),
        allow_redirects=False,
    )
    assert renamed.status == 303, await renamed.text()
    shortened = await client.post(
        "/petugas/admin/kota",
        data=edit_form(
            csrf, "category", "jalan", name="Jalan Rusak", agency="DPUPR", resolution_days="10"
        ),
        allow_redirects=False,
    )
    assert shortened.status == 303, await shortened.text()

    # A new road complaint gets 10 working days to resolve instead of field_check's 60.
    filed = await file(client)
    assert filed["agency"] == "DPUPR"
    after = await resolve_due(client, accounts, filed["tracking_code"])
    calendar = sla_rules.calendar_for(services.city)
    assert after == calendar.add_working_days(services.clock.now(), 10) and after < before
    agencies = await (await client.get("/api/v1/agencies")).json()
    assert {a["code"]: a["name"] for a in agencies}["DPUPR"] == "Dinas Jalan dan Jembatan"

    async with services.pool.acquire() as conn:
        log = await conn.fetch(
            "SELECT kind, code, field, before, after, officer_id FROM city_edit_log ORDER BY id"
        )
        table_name = await conn.fetchval("SELECT name FROM agency WHERE code = 'DPUPR'")
    admin_id = accounts["admin"].officer.id
    assert [tuple(r) for r in log] == [
        (
            "agency",
            "DPUPR",
            "name",
            seed.agencies["DPUPR"].name,
            "Dinas Jalan dan Jembatan",
            admin_id,
        ),
        ("agency", "DPUPR", "short_name", seed.agencies["DPUPR"].short_name, "DJJ", admin_id),
        ("category", "jalan", "resolution_days", None, 10, admin_id),
    ]
    assert table_name == "Dinas Jalan dan Jembatan"
    html = await (await client.get("/petugas/admin/kota")).text()
    assert "Dinas Jalan dan Jembatan" in html and "Admin Kota" in html  # the log names who


async def test_a_resync_of_the_seed_keeps_the_edit_and_other_instances_follow(
    client, services, accounts, settings, clock, city, aiohttp_client
):
    from lapor.reference import sync_city
    from lapor.web.app import create_app

    other = await aiohttp_client(create_app(settings, clock=clock, city=city))
    elsewhere = other.app[SERVICES]
    response = await client.patch(
        "/api/v1/sla", json={"verify_days": 2}, headers=accounts["admin"].headers
    )
    assert response.status == 200, await response.text()
    assert (await response.json())["verify_days"] == 2
    assert elsewhere.city.sla.verify_days == city.sla.verify_days  # not yet
    assert await city_edits.CityEditsFollower()(elsewhere) is True
    assert elsewhere.city.sla.verify_days == 2

    async with services.pool.acquire() as conn:
        resynced = await sync_city(conn, city)  # the seed says 3
    assert resynced.sla.verify_days == 2

    # Back to the file's value: the edit row goes, the log keeps both changes.
    await client.patch("/api/v1/sla", json={"verify_days": 3}, headers=accounts["admin"].headers)
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM city_edit") == 0
    log = await (await client.get("/api/v1/city/edits", headers=accounts["admin"].headers)).json()
    assert [(e["field"], e["before"], e["after"]) for e in log["items"]] == [
        ("verify_days", 2, 3),
        ("verify_days", 3, 2),
    ]


def test_effective_applies_edits_over_the_seed_and_ignores_retired_codes(city):
    edited = city_edits.effective(
        city,
        [
            city_edits.Edit("agency", "DLH", "name", "Dinas Lingkungan"),
            city_edits.Edit("agency", "GONE", "name", "Tidak ada"),
            city_edits.Edit("category", "sampah", "agency", "DPUPR"),
            city_edits.Edit("sla", "", "resolution_days_simple", 7),
        ],
    )
    assert edited.agencies["DLH"].name == "Dinas Lingkungan" and "GONE" not in edited.agencies
    assert edited.agency_for("sampah").code == "DPUPR"
    assert edited.sla.resolution_days["simple"] == 7
    assert city.agencies["DLH"].name != "Dinas Lingkungan"  # the seed is untouched


@pytest.mark.parametrize("who", ["desk", "dpupr"])
async def test_only_the_admin_edits_the_city(client, services, accounts, who):
    await give_passwords(services, accounts)
    await login(client, who)
    assert (await client.get("/petugas/admin/kota")).status == 403
    csrf = csrf_in(await (await client.get("/petugas/antrian")).text())
    posted = await client.post(
        "/petugas/admin/kota", data=edit_form(csrf, "agency", "DPUPR", name="X")
    )
    assert posted.status == 403
    patched = await client.patch(
        "/api/v1/agencies/DPUPR", json={"name": "X"}, headers=accounts[who].headers
    )
    assert patched.status == 403
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM city_edit_log") == 0


async def test_a_bad_value_is_named_by_its_field(client, services, accounts):
    patched = await client.patch(
        "/api/v1/categories/jalan",
        json={"agency": "WALIKOTA"},
        headers=accounts["admin"].headers,
    )
    assert patched.status == 422
    assert patched.content_type == "application/problem+json"
    assert [e["field"] for e in (await patched.json())["errors"]] == ["agency"]

    await give_passwords(services, accounts)
    await login(client, "admin")
    csrf = await admin_page_csrf(client)
    page = await client.post(
        "/petugas/admin/kota",
        data=edit_form(csrf, "category", "jalan", name="Jalan", resolution_days="nol"),
    )
    assert page.status == 422
    html = unescape(await page.text())
    assert "Hari penyelesaian: Harus bilangan bulat hari kerja dari 1 sampai 365." in html
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM city_edit_log") == 0


async def test_the_admin_edits_the_city_in_a_browser_and_another_instance_follows(
    live_server, page, client, services, accounts
):
    from browser import screenshot
    from officer_helpers import PASSWORD
    from playwright.async_api import expect

    await give_passwords(services, accounts)
    await page.goto(live_server.url("/petugas/masuk"))
    await page.get_by_label("Nama pengguna").fill("admin")
    await page.get_by_label("Kata sandi").fill(PASSWORD)
    await page.get_by_role("button", name="Masuk").click()
    await page.get_by_role("link", name="Instansi dan kategori").click()
    await expect(
        page.get_by_role("heading", name="Instansi, kategori dan batas waktu")
    ).to_be_visible()

    await page.locator("#agency-DPUPR-name").fill("Dinas Jalan dan Jembatan")
    await page.locator("#agency-DPUPR").get_by_role("button", name="Simpan").click()
    await expect(page.get_by_role("status")).to_have_text("Perubahan disimpan dan dicatat.")
    await page.locator("#category-jalan-days").fill("10")
    await page.locator("#category-jalan").get_by_role("button", name="Simpan").click()
    await expect(page.get_by_role("status")).to_be_visible()
    log = page.locator("table.city-edit-log tbody tr")
    await expect(log).to_have_count(2)
    await expect(log.first).to_contain_text("resolution_days")
    await expect(log.first).to_contain_text("Admin Kota")
    await screenshot(page, "city-edits")

    # `client` is another instance on the same database: it follows the edits by its job.
    assert services.city.categories["jalan"].resolution_days is None
    await city_edits.CityEditsFollower()(services)
    filed = await file(client)
    due = await resolve_due(client, accounts, filed["tracking_code"])
    calendar = sla_rules.calendar_for(services.city)
    assert due == calendar.add_working_days(services.clock.now(), 10)
    assert services.city.agencies["DPUPR"].name == "Dinas Jalan dan Jembatan"


async def test_the_city_form_without_its_csrf_token_changes_nothing(client, services, accounts):
    await give_passwords(services, accounts)
    await login(client, "admin")
    posted = await client.post(
        "/petugas/admin/kota",
        data={"kind": "agency", "code": "DPUPR", "name": "Tanpa token"},
        allow_redirects=False,
    )
    assert posted.status == 403
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM city_edit") == 0
