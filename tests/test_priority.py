"""Issue 17 §2: priority suggested from the citizen's words, deadlines per priority in working
hours (never beyond the SP4N-LAPOR! days), the queue sorted by priority then deadline, the
desk's and the agency's `set_priority`, and the emergency numbers given first by the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from lifecycle_helpers import act, file

from lapor import priority, sla
from lapor.city import CATEGORY_CODES, DEFAULT_CONFIG_DIR, CityConfigError, load_city

WIB = ZoneInfo("Asia/Jakarta")
kota = load_city("default")  # office 07:30-16:00: 8.5 working hours a day

SUGGESTED = [
    # (text, priority, the words that raised it)
    ("Jalan di depan SD berlubang, sudah dua kali kecelakaan motor.", "tinggi", ("kecelakaan",)),
    ("Lubang besar, motor saya jatuh tadi pagi.", "tinggi", ("motor saya jatuh",)),
    ("Banjir masuk rumah sejak subuh, air setinggi lutut.", "tinggi", ("banjir masuk rumah",)),
    ("Pohon besar tumbang menutup separuh jalan.", "tinggi", ("pohon besar tumbang",)),
    ("Tembok sekolah hampir roboh, retaknya makin lebar.", "tinggi", ("roboh",)),
    ("Kecelakaan kemarin sore, untung tidak ada korban.", "tinggi", ("kecelakaan",)),
    ("Rumah warga kebakaran di RT 03, api membesar!", "darurat", ("kebakaran", "api membesar")),
    ("Tiang listrik roboh, ada orang tertimpa.", "darurat", ("roboh", "tertimpa")),
    ("Seorang lansia pingsan di pasar, korban belum ditolong.", "darurat", ("pingsan",)),
    ("Bau kebocoran gas dari dapur umum RW 05.", "darurat", ("kebocoran gas",)),
    ("Someone is injured at the crossing near the market.", "darurat", ("injured",)),
    ("Atap pasar bocor, untung tidak ada yang terluka.", "sedang", ()),
    ("Sampah menumpuk di pinggir jalan sudah tiga hari.", "sedang", ()),
    ("Harga cabai jatuh, pedagang kereta api merugi.", "sedang", ()),
]


def test_the_citizens_words_suggest_the_priority():
    for text, expected, words in SUGGESTED:
        suggestion = priority.suggest(text)
        assert (suggestion.priority, suggestion.words) == (expected, words), text
        assert suggestion.emergency == (expected == "darurat"), text


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_a_priority_counts_working_hours_across_christmas_and_the_weekend():
    # Wednesday 23 December 2026, 14:00: Thursday 24 (cuti bersama), Friday 25 (Christmas)
    # and the weekend are off; New Year's Day 2027 is a Friday, off too.
    start = wib(2026, 12, 23, 14)
    due = lambda stage, level, category=None: sla.deadline(kota, stage, start, category, level)  # noqa: E731
    # darurat: 2 h answer the same day, at closing; 8 h fix: 2 h Wed + 6 h Mon from 07:30.
    assert due("response", "darurat") == wib(2026, 12, 23, 16)
    assert due("resolve", "darurat", "jalan") == wib(2026, 12, 28, 13, 30)
    # tinggi: 8 h answer; 40 h fix = 2 + 4 x 8.5 (28-31 Dec) + 4 h on Monday 4 January.
    assert due("response", "tinggi") == wib(2026, 12, 28, 13, 30)
    assert due("resolve", "tinggi", "jalan") == wib(2027, 1, 4, 11, 30)
    # ...and never beyond the SP4N-LAPOR! days: 40 h is under the 5 days (42.5 h) of sampah.
    assert due("resolve", "tinggi", "sampah") == wib(2027, 1, 4, 11, 30)
    # sedang and rendah keep the working days exactly: 5 for the answer, 60 for a road.
    assert due("response", "sedang") == wib(2027, 1, 4, 14) == due("response", "rendah")
    assert due("resolve", "sedang", "jalan") == sla.deadline(kota, "resolve", start, "jalan")
    # The desk: 1 h at darurat, from 15:30 on Wednesday: half an hour, then Monday 08:00.
    assert sla.deadline(kota, "verify", wib(2026, 12, 23, 15, 30), None, "darurat") == wib(
        2026, 12, 28, 8
    )


def test_a_higher_priority_is_never_due_later_and_never_beyond_the_days():
    start = wib(2026, 11, 23, 9)
    for category in CATEGORY_CODES:
        for stage in ("verify", "response", "resolve"):
            dues = [sla.deadline(kota, stage, start, category, p) for p in priority.PRIORITIES]
            assert dues == sorted(dues, reverse=True), (category, stage)
            assert dues[0] == sla.deadline(kota, stage, start, category)


def test_a_city_file_whose_higher_priority_would_be_due_later_is_refused(tmp_path):
    text = (DEFAULT_CONFIG_DIR / "default.toml").read_text(encoding="utf-8")
    path = tmp_path / "lambat.toml"
    path.write_text(text.replace("sedang = {}", "sedang = { resolve_hours = 30 }", 1))
    with pytest.raises(CityConfigError) as refused:
        load_city(path)
    assert refused.value.problems == [
        "[sla.priority] tinggi resolve_hours (40) is longer than sedang's (30); "
        "a higher priority is never due later"
    ]


# ----------------------------------------------------------------- intake, queue, set_priority


async def queue(client, account, **params) -> list[dict]:
    response = await client.get("/api/v1/queue", params=params, headers=account.headers)
    assert response.status == 200, await response.text()
    return (await response.json())["items"]


async def test_intake_suggests_the_priority_the_queue_puts_it_first_and_officers_change_it(
    client, services, accounts, clock
):
    # Given a plain pothole, then one that caused an accident, then a collapse with a victim
    plain = await file(client)
    clock.advance(timedelta(minutes=5))
    accident = await file(client, text="Lubang besar di Jl. Melati, sudah terjadi kecelakaan.")
    clock.advance(timedelta(minutes=5))
    collapse = await file(client, text="Jembatan kayu di RW 02 roboh, ada warga terluka.")

    # The API answered each with its priority; the emergency numbers only for the collapse,
    # and first, before anything else of the answer.
    assert [plain["priority"], accident["priority"], collapse["priority"]] == [
        "sedang",
        "tinggi",
        "darurat",
    ]
    assert plain["emergency"] is None and accident["emergency"] is None
    assert list(collapse)[0] == "emergency"
    numbers = [n["number"] for n in collapse["emergency"]["numbers"]]
    assert (
        numbers[:2] == ["112", "113"]
        and "112 (Panggilan Darurat)" in (collapse["emergency"]["message"])
    )

    # The road agency's queue: by priority, whatever the deadlines; the cursor keeps it.
    dpupr = accounts["dpupr"]
    codes = [c["tracking_code"] for c in (plain, accident, collapse)]
    items = await queue(client, dpupr)
    assert [i["tracking_code"] for i in items] == codes[::-1]
    assert [i["priority_label"] for i in items] == ["Darurat", "Tinggi", "Sedang"]
    walked, cursor = [], None
    while True:
        body = await (
            await client.get(
                "/api/v1/queue",
                params={"limit": "1", **({"cursor": cursor} if cursor else {})},
                headers=dpupr.headers,
            )
        ).json()
        walked += [i["tracking_code"] for i in body["items"]]
        if not (cursor := body["next_cursor"]):
            break
    assert walked == codes[::-1]
    # The accident's road is due in a week (40 working hours), not in 60 working days.
    tinggi_due = datetime.fromisoformat(items[1]["due_at"])
    assert tinggi_due - clock.now() < timedelta(days=7)

    # The agency raises the plain one to darurat: an internal event; the deadline follows.
    before = await (
        await client.get(f"/api/v1/complaints/{codes[0]}/full", headers=dpupr.headers)
    ).json()
    response = await act(client, codes[0], dpupr, "set_priority", priority="darurat")
    view = await response.json()
    assert response.status == 200, view
    assert (view["priority"], view["status"]) == ("darurat", "assigned")
    event = view["timeline"][-1]
    assert (event["kind"], event["data"]["priority"], event["data"]["from_priority"]) == (
        "set_priority",
        "darurat",
        "sedang",
    )
    assert view["deadlines"]["response_due_at"] < before["deadlines"]["response_due_at"]
    public = await (await client.get(f"/api/v1/complaints/{codes[0]}")).json()
    assert "set_priority" not in [e["kind"] for e in public["timeline"]]
    # Its clock kept its start, so of the two darurat it is due first.
    assert [i["tracking_code"] for i in await queue(client, dpupr)][:2] == [codes[0], codes[2]]

    # The desk lowers the accident to rendah: it goes last.
    assert (await act(client, codes[1], accounts["desk"], "set_priority", priority="rendah")).ok
    assert [i["tracking_code"] for i in await queue(client, dpupr)][-1] == codes[1]

    # Refusals name the field; another agency may not touch it at all.
    same = await act(client, codes[1], dpupr, "set_priority", priority="rendah")
    unknown = await act(client, codes[1], dpupr, "set_priority", priority="segera")
    for refused in (same, unknown):
        body = await refused.json()
        assert refused.status == 422 and body["errors"][0]["field"] == "priority", body
    assert (
        await act(client, codes[1], accounts["dlh"], "set_priority", priority="tinggi")
    ).status == 403


async def test_the_desk_sees_the_words_that_suggested_the_priority(client, accounts):
    text = "Ada kebakaran di gudang dekat sekolah, api membesar."
    code = (await file(client, text=text, category=None))["tracking_code"]
    await file(client, category=None)  # sedang, filed after it
    response = await client.get(
        "/api/v1/complaints/" + code + "/full", headers=accounts["desk"].headers
    )
    received = (await response.json())["timeline"][0]
    assert received["data"]["priority"] == "darurat"
    assert received["data"]["priority_words"] == ["kebakaran", "api membesar"]
    items = await queue(client, accounts["desk"])
    assert items[0]["tracking_code"] == code  # the emergency waits at the top of the desk
