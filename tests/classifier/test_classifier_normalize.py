import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier.normalize import EmptyText, normalize
from classifier.prepare import require_prepared
from classifier.slang import SLANG


def test_chat_abbreviations_become_standard_words():
    assert normalize("yg gk udh bgt tdk sy jln krn tp blm aja dgn utk") == (
        "yang tidak sudah banget tidak saya jalan karena tapi belum saja dengan untuk"
    )


def test_slang_table_is_large_and_every_key_can_match_a_token():
    # normalize splits on non-word characters and lower-cases, so a key with a space,
    # a hyphen or a capital would silently never apply.
    assert len(SLANG) >= 150
    assert all(key.isalpha() and key.islower() and key.isascii() for key in SLANG)
    assert all(value != key for key, value in SLANG.items())


def test_forms_of_address_are_folded():
    assert normalize("Pak, bu, bpk, min") == "bapak ibu bapak admin"


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("bangeeeet", "banget"),
        ("tolooong", "tolong"),
        ("rusakkkk", "rusak"),
        ("maaaaaf", "maaf"),
        ("tinggggi", "tinggi"),
        ("panjangggg", "panjang"),
        ("gaaaak", "tidak"),
    ],
)
def test_stretched_letters_collapse(written, meant):
    assert normalize(written) == meant


def test_real_double_letters_are_kept():
    assert normalize("maaf saat taat tinggi") == "maaf saat taat tinggi"


def test_reduplication_with_a_two_becomes_two_words():
    assert normalize("anak2 main di jalan2") == "anak anak main di jalan jalan"


def test_phone_numbers_are_masked_in_every_usual_spelling():
    text = "hub 0812-3456-7890, +62 812 3456 7890 atau 6281234567890"
    assert normalize(text) == "hub _telp_ _telp_ atau _telp_"


def test_urls_and_emails_are_masked():
    text = "lihat https://lapor.go.id/x?id=3 dan www.kota.id, kirim ke budi.s@gmail.com"
    assert normalize(text) == "lihat _url_ dan _url_ kirim ke _email_"


def test_plates_are_masked_but_rt_rw_and_blocks_are_numbers():
    text = "Mobil B 1234 XYZ dan motor ad5678bc parkir di RT 05 RW 03 Blok C 12"
    assert normalize(text) == (
        "mobil _nopol_ dan motor _nopol_ parkir di rt _angka_ rw _angka_ blok c _angka_"
    )


def test_lower_case_abbreviation_before_a_count_is_not_a_plate():
    assert normalize("dr 2 jam") == "dari _angka_ jam"


def test_other_numbers_are_masked_with_their_separators():
    assert normalize("Rp50.000 untuk 3,5 kg") == "rupiah _angka_ untuk _angka_ kg"


def test_emoji_punctuation_and_whitespace_fold_to_single_spaces():
    assert normalize("  Lampu   MATI!!! 😡😡\n\tsudah... 🙏 ") == "lampu mati sudah"


def test_styled_unicode_letters_read_as_plain_letters():
    assert normalize("𝐣𝐚𝐥𝐚𝐧 rusak") == "jalan rusak"


@given(st.text())
def test_output_is_lower_case_words_without_digits_or_extra_spaces(text):
    result = normalize(text)
    assert result == " ".join(result.split())
    assert not any(ch.isdigit() for ch in result)
    assert all(ch == " " or ch.isalnum() or ch == "_" for ch in result)
    # Case-folded (what caseless matching needs), not merely lower(): Unicode folds some
    # scripts to their capitals (Cherokee: casefold("ꭰ") == "Ꭰ"), and folding again changes nothing.
    assert result == result.casefold()


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "🙏🙏😡", "?!...", "___"])
def test_text_with_nothing_to_classify_raises_empty_text(text):
    with pytest.raises(EmptyText):
        require_prepared(text)


def test_empty_text_is_a_value_error():
    assert issubclass(EmptyText, ValueError)
