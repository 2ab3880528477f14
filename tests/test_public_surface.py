"""The whole public surface at once: complaints full of personal data (NIKs, phone numbers
written every way, e-mail addresses, "nama saya ..." names, a contact given with the report,
photos carrying GPS and a camera serial) are verified, so published, and then everything the
public can fetch is read: the API's public views, the status, list, map and performance pages,
the open data exports, Open311's requests and updates, and every public photo URL. None of it
may hold any of that data."""

from __future__ import annotations

import json
import re

from helpers import form
from lifecycle_helpers import act
from photo_samples import SERIAL, carries_metadata, jpeg_with_gps_and_serial, png_with_text_chunks

# (text, place typed by the citizen, reporter contact): each with what must never be public.
COMPLAINTS = [
    (
        "Nama saya Budi Santoso, NIK 3275011203890001. Jalan di depan rumah berlubang, "
        "hubungi 0812-3456-7890.",
        "depan rumah Pak Budi, telp 0813 2222 4444",
        {"reporter_name": "Budi Santoso", "reporter_phone": "+62 812 3456 7890"},
    ),
    (
        "Lampu jalan mati seminggu. Kabari saya lewat siti.rahma@gmail.com atau "
        "+62 857-1111-2222, terima kasih.",
        "gang Melati",
        {"reporter_email": "siti.rahma@gmail.com", "reporter_name": "Siti Rahma"},
    ),
    (
        "saya Dewi Anggraini dari RT 03, selokan mampet. wa 6281398765432, "
        "nik: 3175 0941 0792 0003",
        "RT 03 RW 05",
        {"reporter_phone": "081398765432"},
    ),
    (
        "Jalan rusak parah dekat pasar. Telepon kantor saya (021) 8888-1234 atau "
        "0812.7777.6666 untuk koordinasi.",
        "pasar lama",
        {"reporter_name": "Agus Wibowo", "reporter_email": "agus.w@kantor.co.id"},
    ),
]
SECRETS = [
    "Budi Santoso",
    "3275011203890001",
    "0812-3456-7890",
    "812 3456 7890",
    "81234567890",
    "0813 2222 4444",
    "siti.rahma",
    "Siti Rahma",
    "857-1111-2222",
    "Dewi Anggraini",
    "6281398765432",
    "81398765432",
    "3175 0941 0792 0003",
    "8888-1234",
    "0812.7777.6666",
    "7777.6666",
    "Agus Wibowo",
    "agus.w@kantor.co.id",
    "agus.w",
    "kantor.co.id",
    SERIAL,
    "KameraKu",
]


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


async def file_and_verify(client, accounts, text, place, contact) -> str:
    fields = {
        "text": text,
        "anonim": "false",
        "lat": "-6.2383",
        "lon": "106.9756",
        "address": place,
        "kelurahan": "Margahayu",
        "kecamatan": "Bekasi Timur",
        **contact,
    }
    photos = [("gps.jpg", jpeg_with_gps_and_serial()), ("teks.png", png_with_text_chunks())]
    response = await client.post("/api/v1/complaints", data=form(fields, photos))
    assert response.status == 201, await response.text()
    code = (await response.json())["tracking_code"]
    verified = await act(client, code, accounts["desk"], "verify", agency="DPUPR", category="jalan")
    assert verified.status == 200, await verified.text()
    responded = await act(client, code, accounts["dpupr"], "respond", note="Kami cek besok.")
    assert responded.status == 200
    return code


async def public_surface(client, codes: list[str]) -> tuple[dict[str, str], dict[str, bytes]]:
    """Every public text by its address, and every public photo's bytes by its address."""
    texts: dict[str, str] = {}
    for path in (
        "/",
        "/laporan",
        "/laporan/peta.json",
        "/kinerja",
        "/kinerja/DPUPR",
        "/data/laporan.csv",
        "/data/laporan.geojson",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        "/open311/v2/servicerequestupdates.json",
        "/open311/v2/servicerequestupdates.xml",
    ):
        response = await client.get(path)
        assert response.status == 200, path
        texts[path] = await response.text()
    photos: dict[str, bytes] = {}
    for code in codes:
        for path in (
            f"/api/v1/complaints/{code}",
            f"/lacak/{code}",
            f"/lacak?kode={code}",
            f"/open311/v2/requests/{code}.xml",
        ):
            response = await client.get(path)
            assert response.status == 200, path
            texts[path] = await response.text()
        view = json.loads(texts[f"/api/v1/complaints/{code}"])
        assert view["published"] and view["text"] and len(view["photos"]) == 2
        links = {
            photo[key] for photo in view["photos"] for key in ("url", "display_url", "thumb_url")
        }
        links |= set(
            re.findall(r'/api/v1/complaints/[^"\s]+/photos/\d+[^"\s]*', texts[f"/lacak/{code}"])
        )
        for link in sorted(links):
            response = await client.get(link.replace("&amp;", "&"))
            assert response.status == 200, link
            photos[link] = await response.read()
    return texts, photos


async def test_nothing_personal_reaches_any_public_surface(client, accounts):
    codes = [await file_and_verify(client, accounts, *complaint) for complaint in COMPLAINTS]

    texts, photos = await public_surface(client, codes)

    for code in codes:  # the scan read each complaint where the public finds it
        assert code in texts["/laporan"] and code in texts["/laporan/peta.json"]
        assert code in texts["/data/laporan.csv"] and code in texts["/data/laporan.geojson"]
        assert code in texts["/open311/v2/requests.json"]
        assert code in texts["/open311/v2/servicerequestupdates.xml"]
    assert len(photos) >= len(codes) * 2 * 3
    for path, text in texts.items():
        assert leaked(text) == [], path
    for link, data in photos.items():
        assert carries_metadata(data) == [], link
        assert not [s for s in SECRETS if s.encode() in data], link

    # The officers still read all of it: the scan looked at the right complaints.
    full = await client.get(f"/api/v1/complaints/{codes[0]}/full", headers=accounts["desk"].headers)
    officer_view = json.dumps(await full.json())
    assert "3275011203890001" in officer_view and "Budi Santoso" in officer_view
