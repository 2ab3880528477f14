"""Loads the city configuration into the agency and category tables, so SQL can join on them."""

from __future__ import annotations

import asyncpg

from lapor.city import CityConfig


async def sync_city(conn: asyncpg.Connection, city: CityConfig) -> None:
    """Make the tables say what the configuration says; retired codes stay, marked inactive,
    because old complaints still point at them."""
    async with conn.transaction():
        # Serialize instances starting at once, so two syncs do not interleave their upserts.
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('lapor.sync_city'))")
        await conn.executemany(
            """INSERT INTO agency (code, name, short_name, parent_code, kind, active)
               VALUES ($1, $2, $3, $4, $5, true)
               ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
                   short_name = EXCLUDED.short_name, parent_code = EXCLUDED.parent_code,
                   kind = EXCLUDED.kind, active = true""",
            [(a.code, a.name, a.short_name, a.parent, a.kind) for a in city.agencies.values()],
        )
        await conn.execute(
            "UPDATE agency SET active = false WHERE NOT (code = ANY($1::text[]))",
            list(city.agencies),
        )
        await conn.executemany(
            """INSERT INTO category (code, name, agency_code, resolution, desk, active)
               VALUES ($1, $2, $3, $4, $5, true)
               ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
                   agency_code = EXCLUDED.agency_code, resolution = EXCLUDED.resolution,
                   desk = EXCLUDED.desk, active = true""",
            [(c.code, c.name, c.agency, c.resolution, c.desk) for c in city.categories.values()],
        )
        await conn.execute(
            "UPDATE category SET active = false WHERE NOT (code = ANY($1::text[]))",
            list(city.categories),
        )
