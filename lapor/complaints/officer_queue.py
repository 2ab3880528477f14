"""The officers\x27 queue: what an officer may see, by priority and then deadline, one page at a
time."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

import asyncpg

from lapor import i18n, priority, schemas
from lapor.auth import Officer
from lapor.complaints.views import _iso, _sla
from lapor.context import Services
from lapor.errors import (
    Forbidden,
    ValidationFailed,
)
from lapor.lifecycle import OPEN_STATUSES, STATUS_LABELS
from lapor.repo import complaints as repo


def _encode_cursor(row: asyncpg.Record) -> str:
    payload = [_iso(row["due_at"]), _iso(row["created_at"]), row["id"], row["priority_rank"]]
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime | None, datetime, int, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        due, created, ident, *rank = json.loads(base64.urlsafe_b64decode(padded))
        if not isinstance(ident, int) or not 0 < ident <= schemas.INT64_MAX:
            raise ValueError("the id is not a row's")
        # A cursor from before priorities had no rank: every complaint was sedang then.
        rank = rank[0] if rank else priority.RANK[priority.DEFAULT]
        if rank not in priority.RANK.values() or isinstance(rank, bool):
            raise ValueError("not a priority's rank")
        return (
            None if due is None else datetime.fromisoformat(due),
            datetime.fromisoformat(created),
            ident,
            rank,
        )
    except (ValueError, TypeError, RecursionError, binascii.Error):
        raise ValidationFailed.on("cursor", i18n.t("problem.bad_cursor")) from None


def officer_scope(
    services: Services, officer: Officer, agency: str | None, limit: int, *, forbidden: str
) -> str | None:
    """The agency an officer's list covers, and its page size checked: an officer sees only
    their own agency (naming another is `forbidden`); the admin and the desk see the agency
    they name, or all (None)."""
    if officer.role == "officer":
        if agency is not None and agency != officer.agency_code:
            raise Forbidden(forbidden)
        agency = officer.agency_code
    elif agency is not None and agency not in services.city.agencies:
        raise ValidationFailed.on(
            "agency", i18n.t("problem.unknown_agency", value=repr(agency[:40]))
        )
    if not 1 <= limit <= 200:
        raise ValidationFailed.on("limit", "limit antara 1 dan 200")
    return agency


def queue_statuses(officer: Officer) -> tuple[str, ...]:
    if officer.role == "verifier":
        return ("received",)
    if officer.role == "admin":
        return OPEN_STATUSES
    return ("assigned", "in_progress")


async def queue(
    services: Services,
    officer: Officer,
    *,
    status: str | None = None,
    category: str | None = None,
    agency: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """The caller's open complaints, the highest priority first, then the most urgent
    deadline, then the oldest."""
    statuses = queue_statuses(officer)
    if status is not None:
        if status not in statuses:
            raise ValidationFailed.on(
                "status", f"status harus salah satu dari: {', '.join(statuses)}"
            )
        statuses = (status,)
    if category is not None and category not in services.city.categories:
        raise ValidationFailed.on(
            "category", i18n.t("problem.unknown_category", value=repr(category[:40]))
        )
    agency = officer_scope(
        services,
        officer,
        agency,
        limit,
        forbidden="Petugas hanya melihat antrean instansinya sendiri.",
    )
    after = _decode_cursor(cursor) if cursor else None
    async with services.pool.acquire() as conn:
        rows = await repo.queue(
            conn,
            list(statuses),
            agency,
            category,
            after is not None,
            after[0] if after else None,
            after[1] if after else None,
            after[2] if after else None,
            limit + 1,
            after[3] if after else None,
        )
    more = len(rows) > limit
    rows = rows[:limit]
    now = services.clock.now()
    return {
        "items": [
            {
                "tracking_code": r["tracking_code"],
                "status": r["status"],
                "status_label": STATUS_LABELS[r["status"]],
                "title": r["title"],
                "excerpt": r["excerpt"],
                "category": r["category_code"],
                "category_name": r["category_name"],
                "agency": r["agency_code"],
                "created_at": _iso(r["created_at"]),
                "due_at": _iso(r["due_at"]),
                "sla": _sla(services, r, now),
                "rahasia": r["rahasia"],
                "priority": r["priority"],
                "priority_label": priority.label(r["priority"]),
            }
            for r in rows
        ],
        "next_cursor": _encode_cursor(rows[-1]) if more else None,
    }


async def current_agency(services: Services, code: str) -> str | None:
    """The agency the complaint with this (normalized) code is with now; None when it is
    unrouted or there is no such complaint."""
    async with services.pool.acquire() as conn:
        return await repo.agency_of(conn, code)
