"""Taking a forwarded complaint back ("Tarik kembali", lifecycle's `recall`): the desk or an
admin brings it back to the verification desk with a fresh verify deadline, the citizen and the
body it went to are told (Open311: nothing, the spec has no cancel), a later answer from that
body is refused with a 409, and the complaint can be verified to a city agency again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fakes.external import FakeOpen311, FakeSignedReceiver, signed
from forwarding_helpers import API_KEY, MAIL_TOKEN, SECRET, Outbox, forwarding_city
from forwarding_helpers import forwarding_settings as with_forwarding
from lifecycle_helpers import act, file

from lapor import forwarding, sla

REASON = "Provinsi menjawab: saluran itu saluran kota, bukan wewenang provinsi."


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
    return with_forwarding(settings)


@pytest.fixture
def city(city, pln, bpjn):
    return forwarding_city(city, pln.url, bpjn.url)


@pytest.fixture
async def client(settings, clock, city, aiohttp_client):
    from lapor.web.app import create_app

    return await aiohttp_client(create_app(settings, clock=clock, city=city, senders={}))


@pytest.fixture
async def box(services, settings):
    outbox = Outbox(services, settings)
    yield outbox
    await outbox.close()


async def forwarded(client, accounts, external: str) -> str:
    code = (await file(client, category=None))["tracking_code"]
    response = await act(
        client, code, accounts["desk"], "forward", external=external, note="Bukan wewenang kota."
    )
    assert response.status == 200, await response.text()
    return code


async def recall(client, accounts, code: str, who: str = "desk"):
    return await act(client, code, accounts[who], "recall", note=REASON)


async def timeline(client, code: str) -> list[dict]:
    return (await (await client.get(f"/api/v1/complaints/{code}")).json())["timeline"]


def told(box: Outbox) -> list[str]:
    return [p["text"] for r, p in box.mail.sent if r == "siti.r@contoh.id"]


async def clocks(services, code: str):
    async with services.pool.acquire() as conn:
        return await conn.fetchrow(
            "SELECT sla_stage, stage_started_at, verify_due_at, escalation_level"
            " FROM complaint WHERE tracking_code = $1",
            code,
        )


async def test_the_desk_recalls_a_webhook_forward_and_everyone_is_told(
    client, accounts, box, pln, services, clock
):
    code = await forwarded(client, accounts, "PLN")
    assert await box.send() == 2  # the complaint to PLN, the notice to the citizen
    clock.advance(timedelta(days=9))  # the first verify deadline is long past

    response = await recall(client, accounts, code)
    body = await response.json()
    assert response.status == 200, body
    assert (body["status"], body["agency"]) == ("received", None)
    assert body.get("forwarded_to") is None
    last = body["timeline"][-1]
    assert (last["kind"], last["status"], last["note"]) == ("recall", "received", REASON)
    page = await (await client.get(f"/lacak/{code}")).text()
    assert "Ditarik kembali ke meja verifikasi" in page and REASON in page

    # A fresh verify clock, as for a complaint just filed: from now, not from the filing.
    found = await clocks(services, code)
    assert (found["sla_stage"], found["stage_started_at"]) == ("verify", clock.now())
    assert found["verify_due_at"] == sla.deadline(services.city, "verify", clock.now())
    assert found["verify_due_at"] > clock.now()

    assert await box.send() == 2  # the notice to PLN, the notice to the citizen
    notice = pln.events()[-1]
    assert notice["event"] == "complaint.recalled" and notice["reason"] == REASON
    assert notice["complaint"] == {"tracking_code": code}
    assert "tarik kembali dari PT PLN UP3 Kota Contoh" in told(box)[-1]
    assert REASON in told(box)[-1]

    # PLN's answer after the recall is refused by name, and changes nothing.
    before = await timeline(client, code)
    answer = {"tracking_code": code, "text": "Kabel sudah kami perbaiki."}
    data, headers = signed(SECRET, answer, timestamp=int(clock.now().timestamp()))
    late = await client.post("/webhooks/forward/PLN", data=data, headers=headers)
    assert late.status == 409
    assert late.content_type == "application/problem+json"
    assert "ditarik kembali" in (await late.json())["detail"]
    assert await timeline(client, code) == before

    # Back at the desk, it goes to a city agency like any complaint there.
    verified = await act(client, code, accounts["desk"], "verify", agency="DPUPR")
    assert verified.status == 200, await verified.text()
    assert (await verified.json())["agency"]["code"] == "DPUPR"


async def test_an_email_body_gets_a_recall_notice_and_its_later_reply_is_refused(
    client, accounts, box
):
    code = await forwarded(client, accounts, "PROV")
    await box.send()
    [first] = [p for r, p in box.mail.sent if r == "pengaduan@provinsi.go.id"]
    assert (await recall(client, accounts, code, "admin")).status == 200
    await box.send()
    [_, notice] = [p for r, p in box.mail.sent if r == "pengaduan@provinsi.go.id"]
    assert "Penarikan" in notice["subject"] and REASON in notice["text"]

    reply = (
        f"Subject: Re: {first['subject']}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Sudah kami jadwalkan.\r\n"
    ).encode()
    late = await client.post(
        "/webhooks/mail", data=reply, headers={"Authorization": f"Bearer {MAIL_TOKEN}"}
    )
    assert late.status == 409
    assert late.content_type == "application/problem+json"
    assert "Sudah kami jadwalkan" not in str(await timeline(client, code))


async def test_an_open311_body_is_told_nothing_and_polled_no_more(
    client, accounts, box, bpjn, services
):
    code = await forwarded(client, accounts, "BPJN")
    await box.send()
    assert len(bpjn.calls_to("post")) == 1
    assert (await recall(client, accounts, code)).status == 200
    assert await box.send() == 1  # only the citizen: GeoReport v2 has no cancel
    assert len(bpjn.calls_to("post")) == 1
    bpjn.set_status("BPJN-1", "closed", "Sudah ditambal.")
    services.clock.advance(timedelta(minutes=16))
    assert await forwarding.poll(services, box.poster, {"BPJN": API_KEY}) == 0
    assert bpjn.calls_to("get") == []


async def test_a_forward_recalled_before_it_went_never_reaches_the_body(client, accounts, box, pln):
    code = await forwarded(client, accounts, "PLN")
    assert (await recall(client, accounts, code)).status == 200
    await box.send()
    assert pln.calls == []  # neither the complaint nor a notice of its recall
    # and it may be forwarded again (a new forwarding), which goes out
    again = await act(client, code, accounts["desk"], "forward", external="PLN", note="Lagi.")
    assert again.status == 200, await again.text()
    await box.send()
    assert [e["event"] for e in pln.events()] == ["complaint.forwarded"]


async def test_only_the_desk_and_admin_recall_only_a_forwarded_complaint_and_with_a_reason(
    client, accounts
):
    code = await forwarded(client, accounts, "PROV")
    refused = await recall(client, accounts, code, "dpupr")
    assert refused.status == 403
    silent = await act(client, code, accounts["desk"], "recall")
    assert silent.status == 422
    assert (await silent.json())["errors"][0]["field"] == "note"

    received = (await file(client, category=None))["tracking_code"]
    wrong = await recall(client, accounts, received)
    assert wrong.status == 409
    problem = await wrong.json()
    assert "'received'" in problem["detail"] and "recall" in problem["detail"]
    assert "recall" not in problem["allowed_actions"]


async def test_the_complaint_page_offers_the_recall_to_the_desk(client, services, accounts):
    from officer_helpers import give_passwords, login

    code = await forwarded(client, accounts, "PROV")
    await give_passwords(services, accounts)
    await login(client, "desk")
    page = await (await client.get(f"/petugas/laporan/{code}")).text()
    assert re.findall(r'name="action" value="(\w+)"', page) == ["recall"]
    assert "Tarik kembali" in page
