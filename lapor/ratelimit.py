"""Rate limits counted in PostgreSQL, so that every instance shares them: a fixed window per
rule and subject (an address, a chat), one upsert per hit, ended windows pruned by a job.

The limits themselves are the city's (`[limits]` in its file, `lapor.city.RateLimits`); the
doors (web handlers, the bots) name the subject and call `hit` before the work is done.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import asyncpg

from lapor.errors import DomainError
from lapor.metrics import NO_METRICS, Metrics
from lapor.repo import ratelimit as repo

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Limit:
    """At most `hits` within each fixed window of `window`."""

    hits: int
    window: timedelta

    def window_at(self, now: datetime) -> tuple[datetime, datetime]:
        """The window `now` falls in: aligned to the epoch, so every instance agrees."""
        size = self.window.total_seconds()
        start = _EPOCH + timedelta(seconds=math.floor((now - _EPOCH).total_seconds() / size) * size)
        return start, start + self.window


class TooManyRequests(DomainError):
    status = 429
    title = "Too many requests"
    slug = "too-many-requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = max(1, retry_after)  # whole seconds, for the Retry-After header

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _seconds_until(end: datetime, now: datetime) -> int:
    return max(1, math.ceil((end - now).total_seconds()))


TOO_MANY = "Terlalu banyak permintaan dari {subject}. Coba lagi {minutes} menit lagi."


async def hit(
    services: Services,
    key: str,
    limit: Limit,
    detail: str = TOO_MANY,
    *,
    conn: asyncpg.Connection | None = None,
) -> None:
    """Count one hit on `key`; past the limit, raise TooManyRequests (the hit is counted, the
    work is not done). `detail` may use {subject} and {minutes}. On `conn` when given (outside
    any transaction, so the hit stays counted), else on a connection of its own."""
    now = services.clock.now()
    start, end = limit.window_at(now)
    if conn is not None:
        hits = await repo.hit(conn, key, start, end)
    else:
        async with services.pool.acquire() as own:
            hits = await repo.hit(own, key, start, end)
    if hits > limit.hits:
        _refuse(key, end, now, detail, services.metrics)


async def check(services: Services, key: str, limit: Limit, detail: str = TOO_MANY) -> None:
    """Raise TooManyRequests if `key` has used its limit, without counting (see `count`)."""
    now = services.clock.now()
    start, end = limit.window_at(now)
    async with services.pool.acquire() as conn:
        hits = await repo.peek(conn, key, start)
    if hits is not None and hits >= limit.hits:
        _refuse(key, end, now, detail, services.metrics)


async def count(services: Services, key: str, limit: Limit) -> None:
    """Count one hit without refusing: for what is counted only when it fails (logins)."""
    now = services.clock.now()
    start, end = limit.window_at(now)
    async with services.pool.acquire() as conn:
        await repo.hit(conn, key, start, end)


@dataclass(frozen=True)
class Hit:
    """One hit on `key` counted where the work itself is written (intake's one statement,
    lapor/repo/intake.py): `values` go into that statement, `check` refuses past the limit."""

    key: str
    limit: Limit
    detail: str = TOO_MANY

    def values(self, now: datetime) -> tuple[str, datetime, datetime, int]:
        start, end = self.limit.window_at(now)
        return self.key, start, end, self.limit.hits

    def check(self, hits: int, now: datetime, metrics: Metrics = NO_METRICS) -> None:
        if hits > self.limit.hits:
            _refuse(self.key, self.limit.window_at(now)[1], now, self.detail, metrics)


def _refuse(key: str, end: datetime, now: datetime, detail: str, metrics: Metrics) -> None:
    rule = key.split(":", 2)
    log.info("rate limited rule=%s", ":".join(rule[:2]))  # the subject may be personal data
    metrics.rate_limited(rule[0])  # the limit's name only: a bounded set of labels
    retry_after = _seconds_until(end, now)
    subject = "alamat Anda" if ":address:" in key else "percakapan ini"
    raise TooManyRequests(
        detail.format(subject=subject, minutes=max(1, math.ceil(retry_after / 60))), retry_after
    )


async def prune(services: Services) -> int:
    """Forget the windows that have ended; the scheduled job `ratelimit.prune`."""
    async with services.pool.acquire() as conn:
        return await repo.prune(conn, services.clock.now())
