"""The data of bench/scale.py: five million complaints with their timelines and messages,
written by PostgreSQL itself (generate_series, a fixed seed), and the open complaints' deadlines
from lapor.sla."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import asyncpg
from sla import CITY, NOW

from lapor import sla
from lapor.city import DESK_CATEGORY
from lapor.db import connect

SWEPT = NOW - timedelta(minutes=10)  # the scheduler's last sweep before the bench
CHUNK = 250_000

# The city's complaints, in id order, `count` of them from `first` on; $1..$2 the ids, $3
# the first moment, $4 the span in seconds, $5 NOW, $6 categories, $7 their agencies.
COMPLAINTS = """
WITH raw AS (
    SELECT g,
           $3::timestamptz + make_interval(secs => (g - 1 + random()) * $4::float8 / $8::float8)
               AS created,
           floor(random() * cardinality($6::text[]))::int + 1 AS pick,
           random() AS r_desk, random() AS r_reject, random() AS r_channel, random() AS r_assign,
           random() AS r_respond, random() AS r_resolve, random() AS r_stuck
    FROM generate_series($1::bigint, $2::bigint) g
), timed AS (
    SELECT g, created, ($6::text[])[pick] AS category, ($7::text[])[pick] AS agency,
           r_desk < 0.3 AS at_desk, r_desk < 0.3 AND r_reject < 0.13 AS rejected,
           r_stuck > 0.995 AS stuck,
           CASE WHEN r_channel < 0.5 THEN 'web' WHEN r_channel < 0.8 THEN 'telegram'
                ELSE 'whatsapp' END AS channel,
           created + CASE WHEN r_desk < 0.3 THEN make_interval(secs => (0.1 + 4.9 * r_assign) * 86400)
                          ELSE interval '0' END AS assigned,
           r_respond, r_resolve
    FROM raw
), steps AS (
    SELECT t.*, t.assigned + make_interval(secs => (0.05 + 8 * t.r_respond) * 86400) AS responded
    FROM timed t
), planned AS (
    SELECT s.*, s.responded + make_interval(secs => 20 * s.r_resolve * 86400) AS resolved
    FROM steps s
), at_now AS (
    SELECT p.*,
           CASE WHEN p.rejected THEN CASE WHEN p.created + interval '1 day' <= $5 THEN 'rejected'
                                          ELSE 'received' END
                WHEN p.assigned > $5 THEN 'received'
                WHEN p.responded > $5 THEN 'assigned'
                WHEN p.stuck OR p.resolved > $5 THEN 'in_progress'
                WHEN p.resolved + interval '10 days' > $5 THEN 'resolved'
                ELSE 'closed' END AS status
    FROM planned p
)
INSERT INTO complaint (
    tracking_code, body, public_body, category_code, agency_code, status, channel, created_at,
    updated_at, assigned_at, responded_at, resolved_at, closed_at, verified_at, verify_due_at,
    response_due_at, resolve_due_at)
SELECT lpad(upper(to_hex(g)), 10, '0'), body.text, body.text,
       CASE WHEN status IN ('received', 'rejected') AND at_desk AND g % 2 = 0 THEN NULL
            ELSE category END,
       CASE WHEN status IN ('received', 'rejected') THEN NULL ELSE agency END,
       status, channel, created,
       CASE status WHEN 'received' THEN created WHEN 'rejected' THEN created + interval '1 day'
                   WHEN 'assigned' THEN assigned WHEN 'in_progress' THEN responded
                   WHEN 'resolved' THEN resolved ELSE resolved + interval '10 days' END,
       CASE WHEN status NOT IN ('received', 'rejected') THEN assigned END,
       CASE WHEN status IN ('in_progress', 'resolved', 'closed') THEN responded END,
       CASE WHEN status IN ('resolved', 'closed') THEN resolved END,
       CASE status WHEN 'closed' THEN resolved + interval '10 days'
                   WHEN 'rejected' THEN created + interval '1 day' END,
       CASE WHEN status NOT IN ('received', 'rejected') THEN assigned END,
       CASE WHEN at_desk THEN created + interval '3 days' END,
       CASE WHEN status NOT IN ('received', 'rejected') THEN assigned + interval '7 days' END,
       CASE WHEN status NOT IN ('received', 'rejected') THEN assigned + interval '12 days' END
FROM at_now,
     LATERAL (SELECT (ARRAY[
         'Jalan di depan sekolah berlubang besar dan membahayakan pengendara motor.',
         'Sampah di TPS dekat pasar sudah seminggu tidak diangkut, baunya menyengat.',
         'Lampu jalan di gang kami mati sejak tiga hari, sangat gelap dan rawan.',
         'Air PDAM mati sejak kemarin pagi tanpa pemberitahuan kepada warga.'])[g % 4 + 1]
              AS text) body
