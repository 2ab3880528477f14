"""A database that cannot be reached, for the outage tests: it refuses new connections and
loses every open one (as during a restart), until the block ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import asyncpg


@asynccontextmanager
async def unreachable(database_url: str, pg_server: str) -> AsyncIterator[None]:
    name = urlsplit(database_url).path.lstrip("/")  # the embedded DSN has a path in its query
    admin = await asyncpg.connect(pg_server)
    try:
        await admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1",
            name,
        )
        yield
    finally:
        await admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
        await admin.close()
