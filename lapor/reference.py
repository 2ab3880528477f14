"""Loads the city configuration into the agency and category tables, so SQL can join on them."""

from __future__ import annotations

import asyncpg

from lapor.city import CityConfig
from lapor.repo import locks
from lapor.repo import reference as repo


async def sync_city(conn: asyncpg.Connection, city: CityConfig) -> None:
    """Make the tables say what the configuration says; retired codes stay, marked inactive,
    because old complaints still point at them."""
    async with conn.transaction():
        # Serialize instances starting at once, so two syncs do not interleave their upserts.
        await locks.xact_lock(conn, "lapor.sync_city")
        await repo.upsert_agencies(
            conn,
            [(a.code, a.name, a.short_name, a.parent, a.kind) for a in city.agencies.values()],
        )
        await repo.retire_agencies_except(conn, list(city.agencies))
        await repo.upsert_categories(
            conn,
            [(c.code, c.name, c.agency, c.resolution, c.desk) for c in city.categories.values()],
        )
        await repo.retire_categories_except(conn, list(city.categories))
