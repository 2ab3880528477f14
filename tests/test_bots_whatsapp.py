"""The WhatsApp adapter, run for real: Meta's signed webhooks POSTed to the app, replies
delivered by the outbox's dispatch_once through the WhatsAppSender to the fake Graph API, and
photos downloaded from it by WhatsAppMedia. Nothing is mocked."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from fakes import FakeWhatsApp, PayloadFactory, encode
from fakes._server import Failure
from fakes.whatsapp_payloads import signed_headers
from helpers import png_bytes
from lifecycle_helpers import file, resolve_and_invite
from test_openapi import route_set

from bots import strings
from bots.whatsapp import (
    DEFAULT_RETRY_AFTER,
    WEBHOOK_PATH,
    Graph,
    GraphError,
    WhatsAppMedia,
    WhatsAppSender,
    parse_webhook,
    render,
    signature_valid,
)
from lapor import i18n, ikm, tracking
from lapor.errors import PayloadTooLarge
from lapor.outbox import PartlySent, PermanentFailure, RetryAfter, dispatch_once
from lapor.settings import Settings, SettingsError, settings_from_env
from lapor.web.app import create_app
from lapor.web.keys import SERVICES, WHATSAPP

APP_SECRET = "meta-app-secret-for-tests"
VERIFY_TOKEN = "verify-me-please"
WA_ID = "6281234567890"
DESCRIPTION = "Jalan di depan pasar Kranji berlubang besar, sudah dua minggu membahayakan motor."
PLACELESS = "Lampu jalan mati sejak seminggu, gelap sekali kalau malam."


def whatsapp_fields(fake: FakeWhatsApp) -> dict[str, str]:
    return {
        "whatsapp_token": fake.token,
        "whatsapp_app_secret": APP_SECRET,
        "whatsapp_verify_token": VERIFY_TOKEN,
        "whatsapp_phone_number_id": fake.phone_number_id,
        "whatsapp_api_base": f"{fake.base_url}/{fake.version}",
    }


@pytest.fixture
def payloads(clock) -> PayloadFactory:
    # Meta stamps a message with when it was written: the test's clock.
    return PayloadFactory(
        wa_id=WA_ID, phone_number_id="1234567890", clock=lambda: clock.now().timestamp()
    )


@pytest.fixture
def wa_settings(settings, fake_whatsapp) -> Settings:
    return replace(settings, **whatsapp_fields(fake_whatsapp))


@pytest.fixture
async def wa_client(wa_settings, clock, aiohttp_client):
    # wa_settings (hence the database and the fake) before aiohttp_client: fixtures are torn
    # down in reverse, so the app closes before the database is dropped and the fake stops.
    # No senders: the tests deliver the outbox themselves, step by step, with the test clock.
    return await aiohttp_client(create_app(wa_settings, clock=clock, senders={}))


@pytest.fixture
async def graph(fake_whatsapp) -> AsyncIterator[Graph]:
    fake_whatsapp.user_wrote(WA_ID)  # the citizen just wrote: free text may go
    async with Graph(Settings(**whatsapp_fields(fake_whatsapp))).open() as graph:
        yield graph


async def post(client, payload: dict | bytes, *, secret: str | None = APP_SECRET, headers=None):
    body = payload if isinstance(payload, bytes) else encode(payload)
    if headers is None:
        headers = (
            signed_headers(body, secret)
            if secret is not None
            else {"Content-Type": "application/json"}
        )
    return await client.post(WEBHOOK_PATH, data=body, headers=headers)


async def deliver(client, clock) -> int:
    """One sweep of the outbox through the app's own WhatsAppSender."""
    services = client.app[SERVICES]
    return await dispatch_once(services.pool, {"whatsapp": client.app[WHATSAPP].sender}, clock)


async def stored(client) -> dict[str, int]:
    async with client.app[SERVICES].pool.acquire() as conn:
        return {
            table: await conn.fetchval(f"SELECT count(*) FROM {table}")
            for table in ("bot_conversation", "bot_delivery", "outbox", "complaint")
        }


NOTHING = {"bot_conversation": 0, "bot_delivery": 0, "outbox": 0, "complaint": 0}


def body_text(message: dict[str, Any]) -> str:
    if message["type"] == "text":
        return message["text"]["body"]
    return message["interactive"]["body"]["text"]


def buttons_of(message: dict[str, Any]) -> dict[str, str]:
    """Title -> reply id of an interactive message (reply buttons or list rows)."""
    interactive = message["interactive"]
    if interactive["type"] == "button":
        return {b["reply"]["title"]: b["reply"]["id"] for b in interactive["action"]["buttons"]}
    rows = [row for section in interactive["action"]["sections"] for row in section["rows"]]
    return {row["title"]: row["id"] for row in rows}


def rows_of(message: dict[str, Any]) -> list[dict[str, str]]:
    return [
        row for section in message["interactive"]["action"]["sections"] for row in section["rows"]
    ]


