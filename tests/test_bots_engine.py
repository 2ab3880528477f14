"""The dialogue engine against the real database: conversations, drafts, replies in the outbox.

No channel adapter is involved: each test plays a citizen by handing `Incoming` values to
`Engine.handle` and reads what the engine left in PostgreSQL.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import itertools
from datetime import timedelta

import pytest
from helpers import cleaned, png_bytes
from lifecycle_helpers import complaint_in
from photo_samples import SCRIPT_AS_JPEG, png_bomb

from bots import strings
from bots.engine import Engine, Incoming, Reply, expire_drafts, forget_deliveries
from lapor import complaints, tracking
from lapor.city import load_city
from lapor.errors import ValidationFailed
from lapor.lifecycle import STATUS_LABELS
from lapor.routing import RoutingDecision

CHAT = "5001"


class RecordingMedia:
    """A channel's media download: known refs give their bytes, anything else fails."""

    def __init__(self, files: dict[str, bytes] | None = None) -> None:
        self.files = dict(files or {})
        self.requested: list[str] = []

    async def fetch(self, ref: str) -> bytes:
        self.requested.append(ref)
        if ref not in self.files:
            raise ConnectionError(f"download of {ref} failed")
        return self.files[ref]


class SuggestingRouter:
    """Suggests one category and records what it was asked."""

    def __init__(self, category: str) -> None:
        self.category = category
        self.asked: list[tuple[str, str | None]] = []

    def route(self, text: str, category_hint: str | None) -> RoutingDecision:
        self.asked.append((text, category_hint))
        return RoutingDecision("assigned", self.category, "DPUPR", True, "test")


_message_ids = itertools.count(1)


class Citizen:
    """One chat on one channel; every call is a new delivery with a fresh message id."""

    def __init__(self, engine: Engine, chat_id: str = CHAT, channel: str = "telegram", **extra):
        self.engine, self.chat_id, self.channel, self.extra = engine, chat_id, channel, extra
        self.last: Incoming | None = None

    def incoming(self, kind: str, **fields) -> Incoming:
        return Incoming(
            channel=self.channel,
            chat_id=self.chat_id,
            message_id=str(next(_message_ids)),
            kind=kind,
            **{**self.extra, **fields},
        )

    async def deliver(self, incoming: Incoming) -> Incoming:
        self.last = incoming
        await self.engine.handle(incoming)
        return incoming

    async def says(self, text: str) -> Incoming:
        return await self.deliver(self.incoming("text", text=text))

    async def command(self, command: str, argument: str | None = None) -> Incoming:
        return await self.deliver(self.incoming("command", command=command, text=argument))

    async def taps(self, data: str) -> Incoming:
        return await self.deliver(self.incoming("choice", choice=data))

    async def shares_location(self, lat: float, lon: float) -> Incoming:
        return await self.deliver(self.incoming("location", latitude=lat, longitude=lon))

    async def sends_photo(self, ref: str, caption: str | None = None) -> Incoming:
        return await self.deliver(self.incoming("photo", photo_ref=ref, text=caption))


# ------------------------------------------------------------------------------- reading


async def replies(services, chat_id: str = CHAT) -> list[dict]:
    async with services.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT payload, dedupe_key, kind FROM outbox WHERE recipient = $1 ORDER BY id",
            chat_id,
        )
    for row in rows:  # every message the engine writes must fit WhatsApp's buttons
        assert row["kind"] == "bot_reply"
        assert len(row["payload"]["buttons"]) <= 3
        assert all(len(label) <= 20 for label, _ in row["payload"]["buttons"])
    return [dict(row["payload"]) for row in rows]


async def last_reply(services, chat_id: str = CHAT) -> dict:
    return (await replies(services, chat_id))[-1]


def button(reply: dict, label: str) -> str:
    for shown, data in reply["buttons"]:
        if shown == label:
            return data
    raise AssertionError(f"no button {label!r} in {reply['buttons']}")


async def conversation(services, chat_id: str = CHAT, channel: str = "telegram"):
    async with services.pool.acquire() as conn:
        return await conn.fetchrow(
            "SELECT * FROM bot_conversation WHERE channel = $1 AND chat_id = $2", channel, chat_id
        )


async def complaint_rows(services) -> list:
    async with services.pool.acquire() as conn:
        return await conn.fetch(
            """SELECT c.*, r.chat_id, r.channel AS reporter_channel, r.name AS reporter_name
               FROM complaint c LEFT JOIN reporter r ON r.id = c.reporter_id ORDER BY c.id"""
        )


async def photo_rows(services, complaint_id: int) -> list:
    async with services.pool.acquire() as conn:
        return await conn.fetch(
            "SELECT * FROM complaint_photo WHERE complaint_id = $1 ORDER BY position",
            complaint_id,
        )


def id_text(key: str, **values) -> str:
    return strings.text("id", key, **values)


def joined(*keys: str) -> str:
    """Sentences the engine sends together as one message."""
    return "\n\n".join(id_text(key) for key in keys)


# ------------------------------------------------------------------------------- fixtures

PHOTO = png_bytes(seed=1)
DESCRIPTION = "Lampu jalan di depan masjid Al-Ikhlas mati sejak seminggu, jalan gelap sekali."


