"""The report's places: complaints per kecamatan against the month before, and the month's
points for the map, never a rahasia one (tests/report_month.py's helpers write the rows)."""

from __future__ import annotations

from datetime import date

import pytest
from report_month import OCTOBER, add_complaint, at

from lapor import reports
from lapor.report_places import KecamatanRow, MapPoint, kecamatan_rows


async def located(conn, created, kecamatan, spot=None, *, rahasia=False, agency="DPUPR"):
    complaint = await add_complaint(
        conn,
        category="jalan" if agency == "DPUPR" else "sampah",
        agency=agency,
        status="assigned",
        channel="web",
        created_at=created,
        assigned_at=created,
    )
    lat, lon = spot or (None, None)
    await conn.execute(
        "UPDATE complaint SET kecamatan = $2, latitude = $3, longitude = $4, rahasia = $5 "
        "WHERE id = $1",
        complaint,
        kecamatan,
        lat,
        lon,
        rahasia,
    )


@pytest.fixture
async def october(services):
    """In the default city (kecamatan Bekasi Utara, Bekasi Barat, ...), October holds:
    Bekasi Utara 3 (one typed " bekasi utara ", one rahasia; two at one spot), Bekasi Barat 1
    (DLH's), an unknown name 1, a phone number typed as kecamatan 1, none 1 (no location);
    September: Bekasi Barat 2."""
    async with services.pool.acquire() as conn:
        await located(conn, at(10, 2), "Bekasi Utara", (-6.1551, 106.9521))
        await located(conn, at(10, 3), " bekasi utara ", (-6.1552, 106.9522))
        await located(conn, at(10, 4), "Bekasi Utara", (-6.1601, 106.9001), rahasia=True)
        await located(conn, at(10, 5), "Bekasi Barat", (-6.25, 106.865), agency="DLH")
        await located(conn, at(10, 6), "Kecamatan Ngawur", (-6.30, 106.80))
        await located(conn, at(10, 7), "0812 3456 7890", (-6.31, 106.81))
        await located(conn, at(10, 8), None)
        await located(conn, at(9, 2), "Bekasi Barat", (-6.25, 106.865))
        await located(conn, at(9, 3), "Bekasi Barat", (-6.25, 106.865))


async def test_kecamatan_are_counted_against_the_month_before(services, october):
    report = await reports.build_report(services, OCTOBER, places=True)
    rows = report.places.kecamatan
    assert rows == [
        KecamatanRow("Bekasi Utara", 3, 0, "jalan"),
        KecamatanRow("Bekasi Barat", 1, 2, "sampah"),
        KecamatanRow("Bekasi Selatan", 0, 0),  # every kecamatan of the city is listed
        KecamatanRow("Bekasi Timur", 0, 0),
        KecamatanRow("Pondok Gede", 0, 0),
        KecamatanRow("", 2, 0, kind="other"),  # the unknown name and the phone number
        KecamatanRow("", 1, 0, kind="none"),
    ]
    assert sum(row.received for row in rows) == report.current[None].received == 7


async def test_the_map_draws_no_rahasia_complaint(services, october):
    places = (await reports.build_report(services, OCTOBER, places=True)).places
    assert (places.rahasia, places.unlocated) == (1, 1)
    assert places.drawn == 5
    assert (-6.16, 106.9) not in {(p.latitude, p.longitude) for p in places.points}
    # the first two share a spot of 0.001 degrees
    assert MapPoint(-6.155, 106.952, 2, True) in places.points


async def test_an_agencys_places_hold_its_complaints_only(services, october):
    places = (await reports.build_report(services, OCTOBER, agency="DLH", places=True)).places
    assert [(r.name, r.received) for r in places.kecamatan if r.received] == [("Bekasi Barat", 1)]
    assert places.drawn == 1


async def test_the_performance_pages_report_has_no_places(services, october):
    assert (await reports.build_report(services, date(2026, 10, 1))).places is None


def test_without_polygons_the_most_frequent_names_are_listed_and_the_rest_is_other():
    groups = [
        ("Alpha", 5, 1, "jalan"),
        ("beta", 2, 0, None),
        ("Gamma", 2, 4, None),
        ("", 1, 0, None),
    ]
    rows = kecamatan_rows(groups, None, limit=2)
    assert rows == [
        KecamatanRow("Alpha", 5, 1, "jalan"),
        KecamatanRow("Gamma", 2, 4),  # ties on received: more the month before first
        KecamatanRow("", 2, 0, kind="other"),
        KecamatanRow("", 1, 0, kind="none"),
    ]
