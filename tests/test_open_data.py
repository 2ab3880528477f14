"""Open data: /data/laporan.csv and .geojson hold published complaints only (never a rahasia
one), their public copy and no reporter, with the list's filters and the city's licence, read
in chunks; the daily dump is written once, whole or not at all, and served under /data/harian/;
the monthly report's tables are linked from /kinerja."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from datetime import date, timedelta

import aiohttp
import pytest
from lifecycle_helpers import act, file

from lapor import open_data, report_files
from lapor.months import month_dir
from lapor.public import ReportFilter

PHONE, NIK = "0812-3456-7890", "3275011203890001"
PERSONAL = ("0812", NIK, "0877", "Siti Rahmawati", "081234567890", "siti.r@contoh.id")


def licensed(response) -> None:
    assert response.headers["Link"] == (
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"; title="CC BY 4.0"'
    )


async def test_the_exports_hold_public_complaints_only_and_no_personal_data(
    client, services, accounts, monkeypatch
):
    text = f"Jalan berlubang dalam di depan sekolah. Hubungi {PHONE}, NIK {NIK}."
    place = {"lat": -6.2383, "lon": 106.9756, "kelurahan": "RT 3 hubungi 0877 1111 2222"}
    public = (await file(client, text=text, title="=HYPERLINK(1) jalan", location=place))[
        "tracking_code"
    ]
    other = (await file(client, location=None))["tracking_code"]
    rahasia = (await file(client, rahasia=True))["tracking_code"]
    waiting = (await file(client, category="sampah"))["tracking_code"]  # never verified
    for code in (public, other, rahasia):
        assert (await act(client, code, accounts["dpupr"], "start")).status == 200

    response = await client.get("/data/laporan.csv")
    assert response.status == 200 and response.content_type == "text/csv"
    licensed(response)
    body = await response.text()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == list(open_data.COLUMNS)
    assert [row["kode"] for row in rows] == [public, other]
    first = rows[0]
    assert first["status"] == "in_progress" and first["kelompok_status"] == "diproses"
    assert (first["kategori"], first["instansi"]) == ("jalan", "DPUPR")
    assert "[nomor HP disembunyikan]" in first["isi"] and "[NIK disembunyikan]" in first["isi"]
    assert first["judul"] == "'=HYPERLINK(1) jalan"  # no formula for a spreadsheet to run
    assert first["lintang"] == "-6.2383" and first["dibuat"].endswith("+07:00")
    assert rows[1]["lintang"] == "" and rows[1]["kelurahan"] == ""

    geo = await client.get("/data/laporan.geojson")
    assert geo.content_type == "application/geo+json"
    licensed(geo)
    collection = json.loads(await geo.text())
    assert collection["type"] == "FeatureCollection"
    assert collection["license"]["name"] == "CC BY 4.0"
    feature, unlocated = collection["features"]
    assert feature["id"] == public and unlocated["geometry"] is None
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.9756, -6.2383]}
    assert feature["properties"]["isi"] == first["isi"]

    for exported in (body, await geo.text()):
        assert rahasia not in exported and waiting not in exported
        assert [secret for secret in PERSONAL if secret in exported] == []

    # The list's filters, by their names; a wrong one is named.
    async def codes(query: str) -> list[str]:
        response = await client.get(f"/data/laporan.csv?{query}")
        assert response.status == 200
        return [row["kode"] for row in csv.DictReader(io.StringIO(await response.text()))]

    assert await codes("kategori=sampah") == []
    assert await codes("status=diproses&instansi=DPUPR") == [public, other]
    assert await codes("status=selesai") == []
    refused = await client.get("/data/laporan.csv?kategori=kereta")
    assert refused.status == 422 and refused.content_type == "application/problem+json"
    assert (await client.get("/data/laporan.xlsx")).status == 422

    # Read a chunk at a time: with chunks of one row, each row is written before the next.
    monkeypatch.setattr(open_data, "CHUNK_ROWS", 1)
    written: list[bytes] = []

    async def write(chunk: bytes) -> None:
        written.append(chunk)

    assert await open_data.export(services, ReportFilter(), "geojson", write) == 2
    assert len(written) == 4  # start, a row, a row, end
    assert json.loads(b"".join(written))["features"] == collection["features"]

    # The database lost after the first chunk: the download breaks, it never looks whole.
    rows = open_data.repo.public_rows

    async def lost_midway(*args):
        async for chunk in rows(*args):
            yield chunk
            raise ConnectionResetError("the database went away")

    monkeypatch.setattr(open_data.repo, "public_rows", lost_midway)
    broken = await client.get("/data/laporan.csv")
    assert broken.status == 200
    with pytest.raises(aiohttp.ClientPayloadError):
        await broken.read()


async def test_the_daily_dump_is_written_once_whole_and_served(
    client, services, settings, clock, accounts
):
    yesterday = (await file(client))["tracking_code"]
    assert (await act(client, yesterday, accounts["dpupr"], "start")).status == 200
    clock.advance(timedelta(days=1))
    today = (await file(client))["tracking_code"]  # after midnight: tomorrow's dump
    assert (await act(client, today, accounts["dpupr"], "start")).status == 200
    directory = open_data.dump_dir(settings.data_dir)
    directory.mkdir(parents=True)
    (directory / "laporan-2026-09-01.csv").write_text("old")  # past DUMP_KEEP_DAYS

    # Two instances at once: the files are written once.
    runs = await asyncio.gather(
        open_data.daily_dump(services, directory), open_data.daily_dump(services, directory)
    )
    names = sorted(path.name for run in runs for path in run)
    assert names == ["laporan-2026-11-23.csv", "laporan-2026-11-23.geojson"]
    assert sorted(path.name for path in directory.iterdir()) == names  # no temporary left
    assert await open_data.daily_dump(services, directory) == []  # the day is done

    listing = await client.get("/data/harian/")
    licensed(listing)
    files = (await listing.json())["files"]
    assert [entry["name"] for entry in files] == names
    assert files[0]["date"] == "2026-11-23" and files[0]["url"] == "/data/harian/" + names[0]
    dump = await client.get(files[0]["url"])
    assert dump.status == 200 and dump.content_type == "text/csv"
    licensed(dump)
    codes = [row["kode"] for row in csv.DictReader(io.StringIO(await dump.text()))]
    assert codes == [yesterday]
    geo = json.loads(await (await client.get(files[1]["url"])).text())
    assert [feature["id"] for feature in geo["features"]] == [yesterday]
    assert (await client.get("/data/harian/laporan-2020-01-01.csv")).status == 404
    assert (await client.get("/data/harian/..%2Fsecret_key")).status == 422


async def test_the_monthly_tables_are_open_data_linked_from_kinerja(client, services, settings):
    month = date(2026, 10, 1)
    out = month_dir(settings.data_dir / "reports", month)
    await report_files.generate(services, month, out, record=True, formats=("csv",))

    page = await (await client.get("/kinerja?bulan=2026-10")).text()
    links = re.findall(r'href="(/data/kinerja/2026-10/[^"]+\.csv)"', page)
    assert len(links) == 7 and any(link.endswith("-ringkasan.csv") for link in links)
    assert 'href="/data/laporan.csv"' in page and 'href="/data/harian/"' in page
    assert 'rel="license">CC BY 4.0</a>' in page
    table = await client.get(links[0])
    assert table.status == 200 and table.content_type == "text/csv"
    licensed(table)
    stored = out / links[0].rsplit("/", 1)[1]
    assert await table.read() == await asyncio.to_thread(stored.read_bytes)
    html = links[0].replace(".csv", ".html")
    assert (await client.get(html)).status == 404  # only the CSV tables are open data
    assert (await client.get("/data/kinerja/2026-10/lain.csv")).status == 404
    current = await (await client.get("/kinerja")).text()
    assert "/data/kinerja/" not in current and "terbit pada tanggal 1" in current