@pytest.fixture
def media() -> RecordingMedia:
    return RecordingMedia({"photo-1": PHOTO, "photo-2": png_bytes(seed=2)})


@pytest.fixture
def engine(services, media) -> Engine:
    return Engine(services, {"telegram": media, "whatsapp": media})


@pytest.fixture
def citizen(engine) -> Citizen:
    return Citizen(engine, sender_name="Budi Santoso")


# Says what and where: one message reaches the summary.
PLACELESS = "Lampu jalan mati sejak seminggu, jalan gelap sekali kalau malam."


async def reach_summary(citizen: Citizen, services, *, typed: tuple[str, ...] = ()) -> dict:
    """Given a citizen whose first message says what and where, and who types the privacy
    words `typed` at the summary (the city's defaults: not rahasia, anonim)."""
    await citizen.says(DESCRIPTION)
    for word in typed:
        await citizen.says(word)
    return await last_reply(services, citizen.chat_id)


# ------------------------------------------------------------------------------- the flow


async def test_a_whole_report_becomes_one_complaint_with_location_and_photo(
    services, citizen, media
):
    await citizen.command("start")
    await citizen.says(PLACELESS)  # what, not where: asked once
    assert (await last_reply(services))["text"] == joined("chat.noted", "ask_location")
    await citizen.shares_location(-6.2383, 106.9756)
    assert (await conversation(services))["state"] == "confirm"
    await citizen.sends_photo("photo-1")  # photos are welcome at the summary
    summary = await last_reply(services)
    assert summary["text"].startswith(id_text("photo_noted", count=1, maximum=5))
    assert PLACELESS in summary["text"]
    assert "Foto: 1" in summary["text"] and "Anonim: Ya" in summary["text"]  # city default
    assert "Rahasia: Tidak" in summary["text"]
    assert [label for label, _ in summary["buttons"]] == ["Kirim", "Ubah", "Batal"]

    await citizen.taps(button(summary, "Kirim"))

    [row] = await complaint_rows(services)
    assert row["body"] == PLACELESS
    assert (row["latitude"], row["longitude"]) == (-6.2383, 106.9756)
    assert row["channel"] == "telegram" and row["reporter_channel"] == "telegram"
    assert row["chat_id"] == CHAT
    assert (row["rahasia"], row["anonim"]) == (False, True)
    assert row["reporter_name"] is None  # anonim: the name is not even stored
    [photo] = await photo_rows(services, row["id"])
    assert photo["sha256"] == hashlib.sha256(cleaned(PHOTO)).hexdigest()
    assert photo["media_type"] == "image/png" and photo["size_bytes"] == len(cleaned(PHOTO))
    assert media.requested == ["photo-1"]
    answer = await last_reply(services)
    code = tracking.display(row["tracking_code"])
    assert code in answer["text"]
    assert services.status_url(row["tracking_code"]) in answer["text"]
    state = await conversation(services)
    assert (state["state"], state["draft"], state["expires_at"]) == ("idle", None, None)


async def test_a_first_message_with_what_and_where_goes_straight_to_the_summary(services, citizen):
    await citizen.says("Jalan berlubang besar di Jl. Merdeka No. 5 RT 03/RW 02, Margahayu.")
    summary = await last_reply(services)
    assert summary["text"].startswith("Ringkasan laporan Anda:")
    assert "Lokasi: " + id_text("chat.summary_place_in_text") in summary["text"]
    await citizen.says("ok")  # typed at the summary: send
    [row] = await complaint_rows(services)
    assert row["body"].startswith("Jalan berlubang besar di Jl. Merdeka")
    assert row["address"] is None  # the place is in the text the officers read


async def test_the_reporter_name_is_kept_when_not_anonim(services, citizen):
    summary = await reach_summary(citizen, services, typed=("rahasia", "tidak anonim"))
    assert summary["text"].startswith(id_text("chat.named_set"))
    assert "Rahasia: Ya" in summary["text"] and "Anonim: Tidak" in summary["text"]
    await citizen.taps(button(summary, "Kirim"))
    [row] = await complaint_rows(services)
    assert (row["rahasia"], row["anonim"], row["reporter_name"]) == (True, False, "Budi Santoso")


async def test_a_place_is_asked_once_and_the_story_may_go_on_around_it(services, citizen):
    await citizen.says("Jalan berlubang besar")
    assert (await conversation(services))["state"] == "location"
    # More of the story (no place in it): kept, and the place asked again.
    await citizen.says("sudah dua minggu, motor sering jatuh malam hari")
    assert (await last_reply(services))["text"] == joined("chat.description_added", "ask_location")
    await citizen.says("depan SDN 3 Margahayu")  # the answer to "where?"
    await citizen.says("tolong segera ditambal")  # at the summary: more description
    after = await conversation(services)
    assert after["state"] == "confirm"
    assert after["draft"]["text"] == (
        "Jalan berlubang besar\nsudah dua minggu, motor sering jatuh malam hari\n"
        "tolong segera ditambal"
    )
    assert after["draft"]["location"] == {"address": "depan SDN 3 Margahayu"}
    assert await complaint_rows(services) == []
    assert len(await replies(services)) == 4  # one answer each, no report each


