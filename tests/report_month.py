"""A hand-built October 2026 (and a little of September) for the report tests, written with
direct SQL so every timestamp is chosen. The default city works 07:30-16:00 (8.5 hours), and
October 2026 has no holidays in Indonesia, so "09:00 the next working day" is exactly one
working day and 4 h 15 min is half of one.

The complaints (J = Asia/Jakarta):
  A jalan/DPUPR/web      created Thu 1 Oct 09:00, responded Fri 2 Oct 09:00 (1 wd),
                         resolved Tue 6 Oct 09:00 (3 wd), closed; response and resolve due
                         Thu 8 Oct 16:00 (both met). Survey sent 6 Oct, answered.
  B sampah/DLH/telegram  created Mon 5 Oct 10:00 at the desk, verified Wed 7 Oct 10:00
                         (verify due Thu 8 Oct 10:00: met), resolved Tue 20 Oct 10:00 (11 wd),
                         reopened Thu 22 Oct 10:00 by the survey's "Belum": assigned, no
                         response yet; response due Thu 29 Oct 10:00 (missed). Survey reopened.
  C penerangan_jalan/DISPERKIM/whatsapp  created Tue 13 Oct 15:00, never answered: response
                         due Tue 20 Oct 15:00 and resolve due Tue 27 Oct 15:00 both missed;
                         escalated level 1 on 21 Oct and level 2 on 28 Oct.
  D jalan/DPUPR/web      created Mon 28 Sep 09:00, responded Tue 29 Sep 09:00 (1 wd, in
                         September), resolved Thu 1 Oct 13:15 (3.5 wd); resolve due Mon 5 Oct
                         (met). Survey sent 1 Oct, expired.
  E lainnya/desk/web     created Fri 30 Oct 10:00, waiting at the desk (verify due in November).
  G kesehatan/DINKES/web created Mon 26 Oct 09:00, responded Tue 27 Oct 13:15 (1.5 wd),
                         resolved Tue 3 Nov (after the month: open at its end).
  H pasar/desk/whatsapp  created Wed 14 Oct 10:00, verify due Mon 19 Oct 10:00 (missed),
                         rejected Wed 21 Oct 10:00.
  N jalan/DPUPR/web      created Mon 2 Nov: outside the month.
IKM answers: October DPUPR all 4, all 3, and an anonim 4,4,3,3,2,4,4,3,3; DLH all 2;
September DPUPR all 4.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from lapor import tracking

J = ZoneInfo("Asia/Jakarta")
OCTOBER = date(2026, 10, 1)
SEPTEMBER = date(2026, 9, 1)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=J)


async def add_complaint(
    conn,
    *,
    category,
    agency,
    status,
    channel,
    created_at,
    updated_at=None,
    assigned_at=None,
    responded_at=None,
    resolved_at=None,
    closed_at=None,
    verify_due_at=None,
    response_due_at=None,
    resolve_due_at=None,
) -> int:
    return await conn.fetchval(
        """INSERT INTO complaint (tracking_code, body, category_code, agency_code, status,
               channel, created_at, updated_at, assigned_at, responded_at, resolved_at,
               closed_at, verify_due_at, response_due_at, resolve_due_at)
           VALUES ($1, 'Isi laporan untuk uji laporan bulanan.', $2, $3, $4, $5, $6, $7, $8,
                   $9, $10, $11, $12, $13, $14)
           RETURNING id""",
        tracking.new_code(),
        category,
        agency,
        status,
        channel,
        created_at,
        updated_at or created_at,
        assigned_at,
        responded_at,
        resolved_at,
        closed_at,
        verify_due_at,
        response_due_at,
        resolve_due_at,
    )


async def add_event(
    conn,
    complaint_id,
    kind,
    created_at,
    *,
    from_status=None,
    to_status=None,
    from_agency=None,
    to_agency=None,
    data=None,
    actor="officer",
) -> None:
    await conn.execute(
        """INSERT INTO complaint_event (complaint_id, kind, from_status, to_status, from_agency,
               to_agency, actor_kind, data, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
        complaint_id,
        kind,
        from_status,
        to_status,
        from_agency,
        to_agency,
        actor,
        data or {},
        created_at,
    )


