"""SQL for the officers' queue, its filters and its export. Callers own the transaction.

A query is assembled from the fixed pieces below and nothing else: each filter in use adds
its piece, and every value (the words searched for included) travels as a parameter. The
pieces are named in `Where`; a new filter is one field there and one piece in `_conditions`.
Visibility (the statuses a role works on, the officer's agency) is decided by the caller,
lapor/complaints/queue_filters.py, and arrives here as `statuses` and `agency`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

# The deadline the queue sorts by; open complaints without one sort last. The indexes
# complaint_agency_queue, complaint_desk_queue and complaint_assignee_queue hold it.
DUE = "coalesce(c.due_at, 'infinity'::timestamptz)"
# What the text search reads (sql/019's complaint_open_text index holds exactly this).
SEARCH_TEXT = "(coalesce(c.title, '') || ' ' || c.body || ' ' || coalesce(c.address, ''))"

QUEUE_COLUMNS = """
c.tracking_code, c.status, c.title, left(c.body, 160) AS excerpt, c.category_code,
cat.name AS category_name, c.agency_code, c.created_at, c.due_at, c.sla_stage, c.rahasia,
c.anonim, c.priority, c.priority_rank, c.kelurahan, c.kecamatan, c.channel, c.assignee_id,
owner.display_name AS assignee_name, c.support_count, c.id
"""

# The export: what a spreadsheet of the queue holds (never the reporter).
EXPORT_COLUMNS = """
c.tracking_code, c.status, c.title, c.body, c.category_code, cat.name AS category_name,
c.agency_code, c.created_at, c.due_at, c.sla_stage, c.rahasia, c.address, c.kelurahan,
c.kecamatan, c.channel, c.priority, c.priority_rank, owner.display_name AS assignee_name, c.id
"""

FROM = """
FROM complaint c
LEFT JOIN category cat ON cat.code = c.category_code
LEFT JOIN officer owner ON owner.id = c.assignee_id
"""

# darurat first (priority_rank 0), then the deadline, then the age (sql/020's indexes).
ORDER = f"ORDER BY c.priority_rank, {DUE}, c.created_at, c.id"
# sort=support: the most supported first (sql/022's complaint_open_support), then the oldest.
ORDER_SUPPORT = "ORDER BY c.support_count DESC, c.id"


@dataclass(frozen=True)
class SlaBounds:
    """A colour as deadlines: red is due by `now`; amber and green part at the moment
    `sla_rules.amber_from` gives for the complaint's stage (and category, for resolve)."""

    state: str  # green | amber | red
    now: datetime
    verify_from: datetime
    response_from: datetime
    categories: list[str]  # resolve: per category code ...
    category_from: list[datetime]
    uncategorised_from: datetime  # ... and for a complaint without one
    lowest: datetime  # the earliest and latest of all of them
    highest: datetime


@dataclass(frozen=True)
class Where:
    """Checked filter values (None: not filtered)."""

    statuses: list[str]
    agency: str | None = None
    category: str | None = None
    code: str | None = None
    words: list[str] = field(default_factory=list)  # each must occur, case aside
    kelurahan: str | None = None
    kecamatan: str | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None
    channel: str | None = None
    assignee: int | None = None
    unassigned: bool = False
    sla: SlaBounds | None = None
    after: tuple[datetime | None, datetime, int, int] | None = None  # the cursor's key
    sort: str = "due"  # or "support"
    after_support: tuple[int, int] | None = None  # sort=support: the cursor's (count, id)