class Citizen:
    """One WhatsApp user talking to the app; reads what the fake Graph API received."""

    def __init__(self, client, fake: FakeWhatsApp, payloads: PayloadFactory, clock) -> None:
        self.client, self.fake, self.payloads, self.clock = client, fake, payloads, clock
        self.seen = 0

    async def sends(self, payload: dict) -> dict:
        self.fake.inbound(payload)  # Meta sees the citizen write, and opens the window
        response = await post(self.client, payload)
        assert response.status == 200, await response.text()
        return payload

    async def says(self, text: str) -> dict:
        return await self.sends(self.payloads.text(text))

    async def taps(self, title: str) -> dict:
        """Taps the button (or picks the list row) titled ``title`` on the last interactive
        message it received, as WhatsApp reports it: a button_reply or a list_reply."""
        sent = self.fake.sent_messages(self.payloads.wa_id)
        last = next(m for m in reversed(sent) if m["type"] != "text")
        if last["interactive"]["type"] == "list":
            row = next(r for r in rows_of(last) if r["title"] == title)
            reply = self.payloads.list_reply(row["id"], title, description=row.get("description"))
            return await self.sends(reply)
        return await self.sends(self.payloads.button_reply(buttons_of(last)[title], title))

    async def hears(self) -> list[dict[str, Any]]:
        """What the bot sent since the last time: the outbox delivered to the fake."""
        await deliver(self.client, self.clock)
        messages = self.fake.sent_messages(self.payloads.wa_id)
        new, self.seen = messages[self.seen :], len(messages)
        return new


@pytest.fixture
def citizen(wa_client, fake_whatsapp, payloads, clock) -> Citizen:
    return Citizen(wa_client, fake_whatsapp, payloads, clock)


# -- settings --------------------------------------------------------------------------------


def test_whatsapp_settings_come_from_the_environment_with_the_graph_default(tmp_path):
    env = {
        "LAPOR_DATA_DIR": str(tmp_path),
        "WHATSAPP_TOKEN": "tok-XyZ",
        "WHATSAPP_APP_SECRET": "sec-XyZ",
        "WHATSAPP_VERIFY_TOKEN": "ver",
        "WHATSAPP_PHONE_NUMBER_ID": "1099",
    }
    settings = settings_from_env(env)
    assert settings.whatsapp_enabled
    assert (settings.whatsapp_phone_number_id, settings.whatsapp_api_base) == (
        "1099",
        "https://graph.facebook.com/v21.0",
    )
    assert "tok-XyZ" not in repr(settings) and "sec-XyZ" not in repr(settings)


def test_half_a_whatsapp_configuration_is_refused_naming_what_is_missing(tmp_path):
    env = {"LAPOR_DATA_DIR": str(tmp_path), "WHATSAPP_TOKEN": "tok"}
    with pytest.raises(SettingsError) as refused:
        settings_from_env(env)
    message = str(refused.value)
    assert "WHATSAPP_APP_SECRET" in message and "WHATSAPP_PHONE_NUMBER_ID" in message


def test_without_whatsapp_settings_whatsapp_is_off(tmp_path):
    assert not settings_from_env({"LAPOR_DATA_DIR": str(tmp_path)}).whatsapp_enabled


async def test_without_whatsapp_settings_no_webhook_is_served(client):
    response = await client.get(WEBHOOK_PATH, params={"hub.mode": "subscribe"})
    assert response.status in (404, 405)


async def test_the_openapi_document_describes_the_whatsapp_webhook_when_served(wa_client):
    document = await (await wa_client.get("/api/openapi.json")).json()
    described = {(method, path) for path, item in document["paths"].items() for method in item}
    assert described == route_set(wa_client.app)
    assert {("get", WEBHOOK_PATH), ("post", WEBHOOK_PATH)} <= described


# -- verification ----------------------------------------------------------------------------


async def test_meta_verification_with_the_right_token_echoes_the_challenge(wa_client):
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    response = await wa_client.get(WEBHOOK_PATH, params=query)
    assert response.status == 200
    assert response.content_type == "text/plain"
    assert await response.text() == "1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
    ],
)
async def test_verification_without_the_right_token_and_mode_is_forbidden(wa_client, query):
    response = await wa_client.get(WEBHOOK_PATH, params=query)
    assert response.status == 403
    assert response.content_type == "application/problem+json"
    assert await response.text() != "1"


# -- signatures ------------------------------------------------------------------------------


def test_a_signature_is_valid_only_for_the_same_body_and_secret():
    body = b'{"object":"whatsapp_business_account"}'
    good = signed_headers(body, APP_SECRET)["X-Hub-Signature-256"]
    assert signature_valid(body, good, APP_SECRET)
    assert not signature_valid(body + b" ", good, APP_SECRET)
    assert not signature_valid(body, good, "another-secret")
    assert not signature_valid(body, good.removeprefix("sha256="), APP_SECRET)
    assert not signature_valid(body, None, APP_SECRET)


@pytest.mark.parametrize("signature", ["missing", "wrong", "other body"])
async def test_an_unsigned_or_badly_signed_webhook_is_refused_and_nothing_stored(
    wa_client, payloads, signature
):
    payload = payloads.text(DESCRIPTION)
    body = encode(payload)
    if signature == "missing":
        headers = {"Content-Type": "application/json"}
    elif signature == "wrong":
        headers = signed_headers(body, "not-the-app-secret")
    else:  # signed over the JSON re-serialized, not the bytes sent
        headers = signed_headers(json.dumps(payload).encode(), APP_SECRET)
    response = await post(wa_client, body, headers=headers)
    assert response.status == (401 if signature == "missing" else 403)
    assert response.content_type == "application/problem+json"
    assert await stored(wa_client) == NOTHING


