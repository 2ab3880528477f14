"""The fake Telegram and WhatsApp servers behave like the real APIs for the clients lapor uses:
a real aiogram Bot (and Dispatcher) for Telegram, a plain aiohttp ClientSession for WhatsApp."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import SendMessage
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from fakes import FakeTelegram, FakeWhatsApp, PayloadFactory, UpdateFactory, encode, sign
from fakes.whatsapp_payloads import signed_headers

CHAT_ID = 700100200


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    bot = fake_telegram.bot()
    yield bot
    await bot.session.close()


@pytest.fixture
def fake_whatsapp(fake_whatsapp: FakeWhatsApp) -> FakeWhatsApp:
    # The citizens these tests write to wrote first: free text is inside their 24-hour window.
    for wa_id in ("6281", "6281234567890"):
        fake_whatsapp.user_wrote(wa_id)
    return fake_whatsapp


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data)] for text, data in pairs
        ]
    )


async def until_polling(fake: FakeTelegram, polls: int = 1) -> None:
    """Wait until ``polls`` getUpdates requests are held open by the fake."""
    async with asyncio.timeout(5):
        while fake.long_polls_waiting < polls:  # noqa: ASYNC110 - the fake has no event for it
            await asyncio.sleep(0.01)


# -- Telegram: requests and answers ---------------------------------------------------------


async def test_get_me_describes_the_bot_of_the_token(bot: Bot) -> None:
    me = await bot.get_me()

    assert (me.id, me.is_bot, me.username) == (123456, True, "lapor_test_bot")


async def test_send_message_records_the_inline_keyboard_decoded(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    markup = keyboard(("Jalan rusak", "cat:v1:JLN"), ("Sampah", "cat:v1:SAM"))

    sent = await bot.send_message(CHAT_ID, "Pilih kategori", reply_markup=markup)

    (params,) = fake_telegram.sent_messages(chat_id=CHAT_ID)
    assert params["text"] == "Pilih kategori"
    assert params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Jalan rusak", "callback_data": "cat:v1:JLN"}],
            [{"text": "Sampah", "callback_data": "cat:v1:SAM"}],
        ]
    }
    assert sent.chat.id == CHAT_ID
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == markup.model_dump()


async def test_sent_messages_get_increasing_ids_and_are_filtered_by_chat(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    first = await bot.send_message(CHAT_ID, "satu")
    second = await bot.send_message(CHAT_ID + 1, "dua")

    assert second.message_id > first.message_id
    assert [m["text"] for m in fake_telegram.sent_messages(chat_id=CHAT_ID + 1)] == ["dua"]
    assert [m["text"] for m in fake_telegram.sent_messages()] == ["satu", "dua"]


async def test_text_that_looks_like_json_is_recorded_as_text(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    await bot.send_message(CHAT_ID, "123")

    assert fake_telegram.sent_messages()[0]["text"] == "123"
    assert fake_telegram.sent_messages()[0]["chat_id"] == CHAT_ID


async def test_callback_data_over_64_bytes_is_rejected_like_telegram(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT_ID, "Pilih", reply_markup=keyboard(("x", "d" * 65)))


async def test_editing_to_the_same_content_is_not_modified(bot: Bot) -> None:
    markup = keyboard(("Ya", "confirm:yes"))
    sent = await bot.send_message(CHAT_ID, "Kirim laporan?", reply_markup=markup)

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="Kirim laporan?", chat_id=CHAT_ID, message_id=sent.message_id, reply_markup=markup
        )


async def test_editing_text_without_markup_drops_the_keyboard(bot: Bot) -> None:
    sent = await bot.send_message(CHAT_ID, "Kirim?", reply_markup=keyboard(("Ya", "y")))

    edited = await bot.edit_message_text(
        text="Terkirim", chat_id=CHAT_ID, message_id=sent.message_id
    )

    assert isinstance(edited, Message)
    assert (edited.message_id, edited.text, edited.reply_markup) == (
        sent.message_id,
        "Terkirim",
        None,
    )


async def test_upload_is_recorded_and_downloadable(fake_telegram: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_photo(
        CHAT_ID, BufferedInputFile(b"\xff\xd8jpeg", "foto.jpg"), caption="Bukti"
    )

    call = await fake_telegram.wait_for("sendPhoto")
    assert call.files == {"photo": b"\xff\xd8jpeg"}
    assert call.params["caption"] == "Bukti"
    downloaded = await bot.download(sent.photo[-1].file_id)
    assert downloaded is not None and downloaded.read() == b"\xff\xd8jpeg"


async def test_get_file_and_download_return_the_registered_bytes(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    fake_telegram.add_file("AgACphoto1", b"photo-bytes", file_path="photos/file_1.jpg")

    file = await bot.get_file("AgACphoto1")
    content = await bot.download(file, destination=io.BytesIO())

    assert (file.file_path, file.file_size) == ("photos/file_1.jpg", len(b"photo-bytes"))
    assert content is not None and content.read() == b"photo-bytes"


async def test_unknown_file_id_is_a_bad_request(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("nope")


async def test_unknown_method_is_not_found(
    fake_telegram: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"{fake_telegram.base_url}/bot123456:TEST/sendTelepathy") as response:
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }


async def test_json_bodies_and_get_requests_are_understood(
    fake_telegram: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    base = f"{fake_telegram.base_url}/bot123456:TEST"
    async with http.post(f"{base}/sendMessage", json={"chat_id": 5, "text": "hai"}) as response:
        assert (await response.json())["result"]["text"] == "hai"
    async with http.get(f"{base}/getMe") as response:
        assert (await response.json())["result"]["id"] == 123456


async def test_wrong_token_is_unauthorized(fake_telegram: FakeTelegram) -> None:
    stranger = Bot("999:WRONG", session=AiohttpSession(api=fake_telegram.api_server()))
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()
    finally:
        await stranger.session.close()

    assert fake_telegram.calls[-1].status == 401


# -- Telegram: failure injection ----------------------------------------------------------


async def test_rate_limit_raises_retry_after_with_telegrams_seconds(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    fake_telegram.rate_limit_next("sendMessage", retry_after=7)

    with pytest.raises(TelegramRetryAfter) as raised:
        await bot.send_message(CHAT_ID, "halo")
    await bot.send_message(CHAT_ID, "halo lagi")

    assert raised.value.retry_after == 7
    failed, succeeded = fake_telegram.calls_to("sendMessage", include_failed=True)
    assert (failed.status, failed.failed, failed.injected) == (429, True, True)
    assert failed.response["parameters"] == {"retry_after": 7}
    assert not succeeded.failed
    assert [m["text"] for m in fake_telegram.sent_messages()] == ["halo lagi"]


async def test_injected_server_error_raises_telegram_server_error(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    fake_telegram.fail_next("sendMessage", status=500, times=2)

    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.send_message(CHAT_ID, "halo")
    await bot.send_message(CHAT_ID, "halo")

    assert [c.status for c in fake_telegram.calls_to("sendmessage", include_failed=True)] == [
        500,
        500,
        200,
    ]


async def test_wait_for_fails_with_the_calls_seen(fake_telegram: FakeTelegram, bot: Bot) -> None:
    await bot.get_me()

    with pytest.raises(AssertionError, match=r"getMe\(200\)"):
        await fake_telegram.wait_for("sendMessage", timeout=0.05)


# -- Telegram: updates ----------------------------------------------------------------------


async def test_polling_dispatcher_handles_a_pushed_update_and_its_reply_is_recorded(
    fake_telegram: FakeTelegram,
) -> None:
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Diterima: {message.text}")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = fake_telegram.bot()
    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
    try:
        fake_telegram.push_update(UpdateFactory().text("Lampu jalan mati"))

        reply = await fake_telegram.wait_for("sendMessage")
    finally:
        await dispatcher.stop_polling()  # closes the bot's session too
        await polling

    assert reply.params == {"chat_id": CHAT_ID, "text": "Diterima: Lampu jalan mati"}


async def test_get_updates_confirms_updates_before_the_offset(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    updates = UpdateFactory()
    first = fake_telegram.push_update(updates.text("satu"))
    second = fake_telegram.push_update(updates.text("dua"))

    both = await bot.get_updates()
    after_first = await bot.get_updates(offset=first["update_id"] + 1)

    assert [u.update_id for u in both] == [first["update_id"], second["update_id"]]
    assert [u.update_id for u in after_first] == [second["update_id"]]
    assert [u["update_id"] for u in fake_telegram.pending_updates] == [second["update_id"]]


async def test_long_poll_returns_an_update_pushed_while_waiting(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=60))
    await until_polling(fake_telegram)

    pushed = fake_telegram.push_update(UpdateFactory().text("halo"))

    # The push must wake the poll; without that it would only return at its 60 s timeout.
    async with asyncio.timeout(10):
        delivered = await poll
    assert [u.update_id for u in delivered] == [pushed["update_id"]]


async def test_long_poll_without_updates_ends_empty_after_its_timeout(
    fake_telegram: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    url = f"{fake_telegram.base_url}/bot123456:TEST/getUpdates"
    async with http.post(url, data={"timeout": "0.05"}) as response:
        assert await response.json() == {"ok": True, "result": []}


async def test_a_second_poller_ends_the_first_with_a_conflict(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await until_polling(fake_telegram)

    await bot.get_updates(timeout=0)

    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await first


async def test_only_allowed_update_kinds_are_delivered(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    updates = UpdateFactory()
    fake_telegram.push_update(updates.poll())
    message = fake_telegram.push_update(updates.text("halo"))

    delivered = await bot.get_updates(allowed_updates=["message"])

    assert [u.update_id for u in delivered] == [message["update_id"]]


async def test_stopping_the_fake_ends_a_waiting_long_poll(bot: Bot) -> None:
    fake = FakeTelegram()
    await fake.start()
    other = Bot(fake.token, session=AiohttpSession(api=fake.api_server()))
    try:
        poll = asyncio.create_task(other.get_updates(timeout=30))
        await until_polling(fake)

        await fake.stop()

        assert await poll == []
    finally:
        await other.session.close()


# -- Telegram: webhooks ---------------------------------------------------------------------


async def test_set_webhook_is_recorded_and_blocks_get_updates(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    await bot.set_webhook("https://lapor.example.go.id/tg", secret_token="s3cret")

    info = await bot.get_webhook_info()

    assert (fake_telegram.webhook.url, fake_telegram.webhook.secret_token) == (
        "https://lapor.example.go.id/tg",
        "s3cret",
    )
    assert info.url == "https://lapor.example.go.id/tg"
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()
    assert fake_telegram.webhook.url == ""


async def test_deliver_webhook_sends_the_secret_and_runs_the_method_answered(
    fake_telegram: FakeTelegram, bot: Bot, aiohttp_server: Any
) -> None:
    router = Router()

    @router.message(F.text)
    async def reply_in_webhook_answer(message: Message) -> SendMessage:
        return message.answer("Laporan diterima")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    app = web.Application()
    SimpleRequestHandler(
        dispatcher, bot, secret_token="s3cret", handle_in_background=False
    ).register(app, path="/tg")
    server = await aiohttp_server(app)
    await bot.set_webhook(str(server.make_url("/tg")), secret_token="s3cret")

    status = await fake_telegram.deliver_webhook(UpdateFactory().text("Sampah menumpuk"))

    assert status == 200
    assert fake_telegram.sent_messages(chat_id=CHAT_ID)[0]["text"] == "Laporan diterima"


async def test_set_my_commands_are_recorded(fake_telegram: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand(command="lapor", description="Buat laporan")])

    assert fake_telegram.commands == [{"command": "lapor", "description": "Buat laporan"}]
    assert (await bot.get_my_commands())[0].command == "lapor"


# -- Telegram: update builders --------------------------------------------------------------

_UPDATES = UpdateFactory()


@pytest.mark.parametrize(
    ("update", "event_type", "content_type"),
    [
        (_UPDATES.text("halo", language_code="id"), "message", "text"),
        (_UPDATES.command("lapor"), "message", "text"),
        (_UPDATES.location(-6.2, 106.8), "message", "location"),
        (_UPDATES.photo(caption="Jalan berlubang"), "message", "photo"),
        (_UPDATES.sticker(), "message", "sticker"),
        (_UPDATES.voice(), "message", "voice"),
        (_UPDATES.callback_query("cat:v1:JLN"), "callback_query", None),
        (_UPDATES.poll(), "poll", None),
        (_UPDATES.my_chat_member("kicked"), "my_chat_member", None),
    ],
)
def test_update_builders_parse_as_aiogram_updates(
    update: dict[str, Any], event_type: str, content_type: str | None
) -> None:
    parsed = Update.model_validate(update)

    assert parsed.event_type == event_type
    if content_type is not None:
        assert parsed.message is not None and parsed.message.content_type == content_type


def test_update_builders_number_updates_and_mark_commands() -> None:
    updates = UpdateFactory(first_update_id=40)

    command = updates.command("lapor", "jalan rusak")
    text = updates.text("halo", language_code="en")

    assert (command["update_id"], text["update_id"]) == (40, 41)
    assert command["message"]["text"] == "/lapor jalan rusak"
    assert command["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert text["message"]["from"]["language_code"] == "en"
    assert "language_code" not in command["message"]["from"]


def test_photo_builder_lists_sizes_smallest_first_with_the_given_id_largest() -> None:
    photo = UpdateFactory().photo("AgACbig")["message"]["photo"]

    assert [size["width"] for size in photo] == sorted(size["width"] for size in photo)
    assert photo[-1]["file_id"] == "AgACbig"
    assert len({size["file_unique_id"] for size in photo}) == len(photo)


async def test_callback_query_on_a_sent_message_can_edit_it(
    fake_telegram: FakeTelegram, bot: Bot
) -> None:
    sent_call_message = await bot.send_message(CHAT_ID, "Pilih", reply_markup=keyboard(("Ya", "y")))
    sent = fake_telegram.calls_to("sendMessage")[0].result
    update = fake_telegram.push_update(UpdateFactory().callback_query("y", message=sent))

    await bot.answer_callback_query(update["callback_query"]["id"], text="OK")
    edited = await bot.edit_message_reply_markup(
        chat_id=CHAT_ID,
        message_id=sent_call_message.message_id,
        reply_markup=keyboard(("Batal", "n")),
    )

    assert isinstance(edited, Message)
    assert edited.reply_markup is not None
    assert edited.reply_markup.model_dump() == keyboard(("Batal", "n")).model_dump()
    assert fake_telegram.calls_to("answerCallbackQuery")[0].params["text"] == "OK"


# -- WhatsApp: sending ------------------------------------------------------------------------


def bearer(token: str = "wa-test-token") -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def text_message(to: str, body: str) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": body},
    }


async def test_sending_text_with_the_token_returns_a_wamid_and_is_recorded(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    message = text_message("+62 812-3456-7890", "Laporan diterima")

    async with http.post(fake_whatsapp.messages_url, json=message, headers=bearer()) as response:
        body = await response.json()
        status = response.status

    assert status == 200
    assert body["messaging_product"] == "whatsapp"
    assert body["contacts"] == [{"input": "+62 812-3456-7890", "wa_id": "6281234567890"}]
    assert body["messages"][0]["id"].startswith("wamid.")
    assert fake_whatsapp.sent_messages(to="6281234567890") == [message]


async def test_each_sent_message_gets_its_own_wamid(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    ids = []
    for body in ("satu", "dua"):
        async with http.post(
            fake_whatsapp.messages_url, json=text_message("6281", body), headers=bearer()
        ) as response:
            ids.append((await response.json())["messages"][0]["id"])

    assert len(set(ids)) == 2


@pytest.mark.parametrize(
    "headers", [{}, bearer("stolen-token"), {"Authorization": "wa-test-token"}]
)
async def test_sending_without_the_right_bearer_token_is_an_oauth_error(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with http.post(
        fake_whatsapp.messages_url, json=text_message("6281", "x"), headers=headers
    ) as response:
        body = await response.json()
        status = response.status

    assert status == 401
    assert (body["error"]["type"], body["error"]["code"]) == ("OAuthException", 190)
    assert fake_whatsapp.sent_messages() == []


async def test_reply_buttons_and_lists_are_accepted(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    buttons = {
        "type": "button",
        "body": {"text": "Kirim laporan ini?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "confirm:yes", "title": "Ya"}},
                {"type": "reply", "reply": {"id": "confirm:no", "title": "Tidak"}},
            ]
        },
    }
    listing = {
        "type": "list",
        "body": {"text": "Pilih kategori"},
        "action": {
            "button": "Kategori",
            "sections": [
                {"title": "Infrastruktur", "rows": [{"id": "JLN", "title": "Jalan rusak"}]}
            ],
        },
    }
    for interactive in (buttons, listing):
        payload = {
            "messaging_product": "whatsapp",
            "to": "6281",
            "type": "interactive",
            "interactive": interactive,
        }
        async with http.post(
            fake_whatsapp.messages_url, json=payload, headers=bearer()
        ) as response:
            assert response.status == 200, await response.text()

    assert [m["interactive"]["type"] for m in fake_whatsapp.sent_messages()] == ["button", "list"]


async def test_a_button_title_over_20_characters_is_rejected_like_meta(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    payload = {
        "messaging_product": "whatsapp",
        "to": "6281",
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Kirim?"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "y", "title": "Ya, kirim laporan saya"}}
                ]
            },
        },
    }

    async with http.post(fake_whatsapp.messages_url, json=payload, headers=bearer()) as response:
        body = await response.json()
        status = response.status

    assert (status, body["error"]["code"]) == (400, 131009)
    assert "Button title length invalid" in body["error"]["error_data"]["details"]


@pytest.mark.parametrize(
    ("row", "details"),
    [
        ({"id": "r1", "title": "Ada tetapi tidak berfungsi"}, "Row title length invalid"),
        ({"id": "r1", "title": "Ada", "description": "x" * 73}, "Row description length"),
    ],
)
async def test_a_list_row_over_metas_limits_is_rejected_like_meta(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession, row: dict, details: str
) -> None:
    payload = {
        "messaging_product": "whatsapp",
        "to": "6281",
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "Pengaduan?"},
            "action": {"button": "Pilih", "sections": [{"rows": [row]}]},
        },
    }

    async with http.post(fake_whatsapp.messages_url, json=payload, headers=bearer()) as response:
        body = await response.json()
        status = response.status

    assert (status, body["error"]["code"]) == (400, 131009)
    assert details in body["error"]["error_data"]["details"]
    assert fake_whatsapp.sent_messages() == []


async def test_media_lookup_may_leave_out_the_size(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    fake_whatsapp.add_media("m1", b"\xff\xd8\xff", states_size=False)
    url = f"{fake_whatsapp.base_url}/{fake_whatsapp.version}/m1"
    async with http.get(url, headers=bearer()) as response:
        found = await response.json()
    assert "file_size" not in found and found["url"].endswith("/media-download/m1")


async def test_free_text_goes_only_inside_the_window_and_templates_only_as_approved(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession, clock
) -> None:
    async def post(body: dict[str, Any]) -> tuple[int, int | None]:
        async with http.post(fake_whatsapp.messages_url, json=body, headers=bearer()) as answer:
            found = await answer.json()
        return answer.status, found.get("error", {}).get("code")

    def template(name: str, language: str, *params: str, buttons: int = 0) -> dict[str, Any]:
        components: list[dict[str, Any]] = [
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
        ]
        components += [
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(i),
                "parameters": [{"type": "payload", "payload": f"p{i}"}],
            }
            for i in range(buttons)
        ]
        body = {"name": name, "language": {"code": language}, "components": components}
        return {"messaging_product": "whatsapp", "to": "6289", "type": "template", "template": body}

    fake_whatsapp.approve_template("lapor_status", "id", body_params=2, quick_replies=1)
    assert await post(text_message("6289", "halo")) == (400, 131047)  # never wrote
    fake_whatsapp.user_wrote("6289")
    clock.advance(timedelta(hours=23, minutes=59))
    assert await post(text_message("6289", "halo")) == (200, None)
    clock.advance(timedelta(minutes=1))
    assert await post(text_message("6289", "halo")) == (400, 131047)  # 24 hours on
    assert await post(template("lapor_status", "id", "A", "B", buttons=1)) == (200, None)
    assert await post(template("lapor_status", "en", "A", "B", buttons=1)) == (400, 132001)
    assert await post(template("lapor_lain", "id", "A", "B", buttons=1)) == (400, 132001)
    assert await post(template("lapor_status", "id", "A", buttons=1)) == (400, 132000)
    assert await post(template("lapor_status", "id", "A", "B")) == (400, 132000)
    assert await post(template("lapor_status", "id", "A", "B\nC", buttons=1)) == (400, 132018)
    assert await post(template("lapor_status", "id", "A", "x" * 1025, buttons=1)) == (400, 132018)
    assert len(fake_whatsapp.sent_templates("6289")) == 1


async def test_a_read_receipt_is_acknowledged_but_not_a_sent_message(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    receipt = {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.ABC"}

    async with http.post(fake_whatsapp.messages_url, json=receipt, headers=bearer()) as response:
        assert await response.json() == {"success": True}

    assert fake_whatsapp.read_receipts == ["wamid.ABC"]
    assert fake_whatsapp.sent_messages() == []


# -- WhatsApp: media ------------------------------------------------------------------------


async def test_media_lookup_gives_a_url_that_downloads_the_bytes(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    fake_whatsapp.add_media("1066", b"jpeg-bytes", "image/jpeg")

    async with http.get(f"{fake_whatsapp.base_url}/v21.0/1066", headers=bearer()) as response:
        info = await response.json()
    async with http.get(info["url"], headers=bearer()) as response:
        data = await response.read()
        content_type = response.content_type
    async with http.get(info["url"]) as response:
        anonymous_status = response.status

    assert info["id"] == "1066" and info["messaging_product"] == "whatsapp"
    assert (info["mime_type"], info["file_size"]) == ("image/jpeg", len(b"jpeg-bytes"))
    assert info["sha256"] == hashlib.sha256(b"jpeg-bytes").hexdigest()
    assert (data, content_type) == (b"jpeg-bytes", "image/jpeg")
    assert anonymous_status == 401


async def test_unknown_media_is_a_graph_error(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{fake_whatsapp.base_url}/v21.0/404404", headers=bearer()) as response:
        body = await response.json()
        status = response.status

    assert (status, body["error"]["code"], body["error"]["error_subcode"]) == (400, 100, 33)


# -- WhatsApp: failure injection ------------------------------------------------------------


async def test_injected_server_error_is_followed_by_success(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    fake_whatsapp.fail_next("messages", status=500)

    answers = []
    for _ in range(2):
        async with http.post(
            fake_whatsapp.messages_url, json=text_message("6281", "halo"), headers=bearer()
        ) as response:
            answers.append((response.status, await response.json()))

    (first_status, first_body), (second_status, _) = answers
    assert (first_status, second_status) == (500, 200)
    assert first_body["error"]["code"] == 131000 and first_body["error"]["is_transient"] is True
    assert len(fake_whatsapp.sent_messages()) == 1
    assert [c.failed for c in fake_whatsapp.calls] == [True, False]


@pytest.mark.parametrize("code", [130429, 80007])
async def test_rate_limit_answers_429_with_graphs_code(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession, code: int
) -> None:
    fake_whatsapp.rate_limit_next("messages", code=code)

    async with http.post(
        fake_whatsapp.messages_url, json=text_message("6281", "halo"), headers=bearer()
    ) as response:
        body = await response.json()
        status = response.status

    assert (status, body["error"]["code"]) == (429, code)
    assert fake_whatsapp.sent_messages() == []


async def test_wait_for_returns_the_sent_message_call(
    fake_whatsapp: FakeWhatsApp, http: aiohttp.ClientSession
) -> None:
    async def send_later() -> None:
        await asyncio.sleep(0)
        async with http.post(
            fake_whatsapp.messages_url, json=text_message("6281", "nanti"), headers=bearer()
        ) as response:
            await response.read()

    sender = asyncio.create_task(send_later())
    call = await fake_whatsapp.wait_for("messages")
    await sender

    assert call.params["text"] == {"body": "nanti"}


# -- WhatsApp: webhook payloads -------------------------------------------------------------


def test_sign_matches_a_known_hmac_sha256() -> None:
    body = b'{"object":"whatsapp_business_account"}'

    # printf '{"object":"whatsapp_business_account"}' | openssl dgst -sha256 -hmac rahasia
    assert sign(body, "rahasia") == (
        "sha256=d18623925958fdfac6bd0a4bf3182f7e2450904080af8f7815604ef20c14f73e"
    )


def test_signed_headers_verify_with_an_independent_hmac() -> None:
    body = encode(PayloadFactory().text("Jalan rusak di RT 03"))

    header = signed_headers(body, "app-secret")["X-Hub-Signature-256"]

    expected = hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(header, f"sha256={expected}")
    assert sign(body + b" ", "app-secret") != header


def test_encoded_body_is_metas_escaped_compact_json() -> None:
    payload = PayloadFactory(name="Dédé").text("a/b")

    body = encode(payload)

    assert b" " not in body and b"\\/" in body and b"\\u00e9" in body
    assert json.loads(body) == payload


@pytest.mark.parametrize(
    ("build", "kind"),
    [
        (lambda f: f.text("halo"), "text"),
        (lambda f: f.location(-6.2, 106.8, name="Pasar"), "location"),
        (lambda f: f.image("1066", data=b"jpeg"), "image"),
        (lambda f: f.button_reply("confirm:yes", "Ya", context_id="wamid.X"), "interactive"),
        (lambda f: f.list_reply("JLN", "Jalan rusak"), "interactive"),
        (lambda f: f.sticker(), "sticker"),
        (lambda f: f.audio(), "audio"),
        (lambda f: f.unsupported(), "unsupported"),
    ],
)
def test_message_payloads_have_metas_envelope(build: Any, kind: str) -> None:
    factory = PayloadFactory(phone_number_id="1234567890", wa_id="6281234567890", name="Budi")

    payload = build(factory)

    assert payload["object"] == "whatsapp_business_account"
    (entry,) = payload["entry"]
    (change,) = entry["changes"]
    value = change["value"]
    assert change["field"] == "messages"
    assert value["messaging_product"] == "whatsapp"
    assert value["metadata"]["phone_number_id"] == "1234567890"
    assert value["contacts"] == [{"profile": {"name": "Budi"}, "wa_id": "6281234567890"}]
    (message,) = value["messages"]
    assert (message["from"], message["type"]) == ("6281234567890", kind)
    assert message["id"].startswith("wamid.") and message["timestamp"].isdigit()
    assert kind in message or kind == "unsupported"


def test_message_ids_are_unique_and_replies_carry_their_context() -> None:
    factory = PayloadFactory()

    first, second = factory.text("a"), factory.button_reply("y", "Ya", context_id="wamid.OUT")

    assert factory.message_id(first) != factory.message_id(second)
    message = second["entry"][0]["changes"][0]["value"]["messages"][0]
    assert message["context"]["id"] == "wamid.OUT"
    assert message["interactive"] == {
        "type": "button_reply",
        "button_reply": {"id": "y", "title": "Ya"},
    }


def test_image_payload_carries_the_base64_sha256_of_the_media() -> None:
    image = PayloadFactory().image("1066", data=b"jpeg", mime_type="image/png")

    content = image["entry"][0]["changes"][0]["value"]["messages"][0]["image"]
    assert content == {
        "id": "1066",
        "mime_type": "image/png",
        "sha256": base64.b64encode(hashlib.sha256(b"jpeg").digest()).decode(),
    }


@pytest.mark.parametrize("status", ["sent", "delivered", "read"])
def test_status_callbacks_carry_statuses_and_no_messages(status: str) -> None:
    payload = PayloadFactory(wa_id="6281").status("wamid.OUT", status)

    value = payload["entry"][0]["changes"][0]["value"]
    assert "messages" not in value and "contacts" not in value
    (entry,) = value["statuses"]
    assert (entry["id"], entry["status"], entry["recipient_id"]) == ("wamid.OUT", status, "6281")
    assert ("pricing" in entry) == (status != "read")
