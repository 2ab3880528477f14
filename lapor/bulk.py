"""Bulk actions on a selection of the queue (issue 17 §1): assign, start, transfer, or respond
(with a reply template, or one note for all), on up to BULK_MAX complaints at once.

Each complaint gets its own move and its own event, exactly as if an officer had made them one
by one (assignment.assign, lifecycle.act, reply_templates.answer, each with its own checks),
and all of them in one transaction: either every complaint of the selection moved, or none
did, and the refusal names the complaint that stopped it. Complaints are locked in code
order, so two bulk actions over overlapping selections wait for each other, never deadlock.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lapor import assignment, i18n, lifecycle, reply_templates, tracking
from lapor.errors import DomainError, FieldError, ValidationFailed

if TYPE_CHECKING:
    import asyncpg

    from lapor.auth import Officer
    from lapor.context import Services

log = logging.getLogger(__name__)

BULK_ACTIONS = ("assign", "start", "transfer", "respond")
BULK_MAX = 100


@dataclass(frozen=True)
class BulkRequest:
    action: str
    codes: tuple[str, ...]
    officer_id: int | None = None  # assign: to whom (None: to nobody)
    agency: str | None = None  # transfer
    category: str | None = None  # transfer
    template_id: int | None = None  # respond with this template ...
    note: str | None = None  # ... or with this note
    internal_note: str | None = None


def _codes(codes: tuple[str, ...]) -> list[str]:
    if not codes:
        raise ValidationFailed.on("codes", i18n.t("team.problem.nothing_selected"))
    if len(codes) > BULK_MAX:
        raise ValidationFailed.on("codes", i18n.t("team.problem.too_many_selected", most=BULK_MAX))
    parsed, errors = [], []
    for index, text in enumerate(codes):
        try:
            parsed.append(tracking.parse_code(text))
        except DomainError as error:
            errors.append(FieldError(f"codes[{index}]", error.detail))
    if errors:
        raise ValidationFailed.of(errors)
    return sorted(set(parsed))


def _about(code: str, error: DomainError) -> DomainError:
    """The same refusal, naming the complaint it came from."""
    named = copy.copy(error)
    named.detail = i18n.t(
        "team.problem.in_selection", code=tracking.display(code), detail=error.detail
    )
    named.args = (named.detail,)
    named.errors = [FieldError("codes", named.detail), *error.errors]
    return named


async def _one(
    services: Services, conn: asyncpg.Connection, officer: Officer, code: str, request: BulkRequest
) -> None:
    if request.action == "assign":
        await assignment.assign(
            services, code, officer, request.officer_id, note=request.internal_note, conn=conn
        )
    elif request.action == "respond" and request.template_id is not None:
        await reply_templates.answer(
            services,
            code,
            officer,
            request.template_id,
            internal_note=request.internal_note,
            conn=conn,
        )
    else:
        move = lifecycle.ActionRequest(
            request.action,
            agency=request.agency,
            category=request.category,
            note=request.note,
            internal_note=request.internal_note,
        )
        await lifecycle.act(services, code, move, officer=officer, conn=conn)


async def apply(services: Services, officer: Officer, request: BulkRequest) -> list[str]:
    """Make the move on every complaint of the selection, or on none. Returns the codes, in
    code order."""
    if request.action not in BULK_ACTIONS:
        raise ValidationFailed.on(
            "action", i18n.t("team.problem.bulk_action", actions=", ".join(BULK_ACTIONS))
        )
    codes = _codes(request.codes)
    if request.action == "respond" and request.template_id is None and not request.note:
        raise ValidationFailed.on("template", i18n.t("team.problem.template_or_note"))
    async with services.pool.acquire() as conn, conn.transaction():
        for code in codes:
            try:
                await _one(services, conn, officer, code, request)
            except DomainError as error:
                raise _about(code, error) from None
    log.info("bulk action=%s complaints=%s by=%s", request.action, len(codes), officer.id)
    return codes
