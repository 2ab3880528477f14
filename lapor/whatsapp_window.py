"""WhatsApp's customer-service window: Meta delivers free-form messages (text, buttons, lists)
only within 24 hours of the citizen's last message to the business number; after that only an
approved template goes (lapor.message_templates). The webhook records when each chat last
wrote (`record`), and the outbox's WhatsApp sender asks at send time (`Windows.is_open`),
because a message may wait in the outbox while the window closes."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.triggers.interval import IntervalTrigger

from lapor.repo import whatsapp_window as repo
from lapor.scheduler import ScheduledJob

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
# Sending takes a moment and the clocks of two companies differ: a window about to close is
# treated as closed, so the template goes rather than a text Meta would refuse.
MARGIN = timedelta(minutes=5)


def is_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Whether a free-form message sent at ``now`` is inside the window."""
    return last_inbound_at is not None and now < last_inbound_at + WINDOW - MARGIN


async def record(services: Services, wrote: Mapping[str, datetime | None]) -> None:
    """The chats in ``wrote`` (wa_id -> when the message says it was written) wrote to us.
    A time in the future, or none, counts as now: the window never reaches past it."""
    if not wrote:
        return
    now = services.clock.now()
    times = [now if at is None else min(at, now) for at in wrote.values()]
    async with services.pool.acquire() as conn:
        await repo.record(conn, list(wrote), times)


class Windows:
    """The sender's view of the windows: is this chat's window open now?"""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def is_open(self, wa_id: str) -> bool:
        async with self.services.pool.acquire() as conn:
            last = await repo.last_inbound(conn, wa_id)
        return is_open(last, self.services.clock.now())


async def prune(services: Services) -> int:
    """Forget windows that closed a day ago: a phone number kept no longer than it is useful."""
    async with services.pool.acquire() as conn:
        return await repo.prune(conn, services.clock.now() - 2 * WINDOW)


def jobs() -> tuple[ScheduledJob, ...]:
    return (
        ScheduledJob(
            "whatsapp.prune_windows",
            prune,
            IntervalTrigger(hours=1, timezone=UTC),
            "forget WhatsApp chats' customer-service windows that closed a day ago",
        ),
    )