async def test_a_signed_body_that_is_not_json_is_a_bad_request_and_nothing_stored(wa_client):
    response = await post(wa_client, b'{"entry": [')
    assert response.status == 400
    assert response.content_type == "application/problem+json"
    assert await stored(wa_client) == NOTHING


async def test_status_callbacks_are_acknowledged_and_ignored(wa_client, payloads):
    for status in ("sent", "delivered", "read"):
        response = await post(wa_client, payloads.status("wamid.OUTBOUND1", status))
        assert response.status == 200
    assert await stored(wa_client) == NOTHING


# -- parsing ---------------------------------------------------------------------------------


def test_a_text_becomes_text_from_the_sender_with_their_profile_name(payloads):
    payload = payloads.text("jalan rusak")
    [incoming] = parse_webhook(payload)
    assert (incoming.channel, incoming.chat_id, incoming.message_id) == (
        "whatsapp",
        WA_ID,
        payloads.message_id(payload),
    )
    assert (incoming.kind, incoming.text, incoming.sender_name) == (
        "text",
        "jalan rusak",
        "Budi Santoso",
    )


def test_a_slash_command_keeps_its_name_and_argument_and_plain_words_stay_text(payloads):
    [status] = parse_webhook(payloads.text("/Status ABCDE-FGH12"))
    assert (status.kind, status.command, status.text) == ("command", "status", "ABCDE-FGH12")
    [bare] = parse_webhook(payloads.text("/lapor"))
    assert (bare.kind, bare.command, bare.text) == ("command", "lapor", None)
    [word] = parse_webhook(payloads.text("batal"))
    assert (word.kind, word.text, word.command) == ("text", "batal", None)


def test_a_location_carries_its_coordinates(payloads):
    [incoming] = parse_webhook(payloads.location(-6.2349, 106.9896, name="Pasar Kranji"))
    assert (incoming.kind, incoming.latitude, incoming.longitude) == (
        "location",
        -6.2349,
        106.9896,
    )


def test_an_image_is_a_photo_referred_to_by_its_media_id_with_its_caption(payloads):
    [incoming] = parse_webhook(payloads.image("9001", caption="lubangnya dalam"))
    assert (incoming.kind, incoming.photo_ref, incoming.text) == (
        "photo",
        "9001",
        "lubangnya dalam",
    )


def test_an_image_sent_as_a_document_is_a_photo_and_a_pdf_is_not(payloads):
    payload = payloads.image("9002")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["type"] = "document"
    message["document"] = {**message.pop("image"), "filename": "IMG_1.jpg"}
    [photo] = parse_webhook(payload)
    assert (photo.kind, photo.photo_ref) == ("photo", "9002")
    message["document"]["mime_type"] = "application/pdf"
    [pdf] = parse_webhook(payload)
    assert pdf.kind == "unsupported"


def test_button_and_list_replies_are_choices_with_the_reply_id(payloads):
    [button] = parse_webhook(payloads.button_reply("lapor:next:1", "Lanjut"))
    [row] = parse_webhook(payloads.list_reply("bahasa:en", "English"))
    assert (button.kind, button.choice) == ("choice", "lapor:next:1")
    assert (row.kind, row.choice) == ("choice", "bahasa:en")


@pytest.mark.parametrize(
    "build", [lambda p: p.sticker(), lambda p: p.audio(), lambda p: p.unsupported()]
)
def test_stickers_voice_notes_and_unknown_types_are_unsupported_in_the_senders_chat(
    payloads, build
):
    [incoming] = parse_webhook(build(payloads))
    assert (incoming.kind, incoming.chat_id) == ("unsupported", WA_ID)


def test_every_message_of_a_batch_is_parsed_in_order_and_statuses_give_nothing(payloads):
    first, second = payloads.text("satu"), payloads.text("dua")
    batch = first
    batch["entry"].append(second["entry"][0])
    batch["entry"][0]["changes"].append(payloads.status("wamid.X")["entry"][0]["changes"][0])
    assert [i.text for i in parse_webhook(batch)] == ["satu", "dua"]
    assert parse_webhook(payloads.status("wamid.X", "read")) == []


def test_messages_to_another_business_number_are_left_out(payloads):
    other = PayloadFactory(phone_number_id="999", wa_id=WA_ID).text("halo")
    assert parse_webhook(other, phone_number_id="1234567890") == []
    assert len(parse_webhook(payloads.text("halo"), phone_number_id="1234567890")) == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"entry": "x"},
        {"entry": [{"changes": [{"value": {"messages": [{"type": "text"}]}}]}]},
        {"entry": [{"changes": [{"value": None}]}]},
    ],
)
def test_parts_not_shaped_like_metas_are_skipped(payload):
    assert parse_webhook(payload) == []


# -- rendering and sending -------------------------------------------------------------------


