"""Web reporters can be reached (issue 16 §4), and WhatsApp messages that still die reach a
person (§1): the form asks for a phone or an e-mail and leaves anonim to the citizen; notices
go by WhatsApp template to a phone, by e-mail otherwise; "Lupa kode?" sends the codes to the
contact and tells the page nothing; a template Meta refuses is a dead letter the admin sees,
puts back, and the monthly report counts. Real HTTP: the app's pages and API, the fake Graph
API (approving the templates of docs/whatsapp-templates.md) on loopback."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from fakes import PayloadFactory
from helpers import NO_LIMITS, VALID, Account, assert_month_ikm_counts
from officer_helpers import give_passwords, login, post_form
from test_bots_sms import Phone, sms_fields
from test_bots_whatsapp import ROAD, Citizen, body_text, deliver, rows_of, whatsapp_fields
from test_pages_public_http import GOOD, csrf_token, report_form
from wa_templates import approve_documented

from lapor import auth, i18n, lifecycle, reports, surveys, tracking
from lapor.city import load_city
from lapor.notify import reach
from lapor.web.app import create_app
from lapor.web.keys import SERVICES

PHONE, WA_ID = "0812-3456-7891", "6281234567891"


@pytest.fixture
async def wa_client(settings, fake_whatsapp, clock, aiohttp_client):
    wa_settings = replace(settings, **whatsapp_fields(fake_whatsapp))
    city = replace(load_city("default"), limits=NO_LIMITS)
    return await aiohttp_client(create_app(wa_settings, clock=clock, city=city, senders={}))


@pytest.fixture
async def sms_client(settings, fake_sms, clock, aiohttp_client):
    sms_settings = replace(settings, **sms_fields(fake_sms))
    city = replace(load_city("default"), limits=NO_LIMITS)
    return await aiohttp_client(create_app(sms_settings, clock=clock, city=city, senders={}))


async def admin(services) -> auth.Officer:
    async with services.pool.acquire() as conn:
        officer = await auth.create_officer(conn, "admin", "Admin Kota", "admin", None)
        token = await auth.issue_token(conn, officer.id, now=services.clock.now())
    await give_passwords(services, {"admin": Account(officer, token)})
    return officer


async def start(services, officer, code: str) -> None:
    """The agency takes the complaint up (filed as jalan, it went straight to DPUPR)."""
    await lifecycle.act(services, code, lifecycle.ActionRequest("start"), officer=officer)


async def filed(client, body: dict) -> str:
    response = await client.post("/api/v1/complaints", json=body)
    assert response.status == 201, await response.text()
    return (await response.json())["tracking_code"]


async def outbox(services) -> list:
    async with services.pool.acquire() as conn:
        return await conn.fetch("SELECT * FROM outbox ORDER BY id")


def test_a_phone_reaches_by_whatsapp_when_the_city_has_it_and_else_an_address_by_email():
    # WhatsApp first, then SMS, for a phone; an SMS gateway alone reaches the phone too.
    assert reach("web", None, PHONE, None, {"sms", "whatsapp"}) == ("whatsapp", WA_ID)
    assert reach("web", None, PHONE, "a@contoh.id", {"sms", "email"}) == ("sms", WA_ID)
    assert reach("web", None, PHONE, "a@contoh.id", {"whatsapp", "email"}) == ("whatsapp", WA_ID)
    assert reach("web", None, PHONE, "a@contoh.id", {"email"}) == ("email", "a@contoh.id")
    assert reach("web", None, "+62 812 3456 7891", None, {"whatsapp"}) == ("whatsapp", WA_ID)
    assert reach("web", None, PHONE, None, {"email"}) is None
    assert reach("whatsapp", "6281", None, None, ()) == ("whatsapp", "6281")  # their chat


async def test_a_web_reporter_who_leaves_a_phone_is_seen_by_officers_and_hears_by_whatsapp(
    wa_client, fake_whatsapp, clock
):
    approve_documented(fake_whatsapp)
    services = wa_client.app[SERVICES]
    form = await (await wa_client.get("/")).text()
    anonim = re.search(r'<input type="checkbox" id="anonim"[^>]*>', form).group(0)
    assert "checked" not in anonim  # the citizen's choice, never made for them
    assert "lewat WhatsApp ke nomor itu" in form and "hanya petugas" in form

    fields = {**GOOD, "reporter_phone": PHONE, "reporter_email": ""}
    del fields["anonim"]  # left unticked
    sent = await wa_client.post(
        "/", data=report_form(await csrf_token(wa_client), fields), allow_redirects=False
    )
    code = re.search(r"/lacak/([0-9A-Z]{10})", sent.headers["Location"]).group(1)
    unchosen = {key: value for key, value in VALID.items() if key not in ("anonim", "reporter")}
    by_mail = await filed(wa_client, {**unchosen, "reporter": {"email": "siti@contoh.id"}})
    nobody = await filed(wa_client, {**unchosen, "reporter": {"name": "Siti"}})
    async with services.pool.acquire() as conn:
        hidden = dict(await conn.fetch("SELECT tracking_code, anonim FROM complaint"))
    # A contact given and anonim not chosen: the officers see it. None given: the city default.
    assert (hidden[code], hidden[by_mail], hidden[nobody]) == (False, False, True)

    officer = await admin(services)
    for each in (code, by_mail):
        await start(services, officer, each)
    await deliver(wa_client, clock)
    [notice] = fake_whatsapp.sent_messages(WA_ID)  # never wrote to the number: the template
    assert notice["template"]["name"] == "lapor_status"
    assert notice["template"]["components"][0]["parameters"][0]["text"] == tracking.display(code)
    mail = [row for row in await outbox(services) if row["channel"] == "email"]
    assert [(row["recipient"], row["kind"]) for row in mail] == [("siti@contoh.id", "status")]


async def test_lost_codes_go_to_the_contact_and_the_page_says_the_same_either_way(
    wa_client, fake_whatsapp, clock
):
    approve_documented(fake_whatsapp)
    services = wa_client.app[SERVICES]
    codes = [
        await filed(wa_client, {**VALID, "reporter": who})
        for who in ({"phone": PHONE}, {"phone": "+62 812 3456 7891", "email": "Siti@Contoh.id"})
    ]
    page = await (await wa_client.get("/lacak")).text()
    assert 'href="/lupa-kode"' in page

    answers = []
    for typed in ("0812 3456 7891", "0899 0000 1111"):  # one filed, one never did
        token = await csrf_token(wa_client)
        asked = await wa_client.post("/lupa-kode", data={"kontak": typed, "csrf_token": token})
        answers.append(await asked.text())
        assert asked.status == 200 and str(asked.url).endswith("/lupa-kode?terkirim=1")
    assert i18n.t("reach.codes.sent") in answers[0] and answers[0] == answers[1]
    assert not any(tracking.display(c) in answer for c in codes for answer in answers)

    await deliver(wa_client, clock)
    [sent] = fake_whatsapp.sent_templates(WA_ID)
    assert sent["name"] == "lapor_codes"
    shown = ", ".join(tracking.display(c) for c in reversed(codes))  # newest first
    assert sent["components"][0]["parameters"][0]["text"] == shown

    by_api = await wa_client.post("/api/v1/lost-codes", json={"contact": "siti@contoh.id"})
    assert by_api.status == 202 and await by_api.json() == {"detail": i18n.t("reach.codes.sent")}
    [mail] = [row for row in await outbox(services) if row["channel"] == "email"]
    assert mail["recipient"] == "siti@contoh.id"
    assert tracking.display(codes[1]) in mail["payload"]["text"]
    assert tracking.display(codes[0]) not in mail["payload"]["text"]  # filed without the e-mail
    wrong = await wa_client.post("/api/v1/lost-codes", json={"contact": "bukan kontak"})
    assert wrong.status == 422 and (await wrong.json())["errors"][0]["field"] == "contact"
    for _ in range(2):  # five an hour from one address
        await wa_client.post("/api/v1/lost-codes", json={"contact": "0811 1111 1111"})
    refused = await wa_client.post("/api/v1/lost-codes", json={"contact": "0811 1111 1111"})
    assert refused.status == 429 and "Retry-After" in refused.headers
    assert len(await outbox(services)) == 2  # no codes went anywhere else


async def test_a_template_meta_refuses_is_a_dead_letter_the_admin_sees_puts_back_and_counts(
    wa_client, fake_whatsapp, clock
):
    approve_documented(fake_whatsapp, leave_out=("lapor_status",))  # not approved yet
    services = wa_client.app[SERVICES]
    code = await filed(wa_client, {**VALID, "reporter": {"phone": PHONE}})
    await start(services, await admin(services), code)
    assert await deliver(wa_client, clock) == 0

    november = await reports.build_report(services, date(2026, 11, 1))
    assert (november.current[None].undelivered, november.current["DPUPR"].undelivered) == (1, 1)
    await login(wa_client, "admin")
    page = await (await wa_client.get("/petugas/admin/kiriman")).text()
    assert "whatsapp" in page and "132001" in page and tracking.display(code) in page
    [row] = await outbox(services)
    approve_documented(fake_whatsapp)  # the city had it approved meanwhile
    again = await post_form(wa_client, f"/petugas/admin/kiriman/{row['id']}/ulang", {})
    assert again.status == 303
    assert await deliver(wa_client, clock) == 1
    assert fake_whatsapp.sent_templates(WA_ID)[0]["name"] == "lapor_status"
    after = await reports.build_report(services, date(2026, 11, 1))
    assert after.current[None].undelivered == 0


async def resolved_days_later(services, clock, officer, code: str) -> None:
    """Three days after filing the agency resolves it; an hour on, the survey goes out."""
    clock.advance(timedelta(days=3))
    resolve = lifecycle.ActionRequest("resolve", note="Lubang sudah ditambal.")
    await lifecycle.act(services, code, resolve, officer=officer)
    clock.advance(timedelta(hours=1, minutes=1))
    assert await surveys.send_due_surveys(services) == 1


async def test_a_web_reporters_phone_gets_the_notices_and_the_survey_by_whatsapp_template(
    wa_client, fake_whatsapp, clock
):
    approve_documented(fake_whatsapp)
    services = wa_client.app[SERVICES]
    code = await filed(wa_client, {**VALID, "reporter": {"name": "Siti", "phone": PHONE}})
    by_mail = await filed(wa_client, {**VALID, "reporter": {"email": "siti@contoh.id"}})
    officer = await admin(services)
    await start(services, officer, code)
    await resolved_days_later(services, clock, officer, code)
    await lifecycle.act(
        services, by_mail, lifecycle.ActionRequest("resolve", note="Sudah."), officer=officer
    )
    clock.advance(timedelta(hours=1, minutes=1))
    assert await surveys.send_due_surveys(services) == 1

    # The number never wrote to the city: every message is its template.
    payloads = PayloadFactory(
        wa_id=WA_ID,
        phone_number_id=fake_whatsapp.phone_number_id,
        clock=lambda: clock.now().timestamp(),
    )
    citizen = Citizen(wa_client, fake_whatsapp, payloads, clock)
    sent = await citizen.hears()
    assert [m["template"]["name"] for m in sent] == ["lapor_status", "lapor_status", "lapor_survey"]
    shown = tracking.display(code)
    assert [m["template"]["components"][0]["parameters"][0]["text"] for m in sent] == [shown] * 3
    # The one who left only an e-mail hears by e-mail, the survey's link too.
    mail = [row for row in await outbox(services) if row["channel"] == "email"]
    assert [row["kind"] for row in mail] == ["status", "survey"]

    # The survey's "Sudah" opens the chat; the questionnaire follows as free messages.
    sudah = next(
        b["parameters"][0]["payload"]
        for b in sent[-1]["template"]["components"]
        if b["type"] == "button" and b["parameters"][0]["payload"].endswith(":sudah")
    )
    await citizen.sends(payloads.template_button(sudah, "Sudah"))
    [offer] = await citizen.hears()
    assert offer["type"] == "interactive"
    await citizen.taps("Ya, isi survei")
    scores = dict(zip(ROAD, (3, 4, 3, 4, 2, 3, 4), strict=True))
    for score in scores.values():
        [question] = await citizen.hears()
        await citizen.taps(rows_of(question)[score - 1]["title"])
    [ask_comment] = await citizen.hears()
    assert body_text(ask_comment) == i18n.t("survey.ask_comment")
    await citizen.says("Cepat ditangani, terima kasih.")  # the comment, typed in the chat
    [thanks] = await citizen.hears()
    assert body_text(thanks) == i18n.t("survey.thanks")
    async with services.pool.acquire() as conn:
        comment = await conn.fetchval("SELECT comment FROM survey_response")
        complaints = await conn.fetchval("SELECT count(*) FROM complaint")
    assert (comment, complaints) == ("Cepat ditangani, terima kasih.", 2)  # no new report
    await assert_month_ikm_counts(services, clock.now(), scores)
    assert not any(call.failed for call in fake_whatsapp.calls)


async def test_a_web_reporters_phone_gets_the_notices_and_the_web_surveys_link_by_sms(
    sms_client, fake_sms, clock
):
    services = sms_client.app[SERVICES]
    code = await filed(sms_client, {**VALID, "reporter": {"phone": PHONE}})
    officer = await admin(services)
    await start(services, officer, code)
    await resolved_days_later(services, clock, officer, code)

    phone = Phone(sms_client, fake_sms, clock, number="+" + WA_ID)
    arrived = " ".join(await phone.reads())  # a long one in marked parts, each one SMS
    shown = tracking.display(code)
    assert arrived.count(shown) == 3  # two notices, then the survey's link
    assert "sedang diproses" in arrived and "telah diselesaikan" in arrived
    [link] = re.findall(r"http://lapor\.test(/survei/\S+)", arrived)
    async with services.pool.acquire() as conn:
        kinds = await conn.fetch("SELECT channel, kind FROM outbox ORDER BY id")
    assert [tuple(row) for row in kinds] == [("sms", "status")] * 2 + [("sms", "survey")]

    # The link opens the web form; its answers count in the month's IKM.
    page = await sms_client.get(urlsplit(link).path)
    assert page.status == 200 and shown in await page.text()
    scores = dict(zip(ROAD, (4, 4, 3, 3, 2, 4, 4), strict=True))
    answers = {"fixed": "sudah", "rating": "4"} | {k.lower(): str(v) for k, v in scores.items()}
    done = await sms_client.post(urlsplit(link).path, data=answers)
    assert done.status == 200 and i18n.t("survey.thanks") in await done.text()
    await assert_month_ikm_counts(services, clock.now(), scores)
    again = await sms_client.post(urlsplit(link).path, data=answers)
    assert again.status == 410
