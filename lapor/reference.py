"""Loads the city configuration into the agency and category tables, so SQL can join on them."""

from __future__ import annotations

import asyncpg

from lapor import city_edits
from lapor.city import CityConfig
from lapor.repo import locks
from lapor.repo import reference as repo


async def sync_city(conn: asyncpg.Connection, city: CityConfig) -> CityConfig:
    """Make the tables say what the configuration says, with the admin's edits over it (so a
    re-sync of the seed never undoes one); retired codes stay, marked inactive, because old
    complaints still point at them. Returns the city as edited: what the service runs."""
    async with conn.transaction():
        # Serialize instances starting at once, so two syncs do not interleave their upserts.
        await locks.xact_lock(conn, city_edits.LOCK)
        edited = await city_edits.effective_city(conn, city)
        await city_edits.write_tables(conn, edited)
        await repo.retire_agencies_except(conn, list(edited.agencies))
        await repo.retire_categories_except(conn, list(edited.categories))
    return edited
