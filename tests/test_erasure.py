"""Reporters' personal data under UU PDP: erased by the retention job once a complaint has been
closed longer than the city keeps contacts, and exported or erased on request through
`lapor privacy export|erase`."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta

import pytest
from helpers import VALID
from lifecycle_helpers import act

from lapor import complaints, erasure
from lapor.city import DEFAULT_CONFIG_DIR, CityConfigError, load_city

TEXT = (
    "Nama saya Budi Santoso, jalan di depan rumah saya berlubang besar. "
    "Hubungi saya di 0812-3456-7890 kalau petugas datang."
)
CONTACT = {"name": "Budi Santoso", "phone": "+62 812 3456 7890", "email": "budi.s@contoh.id"}
PERSONAL = ["Budi Santoso", "3456-7890", "812 3456 7890", "budi.s@contoh.id"]


async def filed(client, **changes) -> str:
    body = {**VALID, "text": TEXT, "anonim": False, "reporter": CONTACT, **changes}
    response = await client.post("/api/v1/complaints", json=body)
    assert response.status == 201, await response.text()
    return (await response.json())["tracking_code"]


async def closed(client, accounts, **changes) -> str:
    code = await filed(client, **changes)
    assert (await act(client, code, accounts["dpupr"], "resolve", note="Sudah.")).status == 200
    assert (await act(client, code, accounts["admin"], "close")).status == 200
    return code


async def rejected(client, accounts) -> str:
    code = await filed(client, category=None)
    assert (
        await act(client, code, accounts["desk"], "reject", note="Bukan urusan kota.")
    ).status == 200
    return code


async def stored(services, code: str):
    async with services.pool.acquire() as conn:
        return await conn.fetchrow(
            """SELECT c.title, c.body, c.status, c.contacts_erased_at, r.name, r.phone, r.email,
                      r.chat_id,
                      (SELECT count(*) FROM complaint_event e
                       WHERE e.complaint_id = c.id AND e.kind = 'erase_contacts') AS erasures
               FROM complaint c LEFT JOIN reporter r ON r.id = c.reporter_id
               WHERE c.tracking_code = $1""",
            code,
        )


def erased(row) -> bool:
    return (row["name"], row["phone"], row["email"], row["chat_id"]) == (None,) * 4


# ------------------------------------------------------------------------------ retention


async def test_contacts_are_erased_once_a_complaint_has_been_closed_longer_than_kept(
    client, accounts, services, clock
):
    old_closed = await closed(client, accounts)
    old_rejected = await rejected(client, accounts)
    clock.advance(timedelta(days=200))
    recent = await closed(client, accounts)
    still_open = await filed(client)
    clock.advance(timedelta(days=166))  # the old ones: 366 days; the recent one: 166

    assert await erasure.erase_expired_contacts(services) == 2

    for code in (old_closed, old_rejected):
        row = await stored(services, code)
        assert erased(row) and row["contacts_erased_at"] == clock.now()
        assert row["erasures"] == 1
        assert not [value for value in PERSONAL if value in row["body"]]
        assert "disembunyikan]" in row["body"]  # the rest of the text stays, anonymised
    for code in (recent, still_open):
        row = await stored(services, code)
        assert (row["name"], row["phone"], row["email"]) == tuple(CONTACT.values())
        assert row["body"] == TEXT and row["erasures"] == 0

    full = await client.get(
        f"/api/v1/complaints/{old_closed}/full", headers=accounts["admin"].headers
    )
    view = await full.json()
    assert view["status"] == "closed"  # the complaint stays
    assert view["reporter"] == {"name": None, "phone": None, "email": None, "channel": "web"}
    note = [e for e in view["timeline"] if e["kind"] == "erase_contacts"]
    assert len(note) == 1 and "365 hari" in note[0]["internal_note"]
    public = await (await client.get(f"/api/v1/complaints/{old_closed}")).json()
    assert "erase_contacts" not in [e["kind"] for e in public["timeline"]]

    assert await erasure.erase_expired_contacts(services) == 0  # nothing is erased twice
    assert (await stored(services, old_closed))["erasures"] == 1


async def test_the_citys_retention_period_decides(client, accounts, services, clock):
    code = await closed(client, accounts)
    clock.advance(timedelta(days=40))
    assert await erasure.erase_expired_contacts(services) == 0
    services.city = replace(services.city, retain_contacts_days=30)
    assert await erasure.erase_expired_contacts(services) == 1
    assert erased(await stored(services, code))


async def test_two_instances_running_the_job_at_once_erase_each_complaint_once(
    client, accounts, services, clock
):
    codes = [await closed(client, accounts) for _ in range(3)]
    clock.advance(timedelta(days=400))
    results = await asyncio.gather(
        erasure.erase_expired_contacts(services), erasure.erase_expired_contacts(services)
    )
    assert sum(results) == 3
    for code in codes:
        assert (await stored(services, code))["erasures"] == 1


def test_the_retention_period_is_a_checked_city_setting(tmp_path):
    assert load_city("default").retain_contacts_days == 365
    source = (DEFAULT_CONFIG_DIR / "default.toml").read_text()
    for value in ("7", "true", '"setahun"'):
        path = tmp_path / "kota.toml"
        path.write_text(
            source.replace("retain_contacts_days = 365", f"retain_contacts_days = {value}")
        )
        with pytest.raises(CityConfigError, match="retain_contacts_days"):
            load_city(path)


# ---------------------------------------------------------------- a person's request (CLI)


async def telegram_complaint(services, chat_id: str) -> str:
    intake = complaints.parse_intake(
        {"text": "Sampah menumpuk di pasar sudah seminggu, mohon diangkut."},
        channel="telegram",
        category_codes=list(services.city.categories),
        chat_id=chat_id,
    )
    return (await complaints.file_complaint(services, intake)).tracking_code


async def add_survey_answer(services, code: str, comment: str) -> None:
    async with services.pool.acquire() as conn:
        complaint_id = await conn.fetchval(
            "SELECT id FROM complaint WHERE tracking_code = $1", code
        )
        await conn.execute(
            """INSERT INTO survey (complaint_id, channel, status, created_at, finished_at)
               VALUES ($1, 'email', 'answered', $2, $2)""",
            complaint_id,
            services.clock.now(),
        )
        await conn.execute(
            """INSERT INTO survey_response (complaint_id, month, fixed, u1, u2, u3, u4, u5, u6,
                                            u7, u8, u9, comment)
               VALUES ($1, '2026-11-01', 'sudah', 4, 4, 3, 3, 4, 4, 3, 4, 4, $2)""",
            complaint_id,
            comment,
        )


async def test_privacy_export_prints_everything_held_about_a_person(client, services, run_lapor):
    first = await filed(client)  # phone written "+62 812 3456 7890"
    second = await filed(client, reporter={"phone": "0812-3456-7890"})
    other = await filed(client, reporter={"name": "Sari", "email": "sari@contoh.id"})
    await add_survey_answer(services, first, "Cepat, terima kasih. Budi 081234567890")
    chat = await telegram_complaint(services, "555001")

    status, out, _ = await run_lapor("privacy", "export", "--phone", "6281234567890")
    assert status == 0
    found = json.loads(out)
    assert {c["tracking_code"] for c in found["complaints"]} == {first, second}
    assert other not in out and chat not in out
    assert [c["phone"] for c in found["contacts"]] == ["+62 812 3456 7890", "0812-3456-7890"]
    assert found["complaints"][0]["body"] == TEXT  # their own words, as they wrote them
    assert [(s["tracking_code"], s["u1"]) for s in found["surveys"]] == [(first, 4)]
    assert "Budi 081234567890" in found["surveys"][0]["comment"]

    status, out, _ = await run_lapor("privacy", "export", "--chat", "555001")
    assert [c["tracking_code"] for c in json.loads(out)["complaints"]] == [chat]
    status, out, _ = await run_lapor("privacy", "export", "--email", "SARI@contoh.id")
    assert [c["tracking_code"] for c in json.loads(out)["complaints"]] == [other]

    status, _, err = await run_lapor("privacy", "export")
    assert status == 2 and "--phone" in err


async def test_privacy_erase_anonymises_a_persons_complaints_and_says_how_many(
    client, services, run_lapor
):
    first = await filed(client)
    second = await filed(client, reporter={"phone": "0812 3456 7890"})
    other = await filed(client, reporter={"name": "Sari", "email": "sari@contoh.id"})
    await add_survey_answer(services, first, "Terima kasih, hubungi 081234567890 lagi ya.")

    status, out, _ = await run_lapor("privacy", "erase", "--phone", "081234567890")
    assert status == 0
    assert "2 complaint(s)" in out
    for code in (first, second):
        row = await stored(services, code)
        assert erased(row) and row["erasures"] == 1
        assert not [value for value in PERSONAL if value in row["body"]]
    assert (await stored(services, other))["name"] == "Sari"
    async with services.pool.acquire() as conn:
        comment = await conn.fetchval("SELECT comment FROM survey_response")
    assert "081234567890" not in comment and comment.startswith("Terima kasih")

    status, out, _ = await run_lapor("privacy", "export", "--phone", "081234567890")
    assert json.loads(out)["complaints"] == []
    status, out, _ = await run_lapor("privacy", "erase", "--phone", "081234567890")
    assert status == 0 and "0 complaint(s)" in out
    assert (await stored(services, first))["erasures"] == 1
