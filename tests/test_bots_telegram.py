"""The Telegram adapter, run for real: aiogram's Dispatcher and Bot against the fake Telegram
server, updates POSTed to the app's webhook, replies delivered by the outbox's dispatch_once
through the TelegramSender."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.types import Update
from fakes import FakeTelegram, UpdateFactory
from helpers import jpeg_bytes

from bots.telegram import (
    MAX_TEXT,
    WEBHOOK_PATH,
    TelegramMedia,
    TelegramSender,
    callback_incoming,
    message_incoming,
    split_text,
    unsupported_incoming,
)
from lapor.errors import PayloadTooLarge
from lapor.outbox import PermanentFailure, RetryAfter
from lapor.settings import SettingsError, settings_from_env
from lapor.web.app import create_app
from lapor.web.keys import SERVICES

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
async def tg_client(aiohttp_client, tg_settings, clock):
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
    return {"update_id": update["update_id"], "guest_message": update["message"]}


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
