"""SQL for SLA deadlines, the escalation sweep and auto-close. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg
from asyncpg import Record

# What deadline computation needs to know about one complaint (read after the move's update,
# so the stage columns still hold what the complaint left).
SELECT_CLOCKS = """
SELECT id, status, priority, category_code, agency_code, created_at, assigned_at, responded_at,
       resolved_at, sla_stage, stage_started_at, escalation_level, next_step_at, due_at,
       verify_due_at, response_due_at, resolve_due_at, close_due_at
FROM complaint
WHERE id = $1
"""

UPDATE_DEADLINES = """
UPDATE complaint SET
    sla_stage = $2, stage_started_at = $3, due_at = $4, verify_due_at = $5,
    response_due_at = $6, resolve_due_at = $7, close_due_at = $8,
    escalation_level = $9, next_step_at = $10
WHERE id = $1
"""

# The sweep's claim: complaints with a ladder step due, locked for this transaction. Another
# sweep running at the same moment skips them and takes the next ones; after commit their
# next_step_at lies in the future, so nobody takes the same step again. With each, its owner
# (the assigned officer, while active and still of the agency) and how to reach them.
CLAIM_DUE_STEPS = """
SELECT c.id, c.tracking_code, c.status, c.agency_code, c.category_code, c.sla_stage,
       c.stage_started_at, c.due_at, c.escalation_level, c.priority, c.assignee_id,
       owner.display_name AS owner_name, owner.email AS owner_email,
       owner.telegram_chat AS owner_telegram
FROM complaint c
LEFT JOIN officer owner
       ON owner.id = c.assignee_id AND owner.active AND owner.agency_code = c.agency_code
WHERE c.next_step_at <= $1
ORDER BY c.next_step_at, c.id
LIMIT $2
FOR UPDATE OF c SKIP LOCKED
"""

# The ledger rows are written first: a step already in the ledger is never announced again.
INSERT_STEPS = """
INSERT INTO sla_step (complaint_id, stage, stage_started_at, level, kind, agency_code,
                      due_at, taken_at, messages)
SELECT s.complaint_id, s.stage, s.stage_started_at, s.level, s.kind, s.agency_code,
       s.due_at, $9, s.messages
FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::smallint[], $5::text[],
            $6::text[], $7::timestamptz[], $8::integer[])
     AS s(complaint_id, stage, stage_started_at, level, kind, agency_code, due_at, messages)
ON CONFLICT DO NOTHING
RETURNING complaint_id, level
"""

# The steps' internal timeline events (actor "system"), one statement for a sweep's batch.
INSERT_STEP_EVENTS = """
INSERT INTO complaint_event (complaint_id, kind, actor_kind, internal_note, data, created_at)
SELECT e.complaint_id, e.kind, 'system', e.note, e.data::jsonb, $5
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
     AS e(complaint_id, kind, note, data)
"""

UPDATE_PROGRESS = """
UPDATE complaint AS c SET escalation_level = p.level, next_step_at = p.next_step_at
FROM unnest($1::bigint[], $2::smallint[], $3::timestamptz[]) AS p(id, level, next_step_at)
WHERE c.id = p.id
"""

CLAIM_DUE_CLOSES = """
SELECT id, tracking_code, reporter_id, agency_code, category_code, rahasia, kecamatan,
       kelurahan
FROM complaint
WHERE status = 'resolved' AND close_due_at <= $1
ORDER BY close_due_at, id
LIMIT $2
FOR UPDATE SKIP LOCKED
"""

AUTO_CLOSE = """
UPDATE complaint SET status = 'closed', closed_at = $2, updated_at = $2 WHERE id = $1
"""


async def clocks(conn: asyncpg.Connection, complaint_id: int) -> asyncpg.Record:
    return await conn.fetchrow(SELECT_CLOCKS, complaint_id)


async def set_deadlines(conn: asyncpg.Connection, complaint_id: int, *deadlines: Any) -> None:
    """deadlines: sla_stage, stage_started_at, due_at, verify_due_at, response_due_at,
    resolve_due_at, close_due_at, escalation_level, next_step_at (UPDATE_DEADLINES' order)."""
    await conn.execute(UPDATE_DEADLINES, complaint_id, *deadlines)


async def claim_due_steps(conn: asyncpg.Connection, now: datetime, batch: int) -> list[Record]:
    return await conn.fetch(CLAIM_DUE_STEPS, now, batch)


async def insert_steps(
    conn: asyncpg.Connection, columns: Sequence[list[Any]], taken_at: datetime
) -> list[Record]:
    """columns: complaint ids, stages, stage starts, levels, kinds, agencies, due times and
    message counts, one list each; returns (complaint_id, level) of the steps new to the ledger."""
    return await conn.fetch(INSERT_STEPS, *columns, taken_at)


async def insert_step_events(
    conn: asyncpg.Connection,
    complaint_ids: list[int],
    kinds: list[str],
    notes: list[str],
    data: list[str],
    now: datetime,
) -> None:
    await conn.execute(INSERT_STEP_EVENTS, complaint_ids, kinds, notes, data, now)


async def update_progress(
    conn: asyncpg.Connection,
    complaint_ids: list[int],
    levels: list[int],
    next_steps: list[datetime | None],
) -> None:
    await conn.execute(UPDATE_PROGRESS, complaint_ids, levels, next_steps)


async def claim_due_closes(conn: asyncpg.Connection, now: datetime, batch: int) -> list[Record]:
    return await conn.fetch(CLAIM_DUE_CLOSES, now, batch)


async def close(conn: asyncpg.Connection, complaint_id: int, now: datetime) -> None:
    await conn.execute(AUTO_CLOSE, complaint_id, now)
