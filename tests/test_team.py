"""A team working its queue (issue 17 §1): who owns a complaint and who may give it, the SLA
ladder telling the owner first, internal notes that stay internal, reply templates, bulk
actions that are all or nothing, and the queue's filters and export, which keep to what the
officer may see."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lifecycle_helpers import act, file

from lapor import auth, sla
from lapor.complaints import PUBLIC_EVENT_KINDS
from lapor.escalation import sweep

WIB = ZoneInfo("Asia/Jakarta")
DPUPR_OFFICERS = {("telegram", "-100100000041"), ("email", "pengaduan@dpupr.kota-contoh.go.id")}
DPUPR_HEAD = {("telegram", "-100100000040"), ("email", "kadis@dpupr.kota-contoh.go.id")}


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


class Budi:
    """A second DPUPR officer, reachable by e-mail (the accounts fixture's `dpupr` is made the
    agency's head)."""

    def __init__(self, officer, token: str) -> None:
        self.officer = officer
        self.headers = {"Authorization": f"Bearer {token}"}


async def make_team(services, accounts) -> Budi:
    async with services.pool.acquire() as conn:
        await conn.execute("UPDATE officer SET head = true WHERE username = 'dpupr'")
        budi = await auth.create_officer(conn, "budi", "Budi Santoso", "officer", "DPUPR")
        await conn.execute("UPDATE officer SET email = 'budi@dpupr.test' WHERE id = $1", budi.id)
        token = await auth.issue_token(
            conn, budi.id, now=services.clock.now(), lifetime=timedelta(days=3650)
        )
    return Budi(budi, token)


async def assign(client, code: str, who, officer_id: int | None):
    return await client.post(
        f"/api/v1/complaints/{code}/assignee", json={"officer_id": officer_id}, headers=who.headers
    )


async def queue_codes(client, who, **params) -> list[str]:
    response = await client.get("/api/v1/queue", params=params, headers=who.headers)
    assert response.status == 200, await response.text()
    return [item["tracking_code"] for item in (await response.json())["items"]]


async def fetch(services, sql: str, *args):
    async with services.pool.acquire() as conn:
        return await conn.fetch(sql, *args)


async def test_the_head_shares_out_officers_take_and_the_ladder_tells_the_owner_first(
    client, services, clock, accounts
):
    budi = await make_team(services, accounts)
    head, dlh = accounts["dpupr"], accounts["dlh"]
    clock.set(wib(2026, 12, 18, 9))  # both due Tuesday 29 December 09:00 (see test_escalation)
    owned = (await file(client))["tracking_code"]
    unowned = (await file(client))["tracking_code"]

    # An officer takes a complaint nobody owns, and lets go of it; they give nothing away.
    assert (await assign(client, owned, budi, head.officer.id)).status == 403
    taken = await assign(client, owned, budi, budi.officer.id)
    assert taken.status == 200, await taken.text()
    assert (await taken.json())["assignee"] == {"id": budi.officer.id, "name": "Budi Santoso"}
    again = await assign(client, owned, budi, budi.officer.id)
    assert (again.status, (await again.json())["errors"][0]["field"]) == (422, "officer_id")
    assert (await assign(client, owned, budi, None)).status == 200
    # Another agency may not touch it; the head gives only to the agency's own officers.
    assert (await assign(client, owned, dlh, dlh.officer.id)).status == 403
    assert (await assign(client, owned, accounts["desk"], budi.officer.id)).status == 403
    assert (await assign(client, owned, head, dlh.officer.id)).status == 422
    assert (await assign(client, owned, head, budi.officer.id)).status == 200
    assert (await assign(client, owned, budi, None)).status == 200  # letting go of one's own
    assert (await assign(client, owned, head, budi.officer.id)).status == 200
    assert (await assign(client, unowned, head, head.officer.id)).status == 200
    assert (await assign(client, unowned, budi, None)).status == 403  # not theirs to let go
    assert (await assign(client, unowned, head, None)).status == 200

    assert await queue_codes(client, budi, assignee="me") == [owned]
    assert await queue_codes(client, head, assignee="none") == [unowned]
    assert await queue_codes(client, head, assignee=str(budi.officer.id)) == [owned]
    assert set(await queue_codes(client, budi)) == {owned, unowned}
    full = await (await client.get(f"/api/v1/complaints/{owned}/full", headers=head.headers)).json()
    assert full["assignee"] == {"id": budi.officer.id, "name": "Budi Santoso"}
    assigns = await fetch(
        services, "SELECT officer_id, data FROM complaint_event WHERE kind = 'assign' ORDER BY id"
    )
    assert len(assigns) == 7
    assert assigns[-3]["data"] == {
        "assignee": budi.officer.id,
        "assignee_name": "Budi Santoso",
        "previous": None,
    }

    # The reminder goes to the owner alone; the complaint nobody owns reminds the agency.
    clock.set(wib(2026, 12, 23, 15, 22, 30))
    await sweep(services)
    sent = await fetch(
        services,
        "SELECT c.tracking_code, o.kind, o.channel, o.recipient, o.payload FROM outbox o "
        "JOIN complaint c ON c.id = o.complaint_id WHERE o.kind IN ('reminder', 'escalation')",
    )
    to = {
        (r["tracking_code"], r["kind"]): {
            (x["channel"], x["recipient"])
            for x in sent
            if (x["tracking_code"], x["kind"]) == (r["tracking_code"], r["kind"])
        }
        for r in sent
    }
    assert to == {
        (owned, "reminder"): {("email", "budi@dpupr.test")},
        (unowned, "reminder"): DPUPR_OFFICERS,
    }
    # At the deadline the agency hears of the owner's miss: its head and its officers.
    clock.set(wib(2026, 12, 29, 9))
    await sweep(services)
    breach = await fetch(
        services,
        "SELECT o.channel, o.recipient, o.payload FROM outbox o JOIN complaint c "
        "ON c.id = o.complaint_id WHERE c.tracking_code = $1 AND o.kind = 'escalation' "
        "AND o.recipient NOT LIKE '%sekda%' AND o.recipient <> '-100100000020'",
        owned,
    )
    assert {(r["channel"], r["recipient"]) for r in breach} == DPUPR_HEAD | DPUPR_OFFICERS
    assert all("Budi Santoso" in r["payload"]["text"] for r in breach)

    # The complaint leaves the agency: it leaves its owner behind.
    moved = await act(client, owned, head, "transfer", agency="DLH")
    assert moved.status == 200
    assert (
        await fetch(services, "SELECT assignee_id FROM complaint WHERE tracking_code = $1", owned)
    )[0][0] is None


async def test_notes_stay_internal_and_a_template_answers_filled_in_for_the_complaint(
    client, services, accounts
):
    budi = await make_team(services, accounts)
    head = accounts["dpupr"]
    code = (await file(client))["tracking_code"]  # Kelurahan Margahayu
    body = "Laporan {kode} di Kel. {kelurahan} akan disurvei oleh {petugas}; batasnya {tenggat}."
    template = {"status": "assigned", "title": "Survei lokasi", "body": body}

    # The head keeps the agency's templates; an officer may not; placeholders are checked.
    assert (
        await client.post("/api/v1/templates", json=template, headers=budi.headers)
    ).status == 403
    made = await client.post("/api/v1/templates", json=template, headers=head.headers)
    assert made.status == 201, await made.text()
    template_id = (await made.json())["id"]
    bad = await client.post(
        "/api/v1/templates",
        json={**template, "title": "X", "body": "Yth. {nama}"},
        headers=head.headers,
    )
    assert bad.status == 422 and "{nama}" in (await bad.json())["errors"][0]["message"]
    taken = await client.post("/api/v1/templates", json=template, headers=head.headers)
    assert taken.status == 422
    listed = await (await client.get("/api/v1/templates", headers=budi.headers)).json()
    assert [t["id"] for t in listed] == [template_id]
    assert (
        await (await client.get("/api/v1/templates", headers=accounts["dlh"].headers)).json() == []
    )
    other = await client.get(
        "/api/v1/templates", params={"agency": "DPUPR"}, headers=accounts["dlh"].headers
    )
    assert other.status == 403
    dlh_template = await client.post(
        "/api/v1/templates", json={**template, "agency": "DLH"}, headers=accounts["admin"].headers
    )
    later = await client.post(
        "/api/v1/templates", json={**template, "status": "in_progress"}, headers=head.headers
    )

    # A note is the team's: on the officers' timeline, nowhere in the public's.
    noted = await client.post(
        f"/api/v1/complaints/{code}/notes",
        json={"note": "Sudah telepon pak lurah."},
        headers=budi.headers,
    )
    assert noted.status == 201
    assert (
        await client.post(
            f"/api/v1/complaints/{code}/notes", json={"note": "x"}, headers=accounts["dlh"].headers
        )
    ).status == 403
    assert (await assign(client, code, budi, budi.officer.id)).status == 200

    # Wrong templates are refused before anything moves.
    for wrong in ((await dlh_template.json())["id"], (await later.json())["id"]):
        refused = await act(client, code, budi, "respond", template=wrong)
        assert (refused.status, (await refused.json())["errors"][0]["field"]) == (422, "template")
    answered = await act(client, code, budi, "respond", template=template_id)
    assert answered.status == 200, await answered.text()
    view = await answered.json()
    note = view["timeline"][-1]["note"]
    assert note.startswith(
        f"Laporan {code[:5]}-{code[5:]} di Kel. Margahayu akan disurvei oleh Budi Santoso"
    )
    assert "{" not in note
    (event,) = await fetch(services, "SELECT data FROM complaint_event WHERE kind = 'respond'")
    assert event["data"]["template"] == template_id

    public = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert {e["kind"] for e in public["timeline"]} <= PUBLIC_EVENT_KINDS
    assert public["timeline"][-1]["note"] == note  # the answer is the citizen's to read
    text = str(public)
    assert "telepon pak lurah" not in text and "Budi" in note and "assignee" not in public
    full = await (await client.get(f"/api/v1/complaints/{code}/full", headers=head.headers)).json()
    assert [e["internal_note"] for e in full["timeline"] if e["kind"] == "note"] == [
        "Sudah telepon pak lurah."
    ]


async def test_a_bulk_action_moves_every_complaint_of_the_selection_or_none(
    client, services, accounts
):
    budi = await make_team(services, accounts)
    head = accounts["dpupr"]
    codes = [(await file(client))["tracking_code"] for _ in range(3)]
    theirs = (await file(client, category="sampah"))["tracking_code"]

    async def bulk(who, **body):
        return await client.post("/api/v1/queue/bulk", json=body, headers=who.headers)

    given = await bulk(head, action="assign", codes=codes, officer_id=budi.officer.id)
    assert given.status == 200, await given.text()
    assert sorted((await given.json())["codes"]) == sorted(codes)
    assert await queue_codes(client, budi, assignee="me") == codes

    # One complaint of another agency stops the whole selection, and says which.
    refused = await bulk(budi, action="start", codes=[*codes, theirs])
    assert refused.status == 403
    assert f"{theirs[:5]}-{theirs[5:]}" in (await refused.json())["detail"]
    statuses = await fetch(
        services, "SELECT DISTINCT status FROM complaint WHERE tracking_code = ANY($1)", codes
    )
    assert [r["status"] for r in statuses] == ["assigned"]
    assert (await fetch(services, "SELECT count(*) FROM complaint_event WHERE kind = 'start'"))[0][
        0
    ] == 0

    started = await bulk(budi, action="start", codes=codes)
    assert started.status == 200
    template = await client.post(
        "/api/v1/templates",
        json={
            "status": "in_progress",
            "title": "Dikerjakan",
            "body": "Laporan {kode} sedang dikerjakan.",
        },
        headers=head.headers,
    )
    answered = await bulk(
        budi, action="respond", codes=codes, template=(await template.json())["id"]
    )
    assert answered.status == 200, await answered.text()
    events = await fetch(
        services,
        "SELECT c.tracking_code, e.kind, e.public_note FROM complaint_event e "
        "JOIN complaint c ON c.id = e.complaint_id WHERE e.kind IN ('assign', 'start', 'respond')",
    )
    for code in codes:  # one event of each per complaint, each note its own complaint's
        mine = [(e["kind"], e["public_note"]) for e in events if e["tracking_code"] == code]
        assert sorted(mine, key=str) == sorted(
            [
                ("assign", None),
                ("start", None),
                ("respond", f"Laporan {code[:5]}-{code[5:]} sedang dikerjakan."),
            ],
            key=str,
        )
    # The reporter hears of each move as if it were made alone (assigning is internal).
    notices = await fetch(services, "SELECT count(*) FROM outbox WHERE kind = 'status'")
    assert notices[0][0] == 6
    mistyped = await bulk(head, action="start", codes=["ABCDE-FGH13", codes[0]])
    assert (mistyped.status, (await mistyped.json())["errors"][0]["field"]) == (422, "codes[0]")


async def test_search_filters_and_export_keep_to_what_the_officer_may_see(
    client, services, clock, accounts
):
    head, dlh = accounts["dpupr"], accounts["dlh"]
    place = {"lat": -6.2383, "lon": 106.9756, "kecamatan": "Bekasi Timur"}

    async def filed(text, kelurahan, category="jalan", days_ago=0):
        clock.set(wib(2026, 11, 23, 9) - timedelta(days=days_ago))
        location = {**place, "kelurahan": kelurahan}
        return (await file(client, text=text, category=category, location=location))[
            "tracking_code"
        ]

    lamp = await filed(
        "Lampu jalan di gang kami mati, 100% gelap tiap malam.", "Sukamaju", days_ago=13
    )
    formula = await filed(
        '=HYPERLINK("http://x") jalan berlubang di depan pasar.', " sukamaju ", days_ago=3
    )
    bridge = await filed("Jembatan kecil retak, pegangan tangannya hilang.", "Cibeber")
    rubbish = await filed("Sampah menumpuk di pinggir jalan Sukamaju.", "Sukamaju", "sampah")
    clock.set(wib(2026, 11, 23, 9))
    async with services.pool.acquire() as conn:
        await conn.execute(
            "UPDATE complaint SET channel = 'telegram' WHERE tracking_code = $1", bridge
        )

    async def codes(who=head, **params):
        return set(await queue_codes(client, who, **params))

    assert await codes(q="LAMPU gang") == {lamp}
    assert await codes(q="100%") == {lamp}  # the wildcard is a character like any other
    assert await codes(q="_") == set()
    assert await codes(q=f"{formula[:5]}-{formula[5:]}".lower()) == {formula}
    assert await codes(kelurahan="SUKAMAJU") == {lamp, formula}
    assert await codes(dlh, kelurahan="sukamaju") == {rubbish}
    assert await codes(dlh, q="lampu") == set()  # another agency's complaints are not there
    assert await codes(created_from="2026-11-15") == {formula, bridge}
    assert await codes(created_from="2026-11-01", created_to="2026-11-20") == {lamp, formula}
    assert await codes(channel="telegram") == {bridge}
    for params, field in (
        ({"created_from": "2026-13-01"}, "created_from"),
        ({"created_from": "2026-11-20", "created_to": "2026-11-19"}, "created_to"),
        ({"sla": "blue"}, "sla"),
        ({"assignee": "someone"}, "assignee"),
    ):
        wrong = await client.get("/api/v1/queue", params=params, headers=head.headers)
        assert wrong.status == 422 and (await wrong.json())["errors"][0]["field"] == field

    # The colour filter agrees with the colours the queue shows, to the microsecond.
    now = clock.now()
    boundary = sla.amber_from(services.city, "response", now)
    async with services.pool.acquire() as conn:
        for code, due in (
            (lamp, now - timedelta(hours=1)),
            (formula, boundary - timedelta(microseconds=1)),
            (bridge, boundary),
        ):
            await conn.execute(
                "UPDATE complaint SET due_at = $2, sla_stage = 'response' WHERE tracking_code = $1",
                code,
                due,
            )
    listed = (await (await client.get("/api/v1/queue", headers=head.headers)).json())["items"]
    colours = {item["tracking_code"]: item["sla"]["state"] for item in listed}
    assert colours == {lamp: "red", formula: "amber", bridge: "green"}
    for state in ("red", "amber", "green"):
        assert await codes(sla=state) == {c for c, s in colours.items() if s == state}

    # The export: the same filters, every row, nothing of another agency's.
    exported = await client.get(
        "/api/v1/queue/export", params={"kelurahan": "sukamaju"}, headers=head.headers
    )
    assert exported.status == 200
    assert exported.content_type == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(await exported.text())))
    assert rows[0][:3] == ["Kode", "Status", "Judul"]
    by_code = {row[0].replace("-", ""): row for row in rows[1:]}
    assert set(by_code) == {lamp, formula}
    assert by_code[formula][3].startswith("'=HYPERLINK")  # no formula for the spreadsheet
    sla_column = rows[0].index("SLA")
    assert (by_code[lamp][sla_column], by_code[formula][sla_column]) == ("Merah", "Kuning")
    assert "Siti" not in await exported.text()  # never the reporter
    theirs = await client.get("/api/v1/queue/export", params={"q": "sukamaju"}, headers=dlh.headers)
    assert [
        row[0].replace("-", "") for row in list(csv.reader(io.StringIO(await theirs.text())))[1:]
    ] == [rubbish]
    forbidden = await client.get(
        "/api/v1/queue/export", params={"agency": "DPUPR"}, headers=dlh.headers
    )
    assert forbidden.status == 403