ORDER BY g
"""

# Each complaint's timeline from its columns, in time order within the chunk of complaints.
EVENTS = """
INSERT INTO complaint_event (complaint_id, kind, from_status, to_status, from_agency, to_agency,
                             actor_kind, data, created_at)
SELECT c.id, e.kind, e.from_status, e.to_status, e.from_agency, e.to_agency, e.actor_kind,
       e.data::jsonb, e.at
FROM complaint c
CROSS JOIN LATERAL (VALUES
    ('received', NULL, 'received', NULL, NULL, 'reporter', '{}', c.created_at),
    (CASE WHEN c.verify_due_at IS NULL THEN 'routed' ELSE 'verify' END, 'received', 'assigned',
     NULL, c.agency_code, CASE WHEN c.verify_due_at IS NULL THEN 'system' ELSE 'officer' END,
     '{}', c.assigned_at),
    ('respond', 'assigned', 'in_progress', c.agency_code, c.agency_code, 'officer', '{}',
     c.responded_at),
    ('resolve', 'in_progress', 'resolved', c.agency_code, c.agency_code, 'officer', '{}',
     c.resolved_at),
    ('close', 'resolved', 'closed', c.agency_code, c.agency_code, 'system', '{}',
     CASE WHEN c.status = 'closed' THEN c.closed_at END),
    ('reject', 'received', 'rejected', NULL, NULL, 'officer', '{}',
     CASE WHEN c.status = 'rejected' THEN c.closed_at END),
    ('reminder', NULL, NULL, NULL, NULL, 'system', '{"level": 1, "stage": "response"}',
     CASE WHEN c.id % 4 = 0 AND c.responded_at IS NOT NULL THEN c.assigned_at + interval '3 days' END),
    ('escalation', NULL, NULL, NULL, NULL, 'system', '{"level": 2, "stage": "response"}',
     CASE WHEN c.id % 4 = 0 AND c.responded_at IS NOT NULL THEN c.assigned_at + interval '7 days' END)
) e(kind, from_status, to_status, from_agency, to_agency, actor_kind, data, at)
WHERE c.id BETWEEN $1 AND $2 AND e.at IS NOT NULL AND e.at <= $3
ORDER BY e.at
"""

# What the outbox sent: the chat reporter's notices of public moves, the officers' reminders and
# escalations (two contacts each).
MESSAGES = """
INSERT INTO outbox (channel, recipient, kind, payload, dedupe_key, complaint_id, status, attempts,
                    next_attempt_at, created_at, sent_at)
SELECT m.channel, m.recipient, m.kind, jsonb_build_object('text', m.text, 'buttons', '[]'::jsonb),
       m.kind || ':' || e.id || ':' || m.recipient, e.complaint_id, 'sent', 1, e.created_at,
       e.created_at, e.created_at + interval '2 seconds'
FROM complaint_event e
JOIN complaint c ON c.id = e.complaint_id
CROSS JOIN LATERAL (
    SELECT c.channel, '62812' || c.id, 'status',
           'Laporan ' || c.tracking_code || ' kini ' || e.to_status || '. Terima kasih telah melapor; '
           || 'ikuti perkembangannya di https://lapor.kota-contoh.go.id/lacak/' || c.tracking_code
    WHERE c.channel <> 'web' AND e.kind IN ('verify', 'respond', 'resolve', 'close', 'reject')
    UNION ALL
    SELECT 'telegram', '-1009' || lpad(n::text, 9, '0'), e.kind,
           'Pengingat: laporan ' || c.tracking_code || ' menunggu tanggapan ' || c.agency_code
    FROM generate_series(1, 2) n
    WHERE e.kind IN ('reminder', 'escalation')
) m(channel, recipient, kind, text)
WHERE e.complaint_id BETWEEN $1 AND $2
ORDER BY e.created_at
"""

OPEN_ROWS = """
SELECT id, status, category_code, agency_code, created_at, assigned_at, responded_at, resolved_at
FROM complaint WHERE status IN ('received', 'assigned', 'in_progress', 'resolved')
ORDER BY id
"""

SET_CLOCKS = """
UPDATE complaint c SET sla_stage = s.sla_stage, stage_started_at = s.stage_started_at,
    due_at = s.due_at, verify_due_at = s.verify_due_at, response_due_at = s.response_due_at,
    resolve_due_at = s.resolve_due_at, close_due_at = s.close_due_at,
    escalation_level = s.escalation_level, next_step_at = s.next_step_at
