"""The SMS adapter, run for real: the fake gateway (Twilio's API, tests/fakes/sms.py) POSTs
signed webhooks to the app on loopback, replies go out through the outbox's dispatch_once and
the SmsSender to the fake, which checks Basic auth, the numbers and its rate limit, and records
each SMS with its encoding and segments. Nothing is mocked."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from fakes import FakeSmsGateway
from helpers import assert_month_ikm_counts
from lifecycle_helpers import resolve_and_invite
from test_openapi import described, route_set

from bots import sms_text, strings
from bots.sms import EMPTY_TWIML, WEBHOOK_PATH
from bots.sms_inbound import numbered, parse_form, signature, signature_valid
from bots.sms_outbound import GatewayError, SmsGateway, SmsSender
from lapor import erasure, i18n, tracking
from lapor.outbox import PartlySent, PermanentFailure, RetryAfter, dispatch_once
from lapor.settings import Settings, SettingsError, settings_from_env
from lapor.web.app import create_app
from lapor.web.keys import SERVICES, SMS
from lapor.web.openapi import openapi_document

CITIZEN = "+6281234567890"
CHAT = "6281234567890"  # the chat: E.164 digits, as a WhatsApp chat
DESCRIPTION = "Lampu jalan di depan SDN 3 Margahayu mati sejak seminggu, jalan gelap dan rawan."
ADDRESS = "Jl. Ahmad Yani No. 5, RT 03/RW 07, Margahayu"


def sms_fields(fake: FakeSmsGateway) -> dict[str, str]:
    return {
        "sms_account_sid": fake.account_sid,
        "sms_auth_token": fake.auth_token,
        "sms_from": fake.number,
        "sms_api_url": fake.base_url,
    }


@pytest.fixture
async def sms_client(settings, fake_sms, clock, city, aiohttp_client):
    # No senders: the tests deliver the outbox themselves, with the test clock.
    app = create_app(replace(settings, **sms_fields(fake_sms)), clock=clock, city=city, senders={})
    return await aiohttp_client(app)


class Phone:
    """A citizen's phone: texts the city's number through the fake gateway, reads what the
    outbox sent it."""

    def __init__(self, client, fake: FakeSmsGateway, clock, number: str = CITIZEN) -> None:
        self.client, self.fake, self.clock, self.number = client, fake, clock, number
        self.seen = 0

    async def texts(self, body: str, **options) -> None:
        webhook = str(self.client.make_url(WEBHOOK_PATH))
        status, answer = await self.fake.deliver(webhook, self.number, body, **options)
        assert (status, answer) == (200, EMPTY_TWIML)

    async def reads(self) -> list[str]:
        """The SMS that arrived since the last look (the outbox delivered once, through the
        app's own sender); each one a single GSM-7 SMS."""
        services = self.client.app[SERVICES]
        await dispatch_once(services.pool, {"sms": self.client.app[SMS].sender}, self.clock)
        messages = self.fake.sent(self.number)
        new, self.seen = messages[self.seen :], len(messages)
        assert all((m.encoding, m.segments) == ("GSM-7", 1) for m in new), new
        return [m.body for m in new]

    async def reads_one(self) -> str:
        [message] = await self.reads()
        return message


@pytest.fixture
def phone(sms_client, fake_sms, clock) -> Phone:
    return Phone(sms_client, fake_sms, clock)


async def fetch(client, sql: str, *args):
    async with client.app[SERVICES].pool.acquire() as conn:
        return await conn.fetch(sql, *args)


# -- GSM-7, 160 septets, numbered choices ---------------------------------------------------


def test_text_outside_gsm7_is_transliterated_and_gsm7_is_kept():
    assert sms_text.to_gsm7("“Sudah” — lihat… • 📎 → peta\u200b") == (
        '"Sudah" - lihat... - :paperclip: -> peta'
    )
    kept = "Café Ñandù €5 [x] {y} ~ é ü Ä @ £ ¥ Δ"
    assert sms_text.to_gsm7("Ñandú") == "Ñandu"  # ú is not GSM-7 (ù is)
    assert sms_text.to_gsm7(kept) == kept
    assert sms_text.to_gsm7("Şişli ç 北京\r\nx\ty") == "Sisli c BeiJing\nx y"
    # the escape table's characters take two septets each
    assert sms_text.septets("€[]") == 6 and sms_text.septets("abc") == 3
    assert sms_text.fits("a" * 160) and not sms_text.fits("a" * 159 + "€")
    assert not sms_text.fits("emoji 😀")


def test_a_long_text_is_split_into_marked_sms_of_at_most_160_septets():
    text = sms_text.to_gsm7("Saluran air di gang kami tersumbat sampah sejak hujan deras. " * 9)
    parts = sms_text.split(text)
    assert len(parts) == 4
    assert [p[:6] for p in parts] == ["(1/4) ", "(2/4) ", "(3/4) ", "(4/4) "]
    assert all(sms_text.septets(p) <= 160 for p in parts)
    assert " ".join(p[6:] for p in parts) == text.strip()  # broken between words, none lost
    assert sms_text.split("pendek") == ["pendek"]  # one SMS: no marker
    ten = sms_text.split("x" * 1600)
    assert len(ten) == 11 and ten[9].startswith("(10/11) ")
    assert all(sms_text.septets(p) <= 160 for p in ten)


def test_choices_are_numbered_after_the_text_and_stay_whole_when_the_text_is_cut():
    payload = {
        "text": "Apakah laporan ini rahasia?",
        "buttons": [["Ya", "lapor:rahasia_yes:1"], ["Tidak", "lapor:rahasia_no:1"]],
    }
    assert sms_text.render(payload) == (
        ["Apakah laporan ini rahasia?\n1. Ya\n2. Tidak"],
        ["lapor:rahasia_yes:1", "lapor:rahasia_no:1"],
    )
    huge = {"text": "panjang sekali " * 200, "buttons": [["Kirim", "a"], ["Ubah", "b"]]}
    parts, choices = sms_text.render(huge)
    assert len(parts) == sms_text.MAX_PARTS and choices == ["a", "b"]
    assert parts[-1].endswith("\n1. Kirim\n2. Ubah") and "..." in parts[-1]
    assert all(sms_text.fits(p) for p in parts)


def test_the_sms_words_replace_bot_sentences_and_fit_one_sms_as_written():
    for language in i18n.LANGUAGES:
        bot = i18n.section("bot", language)
        for key, text in i18n.section("sms", language).items():
            # the engine fills them with the bot sentence's values: none of their own
            assert key in bot and i18n.placeholders(text) <= i18n.placeholders(bot[key]), key
            assert sms_text.to_gsm7(text) == text and sms_text.septets(text) <= 160, key
    assert strings.text("id", "ask_location", channel="sms") == i18n.t("sms.ask_location")
    assert strings.text("id", "ask_location", channel="telegram") == i18n.t("bot.ask_location")
    assert strings.text("en", "greeting", channel="sms", city="X") == i18n.t(
        "bot.greeting", "en", city="X"
    )


# -- inbound: Twilio's signature and form -----------------------------------------------------

TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_PARAMS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+14158675309"),
    ("Digits", "1234"),
    ("From", "+14158675309"),
    ("To", "+18005551212"),
]


