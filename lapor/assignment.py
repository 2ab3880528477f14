"""Who owns a complaint (one officer of the agency it is with), and the team's internal notes
on it (issue 17 §1).

The head of the agency and the admin assign and reassign; an officer takes a complaint nobody
owns, or lets go of their own. `may_assign` is the one rule, shared by the pages (what they
offer), the API and `assign` itself. Every change is an internal `assign` event, written in
the same transaction as the owner. A complaint that leaves the agency (transfer, "bukan
wewenang") loses its owner with it (lifecycle.act). A note is an internal `note` event, no
move: the public timeline shows neither (complaints.PUBLIC_EVENT_KINDS).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg

from lapor import i18n, schemas
from lapor.errors import Conflict, Forbidden, ValidationFailed
from lapor.lifecycle import NOTE_MAX, STATUS_LABELS
from lapor.repo import complaints as repo
from lapor.repo import officers as officers_repo
from lapor.tracking import parse_code

if TYPE_CHECKING:
    from lapor.auth import Officer
    from lapor.context import Services

log = logging.getLogger(__name__)

# A complaint has an owner while its agency works on it.
OWNED_STATUSES = ("assigned", "in_progress")


@asynccontextmanager
async def joined(services: Services, conn: asyncpg.Connection | None) -> AsyncIterator:
    """A transaction: the caller's (as a savepoint) when it passes `conn`, else a new one on
    a pool connection. Bulk actions pass theirs, so that all of them commit or none."""
    if conn is not None:
        async with conn.transaction():
            yield conn
        return
    async with services.pool.acquire() as own, own.transaction():
        yield own


def may_assign(
    officer: Officer, agency: str | None, current: int | None, target: int | None
) -> bool:
    """Whether `officer` may give a complaint at `agency`, owned by `current` (an officer id
    or None), to `target` (None: to nobody)."""
    if officer.role == "admin":
        return True
    if officer.role != "officer" or agency is None or officer.agency_code != agency:
        return False
    if officer.head:
        return True
    if target == officer.id:  # taking it
        return current is None
    return target is None and current == officer.id  # letting go of one's own


def choices(officer: Officer, agency: str | None, status: str, current: int | None) -> set[str]:
    """What the complaint page offers this officer: "take", "release", "assign" (to anyone
    of the agency)."""
    if status not in OWNED_STATUSES:
        return set()
    offered = set()
    if current != officer.id and may_assign(officer, agency, current, officer.id):
        offered.add("take")
    if current is not None and may_assign(officer, agency, current, None):
        offered.add("release")
    if officer.role == "admin" or (officer.head and officer.agency_code == agency):
        offered.add("assign")
    return offered


@dataclass(frozen=True)
class Assigned:
    tracking_code: str
    assignee_id: int | None
    assignee_name: str | None


async def assign(
    services: Services,
    code_text: str,
    officer: Officer,
    assignee_id: int | None,
    *,
    note: str | None = None,
    conn: asyncpg.Connection | None = None,
) -> Assigned:
    """Give the complaint to `assignee_id` (None: to nobody), with an internal event.

    Refusals: 403 for a complaint this officer may not see or may not give this way, 409 for
    a complaint not being worked on (at the desk, resolved, closed), 422 for someone who is
    not an active officer of the complaint's agency or who owns it already."""
    code = parse_code(code_text)
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_MAX:
        raise ValidationFailed.on("internal_note", i18n.t("problem.too_long", maximum=NOTE_MAX))
    if note is not None and (unsafe := schemas.unsafe_text(note, "internal_note")) is not None:
        raise ValidationFailed.of([unsafe])
    now = services.clock.now()
    async with joined(services, conn) as conn:
        row = await repo.lock(conn, code)
        agency, status, current = row["agency_code"], row["status"], row["assignee_id"]
        if not officer.may_see(agency):
            if row["rahasia"]:
                raise repo.unknown_code()
            raise Forbidden(i18n.t("problem.not_your_agency"))
        if status not in OWNED_STATUSES:
            raise Conflict(
                i18n.t("team.problem.not_assignable", status=STATUS_LABELS[status].lower())
            )
        if assignee_id == current:
            raise ValidationFailed.on("officer_id", i18n.t("team.problem.already_owner"))
        if not may_assign(officer, agency, current, assignee_id):
            raise Forbidden(i18n.t("team.problem.assign_not_yours"))
        name = None
        if assignee_id is not None:
            member = await officers_repo.member(conn, assignee_id)
            if (
                member is None
                or not member["active"]
                or member["role"] != "officer"
                or member["agency_code"] != agency
            ):
                raise ValidationFailed.on(
                    "officer_id",
                    i18n.t(
                        "team.problem.not_in_agency", agency=services.city.agencies[agency].name
                    ),
                )
            name = member["display_name"]
        await repo.set_assignee(conn, row["id"], assignee_id)
        await repo.add_event(
            conn,
            row["id"],
            repo.EventRow(
                "assign",
                "officer",
                now,
                officer_id=officer.id,
                internal_note=note,
                data={"assignee": assignee_id, "assignee_name": name, "previous": current},
            ),
        )
    log.info(
        "complaint assigned code=%s agency=%s assignee=%s previous=%s by=%s",
        code,
        agency,
        assignee_id,
        current,
        officer.id,
    )
    return Assigned(code, assignee_id, name)


async def add_note(
    services: Services,
    code_text: str,
    officer: Officer,
    note: str | None,
    *,
    conn: asyncpg.Connection | None = None,
) -> int:
    """An internal note on the timeline, without a move: for the team, never the public.
    Anyone who may open the complaint may write one, in any status. Returns the event id."""
    code = parse_code(code_text)
    note = (note or "").strip()
    if not note:
        raise ValidationFailed.on("note", i18n.t("problem.note_required"))
    if len(note) > NOTE_MAX:
        raise ValidationFailed.on("note", i18n.t("problem.too_long", maximum=NOTE_MAX))
    if (unsafe := schemas.unsafe_text(note, "note")) is not None:
        raise ValidationFailed.of([unsafe])
    async with joined(services, conn) as conn:
        row = await repo.lock(conn, code)
        if not officer.may_see(row["agency_code"]):
            if row["rahasia"]:
                raise repo.unknown_code()
            raise Forbidden(i18n.t("problem.not_your_agency"))
        event_id = await repo.add_event(
            conn,
            row["id"],
            repo.EventRow(
                "note", "officer", services.clock.now(), officer_id=officer.id, internal_note=note
            ),
        )
    log.info("complaint note code=%s by=%s", code, officer.id)
    return event_id
