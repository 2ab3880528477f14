"""WhatsApp inside Meta's rules (issue 16 §1): free text only within 24 hours of the citizen's
last message, templates (as docs/whatsapp-templates.md tells a city to submit them) outside
it, decided when the outbox sends. Through the real webhook, outbox and WhatsAppSender against
the fake Graph API, which refuses what Meta refuses; the clock is the test's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import FakeWhatsApp, PayloadFactory
from helpers import assert_month_ikm_counts
from test_bots_whatsapp import (
    DESCRIPTION,
    ROAD,
    WA_ID,
    Citizen,
    body_text,
    files_through_the_bot,
    rows_of,
    whatsapp_fields,
)
from wa_templates import approve_documented, documented_templates

from bots import conversations
from bots.whatsapp import Graph, WhatsAppSender
from bots.whatsapp_inbound import last_written
from lapor import auth, i18n, lifecycle, surveys, tracking, whatsapp_window
from lapor.city import WhatsAppTemplates
from lapor.city.values import WHATSAPP_TEMPLATE_KEYS
from lapor.message_templates import PURPOSES, STATUS, form, param
from lapor.outbox import Dropped, PermanentFailure
from lapor.settings import Settings
from lapor.web.app import create_app
from lapor.web.keys import SERVICES


@pytest.fixture
def payloads(clock) -> PayloadFactory:
    return PayloadFactory(
        wa_id=WA_ID, phone_number_id="1234567890", clock=lambda: clock.now().timestamp()
    )


@pytest.fixture
async def wa_client(settings, fake_whatsapp, clock, aiohttp_client):
    approve_documented(fake_whatsapp)
    wa_settings = replace(settings, **whatsapp_fields(fake_whatsapp))
    return await aiohttp_client(create_app(wa_settings, clock=clock, senders={}))


@pytest.fixture
def citizen(wa_client, fake_whatsapp, payloads, clock) -> Citizen:
    return Citizen(wa_client, fake_whatsapp, payloads, clock)


def body_params(message: dict) -> list[str]:
    [body] = [c for c in message["template"]["components"] if c["type"] == "body"]
    return [p["text"] for p in body["parameters"]]


def quick_replies(message: dict) -> list[str]:
    buttons = [c for c in message["template"]["components"] if c["type"] == "button"]
    return [b["parameters"][0]["payload"] for b in buttons]


async def admin_of(services):
    async with services.pool.acquire() as conn:
        return await auth.create_officer(conn, "admin", "Admin Kota", "admin", None)


def test_the_documented_templates_are_the_ones_lapor_sends():
    documented = {(t.name, t.language): t for t in documented_templates()}
    names = WhatsAppTemplates()
    assert set(WHATSAPP_TEMPLATE_KEYS) == set(PURPOSES)
    for key, purpose in PURPOSES.items():
        for language in i18n.LANGUAGES:
            template = documented[(names.name(key), language)]
            assert template.body_params == len(purpose.params) == len(template.sample)
            assert len(template.quick_replies) == len(purpose.quick_replies)
            # Meta refuses a body that begins or ends with a parameter
            assert not template.body.startswith("{{") and not template.body.endswith("}}")
    assert len(documented) == 2 * len(PURPOSES)
    # a parameter is one line, and the agency's note is shortened at a word
    assert param("Sudah\n\nditambal    rapi") == "Sudah ditambal rapi"
    assert param("kata " * 100, 30) == "kata kata kata kata kata kata…"


def test_a_window_is_counted_from_the_messages_own_time_and_closes_before_meta_does(clock):
    now = clock.now()
    payload = PayloadFactory(wa_id="6281100", clock=lambda: now.timestamp() - 3600).text("halo")
    payload["entry"][0]["changes"][0]["value"]["messages"].append(
        {"from": "6281100", "id": "wamid.2", "timestamp": str(int(now.timestamp())), "type": "x"}
    )
    assert last_written(payload) == {"6281100": now.replace(microsecond=0)}
    assert last_written(PayloadFactory().status("wamid.1")) == {}  # our own message's receipt
    assert whatsapp_window.is_open(now, now + timedelta(hours=23, minutes=54))
    assert not whatsapp_window.is_open(now, now + timedelta(hours=23, minutes=56))
    assert not whatsapp_window.is_open(None, now)


async def test_report_notice_and_survey_reach_a_whatsapp_citizen_days_apart(
    citizen, wa_client, fake_whatsapp, clock
):
    services = wa_client.app[SERVICES]
    code = await files_through_the_bot(citizen)  # Monday 09:00: the replies go as free text
    admin = await admin_of(services)
    verify = lifecycle.ActionRequest("verify", agency="DPUPR", category="jalan")
    await lifecycle.act(services, code, verify, officer=admin)
    [notice] = await citizen.hears()
    assert notice["type"] == "text" and "diverifikasi" in body_text(notice)

    # Thursday: resolved, three days after the citizen last wrote: the status template.
    clock.advance(timedelta(days=3))
    note = "Lubang sudah ditambal.\nTerima kasih   atas laporannya."
    await lifecycle.act(
        services, code, lifecycle.ActionRequest("resolve", note=note), officer=admin
    )
    [notice] = await citizen.hears()
    assert notice["type"] == "template"
    assert (notice["template"]["name"], notice["template"]["language"]["code"]) == (
        "lapor_status",
        "id",
    )
    agency = services.city.agencies["DPUPR"].name
    assert body_params(notice) == [
        tracking.display(code),
        f"telah diselesaikan oleh {agency}",
        "Lubang sudah ditambal. Terima kasih atas laporannya.",
    ]
    assert not any(call.failed for call in fake_whatsapp.calls)  # decided by lapor, not by Meta

    # An hour later the survey, as its template; tapping Sudah opens the window again.
    clock.advance(timedelta(hours=1, minutes=1))
    assert await surveys.send_due_surveys(services) == 1
    [invitation] = await citizen.hears()
    assert invitation["template"]["name"] == "lapor_survey"
    assert body_params(invitation) == [tracking.display(code), "Dinas PUPR"]
    choices = quick_replies(invitation)
    assert [choice.rsplit(":", 1)[1] for choice in choices] == ["sudah", "belum", "tidak_tahu"]

    # Unanswered until Monday: the reminder, as its template; its button asks again.
    clock.advance(timedelta(days=4))
    assert (await surveys.remind_and_expire_surveys(services)).reminded == 1
    [reminder] = await citizen.hears()
    assert reminder["template"]["name"] == "lapor_survey_reminder"
    [resume] = quick_replies(reminder)
    await citizen.sends(citizen.payloads.template_button(resume, "Lanjutkan survei"))
    [again] = await citizen.hears()
    assert again["type"] == "interactive"  # the window is open: the first question, in full
    assert body_text(again) == i18n.t(
        "survey.ask_fixed", code=tracking.display(code), agency="Dinas PUPR"
    )
    # The invitation's own "Sudah" still answers it: recorded at once, without a rating,
    # and the questionnaire is offered, as free text now.
    await citizen.sends(citizen.payloads.template_button(choices[0], "Sudah"))
    [offer] = await citizen.hears()
    assert offer["type"] == "interactive" and "survei" in body_text(offer)
    async with services.pool.acquire() as conn:
        fixed = await conn.fetchval("SELECT fixed FROM survey_response")
    assert fixed == "sudah"
    # The questionnaire, in the open window; the month's IKM counts the answers exactly.
    await citizen.taps("Ya, isi survei")
    scores = dict(zip(ROAD, (4, 3, 2, 4, 3, 4, 1), strict=True))
    for score in scores.values():
        [question] = await citizen.hears()
        await citizen.taps(rows_of(question)[score - 1]["title"])
    [ask_comment] = await citizen.hears()
    assert body_text(ask_comment) == i18n.t("survey.ask_comment")
    await citizen.taps(i18n.t("survey.button_skip"))
    [thanks] = await citizen.hears()
    assert body_text(thanks) == i18n.t("survey.thanks")
    await assert_month_ikm_counts(services, clock.now(), scores)
    assert not any(call.failed for call in fake_whatsapp.calls)


async def test_a_reply_that_waited_past_the_window_is_dropped_not_dead(
    citizen, wa_client, fake_whatsapp, clock
):
    services = wa_client.app[SERVICES]
    await citizen.says(DESCRIPTION)
    await citizen.hears()
    clock.advance(timedelta(hours=24, minutes=1))
    assert await conversations.expire_drafts(services) == 1  # "your draft expired"

    assert await citizen.hears() == []
    async with services.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT status, last_error FROM outbox ORDER BY id DESC LIMIT 1")
        dead = await conn.fetchval("SELECT count(*) FROM outbox WHERE status = 'dead'")
    assert row["status"] == "dropped" and "window is closed" in row["last_error"]
    assert dead == 0
    assert not any(call.failed for call in fake_whatsapp.calls)  # nothing Meta would refuse


@pytest.fixture
async def graph(fake_whatsapp):
    async with Graph(Settings(**whatsapp_fields(fake_whatsapp))).open() as graph:
        yield graph


async def test_the_sender_sends_the_template_when_meta_refuses_text_and_nothing_it_would_refuse(
    graph, fake_whatsapp: FakeWhatsApp
):
    approve_documented(fake_whatsapp, leave_out=("lapor_codes",))
    # The windows not tracked: the free text is tried first.
    sender = WhatsAppSender(graph, templates=WhatsAppTemplates(languages=("id", "en")))
    template = form(STATUS, ["ABCDE-FGH12", "sudah ditutup", "-"], language="en")
    payload = {"text": "Laporan ABCDE-FGH12 sudah ditutup.", "template": template}

    await sender.send("6281299990000", payload)

    first, second = fake_whatsapp.calls_to("messages", include_failed=True)
    assert (first.status, first.response["error"]["code"]) == (400, 131047)
    assert second.status == 200 and second.params["template"]["language"]["code"] == "en"
    sender.use(None, WhatsAppTemplates(languages=("id",)))  # only Indonesian was approved
    await sender.send("6281299990000", payload)
    assert fake_whatsapp.sent_templates()[-1]["language"]["code"] == "id"

    with pytest.raises(Dropped):  # a reply has no template form: nothing Meta would take
        await sender.send("6281299990000", {"text": "Halo"})
    codes = {"text": "Kode", "template": {"purpose": "codes", "params": ["X"], "language": "id"}}
    with pytest.raises(PermanentFailure, match="132001"):  # not approved: dead, error kept
        await sender.send("6281299990000", codes)
    wrong = {**payload, "template": {**template, "params": ["ABCDE-FGH12", "ditutup"]}}
    with pytest.raises(PermanentFailure, match="132000"):
        await sender.send("6281299990000", wrong)
