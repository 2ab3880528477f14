"""SQL for filing a new complaint in one statement: the door's rate-limit hit, the reporter,
the complaint with its first deadlines and its first timeline events. Callers own any
transaction around it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

from lapor.repo.complaints import EventRow
from lapor.repo.ratelimit import HIT_STEP

# A new complaint in one statement (one round trip at intake): a rate-limit hit when $54 is
# not NULL (written in any case; the rest only while its hits stay within $57), its reporter
# when $6, the complaint with its first deadlines ($34-$42, UPDATE_DEADLINES' order in
# repo/sla.py), its priority ($58) and its service definition's answers ($59), and its first
# timeline events in order, and complaint.created for each webhook subscriber ($60, None for
# a rahasia complaint: lapor/hooks.py) with its NOTIFY, so the event commits or rolls back
# with the filing. No complaint when the tracking code ($7) is taken: the reporter's
# id comes back then, for the next try with $22.
INSERT_FILED = (
    "WITH "
    + HIT_STEP.format(key=54, start=55, end=56)
    + """, allowed AS (
    SELECT coalesce((SELECT hits FROM h) <= $57::integer, true) AS yes
), r AS (
    INSERT INTO reporter (channel, name, phone, email, chat_id)
    SELECT $1::text, $2::text, $3::text, $4::text, $5::text
    WHERE $6::boolean AND (SELECT yes FROM allowed)
    RETURNING id
), c AS (
    INSERT INTO complaint (
        tracking_code, title, body, category_code, category_hint, agency_code, status,
        rahasia, anonim, latitude, longitude, address, kelurahan, kecamatan, channel, reporter_id,
        predicted_category, confidence, model_version, auto_routed, suggestions,
        created_at, updated_at, assigned_at, routing_terms, non_complaint, public_title,
        public_body, sla_stage, stage_started_at, due_at, verify_due_at, response_due_at,
        resolve_due_at, close_due_at, escalation_level, next_step_at, priority, attributes)
    SELECT $7::text, $8::text, $9::text, $10::text, $11::text, $12::text, $13::text,
           $14::boolean, $15::boolean, $16::float8, $17::float8, $18::text, $19::text,
           $20::text, $21::text, coalesce((SELECT id FROM r), $22::bigint),
           $23::text, $24::real, $25::text, $26::boolean, $27::jsonb,
           $28::timestamptz, $28::timestamptz, $29::timestamptz, $30::jsonb, $31::boolean,
           $32::text, $33::text, $34::text, $35::timestamptz, $36::timestamptz,
           $37::timestamptz, $38::timestamptz, $39::timestamptz, $40::timestamptz,
           $41::smallint, $42::timestamptz, $58::text, coalesce($59::jsonb, '{}')
    WHERE (SELECT yes FROM allowed)
    ON CONFLICT (tracking_code) DO NOTHING
    RETURNING id
), e AS (
    INSERT INTO complaint_event (
        complaint_id, kind, from_status, to_status, from_agency, to_agency,
        actor_kind, officer_id, public_note, internal_note, data, created_at)
    SELECT c.id, e.kind, e.from_status, e.to_status, e.from_agency, e.to_agency,
           e.actor_kind, e.officer_id, e.public_note, e.internal_note, e.data::jsonb,
           e.created_at
    FROM c, unnest($43::text[], $44::text[], $45::text[], $46::text[], $47::text[],
                   $48::text[], $49::bigint[], $50::text[], $51::text[], $52::text[],
                   $53::timestamptz[]) WITH ORDINALITY
         AS e(kind, from_status, to_status, from_agency, to_agency, actor_kind, officer_id,
              public_note, internal_note, data, created_at, n)
    ORDER BY e.n
), w AS (
    INSERT INTO outbox (channel, recipient, kind, payload, complaint_id, next_attempt_at,
                        created_at)
    SELECT 'webhook', s.id::text, 'complaint.created', $60::jsonb, c.id, $28::timestamptz,
           $28::timestamptz
    FROM c, webhook_subscription s
    WHERE $60::jsonb IS NOT NULL AND s.revoked_at IS NULL
      AND 'complaint.created' = ANY(s.events)
    RETURNING id
), n AS (
    SELECT pg_notify('lapor_outbox', 'webhook') WHERE EXISTS (SELECT 1 FROM w)
)
SELECT coalesce((SELECT id FROM r), $22::bigint) AS reporter_id, (SELECT id FROM c) AS id,
       (SELECT hits FROM h) AS hits, (SELECT count(*) FROM n) AS notified
"""
)


_EVENT_TEXT_COLUMNS = (  # EventRow's fields in INSERT_FILED's $43-$51
    "kind", "from_status", "to_status", "from_agency", "to_agency", "actor_kind", "officer_id",
    "public_note", "internal_note",
)  # fmt: skip


async def insert_filed(
    conn: asyncpg.Connection,
    reporter: Sequence[Any] | None,
    complaint: Sequence[Any],
    deadlines: Sequence[Any],
    events: Sequence[EventRow],
    hit: Sequence[Any] | None = None,
    priority: str = "sedang",
    attributes: Mapping[str, str] | None = None,
    created_event: Mapping[str, Any] | None = None,
) -> tuple[int | None, int | None, int | None]:
    """A new complaint, its reporter and first events in one statement. reporter: channel,
    name, phone, email, chat_id (None: no new reporter); complaint: INSERT_COMPLAINT's values
    (its reporter id used when no new reporter is given); deadlines: UPDATE_DEADLINES' from
    sla_stage; hit: a rate-limit key, its window's start and end and the hits it allows, counted
    first (None: no limit); attributes: the answers to the category's service definition.
    Returns (reporter id, complaint id, hits so far): nothing but the hit is written past the
    limit, and only the reporter when the tracking code is taken."""
    columns = [[getattr(event, name) for event in events] for name in _EVENT_TEXT_COLUMNS]
    data = [json.dumps(event.data or {}) for event in events]  # as the jsonb codec writes it
    row = await conn.fetchrow(
        INSERT_FILED,
        *(reporter or (None,) * 5),
        reporter is not None,
        *complaint,
        *deadlines,
        *columns,
        data,
        [event.created_at for event in events],
        *(hit or (None,) * 4),
        priority,
        dict(attributes) if attributes else None,
        dict(created_event) if created_event else None,
    )
    return row["reporter_id"], row["id"], row["hits"]
