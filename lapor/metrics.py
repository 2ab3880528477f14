"""The metrics port: what the core counts as it works, and what /metrics reads from the database.

Events are counted where they happen, by this process, through `Metrics` (complaints filed per
channel, routed automatically or left at the desk, rate-limit refusals, scheduled job runs):
each instance counts its own, and a dashboard sums them over instances. State is read from the
database when /metrics is scraped (`outbox_depths`): every instance reports the same numbers,
so a dashboard takes max() over instances. The core calls the port and never imports
prometheus-client; lapor/web/metrics.py implements it. Without it (the CLI's commands, a test
that does not care) `NO_METRICS` counts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from lapor.repo import outbox as outbox_repo

if TYPE_CHECKING:
    from lapor.context import Services


class Metrics(Protocol):
    def complaint_filed(self, channel: str, *, auto_routed: bool) -> None:
        """A new complaint (not a replayed one) from `channel`; routed to an agency without
        the desk, or waiting there."""

    def rate_limited(self, rule: str) -> None:
        """A request refused past a rate limit; `rule` is the city's limit (a RateLimits field)."""

    def job_ran(self, job_id: str, *, ok: bool, seconds: float) -> None:
        """A scheduled job's run ended, well or not, after `seconds`."""


class NoMetrics:
    """Counts nothing."""

    def complaint_filed(self, channel: str, *, auto_routed: bool) -> None:
        pass

    def rate_limited(self, rule: str) -> None:
        pass

    def job_ran(self, job_id: str, *, ok: bool, seconds: float) -> None:
        pass


NO_METRICS: Metrics = NoMetrics()


@dataclass(frozen=True)
class OutboxDepth:
    channel: str
    pending: int  # waiting to be sent (retries included)
    dead: int  # given up on, waiting for the admin
    oldest_pending_seconds: float  # how long the oldest pending message has waited; 0 if none


async def outbox_depths(services: Services) -> list[OutboxDepth]:
    """The outbox per channel, now: one aggregate over the pending and dead messages (both
    partially indexed; sent ones are never read)."""
    async with services.pool.acquire() as conn:
        rows = await outbox_repo.depth_by_channel(conn)
    now = services.clock.now()
    return [
        OutboxDepth(
            row["channel"],
            row["pending"],
            row["dead"],
            0.0 if row["oldest"] is None else max(0.0, (now - row["oldest"]).total_seconds()),
        )
        for row in rows
    ]
