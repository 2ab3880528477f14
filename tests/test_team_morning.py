"""A team's morning (issue 17, "done when"), in a real headless Chromium against the real app,
PostgreSQL, and fake channels on loopback (an SMTP server, the WhatsApp Graph API): the head
of DPUPR gives five complaints to an officer in one bulk action; the officer filters the
queue by kelurahan, answers one with a reply template (the reporter gets it by e-mail),
merges a duplicate into it (its reporter, and its supporters, are told on WhatsApp), and
exports the filtered list as CSV."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from browser import LiveServer, screenshot
from helpers import VALID
from officer_helpers import PASSWORD, give_passwords
from playwright.async_api import expect
from test_bots_whatsapp import whatsapp_fields
from wa_templates import approve_documented

from lapor import auth, reply_templates, support, tracking
from lapor.complaints import export
from lapor.mail import EmailSender
from lapor.outbox import dispatch_once
from lapor.web.keys import SERVICES, SETTINGS, WHATSAPP

QUEUE_HEADING = "Antrian laporan"
TEMPLATE = "Laporan {kode} di Kelurahan {kelurahan} kami terima; {petugas} akan survei."
# The original's reporter left an e-mail address; the duplicate's a phone (so WhatsApp).
SITI = {"name": "Siti Rahmawati", "email": "siti.r@contoh.id"}
AGUS = {"name": "Agus Salim", "phone": "0812-3456-7891"}
AGUS_WA = "6281234567891"
SUPPORTERS = [
    {"name": "Rina", "phone": "0813-1111-2222"},
    {"name": "Dedi", "email": "dedi@contoh.id"},
]
# A point inside each kelurahan of the default city's map.
PLACES = {"Kranji": {"lat": -6.25, "lon": 106.91}, "Bintara": {"lat": -6.25, "lon": 106.825}}
PERSONAL = (
    "Siti Rahmawati",
    "siti.r@contoh.id",
    "Agus Salim",
    "0812-3456-7891",
    AGUS_WA,
    "Rina",
    "0813-1111-2222",
    "dedi@contoh.id",
)


@pytest.fixture
async def morning_server(
    settings, clock, city, fake_whatsapp, fake_mail, aiohttp_server
) -> LiveServer:
    """The app with WhatsApp and e-mail configured (to the fakes). No senders of its own: the
    test delivers the outbox itself (`deliver`), with the app's own WhatsApp and e-mail
    senders, so what arrives at the fakes is known at each step."""
    from lapor.web.app import create_app

    configured = replace(settings, **whatsapp_fields(fake_whatsapp), **fake_mail.settings())
    app = create_app(configured, clock=clock, city=city, senders={})
    approve_documented(fake_whatsapp)
    return LiveServer(await aiohttp_server(app, host="127.0.0.1"), app)


async def deliver(server: LiveServer, clock) -> None:
    """Sweep the outbox until nothing is left to send, through the app's channels."""
    services = server.app[SERVICES]
    senders = {
        "whatsapp": server.app[WHATSAPP].sender,
        "email": EmailSender.from_settings(server.app[SETTINGS]),
    }
    while await dispatch_once(services.pool, senders, clock):
        pass
    async with services.pool.acquire() as conn:
        unsent = await conn.fetch(
            "SELECT channel, recipient, status, last_error FROM outbox WHERE status <> 'sent'"
        )
    assert not unsent, unsent


async def file(
    http: aiohttp.ClientSession,
    server: LiveServer,
    number: int,
    kelurahan: str,
    reporter: dict | None,
) -> str:
    location = {**PLACES[kelurahan], "kelurahan": kelurahan, "kecamatan": "Bekasi Barat"}
    body = {
        **VALID,
        "text": f"Jalan rusak nomor {number}: aspal mengelupas dan berlubang dalam.",
        "location": location,
        "anonim": reporter is None,
    }
    if reporter is None:
        del body["reporter"]
    else:
        body["reporter"] = reporter
    async with http.post(server.url("/api/v1/complaints"), json=body) as response:
        assert response.status == 201, await response.text()
        return (await response.json())["tracking_code"]


