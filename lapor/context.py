"""The ports and shared objects the core needs, assembled once by the entry point."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeVar

import asyncpg

from lapor.city import CityConfig
from lapor.clock import Clock
from lapor.db import ReplicaReads
from lapor.metrics import NO_METRICS, Metrics
from lapor.photo_store import PhotoStore
from lapor.routing import Router

T = TypeVar("T")


@dataclass
class Services:
    pool: asyncpg.Pool
    city: CityConfig
    clock: Clock
    photos: PhotoStore
    router: Router
    secret_key: str
    base_url: str
    # Anonymous public reads (DATABASE_REPLICA_URL); None: the primary, as everything else.
    replica: ReplicaReads | None = None
    # What the core counts as it works (lapor/metrics.py), exposed by lapor/web/metrics.py.
    metrics: Metrics = NO_METRICS
    # The outbox channels this deployment sends through (assembly.outbox_channels).
    channels: frozenset[str] = frozenset()
    # The city file as loaded, before the admin's edits (lapor/city_edits.py); `city` is the
    # seed with them applied. None: `city` is the seed itself.
    seed_city: CityConfig | None = None

    async def public_read(self, read: Callable[[Services], Awaitable[T]]) -> T:
        """`read(services)` on the read replica, or on the primary when there is none or it
        cannot be reached. Only for what anyone may read and may see a moment late: never a
        reporter's own complaint, an officer's view, or a read after the caller's write."""
        if self.replica is None or not self.replica.separate:
            return await read(self)
        return await self.replica.run(lambda pool: read(replace(self, pool=pool)))

    def status_url(self, tracking_code: str) -> str:
        return f"{self.base_url}/lacak/{tracking_code}"
