"""The bots offer similar open reports (bots/dialogue_similar.py) through the real adapters
against the fakes: Telegram's webhook and aiogram, WhatsApp's signed webhooks and Graph API.
A citizen who taps "Saya juga mengalami" supports the report instead of filing, and hears of
its resolution in their chat."""

from __future__ import annotations

import test_bots_telegram as telegram_tests
import test_bots_whatsapp as whatsapp_tests
from helpers import VALID
from test_bots_telegram import Citizen as TelegramCitizen
from test_bots_whatsapp import Citizen as WhatsAppCitizen
from test_bots_whatsapp import body_text, buttons_of

from lapor import lifecycle, support, tracking
from lapor.web.keys import SERVICES

# The adapters' fixtures, as their own tests set them up.
bot, updates = telegram_tests.bot, telegram_tests.updates
tg_settings, tg_client = telegram_tests.tg_settings, telegram_tests.tg_client
payloads = whatsapp_tests.payloads
wa_settings, wa_client = whatsapp_tests.wa_settings, whatsapp_tests.wa_client

ALIKE = "Jalan berlubang besar dan membahayakan pengendara motor, sudah dua minggu."
LAT, LON = VALID["location"]["lat"], VALID["location"]["lon"]


async def published_complaint(client, accounts, **overrides) -> str:
    """An open report at the point, verified (so published) by its agency starting work."""
    response = await client.post("/api/v1/complaints", json={**VALID, **overrides})
    assert response.status == 201, await response.text()
    code = (await response.json())["tracking_code"]
    start = lifecycle.ActionRequest("start")
    await lifecycle.act(client.app[SERVICES], code, start, officer=accounts["dpupr"].officer)
    return code


async def counts(client, code: str) -> tuple[int, int]:
    async with client.app[SERVICES].pool.acquire() as conn:
        return (
            await conn.fetchval("SELECT count(*) FROM complaint"),
            await conn.fetchval(
                "SELECT support_count FROM complaint WHERE tracking_code = $1", code
            ),
        )


async def test_telegram_offers_the_report_nearby_and_the_supporter_hears_its_resolution(
    tg_client, fake_telegram, bot, clock, updates, accounts
):
    code = await published_complaint(tg_client, accounts)
    citizen = TelegramCitizen(tg_client, fake_telegram, bot, clock, updates)
    await citizen.send(updates.text(ALIKE))  # no place named: the bot asks where
    (offer,) = await citizen.send(updates.location(LAT + 0.001, LON))
    assert "\n\nMungkin masalah ini sudah dilaporkan di dekat Anda:\n1. " in offer
    assert tracking.display(code) in offer and "111 m" in offer
    markup = fake_telegram.calls_to("sendMessage")[-1].params["reply_markup"]
    labels = [button["text"] for row in markup["inline_keyboard"] for button in row]
    assert labels == ["Saya juga alami 1", "Tetap laporkan baru"]

    (thanks,) = await citizen.tap("Saya juga alami 1")
    assert thanks.startswith(f"Terima kasih. Anda mendukung laporan {tracking.display(code)}")
    assert await counts(tg_client, code) == (1, 1)  # no new complaint; one supporter
    async with tg_client.app[SERVICES].pool.acquire() as conn:
        complaint_id = await conn.fetchval(
            "SELECT id FROM complaint WHERE tracking_code = $1", code
        )
        (person,) = await support.supporters(conn, complaint_id)
    assert (person["channel"], person["chat_id"]) == ("telegram", citizen.chat)

    resolve = lifecycle.ActionRequest("resolve", note="Lubang sudah ditambal.")
    await lifecycle.act(tg_client.app[SERVICES], code, resolve, officer=accounts["dpupr"].officer)
    await citizen.deliver()
    notice = fake_telegram.sent_messages(citizen.chat)[-1]["text"]
    assert notice.startswith("Kabar laporan yang Anda dukung")
    assert "Lubang sudah ditambal." in notice


async def test_telegram_report_new_anyway_goes_on_to_the_summary_and_files(
    tg_client, fake_telegram, bot, clock, updates, accounts
):
    code = await published_complaint(tg_client, accounts)
    citizen = TelegramCitizen(tg_client, fake_telegram, bot, clock, updates)
    await citizen.send(updates.text(ALIKE))
    await citizen.send(updates.location(LAT, LON))
    (summary,) = await citizen.tap("Tetap laporkan baru")
    assert summary.startswith("Ringkasan laporan Anda:")
    replies = await citizen.tap("Kirim")
    assert any("Kode pelacakan:" in reply for reply in replies)
    assert await counts(tg_client, code) == (2, 0)


async def test_nothing_alike_nearby_goes_straight_to_the_summary(
    tg_client, fake_telegram, bot, clock, updates, accounts
):
    await published_complaint(tg_client, accounts)
    citizen = TelegramCitizen(tg_client, fake_telegram, bot, clock, updates)
    await citizen.send(updates.text(ALIKE))
    (summary,) = await citizen.send(updates.location(LAT + 0.01, LON))  # over a kilometre
    assert "\n\nRingkasan laporan Anda:" in summary


async def test_whatsapp_offers_buttons_and_the_supporter_hears_its_resolution(
    wa_client, fake_whatsapp, payloads, clock, accounts
):
    # Reported by someone else (the citizen's own number would make it their own report).
    code = await published_complaint(wa_client, accounts, reporter={"phone": "081399990000"})
    citizen = WhatsAppCitizen(wa_client, fake_whatsapp, payloads, clock)
    await citizen.says(ALIKE)
    await citizen.hears()
    await citizen.sends(payloads.location(LAT, LON + 0.001))
    (offer,) = await citizen.hears()
    assert tracking.display(code) in body_text(offer)
    assert list(buttons_of(offer)) == ["Saya juga alami 1", "Tetap laporkan baru"]
    await citizen.taps("Saya juga alami 1")
    (thanks,) = await citizen.hears()
    assert body_text(thanks).startswith("Terima kasih. Anda mendukung laporan")
    assert await counts(wa_client, code) == (1, 1)

    resolve = lifecycle.ActionRequest("resolve", note="Lubang sudah ditambal.")
    await lifecycle.act(wa_client.app[SERVICES], code, resolve, officer=accounts["dpupr"].officer)
    (notice,) = await citizen.hears()
    assert "Lubang sudah ditambal." in body_text(notice)