def test_a_text_without_buttons_is_a_text_message():
    [message] = render(WA_ID, {"text": "Terima kasih", "buttons": []})
    assert message == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": WA_ID,
        "type": "text",
        "text": {"body": "Terima kasih", "preview_url": False},
    }


def test_up_to_three_buttons_are_reply_buttons_with_the_data_as_id():
    buttons = [["Ya", "lapor:rahasia_yes:1"], ["Tidak", "lapor:rahasia_no:1"], ["Batal", "c"]]
    [message] = render(WA_ID, {"text": "Rahasia?", "buttons": buttons})
    interactive = message["interactive"]
    assert (message["type"], interactive["type"], interactive["body"]) == (
        "interactive",
        "button",
        {"text": "Rahasia?"},
    )
    assert buttons_of(message) == {
        "Ya": "lapor:rahasia_yes:1",
        "Tidak": "lapor:rahasia_no:1",
        "Batal": "c",
    }


def test_more_than_three_choices_become_a_list():
    buttons = [[f"Pilihan {n}", f"survey:{n}"] for n in range(1, 6)]
    [message] = render(WA_ID, {"text": "Seberapa puas?", "buttons": buttons})
    assert message["interactive"]["type"] == "list"
    assert list(buttons_of(message).values()) == [f"survey:{n}" for n in range(1, 6)]


def test_a_label_too_long_for_a_button_makes_a_list_whose_row_shows_the_whole_label():
    buttons = [["Tidak ada", "survey:1:8:1"], ["Ada tetapi tidak berfungsi", "survey:1:8:2"]]
    [message] = render(WA_ID, {"text": "Pengaduan?", "buttons": buttons})
    assert message["interactive"]["type"] == "list"
    assert rows_of(message) == [
        {"id": "survey:1:8:1", "title": "Tidak ada"},
        {
            "id": "survey:1:8:2",
            "title": "Ada tetapi tidak…",
            "description": "Ada tetapi tidak berfungsi",
        },
    ]


def test_a_single_word_longer_than_a_row_is_cut_inside_it():
    [message] = render(WA_ID, {"text": "?", "buttons": [["x" * 30, "a"], ["b", "b"]]})
    [long_row, _] = rows_of(message)
    assert (long_row["title"], long_row["description"]) == ("x" * 23 + "…", "x" * 30)


def test_two_buttons_with_the_same_label_become_a_list_meta_would_accept():
    [message] = render(WA_ID, {"text": "?", "buttons": [["Ya", "a"], ["Ya", "b"]]})
    assert message["interactive"]["type"] == "list"
    assert [row["id"] for row in rows_of(message)] == ["a", "b"]


def test_a_text_too_long_for_buttons_goes_first_and_the_question_carries_the_buttons():
    summary = "Keterangan: " + "x" * 1500
    question = "Tekan Kirim untuk mengirim."
    text_part, with_buttons = render(
        WA_ID, {"text": f"{summary}\n\n{question}", "buttons": [["Kirim", "send"]]}
    )
    assert text_part["text"]["body"] == summary
    assert body_text(with_buttons) == question


async def test_the_sender_posts_text_and_buttons_that_the_graph_api_accepts(graph, fake_whatsapp):
    sender = WhatsAppSender(graph)
    await sender.send(WA_ID, {"text": "Halo", "buttons": []})
    await sender.send(WA_ID, {"text": "Lanjut?", "buttons": [["Lanjut", "n"], ["Batal", "c"]]})
    list_buttons = [[f"Kategori nomor {n}", f"k:{n}"] for n in range(12)]
    await sender.send(WA_ID, {"text": "Pilih", "buttons": list_buttons})
    sent = fake_whatsapp.sent_messages(WA_ID)
    assert [m["type"] for m in sent] == ["text", "interactive", "interactive"]
    assert [m["interactive"]["type"] for m in sent[1:]] == ["button", "list"]
    assert all(not call.failed for call in fake_whatsapp.calls)


async def test_a_long_text_with_buttons_arrives_as_text_then_the_buttons(graph, fake_whatsapp):
    summary = "Keterangan: " + " ".join(["jalan berlubang"] * 100)
    payload = {"text": f"{summary}\n\nTekan Kirim.", "buttons": [["Kirim", "s"], ["Batal", "c"]]}
    await WhatsAppSender(graph).send(WA_ID, payload)
    text, buttons = fake_whatsapp.sent_messages(WA_ID)
    assert text["text"]["body"] == summary
    assert (body_text(buttons), list(buttons_of(buttons))) == ("Tekan Kirim.", ["Kirim", "Batal"])


async def test_a_server_error_is_retried_as_a_plain_failure(graph, fake_whatsapp):
    fake_whatsapp.fail_next("messages", status=500)
    with pytest.raises(GraphError) as failed:
        await WhatsAppSender(graph).send(WA_ID, {"text": "Halo"})
    assert not isinstance(failed.value, RetryAfter | PermanentFailure)
    assert "131000" in str(failed.value)


async def test_a_gateway_error_without_graphs_transient_flag_is_retried_too(graph, fake_whatsapp):
    fake_whatsapp.inject("messages", Failure(502, {"error": {"message": "Bad gateway"}}), 1)
    with pytest.raises(GraphError) as failed:
        await WhatsAppSender(graph).send(WA_ID, {"text": "Halo"})
    assert not isinstance(failed.value, RetryAfter | PermanentFailure)