async def filed(conn, complaint_id, created_at, agency=None) -> None:
    """The intake events: received, and routed when the router sent it straight on."""
    await add_event(
        conn, complaint_id, "received", created_at, to_status="received", actor="reporter"
    )
    if agency:
        await add_event(
            conn,
            complaint_id,
            "routed",
            created_at,
            from_status="received",
            to_status="assigned",
            to_agency=agency,
            actor="system",
        )


async def add_response(conn, complaint_id, month, agency, fixed, scores) -> None:
    await conn.execute(
        """INSERT INTO survey_response (complaint_id, month, agency_code, category_code, fixed,
               u1, u2, u3, u4, u5, u6, u7, u8, u9)
           VALUES ($1, $2, $3, 'jalan', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""",
        complaint_id,
        month,
        agency,
        fixed,
        *scores,
    )


async def add_survey(conn, complaint_id, status, sent_at) -> None:
    await conn.execute(
        """INSERT INTO survey (complaint_id, channel, status, created_at, sent_at)
           VALUES ($1, 'telegram', $2, $3, $3)""",
        complaint_id,
        status,
        sent_at,
    )


async def build_october(conn) -> dict[str, int]:
    ids: dict[str, int] = {}
    # A
    ids["A"] = a = await add_complaint(
        conn,
        category="jalan",
        agency="DPUPR",
        status="closed",
        channel="web",
        created_at=at(10, 1),
        updated_at=at(10, 10),
        assigned_at=at(10, 1),
        responded_at=at(10, 2),
        resolved_at=at(10, 6),
        closed_at=at(10, 10),
        response_due_at=at(10, 8, 16),
        resolve_due_at=at(10, 8, 16),
    )
    await filed(conn, a, at(10, 1), "DPUPR")
    await add_event(
        conn,
        a,
        "respond",
        at(10, 2),
        from_status="assigned",
        to_status="assigned",
        from_agency="DPUPR",
        to_agency="DPUPR",
    )
    await add_event(
        conn,
        a,
        "resolve",
        at(10, 6),
        from_status="assigned",
        to_status="resolved",
        from_agency="DPUPR",
        to_agency="DPUPR",
    )
    await add_event(
        conn,
        a,
        "close",
        at(10, 10),
        from_status="resolved",
        to_status="closed",
        from_agency="DPUPR",
        to_agency="DPUPR",
    )
    # B
    ids["B"] = b = await add_complaint(
        conn,
        category="sampah",
        agency="DLH",
        status="assigned",
        channel="telegram",
        created_at=at(10, 5, 10),
        updated_at=at(10, 22, 10),
        assigned_at=at(10, 22, 10),
        verify_due_at=at(10, 8, 10),
        response_due_at=at(10, 29, 10),
        resolve_due_at=at(11, 12, 10),
    )
    await filed(conn, b, at(10, 5, 10))
    await add_event(
        conn,
        b,
        "verify",
        at(10, 7, 10),
        from_status="received",
        to_status="assigned",
        to_agency="DLH",
    )
    await add_event(
        conn,
        b,
        "resolve",
        at(10, 20, 10),
        from_status="assigned",
        to_status="resolved",
        from_agency="DLH",
        to_agency="DLH",
    )
    await add_event(
        conn,
        b,
        "reopen",
        at(10, 22, 10),
        from_status="resolved",
        to_status="assigned",
        from_agency="DLH",
        to_agency="DLH",
        actor="reporter",
    )
    # C
    ids["C"] = c = await add_complaint(
        conn,
        category="penerangan_jalan",
        agency="DISPERKIM",
        status="assigned",
        channel="whatsapp",
        created_at=at(10, 13, 15),
        updated_at=at(10, 13, 15),
        assigned_at=at(10, 13, 15),
        response_due_at=at(10, 20, 15),
        resolve_due_at=at(10, 27, 15),
    )
    await filed(conn, c, at(10, 13, 15), "DISPERKIM")
    for level, day in ((1, 21), (2, 28)):
        await add_event(
            conn,
            c,
            "escalation",
            at(10, day, 10),
            from_agency="DISPERKIM",
            to_agency="SETDA" if level == 1 else "WALIKOTA",
            data={"level": level},
            actor="system",
        )
    # D
    ids["D"] = d = await add_complaint(
        conn,
        category="jalan",
        agency="DPUPR",
        status="resolved",
        channel="web",
        created_at=at(9, 28),
        updated_at=at(10, 1, 13, 15),
        assigned_at=at(9, 28),
        responded_at=at(9, 29),
        resolved_at=at(10, 1, 13, 15),
        resolve_due_at=at(10, 5, 16),
    )
    await filed(conn, d, at(9, 28), "DPUPR")
    await add_event(
        conn,
        d,
        "respond",
        at(9, 29),
        from_status="assigned",
        to_status="assigned",
        from_agency="DPUPR",
        to_agency="DPUPR",
    )
    await add_event(
        conn,
        d,
        "resolve",
        at(10, 1, 13, 15),
        from_status="assigned",
        to_status="resolved",
        from_agency="DPUPR",
        to_agency="DPUPR",
    )
    # E
    ids["E"] = e = await add_complaint(
        conn,
        category="lainnya",
        agency=None,
        status="received",
        channel="web",
        created_at=at(10, 30, 10),
        verify_due_at=at(11, 4, 10),
    )
    await filed(conn, e, at(10, 30, 10))
    # G
    ids["G"] = g = await add_complaint(
        conn,
        category="kesehatan",
        agency="DINKES",
        status="resolved",
        channel="web",
        created_at=at(10, 26),
        updated_at=at(11, 3),
        assigned_at=at(10, 26),
        responded_at=at(10, 27, 13, 15),
        resolved_at=at(11, 3),
        response_due_at=at(11, 2),
        resolve_due_at=at(11, 20),
    )
    await filed(conn, g, at(10, 26), "DINKES")
    await add_event(
        conn,
        g,
        "respond",
        at(10, 27, 13, 15),
        from_status="assigned",
        to_status="assigned",
        from_agency="DINKES",
        to_agency="DINKES",
    )
    await add_event(
        conn,
        g,
        "resolve",
        at(11, 3),
        from_status="assigned",
        to_status="resolved",
        from_agency="DINKES",
        to_agency="DINKES",
    )
    # H
    ids["H"] = h = await add_complaint(
        conn,
        category="pasar",
        agency=None,
        status="rejected",
        channel="whatsapp",
        created_at=at(10, 14, 10),
        updated_at=at(10, 21, 10),
        verify_due_at=at(10, 19, 10),
    )
    await filed(conn, h, at(10, 14, 10))
    await add_event(conn, h, "reject", at(10, 21, 10), from_status="received", to_status="rejected")
    # N
    ids["N"] = n = await add_complaint(
        conn,
        category="jalan",
        agency="DPUPR",
        status="assigned",
        channel="web",
        created_at=at(11, 2),
        assigned_at=at(11, 2),
    )
    await filed(conn, n, at(11, 2), "DPUPR")

    await add_survey(conn, a, "answered", at(10, 6, 10))
    await add_survey(conn, d, "expired", at(10, 1, 14))
    await add_survey(conn, b, "reopened", at(10, 20, 11))
    await add_response(conn, a, OCTOBER, "DPUPR", "sudah", [4] * 9)
    await add_response(conn, None, OCTOBER, "DPUPR", "tidak_tahu", [3] * 9)
    await add_response(conn, None, OCTOBER, "DPUPR", "sudah", [4, 4, 3, 3, 2, 4, 4, 3, 3])
    await add_response(conn, None, OCTOBER, "DLH", "sudah", [2] * 9)
    await add_response(conn, None, SEPTEMBER, "DPUPR", "sudah", [4] * 9)
    return ids
