"""The complaint lifecycle: statuses (their labels are in lapor/i18n), and who may make which move.

| action   | from                  | to          | who                                  |
|----------|-----------------------|-------------|--------------------------------------|
| verify   | received              | assigned    | desk (verifier), admin               |
| reject   | received              | rejected    | desk, admin (reason required)        |
| transfer | assigned              | assigned    | the agency, desk, admin (new agency) |
| start    | assigned              | in_progress | the agency, admin                    |
| respond  | assigned, in_progress | (unchanged) | the agency, admin (public note)      |
| resolve  | assigned, in_progress | resolved    | the agency, admin (answer required)  |
| not_ours | assigned, in_progress | received    | the agency, admin ("bukan wewenang") |
| reopen   | resolved              | assigned    | the reporter, desk, admin            |
| close    | resolved              | closed      | the reporter, desk, admin            |
| merge    | received, assigned,   | closed      | the agency, desk, admin (the code of |
|          | in_progress           |             | the original it duplicates)          |
| set_priority | received, assigned, | (unchanged) | the agency, desk, admin (the new     |
|          | in_progress           |             | priority; the deadlines follow it)   |
| forward  | received, assigned,   | forwarded   | the agency, desk, admin ("bukan      |
|          | in_progress           |             | wewenang kota": an [external] body   |
|          |                       |             | and the reason, lapor/forwarding.py) |
| recall   | forwarded             | received    | desk, admin (the reason required;    |
|          |                       |             | the body is told, lapor/forwarding)  |

A resolution carries a proof photo when the city asks for one ([workflow]
resolve_requires_photo).

Longer than 400 lines because the table of moves and `act`, which applies it with every check
in one transaction, are one rule: a reader checking who may do what needs both in view.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg

from lapor import forwarding, hooks, i18n, notify, priority, schemas, sla, support, tracking
from lapor.auth import ADMIN, AGENCY, DESK, REPORTER, is_reporter_token
from lapor.city.areas import Place
from lapor.errors import DomainError, Forbidden, InvalidTransition, Unauthorized, ValidationFailed
from lapor.photo_store import discard_photos, store_photos
from lapor.photos import Photo
from lapor.repo import complaints as repo
from lapor.tracking import parse_code

if TYPE_CHECKING:
    from datetime import datetime

    from lapor.auth import Officer
    from lapor.city import CityConfig
    from lapor.context import Services

log = logging.getLogger(__name__)

STATUSES = (
    "received",
    "assigned",
    "in_progress",
    "resolved",
    "closed",
    "rejected",
    "forwarded",
)
OPEN_STATUSES = ("received", "assigned", "in_progress")

# One label per status, shared by the pages, the API, the bots and the notices (lapor/i18n).
STATUS_LABELS = i18n.section("status")


@dataclass(frozen=True)
class Move:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the status stays (a response, a transfer between agencies)
    actors: frozenset[str]
    note_required: bool = False
    label_key: str | None = None  # where its label is, when not `move.<action>`

    @property
    def label(self) -> str:
        """What the move did, in Indonesian (lapor/i18n `move.<action>`)."""
        return i18n.t(self.label_key or f"move.{self.action}")


MOVES: dict[str, Move] = {
    move.action: move
    for move in (
        Move(
            "verify",
            ("received",),
            "assigned",
            frozenset({DESK, ADMIN}),
        ),
        Move(
            "reject",
            ("received",),
            "rejected",
            frozenset({DESK, ADMIN}),
            note_required=True,
        ),
        Move(
            "transfer",
            ("assigned",),
            None,
            frozenset({AGENCY, DESK, ADMIN}),
        ),
        Move(
            "start",
            ("assigned",),
            "in_progress",
            frozenset({AGENCY, ADMIN}),
        ),
        Move(
            "respond",
            ("assigned", "in_progress"),
            None,
            frozenset({AGENCY, ADMIN}),
            note_required=True,
        ),
        Move(
            "resolve",
            ("assigned", "in_progress"),
            "resolved",
            frozenset({AGENCY, ADMIN}),
            note_required=True,
        ),
        Move(
            "not_ours",
            ("assigned", "in_progress"),
            "received",
            frozenset({AGENCY, ADMIN}),
        ),
        Move(
            "reopen",
            ("resolved",),
            "assigned",
            frozenset({REPORTER, DESK, ADMIN}),
        ),
        Move("close", ("resolved",), "closed", frozenset({REPORTER, DESK, ADMIN})),
        Move(
            "merge",
            ("received", "assigned", "in_progress"),
            "closed",
            frozenset({AGENCY, DESK, ADMIN}),
        ),
        # Internal: the citizen is not told; the stage's clock keeps its start, its deadline
        # follows the new priority ([sla.priority]).
        Move(
            "set_priority",
            OPEN_STATUSES,
            None,
            frozenset({AGENCY, DESK, ADMIN}),
            label_key="priority.move",
        ),
        # "Bukan wewenang kota": to a body outside the city's government, with the reason the
        # citizen reads; its answers come back to the timeline (lapor/forwarding.py).
        Move(
            "forward",
            OPEN_STATUSES,
            "forwarded",
            frozenset({AGENCY, DESK, ADMIN}),
            note_required=True,
        ),
        # "Tarik kembali": the city takes a forwarded complaint back to its desk (the body
        # said it is not theirs either, or it went out by mistake); the body is told, and a
        # later answer from it is refused (lapor/forwarding.py `recall`).
        Move(
            "recall",
            ("forwarded",),
            "received",
            frozenset({DESK, ADMIN}),
            note_required=True,
            label_key="recall.move",
        ),
    )
}


# The officers-only event a merge leaves on the original's timeline (not a move: the original
# does not change; complaints.PUBLIC_EVENT_KINDS leaves it out).
MERGED_IN = "merged_in"


# The moves by which an officer verifies a complaint: the desk's verify, or the agency taking
# up (or passing on) a complaint the model routed to it. Its first such move sets
# `verified_at`, from which a city that publishes after verification shows its text. Routing
# by the model, a rejection, "bukan wewenang" and a merge verify nothing.
VERIFYING_ACTIONS = frozenset({"verify", "transfer", "start", "respond", "resolve"})


def allowed_actions(status: str) -> list[str]:
    return [move.action for move in MOVES.values() if status in move.sources]


def moves_for(roles: frozenset[str], status: str) -> list[str]:
    """The moves actors holding `roles` may make on a complaint in `status`, in table order."""
    return [action for action in allowed_actions(status) if roles & MOVES[action].actors]


def allowed_moves(officer: Officer, status: str, agency: str | None) -> list[str]:
    """The moves this officer may make on a complaint in `status` that is with `agency` now:
    what `act` would accept from them. The officer pages offer exactly these."""
    return moves_for(officer.roles_for(agency), status)


def target_status(move: Move, current: str) -> str:
    return move.target or current


# ------------------------------------------------------------------------- applying a move


@dataclass(frozen=True)
class ActionRequest:
    action: str
    agency: str | None = None
    category: str | None = None
    note: str | None = None
    internal_note: str | None = None
    duplicate_of: str | None = None  # merge: the tracking code of the original
    photos: tuple[Photo, ...] = ()  # resolve: the proof of the work done
    priority: str | None = None  # set_priority: one of lapor.priority.PRIORITIES
    template_id: int | None = None  # the reply template the note was written from
    external: str | None = None  # forward: the code of an [external.CODE] body


TEXT_FIELDS = (
    "action",
    "agency",
    "category",
    "note",
    "internal_note",
    "duplicate_of",
    "priority",
    "external",
)


NOTE_MAX = 5000


async def act(
    services: Services,
    code_text: str,
    request: ActionRequest,
    *,
    officer: Officer | None = None,
    reporter_token: str | None = None,
    conn: asyncpg.Connection | None = None,
) -> str:
    """Apply one move to a complaint, with its timeline event, in one transaction.

    With `conn`, the move joins the caller's transaction (as a savepoint) instead of taking a
    pool connection: a caller that holds row locks must not wait for a second connection.

    Returns the new status. Refusals: 401 without credentials, 403 for a complaint of another
    agency or a move this actor may not make, 409 naming the allowed moves for a move that the
    status does not allow, 422 for missing or unknown fields.
    """
    move = MOVES.get(request.action)
    if move is None:
        raise ValidationFailed.on(
            "action", i18n.t("problem.unknown_action", actions=", ".join(MOVES))
        )
    for name, value in (("note", request.note), ("internal_note", request.internal_note)):
        if value is not None and len(value) > NOTE_MAX:
            raise ValidationFailed.on(name, i18n.t("problem.too_long", maximum=NOTE_MAX))
    unsafe = schemas.unsafe_text(
        {name: getattr(request, name) for name in TEXT_FIELDS if getattr(request, name)}
    )
    if unsafe is not None:  # every door (the API, the officer pages, the bots) comes here
        raise ValidationFailed.of([unsafe])
    if request.photos and move.action != "resolve":
        raise ValidationFailed.on("photo", i18n.t("problem.photo_only_on_resolve"))
    if len(request.photos) > 1:
        raise ValidationFailed.on("photo", i18n.t("problem.one_proof_photo"))
    if move.action == "resolve" and services.city.resolve_requires_photo and not request.photos:
        raise ValidationFailed.on("photo", i18n.t("problem.proof_photo_required"))
    code = parse_code(code_text)
    city = services.city
    now = services.clock.now()
    written: list[Photo] = []  # the proof photo's file, if this move wrote it
    async with _transaction(services, conn, written) as conn:
        row = await repo.lock(conn, code)
        status, agency = row["status"], row["agency_code"]
        # To anyone who may not see it, a rahasia complaint is an unknown code (404), not a
        # complaint they may not touch (401, 403): the refusal must not confirm it exists.
        if officer is not None:
            if not officer.may_see(agency):
                if row["rahasia"]:
                    raise repo.unknown_code()
                raise Forbidden(i18n.t("problem.not_your_agency"))
            roles = officer.roles_for(agency)
        elif is_reporter_token(
            services.secret_key, code, reporter_token, row["reporter_token_version"]
        ):
            roles = frozenset({REPORTER})
        elif row["rahasia"]:
            raise repo.unknown_code()
        elif reporter_token:
            raise Forbidden(i18n.t("problem.token_not_for_this_report"))
        else:
            raise Unauthorized(i18n.t("problem.token_required"))
        if not roles & move.actors:
            raise Forbidden(i18n.t("problem.action_not_yours", action=repr(move.action)))
        if status not in move.sources:
            allowed = moves_for(roles, status)
            raise InvalidTransition(
                i18n.t(
                    "problem.action_not_in_status",
                    action=repr(move.action),
                    status=repr(status),
                    allowed=", ".join(allowed) or i18n.t("problem.nothing"),
                ),
                allowed,
            )
        note = (request.note or "").strip() or None
        if move.note_required and not note:
            raise ValidationFailed.on("note", i18n.t("problem.note_required"))

        new_status = target_status(move, status)
        new_agency, new_category = agency, row["category_code"]
        original = None
        if move.action == "merge":
            original = await _original(conn, request.duplicate_of, row, officer)
            # The public note names the original only when the original is public itself.
            merged_note = (
                i18n.t("move_note.merged")
                if original["rahasia"]
                else i18n.t(
                    "move_note.merged_into", code=tracking.display(original["tracking_code"])
                )
            )
            note = merged_note + (f"\n{note}" if note else "")
            # A complaint closed at the desk stays with the desk: a closed one has an agency.
            new_agency = agency or city.desk_agency
        if move.action in ("verify", "transfer"):
            place = Place(row["kecamatan"], row["kelurahan"])  # for a route by area
            new_category, new_agency = _destination(city, request, row["category_code"], place)
            if move.action == "transfer" and new_agency == agency:
                raise ValidationFailed.on("agency", i18n.t("problem.already_at_agency"))
        elif move.action in ("not_ours", "reject", "recall"):
            new_agency = None
        external = None
        if move.action == "forward":
            external = forwarding.external_for(city, request.external)
            new_agency = None
        changed = _priority_change(request, row) if move.action == "set_priority" else {}

        # A complaint that lands at an agency (again) starts that agency's clock afresh.
        lands = move.action in ("verify", "transfer", "reopen")
        assigned_at = now if lands else (None if new_agency is None else row["assigned_at"])
        responded_at = None if lands or new_agency is None else row["responded_at"]
        if move.action in ("start", "respond", "resolve") and responded_at is None:
            responded_at = now
        resolved_at = {"resolve": now, "reopen": None}.get(move.action, row["resolved_at"])
        closed_at = now if new_status == "closed" and status != "closed" else row["closed_at"]

        verifies = officer is not None and move.action in VERIFYING_ACTIONS
        await repo.update_after_move(
            conn,
            row["id"],
            new_status,
            new_agency,
            new_category,
            now,
            assigned_at,
            responded_at,
            resolved_at,
            closed_at,
            now if verifies else None,  # kept once set: the first verification counts
        )
        if original is not None:
            await repo.set_duplicate_of(conn, row["id"], original["id"])
            # Its reporter and supporters follow the original from now on (lapor/support.py).
            await support.merge_supporters(conn, row["id"], original["id"], row["reporter_id"], now)
        if changed:
            await repo.set_priority(conn, row["id"], changed["priority"])
        # SLA (lapor/sla.py): deadlines for where the move leads; the clock it stopped goes
        # into the event, so a transfer records whether the agency it leaves had breached.
        stopped = await sla.refresh(conn, city, row["id"], now)
        # A recall ends the forwarding and tells the body (before the event, which names it).
        recalled = (
            await forwarding.recall(conn, city, complaint_id=row["id"], reason=note, now=now)
            if move.action == "recall"
            else None
        )
        event_id = await repo.add_event(
            conn,
            row["id"],
            repo.EventRow(
                move.action,
                "reporter" if REPORTER in roles else "officer",
                now,
                from_status=status,
                to_status=new_status,
                from_agency=agency,
                to_agency=new_agency,
                officer_id=officer.id if officer else None,
                public_note=note,
                internal_note=(request.internal_note or "").strip() or None,
                data={
                    **({"category": new_category} if new_category != row["category_code"] else {}),
                    **(stopped.event_data() if stopped else {}),
                    **({"duplicate_of": original["tracking_code"]} if original else {}),
                    **changed,
                    **({"template": request.template_id} if request.template_id else {}),
                    **({"external": external.code} if external else {}),
                    **({"recalled_from": recalled.code} if recalled else {}),
                },
            ),
        )
        if original is not None:
            await _tell_the_original(
                conn, original, row, code, new_agency, event_id, request, officer, now
            )
        if external is not None:
            await forwarding.record(
                conn, complaint_id=row["id"], external=external, reason=note, now=now
            )
        if new_status != status:
            await hooks.status_changed(
                conn,
                complaint_id=row["id"],
                rahasia=row["rahasia"],
                event_id=event_id,
                from_status=status,
                action=move.action,
                occurred_at=now,
                tracking_code=code,
                status=new_status,
                category=new_category,
                agency=new_agency,
                kecamatan=row["kecamatan"],
                kelurahan=row["kelurahan"],
            )
        if request.photos:
            await repo.add_proof_photos(conn, row["id"], event_id, request.photos)
            written.extend(await store_photos(services.photos, request.photos))
        await notify.complaint_moved(
            conn,
            complaint_id=row["id"],
            reporter_id=row["reporter_id"],
            tracking_code=code,
            action=move.action,
            agency_name=(
                (external or recalled).name
                if external or recalled
                else city.agencies[new_agency].name
                if new_agency
                else None
            ),
            note=note,
            event_id=event_id,
            status_url=services.status_url(code),
            now=now,
            channels=services.channels,
        )
        if move.action in ("verify", "transfer", "not_ours"):
            # Officers' routing decisions are the next model's lessons.
            await repo.add_correction(
                conn,
                row["id"],
                move.action,
                row["body"],
                row["predicted_category"],
                None if move.action == "not_ours" else new_category,
                officer.id if officer else None,
                now,
            )
    log.info(
        "complaint moved code=%s action=%s from=%s to=%s agency=%s",
        code,
        move.action,
        status,
        new_status,
        new_agency,
    )
    return new_status


async def _tell_the_original(
    conn: asyncpg.Connection,
    original: asyncpg.Record,
    duplicate: asyncpg.Record,
    code: str,
    agency: str | None,
    merge_event_id: int,
    request: ActionRequest,
    officer: Officer | None,
    now: datetime,
) -> None:
    """An officers-only `merged_in` event on the original: its team sees what was merged into
    it, and why (the merge's internal note). The public reads the merge on the duplicate; the
    original's reporter is not told (nothing changed for them)."""
    await repo.add_event(
        conn,
        original["id"],
        repo.EventRow(
            MERGED_IN,
            "officer",
            now,
            officer_id=officer.id if officer else None,
            internal_note=(request.internal_note or "").strip() or None,
            data={
                "duplicate": code,
                # Where the duplicate is now and whether it is rahasia: the page shows its
                # code only to those who may see it.
                "duplicate_agency": agency,
                "rahasia": duplicate["rahasia"],
                "merge_event": merge_event_id,
            },
        ),
    )


def _priority_change(request: ActionRequest, row: asyncpg.Record) -> dict[str, str]:
    """set_priority's event data: the new priority and the one it replaces."""
    chosen = (request.priority or "").strip()
    if chosen not in priority.PRIORITIES:
        raise ValidationFailed.on(
            "priority", i18n.t("priority.problem_unknown", choices=", ".join(priority.PRIORITIES))
        )
    if chosen == row["priority"]:
        raise ValidationFailed.on("priority", i18n.t("priority.problem_same"))
    return {"priority": chosen, "from_priority": row["priority"]}


async def _original(
    conn: asyncpg.Connection,
    code_text: str | None,
    duplicate: asyncpg.Record,
    officer: Officer | None,
) -> asyncpg.Record:
    """The complaint a merge points at: it must exist, be another one, and not be merged.
    A rahasia original that this officer may not see does not exist, as far as they know."""
    if not code_text or not code_text.strip():
        raise ValidationFailed.on("duplicate_of", i18n.t("problem.original_code_required"))
    try:
        code = parse_code(code_text)
    except DomainError as error:  # a typo in the code: name this field, not the complaint's
        raise ValidationFailed.on("duplicate_of", error.detail) from None
    original = await repo.original(conn, code)
    hidden = (
        original is not None
        and original["rahasia"]
        and not (officer is not None and officer.may_see(original["agency_code"]))
    )
    if original is None or hidden:
        raise ValidationFailed.on(
            "duplicate_of", i18n.t("problem.report_not_found", code=tracking.display(code))
        )
    if original["id"] == duplicate["id"]:
        raise ValidationFailed.on("duplicate_of", i18n.t("problem.merge_with_itself"))
    if original["merged_into"] is not None:
        raise ValidationFailed.on(
            "duplicate_of",
            i18n.t(
                "problem.original_is_merged",
                code=tracking.display(code),
                original=tracking.display(original["merged_into"]),
            ),
        )
    return original


@asynccontextmanager
async def _transaction(
    services: Services, conn: asyncpg.Connection | None, written: list[Photo]
) -> AsyncIterator[asyncpg.Connection]:
    """The move's transaction; if it fails (refused, or the commit), the photo files the move
    wrote inside it are removed again."""
    try:
        if conn is not None:
            async with conn.transaction():
                yield conn
            return
        async with services.pool.acquire() as own, own.transaction():
            yield own
    except BaseException:
        await discard_photos(services.photos, written)
        raise


def _destination(
    city: CityConfig, request: ActionRequest, current_category: str | None, place: Place
) -> tuple[str | None, str]:
    """Where verify/transfer send a complaint: an agency, or the agency of a chosen category."""
    category = request.category
    if category is not None and category not in city.categories:
        raise ValidationFailed.on(
            "category", i18n.t("problem.unknown_category", value=repr(category[:40]))
        )
    if request.agency is not None:
        agency = city.agencies.get(request.agency)
        if agency is None or agency.kind == "oversight":
            raise ValidationFailed.on(
                "agency", i18n.t("problem.unknown_agency", value=repr(request.agency[:40]))
            )
        return category or current_category, agency.code
    if category is not None:
        target = city.categories[category]
        if target.desk:
            raise ValidationFailed.on("category", i18n.t("problem.category_at_desk"))
        return category, city.agency_for(category, place).code
    raise ValidationFailed.on("agency", i18n.t("problem.destination_required"))