def like_pattern(word: str) -> str:
    """A word as an ILIKE pattern matching it anywhere, its wildcards taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class _Parameters:
    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any, cast: str) -> str:
        self.values.append(value)
        return f"${len(self.values)}::{cast}"


def _amber_from(sla: SlaBounds, p: _Parameters) -> str:
    """The per-row moment where amber turns green, as an SQL expression."""
    return (
        f"CASE c.sla_stage WHEN 'verify' THEN {p(sla.verify_from, 'timestamptz')}"
        f" WHEN 'response' THEN {p(sla.response_from, 'timestamptz')}"
        f" ELSE coalesce(({p(sla.category_from, 'timestamptz[]')})"
        f"[array_position({p(sla.categories, 'text[]')}, c.category_code)],"
        f" {p(sla.uncategorised_from, 'timestamptz')}) END"
    )


def _conditions(where: Where, p: _Parameters) -> list[str]:
    found = [f"c.status = ANY({p(where.statuses, 'text[]')})"]
    if where.agency is not None:
        found.append(f"c.agency_code = {p(where.agency, 'text')}")
    if where.category is not None:
        found.append(f"c.category_code = {p(where.category, 'text')}")
    if where.code is not None:
        found.append(f"c.tracking_code = {p(where.code, 'text')}")
    for word in where.words:
        found.append(f"{SEARCH_TEXT} ILIKE {p(like_pattern(word), 'text')}")
    if where.kelurahan is not None:
        found.append(f"lower(btrim(c.kelurahan)) = lower(btrim({p(where.kelurahan, 'text')}))")
    if where.kecamatan is not None:
        found.append(f"lower(btrim(c.kecamatan)) = lower(btrim({p(where.kecamatan, 'text')}))")
    if where.created_from is not None:
        found.append(f"c.created_at >= {p(where.created_from, 'timestamptz')}")
    if where.created_before is not None:
        found.append(f"c.created_at < {p(where.created_before, 'timestamptz')}")
    if where.channel is not None:
        found.append(f"c.channel = {p(where.channel, 'text')}")
    if where.assignee is not None:
        found.append(f"c.assignee_id = {p(where.assignee, 'bigint')}")
    if where.unassigned:
        found.append("c.assignee_id IS NULL")
    if where.sla is not None:
        sla = where.sla
        if sla.state == "red":
            found.append(f"{DUE} <= {p(sla.now, 'timestamptz')}")
        elif sla.state == "amber":
            found.append(
                f"{DUE} > {p(sla.now, 'timestamptz')} AND {DUE} < {p(sla.highest, 'timestamptz')}"
                f" AND c.due_at < {_amber_from(sla, p)}"
            )
        else:
            found.append(
                f"{DUE} >= {p(sla.lowest, 'timestamptz')} AND c.due_at >= {_amber_from(sla, p)}"
            )
    if where.after is not None:
        due, created, ident, rank = where.after
        found.append(
            f"(c.priority_rank, {DUE}, c.created_at, c.id) > ({p(rank, 'smallint')},"
            f" coalesce({p(due, 'timestamptz')}, 'infinity'::timestamptz),"
            f" {p(created, 'timestamptz')}, {p(ident, 'bigint')})"
        )
    if where.after_support is not None:
        count, ident = where.after_support
        found.append(f"(-c.support_count, c.id) > (-{p(count, 'integer')}, {p(ident, 'bigint')})")
    return found


def build(where: Where, columns: str, limit: int | None) -> tuple[str, list[Any]]:
    """The statement and its parameters; `limit` None: every row."""
    p = _Parameters()
    conditions = "\n  AND ".join(_conditions(where, p))
    order = ORDER_SUPPORT if where.sort == "support" else ORDER
    sql = f"SELECT {columns}{FROM}WHERE {conditions}\n{order}"
    if limit is not None:
        sql += f"\nLIMIT {p(limit, 'integer')}"
    return sql, p.values


async def queue(conn: asyncpg.Connection, where: Where, limit: int) -> list[asyncpg.Record]:
    sql, values = build(where, QUEUE_COLUMNS, limit)
    return await conn.fetch(sql, *values)


async def export_page(conn: asyncpg.Connection, where: Where, limit: int) -> list[asyncpg.Record]:
    """One page of the export (`where.after`: the last row of the page before)."""
    sql, values = build(where, EXPORT_COLUMNS, limit)
    return await conn.fetch(sql, *values)
