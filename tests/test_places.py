"""Issue 17 §4: a point outside the city is refused naming the city, kelurahan and kecamatan
are filled from the point, a category may go to a UPT by kecamatan, the maps open on the city,
and the emergency numbers open the page of an emergency filed through the form.

The city here is the default one with a road UPT for Bekasi Selatan (its shapes are the
illustrative ones in config/cities/areas/default.geojson)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from helpers import NO_LIMITS
from lifecycle_helpers import act, file

from lapor.city import DEFAULT_CONFIG_DIR, CityConfigError, load_city

BANDUNG = {"lat": -6.9175, "lon": 107.6191}
MARGAHAYU = {"lat": -6.2383, "lon": 106.9756}  # Bekasi Timur
KAYURINGIN = {"lat": -6.35, "lon": 107.0}  # Bekasi Selatan

UPT = """
[agencies.UPT_JALAN_SELATAN]
name = "UPT Jalan Wilayah Selatan"
short_name = "UPT Jalan Selatan"
parent = "DPUPR"

[categories]"""
ROUTE = """
[area.routes.jalan]
by = "kecamatan"

[area.routes.jalan.agencies]
"Bekasi Selatan" = "UPT_JALAN_SELATAN"
"""


def city_file(tmp_path, route: str = ROUTE):
    text = (DEFAULT_CONFIG_DIR / "default.toml").read_text(encoding="utf-8")
    path = tmp_path / "upt.toml"  # the GeoJSON is found among the shipped cities' files
    path.write_text(text.replace("\n[categories]", UPT, 1) + route, encoding="utf-8")
    return path


@pytest.fixture
def city(tmp_path):
    return replace(load_city(city_file(tmp_path)), limits=NO_LIMITS)


async def stored(services, code: str):
    async with services.pool.acquire() as conn:
        return await conn.fetchrow(
            "SELECT agency_code, kelurahan, kecamatan FROM complaint WHERE tracking_code = $1",
            code,
        )


async def complaints_stored(services) -> int:
    async with services.pool.acquire() as conn:
        return await conn.fetchval("SELECT count(*) FROM complaint")


async def test_a_point_outside_the_city_is_refused_naming_the_city(client, services):
    response = await client.post("/api/v1/complaints", json={"text": "pendek", "location": BANDUNG})
    body = await response.json()
    assert (response.status, response.content_type) == (422, "application/problem+json")
    errors = {e["field"]: e["message"] for e in body["errors"]}
    assert set(errors) == {"text", "location"}  # every problem named at once
    assert "di luar wilayah Kota Contoh" in errors["location"]
    assert await complaints_stored(services) == 0


async def test_the_point_fills_the_place_and_a_road_in_bekasi_selatan_goes_to_its_upt(
    client, services, accounts
):
    # A point alone: kelurahan and kecamatan come from the polygons.
    south = await file(client, location=KAYURINGIN)
    assert (south["agency"], south["category"]) == ("UPT_JALAN_SELATAN", "jalan")
    assert tuple(await stored(services, south["tracking_code"])) == (
        "UPT_JALAN_SELATAN",
        "Kayuringin Jaya",
        "Bekasi Selatan",
    )
    # What the citizen typed stands, and no kelurahan of another kecamatan is added to it;
    # the point decides where the complaint goes.
    typed = await file(client, location={**KAYURINGIN, "kecamatan": "Bekasi Timur"})
    assert tuple(await stored(services, typed["tracking_code"])) == (
        "UPT_JALAN_SELATAN",
        None,
        "Bekasi Timur",
    )
    # Elsewhere, or another category: the category's own agency; without a point, the typed
    # kecamatan decides.
    east = await file(client, location=MARGAHAYU)
    rubbish = await file(client, category="sampah", location=KAYURINGIN)
    by_name = await file(client, location={"kecamatan": "Bekasi Selatan"})
    assert [east["agency"], rubbish["agency"], by_name["agency"]] == [
        "DPUPR",
        "DLH",
        "UPT_JALAN_SELATAN",
    ]
    assert tuple(await stored(services, east["tracking_code"]))[1:] == (
        "Margahayu",
        "Bekasi Timur",
    )
    # The desk verifying a road there sends it to the UPT too.
    waiting = await file(client, category=None, location=KAYURINGIN)
    verified = await act(
        client, waiting["tracking_code"], accounts["desk"], "verify", category="jalan"
    )
    assert (await verified.json())["agency"]["code"] == "UPT_JALAN_SELATAN"


def test_a_route_by_area_names_known_areas_and_agencies(tmp_path):
    wrong = ROUTE.replace(
        '"Bekasi Selatan" = "UPT_JALAN_SELATAN"', '"Bekasi Selatn" = "UPT_JALAN_SELATN"'
    )
    with pytest.raises(CityConfigError) as refused:
        load_city(city_file(tmp_path, wrong + '"Margahayu" = "SETDA"\n'))
    assert refused.value.problems == [
        "[area.routes.jalan] agencies 'Bekasi Selatn' maps to unknown agency "
        "'UPT_JALAN_SELATN' "
        "(did you mean 'UPT_JALAN_SELATAN'?)",
        "[area.routes.jalan] agencies 'Margahayu' maps to 'SETDA', an oversight agency",
    ]
    kelurahan = ROUTE.replace('by = "kecamatan"', 'by = "kelurahan"')
    with pytest.raises(CityConfigError) as refused:
        load_city(city_file(tmp_path, kelurahan))
    assert refused.value.problems == [
        "[area.routes.jalan] agencies 'Bekasi Selatan' is no kelurahan of the city's GeoJSON"
        " (did you mean 'Bekasi Jaya'?)"
    ]


async def test_the_maps_open_on_the_city_and_an_emergency_form_opens_with_the_numbers(client):
    page = await (await client.get("/")).text()
    assert 'data-center="-6.285,106.95" data-zoom="11"' in page
    assert 'data-bounds="-6.45,106.78,-6.12,107.12"' in page

    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {
        "csrf_token": token,
        "text": "Rumah di gang Mawar kebakaran, apinya sudah merembet ke rumah sebelah.",
        "lat": "-6.2383",
        "lon": "106.9756",
    }
    response = await client.post("/", data=form, allow_redirects=False)
    assert response.status == 303
    assert "darurat=1" in response.headers["Location"]
    status = await (await client.get(response.headers["Location"])).text()
    numbers = status.index('id="darurat"')
    assert "113 (Pemadam Kebakaran (Damkar))" in status
    assert numbers < status.index('class="notice ok"')  # before "your report was received"