async def test_lanjut_with_a_too_short_description_asks_for_more(services, citizen):
    await citizen.says("banjir")
    await citizen.taps(f"lapor:next:{(await conversation(services))['draft']['number']}")
    assert (await conversation(services))["state"] == "describing"
    assert (await last_reply(services))["text"] == id_text("description_too_short", minimum=10)


async def test_typed_words_work_like_the_buttons(services, citizen):
    await citizen.says(PLACELESS)
    for word in ("lewati", "rahasia", "Kirim"):
        await citizen.says(word)
    [row] = await complaint_rows(services)
    assert (row["rahasia"], row["anonim"], row["latitude"], row["address"]) == (
        True,
        True,
        None,
        None,
    )


ACCUSATION = (
    "Pak Lurah minta uang pelicin Rp 100 ribu supaya surat domisili cepat keluar. "
    "HP saya 081234567890."
)


async def describe_an_accusation(citizen: Citizen, services) -> dict:
    """Given a citizen whose report names an official asking for money: the privacy question."""
    await citizen.says(ACCUSATION)
    await citizen.says("lewati")  # no place
    return await last_reply(services)


async def test_an_accusation_is_met_with_the_advice_to_choose_rahasia(services, citizen):
    asking = await describe_an_accusation(citizen, services)
    assert asking["text"] == joined("suggest_rahasia", "chat.ask_privacy")
    assert [label for label, _ in asking["buttons"]] == ["Rahasia", "Rahasia + anonim", "Tidak"]
    await citizen.taps(button(asking, "Tidak"))
    summary = await last_reply(services)
    assert id_text("summary_suggest_rahasia") in summary["text"]
    assert id_text("summary_hidden", kinds="nomor HP") in summary["text"]

    await citizen.says("RAHASIA")  # the advice, taken up at the summary

    again = await last_reply(services)
    assert again["text"].startswith(id_text("rahasia_set"))
    assert "Rahasia: Ya" in again["text"]
    assert id_text("summary_suggest_rahasia") not in again["text"]
    await citizen.taps(button(again, "Kirim"))
    [row] = await complaint_rows(services)
    assert row["rahasia"] is True


async def test_the_advice_to_choose_rahasia_leaves_the_choice_to_the_citizen(services, citizen):
    asking = await describe_an_accusation(citizen, services)
    await citizen.taps(button(asking, "Tidak"))
    await citizen.taps(button(await last_reply(services), "Kirim"))

    [row] = await complaint_rows(services)
    assert row["rahasia"] is False and row["body"] == ACCUSATION


async def test_a_citizen_who_asks_for_privacy_is_asked_which(services, citizen):
    await citizen.says("Sampah menumpuk di depan rumah Pak RT 04, mohon nama saya dirahasiakan.")
    asking = await last_reply(services)
    assert asking["text"] == id_text("chat.ask_privacy")  # no accusation: no advice
    await citizen.taps(button(asking, "Rahasia + anonim"))
    await citizen.taps(button(await last_reply(services), "Kirim"))
    [row] = await complaint_rows(services)
    assert (row["rahasia"], row["anonim"], row["reporter_name"]) == (True, True, None)


async def test_the_summary_in_english_names_what_the_public_copy_hides(services, engine):
    citizen = Citizen(engine, chat_id="5009", language="en")
    await citizen.says("Streetlight out for a week. Call me on 0812-3456-7890 please.")
    await citizen.taps(button(await last_reply(services, "5009"), "Skip"))
    summary = await last_reply(services, "5009")
    expected = strings.text("en", "summary_hidden", kinds="phone number")
    assert expected in summary["text"]


async def test_the_summary_suggests_the_routed_category_by_its_name(services, media):
    router = SuggestingRouter("jalan")
    engine = Engine(dataclasses.replace(services, router=router), {"telegram": media})
    summary = await reach_summary(Citizen(engine), services)
    assert services.city.categories["jalan"].name in summary["text"]
    # asked twice: is the first message a complaint at all, then where would it go
    assert router.asked == [(DESCRIPTION, None), (DESCRIPTION, None)]


async def test_ubah_rewrites_the_description(services, citizen):
    summary = await reach_summary(citizen, services)
    await citizen.taps(button(summary, "Ubah"))
    assert (await conversation(services))["state"] == "editing"
    await citizen.says("Lampu PJU di Jl. Melati mati total sejak Senin malam.")
    new_summary = await last_reply(services)
    assert "Jl. Melati" in new_summary["text"] and DESCRIPTION not in new_summary["text"]
    await citizen.taps(button(new_summary, "Kirim"))
    [row] = await complaint_rows(services)
    assert row["body"] == "Lampu PJU di Jl. Melati mati total sejak Senin malam."


async def test_photos_are_welcome_at_the_summary_up_to_five(services, engine, media):
    for n in range(3, 9):
        media.files[f"p{n}"] = png_bytes(seed=n)
    citizen = Citizen(engine)
    await citizen.says(DESCRIPTION)
    for n in range(3, 8):
        await citizen.sends_photo(f"p{n}")
    state = await conversation(services)
    assert (state["state"], len(state["draft"]["photos"])) == ("confirm", 5)
    assert "Foto: 5" in (await last_reply(services))["text"]

    await citizen.sends_photo("p8")

    assert (await last_reply(services))["text"].startswith(id_text("photo_limit", maximum=5))
    assert len((await conversation(services))["draft"]["photos"]) == 5


