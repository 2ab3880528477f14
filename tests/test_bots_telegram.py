"""The Telegram adapter, run for real: aiogram's Dispatcher and Bot against the fake Telegram
server, updates POSTed to the app's webhook, replies delivered by the outbox's dispatch_once
through the TelegramSender."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.types import Update
from fakes import FakeTelegram, TelegramError, UpdateFactory
from helpers import assert_month_ikm_counts, jpeg_bytes
from lifecycle_helpers import file, resolve_and_invite
from officer_helpers import give_passwords, login
from photo_samples import SCRIPT_AS_JPEG, carries_metadata, jpeg_with_gps_and_serial, png_bomb

from bots import strings
from bots.telegram import (
    MAX_TEXT,
    WEBHOOK_PATH,
    TelegramMedia,
    TelegramSender,
    callback_incoming,
    message_incoming,
    poll,
    set_webhook,
    split_text,
    unsupported_incoming,
)
from lapor import auth, emergency, i18n, ikm, lifecycle, tracking
from lapor.city import load_city
from lapor.errors import PayloadTooLarge
from lapor.outbox import PartlySent, PermanentFailure, RetryAfter, dispatch_once
from lapor.settings import SettingsError, settings_from_env
from lapor.web.app import create_app
from lapor.web.keys import SERVICES, TELEGRAM

SECRET = "webhook-secret_123"
CHAT = "700100200"


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    bot = fake_telegram.bot()
    yield bot
    await bot.session.close()


@pytest.fixture
def updates() -> UpdateFactory:
    return UpdateFactory()


@pytest.fixture
def tg_settings(settings, fake_telegram):
    return replace(
        settings,
        telegram_bot_token=fake_telegram.token,
        telegram_api_base=fake_telegram.base_url,
        telegram_webhook_secret=SECRET,
    )


@pytest.fixture
async def tg_client(tg_settings, clock, aiohttp_client):
    # tg_settings (hence the database) before aiohttp_client: fixtures are torn down in
    # reverse, so the app and its pool close before the test database is dropped.
    # No senders: the tests deliver the outbox themselves, step by step, with the test clock.
    return await aiohttp_client(create_app(tg_settings, clock=clock, senders={}))


async def stored(client) -> dict[str, int]:
    async with client.app[SERVICES].pool.acquire() as conn:
        return {
            table: await conn.fetchval(f"SELECT count(*) FROM {table}")
            for table in ("bot_conversation", "bot_delivery", "outbox", "complaint")
        }


def parsed(update: dict) -> Update:
    return Update.model_validate(update)


# -- updates become Incoming -----------------------------------------------------------------


def test_a_command_keeps_its_name_without_slash_or_bot_mention_and_its_argument(updates):
    update = updates.command("status@lapor_test_bot", "LPR-7K3M-Q9X2A", language_code="id")
    incoming = message_incoming(parsed(update).message, update["update_id"])
    assert (incoming.kind, incoming.command, incoming.text) == (
        "command",
        "status",
        "LPR-7K3M-Q9X2A",
    )
    assert (incoming.channel, incoming.chat_id, incoming.language) == ("telegram", CHAT, "id")
    assert incoming.message_id == str(update["update_id"])
    assert incoming.sender_name == "Siti Rahmawati"


def test_a_slash_without_a_command_entity_is_plain_text(updates):
    update = updates.text("/ jalan rusak")
    incoming = message_incoming(parsed(update).message, update["update_id"])
    assert (incoming.kind, incoming.text, incoming.command) == ("text", "/ jalan rusak", None)


def test_a_photo_is_referred_to_by_its_largest_size(updates):
    update = updates.photo("AgACbig", caption="lubang di jalan")
    incoming = message_incoming(parsed(update).message, update["update_id"])
    assert (incoming.kind, incoming.photo_ref, incoming.text) == (
        "photo",
        "AgACbig",
        "lubang di jalan",
    )


def test_an_image_sent_as_a_file_counts_as_a_photo(updates):
    update = updates.photo("x")
    message = update["message"]
    del message["photo"]
    message["document"] = {
        "file_id": "BQACdoc",
        "file_unique_id": "AgADdoc",
        "file_name": "IMG_2026.jpg",
        "mime_type": "image/jpeg",
    }
    incoming = message_incoming(parsed(update).message, update["update_id"])
    assert (incoming.kind, incoming.photo_ref) == ("photo", "BQACdoc")


def test_a_location_carries_its_coordinates(updates):
    update = updates.location(-6.9175, 107.6191)
    incoming = message_incoming(parsed(update).message, update["update_id"])
    assert (incoming.kind, incoming.latitude, incoming.longitude) == (
        "location",
        -6.9175,
        107.6191,
    )


@pytest.mark.parametrize("build", [lambda u: u.sticker(), lambda u: u.voice()])
def test_stickers_and_voice_notes_are_unsupported(updates, build):
    update = build(updates)
    incoming = message_incoming(parsed(update).message, update["update_id"])
    assert (incoming.kind, incoming.chat_id) == ("unsupported", CHAT)


def test_a_tapped_button_is_a_choice_in_the_chat_of_its_message(updates):
    update = updates.callback_query("kategori:jalan")
    incoming = callback_incoming(parsed(update).callback_query, update["update_id"])
    assert (incoming.kind, incoming.choice, incoming.chat_id) == ("choice", "kategori:jalan", CHAT)


def test_an_update_kind_newer_than_aiogram_is_answered_in_its_private_chat(updates):
    update = future_update(updates)
    incoming = unsupported_incoming(parsed(update))
    assert (incoming.kind, incoming.chat_id, incoming.message_id) == (
        "unsupported",
        CHAT,
        str(update["update_id"]),
    )


def test_updates_without_a_private_chat_or_about_membership_get_no_answer(updates):
    assert unsupported_incoming(parsed(updates.poll())) is None
    assert unsupported_incoming(parsed(updates.my_chat_member("kicked"))) is None
    group = updates.text("halo")
    group["message"]["chat"] = {"id": -100123, "type": "group", "title": "RT 05"}
    assert unsupported_incoming(parsed(group)) is None


def future_update(updates: UpdateFactory) -> dict:
    """A kind of update this aiogram has never heard of, carrying a message-like object."""
    update = updates.text("halo dari masa depan")
    return {"update_id": update["update_id"], "message_from_the_future": update["message"]}


# -- the sender ------------------------------------------------------------------------------


async def test_buttons_arrive_as_one_inline_button_per_row(fake_telegram, bot):
    payload = {"text": "Pilih kategori", "buttons": [["Jalan", "cat:jalan"], ["Sampah", "cat:s"]]}
    await TelegramSender(bot).send(CHAT, payload)
    [sent] = fake_telegram.sent_messages(CHAT)
    assert sent["text"] == "Pilih kategori"
    assert sent["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Jalan", "callback_data": "cat:jalan"}],
            [{"text": "Sampah", "callback_data": "cat:s"}],
        ]
    }


async def test_a_message_without_buttons_has_no_keyboard(fake_telegram, bot):
    await TelegramSender(bot).send(CHAT, {"text": "Terima kasih", "buttons": []})
    [sent] = fake_telegram.sent_messages(CHAT)
    assert "reply_markup" not in sent


async def test_a_text_longer_than_telegram_allows_arrives_whole_in_parts(fake_telegram, bot):
    text = "\n".join(f"baris {n} " + "x" * 90 for n in range(100))  # ~10,000 characters
    await TelegramSender(bot).send(CHAT, {"text": text, "buttons": [["OK", "ok"]]})
    sent = fake_telegram.sent_messages(CHAT)
    assert len(sent) == 3
    assert all(len(part["text"]) <= MAX_TEXT for part in sent)
    assert "\n".join(part["text"] for part in sent) == text
    assert [("reply_markup" in part) for part in sent] == [False, False, True]


async def test_a_long_message_cut_off_half_way_resumes_without_repeating_a_part(fake_telegram, bot):
    text = "\n".join(f"baris {n} " + "x" * 90 for n in range(100))  # three parts
    payload = {"text": text, "buttons": []}
    calls = 0

    def flood_on_the_second(method, params):
        nonlocal calls
        calls += 1
        return TelegramError(429, "Too Many Requests", {"retry_after": 3}) if calls == 2 else None

    fake_telegram.weather = flood_on_the_second
    with pytest.raises(PartlySent) as cut:
        await TelegramSender(bot).send(CHAT, payload)
    assert cut.value.parts_sent == 1 and isinstance(cut.value.error, RetryAfter)
    await TelegramSender(bot).send(CHAT, {**payload, "parts_sent": 1})  # the outbox's retry
    sent = fake_telegram.sent_messages(CHAT)
    assert "\n".join(part["text"] for part in sent) == text  # each part once, in order


def test_a_text_without_line_breaks_is_cut_at_the_limit():
    assert [len(part) for part in split_text("a" * 10_000)] == [4096, 4096, 1808]


async def test_flood_control_asks_the_outbox_to_wait_as_long_as_telegram_says(fake_telegram, bot):
    fake_telegram.rate_limit_next("sendMessage", retry_after=17)
    with pytest.raises(RetryAfter) as raised:
        await TelegramSender(bot).send(CHAT, {"text": "halo", "buttons": []})
    assert raised.value.seconds == 17


@pytest.mark.parametrize(
    ("status", "description"),
    [(403, "Forbidden: bot was blocked by the user"), (400, "Bad Request: chat not found")],
)
async def test_a_blocked_bot_or_a_missing_chat_fails_for_good(
    fake_telegram, bot, status, description
):
    fake_telegram.fail_next("sendMessage", status, description=description)
    with pytest.raises(PermanentFailure, match=description.split(": ")[-1]):
        await TelegramSender(bot).send(CHAT, {"text": "halo", "buttons": []})


async def test_a_server_error_is_left_to_the_outbox_to_retry(fake_telegram, bot):
    fake_telegram.fail_next("sendMessage", 502)
    with pytest.raises(TelegramServerError):
        await TelegramSender(bot).send(CHAT, {"text": "halo", "buttons": []})


async def test_an_unreachable_telegram_is_left_to_the_outbox_to_retry(fake_telegram):
    api = fake_telegram.api_server()
    await fake_telegram.stop()  # nothing listens on its port any more
    bot = Bot(fake_telegram.token, session=AiohttpSession(api=api))
    try:
        with pytest.raises(TelegramNetworkError):
            await TelegramSender(bot).send(CHAT, {"text": "halo", "buttons": []})
    finally:
        await bot.session.close()


async def test_callback_data_over_64_bytes_fails_for_good_without_calling_telegram(
    fake_telegram, bot
):
    payload = {"text": "Pilih", "buttons": [["Terlalu panjang", "x" * 65]]}
    with pytest.raises(PermanentFailure, match="64 bytes"):
        await TelegramSender(bot).send(CHAT, payload)
    assert fake_telegram.calls_to("sendMessage", include_failed=True) == []


# -- photos ----------------------------------------------------------------------------------


async def test_a_photo_is_fetched_through_get_file_and_download(fake_telegram, bot):
    fake_telegram.add_file("AgACphoto", jpeg_bytes())
    assert await TelegramMedia(bot).fetch("AgACphoto") == jpeg_bytes()
    assert [c.method for c in fake_telegram.calls] == ["getFile", "download"]


async def test_a_photo_over_5_mb_is_refused_before_downloading(fake_telegram, bot):
    fake_telegram.add_file("AgAChuge", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(PayloadTooLarge):
        await TelegramMedia(bot).fetch("AgAChuge")
    assert [c.method for c in fake_telegram.calls] == ["getFile"]


async def test_a_file_over_telegrams_20_mb_download_limit_is_too_large_not_a_failure(
    fake_telegram, bot
):
    fake_telegram.add_file("BQAChuge", b"\xff\xd8\xff", file_size=25 * 1024 * 1024)
    with pytest.raises(PayloadTooLarge):
        await TelegramMedia(bot).fetch("BQAChuge")
    [refused] = fake_telegram.calls_to("getFile", include_failed=True)
    assert (refused.status, refused.response["description"]) == (
        400,
        "Bad Request: file is too big",
    )


# -- settings and the webhook's door ---------------------------------------------------------


def test_a_bot_token_without_a_webhook_secret_refuses_to_start(tmp_path):
    env = {"LAPOR_DATA_DIR": str(tmp_path), "TELEGRAM_BOT_TOKEN": "123456:ABC"}
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
        settings_from_env(env)


def test_a_webhook_secret_telegram_would_refuse_is_refused_at_start(tmp_path):
    env = {
        "LAPOR_DATA_DIR": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": "123456:ABC",
        "TELEGRAM_WEBHOOK_SECRET": "has spaces!",
    }
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
        settings_from_env(env)


def test_telegram_settings_default_to_the_real_api_and_stay_out_of_repr(tmp_path):
    env = {
        "LAPOR_DATA_DIR": str(tmp_path),
        "TELEGRAM_BOT_TOKEN": "123456:ABC",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    settings = settings_from_env(env)
    assert settings.telegram_api_base == "https://api.telegram.org"
    assert "123456:ABC" not in repr(settings) and SECRET not in repr(settings)


async def test_without_a_token_there_is_no_telegram_webhook(client, updates):
    response = await client.post(WEBHOOK_PATH, json=updates.command("start"))
    assert response.status in (404, 405)


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}])
async def test_an_update_without_the_right_secret_is_refused_and_leaves_no_trace(
    tg_client, updates, headers
):
    response = await tg_client.post(
        WEBHOOK_PATH, json=updates.text("Jalan rusak parah"), headers=headers
    )
    assert response.status == 401
    assert await stored(tg_client) == {
        "bot_conversation": 0,
        "bot_delivery": 0,
        "outbox": 0,
        "complaint": 0,
    }


# -- whole conversations through the webhook -------------------------------------------------

# What and where in one message; and what without where.
REPORT = "Jalan di depan SDN 3 berlubang besar sejak dua minggu, sudah ada pengendara motor jatuh."
PLACELESS = "Lampu jalan mati sejak seminggu, gelap sekali kalau malam."


class Citizen:
    """One citizen on Telegram: updates POSTed to the app's webhook as Telegram would, the
    replies taken from the outbox by dispatch_once and the real TelegramSender."""

    def __init__(self, client, fake: FakeTelegram, bot: Bot, clock, updates: UpdateFactory):
        self.client, self.fake, self.bot, self.clock, self.updates = (
            client,
            fake,
            bot,
            clock,
            updates,
        )
        self.chat = str(updates.chat["id"])

    async def post(self, update: dict, secret: str = SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with self.client.post(WEBHOOK_PATH, json=update, headers=headers) as response:
            await response.read()
            return response.status

    async def deliver(self) -> int:
        pool = self.client.app[SERVICES].pool
        return await dispatch_once(pool, {"telegram": TelegramSender(self.bot)}, self.clock)

    async def send(self, update: dict) -> list[str]:
        """Post ``update``, deliver what it caused, return the texts that arrived."""
        before = len(self.fake.sent_messages(self.chat))
        assert await self.post(update) == 200
        await self.deliver()
        return [m["text"] for m in self.fake.sent_messages(self.chat)[before:]]

    async def tap(self, label: str) -> list[str]:
        """Tap the button labelled ``label`` under the latest bot message that has one."""
        for call in reversed(self.fake.calls_to("sendMessage")):
            if str(call.params.get("chat_id")) != self.chat:
                continue
            rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
            for button in (b for row in rows for b in row):
                if button["text"] == label:
                    update = self.updates.callback_query(button["callback_data"], call.result)
                    return await self.send(update)
        raise AssertionError(f"no button {label!r} was sent")


@pytest.fixture
def citizen(tg_client, fake_telegram, bot, clock, updates) -> Citizen:
    return Citizen(tg_client, fake_telegram, bot, clock, updates)


async def conversation(client) -> dict | None:
    async with client.app[SERVICES].pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT state, draft FROM bot_conversation WHERE channel = 'telegram' AND chat_id = $1",
            CHAT,
        )
    return dict(row) if row else None


async def up_to_the_summary(citizen: Citizen) -> None:
    await citizen.send(citizen.updates.command("start"))
    await citizen.send(citizen.updates.text(REPORT))
    citizen.fake.add_file("AgACjalan", jpeg_bytes())
    await citizen.send(citizen.updates.photo("AgACjalan"))


async def turns_to_code(citizen: Citizen, *turns) -> int:
    """Play the citizen's turns (an update, or a button label to tap) until a reply carries
    a tracking code; how many it took."""
    for number, turn in enumerate(turns, start=1):
        replies = await (citizen.tap(turn) if isinstance(turn, str) else citizen.send(turn))
        if any("Kode pelacakan:" in reply for reply in replies):
            return number
    raise AssertionError(f"no tracking code after {len(turns)} turns")


async def test_a_report_takes_at_most_four_turns_through_the_webhook(
    tg_client, fake_telegram, bot, clock
):
    def citizen_on(chat: int) -> Citizen:
        updates = UpdateFactory(user_id=chat, first_update_id=chat * 100)
        return Citizen(tg_client, fake_telegram, bot, clock, updates)

    fake_telegram.add_file("AgACfoto1", jpeg_bytes())
    fake_telegram.add_file("AgACfoto2", jpeg_bytes(width=9))
    by_location, by_address, with_photo, captioned = (citizen_on(n) for n in (801, 802, 803, 804))

    turns = [
        # what, then where: the location shared right after the text
        await turns_to_code(
            by_location,
            by_location.updates.text(PLACELESS),
            by_location.updates.location(-6.2383, 106.9756),
            "Kirim",
        ),
        # what and where in one text
        await turns_to_code(by_address, by_address.updates.text(REPORT), "Kirim"),
        # what and where, then a photo
        await turns_to_code(
            with_photo,
            with_photo.updates.text(REPORT),
            with_photo.updates.photo("AgACfoto1"),
            "Kirim",
        ),
        # a photo captioned with what and where
        await turns_to_code(
            captioned, captioned.updates.photo("AgACfoto2", caption=REPORT), "Kirim"
        ),
    ]

    assert turns == [3, 2, 3, 2]  # the old dialogue took eight
    async with tg_client.app[SERVICES].pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT r.chat_id, c.body, c.latitude, c.rahasia, c.anonim,
                      (SELECT count(*) FROM complaint_photo p WHERE p.complaint_id = c.id) AS photos
               FROM complaint c JOIN reporter r ON r.id = c.reporter_id ORDER BY r.chat_id"""
        )
    assert [(r["chat_id"], r["body"], r["photos"]) for r in rows] == [
        ("801", PLACELESS, 0),
        ("802", REPORT, 0),
        ("803", REPORT, 1),
        ("804", REPORT, 1),
    ]
    assert rows[0]["latitude"] == -6.2383
    # Nobody was asked about privacy: the city's defaults (not rahasia, anonim).
    assert {(r["rahasia"], r["anonim"]) for r in rows} == {(False, True)}
    summary = fake_telegram.sent_messages("802")[0]
    assert summary["text"].startswith("Ringkasan laporan Anda:")
    assert [row[0]["text"] for row in summary["reply_markup"]["inline_keyboard"]] == [
        "Kirim",
        "Ubah",
        "Batal",
    ]
    assert len(fake_telegram.calls_to("answerCallbackQuery")) == 4  # every tap answered


