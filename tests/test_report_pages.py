"""The monthly report's PDF, page by page, for every city in config/cities/ with a generated
month: the PDF is rendered to PNG (pdftoppm) and its words placed (pdftotext -bbox, both from
poppler-utils; pypdf for text drawn wholly off the page, which poppler leaves out), and no
text or ink may stand outside the page's content box. The per-agency table gets a landscape
page of its own with every column; times are in the city's zone."""

from __future__ import annotations

import html
import random
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shapely
from helpers import TEST_SECRET
from PIL import Image
from pypdf import PdfReader
from report_month import add_complaint, add_event, add_response, filed

from lapor import report_files
from lapor.city import available_cities, load_city
from lapor.clock import FixedClock
from lapor.context import Services
from lapor.db import create_pool
from lapor.photo_store import FilePhotoStore
from lapor.reference import sync_city
from lapor.reports import add_months, reportable_agencies
from lapor.routing import CategoryRouter

pytestmark = pytest.mark.slow  # charts, a map and a PDF per city: seconds each

OCTOBER = datetime(2026, 10, 1).date()
NOW = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)  # the monthly job's morning
MM = 72 / 25.4  # PDF points per millimetre
SIDE_MARGIN = 14 * MM  # the template's @page margin, left and right
TOLERANCE = 1.0  # points: a glyph's side bearing
# When the report was made, 1 November 00:00 UTC, as each zone's clock showed it.
LOCAL_TIME = {
    "Asia/Jakarta": "01-11-2026 07:00 WIB",
    "Asia/Pontianak": "01-11-2026 07:00 WIB",
    "Asia/Makassar": "01-11-2026 08:00 WITA",
}


# ------------------------------------------------------------------------------ a city's month


def spot_in(polygon, rng: random.Random) -> tuple[float, float]:
    """A (lat, lon) inside the polygon."""
    west, south, east, north = polygon.bounds
    while True:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.intersects_xy(polygon, lon, lat):
            return round(lat, 6), round(lon, 6)


async def generate_month(conn, city, count: int = 60, seed: int = 11) -> None:
    """`count` complaints in October and half as many in September, spread over the city's
    categories and kecamatan; every seventh rahasia, every eleventh without a location; some
    deadlines met, some missed; a few survey answers per agency."""
    rng = random.Random(seed)
    categories = [c for c in city.categories.values() if not c.desk]
    kecamatan = sorted(city.area.kecamatan.items()) if city.area else []
    for month, n in ((add_months(OCTOBER, -1), count // 2), (OCTOBER, count)):
        start = datetime(month.year, month.month, 1, 8, tzinfo=city.zone)
        for index in range(n):
            category = categories[index % len(categories)]
            agency = category.agency
            created = start + timedelta(days=rng.randint(0, 26), hours=rng.randint(0, 7))
            name, where = kecamatan[index % len(kecamatan)] if kecamatan else ("Kota", None)
            lat, lon = spot_in(where, rng) if where is not None else (None, None)
            located = index % 11 != 5 and lat is not None
            resolved = created + timedelta(days=rng.randint(1, 6)) if index % 3 else None
            due = created + timedelta(days=2)
            complaint = await add_complaint(
                conn,
                category=category.code,
                agency=agency,
                status="resolved" if resolved else "assigned",
                channel=("web", "telegram", "whatsapp")[index % 3],
                created_at=created,
                updated_at=resolved or created,
                assigned_at=created,
                responded_at=created + timedelta(days=1 + index % 3),
                resolved_at=resolved,
                response_due_at=due,
                resolve_due_at=due + timedelta(days=3),
            )
            await conn.execute(
                "UPDATE complaint SET rahasia = $2, kecamatan = $3, latitude = $4, "
                "longitude = $5 WHERE id = $1",
                complaint,
                index % 7 == 3,
                name,
                lat if located else None,
                lon if located else None,
            )
            await filed(conn, complaint, created, agency)
            if resolved:
                await add_event(
                    conn,
                    complaint,
                    "resolve",
                    resolved,
                    from_status="assigned",
                    to_status="resolved",
                    from_agency=agency,
                    to_agency=agency,
                )
                if index % 4 == 1:
                    scores = [rng.randint(2, 4) for _ in range(9)]
                    await add_response(conn, None, month, agency, "sudah", scores)


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[tuple[float, float, float, float, str]]  # xMin, yMin, xMax, yMax, text

    @property
    def text(self) -> str:
        return " ".join(word[4] for word in self.words)


def word_boxes(pdf: Path) -> list[Page]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for number, chunk in enumerate(out.split("<page ")[1:], start=1):
        width, height = (
            float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', chunk).groups()
        )
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(text))
            for a, b, c, d, text in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', chunk
            )
        ]
        pages.append(Page(number, width, height, words))
    return pages


