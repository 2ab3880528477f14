"""Forwarding beyond the city (issue 18 §3): a complaint that is not the city's goes to an
external body by its channel (signed webhook, e-mail, Open311), the citizen is told where and
why, and the body's answer comes back to the public timeline and to the citizen."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from fakes.external import FakeOpen311, FakeSignedReceiver, signature, signed
from forwarding_helpers import (
    API_KEY,
    MAIL_TOKEN,
    SECRET,
    Outbox,
    forwarding_city,
    forwarding_settings,
)
from lifecycle_helpers import act, file

from lapor import forwarding, hooks, tracking


@pytest.fixture
async def pln():
    async with FakeSignedReceiver(SECRET) as fake:
        yield fake


@pytest.fixture
async def bpjn():
    async with FakeOpen311(API_KEY) as fake:
        yield fake


@pytest.fixture
def settings(settings):
    return forwarding_settings(settings)


@pytest.fixture
def city(city, pln, bpjn):
    return forwarding_city(city, pln.url, bpjn.url)


@pytest.fixture
async def client(settings, clock, city, aiohttp_client):
    from lapor.web.app import create_app

    # senders={}: the app's dispatcher sends nothing; the test drives the outbox (Outbox).
    return await aiohttp_client(create_app(settings, clock=clock, city=city, senders={}))


@pytest.fixture
async def box(services, settings):
    outbox = Outbox(services, settings)
    yield outbox
    await outbox.close()


async def forwarded(client, accounts, external: str) -> str:
    code = (await file(client, category=None))["tracking_code"]
    reason = "Jaringan listrik adalah wewenang PLN, bukan pemerintah kota."
    response = await act(client, code, accounts["desk"], "forward", external=external, note=reason)
    body = await response.json()
    assert response.status == 200, body
    assert body["status"] == "forwarded"
    assert body["timeline"][-1]["kind"] == "forward"
    return code


async def timeline(client, code: str) -> list[dict]:
    return (await (await client.get(f"/api/v1/complaints/{code}")).json())["timeline"]


def told(box: Outbox) -> list[str]:
    return [
        payload["text"] for recipient, payload in box.mail.sent if recipient == "siti.r@contoh.id"
    ]


async def test_a_webhook_body_gets_the_signed_complaint_and_its_answer_comes_back(
    client, accounts, box, pln, clock
):
    code = await forwarded(client, accounts, "PLN")
    view = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert view["forwarded_to"] == {"code": "PLN", "name": "PT PLN UP3 Kota Contoh"}
    assert "PT PLN UP3 Kota Contoh" in await (await client.get(f"/lacak/{code}")).text()
    assert await box.send() == 2  # the complaint to PLN, the notice to the citizen
    sent = pln.events()[0]
    assert sent["event"] == "complaint.forwarded"
    assert sent["complaint"]["tracking_code"] == code
    assert "wewenang PLN" in sent["reason"]
    assert "Siti" not in json.dumps(sent) and "081234567890" not in json.dumps(sent)
    [notice] = told(box)
    assert "PT PLN UP3 Kota Contoh" in notice and "wewenang PLN" in notice

    answer = {
        "tracking_code": code,
        "text": "Petugas PLN sudah memperbaiki kabel.",
        "status": "closed",
    }
    body, headers = signed(SECRET, answer, timestamp=int(clock.now().timestamp()))
    response = await client.post("/webhooks/forward/PLN", data=body, headers=headers)
    assert response.status == 200, await response.text()
    assert (await response.json())["recorded"] is True

    last = (await timeline(client, code))[-1]
    assert last["kind"] == "forward_answer"
    assert "Petugas PLN sudah memperbaiki kabel." in last["note"]
    await box.send()
    assert "Petugas PLN sudah memperbaiki kabel." in told(box)[-1]


async def test_an_answer_with_a_bad_signature_is_refused_with_401(client, accounts, box, clock):
    code = await forwarded(client, accounts, "PLN")
    before = await timeline(client, code)
    answer = {"tracking_code": code, "text": "Jawaban palsu."}
    body, headers = signed(
        "not-the-secret-of-pln-xx", answer, timestamp=int(clock.now().timestamp())
    )
    response = await client.post("/webhooks/forward/PLN", data=body, headers=headers)
    assert response.status == 401
    assert response.content_type == "application/problem+json"
    stale, headers = signed(SECRET, answer, timestamp=int(clock.now().timestamp()) - 3600)
    assert (await client.post("/webhooks/forward/PLN", data=stale, headers=headers)).status == 401
    assert await timeline(client, code) == before


async def test_a_signed_answer_that_is_no_json_or_holds_a_nul_is_refused(client, accounts, clock):
    code = await forwarded(client, accounts, "PLN")
    stamp = int(clock.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "X-Lapor-Timestamp": str(stamp),
        "X-Lapor-Signature": signature(SECRET, stamp, b"{not json"),
    }
    response = await client.post("/webhooks/forward/PLN", data=b"{not json", headers=headers)
    assert response.status == 400
    assert response.content_type == "application/problem+json"
    body, headers = signed(SECRET, {"tracking_code": code, "text": "a\u0000b"}, timestamp=stamp)
    response = await client.post("/webhooks/forward/PLN", data=body, headers=headers)
    assert response.status == 422
    assert (await timeline(client, code))[-1]["kind"] == "forward"  # nothing recorded


async def test_a_signature_that_is_not_ascii_is_a_401_not_a_server_error(client, accounts, clock):
    code = await forwarded(client, accounts, "PLN")
    body, headers = signed(
        SECRET, {"tracking_code": code, "text": "x"}, timestamp=int(clock.now().timestamp())
    )
    headers["X-Lapor-Signature"] = "v1=" + "é" * 64
    response = await client.post("/webhooks/forward/PLN", data=body, headers=headers)
    assert response.status == 401, await response.text()
    assert not hooks.signature_valid(
        SECRET, headers["X-Lapor-Timestamp"], "v1=é", body, clock.now()
    )


async def test_an_email_body_gets_the_complaint_and_its_reply_comes_back(
    client, accounts, box, services
):
    code = await forwarded(client, accounts, "PROV")
    await box.send()
    [(to, mail)] = [(r, p) for r, p in box.mail.sent if r == "pengaduan@provinsi.go.id"]
    assert tracking.display(code) in mail["subject"]
    token = forwarding.TOKEN_MARK.search(mail["subject"]).group(1)
    assert f"[lapor:{token}]" in mail["text"]  # the body says to keep it in the reply

    reply = (
        f"From: pengaduan@provinsi.go.id\r\nTo: lapor@kota-contoh.go.id\r\n"
        f"Subject: Re: {mail['subject']}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Jalan itu jalan provinsi; perbaikan dijadwalkan bulan depan.\r\n\r\n"
        "> Yth. Pemerintah Provinsi,\r\n> (pesan asal)\r\n"
    ).encode()
    refused = await client.post(
        "/webhooks/mail", data=reply, headers={"Authorization": "Bearer wrong-token-0123456789"}
    )
    assert refused.status == 401
    response = await client.post(
        "/webhooks/mail", data=reply, headers={"Authorization": f"Bearer {MAIL_TOKEN}"}
    )
    assert response.status == 200, await response.text()
    last = (await timeline(client, code))[-1]
    assert last["kind"] == "forward_answer"
    assert "dijadwalkan bulan depan" in last["note"] and "pesan asal" not in last["note"]
    await box.send()
    assert "dijadwalkan bulan depan" in told(box)[-1]


async def test_an_email_reply_holding_a_nul_is_refused_not_a_server_error(client, accounts, box):
    code = await forwarded(client, accounts, "PROV")
    await box.send()
    [mail] = [p for r, p in box.mail.sent if r == "pengaduan@provinsi.go.id"]
    reply = (
        f"Subject: Re: {mail['subject']}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Jalan provinsi\x00 dijadwalkan.\r\n"
    ).encode()
    response = await client.post(
        "/webhooks/mail", data=reply, headers={"Authorization": f"Bearer {MAIL_TOKEN}"}
    )
    assert response.status == 422, await response.text()
    assert (await timeline(client, code))[-1]["kind"] == "forward"


async def test_an_open311_body_gets_a_request_and_its_status_is_polled(
    client, accounts, box, bpjn, services
):
    code = await forwarded(client, accounts, "BPJN")
    await box.send()
    [post] = bpjn.calls_to("post")
    assert post.params["service_code"] == "jalan_nasional"
    assert post.params["api_key"] == API_KEY
    assert "Jalan di depan sekolah" in post.params["description"]
    [attempt] = await hooks.deliveries(services)  # in the admin's delivery log too
    assert (attempt["target"], attempt["status_code"]) == ("external:BPJN", 201)

    assert await forwarding.poll(services, box.poster, {"BPJN": API_KEY}) == 0  # nothing new
    bpjn.set_status("BPJN-1", "closed", "Lubang sudah ditambal oleh BPJN.")
    services.clock.advance(timedelta(minutes=16))
    assert await forwarding.poll(services, box.poster, {"BPJN": API_KEY}) == 1
    last = (await timeline(client, code))[-1]
    assert last["kind"] == "forward_answer" and "ditambal oleh BPJN" in last["note"]
    services.clock.advance(timedelta(minutes=16))
    assert await forwarding.poll(services, box.poster, {"BPJN": API_KEY}) == 0  # closed: done


async def test_a_forward_names_a_known_body_and_a_reason(client, accounts):
    code = (await file(client, category=None))["tracking_code"]
    unknown = await act(client, code, accounts["desk"], "forward", external="PDAM", note="x")
    assert unknown.status == 422
    assert (await unknown.json())["errors"][0]["field"] == "external"
    silent = await act(client, code, accounts["desk"], "forward", external="PLN")
    assert silent.status == 422
    assert (await silent.json())["errors"][0]["field"] == "note"


def test_the_city_file_refuses_an_external_body_it_could_not_reach(tmp_path):
    from lapor.city import CityConfigError, load_city
    from lapor.city.loading import DEFAULT_CONFIG_DIR

    text = (DEFAULT_CONFIG_DIR / "default.toml").read_text(encoding="utf-8")

    def problems(old: str, new: str) -> str:
        path = tmp_path / "luar.toml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(CityConfigError) as caught:
            load_city(path)
        return "\n".join(caught.value.problems)

    said = problems('email = "pengaduan@provinsi.go.id"\n', "")
    assert "[external.PROV]" in said and 'channel "email"' in said
    said = problems("[external.PROV]", "[external.PDAM]")  # a city agency's code
    assert "[external.PDAM] has the code of an agency" in said


def test_the_secrets_of_external_bodies_come_from_the_environment():
    from lapor.settings import SettingsError, settings_from_env

    env = {
        "LAPOR_SECRET_KEY": "a-secret-key-for-tests-0123",
        "LAPOR_EXTERNAL_PLN_SECRET": SECRET,
        "LAPOR_EXTERNAL_BPJN_API_KEY": API_KEY,
        "LAPOR_MAIL_INBOUND_TOKEN": MAIL_TOKEN,
    }
    read = settings_from_env(env)
    assert (read.external_secrets, read.external_api_keys) == ({"PLN": SECRET}, {"BPJN": API_KEY})
    assert SECRET not in repr(read)
    with pytest.raises(SettingsError, match="LAPOR_EXTERNAL_PLN_SECRET"):
        settings_from_env({**env, "LAPOR_EXTERNAL_PLN_SECRET": "short"})


async def test_lapor_mail_receive_reads_a_reply_on_stdin(
    client, accounts, box, services, run_lapor, monkeypatch
):
    import io
    import sys

    code = await forwarded(client, accounts, "PROV")
    await box.send()
    [subject] = [p["subject"] for r, p in box.mail.sent if r == "pengaduan@provinsi.go.id"]
    reply = f"Subject: Re: {subject}\n\nSudah diteruskan ke dinas provinsi.\n".encode()
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": io.BytesIO(reply)})())
    status, out, _ = await run_lapor("mail", "receive")
    assert (status, out.strip()) == (0, "reply recorded")
    assert "diteruskan ke dinas provinsi" in (await timeline(client, code))[-1]["note"]


async def test_the_complaint_page_offers_the_forward_to_the_desk(client, services, accounts):
    from officer_helpers import give_passwords, login

    code = (await file(client, category=None))["tracking_code"]
    await give_passwords(services, accounts)
    await login(client, "desk")
    page = await (await client.get(f"/petugas/laporan/{code}")).text()
    assert 'name="external"' in page and "PT PLN UP3 Kota Contoh" in page


async def test_a_forward_carries_only_the_public_copy_and_the_public_place(
    client, services, accounts, box, pln
):
    """Personal data typed into the text, the title or the place never leaves for an external
    body, even for a complaint whose public copy is not written yet (an old one, before the
    backfill) or whose public title an officer removed."""
    typed = "Tiang listrik roboh, hubungi saya 081298765432 atau NIK 3275012345670001."
    filed = await file(
        client,
        category=None,
        text=typed,
        title="Tiang roboh, HP 081298765432",
        location={
            "lat": -6.2383,
            "lon": 106.9756,
            "address": "Jl. Melati 5, HP 081298765432",
            "kelurahan": "Margahayu",
            "kecamatan": "Bekasi Timur",
        },
    )
    code = filed["tracking_code"]
    async with services.pool.acquire() as conn:  # as before the public copy was written
        await conn.execute(
            "UPDATE complaint SET public_body = NULL, public_title = NULL WHERE tracking_code = $1",
            code,
        )
    reason = "Jaringan listrik adalah wewenang PLN."
    response = await act(client, code, accounts["desk"], "forward", external="PLN", note=reason)
    assert response.status == 200, await response.text()
    await box.send()
    [sent] = pln.events()
    words = json.dumps(sent, ensure_ascii=False)
    assert "081298765432" not in words and "3275012345670001" not in words
    assert "Tiang listrik roboh" in sent["complaint"]["text"]
    assert sent["complaint"]["kelurahan"] == "Margahayu"


async def test_an_answer_quoting_personal_data_is_public_only_redacted(
    client, accounts, box, clock
):
    # PLN's answer quotes the reporter's phone number: the timeline, the citizen's notice
    # (which supporters get too) show it hidden; the officers' view keeps the words whole.
    code = await forwarded(client, accounts, "PLN")
    await box.send()
    words = "Kami sudah menelepon pelapor di 0812-3456-7890, kabel diperbaiki."
    answer = {"tracking_code": code, "text": words}
    body, headers = signed(SECRET, answer, timestamp=int(clock.now().timestamp()))
    response = await client.post("/webhooks/forward/PLN", data=body, headers=headers)
    assert response.status == 200, await response.text()
    public = json.dumps(await timeline(client, code))
    assert "3456" not in public and "kabel diperbaiki" in public
    await box.send()
    assert "3456" not in told(box)[-1] and "kabel diperbaiki" in told(box)[-1]
    officer = await client.get(
        f"/api/v1/complaints/{code}/full",
        headers={"Authorization": f"Bearer {accounts['desk'].token}"},
    )
    assert officer.status == 200, await officer.text()
    assert words in json.dumps(await officer.json())


async def test_a_mail_token_of_bytes_that_are_no_utf8_is_a_401_not_a_server_error(client):
    # Raw bytes on the wire: aiohttp's client would not send them, a mail server's script might.
    host, port = client.server.host, client.server.port
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        b"POST /webhooks/mail HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe-token\r\n"
        b"Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"
    )
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    assert status_line.split()[1] == b"401", status_line
