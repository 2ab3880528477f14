"""The plain rules that read a chat message: small talk, a salam opening a report, a place, a
wish for privacy (bots/chat_text.py). Pure functions; the dialogue's use of them is tested in
test_bots_engine.py and through the adapters."""

from __future__ import annotations

import pytest

from bots.chat_text import asks_privacy, looks_like_address, names_place, opening, small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Assalamualaikum", "salam"),
        ("Assalamu'alaikum wr. wb. pak", "salam"),
        ("aslm min", "salam"),
        ("Halo min, selamat pagi", "greeting"),
        ("P", "greeting"),
        ("terima kasih min 🙏", "thanks"),
        ("Makasih banyak ya pak", "thanks"),
        ("Terima kasih atas bantuannya", "thanks"),
        ("ok siap", "ack"),
        ("Oke pak, terima kasih", "thanks"),
        ("Pagi ini jalan depan rumah banjir", None),  # a time of day, then a report
        ("kapan dikerjakan?", None),  # a question about a complaint
        ("Halo, lampu jalan mati", None),
        ("Lampu mati", None),
    ],
)
def test_small_talk_is_recognised_only_when_it_is_all_the_message_says(text, kind):
    assert small_talk(text) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Assalamualaikum wr wb pak, jalan di depan rumah rusak parah",
            ("salam", "jalan di depan rumah rusak parah"),
        ),
        (
            "Selamat pagi. Lampu PJU di Jl. Melati mati",
            ("greeting", "Lampu PJU di Jl. Melati mati"),
        ),
        ("Pak, jalan rusak", (None, "Pak, jalan rusak")),  # no greeting to answer
        ("Malam ini banjir lagi", (None, "Malam ini banjir lagi")),
        ("Halo min", (None, "Halo min")),  # nothing else: small talk, not an opening
    ],
)
def test_a_salam_or_greeting_opening_a_report_is_split_from_it(text, expected):
    assert opening(text) == expected


@pytest.mark.parametrize(
    ("text", "placed"),
    [
        ("Jalan berlubang besar di Jl. Merdeka No. 5", True),
        ("Sampah di RT 05/RW 02 belum diangkut", True),
        ("Lampu jalan di depan masjid Al-Ikhlas mati", True),
        ("Banjir setinggi lutut di Margahayu", True),
        ("Lampu jalan mati sejak seminggu, gelap sekali", False),
        ("Jalan rusak parah sudah dua minggu", False),
    ],
)
def test_a_text_names_its_place_or_the_dialogue_asks(text, placed):
    assert names_place(text) is placed


def test_a_reply_to_where_is_an_address_when_short_or_placed():
    assert looks_like_address("Margahayu Raya")
    assert looks_like_address("depan pasar lama dekat terminal bus kota")
    assert not looks_like_address("sudah dua minggu motor sering jatuh malam hari")


def test_a_wish_for_privacy_is_heard():
    assert asks_privacy("Mohon nama saya dirahasiakan")
    assert asks_privacy("jangan sebut nama saya ya pak")
    assert asks_privacy("saya mau lapor anonim")
    assert not asks_privacy("Lampu jalan mati di depan rumah")