async def test_a_rate_limit_asks_the_outbox_to_wait(graph, fake_whatsapp):
    fake_whatsapp.rate_limit_next("messages")
    with pytest.raises(RetryAfter) as limited:
        await WhatsAppSender(graph).send(WA_ID, {"text": "Halo"})
    assert limited.value.seconds == DEFAULT_RETRY_AFTER


async def test_a_rate_limit_waits_as_long_as_its_retry_after_header_says(graph, fake_whatsapp):
    fake_whatsapp.rate_limit_next("messages", retry_after=7)
    with pytest.raises(RetryAfter) as limited:
        await WhatsAppSender(graph).send(WA_ID, {"text": "Halo"})
    assert limited.value.seconds == 7


async def test_an_expired_token_kills_no_message(graph, fake_whatsapp):
    fake_whatsapp.fail_next(
        "messages", status=401, code=190, message="Error validating access token: expired"
    )
    with pytest.raises(GraphError) as failed:
        await WhatsAppSender(graph).send(WA_ID, {"text": "Halo"})
    assert not isinstance(failed.value, RetryAfter | PermanentFailure)


async def test_a_text_and_its_buttons_cut_off_half_way_resume_at_the_buttons(graph, fake_whatsapp):
    summary = "Keterangan: " + " ".join(["jalan berlubang"] * 100)
    payload = {"text": f"{summary}\n\nTekan Kirim.", "buttons": [["Kirim", "s"], ["Batal", "c"]]}
    sender = WhatsAppSender(graph)
    original = graph.post_message
    tries = 0

    async def second_fails(body):
        nonlocal tries
        tries += 1
        if tries == 2:
            fake_whatsapp.fail_next("messages", status=503)
        await original(body)

    graph.post_message = second_fails
    with pytest.raises(PartlySent) as cut:
        await sender.send(WA_ID, payload)
    assert cut.value.parts_sent == 1 and isinstance(cut.value.error, GraphError)
    graph.post_message = original
    await sender.send(WA_ID, {**payload, "parts_sent": 1})
    calls = fake_whatsapp.calls_to("messages", include_failed=True)
    assert [(c.params["type"], c.status) for c in calls] == [
        ("text", 200),
        ("interactive", 503),
        ("interactive", 200),  # the text is not sent again
    ]


async def test_a_rate_limit_code_answered_with_400_is_still_a_rate_limit(graph, fake_whatsapp):
    fake_whatsapp.fail_next("messages", status=400, code=131056, message="(#131056) pair limit")
    with pytest.raises(RetryAfter):
        await WhatsAppSender(graph).send(WA_ID, {"text": "Halo"})


async def test_a_refused_message_fails_for_good_with_graphs_message_kept(graph, fake_whatsapp):
    # (131047, the closed 24-hour window, is no refusal of the message: tests/test_whatsapp_window.py)
    fake_whatsapp.fail_next(
        "messages", status=400, code=131026, message="(#131026) Message Undeliverable"
    )
    with pytest.raises(PermanentFailure) as refused:
        await WhatsAppSender(graph).send(WA_ID, {"text": "Halo"})
    assert "Message Undeliverable" in str(refused.value)


async def test_an_unreachable_graph_api_is_a_plain_failure(unused_tcp_port):
    settings = Settings(
        whatsapp_token="t",
        whatsapp_app_secret="s",
        whatsapp_verify_token="v",
        whatsapp_phone_number_id="1",
        whatsapp_api_base=f"http://127.0.0.1:{unused_tcp_port}/v21.0",
    )
    async with Graph(settings).open() as graph:
        with pytest.raises(aiohttp.ClientError):
            await WhatsAppSender(graph).send(WA_ID, {"text": "Halo"})


# -- media -----------------------------------------------------------------------------------


async def test_media_is_looked_up_then_downloaded_with_the_token(graph, fake_whatsapp):
    photo = png_bytes(seed=3)
    fake_whatsapp.add_media("9001", photo, "image/png")
    assert await WhatsAppMedia(graph).fetch("9001") == photo
    assert [c.method for c in fake_whatsapp.calls] == ["media", "media-download"]


async def test_unknown_media_fails_the_fetch(graph):
    with pytest.raises(GraphError):
        await WhatsAppMedia(graph).fetch("404404")


async def test_media_larger_than_allowed_is_refused_before_downloading(graph, fake_whatsapp):
    fake_whatsapp.add_media("9003", b"\xff\xd8" + b"x" * 2000)
    with pytest.raises(PayloadTooLarge):
        await WhatsAppMedia(graph, max_bytes=1000).fetch("9003")
    assert [c.method for c in fake_whatsapp.calls] == ["media"]


async def test_a_download_stops_once_it_passes_the_limit(graph, fake_whatsapp):
    fake_whatsapp.add_media("9004", b"\xff\xd8" + b"x" * 200_000)
    url, _ = await graph.media_url("9004")
    with pytest.raises(PayloadTooLarge):
        await graph.download(url, 100_000)


# -- the dialogue through the webhook --------------------------------------------------------