async def test_after_filing_what_the_citizen_sends_is_a_note_for_its_officers_only(
    citizen, tg_client, clock
):
    services = tg_client.app[SERVICES]
    await citizen.send(citizen.updates.text(REPORT))
    await citizen.tap("Kirim")
    async with services.pool.acquire() as conn:
        code = await conn.fetchval("SELECT tracking_code FROM complaint")
        admin = await auth.create_officer(conn, "kepala", "Kepala Dinas", "admin", None)
    verify = lifecycle.ActionRequest("verify", agency="DPUPR", category="jalan")
    await lifecycle.act(services, code, verify, officer=admin)  # public from now on
    await citizen.deliver()
    shown = tracking.display(code)

    # A salam is answered, and is neither a note nor a report.
    salam = await citizen.send(citizen.updates.text("Assalamualaikum"))
    assert salam[0].startswith(strings.text("id", "reply_salam"))
    # A question goes to the complaint, for its officers.
    noted = await citizen.send(citizen.updates.text("kapan dikerjakan?"))
    assert noted == [
        strings.text("id", "chat.note_added", code=shown, label="Diteruskan ke instansi")
    ]
    # So does a new photo, cleaned like any other.
    citizen.fake.add_file("AgACbaru", jpeg_with_gps_and_serial())
    await citizen.send(citizen.updates.photo("AgACbaru", caption="Lubangnya makin besar"))
    thanks = await citizen.send(citizen.updates.text("terima kasih pak"))
    assert thanks[0].startswith(strings.text("id", "chat.reply_thanks"))
    # "status" without a code: the chat's open complaints.
    [listed] = await citizen.send(citizen.updates.text("status"))
    assert listed.startswith(strings.text("id", "chat.open_reports")) and shown in listed

    async with services.pool.acquire() as conn:
        notes = await conn.fetch(
            "SELECT internal_note, public_note, actor_kind FROM complaint_event"
            " WHERE kind = 'citizen_note' ORDER BY id"
        )
        photo = await conn.fetchrow("SELECT * FROM complaint_photo")
        draft = await conn.fetchval("SELECT draft FROM bot_conversation")
    assert [tuple(n) for n in notes] == [
        ("kapan dikerjakan?", None, "reporter"),
        ("Lubangnya makin besar", None, "reporter"),
    ]
    assert (photo["position"], photo["by_reporter"]) == (6, True)
    assert carries_metadata(await services.photos.get(photo["sha256"], photo["media_type"])) == []
    assert draft is None  # no report was started
    # The public sees neither the notes nor the photo...
    public = await (await tg_client.get(f"/api/v1/complaints/{code}")).json()
    assert public["published"] and public["photos"] == []
    assert "citizen_note" not in [event["kind"] for event in public["timeline"]]
    assert (await tg_client.get(f"/api/v1/complaints/{code}/photos/6")).status == 404
    # ...its officers do, on the complaint's page.
    await give_passwords(services, {"kepala": SimpleNamespace(officer=admin)})
    await login(tg_client, "kepala")
    page = await (await tg_client.get(f"/petugas/laporan/{code}")).text()
    assert i18n.t("page.complaint.chat.citizen_note") in page and "kapan dikerjakan?" in page
    assert i18n.t("page.complaint.chat.photo_with_note") in page
    assert (await tg_client.get(f"/petugas/laporan/{code}/foto/6")).status == 200

    # "lapor baru" still starts a new report.
    started = await citizen.send(citizen.updates.text("lapor baru"))
    assert started == [strings.text("id", "ask_description")]
    await citizen.send(citizen.updates.command("batal"))
    # A week after the complaint last changed, a message is a new report again.
    clock.advance(timedelta(days=7, minutes=1))
    later = await citizen.send(citizen.updates.text("Lampu taman di Jl. Melati 4 mati."))
    assert later[0].startswith("Ringkasan laporan Anda:")


