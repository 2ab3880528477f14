"""What the commands share: the core's services outside `lapor serve`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from lapor.settings import Settings

if TYPE_CHECKING:
    from lapor.context import Services


@asynccontextmanager
async def _services(settings: Settings, *, pool_size: int = 2) -> AsyncIterator[Services]:
    """The core's services for a command outside `lapor serve`: the city synced into its
    tables, a small pool (closed on leaving) and the category router (these commands file no
    complaints, so no model is loaded)."""
    from lapor.assembly import build_services
    from lapor.city import load_city
    from lapor.db import create_pool
    from lapor.reference import sync_city
    from lapor.routing import CategoryRouter

    city = load_city(settings.city)
    pool = await create_pool(
        settings.database_url, min_size=1, max_size=pool_size, pooled=settings.pooled
    )
    try:
        async with pool.acquire() as conn:
            edited = await sync_city(conn, city)  # with the admin's edits over the file
        services = build_services(settings, edited, pool, CategoryRouter(edited))
        services.seed_city = city
        await services.photos.open()
        try:
            yield services
        finally:
            await services.photos.close()
    finally:
        await pool.close()
