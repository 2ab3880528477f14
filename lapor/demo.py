"""The demo city: officer accounts and about fifty complaints in every state, with history."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

import asyncpg

from lapor import auth, complaints, lifecycle
from lapor.clock import FixedClock
from lapor.complaints import Intake, Location, ReporterContact
from lapor.context import Services
from lapor.officers import any_officer

# Rough city centres, so demo complaints land on the map where the city is.
CENTRES = {
    "bekasi": (-6.2383, 106.9756),
    "pontianak": (-0.0263, 109.3425),
    "badung": (-8.5819, 115.1771),
}
DEFAULT_CENTRE = (-6.2383, 106.9756)

TEXTS: list[tuple[str, str]] = [
    (
        "jalan",
        "Jalan di depan SDN 3 berlubang besar, sudah dua motor jatuh minggu ini. Mohon segera ditambal.",
    ),
    (
        "jalan",
        "Aspal Jl. Melati rusak parah sepanjang 200 meter sejak musim hujan, banyak kubangan.",
    ),
    (
        "drainase",
        "Got di gang kami mampet penuh sampah, tiap hujan air meluap ke jalan sampai semata kaki.",
    ),
    ("drainase", "Saluran air depan pasar tersumbat lumpur, airnya tergenang dan bau tidak sedap."),
    (
        "sampah",
        "Sampah di TPS dekat masjid sudah seminggu tidak diangkut, menumpuk sampai ke badan jalan.",
    ),
    (
        "sampah",
        "Ada pembuangan sampah liar di lahan kosong samping kali, warga dari luar buang tiap malam.",
    ),
    (
        "pencemaran",
        "Pabrik tahu di RT 04 membuang limbah cair ke sungai, airnya hitam dan baunya menyengat.",
    ),
    (
        "taman_pohon",
        "Pohon angsana besar di taman kota miring dan dahannya retak, khawatir tumbang menimpa pejalan kaki.",
    ),
    (
        "penerangan_jalan",
        "Lampu PJU di sepanjang Jl. Kenanga mati semua sejak seminggu, jalan gelap gulita dan rawan begal.",
    ),
    (
        "penerangan_jalan",
        "Lampu jalan di perempatan dekat puskesmas berkedip-kedip terus setiap malam.",
    ),
    (
        "lalu_lintas",
        "Lampu lalu lintas di simpang tiga pasar mati sejak pagi, kendaraan saling serobot.",
    ),
    (
        "parkir",
        "Banyak juru parkir liar di depan minimarket meminta bayaran lima ribu padahal ada tulisan parkir gratis.",
    ),
    (
        "kesehatan",
        "Antrian di puskesmas kecamatan sangat lama, dokter baru datang jam sebelas siang.",
    ),
    (
        "kesehatan",
        "Di lingkungan kami sudah tiga anak terkena DBD, mohon dilakukan fogging segera.",
    ),
    (
        "kependudukan",
        "Sudah tiga bulan KTP-el saya belum jadi, setiap ke kantor Disdukcapil dibilang blangko habis.",
    ),
    (
        "kependudukan",
        "Pengurusan akta kelahiran anak saya tidak selesai-selesai, berkas katanya hilang.",
    ),
    (
        "pendidikan",
        "Sekolah negeri meminta uang pembangunan dua juta rupiah saat daftar ulang, apakah ini resmi?",
    ),
    (
        "ketertiban",
        "Pedagang kaki lima memenuhi trotoar di depan stasiun, pejalan kaki terpaksa berjalan di jalan raya.",
    ),
    (
        "sosial",
        "Nenek di RT kami terdaftar DTKS tetapi bantuan BPNT tidak pernah diterima sejak tahun lalu.",
    ),
    ("air_bersih", "Air PDAM di perumahan kami mati sudah tiga hari tanpa pemberitahuan."),
    (
        "kebakaran",
        "Hidran di depan pasar tidak berfungsi, kemarin saat kebakaran kecil tidak bisa dipakai.",
    ),
    (
        "bencana",
        "Tanah longsor di tebing belakang permukiman RW 07, dua rumah retak dan warga takut tinggal.",
    ),
    (
        "perizinan",
        "Pengajuan PBG sudah dua bulan tidak diproses, petugas meminta uang pelicin agar cepat.",
    ),
    (
        "pajak_daerah",
        "Tagihan PBB rumah saya naik tiga kali lipat tanpa penjelasan, mohon ditinjau.",
    ),
    (
        "aparatur",
        "Petugas kelurahan meminta uang rokok untuk surat pengantar, katanya biar cepat selesai.",
    ),
    (
        "layanan_digital",
        "Aplikasi layanan kota tidak bisa dibuka sejak kemarin, selalu muncul pesan error.",
    ),
    (
        "pasar",
        "Harga minyak goreng di pasar tradisional naik tinggi dan timbangan pedagang tidak akurat.",
    ),
    (
        "ketenagakerjaan",
        "THR karyawan di pabrik tempat saya bekerja belum dibayar padahal sudah lewat lebaran.",
    ),
    (
        None,
        "Saya mau tanya, bagaimana cara mengurus sesuatu di kantor kota? Terima kasih sebelumnya.",
    ),
    (
        None,
        "Di dekat rumah ada masalah yang sudah lama dibiarkan, mohon ada petugas yang mengecek ke lokasi.",
    ),
]

KELURAHAN = [
    ("Margahayu", "Bekasi Timur"),
    ("Kayuringin Jaya", "Bekasi Selatan"),
    ("Harapan Jaya", "Bekasi Utara"),
    ("Jatibening", "Pondok Gede"),
    ("Pekayon Jaya", "Bekasi Selatan"),
    ("Bintara", "Bekasi Barat"),
]

# The story each demo complaint lives through after it is filed: (action, fields) steps.
STORIES: list[list[tuple[str, dict]]] = [
    [],
    [("start", {})],
    [("start", {}), ("respond", {"note": "Petugas sudah meninjau lokasi, perbaikan dijadwalkan."})],
    [
        ("start", {}),
        ("resolve", {"note": "Sudah diperbaiki oleh tim lapangan. Terima kasih atas laporannya."}),
    ],
    [("resolve", {"note": "Sudah ditangani."}), ("close", {})],
    [("start", {}), ("resolve", {"note": "Sudah ditindaklanjuti."}), ("reopen", {}), ("start", {})],
    [("not_ours", {"internal_note": "Ini kewenangan instansi lain."})],
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency: str | None
    token: str
    password: str  # for the officer pages; printed once, like the token


async def already_loaded(conn: asyncpg.Connection) -> bool:
    return await any_officer(conn)


async def create_accounts(services: Services) -> list[DemoAccount]:
    city = services.city
    accounts = []
    async with services.pool.acquire() as conn, conn.transaction():
        people = [
            ("admin", "Admin Kota", "admin", None),
            ("meja", "Meja Verifikasi", "verifier", city.desk_agency),
        ]
        people += [
            (f"petugas.{a.code.lower()}", f"Petugas {a.short_name}", "officer", a.code)
            for a in city.agencies.values()
            if a.kind != "oversight"
        ]
        for username, name, role, agency in people:
            password = secrets.token_urlsafe(9)  # random each time: a demo may face a network
            officer = await auth.create_officer(conn, username, name, role, agency, password)
            token = await auth.issue_token(conn, officer.id, now=services.clock.now())
            accounts.append(DemoAccount(username, role, agency, token, password))
    return accounts


async def load_demo(services: Services, *, count: int = 50, seed: int = 7) -> list[DemoAccount]:
    """Officer accounts and ``count`` complaints spread over the last six weeks."""
    rng = random.Random(seed)
    accounts = await create_accounts(services)
    officers = {}
    async with services.pool.acquire() as conn:
        for account in accounts:
            officers[account.username] = await auth.find_officer(conn, account.username)
    admin, desk = officers["admin"], officers["meja"]
    centre = CENTRES.get(services.city.key, DEFAULT_CENTRE)
    real_clock = services.clock
    start = real_clock.now() - timedelta(days=42)
    try:
        for index in range(count):
            clock = FixedClock(start + timedelta(hours=index * 19 + rng.randint(0, 5)))
            services.clock = clock
            category, text = TEXTS[index % len(TEXTS)]
            kelurahan, kecamatan = KELURAHAN[index % len(KELURAHAN)]
            intake = Intake(
                text=text,
                channel="web",
                category_hint=category,
                rahasia=index % 9 == 4,
                anonim=index % 7 == 3,
                location=Location(
                    round(centre[0] + rng.uniform(-0.03, 0.03), 6),
                    round(centre[1] + rng.uniform(-0.03, 0.03), 6),
                    f"Jl. Demo No. {index + 1}",
                    kelurahan,
                    kecamatan,
                ),
                reporter=ReporterContact(
                    name=f"Warga Demo {index + 1}",
                    phone=f"0812{rng.randint(10_000_000, 99_999_999)}",
                    email=f"warga{index + 1}@contoh.id",
                ),
            )
            filed = await complaints.file_complaint(services, intake)
            await _live_story(services, clock, filed, index, admin, desk, rng)
    finally:
        services.clock = real_clock
    return accounts


async def _live_story(services, clock, filed, index, admin, desk, rng) -> None:
    code = filed.tracking_code
    if filed.status == "received":
        # Complaints at the desk: some wait, some are routed, a few are rejected.
        if index % 4 == 0:
            return
        clock.advance(timedelta(hours=rng.randint(2, 20)))
        if index % 4 == 1:
            await lifecycle.act(
                services,
                code,
                lifecycle.ActionRequest("reject", note="Laporan bukan kewenangan pemerintah kota."),
                officer=desk,
            )
            return
        await lifecycle.act(
            services, code, lifecycle.ActionRequest("verify", category="jalan"), officer=desk
        )
    for action, fields in STORIES[index % len(STORIES)]:
        clock.advance(timedelta(hours=rng.randint(3, 40)))
        if action in ("close", "reopen"):
            await lifecycle.act(
                services,
                code,
                lifecycle.ActionRequest(action),
                reporter_token=auth.reporter_token(services.secret_key, code),
            )
        else:
            await lifecycle.act(
                services, code, lifecycle.ActionRequest(action, **fields), officer=admin
            )