async def test_a_citizen_looks_up_a_status_by_its_code(citizen, tg_client):
    code = (await file(tg_client))["tracking_code"]
    answer = await citizen.send(citizen.updates.command("status", code))
    assert answer[0].splitlines()[1] == "Status: Diteruskan ke instansi"
    assert f"/lacak/{code}" in answer[0]


async def test_a_mistyped_code_is_answered_as_a_typo(citizen, tg_client):
    code = (await file(tg_client))["tracking_code"]
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    answer = await citizen.send(citizen.updates.command("status", typo))
    assert "salah ketik" in answer[0]


async def test_cancel_drops_the_draft_and_its_old_buttons(citizen, tg_client):
    await citizen.send(citizen.updates.text(REPORT))
    assert (await citizen.send(citizen.updates.command("batal")))[0].startswith(
        "Laporan yang sedang dibuat sudah dibatalkan."
    )
    assert await conversation(tg_client) == {"state": "idle", "draft": None}
    assert (await citizen.tap("Kirim"))[0].startswith("Pilihan itu sudah tidak berlaku.")
    counts = await stored(tg_client)
    assert (counts["bot_conversation"], counts["bot_delivery"], counts["complaint"]) == (1, 3, 0)
    assert counts["outbox"] == len(citizen.fake.sent_messages(CHAT))  # every answer arrived


