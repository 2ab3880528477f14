"""The report's files: HTML, PDF, CSV and PNG charts, with Indonesian labels."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from pypdf import PdfReader
from report_month import OCTOBER, build_october

from lapor import report_files, report_render


@pytest.fixture
async def written(services, tmp_path):
    async with services.pool.acquire() as conn:
        await build_october(conn)
    report, paths = await report_files.generate(services, OCTOBER, tmp_path)
    return report, {path.name: path for path in paths}


def test_numbers_are_written_the_indonesian_way():
    assert report_render.number(1234567) == "1.234.567"
    assert report_render.number(3.25, 2) == "3,25"
    assert report_render.number(None) == "-"
    assert report_render.percent(2 / 3) == "66,7%"
    assert report_render.change(0.5, 0.25, "share") == "+25,0 poin"
    assert report_render.change(3, 5) == "-2"


async def test_every_format_is_written_under_the_scope_and_month(written):
    _, files = written
    assert set(files) == {
        "kota-2026-10-laporan.html",
        "kota-2026-10-laporan.pdf",
        *(f"kota-2026-10-grafik-{name}.png" for name in report_render.CHARTS),
        *(
            f"kota-2026-10-{name}.csv"
            for name in ("ringkasan", "kategori", "kanal", "sla", "eskalasi", "ikm", "tren")
        ),
    }
    for name, path in files.items():
        if name.endswith(".png"):
            assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


async def test_the_pdf_names_every_agency(written, services):
    _, files = written
    text = "\n".join(
        page.extract_text() for page in PdfReader(files["kota-2026-10-laporan.pdf"]).pages
    )
    squashed = " ".join(text.split())
    for agency in services.city.agencies.values():
        if agency.kind != "oversight":
            assert agency.name in squashed, agency.name
    assert "Laporan Bulanan Pengaduan Masyarakat" in squashed


async def test_the_html_shows_the_hand_computed_headline(written):
    _, files = written
    html = files["kota-2026-10-laporan.html"].read_text()
    assert "Oktober 2026" in html and "September 2026" in html
    assert "<td>Laporan diterima</td><td>6</td><td>1</td><td>+5</td>" in html
    assert "<td>Kepatuhan SLA verifikasi</td><td>50,0%</td>" in html
    assert "77,08" in html and "(Baik)" in html  # IKM converted and its performance
    assert "data:image/png;base64," in html


async def test_the_summary_csv_holds_this_month_and_the_one_before(written):
    _, files = written
    with files["kota-2026-10-ringkasan.csv"].open() as handle:
        rows = {(r["bulan"], r["kode"]): r for r in csv.DictReader(handle)}
    city = rows[("2026-10", "KOTA")]
    assert (city["diterima"], city["diselesaikan"], city["tunggakan_akhir_bulan"]) == (
        "6",
        "3",
        "4",
    )
    assert (city["selesai_median_hari_kerja"], city["selesai_p90_hari_kerja"]) == ("3.5", "9.5")
    assert (city["ikm_konversi"], city["ikm_mutu"]) == ("77.08", "B")
    assert rows[("2026-09", "KOTA")]["diterima"] == "1"
    assert rows[("2026-10", "DPUPR")]["sla_resolve_tepat_waktu"] == "2"


async def test_an_empty_month_renders_zeros(services, tmp_path):
    _, paths = await report_files.generate(services, date(2025, 3, 1), tmp_path, agency="DLH")
    names = {p.name for p in paths}
    assert "dlh-2025-03-laporan.pdf" in names
    html = (tmp_path / "dlh-2025-03-laporan.html").read_text()
    assert "<td>Laporan diterima</td><td>0</td><td>0</td><td>0</td>" in html
    assert "Tidak ada eskalasi" in html