async def log_in(page, server: LiveServer, username: str) -> None:
    await page.goto(server.url("/petugas/masuk"))
    await page.get_by_label("Nama pengguna").fill(username)
    await page.get_by_label("Kata sandi").fill(PASSWORD)
    await page.get_by_role("button", name="Masuk").click()
    await expect(page.get_by_role("heading", name=QUEUE_HEADING)).to_be_visible()


async def supporters_of_the_duplicate(services, duplicate_code: str) -> list[tuple[str, str]]:
    """Who said "saya juga mengalami" on the duplicate, as (channel, recipient): they are told
    of the merge as its reporter is (the web supporter who left a phone by WhatsApp, the one
    who left an e-mail by e-mail)."""
    async with services.pool.acquire() as conn:
        complaint_id = await conn.fetchval(
            "SELECT id FROM complaint WHERE tracking_code = $1", duplicate_code
        )
        rows = await support.supporters(conn, complaint_id)
    return [
        ("whatsapp", "62" + row["phone"].lstrip("0").replace("-", ""))
        if row["phone"]
        else ("email", row["email"])
        for row in rows
    ]


def told_of_the_merge(
    fake_whatsapp, fake_mail, recipient: tuple[str, str], duplicate: str, original: str
) -> bool:
    """Whether `recipient` got the merge notice: the duplicate's code, and the original's."""
    channel, address = recipient
    if channel == "whatsapp":
        texts = [
            " ".join(p["text"] for c in t["components"] for p in c["parameters"])
            for t in fake_whatsapp.sent_templates(address)
            if t["name"] == "lapor_status"
        ]
    elif channel == "email":
        texts = [mail.text for mail in fake_mail.sent_to(address)]
    else:
        pytest.fail(f"the walk has no fake for {channel}: give it one")
    shown = tracking.display(duplicate), tracking.display(original)
    return any(all(code in text for code in shown) and "Digabung" in text for text in texts)