# ------------------------------------------------------------------------------- status


async def test_status_shows_the_label_and_the_last_public_note(services, citizen, client, accounts):
    code = await complaint_in(client, accounts, "resolved")
    await citizen.command("status", tracking.display(code).lower())
    text = (await last_reply(services))["text"]
    assert tracking.display(code) in text
    assert STATUS_LABELS["resolved"] in text
    assert "Sudah ditambal." in text
    assert services.status_url(code) in text


async def test_cek_in_a_text_looks_the_code_up_too(services, citizen, client, accounts):
    code = await complaint_in(client, accounts, "in_progress")
    await citizen.says(f"cek {tracking.display(code)}")
    assert STATUS_LABELS["in_progress"] in (await last_reply(services))["text"]
    assert await complaint_rows(services) != [] and (await conversation(services))["draft"] is None


async def test_a_text_starting_with_cek_but_no_code_is_a_report(services, citizen):
    await citizen.says("Cek saluran air di RT 05, mampet total")
    assert (await conversation(services))["draft"][
        "text"
    ] == "Cek saluran air di RT 05, mampet total"


async def test_a_typo_and_an_unknown_code_get_different_answers(services, citizen):
    real = tracking.new_code()
    typo = real[:-1] + ("0" if real[-1] != "0" else "1")
    await citizen.command("status", typo)
    typo_answer = (await last_reply(services))["text"]
    await citizen.command("status", real)
    unknown_answer = (await last_reply(services))["text"]
    await citizen.command("status", "halo")
    malformed_answer = (await last_reply(services))["text"]
    assert typo_answer == id_text("code_typo", code=typo)
    assert unknown_answer == id_text("code_unknown", code=tracking.display(real))
    assert malformed_answer == id_text("code_malformed")
    assert len({typo_answer, unknown_answer, malformed_answer}) == 3


async def test_a_rahasia_report_is_shown_only_to_its_own_chat(services, engine):
    reporter, stranger = Citizen(engine, "7001"), Citizen(engine, "7002")
    summary = await reach_summary(reporter, services, typed=("rahasia",))
    await reporter.taps(button(summary, "Kirim"))
    [row] = await complaint_rows(services)
    code = tracking.display(row["tracking_code"])
    await stranger.command("status", code)
    await reporter.command("status", code)
    assert (await last_reply(services, "7002"))["text"] == id_text("code_unknown", code=code)
    assert STATUS_LABELS[row["status"]] in (await last_reply(services, "7001"))["text"]


async def file_for(services, chat_id: str, text: str, channel: str = "telegram") -> str:
    intake = complaints.parse_intake(
        {"text": text},
        channel=channel,
        category_codes=list(services.city.categories),
        chat_id=chat_id,
    )
    return (await complaints.file_complaint(services, intake)).tracking_code


async def test_laporanku_lists_this_chats_reports_latest_first_at_most_ten(
    services, citizen, clock
):
    codes = []
    for n in range(11):
        codes.append(await file_for(services, CHAT, f"Laporan nomor {n} tentang jalan rusak"))
        clock.advance(timedelta(minutes=5))
    await file_for(services, "9999", "Laporan orang lain tentang sampah")
    await file_for(services, CHAT, "Laporan yang sama chat id lewat WhatsApp", "whatsapp")

    await citizen.command("laporanku")

    lines = (await last_reply(services))["text"].splitlines()
    assert lines[0] == id_text("my_reports")
    shown = [line.split()[1] for line in lines[1:]]
    assert shown == [tracking.display(c) for c in reversed(codes)][:10]


async def test_laporanku_without_reports_says_so(services, citizen):
    await citizen.command("laporanku")
    assert (await last_reply(services))["text"] == id_text("my_reports_none")


# ------------------------------------------------------------------------ cancel and expiry


async def test_batal_drops_the_draft_and_its_buttons_go_stale(services, citizen):
    summary = await reach_summary(citizen, services)
    await citizen.command("batal")
    state = await conversation(services)
    assert (state["state"], state["draft"]) == ("idle", None)
    assert (await last_reply(services))["text"] == id_text("cancelled")

    await citizen.taps(button(summary, "Kirim"))
    assert await complaint_rows(services) == []
    assert (await last_reply(services))["text"] == joined("stale_choice", "start_hint")


async def test_an_old_drafts_kirim_does_not_send_the_new_draft(services, citizen):
    old_summary = await reach_summary(citizen, services)
    await citizen.command("batal")
    await citizen.says("Sampah menumpuk di TPS Jl. Kenanga sejak tiga hari.")
    await citizen.taps(button(old_summary, "Kirim"))
    assert await complaint_rows(services) == []
    state = await conversation(services)
    assert (state["state"], state["draft"]["number"]) == ("confirm", 2)