def test_the_signature_is_twilios_own_published_example():
    # Twilio's helper libraries test these vectors (auth token "12345").
    assert signature("12345", TWILIO_URL, TWILIO_PARAMS) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678")]
    repeated += [("Digits", "1234"), ("Digits", "1234")]
    assert signature("12345", TWILIO_URL, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    good = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert signature_valid(good, "12345", TWILIO_URL, TWILIO_PARAMS)
    assert signature_valid(good, "12345", TWILIO_URL.replace(".com/", ".com:443/"), TWILIO_PARAMS)
    assert not signature_valid(good, "12346", TWILIO_URL, TWILIO_PARAMS)
    assert not signature_valid(good, "12345", TWILIO_URL + "&x=1", TWILIO_PARAMS)
    assert not signature_valid(good, "12345", TWILIO_URL, [*TWILIO_PARAMS[:-1], ("To", "+1")])
    assert not signature_valid(None, "12345", TWILIO_URL, TWILIO_PARAMS)


def test_a_form_becomes_text_from_the_senders_number_or_nothing_to_answer():
    form = {"MessageSid": "SM" + "a" * 32, "From": "+62 812-3456-7890", "Body": "Halo"}
    incoming = parse_form(form, account_sid="AC1")
    assert (incoming.channel, incoming.chat_id, incoming.kind, incoming.text) == (
        "sms",
        CHAT,
        "text",
        "Halo",
    )
    assert parse_form({**form, "Body": "", "NumMedia": "1"}).kind == "unsupported"  # an MMS
    assert parse_form({**form, "OptOutType": "STOP", "Body": "STOP"}) is None
    assert parse_form({**form, "AccountSid": "AC2"}, account_sid="AC1") is None
    assert parse_form({**form, "From": "PEMKOT"}) is None
    assert parse_form({**form, "MessageSid": "x"}) is None
    assert [numbered(t) for t in ("2", " 3. ", "1)", "12", "2 ya", "", None)] == [
        2,
        3,
        1,
        12,
        None,
        None,
        None,
    ]


# -- settings and the served webhook ----------------------------------------------------------


def test_sms_settings_come_from_the_environment_and_go_together(tmp_path):
    env = {
        "LAPOR_DATA_DIR": str(tmp_path),
        "LAPOR_PUBLIC_URL": "https://lapor.bekasikota.go.id",
        "LAPOR_SMS_ACCOUNT_SID": "AC-sid-XyZ",
        "LAPOR_SMS_AUTH_TOKEN": "tok-XyZ",
        "LAPOR_SMS_FROM": "+6281100001708",
    }
    settings = settings_from_env(env)
    assert settings.sms_enabled and settings.sms_api_url == "https://api.twilio.com"
    assert "tok-XyZ" not in repr(settings)
    with pytest.raises(SettingsError, match="LAPOR_SMS_AUTH_TOKEN"):
        settings_from_env({**env, "LAPOR_SMS_AUTH_TOKEN": ""})
    with pytest.raises(SettingsError, match="LAPOR_PUBLIC_URL"):
        settings_from_env({**env, "LAPOR_PUBLIC_URL": ""})
    assert not settings_from_env({"LAPOR_DATA_DIR": str(tmp_path)}).sms_enabled


async def test_only_a_webhook_signed_for_the_public_url_reaches_the_dialogue(
    sms_client, fake_sms, phone
):
    webhook = str(sms_client.make_url(WEBHOOK_PATH))
    document = openapi_document(sms_client.app)
    assert described(document) == route_set(sms_client.app)
    assert ("post", WEBHOOK_PATH) in described(document)

    # Signed for the address the app happens to listen on, not the URL the gateway was given.
    status, _ = await fake_sms.deliver(webhook, CITIZEN, DESCRIPTION, signed_url=webhook)
    assert status == 403
    unsigned = await sms_client.post(WEBHOOK_PATH, data={"Body": DESCRIPTION})
    assert unsigned.status == 401
    not_a_form = await sms_client.post(
        WEBHOOK_PATH, json={"Body": "x"}, headers={"X-Twilio-Signature": "x"}
    )
    assert not_a_form.status == 400
    assert not_a_form.content_type == "application/problem+json"
    too_large = await sms_client.post(
        WEBHOOK_PATH,
        data="Body=" + "x" * 70_000,
        headers={"X-Twilio-Signature": "x", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert too_large.status == 413
    assert await fetch(sms_client, "SELECT * FROM bot_delivery") == []

    # The gateway's own keyword answers (STOP) are not answered again; an MMS is told off.
    await phone.texts("STOP", extra={"OptOutType": "STOP"})
    await phone.texts("", media=1)
    mms = await phone.reads()
    assert len(mms) == 2 and mms[0].startswith("(1/2) Maaf, layanan SMS ini hanya menerima teks")
    # The same SMS delivered twice (the gateway retrying) is answered once.
    sid = fake_sms.new_sid()
    await phone.texts("/bantuan", message_sid=sid)
    await phone.texts("/bantuan", message_sid=sid)
    [help_text] = await phone.reads()
    assert help_text.startswith("Lapor lewat SMS")


# -- outbound: the sender against the fake gateway --------------------------------------------


async def test_the_sender_meets_the_gateways_answers_as_the_outbox_expects(fake_sms):
    settings = Settings(public_url="http://lapor.test", **sms_fields(fake_sms))
    remembered = []

    async def remember(chat_id, choices):
        remembered.append((chat_id, list(choices)))

    gateway = SmsGateway(settings)
    sender = SmsSender(gateway, remember)
    async with gateway.open():
        await sender.send(CHAT, {"text": "Pilih:", "buttons": [["Ya", "y"], ["Tidak", "n"]]})
        [sent] = fake_sms.sent(CITIZEN)
        assert (sent.body, sent.sender) == ("Pilih:\n1. Ya\n2. Tidak", fake_sms.number)
        assert remembered == [(CHAT, ["y", "n"])]

        fake_sms.rate_limit_next(retry_after=7)
        with pytest.raises(RetryAfter) as waited:
            await sender.send(CHAT, {"text": "a"})
        assert waited.value.seconds == 7
        fake_sms.fail_next(503)
        with pytest.raises(GatewayError):  # plain: retried with back-off
            await sender.send(CHAT, {"text": "a"})
        with pytest.raises(PermanentFailure, match="21211"):
            await sender.send("12", {"text": "a"})
        fake_sms.opted_out.add(CITIZEN)
        with pytest.raises(PermanentFailure, match="21610"):
            await sender.send(CHAT, {"text": "a"})
        fake_sms.opted_out.clear()

        # Three parts, the second refused: the retry starts at the second, none twice.
        long = {"text": "kata " * 90}
        before = len(fake_sms.sent(CITIZEN))
        fake_sms.rate_limit = (1, 60.0)  # the gateway's own limit: a second SMS is refused
        with pytest.raises(PartlySent) as cut:
            await sender.send(CHAT, long)
        assert cut.value.parts_sent == 1 and isinstance(cut.value.error, RetryAfter)
        fake_sms.rate_limit = None
        await sender.send(CHAT, {**long, "parts_sent": cut.value.parts_sent})
        bodies = [m.body[:6] for m in fake_sms.sent(CITIZEN)[before:]]
        assert bodies == ["(1/3) ", "(2/3) ", "(3/3) "]

    wrong = SmsGateway(replace(settings, sms_auth_token="not-the-token"))
    async with wrong.open():
        with pytest.raises(GatewayError) as refused:  # our credentials: kills no message
            await SmsSender(wrong).send(CHAT, {"text": "a"})
    assert refused.value.code == 20003


# -- the whole path, days apart ---------------------------------------------------------------


async def test_a_citizen_reports_by_sms_and_days_later_hears_the_notice_and_answers_the_survey(
    sms_client, phone, clock
):
    # The problem and its place in one SMS: the summary at once (no photos on SMS).
    await phone.texts(DESCRIPTION)
    summary = "\n".join(await phone.reads())
    assert "Lokasi: disebut dalam keterangan" in summary
    assert summary.endswith("1. Kirim\n2. Ubah\n3. Batal")
    await phone.texts("1")  # Kirim
    filed = "\n".join(await phone.reads())

    [row] = await fetch(
        sms_client,
        """SELECT c.tracking_code, c.channel, c.address, c.body, r.chat_id
           FROM complaint c JOIN reporter r ON r.id = c.reporter_id""",
    )
    code = tracking.display(row["tracking_code"])
    assert code in filed
    assert (row["channel"], row["chat_id"], row["body"]) == ("sms", CHAT, DESCRIPTION)

    # Three days later the city verifies and resolves it; an hour on, the survey goes out.
    clock.advance(timedelta(days=3))
    await resolve_and_invite(sms_client.app[SERVICES], clock, row["tracking_code"])
    *notices, invitation = await phone.reads()
    assert any("telah diselesaikan" in notice and code in notice for notice in notices)
    assert invitation.endswith(
        "1. Sudah, sangat puas\n2. Sudah, puas\n3. Sudah, kurang puas\n4. Sudah, tidak puas\n"
        "5. Belum selesai\n6. Tidak tahu"
    )
    await phone.texts("1")  # Sudah, sangat puas: recorded at once
    offer = "\n".join(await phone.reads())
    assert offer.endswith("1. Ya, isi survei\n2. Tidak, cukup")
    await phone.texts("1")  # the questionnaire: only the elements that apply to a street light
    for number in range(1, 8):
        question = "\n".join(await phone.reads())
        assert f"Pertanyaan {number} dari 7" in question and "\n4. " in question
        await phone.texts("4" if number % 2 else "3")
    ask_comment = await phone.reads_one()
    assert ask_comment.endswith("1. Lewati")
    await phone.texts("Terima kasih, lampunya sudah menyala lagi.")
    assert await phone.reads_one() == sms_text.to_gsm7(i18n.t("survey.thanks"))

    [response] = await fetch(sms_client, "SELECT * FROM survey_response")
    # No persyaratan (U1) and no biaya (U4) asked about a street light (the demo city's file).
    assert [response[f"u{n}"] for n in range(1, 10)] == [None, 4, 3, None, 4, 3, 4, 3, 4]
    assert (response["fixed"], response["rating"]) == ("sudah", 4)
    assert response["comment"] == "Terima kasih, lampunya sudah menyala lagi."
    # The month's IKM counts that one answer, exactly.
    scores = {"U2": 4, "U3": 3, "U5": 4, "U6": 3, "U7": 4, "U8": 3, "U9": 4}
    agency = response["agency_code"]
    await assert_month_ikm_counts(sms_client.app[SERVICES], clock.now(), scores, agency)
    # A number on no list stays text (too short to be a report).
    await phone.texts("7")
    assert (await phone.reads_one()).startswith("Keterangannya masih terlalu singkat")

    # Erasure by phone (UU PDP) finds the SMS chat, as it finds a WhatsApp one.
    found = await erasure.export_person(sms_client.app[SERVICES], erasure.Person(phone=CITIZEN))
    assert [c["channel"] for c in found["conversations"]] == ["sms"]
    assert [c["chat_id"] for c in found["contacts"]] == [CHAT]


def test_the_http_channels_share_one_session_helper(settings):
    from bots.channels import ChannelSession, retry_after
    from bots.whatsapp_outbound import Graph

    gateway, graph = SmsGateway(settings), Graph(settings)
    assert isinstance(gateway, ChannelSession) and isinstance(graph, ChannelSession)
    with pytest.raises(RuntimeError, match="the SMS session is not open"):
        _ = gateway.session
    with pytest.raises(RuntimeError, match="the WhatsApp session is not open"):
        _ = graph.session
    assert [retry_after(h, 10.0) for h in ("7", None, "0", "inf", "Wed, 21 Oct")] == [
        7.0,
        10.0,
        10.0,
        10.0,
        10.0,
    ]