async def turns_to_code(citizen: Citizen, *turns) -> int:
    """Send the citizen's turns (a payload, or a button title to tap) until a reply carries a
    tracking code; how many it took."""
    for number, turn in enumerate(turns, start=1):
        await (citizen.taps(turn) if isinstance(turn, str) else citizen.sends(turn))
        if any("Kode pelacakan" in body_text(reply) for reply in await citizen.hears()):
            return number
    raise AssertionError(f"no tracking code after {len(turns)} turns")


async def test_a_report_takes_at_most_four_turns_through_the_webhook(
    wa_client, fake_whatsapp, clock
):
    def citizen_on(wa_id: str) -> Citizen:
        return Citizen(wa_client, fake_whatsapp, PayloadFactory(wa_id=wa_id), clock)

    photo = png_bytes(seed=7)
    fake_whatsapp.add_media("9001", photo, "image/png")
    fake_whatsapp.add_media("9002", png_bytes(seed=8), "image/png")
    by_location, by_address, with_photo, captioned = (
        citizen_on(f"62812000000{n}") for n in range(1, 5)
    )

    turns = [
        await turns_to_code(
            by_location,
            by_location.payloads.text(PLACELESS),
            by_location.payloads.location(-6.2349, 106.9896),
            "Kirim",
        ),
        await turns_to_code(by_address, by_address.payloads.text(DESCRIPTION), "Kirim"),
        await turns_to_code(
            with_photo,
            with_photo.payloads.text(DESCRIPTION),
            with_photo.payloads.image("9001", mime_type="image/png", data=photo),
            "Kirim",
        ),
        await turns_to_code(
            captioned, captioned.payloads.image("9002", caption=DESCRIPTION), "Kirim"
        ),
    ]

    assert turns == [3, 2, 3, 2]  # the old dialogue took eight
    async with wa_client.app[SERVICES].pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT r.chat_id, r.name, c.body, c.latitude, c.longitude, c.rahasia, c.anonim,
                      (SELECT count(*) FROM complaint_photo p WHERE p.complaint_id = c.id) AS photos
               FROM complaint c JOIN reporter r ON r.id = c.reporter_id ORDER BY r.chat_id"""
        )
    assert [(r["body"], r["photos"]) for r in rows] == [
        (PLACELESS, 0),
        (DESCRIPTION, 0),
        (DESCRIPTION, 1),
        (DESCRIPTION, 1),
    ]
    assert (rows[0]["latitude"], rows[0]["longitude"]) == (-6.2349, 106.9896)
    # Nobody was asked about privacy: the city's defaults (not rahasia; anonim, so no name).
    assert {(r["rahasia"], r["anonim"], r["name"]) for r in rows} == {(False, True, None)}
    summaries = [m for m in fake_whatsapp.sent_messages("628120000002") if m["type"] != "text"]
    assert "Ringkasan laporan Anda" in body_text(summaries[0])
    assert list(buttons_of(summaries[0])) == ["Kirim", "Ubah", "Batal"]
    assert [c.params["media_id"] for c in fake_whatsapp.calls_to("media")] == ["9001", "9002"]


async def test_after_filing_a_question_is_a_note_and_status_needs_no_code(
    citizen, wa_client, clock
):
    await citizen.says(f"Assalamualaikum pak, {DESCRIPTION}")
    [summary] = await citizen.hears()
    assert body_text(summary).startswith("Wa'alaikumsalam")
    await citizen.taps("Kirim")
    await citizen.hears()
    async with wa_client.app[SERVICES].pool.acquire() as conn:
        code, body = await conn.fetchrow("SELECT tracking_code, body FROM complaint")
    assert body == DESCRIPTION  # the salam answered, not kept

    await citizen.says("Assalamualaikum pak, kapan dikerjakan?")
    [noted] = await citizen.hears()
    await citizen.says("cek status")
    [listed] = await citizen.hears()

    shown = tracking.display(code)
    assert body_text(noted) == "\n\n".join(
        [
            strings.text("id", "reply_salam"),
            strings.text("id", "chat.note_added", code=shown, label=i18n.t("status.received")),
        ]
    )
    assert body_text(listed).startswith(strings.text("id", "chat.open_reports"))
    assert shown in body_text(listed)
    async with wa_client.app[SERVICES].pool.acquire() as conn:
        notes = await conn.fetch(
            "SELECT internal_note, data FROM complaint_event WHERE kind = 'citizen_note'"
        )
        complaints = await conn.fetchval("SELECT count(*) FROM complaint")
    assert [(n["internal_note"], n["data"]) for n in notes] == [
        ("kapan dikerjakan?", {"channel": "whatsapp"})
    ]
    assert complaints == 1
    public = await (await wa_client.get(f"/api/v1/complaints/{code}")).json()
    assert [event["kind"] for event in public["timeline"]] == ["received"]


async def test_a_citizen_looks_up_a_complaint_by_its_code(citizen, wa_client):
    filed = await file(wa_client)
    code = tracking.display(filed["tracking_code"])

    await citizen.says(f"/status {code}")
    [answer] = await citizen.hears()

    assert answer["type"] == "text"
    assert f"Laporan {code}" in answer["text"]["body"]
    assert "Status:" in answer["text"]["body"]


async def test_a_mistyped_code_is_answered_as_a_typo(citizen, wa_client):
    code = tracking.display((await file(wa_client))["tracking_code"])
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")

    await citizen.says(f"/status {typo}")
    [answer] = await citizen.hears()

    assert "salah ketik" in answer["text"]["body"]


async def test_typing_batal_cancels_the_draft_and_files_nothing(citizen, wa_client):
    await citizen.says(DESCRIPTION)
    await citizen.hears()

    await citizen.says("batal")
    [answer] = await citizen.hears()

    assert "sudah dibatalkan" in body_text(answer)
    async with wa_client.app[SERVICES].pool.acquire() as conn:
        state = await conn.fetchval("SELECT state FROM bot_conversation WHERE chat_id = $1", WA_ID)
    assert state == "idle"
    assert (await stored(wa_client))["complaint"] == 0


# -- redelivery ------------------------------------------------------------------------------


async def test_a_message_delivered_twice_is_answered_once(citizen, wa_client, payloads):
    payload = payloads.text(DESCRIPTION)
    await citizen.sends(payload)
    await citizen.sends(payload)

    replies = await citizen.hears()

    assert len(replies) == 1
    assert (await stored(wa_client))["bot_delivery"] == 1


async def test_kirim_delivered_a_hundred_times_at_once_files_one_complaint_with_one_answer(
    citizen, wa_client, payloads
):
    await citizen.says(DESCRIPTION)
    await citizen.hears()
    last = citizen.fake.sent_messages(WA_ID)[-1]
    kirim = encode(payloads.button_reply(buttons_of(last)["Kirim"], "Kirim"))

    responses = await asyncio.gather(*(post(wa_client, kirim) for _ in range(100)))

    assert {response.status for response in responses} == {200}
    replies = await citizen.hears()
    assert len(replies) == 1
    assert "Kode pelacakan" in body_text(replies[0])
    assert (await stored(wa_client))["complaint"] == 1


# -- WhatsApp failing ------------------------------------------------------------------------


async def test_a_reply_refused_by_a_server_error_arrives_once_whatsapp_recovers(
    citizen, wa_client, fake_whatsapp, clock
):
    fake_whatsapp.fail_next("messages", status=500)
    await citizen.says(DESCRIPTION)

    assert await deliver(wa_client, clock) == 0
    assert fake_whatsapp.sent_messages(WA_ID) == []

    clock.advance(timedelta(minutes=1))
    assert await deliver(wa_client, clock) == 1
    [reply] = fake_whatsapp.sent_messages(WA_ID)
    assert "Ringkasan laporan Anda" in body_text(reply)
    async with wa_client.app[SERVICES].pool.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM outbox") == "sent"


async def test_a_rate_limited_reply_waits_as_asked_then_arrives(
    citizen, wa_client, fake_whatsapp, clock
):
    fake_whatsapp.rate_limit_next("messages")
    await citizen.says(DESCRIPTION)

    assert await deliver(wa_client, clock) == 0
    clock.advance(timedelta(seconds=DEFAULT_RETRY_AFTER - 1))
    assert await deliver(wa_client, clock) == 0  # not yet due: WhatsApp asked for a minute
    clock.advance(timedelta(seconds=2))
    assert await deliver(wa_client, clock) == 1
    assert len(fake_whatsapp.sent_messages(WA_ID)) == 1


async def test_the_app_delivers_replies_itself_when_no_senders_are_given(
    wa_settings, clock, aiohttp_client, fake_whatsapp, payloads
):
    client = await aiohttp_client(create_app(wa_settings, clock=clock))
    message = payloads.text(DESCRIPTION)
    fake_whatsapp.inbound(message)

    response = await post(client, message)

    assert response.status == 200
    call = await fake_whatsapp.wait_for("messages")
    assert call.params["to"] == WA_ID


# -- unexpected input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "answer"),
    [
        (lambda p: p.sticker(), "jenis pesan ini belum bisa kami proses"),
        (lambda p: p.audio(), "jenis pesan ini belum bisa kami proses"),
        (lambda p: p.unsupported(), "jenis pesan ini belum bisa kami proses"),
        (lambda p: p.text("x" * 10_000), "pesan itu terlalu panjang"),
        (lambda p: p.text("😀🙏👍"), "belum memahami pesan itu"),
    ],
)
async def test_unexpected_input_gets_a_polite_answer_and_the_draft_survives(
    citizen, wa_client, payloads, build, answer
):
    await citizen.says(DESCRIPTION)
    await citizen.hears()

    await citizen.sends(build(payloads))
    [reply] = await citizen.hears()

    assert body_text(reply).startswith("Maaf")
    assert answer in body_text(reply)
    async with wa_client.app[SERVICES].pool.acquire() as conn:
        row = await conn.fetchrow("SELECT state, draft FROM bot_conversation")
    assert row["state"] == "confirm"
    assert row["draft"]["text"] == DESCRIPTION
    await citizen.taps("Kirim")
    [next_step] = await citizen.hears()
    assert "Kode pelacakan" in body_text(next_step)


async def test_a_photo_over_5_mb_is_refused_without_downloading_and_the_draft_survives(
    citizen, wa_client, fake_whatsapp, payloads
):
    fake_whatsapp.add_media("9100", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 1))
    await citizen.says(DESCRIPTION)
    await citizen.hears()

    await citizen.sends(payloads.image("9100"))
    [reply] = await citizen.hears()

    assert body_text(reply).startswith(strings.text("id", "photo_too_large"))
    assert fake_whatsapp.calls_to("media-download") == []
    async with wa_client.app[SERVICES].pool.acquire() as conn:
        row = await conn.fetchrow("SELECT state, draft FROM bot_conversation")
    assert (row["state"], row["draft"]["text"], row["draft"]["photos"]) == (
        "confirm",
        DESCRIPTION,
        [],
    )


async def test_a_photo_whose_size_meta_does_not_state_is_refused_once_it_passes_5_mb(
    citizen, wa_client, fake_whatsapp, payloads
):
    big = b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 1)
    fake_whatsapp.add_media("9101", big, states_size=False)
    await citizen.says(DESCRIPTION)
    await citizen.hears()

    await citizen.sends(payloads.image("9101"))
    [reply] = await citizen.hears()

    assert body_text(reply).startswith(strings.text("id", "photo_too_large"))
    assert len(fake_whatsapp.calls_to("media-download")) == 1
    await citizen.taps("Kirim")  # the report goes on where it was
    [next_step] = await citizen.hears()
    assert "Kode pelacakan" in body_text(next_step)


# -- the satisfaction survey -----------------------------------------------------------------


async def files_through_the_bot(citizen: Citizen) -> str:
    await citizen.says(DESCRIPTION)
    await citizen.hears()
    await citizen.taps("Kirim")
    await citizen.hears()
    async with citizen.client.app[SERVICES].pool.acquire() as conn:
        return await conn.fetchval("SELECT tracking_code FROM complaint")


ROAD = ("U2", "U3", "U5", "U6", "U7", "U8", "U9")  # no persyaratan, no biaya for a road


async def test_a_survey_asks_one_question_then_offers_the_elements_as_lists_within_metas_limits(
    citizen, wa_client, fake_whatsapp, clock
):
    code = await files_through_the_bot(citizen)
    await resolve_and_invite(wa_client.app[SERVICES], clock, code)
    *_updates, invitation = await citizen.hears()  # the status updates, then the survey
    assert invitation["interactive"]["type"] == "list"  # six answers: a list
    first = rows_of(invitation)
    assert [row["title"] for row in first] == [
        "Sudah, sangat puas",
        "Sudah, puas",
        "Sudah, kurang puas",
        "Sudah, tidak puas",
        "Belum selesai",
        "Tidak tahu",
    ]
    assert all(len(row["title"]) <= 24 for row in first)
    await citizen.taps("Sudah, puas")
    [offer] = await citizen.hears()
    assert list(buttons_of(offer)) == ["Ya, isi survei", "Tidak, cukup"]
    await citizen.taps("Ya, isi survei")

    for number, element in enumerate(ROAD, start=1):
        [question] = await citizen.hears()
        interactive = question["interactive"]
        assert interactive["type"] == "list"
        assert body_text(question).startswith(f"Pertanyaan {number} dari 7")
        rows = rows_of(question)
        labels = ikm.ANSWER_LABELS[element]
        assert [row["id"].rsplit(":", 1)[1] for row in rows] == ["1", "2", "3", "4"]
        assert all(len(row["title"]) <= 24 for row in rows)
        # the whole label is shown: as the title, or as the description under a shortened one
        assert [row.get("description", row["title"]) for row in rows] == list(labels)
        await citizen.taps(rows[3 if number % 2 else 1]["title"])

    assert not any(call.failed for call in fake_whatsapp.calls)  # Meta accepted every list
    [ask_comment] = await citizen.hears()
    assert body_text(ask_comment) == i18n.t("survey.ask_comment")
    await citizen.says("Alhamdulillah sudah rata, terima kasih Pak.")
    [thanks] = await citizen.hears()
    assert body_text(thanks) == i18n.t("survey.thanks")
    [row] = await responses(wa_client)
    assert [row[f"u{n}"] for n in range(1, 10)] == [None, 4, 2, None, 4, 2, 4, 2, 4]
    assert (row["fixed"], row["rating"]) == ("sudah", 3)
    assert row["comment"] == "Alhamdulillah sudah rata, terima kasih Pak."


async def responses(client) -> list:
    async with client.app[SERVICES].pool.acquire() as conn:
        return await conn.fetch("SELECT * FROM survey_response")


# -- Issue 17: an emergency is answered with the city's numbers first.


async def test_an_emergency_on_whatsapp_gets_the_emergency_numbers_before_the_dialogue(citizen):
    await citizen.says("Ada orang tertimpa tiang listrik yang roboh di depan pasar")
    first, second = await citizen.hears()
    assert first["type"] == "text"
    assert body_text(first).startswith("Jika ada kebakaran, bangunan roboh atau orang terluka")
    assert "112 (Panggilan Darurat)" in body_text(first)
    assert list(buttons_of(second)) == ["Kirim", "Ubah", "Batal"]  # the report goes on as usual