async def test_a_new_app_instance_carries_on_the_conversation(
    citizen, tg_client, aiohttp_client, tg_settings, clock
):
    asked = await citizen.send(citizen.updates.text(PLACELESS))
    assert asked[0].startswith("Baik, sudah kami catat.\n\nDi mana lokasinya?")
    await tg_client.close()  # the process stops; nothing of the dialogue lives in memory

    citizen.client = await aiohttp_client(create_app(tg_settings, clock=clock, senders={}))
    assert (await citizen.tap("Lewati"))[0].startswith("Ringkasan laporan Anda:")
    await citizen.send(citizen.updates.text("rahasia"))
    assert (await citizen.tap("Kirim"))[0].startswith("Laporan Anda sudah kami terima.")
    async with citizen.client.app[SERVICES].pool.acquire() as conn:
        assert await conn.fetchrow("SELECT rahasia, anonim, body FROM complaint") == (
            True,
            True,
            PLACELESS,
        )


async def test_an_update_delivered_twice_is_answered_once(citizen):
    update = citizen.updates.text(REPORT)
    assert await citizen.post(update) == 200
    assert await citizen.post(update) == 200
    await citizen.deliver()
    assert len(citizen.fake.sent_messages(CHAT)) == 1


async def test_a_hundred_simultaneous_deliveries_of_kirim_file_one_complaint(citizen, tg_client):
    await up_to_the_summary(citizen)
    before = len(citizen.fake.sent_messages(CHAT))
    [kirim] = [
        b["callback_data"]
        for row in citizen.fake.sent_messages(CHAT)[-1]["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "Kirim"
    ]
    update = citizen.updates.callback_query(kirim, citizen.fake.calls_to("sendMessage")[-1].result)

    statuses = await asyncio.gather(*(citizen.post(update) for _ in range(100)))
    await citizen.deliver()

    assert set(statuses) == {200}
    assert (await stored(tg_client))["complaint"] == 1
    answers = [m["text"] for m in citizen.fake.sent_messages(CHAT)[before:]]
    assert len(answers) == 1 and answers[0].startswith("Laporan Anda sudah kami terima.")


async def test_a_reply_survives_a_telegram_server_error(citizen, clock):
    citizen.fake.fail_next("sendMessage", 500)
    assert await citizen.post(citizen.updates.command("bantuan")) == 200
    assert await citizen.deliver() == 0
    assert citizen.fake.sent_messages(CHAT) == []

    clock.advance(timedelta(seconds=5))  # the outbox's first backoff
    assert await citizen.deliver() == 1
    [answer] = citizen.fake.sent_messages(CHAT)
    assert answer["text"].startswith("Cara memakai layanan ini:")
    assert len(citizen.fake.calls_to("sendMessage", include_failed=True)) == 2


async def test_a_reply_waits_out_telegrams_flood_control(citizen, clock):
    citizen.fake.rate_limit_next("sendMessage", retry_after=30)
    assert await citizen.post(citizen.updates.command("bantuan")) == 200
    assert await citizen.deliver() == 0

    clock.advance(timedelta(seconds=29))
    assert await citizen.deliver() == 0  # not before Telegram said
    assert len(citizen.fake.calls_to("sendMessage", include_failed=True)) == 1
    clock.advance(timedelta(seconds=1))
    assert await citizen.deliver() == 1
    assert len(citizen.fake.sent_messages(CHAT)) == 1


UNSUPPORTED = "Maaf, jenis pesan ini belum bisa kami proses. Silakan kirim teks, foto, atau lokasi."


@pytest.mark.parametrize(
    ("build", "answer"),
    [
        (lambda u: u.sticker(), UNSUPPORTED),
        (lambda u: u.voice(), UNSUPPORTED),
        (future_update, UNSUPPORTED),
        (lambda u: u.text("jalan rusak " * 834), "Maaf, pesan itu terlalu panjang."),
        (lambda u: u.text("😡😡😡🕳️"), "Maaf, kami belum memahami pesan itu."),
    ],
    ids=["sticker", "voice", "unknown-update", "10000-characters", "emoji-only"],
)
async def test_unexpected_input_gets_a_polite_answer_and_the_draft_stays(
    citizen, tg_client, build, answer
):
    await citizen.send(citizen.updates.text(REPORT))
    before = await conversation(tg_client)

    update = build(citizen.updates)
    assert await citizen.post(update) == 200
    await citizen.deliver()

    replies = [m["text"] for m in citizen.fake.sent_messages(CHAT)[1:]]
    assert replies[0].startswith(answer)
    assert await conversation(tg_client) == before
    assert (await citizen.tap("Kirim"))[0].startswith("Laporan Anda sudah kami terima.")


async def test_a_poll_update_with_no_chat_is_acknowledged_and_unanswered(citizen, tg_client):
    assert await citizen.post(citizen.updates.poll()) == 200
    await citizen.deliver()
    assert citizen.fake.sent_messages() == []
    assert (await stored(tg_client))["outbox"] == 0


# -- long polling ----------------------------------------------------------------------------


async def test_long_polling_receives_an_update_and_the_reply_is_delivered(
    tg_settings, clock, fake_telegram, updates
):
    app = create_app(tg_settings, clock=clock)  # its own outbox dispatcher sends to the fake
    polling = asyncio.create_task(poll(app, app[TELEGRAM], handle_signals=False))
    fake_telegram.push_update(updates.command("bantuan"))

    reply = await fake_telegram.wait_for("sendMessage", timeout=10)
    await app[TELEGRAM].dispatcher.stop_polling()
    await polling

    assert reply.params["text"].startswith("Cara memakai layanan ini:")
    assert fake_telegram.calls_to("deleteWebhook")
    assert fake_telegram.long_polls_waiting == 0
    assert app[TELEGRAM].bot.session._session is None or app[TELEGRAM].bot.session._session.closed


async def test_the_webhook_telegram_is_told_of_accepts_what_telegram_delivers(
    citizen, tg_client, tg_settings
):
    public = str(tg_client.server.make_url("")).rstrip("/")
    url = await set_webhook(replace(tg_settings, public_url=public))

    assert (citizen.fake.webhook.url, citizen.fake.webhook.secret_token) == (url, SECRET)
    assert url == public + WEBHOOK_PATH
    assert await citizen.fake.deliver_webhook(citizen.updates.command("bantuan")) == 200
    await citizen.deliver()
    assert citizen.fake.sent_messages(CHAT)[0]["text"].startswith("Cara memakai layanan ini:")


# -- photos too large, in the dialogue -------------------------------------------------------

PHOTO_TOO_LARGE = strings.text("id", "photo_too_large")


@pytest.mark.parametrize(
    "stored",
    [
        {"data": b"\xff\xd8\xff" + b"\x00" * (6 * 1024 * 1024)},  # getFile states 6 MB
        {"data": b"\xff\xd8\xff", "file_size": 30 * 1024 * 1024},  # getFile refuses: > 20 MB
    ],
    ids=["6-mb", "30-mb"],
)
async def test_a_photo_over_5_mb_is_answered_plainly_and_the_report_goes_on(
    citizen, tg_client, stored
):
    await citizen.send(citizen.updates.text(REPORT))
    before = await conversation(tg_client)
    citizen.fake.add_file("AgACbesar", **stored)

    answer = await citizen.send(citizen.updates.photo("AgACbesar"))

    assert answer[0].startswith(PHOTO_TOO_LARGE)
    assert citizen.fake.calls_to("download") == []  # refused before downloading
    assert await conversation(tg_client) == before
    citizen.fake.add_file("AgACkecil", jpeg_bytes())
    assert (await citizen.send(citizen.updates.photo("AgACkecil")))[0].startswith(
        "Foto diterima (1 dari 5)."
    )
    assert (await citizen.tap("Kirim"))[0].startswith("Laporan Anda sudah kami terima.")


# -- photos are cleaned, or refused, in the dialogue ------------------------------------------


def photo_files(settings) -> list:
    root = settings.data_dir / "photos"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_a_photo_sent_to_the_bot_is_stored_without_its_gps_or_camera_serial(
    citizen, tg_client, tg_settings
):
    sent = jpeg_with_gps_and_serial()
    assert {"GPS", "camera serial"} <= set(carries_metadata(sent))
    await citizen.send(citizen.updates.text(PLACELESS))
    await citizen.send(citizen.updates.location(-6.2383, 106.9756))
    citizen.fake.add_file("BQACgps", sent)
    noted = await citizen.send(citizen.updates.photo("BQACgps"))
    assert noted[0].startswith("Foto diterima (1 dari 5).")
    await citizen.tap("Kirim")

    services = tg_client.app[SERVICES]
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT sha256, media_type, size_bytes FROM complaint_photo")
    kept = await services.photos.get(row["sha256"], row["media_type"])
    assert carries_metadata(kept) == []
    assert (row["sha256"], row["size_bytes"]) == (hashlib.sha256(kept).hexdigest(), len(kept))
    assert sent not in [p.read_bytes() for p in photo_files(tg_settings)]


@pytest.mark.parametrize(
    ("sent", "key"),
    [
        (lambda: SCRIPT_AS_JPEG, "photo_unreadable"),
        (lambda: png_bomb(20_000, 20_000), "photo_too_many_pixels"),
    ],
    ids=["jpeg-prefixed-script", "bomb-400-mp"],
)
async def test_a_photo_that_cannot_be_cleaned_is_answered_plainly_and_the_draft_stays(
    citizen, tg_client, tg_settings, sent, key
):
    await citizen.send(citizen.updates.text(REPORT))
    before = await conversation(tg_client)
    citizen.fake.add_file("BQACbad", sent())

    answer = await citizen.send(citizen.updates.photo("BQACbad"))

    assert answer[0].startswith(strings.text("id", key))
    assert await conversation(tg_client) == before
    assert photo_files(tg_settings) == []
    citizen.fake.add_file("AgACbaik", jpeg_bytes())
    assert (await citizen.send(citizen.updates.photo("AgACbaik")))[0].startswith(
        "Foto diterima (1 dari 5)."
    )


# -- the satisfaction survey in the chat -----------------------------------------------------


async def files_through_the_bot(citizen: Citizen, *, anonim: bool) -> str:
    await citizen.send(citizen.updates.text(REPORT))
    if not anonim:  # the city's default is anonim
        await citizen.send(citizen.updates.text("tidak anonim"))
    await citizen.tap("Kirim")
    async with citizen.client.app[SERVICES].pool.acquire() as conn:
        return await conn.fetchval("SELECT tracking_code FROM complaint")


async def resolved_and_invited(citizen: Citizen, code: str) -> None:
    await resolve_and_invite(citizen.client.app[SERVICES], citizen.clock, code)


# A road: the city asks no persyaratan (U1) and no biaya (U4) about it.
ROAD = ("U2", "U3", "U5", "U6", "U7", "U8", "U9")


async def answers_the_questionnaire(citizen: Citizen, scores: list[int]) -> list[str]:
    """Taps "fixed, very satisfied", takes the offer, then the label of each score; returns
    what arrived after the last tap."""
    await citizen.deliver()
    invitation = citizen.fake.sent_messages(CHAT)[-1]
    assert invitation["text"].endswith("Apakah masalah Anda sudah selesai, dan seberapa puas Anda?")
    keyboard = invitation["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard][:2] == ["Sudah, sangat puas", "Sudah, puas"]
    offer = await citizen.tap("Sudah, sangat puas")
    assert offer == [i18n.t("survey.chat.offer", count=7)]
    arrived = await citizen.tap("Ya, isi survei")
    for number, (element, score) in enumerate(zip(ROAD, scores, strict=True), 1):
        assert arrived[-1].startswith(f"Pertanyaan {number} dari 7")
        labels = ikm.ANSWER_LABELS[element]
        keyboard = citizen.fake.sent_messages(CHAT)[-1]["reply_markup"]["inline_keyboard"]
        assert [row[0]["text"] for row in keyboard] == list(labels)
        arrived = await citizen.tap(labels[score - 1])
    return arrived


async def responses(client) -> list:
    async with client.app[SERVICES].pool.acquire() as conn:
        return await conn.fetch("SELECT * FROM survey_response")


async def test_a_chat_survey_ends_with_a_typed_comment_stored_with_the_answers(citizen, tg_client):
    code = await files_through_the_bot(citizen, anonim=False)
    await resolved_and_invited(citizen, code)
    scores = [3, 4, 3, 4, 2, 1, 3]

    asked = await answers_the_questionnaire(citizen, scores)
    assert asked == [i18n.t("survey.ask_comment")]
    thanks = await citizen.send(
        citizen.updates.text("Petugasnya ramah, tapi bekas tambalan masih licin.")
    )

    assert thanks == [i18n.t("survey.thanks")]
    [row] = await responses(tg_client)
    assert [row[code.lower()] for code in ROAD] == scores
    assert (row["u1"], row["u4"], row["rating"]) == (None, None, 4)
    assert row["comment"] == "Petugasnya ramah, tapi bekas tambalan masih licin."
    async with tg_client.app[SERVICES].pool.acquire() as conn:
        assert row["complaint_id"] == await conn.fetchval(
            "SELECT id FROM complaint WHERE tracking_code = $1", code
        )
    # The comment did not start a report, and the chat is free for the next one.
    assert await conversation(tg_client) == {"state": "idle", "draft": None}
    noted = await citizen.send(citizen.updates.text(REPORT))  # resolved: no note, a report
    assert noted[0].startswith("Ringkasan laporan Anda:")


async def test_an_anonim_reporters_comment_is_stored_without_the_complaint(citizen, tg_client):
    code = await files_through_the_bot(citizen, anonim=True)
    await resolved_and_invited(citizen, code)

    await answers_the_questionnaire(citizen, [3] * 7)
    await citizen.send(citizen.updates.text("Terima kasih, cepat ditangani."))

    [row] = await responses(tg_client)
    assert (row["complaint_id"], row["comment"]) == (None, "Terima kasih, cepat ditangani.")
    assert (row["agency_code"], row["u5"]) == ("DPUPR", 3)


async def test_lewati_finishes_the_chat_survey_without_a_comment(citizen, tg_client):
    code = await files_through_the_bot(citizen, anonim=False)
    await resolved_and_invited(citizen, code)
    await answers_the_questionnaire(citizen, [2] * 7)

    assert await citizen.tap("Lewati") == [i18n.t("survey.thanks")]

    [row] = await responses(tg_client)
    assert (row["comment"], row["u9"]) == (None, 2)
    async with tg_client.app[SERVICES].pool.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM survey") == "answered"
    # Nothing waits for a comment any more: the next text is a new report.
    await citizen.send(citizen.updates.text(REPORT))
    assert (await conversation(tg_client))["draft"]["text"] == REPORT


async def test_a_citizen_reports_on_telegram_and_days_later_the_notice_the_survey_and_ikm(
    citizen, tg_client, clock
):
    services = tg_client.app[SERVICES]
    code = await files_through_the_bot(citizen, anonim=False)
    shown = tracking.display(code)
    assert shown in citizen.fake.sent_messages(CHAT)[-1]["text"]  # the code, at filing

    # Three days later the city resolves it; the notice arrives, then the survey.
    clock.advance(timedelta(days=3))
    before = len(citizen.fake.sent_messages(CHAT))
    await resolve_and_invite(services, clock, code)
    await citizen.deliver()
    *notices, invitation = [m["text"] for m in citizen.fake.sent_messages(CHAT)[before:]]
    assert any("telah diselesaikan" in notice and shown in notice for notice in notices)
    assert shown in invitation

    scores = [4, 3, 4, 2, 3, 4, 1]
    assert await answers_the_questionnaire(citizen, scores) == [i18n.t("survey.ask_comment")]
    assert await citizen.tap("Lewati") == [i18n.t("survey.thanks")]

    # The month's IKM counts that one answer, exactly.
    await assert_month_ikm_counts(services, clock.now(), dict(zip(ROAD, scores, strict=True)))


async def test_a_report_started_while_the_comment_waits_keeps_its_text(citizen, tg_client):
    code = await files_through_the_bot(citizen, anonim=False)
    await resolved_and_invited(citizen, code)
    await answers_the_questionnaire(citizen, [4] * 7)

    await citizen.send(citizen.updates.command("lapor"))
    noted = await citizen.send(citizen.updates.text(REPORT))

    assert noted[0].startswith("Ringkasan laporan Anda:")
    assert (await conversation(tg_client))["draft"]["text"] == REPORT
    [row] = await responses(tg_client)
    assert (row["u9"], row["comment"]) == (4, None)  # the survey still waits for its comment


# -- the chat's language ---------------------------------------------------------------------


async def test_a_chat_that_chose_english_gets_its_notices_and_survey_in_english(citizen, tg_client):
    services = tg_client.app[SERVICES]
    assert await citizen.send(citizen.updates.command("bahasa", "en")) == [
        "Fine, we will use English."
    ]
    summary = await citizen.send(citizen.updates.text(REPORT))
    assert summary[0].startswith("Your report:")
    assert (await citizen.tap("Send"))[0].startswith("We have received your report.")
    async with services.pool.acquire() as conn:
        code = await conn.fetchval("SELECT tracking_code FROM complaint")
        officer = await auth.create_officer(conn, "kepala", "Kepala Dinas", "admin", None)
        status = await conn.fetchval("SELECT status FROM complaint")
    shown = tracking.display(code)
    if status == "received":
        verify = lifecycle.ActionRequest("verify", agency="DPUPR", category="jalan")
        await lifecycle.act(services, code, verify, officer=officer)
    await lifecycle.act(services, code, lifecycle.ActionRequest("start"), officer=officer)

    before = len(citizen.fake.sent_messages(CHAT))
    await citizen.deliver()
    notices = [m["text"] for m in citizen.fake.sent_messages(CHAT)[before:]]
    assert notices[-1].split("\n\n")[0].endswith(f"is now working on report {shown}.")
    assert "Follow its status: " in notices[-1] and "Laporan" not in notices[-1]
    status_reply = await citizen.send(citizen.updates.command("status", code))
    assert status_reply[0].splitlines()[1] == "Status: In progress"

    await resolve_and_invite(services, citizen.clock, code)
    await citizen.deliver()
    invitation = citizen.fake.sent_messages(CHAT)[-1]
    assert invitation["text"].endswith("Has your problem been solved, and how satisfied are you?")
    keyboard = invitation["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == [
        "Yes, very satisfied",
        "Yes, satisfied",
        "Yes, not very happy",
        "Yes, dissatisfied",
        "Not yet",
        "Don't know",
    ]
    offer = await citizen.tap("Yes, satisfied")
    assert offer == [i18n.t("survey.chat.offer", "en", count=7)]
    question = await citizen.tap("Yes, go ahead")
    assert question[-1].startswith("Question 1 of 7: what do you think of ")
    keyboard = citizen.fake.sent_messages(CHAT)[-1]["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == list(ikm.answer_labels("U2", "en"))


async def test_a_chat_that_said_nothing_of_language_gets_its_notice_in_indonesian(
    citizen, tg_client
):
    services = tg_client.app[SERVICES]
    code = await files_through_the_bot(citizen, anonim=False)
    async with services.pool.acquire() as conn:
        officer = await auth.create_officer(conn, "kepala", "Kepala Dinas", "admin", None)
    reject = lifecycle.ActionRequest("reject", note="Bukan wewenang kota.")
    if await services.pool.fetchval("SELECT status FROM complaint") == "received":
        await lifecycle.act(services, code, reject, officer=officer)
    else:
        await lifecycle.act(services, code, lifecycle.ActionRequest("start"), officer=officer)
    before = len(citizen.fake.sent_messages(CHAT))
    await citizen.deliver()
    [notice] = [m["text"] for m in citizen.fake.sent_messages(CHAT)[before:]]
    assert notice.startswith(("Mohon maaf, laporan", "Laporan ")) and "Pantau status: " in notice


# -- Issue 17: an emergency is answered with the city's numbers first; a point outside the city
# is refused at the location step.


async def test_an_emergency_gets_the_emergency_numbers_first_then_the_dialogue_goes_on(citizen):
    replies = await citizen.send(
        citizen.updates.text("Tolong, rumah tetangga kebakaran, apinya sudah membesar!")
    )
    assert len(replies) == 2
    assert replies[0] == i18n.t(
        "emergency.message", numbers=emergency.numbers_text(load_city("default"))
    )
    assert "112 (Panggilan Darurat)" in replies[0] and "113 (" in replies[0]
    assert replies[1].startswith("Baik, sudah kami catat.")  # the report goes on as usual
    outside = await citizen.send(citizen.updates.location(-6.9175, 107.6191))  # Bandung
    assert outside[0].startswith("Lokasi itu berada di luar wilayah Kota Contoh.")
    assert (await conversation(citizen.client))["draft"]["location"] is None
