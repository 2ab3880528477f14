import asyncio
import shutil

import pytest

from lapor.db import connect
from lapor.migrate import MIGRATIONS_DIR, MigrationError, migrate
from lapor.moderation import backfill_public_copies

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


async def test_two_processes_migrating_at_once_apply_each_file_once_in_order(
    empty_database_url,
):
    async def run() -> list[str]:
        async with connect(empty_database_url) as conn:
            return await migrate(conn)

    # Each file in a transaction of its own under a transaction-scoped lock (nothing held by
    # the session, so it works through a pooler): the two runs may share the work, never twice.
    first, second = await asyncio.gather(run(), run())
    assert sorted(first + second) == sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql"))
    async with connect(empty_database_url) as conn:
        in_order = await conn.fetch("SELECT version FROM schema_migration ORDER BY applied_at")
    assert [row[0] for row in in_order] == sorted(row[0] for row in in_order)


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


async def test_complaints_filed_before_the_public_copies_get_them_and_their_verification(
    empty_database_url, tmp_path
):
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    for path in MIGRATIONS_DIR.glob("*.sql"):
        if path.name < "010":
            (sql_dir / path.name).write_text(path.read_text())
    async with connect(empty_database_url) as conn:
        await migrate(conn, sql_dir)
        await conn.execute(
            """INSERT INTO agency (code, name, short_name, kind) VALUES ('X', 'X', 'X', 'opd');
               INSERT INTO officer (username, display_name, role, agency_code)
               VALUES ('petugas', 'Petugas', 'officer', 'X')"""
        )
        ids = []
        for code, body in (
            ("0000000000", "NIK saya 3275011203890001, KTP belum jadi."),
            ("0000000001", "Lampu jalan mati di gang kami."),
        ):
            ids.append(
                await conn.fetchval(
                    """INSERT INTO complaint (tracking_code, body, status, channel, agency_code,
                                              created_at, updated_at)
                       VALUES ($1, $2, 'assigned', 'web', 'X', now(), now()) RETURNING id""",
                    code,
                    body,
                )
            )
        await conn.execute(
            """INSERT INTO complaint_event (complaint_id, kind, actor_kind, officer_id, created_at)
               VALUES ($1, 'routed', 'system', NULL, '2026-11-02T03:00:00Z'),
                      ($1, 'start', 'officer', 1, '2026-11-03T03:00:00Z'),
                      ($1, 'respond', 'officer', 1, '2026-11-04T03:00:00Z'),
                      ($2, 'routed', 'system', NULL, '2026-11-02T03:00:00Z')""",
            *ids,
        )

        await migrate(conn)  # 010 and on
        assert await backfill_public_copies(conn, batch=1) == 2
        assert await backfill_public_copies(conn) == 0

        rows = await conn.fetch("SELECT public_body, verified_at FROM complaint ORDER BY id")
    assert rows[0]["public_body"] == "NIK saya [NIK disembunyikan], KTP belum jadi."
    assert rows[0]["verified_at"].isoformat() == "2026-11-03T03:00:00+00:00"
    assert rows[1]["public_body"] == "Lampu jalan mati di gang kami."
    assert rows[1]["verified_at"] is None  # routed by the model only