FROM clocks s WHERE s.id = c.id
"""

# Secondary indexes are dropped for the load and built afterwards (faster than keeping them).
SECONDARY_INDEXES = """
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid
WHERE t.relname IN ('complaint', 'complaint_event', 'outbox') AND k.oid IS NULL
  AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
"""


async def load(dsn: str, count: int, first: datetime) -> dict[str, float]:
    """`count` complaints from `first` to NOW, their events and messages; seconds per step."""
    span = (NOW - first).total_seconds()
    categories = [code for code in CITY.categories if code != DESK_CATEGORY]
    agencies = [CITY.categories[code].agency for code in categories]
    timings: dict[str, float] = {}
    async with connect(dsn) as conn:
        await conn.execute(
            "SET session_replication_role = replica; SET synchronous_commit = off;"
            "SET maintenance_work_mem = '512MB'; SELECT setseed(0.20261202)"
        )
        secondary = await conn.fetch(SECONDARY_INDEXES)
        for index in secondary:
            await conn.execute(f"DROP INDEX {index['name']}")
        for label, statement, args in (
            ("complaints", COMPLAINTS, (first, span, NOW, categories, agencies, count)),
            ("events", EVENTS, (NOW,)),
            ("outbox", MESSAGES, ()),
        ):
            started = time.perf_counter()
            for low in range(1, count + 1, CHUNK):
                high = min(count, low + CHUNK - 1)
                await conn.execute(statement, low, high, *args)
                print(
                    f"  {label}: {high:>9,} complaints  {time.perf_counter() - started:6.1f} s",
                    flush=True,
                )
            timings[f"load {label}"] = time.perf_counter() - started
        started = time.perf_counter()
        await conn.execute(
            "INSERT INTO outbox_dedupe SELECT dedupe_key, created_at FROM outbox "
            "WHERE dedupe_key IS NOT NULL"
        )
        timings["load outbox_dedupe"] = time.perf_counter() - started
        started = time.perf_counter()
        for index in secondary:  # a partitioned table's is ON ONLY the parent: all of it here
            await conn.execute(index["definition"].replace(" ON ONLY ", " ON ", 1))
        timings["build secondary indexes"] = time.perf_counter() - started
        started = time.perf_counter()
        timings["open complaints' deadlines"] = await set_clocks(conn)
        started = time.perf_counter()
        await conn.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - started
        sizes = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM complaint) AS complaints, "
            "(SELECT count(*) FROM complaint_event) AS events, "
            "(SELECT count(*) FROM outbox) AS messages, "
            "pg_size_pretty(pg_database_size(current_database())) AS size"
        )
        print(
            f"  {sizes['complaints']:,} complaints, {sizes['events']:,} events, "
            f"{sizes['messages']:,} outbox messages; {sizes['size']} on disk"
        )
    return timings


async def set_clocks(conn: asyncpg.Connection) -> float:
    """Deadlines and ladder progress of every open complaint, from lapor.sla (as the app
    writes them), as if the last sweep ran at SWEPT."""
    started = time.perf_counter()
    rows = await conn.fetch(OPEN_ROWS)
    clocks = []
    for row in rows:
        desk = row["status"] == "received"
        found = sla.deadlines_for(
            CITY,
            status=row["status"],
            category_code=row["category_code"],
            verify_started_at=row["created_at"] if desk else None,
            assigned_at=row["assigned_at"],
            responded_at=row["responded_at"],
            resolved_at=row["resolved_at"],
        )
        steps = sla.ladder(
            CITY,
            found.stage,
            None if desk else row["agency_code"],
            found.stage_started_at,
            found.due_at,
            row["category_code"],
        )
        level = sum(1 for step in steps if step.at <= SWEPT)
        clocks.append(
            (
                row["id"],
                found.stage,
                found.stage_started_at,
                found.due_at,
                found.verify_due_at,
                found.response_due_at,
                found.resolve_due_at,
                found.close_due_at,
                level,
                sla.next_step_at(steps, level),
            )
        )
    await conn.execute(
        "CREATE TEMP TABLE clocks (id bigint, sla_stage text, stage_started_at timestamptz, "
        "due_at timestamptz, verify_due_at timestamptz, response_due_at timestamptz, "
        "resolve_due_at timestamptz, close_due_at timestamptz, escalation_level smallint, "
        "next_step_at timestamptz)"
    )
    await conn.copy_records_to_table("clocks", records=clocks)
    await conn.execute(SET_CLOCKS)
    print(f"  deadlines of {len(clocks):,} open complaints: {time.perf_counter() - started:.1f} s")
    return time.perf_counter() - started
