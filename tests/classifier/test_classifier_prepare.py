"""Letter boilerplate is dropped before the features; the message itself never is."""

import pytest

from classifier.prepare import prepare, strip_boilerplate

LETTER = """Assalamu'alaikum wr. wb.
Kepada Yth. Bapak Bupati Banyumas
di tempat

Dengan hormat,
Nama : Siti Aminah
NIK : 3302123456780001
Alamat : Desa Karangrau RT 02 RW 03, Kecamatan Sokaraja
No. HP : 0812-2671-0934

Mohon ijin melaporkan, tanpa mengurangi rasa hormat, jalan kabupaten di depan SD negeri
kami berlubang besar sejak 3 bulan.
Demikian laporan ini kami sampaikan. Atas perhatiannya kami ucapkan terima kasih.
Wassalamu'alaikum wr. wb.

Hormat saya,
Siti Aminah"""


def test_a_letter_keeps_only_its_body():
    assert strip_boilerplate(LETTER) == (
        "jalan kabupaten di depan SD negeri\nkami berlubang besar sejak 3 bulan."
    )


def test_address_header_officials_do_not_reach_the_features():
    # The camat and lurah of an address line would pull a road complaint to `aparatur`.
    text = "Kecamatan : Kembaran\nLurah : Pak Slamet\nLampu PJU di gang kami mati seminggu."

    assert prepare(text) == "lampu lampu jalan di gang kami mati seminggu"  # pju: lampu jalan


def test_the_subject_line_keeps_its_subject():
    text = (
        "Perihal: Pungli di kantor desa\nKepada Yth. Bapak Camat Kembaran\nDengan hormat, "
        "perangkat desa minta uang 500 ribu untuk surat pengantar."
    )

    body = strip_boilerplate(text)

    assert body.startswith("Pungli di kantor desa")
    assert "Camat" not in body and "hormat" not in body
    assert body.endswith("perangkat desa minta uang 500 ribu untuk surat pengantar.")


@pytest.mark.parametrize(
    "text",
    ["Assalamualaikum", "terima kasih min", "Selamat pagi pak, terima kasih 🙏", "halo"],
)
def test_a_message_that_is_only_a_greeting_or_thanks_is_kept_whole(text):
    # Then the greeting is the message: the model must see it to call it no complaint.
    assert strip_boilerplate(text) == text


def test_thanks_that_open_a_message_are_its_content_not_a_closing():
    text = "terima kasih min, jalan kami sudah diperbaiki"

    assert strip_boilerplate(text) == text


def test_closings_go_only_from_the_end():
    text = "min lampu jalan mati di gang 3, sudah lapor terima kasih tapi belum ada. makasih"

    assert strip_boilerplate(text) == (
        "lampu jalan mati di gang 3, sudah lapor terima kasih tapi belum ada."
    )


def test_a_capitalized_place_after_the_office_is_dropped_but_lower_case_words_are_not():
    assert strip_boilerplate("Yth Bapak Bupati Cilacap jalan di desa kami rusak parah") == (
        "jalan di desa kami rusak parah"
    )
    assert strip_boilerplate("yth bapak bupati jalan di desa kami rusak parah") == (
        "jalan di desa kami rusak parah"
    )
