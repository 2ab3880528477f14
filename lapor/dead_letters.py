"""Dead letters: the outbox messages that will not go out by themselves (refused for good by
the channel, or still failing when their retry time ran out), for the admin to see, with the
error kept, and to put back in the queue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lapor import i18n, tracking
from lapor.errors import NotFound
from lapor.officers import require_admin
from lapor.outbox import CHANNEL
from lapor.repo import outbox as repo

if TYPE_CHECKING:
    from lapor.auth import Officer
    from lapor.context import Services

PAGE = 50


async def dead_letters(
    services: Services, officer: Officer, *, before: int | None = None, limit: int = PAGE
) -> dict[str, Any]:
    """The newest dead messages first; ``next_before`` continues the list (None at its end)."""
    require_admin(officer)
    async with services.pool.acquire() as conn:
        rows = await repo.dead_letters(conn, before, limit + 1)
        total = await repo.count_dead(conn)
    items = [
        {
            "id": row["id"],
            "channel": row["channel"],
            "kind": row["kind"],
            "error": row["last_error"],
            "attempts": row["attempts"],
            "tracking_code": row["tracking_code"],
            "display_code": tracking.display(row["tracking_code"])
            if row["tracking_code"]
            else None,
            "created_at": row["created_at"].isoformat(),
            "died_at": row["died_at"].isoformat(),
        }
        for row in rows[:limit]
    ]
    next_before = items[-1]["id"] if len(rows) > limit else None
    return {"total": total, "items": items, "next_before": next_before}


async def retry(services: Services, officer: Officer, message_id: int) -> None:
    """Back in the queue, due now, with a fresh retry time; the dispatchers hear of it."""
    require_admin(officer)
    async with services.pool.acquire() as conn, conn.transaction():
        channel = await repo.retry_dead(conn, message_id, services.clock.now())
        if channel is None:
            raise NotFound(i18n.t("problem.no_dead_letter"))
        await repo.notify(conn, CHANNEL, channel)