async def test_a_draft_left_for_24_hours_is_dropped_and_the_citizen_told_once(
    services, citizen, clock
):
    await citizen.says(DESCRIPTION)
    clock.advance(timedelta(hours=23, minutes=59))
    assert await expire_drafts(services) == 0
    clock.advance(timedelta(minutes=1))

    assert await expire_drafts(services) == 1
    assert await expire_drafts(services) == 0
    await citizen.says("Halo, masih bisa dilanjutkan?")

    texts = [r["text"] for r in await replies(services)]
    assert texts.count(id_text("expired")) == 1
    state = await conversation(services)
    assert state["draft"]["text"] == "masih bisa dilanjutkan?"  # a fresh draft, no greeting


async def test_an_expired_draft_is_dropped_when_the_citizen_writes_again(services, citizen, clock):
    summary = await reach_summary(citizen, services)
    clock.advance(timedelta(hours=25))
    await citizen.taps(button(summary, "Kirim"))
    assert await expire_drafts(services) == 0  # the lazy path already did it

    texts = [r["text"] for r in await replies(services)]
    assert texts.count(id_text("expired")) == 1
    assert texts[-1] == joined("stale_choice", "start_hint")
    assert await complaint_rows(services) == []


# ------------------------------------------------------------------ restarts and redelivery


async def test_a_new_engine_carries_on_the_conversation(services, media):
    first = Citizen(Engine(services, {"telegram": media}))
    await first.says(PLACELESS)

    second = Citizen(Engine(services, {"telegram": media}))  # a restart, or another instance
    await second.shares_location(-6.2, 106.8)
    await second.taps(button(await last_reply(services), "Kirim"))

    [row] = await complaint_rows(services)
    assert row["body"] == PLACELESS and row["latitude"] == -6.2


async def test_a_redelivered_message_is_answered_once(services, citizen):
    incoming = await citizen.says(DESCRIPTION)
    await citizen.deliver(incoming)
    assert len(await replies(services)) == 1
    assert (await conversation(services))["draft"]["text"] == DESCRIPTION


async def test_twenty_concurrent_deliveries_of_kirim_make_one_complaint_and_one_answer(
    services, citizen
):
    summary = await reach_summary(citizen, services)
    before = len(await replies(services))
    kirim = citizen.incoming("choice", choice=button(summary, "Kirim"))

    await asyncio.gather(*(citizen.engine.handle(kirim) for _ in range(20)))

    assert len(await complaint_rows(services)) == 1
    assert len(await replies(services)) == before + 1


async def test_twenty_concurrent_deliveries_of_a_text_append_it_once(services, citizen):
    await citizen.says("Jalan berlubang besar sekali")
    text = citizen.incoming("text", text="sudah dua minggu belum ada perbaikan juga")
    await asyncio.gather(*(citizen.engine.handle(text) for _ in range(20)))
    assert (await conversation(services))["draft"]["text"] == (
        "Jalan berlubang besar sekali\nsudah dua minggu belum ada perbaikan juga"
    )
    assert len(await replies(services)) == 2


async def test_concurrent_messages_of_one_chat_are_serialized_and_none_is_lost(services, citizen):
    await citizen.says("Jalan berlubang besar")
    parts = [f"keterangan tambahan {n}" for n in range(10)]
    await asyncio.gather(*(citizen.says(part) for part in parts))
    draft = (await conversation(services))["draft"]
    lines = draft["text"].split("\n")
    assert lines[0] == "Jalan berlubang besar"
    # The first to arrive answered "where?"; the others went on with the story.
    assert sorted([*lines[1:], draft["location"]["address"]]) == sorted(parts)


async def test_two_taps_on_kirim_at_once_make_one_complaint(services, citizen):
    summary = await reach_summary(citizen, services)
    data = button(summary, "Kirim")
    await asyncio.gather(citizen.taps(data), citizen.taps(data))
    assert len(await complaint_rows(services)) == 1


async def test_old_deliveries_are_forgotten(services, citizen, clock):
    await citizen.says(DESCRIPTION)
    clock.advance(timedelta(days=4))
    assert await forget_deliveries(services) == 1
    assert await forget_deliveries(services) == 0


# ------------------------------------------------------------------------ unexpected input


UNEXPECTED = {
    "unsupported": (dict(kind="unsupported"), "unsupported"),
    "10,000 characters": (dict(kind="text", text="rusak " * 1666 + "rusak"), "text_too_long"),
    "emoji only": (dict(kind="text", text="😡😡😡 🙏"), "no_words"),
    "stale choice": (dict(kind="choice", choice="lapor:send:99"), "stale_choice"),
    "unknown choice": (dict(kind="choice", choice="something:else"), "stale_choice"),
    "location abroad": (dict(kind="location", latitude=48.85, longitude=2.35), "location_outside"),
}


@pytest.mark.parametrize("name", list(UNEXPECTED))
async def test_unexpected_input_gets_a_polite_answer_and_keeps_the_draft(services, citizen, name):
    fields, key = UNEXPECTED[name]
    await citizen.says(DESCRIPTION)
    before = await conversation(services)

    await citizen.deliver(citizen.incoming(**fields))

    after = await conversation(services)
    assert (after["state"], after["draft"], after["expires_at"]) == (
        before["state"],
        before["draft"],
        before["expires_at"],
    )
    acknowledgement, answer = [r["text"] for r in await replies(services)]
    # One message: the polite answer, then where the report stands, with its buttons.
    assert answer == id_text(key, maximum=5000) + "\n\n" + acknowledgement


