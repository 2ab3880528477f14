"""The officers\x27 queue: what an officer may see, filtered (queue_filters.py), by priority and
then deadline, one page at a time."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import asyncpg

from lapor import i18n, priority, schemas
from lapor.auth import Officer
from lapor.complaints.queue_filters import QueueFilters, officer_scope, queue_statuses, where
from lapor.complaints.views import _iso, _sla
from lapor.context import Services
from lapor.errors import ValidationFailed
from lapor.lifecycle import STATUS_LABELS
from lapor.repo import complaints as complaint_repo
from lapor.repo import queue as repo

SORTS = ("due", "support")  # the deadline (priority first), or the most supported first

__all__ = ["current_agency", "officer_scope", "queue", "queue_statuses"]


def _pack(payload: Any) -> str:
    """A cursor: its JSON in unpadded URL-safe base64."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _unpack(cursor: str) -> Any:
    """A cursor's JSON (ValueError, binascii.Error or RecursionError when it is none)."""
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def _encode_cursor(row: asyncpg.Record) -> str:
    return _pack([_iso(row["due_at"]), _iso(row["created_at"]), row["id"], row["priority_rank"]])


def _encode_support_cursor(row: asyncpg.Record) -> str:
    return _pack({"support": row["support_count"], "id": row["id"]})


def _decode_support_cursor(cursor: str) -> tuple[int, int]:
    """sort=support's cursor: the last row's support count and id."""
    try:
        payload = _unpack(cursor)
        count, ident = payload["support"], payload["id"]
        for value in (count, ident):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError("not a number")
        if not 0 <= count <= 2**31 - 1 or not 0 < ident <= schemas.INT64_MAX:
            raise ValueError("out of range")
        return count, ident
    except (ValueError, TypeError, KeyError, RecursionError, binascii.Error):
        raise ValidationFailed.on("cursor", i18n.t("problem.bad_cursor")) from None


def _decode_cursor(cursor: str) -> tuple[datetime | None, datetime, int, int]:
    try:
        due, created, ident, *rank = _unpack(cursor)
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


async def queue(
    services: Services,
    officer: Officer,
    *,
    cursor: str | None = None,
    limit: int = 50,
    sort: str = "due",
    **filters: Any,
) -> dict[str, Any]:
    """The caller's open complaints, the highest priority first, then the most urgent deadline,
    then the oldest; `filters`
    are QueueFilters' (status, category, agency, q, code, kelurahan, kecamatan, created_from,
    created_to, channel, sla, assignee). sort="support": the most supported first
    (lapor/support.py), with its own cursor."""
    if sort not in SORTS:
        raise ValidationFailed.on("sort", i18n.t("support.problem_sort", sorts=", ".join(SORTS)))
    by_support = sort == "support"
    after = _decode_cursor(cursor) if cursor and not by_support else None
    checked = where(services, officer, QueueFilters(**filters), limit=limit, after=after)
    if by_support:
        support_after = _decode_support_cursor(cursor) if cursor else None
        checked = replace(checked, sort="support", after_support=support_after)
    async with services.pool.acquire() as conn:
        rows = await repo.queue(conn, checked, limit + 1)
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
                "kelurahan": r["kelurahan"],
                "kecamatan": r["kecamatan"],
                "channel": r["channel"],
                "support_count": r["support_count"],
                "assignee": (
                    None
                    if r["assignee_id"] is None
                    else {"id": r["assignee_id"], "name": r["assignee_name"]}
                ),
            }
            for r in rows
        ],
        "next_cursor": (
            None
            if not more
            else _encode_support_cursor(rows[-1])
            if by_support
            else _encode_cursor(rows[-1])
        ),
    }


async def current_agency(services: Services, code: str) -> str | None:
    """The agency the complaint with this (normalized) code is with now; None when it is
    unrouted or there is no such complaint."""
    async with services.pool.acquire() as conn:
        return await complaint_repo.agency_of(conn, code)
