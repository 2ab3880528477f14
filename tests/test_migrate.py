import asyncio
import shutil

import pytest

from lapor.db import connect
from lapor.migrate import MIGRATIONS_DIR, MigrationError, migrate

CORE_TABLES = {
    "agency",
    "category",
    "reporter",
    "complaint",
    "complaint_photo",
    "complaint_event",
    "officer",
    "api_token",
    "idempotency_key",
    "schema_migration",
}


async def tables(conn) -> set[str]:
    rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {r["tablename"] for r in rows}


async def test_all_migrations_apply_to_an_empty_database_and_only_once(empty_database_url):
    async with connect(empty_database_url) as conn:
        applied = await migrate(conn)
        assert applied == sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql"))
        assert await tables(conn) >= CORE_TABLES
        assert await migrate(conn) == []
        assert await conn.fetchval("SELECT count(*) FROM schema_migration") == len(applied)


async def test_an_applied_migration_that_was_edited_stops_the_run(empty_database_url, tmp_path):
    sql_dir = tmp_path / "sql"
    shutil.copytree(MIGRATIONS_DIR, sql_dir)
    async with connect(empty_database_url) as conn:
        await migrate(conn, sql_dir)
        first = sorted(sql_dir.glob("*.sql"))[0]
        first.write_text(first.read_text() + "\n-- edited afterwards\n")
        with pytest.raises(MigrationError, match=first.name):
            await migrate(conn, sql_dir)


async def test_a_failing_migration_leaves_nothing_behind(empty_database_url, tmp_path):
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / "001_ok.sql").write_text("CREATE TABLE one (id int);")
    (sql_dir / "002_broken.sql").write_text(
        "CREATE TABLE two (id int); SELECT no_such_column FROM one;"
    )
    async with connect(empty_database_url) as conn:
        with pytest.raises(Exception, match="no_such_column"):
            await migrate(conn, sql_dir)
        assert "one" in await tables(conn)
        assert "two" not in await tables(conn)
        assert await conn.fetchval("SELECT max(version) FROM schema_migration") == 1


async def test_two_processes_migrating_at_once_apply_each_file_once(empty_database_url):
    async def run() -> list[str]:
        async with connect(empty_database_url) as conn:
            return await migrate(conn)

    first, second = await asyncio.gather(run(), run())
    assert sorted(first + second) == sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql"))
    assert [] in (first, second)


async def test_the_event_timeline_cannot_be_rewritten(database_url):
    async with connect(database_url) as conn:
        await conn.execute(
            "INSERT INTO agency (code, name, short_name, kind) VALUES ('X', 'X', 'X', 'opd')"
        )
        complaint_id = await conn.fetchval(
            """INSERT INTO complaint (tracking_code, body, status, channel, created_at, updated_at)
               VALUES ('0000000000', 'sepuluh karakter', 'received', 'web', now(), now())
               RETURNING id"""
        )
        await conn.execute(
            """INSERT INTO complaint_event (complaint_id, kind, actor_kind, created_at)
               VALUES ($1, 'received', 'reporter', now())""",
            complaint_id,
        )
        with pytest.raises(Exception, match="append-only"):
            await conn.execute("UPDATE complaint_event SET kind = 'x'")
        with pytest.raises(Exception, match="append-only"):
            await conn.execute("DELETE FROM complaint_event")