async def test_a_10000_character_first_message_starts_no_draft(services, citizen):
    await citizen.says("x" * 10_000)
    assert (await conversation(services))["draft"] is None
    assert (await replies(services))[0]["text"].startswith(id_text("text_too_long", maximum=5000))


async def test_an_unknown_command_answers_with_help(services, citizen):
    await citizen.command("hapus")
    texts = [r["text"] for r in await replies(services)]
    assert texts == [joined("unknown_command", "help")]


# ---------------------------------------------------------------------------------- photos


async def test_a_photo_that_cannot_be_fetched_is_answered_and_the_report_goes_on(
    services, citizen, media
):
    await citizen.says(DESCRIPTION)
    await citizen.sends_photo("gone")
    assert media.requested == ["gone"]
    assert (await replies(services))[1]["text"].startswith(id_text("photo_fetch_failed"))
    assert (await conversation(services))["draft"]["photos"] == []

    await citizen.sends_photo("photo-1")
    assert len((await conversation(services))["draft"]["photos"]) == 1


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"GIF89a not accepted", "photo_not_image"),
        (b"\xff\xd8\xff" + bytes(5 * 1024 * 1024), "photo_too_large"),
        (SCRIPT_AS_JPEG, "photo_unreadable"),
        (png_bomb(8_000, 6_000), "photo_too_many_pixels"),
    ],
    ids=["gif", "over-5-mb", "jpeg-prefixed-script", "bomb-48-mp"],
)
async def test_a_bad_photo_is_refused_politely(services, citizen, media, content, key):
    media.files["bad"] = content
    await citizen.says(DESCRIPTION)
    await citizen.sends_photo("bad")
    assert (await replies(services))[1]["text"].startswith(id_text(key))
    assert (await conversation(services))["draft"]["photos"] == []


async def test_a_photo_with_a_caption_starts_a_report(services, citizen):
    await citizen.sends_photo("photo-1", caption=DESCRIPTION)
    draft = (await conversation(services))["draft"]
    assert draft["text"] == DESCRIPTION
    assert len(draft["photos"]) == 1


# -------------------------------------------------------------------------------- language


async def test_an_english_first_contact_is_answered_in_english(services, engine):
    citizen = Citizen(engine, language="en-GB")
    await citizen.command("start")
    assert (await conversation(services))["language"] == "en"
    assert strings.text("en", "help") in (await last_reply(services))["text"]
    await citizen.says(DESCRIPTION)
    assert [label for label, _ in (await last_reply(services))["buttons"]] == [
        "Send",
        "Edit",
        "Cancel",
    ]


async def test_an_indonesian_or_unknown_language_gets_indonesian(services, engine):
    await Citizen(engine, language="id").command("bantuan")
    assert (await last_reply(services))["text"] == id_text("help")


async def test_bahasa_offers_the_choice_and_switches(services, citizen):
    await citizen.command("bahasa")
    offer = await last_reply(services)
    await citizen.taps(button(offer, "English"))
    assert (await conversation(services))["language"] == "en"
    assert (await last_reply(services))["text"] == strings.text("en", "language_set")
    await citizen.command("bahasa", "indonesia")
    assert (await conversation(services))["language"] == "id"


async def test_switching_language_mid_report_keeps_the_draft(services, citizen):
    await citizen.says(DESCRIPTION)
    await citizen.command("bahasa", "en")
    assert (await conversation(services))["draft"]["text"] == DESCRIPTION
    assert (await last_reply(services))["buttons"][0][0] == "Send"


def test_both_languages_say_everything_and_buttons_fit_whatsapp():
    assert set(strings.ID) == set(strings.EN)
    for table in (strings.ID, strings.EN):
        assert all(len(v) <= 20 for k, v in table.items() if k.startswith("button_"))
    assert {s: strings.status_label("id", s) for s in STATUS_LABELS} == STATUS_LABELS


# ----------------------------------------------------------------------- other features


async def test_a_registered_choice_runs_in_the_transaction_once(services, engine, citizen):
    calls = []

    async def survey(conn, incoming, conversation):
        calls.append((incoming.choice, conversation.language, conversation.state))
        await conn.execute("CREATE TABLE IF NOT EXISTS survey_probe (answer text)")
        await conn.execute("INSERT INTO survey_probe VALUES ($1)", incoming.choice)
        return ["Terima kasih atas penilaian Anda.", Reply("Ada saran?", (("Tidak", "survey:no"),))]

    engine.on_choice("survey:", survey)
    await citizen.says(DESCRIPTION)
    tap = await citizen.taps("survey:q1:4")
    await citizen.deliver(tap)

    assert calls == [("survey:q1:4", "id", "confirm")]
    texts = [r["text"] for r in await replies(services)]
    assert texts[-2:] == ["Terima kasih atas penilaian Anda.", "Ada saran?"]
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM survey_probe") == 1
    assert (await conversation(services))["draft"]["text"] == DESCRIPTION


