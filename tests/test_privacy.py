"""Personal data typed into complaint texts: what `privacy.redact` hides, what it leaves, and
when a text accuses someone. Every row is a sentence a citizen might write."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapor import privacy
from lapor.privacy import (
    BANK_ACCOUNT,
    EMAIL,
    NAME,
    NIK,
    PHONE,
    PLATE,
    accuses_someone,
    is_nik,
    public_copy,
    redact,
)

DATA = Path(__file__).resolve().parent.parent / "classifier" / "data"

# (text, the personal data in it, the kinds found)
FOUND = [
    ("NIK saya 3275011203890001, mohon KTP segera dicetak", ["3275011203890001"], [NIK]),
    ("nik 3275 0112 0389 0001 belum terdaftar di dukcapil", ["3275 0112 0389 0001"], [NIK]),
    ("nik3275011203890001 wa081234567890", ["3275011203890001", "081234567890"], [NIK, PHONE]),
    ("KTP istri saya 3275.01.520389.0002 hilang", ["3275.01.520389.0002"], [NIK]),
    ("data 3175094107920003 tidak muncul di sistem", ["3175094107920003"], [NIK]),
    ("NIK: 1234567890123456 (mungkin salah ketik)", ["1234567890123456"], [NIK]),
    ("hubungi 081234567890 kalau perlu", ["081234567890"], [PHONE]),
    ("WA saya 0812-3456-7890 ya pak", ["0812-3456-7890"], [PHONE]),
    ("nomor saya 0812 3456 789", ["0812 3456 789"], [PHONE]),
    ("telp 0812.3456.7890", ["0812.3456.7890"], [PHONE]),
    ("bisa ke +62 812 3456 7890 atau +6281298765432", ["812 3456 7890", "6281298765432"], [PHONE]),
    ("nomor 62 857 1234 5678 aktif", ["857 1234 5678"], [PHONE]),
    ("kantor (+62) 21 555 1234", ["21 555 1234"], [PHONE]),
    ("telepon rumah (021) 555-1234", ["555-1234"], [PHONE]),
    ("email: siti.rahma@gmail.com", ["siti.rahma@gmail.com"], [EMAIL]),
    ("kirim ke budi_s [at] yahoo [dot] co.id", ["budi_s", "yahoo"], [EMAIL]),
    (
        "sudah transfer ke rekening BCA 1234567890 tapi belum diproses",
        ["1234567890"],
        [BANK_ACCOUNT],
    ),
    ("no. rek 0123-01-000123-30-5 BRI atas nama saya", ["000123"], [BANK_ACCOUNT]),
    ("norek mandiri 1370012345678 untuk pengembalian", ["1370012345678"], [BANK_ACCOUNT]),
    ("motor saya B 1234 XYZ ditilang di depan pasar", ["1234 XYZ"], [PLATE]),
    ("plat nomor saya D 4321 ABC", ["4321 ABC"], [PLATE]),
    ("mobil B 9999 KLM milik saya ditabrak angkot", ["9999 KLM"], [PLATE]),
    ("Nama saya Budi Santoso, warga RT 05", ["Budi Santoso"], [NAME]),
    ("nama saya siti aminah dari kampung baru", ["siti aminah"], [NAME]),
    ("Nama: Agus Salim\nAlamat: Jl. Kenanga", ["Agus Salim"], [NAME]),
    ("saya Ibu Rina dari RT 03 mau lapor sampah", ["Rina"], [NAME]),
    ("Saya, Budi Santoso, warga Margahayu. Budi Santoso sudah lapor.", ["Budi Santoso"], [NAME]),
    ("Saya Andi dari Margahayu ingin melapor jalan rusak", ["Andi"], [NAME]),
]


@pytest.mark.parametrize(("text", "personal", "kinds"), FOUND)
def test_personal_data_in_the_text_is_replaced_by_its_placeholder(text, personal, kinds):
    result = redact(text)

    for value in personal:
        assert value not in result.text
    assert result.kinds == tuple(kinds)
    for kind in kinds:
        assert privacy.PLACEHOLDERS[kind] in result.text


KEPT = [
    "Lampu jalan mati di Jl. Kenanga No. 12 RT 03/RW 05 sejak 2 minggu.",
    "Sudah 3 kali lapor sejak 12.08.2024 jam 08.30, belum ada tindakan.",
    "Diminta bayar Rp 1.500.000 untuk surat yang seharusnya gratis.",
    "Kode laporan K3QZ7M2D9X belum ada kabar.",
    "Mobil dinas B 1234 RFS parkir di trotoar setiap hari.",
    "Saya sangat kecewa, jalan rusak dibiarkan.",
    "Saya Sangat Kecewa, jalan rusak dibiarkan.",
    "nama saya tidak perlu disebut",
    "saya ibu rumah tangga, air PDAM mati tiga hari",
    "Nomor tiket antrean 0001234 tidak dipanggil.",
    "Rekening listrik naik Rp 150.000.000 tanpa alasan",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
    "SPPT PBB tahun ini ganda, satu atas nama saya satu atas nama penjual",
    "TANGGUL JEBOL SKRANG SAYA MEWAKILI WRGA SEKITAR!!!!! TOLONG LAH!!!",
]


@pytest.mark.parametrize("text", KEPT)
def test_what_is_not_personal_data_is_left_as_written(text):
    assert redact(text) == privacy.Redaction(text, ())


def test_the_complaint_corpus_keeps_its_numbers_and_loses_only_contacts_and_names():
    """7,800 complaints written for the classifier hold no NIK or account, but plenty of
    dates, addresses, amounts and RT/RW numbers; some writers introduce themselves, and the
    letters' identity headers give a phone number or an e-mail address."""
    found = set()
    for name in ("complaints.jsonl", "holdout.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            result = redact(json.loads(line)["text"])
            found.update(result.kinds)
            for person in result.names:
                assert all(word[0].isupper() for word in person.split()), person
    assert found == {NAME, PHONE, EMAIL}


def test_a_date_and_a_phone_number_side_by_side_are_not_read_as_a_nik():
    result = redact("sejak 12.08.2024 0812 3456 7890 belum ada kabar")

    assert result.text == "sejak 12.08.2024 [nomor HP disembunyikan] belum ada kabar"


def test_a_nik_and_a_phone_number_in_one_run_are_both_hidden():
    result = redact("data: 3275011203890001 081234567890")

    assert result.text == "data: [NIK disembunyikan] [nomor HP disembunyikan]"


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("3275011203890001", True),  # Kota Bekasi, born 12-03-1989
        ("3275015203890001", True),  # a woman: 40 added to the day
        ("3275017103890001", True),  # 31 + 40
        ("3275017203890001", False),  # day 32
        ("3275013102890001", False),  # 31 February
        ("3275012913890001", False),  # month 13
        ("9975011203890001", False),  # no province 99
        ("3200011203890001", False),  # no regency 00
        ("3275011203890000", False),  # serial 0000
        ("327501120389000", False),  # 15 digits
    ],
)
def test_a_nik_has_the_structure_of_codes_and_a_birth_date(digits, valid):
    assert is_nik(digits) is valid