async def test_a_teams_morning_in_the_browser(
    morning_server, page, clock, accounts, fake_whatsapp, fake_mail
):
    server = morning_server
    services = server.app[SERVICES]
    # The DPUPR team: its head (dpupr) and Budi. The head keeps a template for a first answer.
    await give_passwords(services, accounts)
    async with services.pool.acquire() as conn:
        await conn.execute("UPDATE officer SET head = true WHERE username = 'dpupr'")
        budi = await auth.create_officer(conn, "budi", "Budi Santoso", "officer", "DPUPR")
    await give_passwords(services, {"budi": replace(accounts["dpupr"], officer=budi)})
    head = replace(accounts["dpupr"].officer, head=True)
    await reply_templates.save_template(
        services, head, status="assigned", title="Survei lokasi", body=TEMPLATE
    )
    # Overnight: six road complaints, three from Kranji (the first from Siti, by e-mail),
    # and then Agus's from Kranji again, the same hole as Siti's.
    codes = []
    async with aiohttp.ClientSession() as http:
        for number, kelurahan in enumerate(["Kranji", "Bintara"] * 3):
            codes.append(await file(http, server, number, kelurahan, SITI if number == 0 else None))
            clock.advance(timedelta(minutes=5))
        duplicate = await file(http, server, 6, "Kranji", AGUS)
        for supporter in SUPPORTERS:  # two neighbours say "saya juga mengalami" on Agus's
            async with http.post(
                server.url(f"/api/v1/complaints/{duplicate}/support"),
                json={"reporter": supporter},
            ) as response:
                assert response.status == 201, await response.text()
    original = codes[0]
    await deliver(server, clock)  # whatever intake says to the reporters goes first

    # 1. The head gives five of them to Budi in one action.
    await log_in(page, server, "dpupr")
    for code in codes[:5]:
        await page.get_by_label(f"Pilih laporan {tracking.display(code)}").check()
    await page.locator("#bulk-action").select_option("assign")
    await page.locator("#bulk-officer").select_option(label="Budi Santoso")
    await page.get_by_role("button", name="Terapkan ke yang dipilih").click()
    await expect(page.get_by_role("status")).to_have_text("5 laporan dibagikan.")
    async with services.pool.acquire() as conn:
        events = await conn.fetch(
            """SELECT c.tracking_code, c.assignee_id, e.officer_id, e.data
               FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id
               WHERE e.kind = 'assign' ORDER BY c.tracking_code"""
        )
    assert sorted(e["tracking_code"] for e in events) == sorted(codes[:5])  # one each
    for event in events:
        assert event["assignee_id"] == budi.id and event["officer_id"] == head.id
        assert (event["data"]["assignee"], event["data"]["assignee_name"]) == (
            budi.id,
            "Budi Santoso",
        )
    await page.get_by_role("button", name="Keluar").click()

    # 2. Budi looks for what came from Kranji: only Kranji's.
    await log_in(page, server, "budi")
    offered = page.locator("#kelurahan-names option")  # the city's kelurahan, as typed
    assert "Kranji" in await offered.evaluate_all("options => options.map(o => o.value)")
    await page.get_by_label("Kelurahan").fill("Kranji")
    await page.get_by_role("button", name="Saring").click()
    rows = page.locator("table.queue tbody tr")
    kranji = [codes[0], codes[2], codes[4], duplicate]
    await expect(rows).to_have_count(len(kranji))
    shown = await rows.locator("td a").all_inner_texts()
    assert {text.strip() for text in shown} >= {tracking.display(c) for c in kranji}
    for text in await rows.all_inner_texts():
        assert "Kranji" in text and "Bintara" not in text
    await screenshot(page, "morning-queue", full_page=False)
    filtered = page.url

    # 3. ... opens Siti's and answers it with the template, filled in for it.
    await page.get_by_role("link", name=tracking.display(original)).click()
    answer = (
        f"Laporan {tracking.display(original)} di Kelurahan Kranji kami terima; "
        "Budi Santoso akan survei."
    )
    await expect(page.locator(".template-choice .public-note")).to_have_text(answer)
    await page.get_by_label("Survei lokasi").check()
    await page.get_by_role("button", name="Kirim jawaban").click()
    await expect(page.get_by_role("status")).to_contain_text("tanggapan")
    await expect(page.locator("ol.timeline .public-note").last).to_have_text(answer)
    await deliver(server, clock)
    [mail] = [m for m in fake_mail.sent_to(SITI["email"]) if answer in m.text]
    assert tracking.display(original) in mail.subject
    assert "{" not in mail.text

    # 4. ... finds Agus's is the same hole, and merges it into Siti's.
    await page.goto(filtered)
    await page.get_by_role("link", name=tracking.display(duplicate)).click()
    await page.get_by_label("Kode laporan asli").fill(tracking.display(original))
    await page.get_by_role("button", name="Gabungkan").click()
    await expect(page.locator(".badges .status")).to_have_text("Ditutup")
    await deliver(server, clock)
    told = [("whatsapp", AGUS_WA), *await supporters_of_the_duplicate(services, duplicate)]
    assert len(told) == 3  # Agus, and the two who supported his report before the merge
    for recipient in told:
        assert told_of_the_merge(fake_whatsapp, fake_mail, recipient, duplicate, original), (
            recipient
        )
    # The original's timeline tells the team what was merged into it; the public sees nothing.
    await page.goto(server.url(f"/petugas/laporan/{original}"))
    merged_in = page.locator("ol.timeline li.internal-event", has_text="Duplikat digabungkan")
    await expect(merged_in).to_contain_text(tracking.display(duplicate))
    await screenshot(page, "morning-original")
    async with (
        aiohttp.ClientSession() as http,
        http.get(server.url(f"/api/v1/complaints/{original}")) as response,
    ):
        public = await response.json()
    assert tracking.display(duplicate) not in str(public["timeline"])

    # 5. ... and takes the filtered list along: Kranji's open complaints, nobody's contact.
    await page.goto(filtered)
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Unduh daftar ini (CSV)").click()
    download = await downloading.value
    text = await asyncio.to_thread(Path(await download.path()).read_text, "utf-8")
    exported = list(csv.reader(io.StringIO(text)))
    assert exported[0] == export.header()
    column = {name: exported[0].index(name) for name in ("Kode", "Kelurahan", "Petugas")}
    body = exported[1:]
    assert sorted(row[column["Kode"]].replace("-", "") for row in body) == sorted(
        [codes[0], codes[2], codes[4]]  # the duplicate is closed now: no longer in the queue
    )
    assert {row[column["Kelurahan"]] for row in body} == {"Kranji"}
    assert {row[column["Petugas"]] for row in body} == {"Budi Santoso"}
    for personal in PERSONAL:
        assert personal not in text