async def test_a_validation_error_in_a_handler_becomes_a_sentence(services, engine, citizen):
    async def strict(conn, incoming, conversation):
        await conn.execute("CREATE TABLE survey_probe (answer text)")
        raise ValidationFailed.on("score", "nilai harus antara 1 dan 4")

    engine.on_choice("survey:", strict)
    await citizen.taps("survey:q1:9")
    assert (await last_reply(services))["text"] == id_text(
        "invalid", reason="nilai harus antara 1 dan 4"
    )
    async with services.pool.acquire() as conn:  # the handler's half-write was undone
        assert await conn.fetchval("SELECT to_regclass('survey_probe')") is None


async def test_a_bug_in_a_step_becomes_an_apology_and_the_draft_survives(services, engine, citizen):
    calls = []

    async def broken(conn, incoming, conversation):
        calls.append(incoming.choice)
        await conn.execute("UPDATE bot_conversation SET language = 'en'")
        raise RuntimeError("a bug")

    engine.on_choice("survey:", broken)
    await citizen.says(DESCRIPTION)
    before = await conversation(services)
    tap = await citizen.taps("survey:q1:3")
    await citizen.deliver(tap)  # redelivered: not run again

    assert calls == ["survey:q1:3"]
    assert (await last_reply(services))["text"] == id_text("error")
    after = await conversation(services)
    assert (after["language"], after["draft"]) == ("id", before["draft"])


async def test_a_nul_character_in_a_text_is_dropped(services, citizen):
    await citizen.says("Jalan rusak\x00 di depan pasar")
    assert (await conversation(services))["draft"]["text"] == "Jalan rusak di depan pasar"


async def test_a_text_handler_takes_idle_text_before_a_report_starts(services, engine, citizen):
    seen = []

    async def comment(conn, incoming, conversation):
        seen.append((incoming.text, conversation.state))
        await conn.execute("CREATE TABLE IF NOT EXISTS comment_probe (text text)")
        await conn.execute("INSERT INTO comment_probe VALUES ($1)", incoming.text)
        return [Reply("Terima kasih atas komentar Anda.")]

    engine.on_text(comment)
    said = await citizen.says("Pelayanannya cepat sekali.")
    await citizen.deliver(said)  # redelivered: not taken twice

    assert seen == [("Pelayanannya cepat sekali.", "idle")]
    assert [r["text"] for r in await replies(services)] == ["Terima kasih atas komentar Anda."]
    assert (await conversation(services))["draft"] is None  # no report was started
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM comment_probe") == 1


async def test_a_text_handler_returning_none_leaves_the_text_to_the_dialogue(
    services, engine, citizen
):
    offered = []

    async def not_mine(conn, incoming, conversation):
        offered.append(incoming.text)
        return None

    engine.on_text(not_mine)
    await citizen.says(DESCRIPTION)

    assert offered == [DESCRIPTION]
    assert (await conversation(services))["draft"]["text"] == DESCRIPTION
    assert (await last_reply(services))["text"].startswith("Ringkasan laporan Anda:")


async def test_text_handlers_never_see_an_open_drafts_text_or_the_dialogues_own_words(
    services, engine, citizen
):
    offered = []

    async def greedy(conn, incoming, conversation):
        offered.append(incoming.text)
        return ["diambil"]

    engine.on_text(greedy)
    await citizen.says("/bantuan")  # a command typed as text
    await citizen.says("cek ABCDE-FGH12")  # a status look-up
    await citizen.command("lapor")
    await citizen.says(PLACELESS)  # the open draft's description
    await citizen.says("lewati")  # a button's word

    assert offered == []
    row = await conversation(services)
    assert (row["state"], row["draft"]["text"]) == ("confirm", PLACELESS)
    assert "diambil" not in [r["text"] for r in await replies(services)]


class GreetingRouter:
    """Calls the texts it knows no complaint, as the model does for greetings and thanks."""

    def __init__(self, *non_complaints: str) -> None:
        self.non_complaints = set(non_complaints)

    def route(self, text: str, category_hint: str | None) -> RoutingDecision:
        if text in self.non_complaints:
            return RoutingDecision("received", None, None, False, "test", non_complaint=True)
        return RoutingDecision("assigned", "jalan", "DPUPR", True, "test")


SMALL_TALK = {
    "Assalamualaikum pak": "reply_salam",
    "Assalamu'alaikum wr. wb.": "reply_salam",
    "terima kasih min 🙏": "chat.reply_thanks",
    "Selamat pagi": "chat.reply_greeting",
    "ok siap": "chat.reply_ack",
}


async def test_small_talk_is_answered_and_never_becomes_report_text(services, engine):
    for number, (said, key) in enumerate(SMALL_TALK.items()):
        chat = f"60{number}"
        citizen = Citizen(engine, chat_id=chat)

        await citizen.says(said)

        assert [r["text"] for r in await replies(services, chat)] == [joined(key, "start_hint")]
        assert (await conversation(services, chat))["draft"] is None  # no draft, nothing held
        await citizen.says(DESCRIPTION)
        assert (await conversation(services, chat))["draft"]["text"] == DESCRIPTION


async def test_a_salam_opening_a_report_is_answered_and_left_out_of_its_text(services, citizen):
    await citizen.says(f"Assalamualaikum wr wb pak, {DESCRIPTION}")
    answer = await last_reply(services)
    assert answer["text"].startswith(id_text("reply_salam") + "\n\nRingkasan laporan Anda:")
    assert (await conversation(services))["draft"]["text"] == DESCRIPTION
    await citizen.says("terima kasih")  # at the summary: answered, the summary again
    assert (await last_reply(services))["text"].startswith(id_text("chat.reply_thanks"))
    assert (await conversation(services))["draft"]["text"] == DESCRIPTION


