"""SLA deadlines kept stored: recomputing a complaint's deadlines and ladder after every move
(``refresh``) and closing resolved complaints whose close deadline has passed (``auto_close``).

The computation itself (stages, working-day deadlines, the ladder, green/amber/red) is in
`lapor.sla_rules`; its names are re-exported here so callers keep importing them from `lapor.sla`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import asyncpg

from lapor import hooks, i18n, notify
from lapor.repo import complaints as complaint_repo
from lapor.repo import sla as repo
from lapor.sla_rules import (
    AMBER,
    GREEN,
    LADDER_STAGES,
    OPEN_STATUSES,
    RED,
    STAGE_OF_STATUS,
    STAGES,
    Deadlines,
    SlaState,
    Step,
    allowed_days,
    allowed_time,
    amber_from,
    calendar_for,
    deadline,
    deadlines_for,
    ladder,
    ladder_agency,
    next_step_at,
    resolution_kind,
    sla_state,
    time_left_words,
    warm_calendar,
)

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.context import Services

__all__ = [
    "AMBER",
    "GREEN",
    "LADDER_STAGES",
    "OPEN_STATUSES",
    "RED",
    "STAGES",
    "STAGE_OF_STATUS",
    "Deadlines",
    "SlaState",
    "StageLeft",
    "Step",
    "allowed_days",
    "allowed_time",
    "amber_from",
    "auto_close",
    "calendar_for",
    "deadline",
    "deadlines_for",
    "first_deadlines",
    "ladder",
    "ladder_agency",
    "next_step_at",
    "refresh",
    "resolution_kind",
    "sla_state",
    "time_left_words",
    "warm_calendar",
]

log = logging.getLogger(__name__)


# ------------------------------------------------------------------- keeping them stored


@dataclass(frozen=True)
class StageLeft:
    """The clock a move stopped: which stage, its deadline, and whether it was missed."""

    stage: str
    due_at: datetime
    breached: bool

    def event_data(self) -> dict[str, Any]:
        return {
            "sla": {
                "stage": self.stage,
                "due_at": self.due_at.isoformat(),
                "breached": self.breached,
            }
        }


async def refresh(
    conn: asyncpg.Connection, city: CityConfig, complaint_id: int, now: datetime
) -> StageLeft | None:
    """Recompute and store a complaint's deadlines after it was filed or moved (inside the
    caller's transaction, after the move's update). A stage that starts anew (a transfer, a
    reopen, a return to the desk) gets a fresh clock and its ladder starts from the bottom.

    Returns the clock the move stopped, if it stopped one: a transfer records with it
    whether the agency it leaves had already missed its deadline.
    """
    row = await repo.clocks(conn, complaint_id)
    columns, left = _recompute(city, row, now)
    await repo.set_deadlines(conn, complaint_id, *columns)
    return left


def first_deadlines(
    city: CityConfig,
    *,
    status: str,
    category_code: str | None,
    agency_code: str | None,
    created_at: datetime,
    assigned_at: datetime | None,
    priority: str | None = None,
) -> tuple[Any, ...]:
    """The deadline columns a new complaint is stored with (UPDATE_DEADLINES' order from
    sla_stage on): what `refresh` would store right after the insert, computed without
    reading the row back, so intake writes them with the complaint itself."""
    fresh = {  # the row as the database would give it back: UTC, nothing set yet
        "status": status,
        "priority": priority,
        "category_code": category_code,
        "agency_code": agency_code,
        "created_at": created_at.astimezone(UTC),
        "assigned_at": None if assigned_at is None else assigned_at.astimezone(UTC),
        "responded_at": None,
        "resolved_at": None,
        "sla_stage": None,
        "stage_started_at": None,
        "escalation_level": 0,
        "due_at": None,
        "verify_due_at": None,
        "response_due_at": None,
        "resolve_due_at": None,
        "close_due_at": None,
    }
    columns, _ = _recompute(city, fresh, created_at)
    return columns


_DEADLINE_COLUMNS = ("verify_due_at", "response_due_at", "resolve_due_at", "close_due_at")


def _recompute(
    city: CityConfig, row: Mapping[str, Any], now: datetime
) -> tuple[tuple[Any, ...], StageLeft | None]:
    """The deadline columns to store for the complaint in `row` (SELECT_CLOCKS' columns) and
    the clock the move stopped, if any."""
    status, previous_stage = row["status"], row["sla_stage"]
    if status == "received":
        # Still at the desk: keep the running clock; back at the desk: a fresh one. No stage
        # and no deadline ever stored: never clocked, it counts from its filing; no stage but
        # deadlines kept from before: back from a final status (a recalled forwarding), afresh.
        if previous_stage == "verify":
            verify_started = row["stage_started_at"]
        elif previous_stage is None and not any(row[column] for column in _DEADLINE_COLUMNS):
            verify_started = row["created_at"]
        else:
            verify_started = now
    else:
        verify_started = None
    earlier = Deadlines(
        previous_stage,
        row["stage_started_at"],
        row["due_at"],
        row["verify_due_at"],
        row["response_due_at"],
        row["resolve_due_at"],
        row["close_due_at"],
    )
    new = deadlines_for(
        city,
        status=status,
        category_code=row["category_code"],
        verify_started_at=verify_started,
        assigned_at=row["assigned_at"],
        responded_at=row["responded_at"],
        resolved_at=row["resolved_at"],
        earlier=earlier,
        priority=row["priority"],
    )
    same_clock = (new.stage, new.stage_started_at) == (previous_stage, row["stage_started_at"])
    level = row["escalation_level"] if same_clock else 0
    steps = ladder(
        city,
        new.stage,
        row["agency_code"],
        new.stage_started_at,
        new.due_at,
        row["category_code"],
        row["priority"],
    )
    columns = (
        new.stage,
        new.stage_started_at,
        new.due_at,
        new.verify_due_at,
        new.response_due_at,
        new.resolve_due_at,
        new.close_due_at,
        level,
        next_step_at(steps, level),
    )
    if same_clock or previous_stage not in LADDER_STAGES or row["due_at"] is None:
        return columns, None
    missed = row["due_at"]
    return columns, StageLeft(previous_stage, missed.astimezone(city.zone), now >= missed)


# ----------------------------------------------------------------------------- auto-close


async def auto_close(services: Services, *, batch: int = 100) -> int:
    """Close every resolved complaint whose close deadline has passed; returns how many.

    Each closes in its own small batch transaction with its public timeline event and the
    reporter's notice; concurrent runs skip each other's rows.
    """
    now = services.clock.now()
    closed = 0
    while True:
        async with services.pool.acquire() as conn, conn.transaction():
            rows = await repo.claim_due_closes(conn, now, batch)
            for row in rows:
                await _close_one(services, conn, row, now)
        closed += len(rows)
        if len(rows) < batch:
            return closed


async def _close_one(services: Services, conn: asyncpg.Connection, row, now: datetime) -> None:
    city = services.city
    await repo.close(conn, row["id"], now)
    await refresh(conn, city, row["id"], now)
    note = i18n.t("move_note.auto_closed", days=city.sla.auto_close_days)
    event_id = await complaint_repo.add_event(
        conn,
        row["id"],
        complaint_repo.EventRow(
            "close",
            "system",
            now,
            from_status="resolved",
            to_status="closed",
            from_agency=row["agency_code"],
            to_agency=row["agency_code"],
            public_note=note,
            data={"auto": True},
        ),
    )
    agency = city.agencies.get(row["agency_code"]) if row["agency_code"] else None
    await notify.complaint_moved(
        conn,
        complaint_id=row["id"],
        reporter_id=row["reporter_id"],
        tracking_code=row["tracking_code"],
        action="close",
        agency_name=agency.name if agency else None,
        note=note,
        event_id=event_id,
        status_url=services.status_url(row["tracking_code"]),
        now=now,
        channels=services.channels,
    )
    await hooks.status_changed(  # subscribers hear of it as of any other close
        conn,
        complaint_id=row["id"],
        rahasia=row["rahasia"],
        event_id=event_id,
        from_status="resolved",
        action="close",
        occurred_at=now,
        tracking_code=row["tracking_code"],
        status="closed",
        category=row["category_code"],
        agency=row["agency_code"],
        kecamatan=row["kecamatan"],
        kelurahan=row["kelurahan"],
    )
    log.info(
        "complaint closed automatically code=%s agency=%s", row["tracking_code"], row["agency_code"]
    )