def test_the_name_found_in_the_text_is_hidden_in_the_title_too():
    copy = public_copy("Nama saya Budi Santoso, lampu di gang kami mati.", "Laporan Budi Santoso")

    assert copy.title == "Laporan [nama disembunyikan]"
    assert copy.kinds == (NAME,)


@pytest.mark.parametrize(
    "text",
    [
        "Ketua RT minta uang 50rb untuk surat pengantar.",
        "Pak Lurah minta uang pelicin supaya berkas cepat.",
        "Kades kami korupsi dana desa.",
        "Oknum petugas dishub meminta uang damai di simpang.",
        "Pak Budi dari kelurahan minta uang Rp 200.000.",
        "Kepala sekolah melakukan pungli seragam.",
        "pegawai bernama Joko menerima suap",
    ],
)
def test_an_accusation_against_a_recognisable_person_is_told(text):
    assert accuses_someone(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ada pungli parkir di pasar.",  # nobody named
        "Pak Lurah belum menanggapi surat kami.",  # named, no accusation
        "Jalan rusak di depan kantor camat.",
    ],
)
def test_no_accusation_or_nobody_recognisable_is_not(text):
    assert not accuses_someone(text)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["3275011203890001", "081234567890", "nik", "rek", "B", "@", "+"]),
            st.text(alphabet="0123456789 .-()abXZ", max_size=6),
        ),
        max_size=12,
    ).map("".join)
)
def test_redaction_never_leaves_a_nik_or_a_mobile_number(text):
    once = redact(text).text
    for run in re.findall(r"(?<!\d)\d{16}(?!\d)", once):
        assert not is_nik(run)
    assert not re.search(r"(?<!\d)08\d{8,11}(?!\d)", once)