async def test_a_question_the_model_calls_no_complaint_is_held_and_replaced(services, media, clock):
    question = "Jam berapa kantor kelurahan buka hari Sabtu?"
    engine = Engine(
        dataclasses.replace(services, router=GreetingRouter(question)), {"telegram": media}
    )
    citizen = Citizen(engine)
    await citizen.says(question)

    answer = await last_reply(services)
    assert answer["text"] == id_text("reply_not_a_complaint")
    assert [label for label, _ in answer["buttons"]] == ["Lanjut", "Batal"]
    await citizen.says(DESCRIPTION)  # the next message is the report itself
    state = await conversation(services)
    assert (state["state"], state["draft"]["text"]) == ("confirm", DESCRIPTION)
    assert not state["draft"]["held"]


async def test_a_held_question_expires_silently(services, media, clock):
    engine = Engine(
        dataclasses.replace(services, router=GreetingRouter("Kantor buka jam berapa ya?")),
        {"telegram": media},
    )
    await Citizen(engine).says("Kantor buka jam berapa ya?")
    assert await complaint_rows(services) == []
    clock.advance(timedelta(days=2))
    assert await expire_drafts(services) == 1
    assert len(await replies(services)) == 1  # no "your draft expired" for a question


async def test_a_report_the_model_took_for_no_complaint_can_still_be_filed(services, media):
    text = "terima kasih jalannya sudah diaspal tapi gorong-gorong tertutup aspal"
    engine = Engine(dataclasses.replace(services, router=GreetingRouter(text)), {"telegram": media})
    citizen = Citizen(engine)
    await citizen.says(f"Selamat pagi, {text}")

    await citizen.taps(button(await last_reply(services), "Lanjut"))

    state = await conversation(services)
    assert state["state"] == "location" and state["draft"]["text"] == text


async def test_lapor_after_a_greeting_starts_the_report_afresh(services, citizen):
    await citizen.says("halo min")

    await citizen.says("/lapor")

    assert (await last_reply(services))["text"] == strings.text("id", "ask_description")
    state = await conversation(services)
    assert state["state"] == "describing" and state["draft"]["text"] == ""


async def test_after_filing_a_shared_location_is_a_note_and_a_new_report_needs_asking(
    services, citizen
):
    await citizen.taps(button(await reach_summary(citizen, services), "Kirim"))
    [row] = await complaint_rows(services)

    await citizen.shares_location(-6.2401, 106.9923)
    await citizen.says("lapor baru: Sampah menumpuk di TPS Jl. Kenanga sejak tiga hari.")

    async with services.pool.acquire() as conn:
        [note] = await conn.fetch(
            "SELECT actor_kind, internal_note, data FROM complaint_event"
            " WHERE complaint_id = $1 AND kind = 'citizen_note'",
            row["id"],
        )
    assert (note["actor_kind"], note["internal_note"]) == ("reporter", None)
    assert note["data"] == {"channel": "telegram", "location": {"lat": -6.2401, "lon": 106.9923}}
    assert (await replies(services))[-2]["text"] == id_text(
        "chat.note_added",
        code=tracking.display(row["tracking_code"]),
        label=STATUS_LABELS[row["status"]],
    )
    state = await conversation(services)
    assert (state["state"], state["draft"]["text"]) == (
        "confirm",
        "Sampah menumpuk di TPS Jl. Kenanga sejak tiga hari.",
    )


# ------------------------------------------------------------------------------ rate limit


async def test_a_chat_over_its_filing_limit_is_told_in_words_and_keeps_its_draft(
    services, citizen, clock
):
    services.city = dataclasses.replace(services.city, limits=load_city("default").limits)
    for _ in range(10):  # the city's limit: ten an hour per chat
        await citizen.says(f"lapor baru: {DESCRIPTION}")  # not a note on the one before
        await citizen.taps(button(await last_reply(services), "Kirim"))
    assert len(await complaint_rows(services)) == 10

    await citizen.command("lapor", DESCRIPTION)
    await citizen.taps(button(await last_reply(services), "Kirim"))

    assert len(await complaint_rows(services)) == 10
    said = (await last_reply(services))["text"]
    assert said.startswith(id_text("filing_limited", minutes=60))
    state = await conversation(services)
    assert state["state"] == "confirm" and state["draft"]["text"] == DESCRIPTION
    # Another chat still files; this one does once the hour has passed.
    other = Citizen(citizen.engine, chat_id="5002", sender_name="Sari")
    await other.taps(button(await reach_summary(other, services), "Kirim"))
    assert len(await complaint_rows(services)) == 11
    clock.advance(timedelta(hours=1))
    await citizen.taps(button(await last_reply(services), "Kirim"))
    assert len(await complaint_rows(services)) == 12


def test_the_limit_sentence_reads_in_both_languages():
    assert "60 menit" in strings.text("id", "filing_limited", minutes=60)
    assert "60 minutes" in strings.text("en", "filing_limited", minutes=60)