def text_origins(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x, y, width, height) of every piece of text drawn, wherever it is drawn."""
    found = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        box = page.mediabox

        def visit(text, cm, tm, font, size, number=number, box=box) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((number, x, y, float(box.width), float(box.height), text))

        page.extract_text(visitor_text=visit)
    return found


def rendered(pdf: Path, out: Path, dpi: int = 36) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / "page")], check=True)
    return [Image.open(path).convert("L") for path in sorted(out.glob("page-*.png"))]


def inked_columns(image: Image.Image, left: int, right: int) -> bool:
    """Whether any pixel between these columns is darker than near-white."""
    band = image.crop((left, 0, right, image.height))
    return band.getextrema()[0] < 235


# ------------------------------------------------------------------------------ the tests


# One rendering per city and test process, shared by the tests below (a PDF takes seconds).
_rendered: dict[str, tuple] = {}


@pytest.fixture(params=available_cities())
async def city_report(request, database_url, tmp_path_factory):
    if request.param in _rendered:
        return _rendered[request.param]
    city = load_city(request.param)
    tmp_path = tmp_path_factory.mktemp(f"report-{request.param}")
    pool = await create_pool(database_url, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            await sync_city(conn, city)
            await generate_month(conn, city)
        services = Services(
            pool,
            city,
            FixedClock(NOW),
            FilePhotoStore(tmp_path / "photos"),
            CategoryRouter(city),
            TEST_SECRET,
            "http://lapor.test",
        )
        report, paths = await report_files.generate(
            services, OCTOBER, tmp_path / "out", formats=("html", "pdf")
        )
    finally:
        await pool.close()
    pdf = next(path for path in paths if path.suffix == ".pdf")
    _rendered[request.param] = city, report, pdf
    return city, report, pdf


async def test_no_text_or_ink_stands_outside_the_page(city_report, tmp_path):
    city, report, pdf = city_report
    pages = word_boxes(pdf)
    images = rendered(pdf, tmp_path)
    assert len(images) == len(pages) >= 4
    for page, image in zip(pages, images, strict=True):
        left, right = SIDE_MARGIN - TOLERANCE, page.width - SIDE_MARGIN + TOLERANCE
        outside = [w for w in page.words if w[0] < left or w[2] > right or w[3] > page.height]
        assert outside == [], f"{city.key} page {page.number}: words past the margins"
        # The picture of the page: its orientation as the PDF says, its side margins blank.
        assert (image.width > image.height) == (page.width > page.height)
        band = round(image.width * (SIDE_MARGIN * 0.6) / page.width)
        assert not inked_columns(image, 0, band), f"{city.key} page {page.number}: left"
        assert not inked_columns(image, image.width - band, image.width), (
            f"{city.key} page {page.number}: ink in the right margin"
        )
    # Text poppler leaves out because it lies wholly off the page is still found here.
    off_page = [o for o in text_origins(pdf) if not (0 <= o[1] <= o[3] and 0 <= o[2] <= o[4])]
    assert off_page == []


async def test_the_per_agency_table_has_a_landscape_page_with_every_column(city_report):
    city, report, pdf = city_report
    pages = word_boxes(pdf)
    table = next(p for p in pages if "Instansi" in p.text and "Mutu" in p.text)
    assert table.width > table.height  # landscape
    headers = ("Diterima", "Selesai", "Dibuka", "kembali", "Respons", "IKM", "Mutu")
    for word in headers:
        assert word in table.text.split(), word
    agencies = " ".join(p.text for p in pages if p.width > p.height)
    for agency in reportable_agencies(city):
        assert f"({agency.code})" in agencies, agency.code
    assert all(p.width < p.height for p in pages[:2])  # the summary pages stay portrait


async def test_the_first_page_glances_at_the_month_in_the_citys_time(city_report):
    city, report, pdf = city_report
    first = word_boxes(pdf)[0].text
    assert "Sekilas bulan ini" in first
    assert LOCAL_TIME[city.timezone] in first
    assert "UTC" not in first
    assert "Tiga instansi paling tertinggal" in first and "paling membaik" in first


async def test_the_places_page_lists_the_kecamatan_and_draws_no_rahasia(city_report):
    city, report, pdf = city_report
    places = report.places
    assert places is not None and places.area is city.area
    names = {row.name for row in places.kecamatan if row.kind == "named"}
    assert names == set(city.area.kecamatan)
    assert sum(row.received for row in places.kecamatan) == report.current[None].received
    # every seventh complaint is rahasia: counted, not drawn
    october = report.current[None].received
    assert places.rahasia > 0
    assert places.drawn + places.rahasia + places.unlocated == october
    text = " ".join(p.text for p in word_boxes(pdf))
    assert "Laporan per kecamatan" in text
